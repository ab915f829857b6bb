"""Downloads cannot run: only data formats, and no CSV cell a spreadsheet runs as a formula.

Issue 18: chart CSV downloads carried cells starting with ``=``, ``+``, ``-`` or
``@`` as they were, and an ``.html`` or ``.svg`` in data/ ran its script once
published. Every CSV of both built editions is opened (the table downloads and
each chart's CSV, a ``data:`` link in its page): no text cell starts with a
formula character unless a ``'`` neutralises it; numbers, negative ones included,
stay numbers. The downloads hold data formats only.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path
from urllib.parse import unquote

import pandas as pd
import pytest
from conftest import site_pages

from ictstory.data.cellcheck import FORMULA_START
from ictstory.data.datafiles import DATA_FORMATS
from ictstory.story.charts import chart_csv

CSV_LINK = re.compile(r'href="data:text/csv;charset=utf-8,([^"]*)"')


def _is_number(cell: str) -> bool:
    try:
        return math.isfinite(float(cell))
    except ValueError:
        return False


def formula_cells(text: str) -> list[tuple[int, str]]:
    """(line, cell) of every cell a spreadsheet would run: formula start, not a number."""
    rows = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    return [
        (line, cell)
        for line, row in enumerate(rows, start=1)
        for cell in row
        if cell.startswith(FORMULA_START) and not _is_number(cell)
    ]


def published_csvs(edition: Path) -> dict[str, str]:
    """Every CSV of an edition: files of the site, and the charts' ``data:`` links."""
    found = {
        p.relative_to(edition).as_posix(): p.read_text(encoding="utf-8-sig")
        for p in edition.rglob("*.csv")
    }
    for page in site_pages(edition):
        html = page.read_text(encoding="utf-8")
        for number, match in enumerate(CSV_LINK.finditer(html), start=1):
            text = unquote(match.group(1).replace("&amp;", "&"))
            found[f"{page.relative_to(edition).as_posix()} chart CSV {number}"] = text
    return found


@pytest.mark.parametrize("edition", ["site", "site_vi"])
def test_no_published_csv_cell_runs_as_a_formula(
    edition: str, request: pytest.FixtureRequest
) -> None:
    root: Path = request.getfixturevalue(edition)
    csvs = published_csvs(root)
    assert any(name.startswith("downloads/") for name in csvs), "no table download found"
    assert sum("chart CSV" in name for name in csvs) >= 5, "no chart CSV found"
    bad = {name: cells[:3] for name, text in csvs.items() if (cells := formula_cells(text))}
    assert bad == {}
    # the test has reach: negative numbers are published as numbers somewhere
    assert any(re.search(r"(^|,)-\d", text, re.M) for text in csvs.values())


@pytest.mark.parametrize("edition", ["site", "site_vi"])
def test_downloads_are_data_formats_only(edition: str, request: pytest.FixtureRequest) -> None:
    root: Path = request.getfixturevalue(edition)
    files = [p for p in (root / "downloads").rglob("*") if p.is_file() or p.is_symlink()]
    assert files
    assert [p for p in files if p.suffix.lower() not in DATA_FORMATS or p.is_symlink()] == []


def test_chart_csv_neutralises_text_keeps_numbers() -> None:
    """Before: ``=HYPERLINK(…)`` and ``@SUM(…)`` were written as they were."""
    frame = pd.DataFrame(
        {
            "label": ['=HYPERLINK("http://example.test","x")', "+1 555", "-note", "@SUM(A1)"],
            "note": ["\tTAB", "\rCR", "ok", "a = b"],
            "value": [-3.5, -2.0, 1.0, 2.5],
            "count": pd.array([-1, 2, 3, -40], dtype="Int64"),
        }
    )
    text = chart_csv([frame])
    assert formula_cells(text) == []
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][:2] == ['\'=HYPERLINK("http://example.test","x")', "'\tTAB"]
    assert [r[0] for r in rows[2:]] == ["'+1 555", "'-note", "'@SUM(A1)"]
    assert [r[2] for r in rows[1:]] == ["-3.5", "-2", "1", "2.5"]
    assert [r[3] for r in rows[1:]] == ["-1", "2", "3", "-40"]
    assert rows[4][1] == "a = b"
