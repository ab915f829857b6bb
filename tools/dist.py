"""``make dist``: two bundles for a training room with no network.

``_build/dist/ictstory-participants-<git describe>.zip`` holds:

* ``site/``: both built editions (``_build/html`` resolved);
* ``handouts/``: ``_build/handouts`` without any answer key;
* ``project/``: ``git archive`` of HEAD without ``trainer/`` (notes and solutions);
* ``wheelhouse/``: a wheel of every pin of ``requirements-room.txt`` (JupyterLab,
  jupytext, the chart stack, frictionless; no book builder, no test tooling) for
  each platform of :data:`PLATFORMS` and CPython 3.11-3.13, hash-checked;
* ``install.py`` (``tools/room_install.py``): makes ``project/.venv`` from the
  wheelhouse with ``--no-index --require-hashes``; no make, no bash;
* ``README-ROOM.md``: the steps for each system, in English and Vietnamese.

``_build/dist/ictstory-trainer-<git describe>.zip`` holds all of it with the answer
keys, ``project/trainer/`` and the wheels to build the book (every pin of
requirements.txt but the test tooling, :data:`TEST_TOOLS`, and what only they need).

Both refuse to be made when the tree has uncommitted or untracked files, or when a
handout is older than the site (``--allow-dirty``: a loud warning naming them, also
written into README-ROOM.md). Zip archives open on every system without tools.

Wheels are kept in ``_build/dist/wheelhouse`` between runs (a stamp per platform
says it is complete for the current pins). ``--platforms linux-x86_64`` limits a
run to some platforms; ``python tools/dist.py check-index`` asks the package index
(one request per package, nothing downloaded) whether every pin has a wheel for
every platform and Python.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from packaging.markers import Marker
from packaging.tags import Tag, compatible_tags, cpython_tags, mac_platforms
from packaging.utils import canonicalize_name, parse_wheel_filename

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "_build" / "dist"
WHEELHOUSE = DIST / "wheelhouse"
PYTHONS = ("3.11", "3.12", "3.13")
ROOM_REQUIREMENTS = ROOT / "requirements-room.txt"
FULL_REQUIREMENTS = ROOT / "requirements.txt"
INSTALLER = ROOT / "tools" / "room_install.py"
#: Direct requirements that only the tests use; they and what only they need stay
#: out of both wheelhouses.
TEST_TOOLS = frozenset({"pytest", "pytest-xdist", "playwright", "ruff"})
INDEX = "https://pypi.org/simple"


def _manylinux(arch: str) -> tuple[str, ...]:
    """manylinux tags oldest first: pip prefers the first, so the oldest glibc wins."""
    return (
        f"manylinux2014_{arch}",
        *(f"manylinux_2_{minor}_{arch}" for minor in (17, 24, 26, 27, 28, 31, 34)),
    )


@dataclass(frozen=True)
class Platform:
    """One kind of laptop: pip's ``--platform`` tags (preferred first) and its markers."""

    name: str
    label: str
    tags: tuple[str, ...]
    markers: dict[str, str] = field(hash=False)

    def pip_tags(self) -> list[str]:
        """Every platform tag a wheel may carry to install here (macOS expanded as pip does)."""
        out: list[str] = []
        for tag in self.tags:
            if tag.startswith("macosx_"):
                _, major, minor, arch = tag.split("_", 3)
                out += [t for t in mac_platforms((int(major), int(minor)), arch) if t not in out]
            elif tag not in out:
                out.append(tag)
        return out


def _markers(os_name: str, sys_platform: str, system: str, machine: str) -> dict[str, str]:
    return {
        "os_name": os_name,
        "sys_platform": sys_platform,
        "platform_system": system,
        "platform_machine": machine,
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
    }


#: Every laptop in the room. macOS: 11 (Big Sur) or newer on Apple silicon, 10.9 or
#: newer on Intel, oldest wheel preferred.
PLATFORMS: dict[str, Platform] = {
    p.name: p
    for p in (
        Platform(
            "windows-x86_64",
            "Windows x86-64",
            ("win_amd64",),
            _markers("nt", "win32", "Windows", "AMD64"),
        ),
        Platform(
            "macos-arm64",
            "macOS on Apple silicon (arm64)",
            tuple(f"macosx_{v}_0_arm64" for v in (11, 12, 13, 14)),
            _markers("posix", "darwin", "Darwin", "arm64"),
        ),
        Platform(
            "macos-x86_64",
            "macOS on Intel (x86-64)",
            tuple(
                f"macosx_{v}_x86_64" for v in ("10_9", "10_12", "10_13", "10_15", "11_0", "12_0")
            ),
            _markers("posix", "darwin", "Darwin", "x86_64"),
        ),
        Platform(
            "linux-x86_64",
            "Linux x86-64",
            _manylinux("x86_64"),
            _markers("posix", "linux", "Linux", "x86_64"),
        ),
        Platform(
            "linux-aarch64",
            "Linux aarch64 (arm64)",
            _manylinux("aarch64"),
            _markers("posix", "linux", "Linux", "aarch64"),
        ),
    )
}
#: Kept for tools that knew the single-platform bundle (Linux x86-64 markers).
LINUX = PLATFORMS["linux-x86_64"].markers


@dataclass(frozen=True)
class Pin:
    """One pinned requirement of a requirements file."""

    name: str
    version: str
    marker: str
    hashes: tuple[str, ...]
    via: tuple[str, ...] = ()

    def line(self) -> str:
        """The requirement without its marker, with its hashes."""
        hashes = " ".join(f"--hash=sha256:{h}" for h in self.hashes)
        return f"{self.name}=={self.version} {hashes}"

    def full_line(self) -> str:
        """The requirement with its marker and hashes (a requirements file line)."""
        marker = f" ; {self.marker}" if self.marker else ""
        hashes = "".join(f" \\\n    --hash=sha256:{h}" for h in self.hashes)
        return f"{self.name}=={self.version}{marker}{hashes}"

    def applies(self, platform: Platform, python_full: str) -> bool:
        """Whether this pin is installed on ``platform`` by CPython ``python_full``."""
        env = {
            **platform.markers,
            "python_version": ".".join(python_full.split(".")[:2]),
            "python_full_version": python_full,
        }
        return not self.marker or Marker(self.marker).evaluate(env)


def read_pins(path: Path = FULL_REQUIREMENTS) -> list[Pin]:
    """Every pin of a requirements file written by ``make pins`` (``uv pip compile``),
    with the names its ``# via`` comments give (``-r requirements.in``: direct)."""
    pins: list[Pin] = []
    current: dict[str, object] | None = None
    vias: list[str] = []
    in_via = False

    def flush() -> None:
        if current is not None:
            pins.append(Pin(**current, via=tuple(vias)))  # type: ignore[arg-type]

    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    for raw in text.splitlines():
        stripped = raw.strip()
        if stripped.startswith("#"):
            comment = stripped.lstrip("#").strip()
            if comment.startswith("via"):
                rest = comment[3:].strip()
                in_via = not rest
                if rest:
                    vias.append(rest)
            elif in_via and comment:
                vias.append(comment)
            continue
        in_via = False
        if not stripped or stripped.startswith("-"):
            continue
        match = re.match(
            r"([A-Za-z0-9._-]+)==(\S+)\s*(?:;\s*(.*?))?\s*((?:--hash=sha256:\S+\s*)+)$", stripped
        )
        if not match:
            sys.exit(f"dist: cannot read this line of {path.name}: {stripped}")
        flush()
        vias = []
        name, version, marker, hashes = match.groups()
        current = {
            "name": name,
            "version": version,
            "marker": marker or "",
            "hashes": tuple(re.findall(r"sha256:(\w+)", hashes)),
        }
    flush()
    return pins


def trainer_pins(pins: list[Pin] | None = None) -> list[Pin]:
    """The pins of requirements.txt that building the book needs: every direct
    requirement but :data:`TEST_TOOLS`, and what they need (from the ``# via`` notes)."""
    pins = read_pins() if pins is None else pins
    needed = {
        canonicalize_name(p.name)
        for p in pins
        if any(v.startswith("-r ") for v in p.via) and canonicalize_name(p.name) not in TEST_TOOLS
    }
    changed = True
    while changed:
        changed = False
        for pin in pins:
            name = canonicalize_name(pin.name)
            if name not in needed and any(canonicalize_name(v) in needed for v in pin.via):
                needed.add(name)
                changed = True
    return [p for p in pins if canonicalize_name(p.name) in needed]


def python_points(pins: list[Pin], minor: str) -> list[str]:
    """Full versions of CPython ``minor`` that cover every ``python_full_version`` range
    the markers name (X.Y.0, each named version and the next patch release)."""
    named = {
        m for p in pins for m in re.findall(r"python_full_version\s*\W+\s*'([\d.]+)'", p.marker)
    }
    points = {f"{minor}.0"}
    for version in named:
        if version.startswith(minor + "."):
            major, mid, patch = (version.split(".") + ["0"])[:3]
            points |= {f"{major}.{mid}.{patch}", f"{major}.{mid}.{int(patch) + 1}"}
    return sorted(points, key=lambda v: tuple(map(int, v.split("."))))


def targets(pins: list[Pin], platform: Platform) -> list[tuple[str, tuple[Pin, ...]]]:
    """The distinct sets of pins CPython 3.11-3.13 installs on ``platform``, each with a
    full Python version (for pip's Requires-Python checks) that installs it."""
    sets: dict[tuple[str, tuple[Pin, ...]], str] = {}
    for minor in PYTHONS:
        for point in python_points(pins, minor):
            chosen = tuple(p for p in pins if p.applies(platform, point))
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


def build_wheelhouse(
    platforms: list[str] | None = None,
    pins: list[Pin] | None = None,
    wheelhouse: Path = WHEELHOUSE,
) -> list[Path]:
    """Download (or keep) a hash-checked wheel of every pin (default: the trainer's set,
    a superset of the participants') for every platform and Python; remove wheels no
    pin lists. Returns the wheels."""
    pins = trainer_pins() if pins is None else pins
    platforms = list(PLATFORMS) if platforms is None else platforms
    wheelhouse.mkdir(parents=True, exist_ok=True)
    for name in platforms:
        platform = PLATFORMS[name]
        stamp = wheelhouse / f".complete-{name}"
        key = hashlib.sha256(repr((pins, PYTHONS, platform.tags)).encode()).hexdigest()
        if stamp.is_file() and stamp.read_text() == key:
            continue
        stamp.unlink(missing_ok=True)
        tags = [arg for tag in platform.tags for arg in ("--platform", tag)]
        for version, chosen in targets(pins, platform):
            print(f"dist: wheels for CPython {version} ({platform.label}), {len(chosen)} pins")
            with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
                handle.write("\n".join(p.line() for p in chosen) + "\n")
            try:
                result = subprocess.run(
                    _pip(
                        "download",
                        "--quiet",
                        "--no-deps",
                        "--only-binary=:all:",
                        *tags,
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
                    f"dist: pip download failed for CPython {version} ({platform.label}).\n"
                    f"{result.stderr[-3000:]}"
                    + (
                        f"\n{', '.join(missing)} has no wheel for {platform.label} and CPython"
                        f" {version}: the bundle cannot install it offline."
                        " Pin a version with wheels (make pins)."
                        if missing
                        else ""
                    )
                )
        stamp.write_text(key)  # this platform complete: the next run asks no index
    allowed = {h for p in pins for h in p.hashes}
    wheels = []
    for path in sorted(wheelhouse.glob("*.whl")):
        if _sha256(path) not in allowed:
            print(f"dist: removing {path.name} (no longer pinned)")
            path.unlink()
        elif any(wheel_fits(path.name, PLATFORMS[name]) for name in platforms):
            wheels.append(path)
    return wheels


def supported_tags(platform: Platform, minor: str) -> list[Tag]:
    """The wheel tags CPython ``minor`` accepts on ``platform``."""
    version = tuple(int(x) for x in minor.split("."))
    tags = platform.pip_tags()
    return [*cpython_tags(version, platforms=tags), *compatible_tags(version, platforms=tags)]


def wheel_fits(filename: str, platform: Platform, minors: tuple[str, ...] = PYTHONS) -> bool:
    """Whether a wheel installs on ``platform`` with one of the Pythons ``minors``."""
    _, _, _, tags = parse_wheel_filename(filename)
    return any(set(tags) & set(supported_tags(platform, minor)) for minor in minors)


def select(wheels: list[Path], pins: list[Pin]) -> list[Path]:
    """The wheels whose sha256 is one of ``pins``' hashes."""
    allowed = {h for p in pins for h in p.hashes}
    return [w for w in wheels if _sha256(w) in allowed]


# --- the index check (no download) --------------------------------------------


def index_files(name: str, index: str = INDEX) -> list[dict[str, object]]:
    """The files the index lists for a project (PEP 691 JSON)."""
    request = urllib.request.Request(
        f"{index}/{canonicalize_name(name)}/",
        headers={"Accept": "application/vnd.pypi.simple.v1+json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)["files"]


def missing_wheels(
    pins: list[Pin], platforms: list[str] | None = None, index: str = INDEX
) -> list[str]:
    """Every (pin, platform, Python) for which the index has no wheel that pip may pick:
    one of the pin's hashes, tags this Python accepts there, Requires-Python met."""
    from packaging.specifiers import SpecifierSet

    platforms = list(PLATFORMS) if platforms is None else platforms
    names = sorted({p.name for p in pins})
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        listing = dict(zip(names, pool.map(lambda n: index_files(n, index), names), strict=True))
    missing = []
    for name in platforms:
        platform = PLATFORMS[name]
        for minor in PYTHONS:
            accepted = set(supported_tags(platform, minor))
            for point in python_points(pins, minor):
                for pin in pins:
                    if not pin.applies(platform, point):
                        continue
                    ok = False
                    for entry in listing[pin.name]:
                        filename = str(entry["filename"])
                        digest = dict(entry.get("hashes") or {}).get("sha256")
                        if not filename.endswith(".whl") or digest not in pin.hashes:
                            continue
                        requires = entry.get("requires-python")
                        if requires and point not in SpecifierSet(str(requires)):
                            continue
                        if set(parse_wheel_filename(filename)[3]) & accepted:
                            ok = True
                            break
                    if not ok:
                        missing.append(f"{pin.name}=={pin.version} ({platform.label}, {point})")
    return sorted(set(missing))


# --- checks before a bundle is made -------------------------------------------


def uncommitted(root: Path = ROOT) -> list[str]:
    """Files with uncommitted changes, untracked ones included (``git status``)."""
    out = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line[3:] for line in out.splitlines() if line.strip()]


def stale_handouts(site: Path, handouts: Path) -> list[str]:
    """Handout files older than the site (written before its newest page)."""
    if not handouts.is_dir():
        return []
    site_time = max(p.stat().st_mtime for p in site.rglob("*.html"))
    return sorted(
        p.relative_to(handouts).as_posix()
        for p in handouts.rglob("*")
        if p.is_file() and p.stat().st_mtime < site_time
    )


def preflight(root: Path, site: Path, handouts: Path) -> list[str]:
    """What makes the bundles disagree with themselves, each line naming its files."""
    problems = []
    if dirty := uncommitted(root):
        problems.append(
            "uncommitted changes (the project copy is HEAD, the site and handouts are"
            " built from the working tree): " + ", ".join(dirty)
        )
    if not handouts.is_dir():
        problems.append(f"no handouts in {handouts}: run make handouts")
    elif stale := stale_handouts(site, handouts):
        problems.append("handouts older than the site (run make handouts): " + ", ".join(stale))
    return problems


def is_answer_key(relative: str) -> bool:
    """Whether a handouts file is trainer-only: the answer key or the trainer's copy
    of a slide deck (``trainer-slides/``), in any edition."""
    path = Path(relative)
    return "answer-key" in path.name or "trainer-slides" in path.parts


# --- the bundles ----------------------------------------------------------------


def describe(root: Path = ROOT) -> str:
    """``git describe`` of the checkout (``-dirty`` when it has uncommitted changes)."""
    return subprocess.run(
        ["git", "describe", "--always", "--dirty", "--tags"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def _mb(n: float) -> str:
    return f"{n / 1e6:,.0f} MB"


def platform_sizes(wheels: list[Path], platforms: list[str]) -> dict[str, int]:
    """Bytes of the wheels each platform may install (shared pure-Python wheels in each)."""
    return {
        name: sum(w.stat().st_size for w in wheels if wheel_fits(w.name, PLATFORMS[name]))
        for name in platforms
    }


def requirements_text(pins: list[Pin], title: str) -> str:
    """A requirements file of ``pins`` with markers and hashes."""
    return f"# {title}\n" + "\n".join(p.full_line() for p in pins) + "\n"


@dataclass
class Bundle:
    """What goes into one archive."""

    kind: str  # "participants" or "trainer"
    pins: list[Pin]
    wheels: list[Path]
    handouts: list[tuple[Path, str]]
    warnings: list[str]


def room_readme(bundle: Bundle, name: str, platforms: list[str], site_bytes: int) -> str:
    """README-ROOM.md: what the bundle holds and the install steps for each system."""
    from room_readme import readme

    sizes = platform_sizes(bundle.wheels, platforms)
    return readme(
        name=name,
        trainer=bundle.kind == "trainer",
        platforms=[(PLATFORMS[p].label, sizes[p]) for p in platforms],
        wheels=len(bundle.wheels),
        wheel_bytes=sum(w.stat().st_size for w in bundle.wheels),
        site_bytes=site_bytes,
        handouts=bool(bundle.handouts),
        warnings=bundle.warnings,
    )


def _project_files(root: Path, trainer: bool) -> list[tuple[str, bytes, int]]:
    """HEAD's files (path, bytes, mode), without ``trainer/`` unless ``trainer``."""
    listing = subprocess.run(
        ["git", "ls-tree", "-r", "-z", "HEAD"], cwd=root, capture_output=True, check=True
    ).stdout.decode("utf-8")
    files = []
    for entry in filter(None, listing.split("\0")):
        meta, path = entry.split("\t", 1)
        mode, kind, sha = meta.split()
        if kind != "blob" or (not trainer and (path == "trainer" or path.startswith("trainer/"))):
            continue
        data = subprocess.run(
            ["git", "cat-file", "blob", sha], cwd=root, capture_output=True, check=True
        ).stdout
        files.append((path, data, 0o755 if mode == "100755" else 0o644))
    return files


def write_bundle(
    bundle: Bundle,
    target: Path,
    site: Path,
    platforms: list[str],
    root: Path = ROOT,
) -> Path:
    """Write one zip archive (``<name>/`` at its top), atomically."""
    name = target.stem
    site_bytes = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    readme = room_readme(bundle, name, platforms, site_bytes)
    partial = target.with_suffix(".partial")
    deflate = zipfile.ZIP_DEFLATED

    def text(archive: zipfile.ZipFile, arcname: str, data: bytes, mode: int = 0o644) -> None:
        info = zipfile.ZipInfo(f"{name}/{arcname}", time.localtime()[:6])
        info.external_attr = (0o100000 | mode) << 16
        info.compress_type = deflate
        archive.writestr(info, data)

    with zipfile.ZipFile(partial, "w", compresslevel=6) as archive:
        text(archive, "README-ROOM.md", readme.encode("utf-8"))
        text(archive, "install.py", INSTALLER.read_bytes())
        if bundle.kind == "trainer":
            text(
                archive,
                "requirements-trainer.txt",
                requirements_text(
                    bundle.pins,
                    "Every pin of requirements.txt but the test tooling (tools/dist.py)",
                ).encode(),
            )
        for path, data, mode in _project_files(root, bundle.kind == "trainer"):
            text(archive, f"project/{path}", data, mode)
        for path in sorted(site.rglob("*")):
            if path.is_file():
                archive.write(path, f"{name}/site/{path.relative_to(site).as_posix()}", deflate)
        for path, relative in bundle.handouts:
            archive.write(path, f"{name}/handouts/{relative}", deflate)
        for wheel in bundle.wheels:  # compressed already
            archive.write(wheel, f"{name}/wheelhouse/{wheel.name}", zipfile.ZIP_STORED)
    partial.replace(target)
    return target


def make_dist(
    platforms: list[str] | None = None,
    allow_dirty: bool = False,
    handouts_dir: Path | None = None,
    out: Path = DIST,
    root: Path = ROOT,
) -> dict[str, Path]:
    """Check the tree, then write both bundles; returns their paths by kind."""
    started = time.perf_counter()
    platforms = list(PLATFORMS) if platforms is None else platforms
    if unknown := [p for p in platforms if p not in PLATFORMS]:
        sys.exit(f"dist: unknown platform {', '.join(unknown)}; known: {', '.join(PLATFORMS)}")
    site = (root / "_build" / "html").resolve()
    if not (site / "en" / "index.html").is_file() or not (site / "vi" / "index.html").is_file():
        sys.exit("dist: no built site in _build/html: run make book")
    handouts = (handouts_dir or root / "_build" / "handouts").resolve()
    problems = preflight(root, site, handouts)
    if problems and not allow_dirty:
        sys.exit(
            "dist: refusing to make the bundles:\n"
            + "\n".join(f"  - {p}" for p in problems)
            + "\n  Commit (or stash) and rebuild, or pass ALLOW_DIRTY=1 (make) /"
            " --allow-dirty to make them anyway, with this warning inside."
        )
    for problem in problems:
        print(f"\n!!! WARNING: {problem}\n", file=sys.stderr, flush=True)
    full = trainer_pins()
    room = read_pins(ROOM_REQUIREMENTS)
    wheels = build_wheelhouse(platforms, full)
    handout_files = (
        [
            (p, p.relative_to(handouts).as_posix())
            for p in sorted(handouts.rglob("*"))
            if p.is_file()
        ]
        if handouts.is_dir()
        else []
    )
    version = describe(root)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for kind, pins, files in (
        ("participants", room, [h for h in handout_files if not is_answer_key(h[1])]),
        ("trainer", full, handout_files),
    ):
        bundle = Bundle(kind, pins, select(wheels, pins), files, problems)
        target = out / f"ictstory-{kind}-{version}.zip"
        print(f"dist: writing {target}", flush=True)
        write_bundle(bundle, target, site, platforms, root)
        for old in out.glob(f"ictstory-{kind}-*.zip"):
            if old != target:
                old.unlink()
        sizes = platform_sizes(bundle.wheels, platforms)
        print(
            f"dist: {target.name}: {_mb(target.stat().st_size)}; {len(bundle.wheels)} wheels;"
            " per platform: "
            + ", ".join(f"{PLATFORMS[p].label} {_mb(s)}" for p, s in sizes.items())
        )
        written[kind] = target
    print(f"dist: done in {time.perf_counter() - started:.0f} s")
    return written


# --- the room, simulated here ---------------------------------------------------


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
    bundle: Path
    seconds: dict[str, float]

    @property
    def project(self) -> Path:
        return self.bundle / "project"


def offline_room(
    archive: Path, workdir: Path, python: str, after: str = "", trainer: bool = False
) -> RoomRun:
    """Unpack ``archive`` into ``workdir`` and, in a network namespace with no way out,
    run ``python install.py`` as README-ROOM.md says, then the shell lines ``after``
    (in ``project/``, ``$VENV_PYTHON`` set).

    The environment holds no pip settings of this machine (PIP_CONFIG_FILE=/dev/null,
    no PIP_* variables, a new HOME), so the wheelhouse is the only source."""
    prefix = no_network_prefix()
    if prefix is None:
        raise RuntimeError("cannot make a network namespace here (unshare --net)")
    started = time.perf_counter()
    with zipfile.ZipFile(archive) as source:
        source.extractall(workdir)
    bundle = workdir / archive.stem
    seconds = {"unpack": time.perf_counter() - started}
    home = workdir / "home"
    home.mkdir(exist_ok=True)
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PIP_CONFIG_FILE": os.devnull,
        "VENV_PYTHON": str(bundle / "project" / ".venv" / "bin" / "python"),
    }
    steps = [
        "set -eu",
        "ip link set lo up",
        f"{python} -c {shlex.quote(NETWORK_PROBE)}",
        'echo "@@ install start $(date +%s.%N)"',
        f"{shlex.quote(python)} install.py{' --trainer' if trainer else ''}",
        'echo "@@ install end $(date +%s.%N)"',
    ]
    if after:
        steps += ["cd project", after, 'echo "@@ after end $(date +%s.%N)"']
    result = subprocess.run(
        [*prefix, "bash", "-c", "\n".join(steps)],
        cwd=bundle,
        env=env,
        capture_output=True,
        text=True,
    )
    marks = {m[0]: float(m[1]) for m in re.findall(r"^@@ (\w+ \w+) ([\d.]+)$", result.stdout, re.M)}
    if {"install start", "install end"} <= marks.keys():
        seconds["offline install"] = marks["install end"] - marks["install start"]
    if "after end" in marks:
        seconds["after"] = marks["after end"] - marks["install end"]
    return RoomRun(result.returncode, result.stdout + result.stderr, bundle, seconds)


def latest_archive(kind: str = "participants") -> Path | None:
    """The bundle of ``kind`` ``make dist`` left in _build/dist, if any."""
    archives = sorted(DIST.glob(f"ictstory-{kind}-*.zip"), key=lambda p: p.stat().st_mtime)
    return archives[-1] if archives else None


def main(argv: list[str] | None = None) -> None:
    """``python tools/dist.py [wheelhouse|check-index] [--platforms a,b] [--allow-dirty]``."""
    parser = argparse.ArgumentParser(prog="tools/dist.py")
    parser.add_argument(
        "command", nargs="?", default="bundles", choices=("bundles", "wheelhouse", "check-index")
    )
    parser.add_argument(
        "--platforms",
        default=os.environ.get("PLATFORMS", ""),
        help=f"comma-separated, default all: {', '.join(PLATFORMS)}",
    )
    parser.add_argument(
        "--allow-dirty",
        action="store_true",
        default=os.environ.get("ALLOW_DIRTY", "") not in ("", "0"),
    )
    args = parser.parse_args(argv)
    platforms = [p for p in args.platforms.replace(" ", ",").split(",") if p] or None
    if args.command == "wheelhouse":
        print(f"dist: {len(build_wheelhouse(platforms))} wheels in {WHEELHOUSE}")
    elif args.command == "check-index":
        missing = missing_wheels(trainer_pins(), platforms)
        print("\n".join(missing) or "dist: every pin has a wheel for every platform and Python")
        sys.exit(1 if missing else 0)
    else:
        from ictstory.sitelock import (
            site_lock,  # one job at a time on _build/ (book, handouts)
        )

        with site_lock("make dist", ROOT):
            make_dist(platforms, args.allow_dirty)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
