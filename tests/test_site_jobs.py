"""Jobs that share the built site, run at once, give what they give one after the other.

A small copy of the project (the index, the postal chapter and the glossary; a
lenient build, since links to the chapters left out cannot resolve) is built
once, cleanly. On it:

* ``make handouts`` (English only) run alone gives the reference manifest;
* while ``make handouts`` prints, a build publishing a new site (the issue's
  case: the printer lost its stylesheet) and a second ``make handouts`` start:
  both wait, saying for whom; each handouts run prints the reference's pages,
  and the published folder holds every file of its manifest with the listed
  number of pages, and nothing else;
* a build whose main process alone is killed (``SIGKILL``, not its group) leaves
  no jupyter-book running, and the next build equals the clean one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CHROMIUM, build_env, copy_project, site_files

from ictstory import sitelock
from ictstory.trainers.handouts import page_count

pytestmark = pytest.mark.slow

TOC = """format: jb-book
root: index
parts:
  - caption: The story
    chapters:
      - file: chapters/postal
  - caption: Appendices
    chapters:
      - file: chapters/glossary
"""

#: A stand-in for ``make book`` that publishes a new site the way the build does
#: (the same pages, staged and moved in; the old site folder deleted).
BOOK = """
import shutil, sys
from ictstory.build import book as build
from ictstory.i18n import LANGUAGES
from ictstory.paths import project_root
root = project_root()
with build.build_lock(root):
    print("book: locked", flush=True)
    current = build.published_site(root)
    for language in LANGUAGES:
        staged = build.staged_html(root, language)
        shutil.rmtree(staged, ignore_errors=True)
        shutil.copytree(current / language, staged, symlinks=True)
    build.publish(root, "republished")
print("book: published", flush=True)
"""


KEEP = {"postal.md", "glossary.md"}


def small_copy(target: Path) -> Path:
    """The project with two chapters (Sphinx reads every page it finds, listed or not)."""
    project = copy_project(target)
    for toc in (project / "_toc.yml", project / "vi" / "_toc.yml"):
        toc.write_text(TOC, encoding="utf-8")
    for folder in (project / "chapters", project / "vi" / "chapters"):
        for page in folder.glob("*.md"):
            if page.name not in KEEP:
                page.unlink()
    return project


def env(project: Path) -> dict[str, str]:
    return build_env(project, PYTHONUNBUFFERED="1", CHROMIUM=CHROMIUM)


def start(project: Path, *command: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, *command],
        cwd=project,
        env=env(project),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def handouts(project: Path) -> subprocess.Popen[str]:
    return start(project, "-m", "ictstory.trainers.handouts", "--lang", "en")


def wait_line(process: subprocess.Popen[str], pattern: str, seen: list[str]) -> None:
    """Read the process's output into ``seen`` until a line matches ``pattern``."""
    assert process.stdout is not None
    for line in process.stdout:
        seen.append(line)
        if re.search(pattern, line):
            return
    pytest.fail(f"no line {pattern!r}: {''.join(seen)[-3000:]}")


def finish(process: subprocess.Popen[str], seen: list[str]) -> str:
    rest = process.communicate(timeout=900)[0]
    out = "".join(seen) + rest
    assert process.returncode == 0, out[-3000:]
    return out


def published_handouts(project: Path) -> dict[str, int]:
    """Every PDF of the published handouts (its pages), after checking it against the
    manifest: the folder holds exactly the manifest's files (PDFs and the trainer's
    decks) and the manifest."""
    folder = project / "_build" / "handouts" / "en"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    listed = [*manifest["files"], *manifest["trainer_decks"], "manifest.json"]
    assert files == sorted(listed)
    pages = {name: page_count((folder / name).read_bytes()) for name in manifest["files"]}
    assert pages == manifest["files"]
    sets = list((project / "_build" / "handout-sets").iterdir())
    assert len(sets) == 1, sets
    return pages


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The small project, built cleanly, with its handouts printed alone."""
    started = time.perf_counter()
    project = small_copy(tmp_path_factory.mktemp("site-jobs") / "book")
    build = subprocess.run(
        [sys.executable, "-m", "ictstory.build", "--lenient"],
        cwd=project,
        env=env(project),
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert build.returncode == 0, (build.stdout[-3000:], build.stderr[-3000:])
    alone = handouts(project)
    finish(alone, [])
    reference = published_handouts(project)
    assert reference["book.pdf"] > 2 and any(name.startswith("chapters/") for name in reference)
    print(f"small project built and printed in {time.perf_counter() - started:.0f} s")
    return {"project": project, "site": site_files(project / "_build" / "html"), "ref": reference}


def printed_pages(output: str) -> dict[str, int]:
    """What a handouts run says it printed: ``en/<file>: <n> pages`` lines."""
    return {m[0]: int(m[1]) for m in re.findall(r"^\s+en/(\S+): (\d+) pages$", output, re.M)}


def test_a_build_and_more_handouts_during_handouts_give_the_sequential_result(
    small: dict,
) -> None:
    """The issue's two cases at once: a build publishing a new site while the printer
    reads the old one (it lost its stylesheet), and a second ``make handouts``."""
    project: Path = small["project"]  # type: ignore[assignment]
    first = handouts(project)
    printed: list[str] = []
    wait_line(first, r"==> Handouts, en", printed)  # it holds the lock now
    book = start(project, "-c", BOOK)
    booked: list[str] = []
    wait_line(book, r"==> waiting for make handouts \(pid \d+\)", booked)
    assert f"(pid {first.pid})" in booked[-1]
    second = handouts(project)
    again: list[str] = []
    wait_line(second, r"==> waiting for make (handouts|book) \(pid \d+\)", again)
    assert printed_pages(finish(first, printed)) == small["ref"]
    assert "book: published" in finish(book, booked)
    assert printed_pages(finish(second, again)) == small["ref"]
    assert published_handouts(project) == small["ref"]
    assert site_files(project / "_build" / "html") == small["site"]


def _writers(project: Path) -> list[int]:
    return sitelock._processes_holding(sitelock.lock_path(project).absolute())


def test_a_killed_build_leaves_no_writer_and_the_next_build_is_clean(
    small: dict, tmp_path_factory: pytest.TempPathFactory
) -> None:
    project = small_copy(tmp_path_factory.mktemp("killed") / "book")
    build = start(project, "-m", "ictstory.build", "--lenient")
    seen: list[str] = []
    wait_line(build, r"writing output\.\.\.", seen)
    writers = _writers(project)
    assert writers, "the jupyter-book process should hold the site lock"
    os.kill(build.pid, signal.SIGKILL)  # the main process only, as the issue did
    build.wait(timeout=60)
    deadline = time.monotonic() + 60
    while any(sitelock._alive(pid) for pid in writers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in writers if sitelock._alive(pid)]
    assert not left, f"jupyter-book still runs after its build was killed: {left}"
    assert not (project / "_build" / "html").exists(), "a killed first build published a site"
    again = subprocess.run(
        [sys.executable, "-m", "ictstory.build", "--lenient"],
        cwd=project,
        env=env(project),
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert again.returncode == 0, (again.stdout[-3000:], again.stderr[-3000:])
    assert site_files(project / "_build" / "html") == small["site"]
    assert not _writers(project)
    shutil.rmtree(project.parent, ignore_errors=True)
