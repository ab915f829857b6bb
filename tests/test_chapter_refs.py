"""`make data` refuses a deletion or rename in data/ that a chapter's code still uses,
naming the chapter file and the line in it (:mod:`ictstory.data.chapterrefs`)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, read_rows, write_rows

from ictstory.data import chapterrefs, find_problems


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test keeps its record of validated data to itself."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture()
def pages_copy(tmp_path: Path) -> Path:
    """A copy of data/ and of both editions' pages; returns the copy's root."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "chapters", tmp_path / "chapters")
    shutil.copytree(ROOT / "vi" / "chapters", tmp_path / "vi" / "chapters")
    shutil.copy(ROOT / "index.md", tmp_path / "index.md")
    return tmp_path


def _used_figure(root: Path) -> str:
    """A figure a chapter's code names that no derivation in figures.csv uses."""
    rows = read_rows(root / "data" / "figures.csv")
    derivations = " ".join(row[rows[0].index("derivation")] for row in rows[1:])
    used = [
        r.key
        for r in chapterrefs.references(root)
        if r.kind == "literal" and re.fullmatch(r"F[0-9]{3,}", r.key)
    ]
    return next(key for key in used if key not in derivations)


def _lines_naming(path: Path, literal: str) -> list[int]:
    return [
        number
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if f'"{literal}"' in line or f"'{literal}'" in line
    ]


def test_the_book_has_no_dangling_reference() -> None:
    refs = chapterrefs.references(ROOT)
    kinds = {r.kind for r in refs}
    assert {"literal", "figures", "outside"} <= kinds  # the scan sees both kinds of key
    assert chapterrefs.dangling(ROOT) == []


def test_deleting_a_used_figure_names_chapter_and_line(pages_copy: Path) -> None:
    figure = _used_figure(pages_copy)
    path = pages_copy / "data" / "figures.csv"
    rows = read_rows(path)
    write_rows(path, [row for row in rows if row[0] != figure])

    problems = [str(p) for p in find_problems(pages_copy / "data" / "datapackage.json")]

    assert problems, "the deletion passed the data check"
    expected = {
        f"{page.relative_to(pages_copy).as_posix()}:{line}: uses figure {figure}, "
        "which data/figures.csv no longer has"
        for page in [
            *pages_copy.glob("*.md"),
            *pages_copy.glob("chapters/*.md"),
            *pages_copy.glob("vi/**/*.md"),
        ]
        for line in _lines_naming(page, figure)
    }
    assert expected
    assert {p.split(": put the row back")[0] for p in problems} == expected
    assert all(p.endswith("put the row back, or change this line of the chapter") for p in problems)


def test_renaming_an_indicator_names_the_call(pages_copy: Path) -> None:
    used = next(r for r in chapterrefs.references(pages_copy) if r.kind == "figures")
    path = pages_copy / "data" / "figures.csv"
    rows = read_rows(path)
    column = rows[0].index("indicator")
    for row in rows[1:]:
        if row[column] == used.key:
            row[column] = used.key + "_renamed"
    write_rows(path, rows)

    found = chapterrefs.dangling(pages_copy)

    assert (
        f"{used.path}:{used.line}: uses indicator {used.key!r}, which no row of "
        "data/figures.csv has"
    ) in found
    line = (pages_copy / used.path).read_text("utf-8").splitlines()[used.line - 1]
    assert repr(used.key)[1:-1] in line


def test_line_is_counted_in_the_chapter_file() -> None:
    text = "\n".join(
        [
            "# Title",
            "```{code-cell} ipython3",
            "---",
            "tags: [remove-input]",
            "---",
            "x = 1",
            'glue_figure("a", "F123")',
            "```",
            "prose F999",
            "```{code-cell} ipython3",
            ":tags: [hide-input]",
            "%matplotlib inline",
            'ids = ["E001", "T02"]',
            "```",
        ]
    )
    found = [
        (first + line - 1, text)
        for first, code in chapterrefs.code_cells(text)
        for line, kind, text in chapterrefs.cell_references(code)
        if kind == "literal"
    ]
    assert (7, "F123") in found
    assert (13, "E001") in found and (13, "T02") in found
    assert all(value != "F999" for _, value in found)  # prose is not code


def test_code_cells_are_the_cells_myst_nb_executes() -> None:
    """Same code, byte for byte, as myst-nb's notebook of every page: line numbers
    counted from a cell's first line are the chapter file's."""
    from myst_nb.core.read import read_myst_markdown_notebook

    pages = [p for g in chapterrefs.CHAPTER_GLOBS for p in sorted(ROOT.glob(g))]
    assert len(pages) > 20
    for page in pages:
        text = page.read_text("utf-8")
        notebook = read_myst_markdown_notebook(text)
        theirs = [c.source for c in notebook.cells if c.cell_type == "code"]
        ours = [code for _, code in chapterrefs.code_cells(text)]
        assert ours == theirs, page
        lines = text.splitlines()
        for first, code in chapterrefs.code_cells(text):
            assert lines[first - 1 : first - 1 + len(code.splitlines())] == code.splitlines()
