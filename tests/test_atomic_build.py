"""A build publishes a whole site or nothing, and an incremental build equals a clean one.

In a temporary copy of the project: the site "A" is built; "B" differs from it in
a chapter's code and prose and in the site's CSS. At each phase, a build of the
other inputs than the published site's (A to B, or B to A: the tests take turns,
so every phase costs one kill and one build, not a return to A first) is killed
with SIGKILL (the whole process group, as Ctrl-C on ``make`` would not be so
kind); after each kill ``_build/html`` must be byte-for-byte the old site or the
new one, and the next ordinary build must publish exactly what the first build
of A, or a clean build of B, publishes. Two builds started at once must both
succeed, one waiting for the other. A data edit and a ``--all`` build are
compared with clean builds too.
"""

from __future__ import annotations

import csv
import io
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import build_env, copy_project, run_build, site_files

pytestmark = pytest.mark.slow

CHAPTER = Path("chapters") / "postal.md"
CSS = Path("src") / "ictstory" / "site" / "static" / "ictstory.css"
B_PROSE = "This sentence was added to test interrupted builds."
B_CODE = "\n```{code-cell} ipython3\n:tags: [remove-cell]\n\nkill_test_marker = 1\n```\n"
B_CSS = "\n/* kill-test edit */\n"

#: phase -> (line of the build's output to kill at, environment for the build)
PHASES: dict[str, tuple[str, dict[str, str]]] = {
    "executing": (r"postal\.md: Executing notebook", {}),
    "reading": (r"reading sources\.\.\. \[\s*\d+%\]", {}),
    "writing": (r"writing output\.\.\. \[\s*[1-9]\d%\]", {}),
    "copying": (r"copying static files", {}),
    "moving": (r"paused before move", {"ICTSTORY_BUILD_PAUSE_AT": "move"}),
    "swapping": (r"paused before swap", {"ICTSTORY_BUILD_PAUSE_AT": "swap"}),
    "cleaning up": (r"paused before cleanup", {"ICTSTORY_BUILD_PAUSE_AT": "cleanup"}),
}


def set_b(project: Path, on: bool) -> None:
    """Switch the project's inputs between A (off) and B (on). Both editions of the
    chapter get the same code cell: `make book` refuses twins whose code differs."""
    css = project / CSS
    for chapter in (project / CHAPTER, project / "vi" / CHAPTER):
        text = chapter.read_text(encoding="utf-8").replace(f"\n{B_PROSE}\n" + B_CODE, "")
        if on:
            text += f"\n{B_PROSE}\n" + B_CODE
        chapter.write_text(text, encoding="utf-8")
    style = css.read_text(encoding="utf-8").replace(B_CSS, "")
    if on:
        style += B_CSS
    css.write_text(style, encoding="utf-8")


def published(project: Path) -> dict[str, bytes]:
    return site_files(project / "_build" / "html")


def must_build(project: Path, *args: str) -> str:
    result = run_build(project, *args)
    assert result.returncode == 0, (result.stdout[-3000:], result.stderr[-3000:])
    return result.stdout + result.stderr


def must_build_side_by_side(*projects: Path) -> list[str]:
    """Build independent copies at the same time (a build alone leaves a core of this
    machine idle much of the time), each executing two chapters at once (with no cache,
    the parallel readers' race on jupyter-cache: ictstory.site.execute); each must
    succeed. Their outputs, in order."""
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "ictstory.build"],
            cwd=project,
            env=build_env(project, ICTSTORY_JOBS="2"),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for project in projects
    ]
    outputs = [run.communicate(timeout=1200)[0] for run in runs]
    for run, output in zip(runs, outputs, strict=True):
        assert run.returncode == 0, output[-3000:]
    return outputs


def kill_at(project: Path, pattern: str, env: dict[str, str]) -> list[str]:
    """Start a build, SIGKILL its process group when a line matches; return its output."""
    process = subprocess.Popen(
        [sys.executable, "-m", "ictstory.build"],
        cwd=project,
        env=build_env(project, PYTHONUNBUFFERED="1", **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + 600
    for line in process.stdout:
        seen.append(line)
        if re.search(pattern, re.sub(r"\x1b\[[0-9;]*m", "", line)):
            os.killpg(process.pid, signal.SIGKILL)
            break
        assert time.monotonic() < deadline, "the build never reached the phase"
    else:
        pytest.fail(f"the build ended before {pattern!r}:\n{''.join(seen[-40:])}")
    process.wait(timeout=60)
    return seen


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The working copy with site A published, and clean builds of A and B."""
    base = tmp_path_factory.mktemp("atomic")
    project = copy_project(base / "work")
    clean_b = copy_project(base / "clean-b", with_cache=False)
    set_b(clean_b, True)
    _, clean_log = must_build_side_by_side(project, clean_b)
    return {
        "project": project,
        "A": published(project),
        "B": published(clean_b),
        "clean": (clean_b, clean_log),
    }


def test_a_first_build_without_any_cache_succeeds(sites: dict) -> None:
    """Chapters execute two at a time: the readers must not race to create jupyter-cache
    or to add its records (the fixture's clean build of B is that build: it fails if
    the build fails)."""
    clean_b, log = sites["clean"]
    assert "postal.md: Executing notebook" in log, "the clean build found a cache"
    assert (clean_b / "_build" / "html" / "index.html").is_file()


def test_a_and_b_differ(sites: dict) -> None:
    a, b = sites["A"], sites["B"]
    assert a != b
    assert B_PROSE.encode() in b["en/chapters/postal.html"]
    assert B_PROSE.encode() not in a["en/chapters/postal.html"]
    assert B_CSS.strip().encode() in b["en/_static/ictstory.css"]  # a static edit is published


def settled(sites: dict) -> tuple[Path, str]:
    """The working copy and the site it publishes, whole A or whole B (whatever test
    ran before; after a test that failed half-way, A again)."""
    project: Path = sites["project"]  # type: ignore[assignment]
    now = published(project)
    old = next((name for name in ("A", "B") if now == sites[name]), None)
    if old is None:  # a test before this one failed half-way: start again from A
        set_b(project, False)
        must_build(project)
        assert published(project) == sites["A"], "could not return to site A"
        old = "A"
    set_b(project, old == "B")
    return project, old


def toggle(sites: dict) -> tuple[Path, str, str]:
    """Set the working copy's inputs to the other site than the published one (see
    :func:`settled`); returns the copy, the old site, the new one."""
    project, old = settled(sites)
    new = "B" if old == "A" else "A"
    set_b(project, new == "B")
    return project, old, new


@pytest.mark.parametrize("phase", list(PHASES))
def test_a_killed_build_leaves_a_whole_site_and_recovers(sites: dict, phase: str) -> None:
    project, old, new = toggle(sites)
    pattern, env = PHASES[phase]
    kill_at(project, pattern, env)
    after_kill = published(project)
    expected = new if phase == "cleaning up" else old
    assert after_kill == sites[expected], f"after a kill while {phase}: not site {expected}"
    log = must_build(project)
    if phase == "cleaning up":
        assert "nothing to do" in log
    assert published(project) == sites[new], f"the build after the kill is not site {new}"
    leftovers = sorted(p.name for p in (project / "_build" / "sites").iterdir())
    assert len(leftovers) == 1, leftovers


def test_two_builds_at_once_both_succeed(sites: dict) -> None:
    project, _, new = toggle(sites)
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "ictstory.build"],
            cwd=project,
            env=build_env(project),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=900)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert any("==> waiting for make book (pid" in out for out in outputs), outputs
    assert sum("nothing to do" in out for out in outputs) == 1, outputs
    assert published(project) == sites[new]


def correct_a_figure(project: Path) -> None:
    """A correction of a figure glued into the postal chapter: value_corrected and note,
    set by column name on that one row (every other byte of figures.csv unchanged)."""
    figures = project / "data" / "figures.csv"
    lines = figures.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader(lines[:1]))
    rows = [i for i, line in enumerate(lines) if line.startswith("F004,")]
    assert len(rows) == 1, "the figure to correct (F004) is not in figures.csv once"
    row = dict(zip(header, next(csv.reader(lines[rows[0] : rows[0] + 1])), strict=True))
    assert row["value"] == "4162" and row["value_corrected"] == "" and row["note"] == ""
    row |= {"value_corrected": "4163", "note": "Test: a corrected value."}
    out = io.StringIO()
    csv.writer(out, lineterminator=lines[rows[0]][len(lines[rows[0]].rstrip("\r\n")) :]).writerow(
        [row[name] for name in header]
    )
    lines[rows[0]] = out.getvalue()
    figures.write_text("".join(lines), encoding="utf-8")


def test_data_edit_and_full_rebuild_equal_clean_builds(
    sites: dict, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The data edit is made on whichever site is published (A or B): its incremental
    build, which executes only the chapters that read the figure, must equal a clean
    build of the same inputs (built beside it, at the same time)."""
    project, now = settled(sites)
    clean = copy_project(tmp_path_factory.mktemp("clean-d") / "book", with_cache=False)
    set_b(clean, now == "B")
    correct_a_figure(project)
    correct_a_figure(clean)
    assert (clean / "data" / "figures.csv").read_bytes() == (
        project / "data" / "figures.csv"
    ).read_bytes()
    edited, _ = must_build_side_by_side(project, clean)
    assert "Executing notebook" in edited and "nothing to do" not in edited
    assert published(project) == published(clean), "a data edit: incremental != clean"
    assert "4,163" in published(project)["en/chapters/postal.html"].decode()
    assert "nothing to do" not in must_build(project, "--all")
    log = must_build(project)
    assert "nothing to do" in log
    assert published(project) == published(clean), "--all then a normal build != clean"
