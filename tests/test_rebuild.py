"""Rebuilds in a temporary copy of the project: data edits refresh the pages,
failures leave the published site untouched.

These run the real `python -m ictstory.build` (jupyter-book, kernels and all).
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
from pathlib import Path

import pytest
from conftest import copy_project, run_build
from test_notebooks import assert_built_from_the_md, put_an_ipynb_beside_the_md

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
FIGURE = "F004"  # glued into the prose of the postal chapter
NEW_VALUE = "98765"
NEW_TEXT = "98,765"
CHARTED = "F005"  # drawn in a chart of the postal chapter


def _build(project: Path) -> subprocess.CompletedProcess[str]:
    return run_build(project)


def _set_value(project: Path, figure_id: str, column: str, value: str) -> None:
    path = project / "data" / "figures.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    col = rows[0].index(column)
    hits = [r for r in rows[1:] if r[0] == figure_id]
    assert len(hits) == 1, f"{figure_id} not found once in figures.csv"
    hits[0][col] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _correct(project: Path, figure_id: str, value: str) -> None:
    """Correct a figure as the README says: value_corrected with a note (value stays stated)."""
    _set_value(project, figure_id, "value_corrected", value)
    _set_value(project, figure_id, "note", "Test: a corrected value.")


def _site_text(project: Path) -> str:
    return "".join(
        p.read_text(encoding="utf-8") for p in sorted((project / "_build" / "html").rglob("*.html"))
    )


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A copy of the project with its executed notebooks (a build from no cache at all,
    two chapters executing at once, is tests/test_atomic_build.py's clean build) and an
    .ipynb beside a chapter's .md (tests/test_notebooks.py), built once: the first build
    the tests below change things from; its output."""
    project = copy_project(tmp_path_factory.mktemp("book") / "book")
    put_an_ipynb_beside_the_md(project)  # and a chapter's .ipynb copy beside its .md
    first = run_build(project, ICTSTORY_JOBS="2")
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    return project, first.stdout + first.stderr


@pytest.fixture(scope="module")
def project(first_build: tuple[Path, str]) -> Path:
    return first_build[0]


def test_book_builds_from_the_md_beside_an_ipynb(first_build: tuple[Path, str]) -> None:
    assert_built_from_the_md(*first_build)


def test_csv_edit_updates_glued_prose_and_charts(project: Path) -> None:
    assert NEW_TEXT not in _site_text(project)
    assert '"value":55555.0' not in _site_text(project)
    _correct(project, FIGURE, NEW_VALUE)
    _correct(project, CHARTED, "55555")
    result = _build(project)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    site = _site_text(project)
    assert f'<span class="pasted-text">{NEW_TEXT}</span>' in site  # the glued prose number
    assert '"value":55555.0' in site  # the chart's data


def _executed(result: subprocess.CompletedProcess[str]) -> set[str]:
    return set(re.findall(r"chapters/([\w-]+)\.md: Executing notebook", result.stdout))


def test_one_figure_edit_executes_only_the_chapters_that_read_it(project: Path) -> None:
    """F005 is charted in the postal chapter; telecom never reads it."""
    deps = project / "_build" / "deps" / "en"
    readers = {
        path.stem.removeprefix("chapters__")
        for path in deps.glob("chapters__*.json")
        if '"figure:F005"' in path.read_text() or '"table:figures"' in path.read_text()
    }
    assert "postal" in readers and "telecom" not in readers
    _correct(project, CHARTED, "55556")
    result = _build(project)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "postal" in _executed(result)
    assert _executed(result) <= readers, _executed(result)
    assert '"value":55556.0' in (project / "_build/html/en/chapters/postal.html").read_text()


def test_no_change_rebuild_executes_nothing(project: Path) -> None:
    result = _build(project)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Executing notebook" not in result.stdout + result.stderr


def _published(project: Path) -> dict[str, bytes]:
    html = project / "_build" / "html"
    return {p.relative_to(html).as_posix(): p.read_bytes() for p in html.rglob("*") if p.is_file()}


def test_bad_data_fails_before_building_and_keeps_the_site(project: Path) -> None:
    before = _published(project)
    _set_value(project, FIGURE, "value", "four thousand")
    result = _build(project)
    _set_value(project, FIGURE, "value", "4162")  # as stated (the correction stays)
    assert result.returncode != 0
    assert "data/figures.csv, line" in result.stderr and "column 'value'" in result.stderr
    assert "_build/html still holds the previous site" in result.stderr
    assert _published(project) == before


def test_failing_chapter_fails_the_build_and_keeps_the_site(project: Path) -> None:
    before = _published(project)
    chapter = project / "chapters" / "postal.md"
    twin = project / "vi" / "chapters" / "postal.md"  # the twins' code stays the same
    original, original_twin = (p.read_text(encoding="utf-8") for p in (chapter, twin))
    for path, text in ((chapter, original), (twin, original_twin)):
        assert 'st.glue_figure("supply_points"' in text
        path.write_text(
            text.replace(
                'st.glue_figure("supply_points"',
                "raise RuntimeError('boom')\nst.glue_figure(\"supply_points\"",
                1,
            ),
            encoding="utf-8",
        )
    result = _build(project)
    assert result.returncode != 0
    summary = result.stderr.strip().splitlines()
    assert len(summary) < 30, result.stderr  # short: chapter, cell, error, data row
    assert "Chapter chapters/postal.md failed at line" in result.stderr
    assert "RuntimeError: boom" in result.stderr
    assert "Full log: _build/logs/jupyter-book.log" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr  # the traceback is in the log
    assert _published(project) == before
    # the next build reports the same failure instead of skipping the page
    again = _build(project)
    assert again.returncode != 0
    chapter.write_text(original, encoding="utf-8")
    twin.write_text(original_twin, encoding="utf-8")


def test_broken_cross_reference_fails_the_build(project: Path) -> None:
    before = _published(project)
    index = project / "index.md"
    original = index.read_text(encoding="utf-8")
    index.write_text(original + "\nSee {ref}`no-such-label`.\n", encoding="utf-8")
    result = _build(project)
    index.write_text(original, encoding="utf-8")
    assert result.returncode != 0
    assert "no-such-label" in result.stdout + result.stderr
    assert _published(project) == before
    restored = _build(project)
    assert restored.returncode == 0, restored.stderr[-3000:]
