"""The workshop bundle (``make dist``, ``tools/dist.py``): what the archive holds, and
a room with no network installing from it and building the book.

Slow, marked ``slow`` and run by ``make test``: an install of every pin with Python
3.11 and a whole build, and an install with 3.13. Measured on 2 cores shared with
other builds (load average about 20): archive 14 s, 3.11 install 132 s and build
374 s, 3.13 install 188 s. The wheelhouse is kept in ``_build/dist/wheelhouse``
between runs; the first run downloads it (about 300 MB). The network is cut with
``unshare --net``: a new network namespace whose only interface is loopback."""

from __future__ import annotations

import hashlib
import sys
import tarfile
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.tags import Tag
from packaging.utils import canonicalize_name, parse_wheel_filename

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import dist  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def archive(site_root: Path) -> Path:
    """The archive ``make dist`` writes, made afresh from HEAD and the built site."""
    path = dist.make_dist()
    assert path.is_file() and path.name.startswith("ictstory-workshop-")
    return path


@pytest.fixture(scope="module")
def members(archive: Path) -> dict[str, tarfile.TarInfo]:
    with tarfile.open(archive) as tar:
        return {m.name.split("/", 1)[1]: m for m in tar.getmembers() if "/" in m.name}


def test_the_archive_holds_site_project_wheelhouse_and_room_readme(
    archive: Path, members: dict[str, tarfile.TarInfo], site_root: Path
) -> None:
    for name in ("README-ROOM.md", "project/Makefile", "project/requirements.txt"):
        assert name in members, name
    assert "project/data/datapackage.json" in members
    assert not any(n.startswith("project/.venv") or "/_build/" in n for n in members)
    site = {
        p.relative_to(site_root.resolve()).as_posix()
        for p in site_root.resolve().rglob("*")
        if p.is_file()
    }
    assert {n.removeprefix("site/") for n in members if n.startswith("site/")} == site
    with tarfile.open(archive) as tar:
        readme = tar.extractfile(next(m for m in tar if m.name.endswith("/README-ROOM.md")))
        text = readme.read().decode("utf-8")  # type: ignore[union-attr]
    handouts = (ROOT / "_build" / "handouts").is_dir()
    assert any(n.startswith("handouts/") for n in members) == handouts
    assert ("No `handouts/` in this bundle" in text) != handouts
    assert "make setup WHEELHOUSE=../wheelhouse" in text


@pytest.mark.parametrize("minor", dist.PYTHONS)
def test_the_wheelhouse_has_a_hash_checked_wheel_of_every_pin(
    members: dict[str, tarfile.TarInfo], minor: str
) -> None:
    """For each Python, every pin that applies on Linux x86-64 has a wheel of its exact
    version that this Python can install."""
    wheels = [n.removeprefix("wheelhouse/") for n in members if n.startswith("wheelhouse/")]
    cp = f"cp{minor.replace('.', '')}"
    usable = {}
    for wheel in wheels:
        name, version, _, tags = parse_wheel_filename(wheel)
        if any(_installs(tag, cp) for tag in tags):
            usable.setdefault((name, str(version)), []).append(wheel)
    pins = dist.read_pins()
    missing = []
    for patch in ("0", "99"):
        env = {**dist.LINUX, "python_version": minor, "python_full_version": f"{minor}.{patch}"}
        for pin in pins:
            if not pin.marker or Marker(pin.marker).evaluate(env):
                if (canonicalize_name(pin.name), pin.version) not in usable:
                    missing.append(f"{pin.name}=={pin.version} ({minor}.{patch})")
    assert missing == []


def test_every_wheel_in_the_archive_is_one_requirements_txt_hashes(archive: Path) -> None:
    allowed = {h for p in dist.read_pins() for h in p.hashes}
    unknown = []
    with tarfile.open(archive) as tar:
        for member in tar:
            if "/wheelhouse/" in member.name:
                data = tar.extractfile(member).read()  # type: ignore[union-attr]
                if hashlib.sha256(data).hexdigest() not in allowed:
                    unknown.append(member.name)
    assert unknown == []


def _installs(tag: Tag, cp: str) -> bool:
    """Whether CPython ``cp`` on Linux x86-64 (the newest glibc of dist.PLATFORMS)
    installs a wheel of this tag."""
    newest = max(g for p in dist.PLATFORMS if (g := dist.platform_glibc(p)))
    glibc = dist.platform_glibc(tag.platform)
    platform_ok = tag.platform == "any" or (glibc is not None and glibc <= newest)
    if tag.abi == "abi3":  # the stable ABI of this CPython or an older one
        return (
            platform_ok
            and tag.interpreter.startswith("cp3")
            and (int(tag.interpreter[3:]) <= int(cp[3:]))
        )
    return platform_ok and tag.abi in {"none", cp} and tag.interpreter in {cp, "py3"}


def _room(archive: Path, tmp_path: Path, minor: str, book: bool) -> dist.RoomRun:
    python = dist.python_for(minor)
    if python is None:
        pytest.skip(f"no python{minor} on this machine (PATH or pyenv)")
    if dist.no_network_prefix() is None:
        pytest.fail("cannot cut the network here: `unshare --net` (root or user namespaces)")
    run = dist.offline_room(archive, tmp_path, python, book=book)
    print(f"offline room, Python {minor}: {run.seconds}")
    assert run.returncode == 0, run.output[-5000:]
    # The namespace had loopback only: no outside host answered a lookup or a connection.
    assert "network probe: interfaces ['lo'], reached 0 outside hosts" in run.output
    assert "from ../wheelhouse only" in run.output
    return run


def test_a_room_with_no_network_installs_and_builds_the_book(
    archive: Path, tmp_path: Path, site_root: Path
) -> None:
    run = _room(archive, tmp_path, "3.11", book=True)
    built = run.project / "_build" / "html"
    for edition in ("en", "vi"):
        pages = {
            p.relative_to(site_root / edition).as_posix()
            for p in (site_root / edition).rglob("*.html")
        }
        offline = {
            p.relative_to(built / edition).as_posix() for p in (built / edition).rglob("*.html")
        }
        assert offline == pages, edition
    assert "build succeeded" in run.output


def test_the_wheelhouse_installs_offline_on_the_newest_python(
    archive: Path, tmp_path: Path
) -> None:
    """3.13 installs too (3.12, between them, only by the wheel check above: each
    install takes minutes)."""
    minor = dist.PYTHONS[-1]
    run = _room(archive, tmp_path, minor, book=False)
    assert (run.project / ".venv" / "bin" / f"python{minor}").exists()
