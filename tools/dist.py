"""``make dist``: one archive for a training room with no network.

``_build/dist/ictstory-workshop-<git describe>.tar.gz`` holds ``site/`` (both built
editions, ``_build/html`` resolved), ``handouts/`` (when ``_build/handouts`` exists),
``project/`` (``git archive`` of HEAD, ``data/`` included), ``wheelhouse/`` (a wheel
of every package pinned in requirements.txt, for Linux x86-64 and CPython 3.11, 3.12
and 3.13, each checked against requirements.txt's hashes) and ``README-ROOM.md``.

The wheelhouse is kept in ``_build/dist/wheelhouse`` between runs: once complete
for the current requirements.txt it is reused without asking the index; otherwise
pip downloads what is missing, and wheels whose hash requirements.txt no longer
lists are removed. ``python tools/dist.py wheelhouse`` builds it alone.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import Marker

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "_build" / "dist"
WHEELHOUSE = DIST / "wheelhouse"
PYTHONS = ("3.11", "3.12", "3.13")
#: Linux x86-64 platforms, oldest first: pip prefers the earlier tag, so the
#: wheelhouse needs the oldest glibc that the pinned wheels allow.
PLATFORMS = (
    "manylinux2014_x86_64",
    *(f"manylinux_2_{minor}_x86_64" for minor in (17, 24, 26, 27, 28, 31, 34)),
)
#: The environment markers of a Linux x86-64 CPython (python versions added per target).
LINUX = {
    "os_name": "posix",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "platform_machine": "x86_64",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
}


@dataclass(frozen=True)
class Pin:
    """One pinned requirement of requirements.txt."""

    name: str
    version: str
    marker: str
    hashes: tuple[str, ...]

    def line(self) -> str:
        """The requirement without its marker, with its hashes."""
        hashes = " ".join(f"--hash=sha256:{h}" for h in self.hashes)
        return f"{self.name}=={self.version} {hashes}"


def read_pins(path: Path = ROOT / "requirements.txt") -> list[Pin]:
    """Every pin of a requirements file written by ``make pins`` (``uv pip compile``)."""
    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    pins = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.match(
            r"([A-Za-z0-9._-]+)==(\S+)\s*(?:;\s*(.*?))?\s*((?:--hash=sha256:\S+\s*)+)$", line
        )
        if not match:
            sys.exit(f"dist: cannot read this line of {path.name}: {line}")
        name, version, marker, hashes = match.groups()
        pins.append(Pin(name, version, marker or "", tuple(re.findall(r"sha256:(\w+)", hashes))))
    return pins


def targets(pins: list[Pin]) -> list[tuple[str, tuple[Pin, ...]]]:
    """The distinct sets of pins that Linux x86-64 CPython 3.11-3.13 install, each with
    a full Python version (for pip's Requires-Python checks) that installs it.

    Besides X.Y.0, every version named by a ``python_full_version`` marker (and the
    next patch release) is tried, so each range between two such versions is covered."""
    named = {
        m for p in pins for m in re.findall(r"python_full_version\s*\W+\s*'([\d.]+)'", p.marker)
    }
    sets: dict[tuple[str, tuple[Pin, ...]], str] = {}
    for minor in PYTHONS:
        points = {f"{minor}.0"}
        for version in named:
            if version.startswith(minor + "."):
                major, mid, patch = (version.split(".") + ["0"])[:3]
                points |= {f"{major}.{mid}.{patch}", f"{major}.{mid}.{int(patch) + 1}"}
        for point in sorted(points, key=lambda v: tuple(map(int, v.split(".")))):
            env = {**LINUX, "python_version": minor, "python_full_version": point}
            chosen = tuple(p for p in pins if not p.marker or Marker(p.marker).evaluate(env))
            sets.setdefault((minor, chosen), point)
    return [(point, chosen) for (_, chosen), point in sets.items()]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pip(*args: str) -> list[str]:
    # --isolated: this machine's pip configuration (extra indexes, find-links,
    # constraints) plays no part; only the package index and the hashes do.
    return [sys.executable, "-m", "pip", "--isolated", "--disable-pip-version-check", *args]


def build_wheelhouse(wheelhouse: Path = WHEELHOUSE) -> list[Path]:
    """Download (or keep) a hash-checked wheel of every pin for every target; remove
    wheels requirements.txt no longer lists. Returns the wheels."""
    pins = read_pins()
    wheelhouse.mkdir(parents=True, exist_ok=True)
    stamp = wheelhouse / ".complete"
    key = hashlib.sha256(
        repr((read_pins(), PYTHONS, PLATFORMS)).encode() + (ROOT / "requirements.txt").read_bytes()
    ).hexdigest()
    if stamp.is_file() and stamp.read_text() == key:
        return sorted(p for p in wheelhouse.glob("*.whl"))
    stamp.unlink(missing_ok=True)
    platforms = [arg for p in PLATFORMS for arg in ("--platform", p)]
    for version, chosen in targets(pins):
        print(f"dist: wheels for CPython {version} (Linux x86-64), {len(chosen)} pins", flush=True)
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
            handle.write("\n".join(p.line() for p in chosen) + "\n")
        try:
            result = subprocess.run(
                _pip(
                    "download",
                    "--quiet",
                    "--no-deps",
                    "--only-binary=:all:",
                    *platforms,
                    "--implementation",
                    "cp",
                    "--python-version",
                    version,
                    "--require-hashes",
                    "-r",
                    handle.name,
                    "--dest",
                    str(wheelhouse),
                ),
                capture_output=True,
                text=True,
            )
        finally:
            os.unlink(handle.name)
        if result.returncode != 0:
            missing = re.findall(r"No matching distribution found for (\S+)", result.stderr)
            sys.exit(
                f"dist: pip download failed for CPython {version}.\n{result.stderr[-3000:]}"
                + (
                    f"\n{', '.join(missing)} has no wheel for Linux x86-64 and CPython {version}:"
                    " the bundle cannot build it offline. Pin a version with wheels (make pins)."
                    if missing
                    else ""
                )
            )
    allowed = {h for p in pins for h in p.hashes}
    wheels = []
    for path in sorted(wheelhouse.glob("*.whl")):
        if _sha256(path) not in allowed:
            print(f"dist: removing {path.name} (no longer pinned)")
            path.unlink()
        else:
            wheels.append(path)
    stamp.write_text(key)  # every target downloaded: the next run asks no index
    return wheels


#: The glibc of the legacy manylinux tags.
LEGACY = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}


def platform_glibc(platform: str) -> tuple[int, int] | None:
    """The glibc a manylinux x86-64 platform tag needs; None for another platform."""
    if match := re.fullmatch(r"manylinux_(\d+)_(\d+)_x86_64", platform):
        return int(match[1]), int(match[2])
    return LEGACY.get(platform.removesuffix("_x86_64")) if platform.endswith("_x86_64") else None


def glibc_floor(wheels: list[Path]) -> tuple[int, int]:
    """The oldest glibc on which every wheel installs (from their manylinux tags)."""
    floor = (2, 5)
    for wheel in wheels:
        needs = [g for tag in wheel.stem.split("-")[-1].split(".") if (g := platform_glibc(tag))]
        if needs:
            floor = max(floor, min(needs))
    return floor


def describe() -> str:
    """``git describe`` of the checkout (``-dirty`` when it has uncommitted changes)."""
    return subprocess.run(
        ["git", "describe", "--always", "--dirty", "--tags"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def _mb(n: float) -> str:
    return f"{n / 1e6:,.0f} MB"


#: Linux releases a room may run, with their glibc.
RELEASES = {
    "Debian 11": (2, 31),
    "Ubuntu 20.04": (2, 31),
    "Ubuntu 22.04": (2, 35),
    "Debian 12": (2, 36),
    "Ubuntu 24.04": (2, 39),
}


def releases(glibc: tuple[int, int]) -> str:
    """Which of :data:`RELEASES` a wheelhouse needing ``glibc`` installs on, and which not."""
    yes = [name for name, version in RELEASES.items() if version >= glibc]
    no = [name for name, version in RELEASES.items() if version < glibc]
    return f"{', '.join(yes)}" + (f"; not {', '.join(no)}" if no else "")


def room_readme(name: str, wheels: list[Path], handouts: bool, site_bytes: int) -> str:
    """README-ROOM.md: install offline, serve the site, what needs Chromium."""
    floor = glibc_floor(wheels)
    glibc = "{}.{}".format(*floor)
    wheel_bytes = sum(w.stat().st_size for w in wheels)
    handouts_line = (
        "- `handouts/`: the printable handouts (PDF), as `make handouts` wrote them.\n"
        if handouts
        else "- No `handouts/` in this bundle: `make handouts` had not been run when it was made.\n"
    )
    handouts_vi = (
        "`handouts/`: tài liệu phát tay (PDF)."
        if handouts
        else "Gói này không có `handouts/` (chưa chạy `make handouts` khi tạo gói)."
    )
    return f"""# {name}: the workshop bundle

Everything a training room needs, with no internet: the built book, the project and
every Python package it installs.

- `site/`: the book, both editions (`site/index.html`; `site/en/`, `site/vi/`), {_mb(site_bytes)}.
{handouts_line}- `project/`: the sources and data (`git archive` of {name.split("-", 2)[-1]}).
- `wheelhouse/`: {len(wheels)} wheels, {_mb(wheel_bytes)}, every package pinned in
  `project/requirements.txt` for Linux x86-64 (glibc {glibc} or newer:
  {releases(floor)}) and CPython 3.11, 3.12 or 3.13 (any patch release).

## Read the book: nothing to install

Open `site/index.html` in a browser. From a file the search lists the pages that
match but shows no extracts; served (below), it shows them.

## Serve the book to the room

On the trainer's machine, from this folder (any static web server works):

    python3 -m http.server --bind 0.0.0.0 --directory site 8000

Participants on the same network open `http://<trainer's address>:8000/`
(`hostname -I` prints the address). From `project/`, after the install below,
`make serve HOST=0.0.0.0` builds the book and prints the addresses to give out.

## Install the project offline (hands-on sessions)

Needs Python 3.11, 3.12 or 3.13 with `venv`, and `make`. In `project/`:

    make setup WHEELHOUSE=../wheelhouse      # .venv from the wheelhouse, hash-checked
    make book                                # executes the chapters, builds _build/html
    make lab                                 # the chapters as notebooks in JupyterLab

(`make setup PYTHON=python3.13 WHEELHOUSE=../wheelhouse` for another Python.) Without
make: `python3 -m venv .venv && .venv/bin/pip install --no-index --find-links
../wheelhouse --require-hashes -r requirements.txt && .venv/bin/pip install --no-deps
--no-build-isolation -e .`

## What needs Chromium

Reading, serving, `make book` and `make lab` do not. The browser tests (`make test`),
`tools/screenshot.py` and `make handouts` drive Debian's `chromium`
(`apt-get install chromium`), which is not in this bundle.

## Tiếng Việt

Gói này dùng cho lớp học không có internet. `site/`: sách đã dựng, cả hai ấn bản;
mở `site/index.html` bằng trình duyệt (mở từ tệp, trang tìm kiếm chỉ liệt kê các
trang tìm thấy, không kèm đoạn trích). {handouts_vi} `project/`: mã nguồn và dữ liệu
của dự án. `wheelhouse/`: mọi gói Python đã ghim, cho Linux x86-64 (glibc {glibc} trở
lên) và CPython 3.11, 3.12, 3.13.

- **Phục vụ cả lớp** từ máy của giảng viên: `python3 -m http.server --bind 0.0.0.0
  --directory site 8000`; học viên cùng mạng mở `http://<địa chỉ máy giảng viên>:8000/`
  (`hostname -I` in ra địa chỉ). Máy chủ web tĩnh nào cũng dùng được.
- **Cài đặt không cần mạng** (buổi thực hành), trong `project/`: `make setup
  WHEELHOUSE=../wheelhouse`, rồi `make book` và `make lab`.
- **Cần Chromium** (`apt-get install chromium`, không có trong gói) chỉ cho các bài
  kiểm thử trên trình duyệt, ảnh chụp màn hình và `make handouts`.
"""


def _add_tree(archive: tarfile.TarFile, source: Path, arcname: str) -> None:
    for path in sorted(source.rglob("*")):
        if path.is_file():
            archive.add(path, f"{arcname}/{path.relative_to(source).as_posix()}", recursive=False)


def make_dist() -> Path:
    """Write the archive and print what it holds."""
    started = time.perf_counter()
    site = (ROOT / "_build" / "html").resolve()
    if not (site / "en" / "index.html").is_file() or not (site / "vi" / "index.html").is_file():
        sys.exit("dist: no built site in _build/html: run make book")
    wheels = build_wheelhouse()
    handouts = ROOT / "_build" / "handouts"
    name = f"ictstory-workshop-{describe()}"
    target = DIST / f"{name}.tar.gz"
    partial = target.with_suffix(".partial")
    site_bytes = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    readme = room_readme(name, wheels, handouts.is_dir(), site_bytes).encode("utf-8")
    print(f"dist: writing {target.relative_to(ROOT)}", flush=True)
    with tempfile.TemporaryDirectory(prefix="ictstory-dist-") as tmp:
        project = Path(tmp) / "project.tar"
        subprocess.run(
            [
                "git",
                "archive",
                "--format=tar",
                f"--prefix={name}/project/",
                "-o",
                str(project),
                "HEAD",
            ],
            cwd=ROOT,
            check=True,
        )
        # Wheels are compressed already: the fastest gzip level loses little.
        with tarfile.open(partial, "w:gz", compresslevel=1) as archive:
            info = tarfile.TarInfo(f"{name}/README-ROOM.md")
            info.size, info.mtime, info.mode = len(readme), int(time.time()), 0o644
            archive.addfile(info, io.BytesIO(readme))
            with tarfile.open(project) as source:
                for member in source.getmembers():
                    archive.addfile(member, source.extractfile(member) if member.isfile() else None)
            _add_tree(archive, site, f"{name}/site")
            if handouts.is_dir():
                _add_tree(archive, handouts, f"{name}/handouts")
            for wheel in wheels:
                archive.add(wheel, f"{name}/wheelhouse/{wheel.name}")
    partial.replace(target)
    for old in DIST.glob("ictstory-workshop-*.tar.gz"):
        if old != target:
            old.unlink()
    print(
        f"dist: {target.relative_to(ROOT)}: {_mb(target.stat().st_size)}; {len(wheels)} wheels;"
        f" handouts {'included' if handouts.is_dir() else 'absent (no _build/handouts)'};"
        f" {time.perf_counter() - started:.0f} s"
    )
    return target


def python_for(minor: str) -> str | None:
    """The real path of a ``python3.X`` interpreter (not a pyenv shim, which needs the
    caller's HOME and pyenv settings): the one on PATH, else the newest of pyenv's."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates = [shutil.which(f"python{minor}")] + sorted(
        pyenv.glob(f"versions/{minor}.*/bin/python{minor}"),
        key=lambda p: [int(x) for x in re.findall(r"\d+", p.parts[-3])],
        reverse=True,
    )
    for candidate in filter(None, candidates):
        probe = subprocess.run(
            [str(candidate), "-c", "import sys; print(sys.version[:5], sys.executable)"],
            capture_output=True,
            text=True,
        )
        version, _, executable = probe.stdout.strip().partition(" ")
        if probe.returncode == 0 and version.startswith(minor + ".") and executable:
            return str(Path(executable).resolve().parent / f"python{minor}")
    return None


def no_network_prefix() -> list[str] | None:
    """A command prefix that runs a command in a new network namespace (no interface
    but loopback): ``unshare --net`` as root, else in a user namespace; None if neither."""
    for prefix in (["unshare", "--net"], ["unshare", "--net", "--map-root-user"]):
        try:
            if subprocess.run([*prefix, "true"], capture_output=True).returncode == 0:
                return prefix
        except FileNotFoundError:
            return None
    return None


#: Run first in the namespace: loopback up (Jupyter kernels talk over it), then proof
#: that nothing else answers: no interface but lo, no name lookup, no route out.
NETWORK_PROBE = """
import socket
lines = open("/proc/net/dev").read().splitlines()[2:]  # this namespace's interfaces
interfaces = sorted(line.split(":")[0].strip() for line in lines)
reached = []
for attempt in (lambda: socket.getaddrinfo("pypi.org", 443),
                lambda: socket.create_connection(("151.101.0.223", 443), timeout=3)):
    try:
        attempt()
        reached.append(attempt)
    except OSError:
        pass
print(f"network probe: interfaces {interfaces}, reached {len(reached)} outside hosts")
raise SystemExit(3 if interfaces != ["lo"] or reached else 0)
"""


@dataclass
class RoomRun:
    """What :func:`offline_room` did."""

    returncode: int
    output: str
    project: Path
    seconds: dict[str, float]


def offline_room(archive: Path, workdir: Path, python: str, book: bool = True) -> RoomRun:
    """Unpack ``archive`` into ``workdir`` and, in a network namespace with no way out,
    run the room's install (``make setup WHEELHOUSE=../wheelhouse``) and ``make book``.

    The environment holds no pip settings of this machine (PIP_CONFIG_FILE=/dev/null,
    no PIP_* variables, a new HOME), so the wheelhouse is the only source."""
    prefix = no_network_prefix()
    if prefix is None:
        raise RuntimeError("cannot make a network namespace here (unshare --net)")
    started = time.perf_counter()
    with tarfile.open(archive) as tar:
        tar.extractall(workdir, filter="data")
    bundle = next(p for p in workdir.iterdir() if p.name.startswith("ictstory-workshop-"))
    seconds = {"unpack": time.perf_counter() - started}
    home = workdir / "home"
    home.mkdir(exist_ok=True)
    env = {
        "PATH": f"{Path(python).parent}:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PIP_CONFIG_FILE": os.devnull,
        "CI": "1",
    }
    steps = [
        "set -eu",
        "ip link set lo up",
        f"{python} -c {shlex.quote(NETWORK_PROBE)}",
        'echo "@@ setup start $(date +%s.%N)"',
        f"make setup PYTHON={shlex.quote(python)} WHEELHOUSE=../wheelhouse",
        'echo "@@ setup end $(date +%s.%N)"',
    ]
    if book:
        steps += ["make book", 'echo "@@ book end $(date +%s.%N)"']
    result = subprocess.run(
        [*prefix, "bash", "-c", "\n".join(steps)],
        cwd=bundle / "project",
        env=env,
        capture_output=True,
        text=True,
    )
    marks = {m[0]: float(m[1]) for m in re.findall(r"^@@ (\w+ \w+) ([\d.]+)$", result.stdout, re.M)}
    if {"setup start", "setup end"} <= marks.keys():
        seconds["offline install"] = marks["setup end"] - marks["setup start"]
    if "book end" in marks:
        seconds["make book"] = marks["book end"] - marks["setup end"]
    return RoomRun(result.returncode, result.stdout + result.stderr, bundle / "project", seconds)


def latest_archive() -> Path | None:
    """The archive ``make dist`` left in _build/dist, if any."""
    archives = sorted(DIST.glob("ictstory-workshop-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return archives[-1] if archives else None


if __name__ == "__main__":
    if sys.argv[1:] == ["wheelhouse"]:
        print(f"dist: {len(build_wheelhouse())} wheels in {WHEELHOUSE.relative_to(ROOT)}")
    else:
        from ictstory.sitelock import site_lock  # one job at a time on _build/ (book, handouts)

        with site_lock("make dist", ROOT):
            make_dist()
