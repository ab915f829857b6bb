"""A failed build's console summary (:func:`ictstory.build.buildlog.failure_summary`) names the
chapter, the cell and its line in the chapter file, and the error: for a failing cell, a
cell that timed out, a kernel that did not start, and Sphinx stopping on an exception.

The logs in ``tests/logs/`` are captured output (myst-nb's warning with jupyter-cache's
traceback; Sphinx's and jupyter-book's account of an exception) with ``{root}`` for the
project and ``{cell}`` for the failing cell's code, which the tests take from a chapter.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from conftest import ROOT
from nbclient.exceptions import CellTimeoutError

from ictstory.build.buildlog import failure_summary, locate_cell
from ictstory.data.chapterrefs import code_cells

LOGS = Path(__file__).parent / "logs"


def _cell(chapter: str, containing: str) -> tuple[int, int, str]:
    """(cell number, first line in the file, code) of the chapter's cell holding a text."""
    cells = list(code_cells((ROOT / chapter).read_text("utf-8")))
    for number, (first, code) in enumerate(cells, start=1):
        if containing in code:
            return number, first, code
    raise AssertionError(f"no cell of {chapter} holds {containing!r}")


def _log(name: str, cell: str = "") -> str:
    return (LOGS / name).read_text("utf-8").replace("{root}", str(ROOT)).replace("{cell}", cell)


def test_a_failing_cell_is_named_by_its_line_in_the_chapter() -> None:
    number, first, code = _cell("chapters/postal.md", 'glue_figure("supply_points"')
    assert len(code.splitlines()) >= 3  # the captured trace fails on the cell's line 3
    lines = failure_summary(_log("cell-error.log", code), ROOT)
    text = "\n".join(lines)
    line = first + 2
    assert f"Chapter chapters/postal.md failed at line {line} " in text
    assert f"chapters/postal.md:{line}, code cell {number}, line 3 of the cell" in text
    assert f"  >{line:4d} | {code.splitlines()[2][:100]}" in lines
    assert "Error: KeyError: 'F206'" in lines
    assert any(x.startswith("  data/figures.csv, line ") and ": F206," in x for x in lines)
    assert lines[0].startswith("(2 other warnings")  # follow-ons counted, not listed
    assert "Traceback" not in text


def test_a_cell_that_timed_out_is_named_with_the_time_limit() -> None:
    number, first, code = _cell("vi/chapters/postal.md", 'glue_figure("supply_points"')
    assert len(code.splitlines()) > 10  # nbclient previews its first and last five lines
    cell = nbformat.v4.new_code_cell(code)
    message = str(CellTimeoutError.error_from_timeout_and_cell("timed out", 180, cell))
    preview = message.split("-------------------\n")[1].rstrip("\n")
    lines = failure_summary(_log("cell-timeout.log", preview), ROOT)
    text = "\n".join(lines)
    assert f"Chapter vi/chapters/postal.md failed at line {first} " in text
    assert f"code cell {number}, line 1 of the cell): this cell did not finish" in text
    assert lines[-1] == (
        "Error: CellTimeoutError: the cell ran longer than 180 seconds "
        "(execute: timeout in _config.yml)"
    )


def test_a_kernel_that_did_not_start_names_its_chapter_and_the_error() -> None:
    lines = failure_summary(_log("kernel-start.log"), ROOT)
    assert (
        lines[1] == "Chapter chapters/telecom.md failed: its Jupyter kernel failed (RuntimeError)."
    )
    assert "ICTSTORY_JOBS=1" in lines[2]
    assert lines[-1] == "Error: RuntimeError: Kernel didn't respond in 60 seconds"
    assert not any("postal" in x for x in lines)  # that chapter executed


def test_sphinx_stopping_on_an_exception_ends_with_the_error_and_the_chapters() -> None:
    lines = failure_summary(_log("sphinx-crash.log"), ROOT)
    assert (
        lines[-2]
        == "The build stopped on an error: RuntimeError: Kernel didn't respond in 60 seconds"
    )
    assert lines[-1] == "  Chapters executing at the time: chapters/telecom.md"
    assert not any("Look above" in x for x in lines)


def test_locate_cell_finds_the_first_code_line() -> None:
    number, first, code = _cell("chapters/telecom.md", 'glue_figure("hh_share"')
    assert locate_cell(ROOT / "chapters/telecom.md", code) == (number, first)
    lines = (ROOT / "chapters/telecom.md").read_text("utf-8").splitlines()
    assert lines[first - 1] == code.splitlines()[0]
    assert locate_cell(ROOT / "chapters/telecom.md", "no_such_code()") is None
