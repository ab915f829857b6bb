"""A full disk or another I/O error during the build or while publishing ends with the
usual "Nothing was published; the previous site is kept" line, never a traceback,
and ``_build/html`` still shows the previous site.

The build runs in-process on a tiny fake checkout: jupyter-book is replaced by a
function that writes a one-page edition, and the fault (ENOSPC, EIO) is injected
at one step at a time: emptying the staging folder, jupyter-book itself,
writing the site's root page, and the link swap that publishes.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from ictstory import sitelock
from ictstory.build import book as build
from ictstory.i18n import LANGUAGES
from ictstory.site import bilingual
from ictstory.trainers import slides

KEPT = (
    "Nothing was published; the previous site is kept "
    "(_build/html still holds the previous site, old-1)."
)


def disk_full(path: object) -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """A checkout whose published site is ``old-1``, with a fake jupyter-book."""
    old = tmp_path / "_build" / "sites" / "old-1"
    for language in LANGUAGES:
        (old / language).mkdir(parents=True)
        (old / language / "index.html").write_text(f"old {language}", encoding="utf-8")
    (old / "index.html").write_text("old root", encoding="utf-8")
    (tmp_path / "_build" / "html").symlink_to("sites/old-1")
    monkeypatch.setenv("ICTSTORY_ROOT", str(tmp_path))
    monkeypatch.setattr(build, "find_problems", lambda descriptor: [])
    monkeypatch.setattr(build, "inputs_fingerprint", lambda root: "new")
    monkeypatch.setattr(build, "prepare_cache", lambda root, language="en": None)
    seen: dict[str, object] = {"root": tmp_path, "decks under lock": []}

    def fake_jupyter_book(root: Path, strict: bool = True, language: str = "en") -> int:
        html = build.staged_html(root, language)
        html.mkdir(parents=True, exist_ok=True)
        (html / "index.html").write_text(f"new {language}", encoding="utf-8")
        return 0

    def fake_decks(site: Path, languages: tuple[str, ...]) -> list[Path]:
        seen["decks under lock"].append(sitelock.is_held(tmp_path))  # type: ignore[union-attr]
        return []

    monkeypatch.setattr(build, "run_jupyter_book", fake_jupyter_book)
    monkeypatch.setattr(slides, "write_decks", fake_decks)
    return seen


def published(root: Path) -> str:
    return os.path.realpath(root / "_build" / "html")


def sites(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "_build" / "sites").iterdir())


def test_the_fake_build_publishes_and_writes_the_decks_under_the_lock(
    checkout: dict, capsys: pytest.CaptureFixture[str]
) -> None:
    root: Path = checkout["root"]
    assert build.main([]) == 0, capsys.readouterr()
    assert (root / "_build" / "html" / "en" / "index.html").read_text() == "new en"
    assert sites(root) == [Path(published(root)).name] and sites(root)[0].startswith("new-")
    assert checkout["decks under lock"] == [True]


def _fail_clear_stage(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    def clear(root: Path, language: str = "en") -> None:
        raise disk_full(build.stage_dir(root, language) / "_build" / "html" / "search.js")

    monkeypatch.setattr(build, "clear_stage", clear)


def _fail_root_page(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    def write(site: Path) -> Path:
        raise disk_full(site / "index.html")

    monkeypatch.setattr(bilingual, "write_root_page", write)


def _fail_swap(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    real = Path.symlink_to

    def symlink_to(self: Path, target: object, *args: object) -> None:
        if self.name == "html.next":
            raise disk_full(self)
        real(self, target, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "symlink_to", symlink_to)


def _fail_rename(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    real = Path.rename

    def rename(self: Path, target: object) -> Path:
        if Path(str(target)).name == "vi":  # the second edition's move into the new site
            raise disk_full(target)
        return real(self, target)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "rename", rename)


FAULTS = {
    "emptying the staging folder": _fail_clear_stage,
    "moving an edition into the new site": _fail_rename,
    "writing the root page": _fail_root_page,
    "the link swap": _fail_swap,
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_disk_full_keeps_the_previous_site_without_a_traceback(
    checkout: dict,
    fault: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root: Path = checkout["root"]
    FAULTS[fault](monkeypatch, root)
    before = published(root)
    assert build.main([]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    last = err.strip().splitlines()[-1]
    assert last.startswith("!!! The disk is full (_build/"), last
    assert last.endswith(KEPT), last
    assert "make book" in last
    assert published(root) == before
    assert (root / "_build" / "html" / "en" / "index.html").read_text() == "old en"
    assert sites(root) == ["old-1"], "the unfinished new site is left behind"
    assert not (root / "_build" / "html.next").exists()


def test_another_io_error_is_named(
    checkout: dict, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root: Path = checkout["root"]

    def write(site: Path) -> Path:
        raise OSError(errno.EIO, os.strerror(errno.EIO), str(site / "index.html"))

    monkeypatch.setattr(bilingual, "write_root_page", write)
    assert build.main([]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    last = err.strip().splitlines()[-1]
    assert "Could not read or write a file (_build/sites/new-" in last
    assert "Input/output error" in last and last.endswith(KEPT)
    assert sites(root) == ["old-1"]


def test_disk_full_inside_jupyter_book_says_so(
    checkout: dict, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root: Path = checkout["root"]

    def full(root: Path, strict: bool = True, language: str = "en") -> int:
        build.log_path(root).parent.mkdir(parents=True, exist_ok=True)
        build.log_path(root).write_text(
            "writing output... [ 50%] chapters/telecom\n"
            "OSError: [Errno 28] No space left on device: 'chapters/telecom.html'\n",
            encoding="utf-8",
        )
        return 2

    monkeypatch.setattr(build, "run_jupyter_book", full)
    assert build.main([]) == 2
    err = capsys.readouterr().err
    assert "The disk is full: free some space" in err
    assert err.strip().splitlines()[-1].endswith(KEPT)
    assert sites(root) == ["old-1"]
