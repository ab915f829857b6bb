"""The two workshop bundles (``make dist``, ``tools/dist.py``): what each holds, the
checks before they are made, wheels for every laptop, and an offline install.

Marked ``slow`` and run by ``make test``. The wheel check asks the package index for
each pinned package's file list (PEP 691 JSON; no wheel is downloaded) and checks
every pin against every platform and Python. The bundles are made for this machine's
platform only (Linux x86-64: 236 MB of wheels, about 5 minutes from a fresh clone,
kept in _build/dist/wheelhouse between runs; ``make dist`` fetches every platform). The install runs
``python install.py`` from the participants' bundle in a network namespace with
loopback only (``unshare --net``), then the data check and one chapter executed as a
notebook with the participants' venv. Measured on 2 cores shared with other builds,
wheelhouse kept: 6 minutes on a quiet machine, about 11 under load (index check
10-40 s, both bundles 6-25 s, offline install with 3.11 60-210 s, then data check,
chapter and JupyterLab answering 20-90 s; install with 3.13 50-90 s; the trainer's
install and an offline build of the book 3 minutes)."""

from __future__ import annotations

import concurrent.futures
import hashlib
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name, parse_wheel_filename

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import dist  # noqa: E402
from test_trainer_only import _readable  # noqa: E402

from ictstory.trainers import trainer  # noqa: E402

pytestmark = pytest.mark.slow

#: Test tooling and what only it needs: in neither wheelhouse.
TESTING = {"pytest", "pytest-xdist", "execnet", "playwright", "ruff", "pluggy", "iniconfig", "pyee"}
HOST = "linux-x86_64"


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=True
    ).stdout


def test_every_laptop_of_the_room_is_a_platform() -> None:
    labels = {p.name for p in dist.PLATFORMS.values()}
    assert labels == {
        "windows-x86_64",
        "macos-arm64",
        "macos-x86_64",
        "linux-x86_64",
        "linux-aarch64",
    }
    assert dist.PYTHONS == ("3.11", "3.12", "3.13")


def test_the_participants_pins_are_requirements_txt_pins_without_tooling() -> None:
    full = {(canonicalize_name(p.name), p.version): p for p in dist.read_pins()}
    room = dist.read_pins(dist.ROOM_REQUIREMENTS)
    trainer = dist.trainer_pins()
    for pin in room:
        key = (canonicalize_name(pin.name), pin.version)
        assert key in full, f"{pin.name}=={pin.version} is not pinned in requirements.txt"
        assert set(pin.hashes) <= set(full[key].hashes), pin.name
    room_names = {canonicalize_name(p.name) for p in room}
    trainer_names = {canonicalize_name(p.name) for p in trainer}
    assert room_names <= trainer_names
    assert not (room_names | trainer_names) & TESTING
    # lean: JupyterLab and the chart stack, no book builder
    assert {"jupyterlab", "jupytext", "pandas", "altair", "vl-convert-python"} <= room_names
    assert not room_names & {"jupyter-book", "sphinx", "myst-nb", "sqlalchemy"}
    assert {"jupyter-book", "myst-nb"} <= trainer_names


def test_every_pin_has_a_wheel_for_every_platform_and_python() -> None:
    """Asked of the index: a wheel with one of the pin's hashes, tags that each
    platform's CPython 3.11-3.13 accepts, Requires-Python met (both sets: the trainer's
    holds the participants')."""
    started = time.perf_counter()
    assert dist.missing_wheels(dist.trainer_pins()) == []
    print(f"index check: {time.perf_counter() - started:.0f} s")


# --- refusals -----------------------------------------------------------------


@pytest.fixture()
def clone(tmp_path: Path, site_root: Path) -> Path:
    """A clean clone of HEAD with this site as its built site."""
    target = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(target)], check=True)
    (target / "_build").mkdir()
    (target / "_build" / "html").symlink_to(site_root.resolve())
    return target


def _handouts(root: Path, stamp: float | None = None) -> Path:
    """Handout files as ``make handouts`` lays them out (PDF stand-ins)."""
    handouts = root / "handouts"
    for edition in ("en", "vi"):
        for name in (
            "book.pdf",
            "chapters/03-postal.pdf",
            "answer-key.pdf",
            "trainer-slides/postal.html",
        ):
            path = handouts / edition / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"%PDF-1.7 " + f"{edition}/{name}".encode())
            if stamp is not None:
                os.utime(path, (stamp, stamp))
    return handouts


def test_a_dirty_tree_is_refused_naming_the_files(clone: Path, tmp_path: Path) -> None:
    (clone / "README.md").write_text("changed\n", encoding="utf-8")
    (clone / "data" / "new-table.csv").write_text("a\n1\n", encoding="utf-8")
    handouts = _handouts(tmp_path)
    with pytest.raises(SystemExit) as refused:
        dist.make_dist([HOST], handouts_dir=handouts, out=tmp_path / "out", root=clone)
    message = str(refused.value)
    assert "refusing" in message and "uncommitted" in message
    assert "README.md" in message and "data/new-table.csv" in message
    assert not (tmp_path / "out").exists()


def test_handouts_older_than_the_site_are_refused_naming_them(
    clone: Path, tmp_path: Path, site_root: Path
) -> None:
    newest = max(p.stat().st_mtime for p in site_root.resolve().rglob("*.html"))
    handouts = _handouts(tmp_path, stamp=newest - 3600)
    fresh = handouts / "vi" / "book.pdf"
    os.utime(fresh, (newest + 1, newest + 1))
    with pytest.raises(SystemExit) as refused:
        dist.make_dist([HOST], handouts_dir=handouts, out=tmp_path / "out", root=clone)
    message = str(refused.value)
    assert "handouts older than the site" in message
    assert "en/answer-key.pdf" in message and "vi/chapters/03-postal.pdf" in message
    assert "vi/book.pdf" not in message
    assert "uncommitted" not in message  # the clone itself is clean


# --- the bundles ----------------------------------------------------------------


@pytest.fixture(scope="module")
def bundles(site_root: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Both bundles for this machine's platform, from HEAD and the built site (with
    stand-in handouts; allow_dirty: the refusals are tested above)."""
    tmp = tmp_path_factory.mktemp("bundles")
    handouts = _handouts(tmp)
    started = time.perf_counter()
    made = dist.make_dist([HOST], allow_dirty=True, handouts_dir=handouts, out=tmp / "out")
    print(f"both bundles ({HOST}): {time.perf_counter() - started:.0f} s")
    return made


def _names(archive: Path) -> list[str]:
    with zipfile.ZipFile(archive) as source:
        return [n.split("/", 1)[1] for n in source.namelist() if "/" in n]


def _head_files() -> set[str]:
    return set(_git(ROOT, "ls-tree", "-r", "--name-only", "HEAD").splitlines())


def test_the_participants_bundle_has_no_trainer_material(
    bundles: dict[str, Path], site_root: Path
) -> None:
    names = _names(bundles["participants"])
    project = {n.removeprefix("project/") for n in names if n.startswith("project/")}
    head = _head_files()
    assert project == {f for f in head if not f.startswith("trainer/")}
    assert not any(n.startswith("project/trainer/") for n in names)
    assert not any("answer-key" in n or "trainer-slides" in n for n in names)
    assert {"handouts/en/book.pdf", "handouts/vi/chapters/03-postal.pdf"} <= set(names)
    assert {"README-ROOM.md", "install.py", "project/requirements-room.txt"} <= set(names)
    site = {
        p.relative_to(site_root.resolve()).as_posix()
        for p in site_root.resolve().rglob("*")
        if p.is_file()
    }
    assert {n.removeprefix("site/") for n in names if n.startswith("site/")} == site


def test_the_trainers_bundle_has_it_all(bundles: dict[str, Path]) -> None:
    names = set(_names(bundles["trainer"]))
    assert {"handouts/en/answer-key.pdf", "handouts/vi/answer-key.pdf"} <= names
    assert {"handouts/en/trainer-slides/postal.html"} <= names
    project = {n.removeprefix("project/") for n in names if n.startswith("project/")}
    assert project == _head_files()  # trainer/ included, whatever HEAD holds there
    assert participants_subset(bundles) <= names


def participants_subset(bundles: dict[str, Path]) -> set[str]:
    return {n for n in _names(bundles["participants"]) if not n.startswith("wheelhouse/")} - {
        "README-ROOM.md"
    }


@pytest.mark.parametrize("kind", ["participants", "trainer"])
def test_each_wheelhouse_is_hash_checked_and_has_no_test_tooling(
    bundles: dict[str, Path], kind: str
) -> None:
    pins = dist.read_pins(dist.ROOM_REQUIREMENTS) if kind == "participants" else dist.trainer_pins()
    allowed = {h for p in pins for h in p.hashes}
    names, unknown = set(), []
    with zipfile.ZipFile(bundles[kind]) as source:
        for member in source.namelist():
            if "/wheelhouse/" in member and member.endswith(".whl"):
                wheel = member.rsplit("/", 1)[1]
                names.add(canonicalize_name(parse_wheel_filename(wheel)[0]))
                if hashlib.sha256(source.read(member)).hexdigest() not in allowed:
                    unknown.append(wheel)
    assert unknown == []
    assert names and not names & TESTING
    pinned = {canonicalize_name(p.name) for p in pins if p.applies(dist.PLATFORMS[HOST], "3.11.0")}
    assert pinned <= names, sorted(pinned - names)


def test_the_room_readme_gives_the_steps_for_each_system_in_both_languages(
    bundles: dict[str, Path],
) -> None:
    with zipfile.ZipFile(bundles["participants"]) as source:
        text = source.read(f"{bundles['participants'].stem}/README-ROOM.md").decode()
    for words in (
        "**Windows**",
        "**macOS**",
        "**Linux**",
        "py -3.12 install.py",
        "python3 install.py lab",
        "## Tiếng Việt",
        "Cài đặt không cần mạng",
    ):
        assert words in text, words
    assert "answer key" in text and "--trainer" not in text


# --- a room with no network -----------------------------------------------------


def _venv_bytes(venv: Path) -> int:
    return sum(p.stat().st_size for p in venv.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.fixture(scope="module")
def trainer_room(
    bundles: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[concurrent.futures.Future[dist.RoomRun]]:
    """The trainer's offline install and book build (``install.py --trainer`` then
    ``python -m ictstory.build``, as the trainer's README-ROOM.md says), the longest
    step here: started in the background by the first room test, so that it runs
    beside the participants' installs (each in a network namespace of its own); the
    module waits for it at the end."""
    python = dist.python_for("3.11")
    if python is None:
        pytest.fail("no python3.11 here (PATH or pyenv)")
    room = tmp_path_factory.mktemp("trainer-room")
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        yield pool.submit(
            dist.offline_room, bundles["trainer"], room, python,
            after='"$VENV_PYTHON" -m ictstory.build', trainer=True,
        )  # fmt: skip


def test_a_laptop_with_no_network_installs_and_runs_a_chapter(
    bundles: dict[str, Path], tmp_path: Path, trainer_room: concurrent.futures.Future
) -> None:
    """``python install.py`` as README-ROOM.md says, then the data check and a chapter
    executed as a notebook, all with the participants' venv and no network (the
    trainer's room, :func:`trainer_room`, installs and builds beside it)."""
    python = dist.python_for("3.11")
    if python is None:
        pytest.fail("no python3.11 here (PATH or pyenv)")
    if dist.no_network_prefix() is None:
        pytest.fail("cannot cut the network here: `unshare --net` (root or user namespaces)")
    after = " && ".join(
        [
            '"$VENV_PYTHON" -m ictstory.data',
            '"$VENV_PYTHON" -m jupytext --to ipynb --execute --output'
            f" {tmp_path / 'postal.ipynb'} chapters/postal.md",
            '"$VENV_PYTHON" -c "import sphinx"  2>/dev/null && exit 9 || true',
        ]
    )
    # then `install.py lab` as README-ROOM.md says: JupyterLab answers on 127.0.0.1
    after += f"""
cd ..
{python} install.py lab --no-browser --port 8899 > {tmp_path / "lab.log"} 2>&1 &
LAB=$!  # JupyterLab itself (install.py lab replaces itself), not a subshell around it
for i in $(seq 240); do
  if curl -sf http://127.0.0.1:8899/api > /dev/null; then echo "@@ lab answered"; break; fi
  sleep 0.5
done
kill $LAB 2>/dev/null || true; wait $LAB 2>/dev/null || true
"""
    run = dist.offline_room(bundles["participants"], tmp_path, python, after=after)
    print(f"offline room, Python 3.11: {run.seconds}")
    assert run.returncode == 0, run.output[-5000:]
    assert "network probe: interfaces ['lo'], reached 0 outside hosts" in run.output
    assert "from wheelhouse/ only" in run.output and "Start JupyterLab with" in run.output
    venv = run.project / ".venv"
    print(f"participant venv: {_venv_bytes(venv) / 1e6:.0f} MB")
    assert "after" in run.seconds  # the data check and the chapter ran
    assert "@@ lab answered" in run.output, (tmp_path / "lab.log").read_text()[-3000:]


def test_the_trainers_wheelhouse_resolves_offline(bundles: dict[str, Path], tmp_path: Path) -> None:
    """Every pin of requirements-trainer.txt that applies here resolves from the
    trainer's wheelhouse alone, hash-checked (pip --dry-run: nothing installed)."""
    with zipfile.ZipFile(bundles["trainer"]) as source:
        source.extractall(tmp_path)
    bundle = tmp_path / bundles["trainer"].stem
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--isolated", "install", "--dry-run", "--ignore-installed",
         "--no-index", "--find-links", str(bundle / "wheelhouse"), "--only-binary=:all:",
         "--require-hashes", "-r", str(bundle / "requirements-trainer.txt")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    would = result.stdout.split("Would install", 1)[1]
    assert "jupyter-book" in would and "pytest" not in would


def test_the_newest_python_installs_offline_too(bundles: dict[str, Path], tmp_path: Path) -> None:
    """install.py with 3.13 (its own ensurepip pip); 3.12, between them, only by the
    wheel check above: each install takes minutes."""
    python = dist.python_for(dist.PYTHONS[-1])
    if python is None:
        pytest.fail(f"no python{dist.PYTHONS[-1]} here (PATH or pyenv)")
    run = dist.offline_room(
        bundles["participants"], tmp_path, python, after='"$VENV_PYTHON" -m ictstory.data'
    )
    print(f"offline room, Python {dist.PYTHONS[-1]}: {run.seconds}")
    assert run.returncode == 0, run.output[-5000:]
    assert "network probe: interfaces ['lo'], reached 0 outside hosts" in run.output
    assert (run.project / ".venv" / "bin" / f"python{dist.PYTHONS[-1]}").exists()


def test_the_trainers_bundle_installs_and_builds_the_book_offline(
    trainer_room: concurrent.futures.Future, site_root: Path
) -> None:
    """``install.py --trainer`` then ``python -m ictstory.build``, as the trainer's
    README-ROOM.md says, with no network (:func:`trainer_room`): the same pages as the
    built site."""
    run = trainer_room.result(timeout=1800)
    print(f"offline trainer, Python 3.11: {run.seconds}")
    assert run.returncode == 0, run.output[-5000:]
    assert "network probe: interfaces ['lo'], reached 0 outside hosts" in run.output
    built = run.project / "_build" / "html"
    for edition in ("en", "vi"):
        pages = {p.relative_to(site_root / edition).as_posix()
                 for p in (site_root / edition).rglob("*.html")}  # fmt: skip
        offline = {p.relative_to(built / edition).as_posix()
                   for p in (built / edition).rglob("*.html")}  # fmt: skip
        assert offline == pages, edition


def test_no_file_of_the_participants_bundle_holds_a_note_or_a_solution(
    bundles: dict[str, Path],
) -> None:
    """Every text file of the participants' bundle (site, project, READMEs), read as
    text, holds none of the trainer's notes or solutions (:func:`trainer.leaks`)."""
    snippets = trainer.secret_snippets(ROOT)
    assert snippets, "no trainer material found to look for"
    text_files = 0
    found: dict[str, list[str]] = {}
    with zipfile.ZipFile(bundles["participants"]) as source:
        for info in source.infolist():
            if info.is_dir() or "/wheelhouse/" in info.filename:
                continue
            data = source.read(info)
            if b"\0" in data[:4096]:
                continue  # binary: images, fonts (the stand-in PDFs here are text)
            text_files += 1
            if hits := trainer.leaks(_readable(info.filename, data), snippets=snippets):
                found[info.filename] = hits[:2]
    assert text_files > 100
    assert not found, found
