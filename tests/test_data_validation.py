"""Bad input in data/ gets a clear error naming file, line and column.

Each test copies the real data package to a temporary folder, breaks one thing
in data/figures.csv, and checks the message of DataValidationError.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from ictstory.data import DataValidationError, find_problems, load_table, validate_package

ROOT = Path(__file__).resolve().parents[1]
TABLE = "figures.csv"


def _read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/; returns its descriptor path."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target / "datapackage.json"


def _break(descriptor: Path, change: Callable[[list[list[str]]], None]) -> str:
    path = descriptor.parent / TABLE
    rows = _read_rows(path)
    change(rows)
    _write_rows(path, rows)
    with pytest.raises(DataValidationError) as caught:
        validate_package(descriptor)
    return str(caught.value)


def _col(rows: list[list[str]], name: str) -> int:
    return rows[0].index(name)


def test_real_package_is_valid() -> None:
    assert find_problems(ROOT / "data" / "datapackage.json") == []
    figures = load_table("figures", ROOT / "data" / "datapackage.json")
    assert pd.api.types.is_float_dtype(figures["value"])
    assert pd.api.types.is_datetime64_any_dtype(figures["period_start"])
    assert figures["figure_id"].is_unique


def test_missing_column(data_copy: Path) -> None:
    def drop_unit(rows: list[list[str]]) -> None:
        i = _col(rows, "unit")
        for row in rows:
            del row[i]

    message = _break(data_copy, drop_unit)
    assert "data/figures.csv" in message
    assert "missing column" in message and "'unit'" in message


def test_extra_unknown_column(data_copy: Path) -> None:
    def add(rows: list[list[str]]) -> None:
        rows[0].append("colour")
        for row in rows[1:]:
            row.append("blue")

    message = _break(data_copy, add)
    assert "unknown extra column" in message and "'colour'" in message


def test_non_numeric_value(data_copy: Path) -> None:
    def bad(rows: list[list[str]]) -> None:
        rows[3][_col(rows, "value")] = "377 triệu"

    message = _break(data_copy, bad)
    assert "data/figures.csv, line 4, column 'value'" in message
    assert "expected a number" in message and "'377 triệu'" in message


def test_empty_required_cell(data_copy: Path) -> None:
    def blank(rows: list[list[str]]) -> None:
        rows[2][_col(rows, "excerpt")] = ""

    message = _break(data_copy, blank)
    assert "line 3, column 'excerpt'" in message and "required" in message


def test_unknown_category_value(data_copy: Path) -> None:
    def bad(rows: list[list[str]]) -> None:
        rows[5][_col(rows, "kind")] = "guessed"

    message = _break(data_copy, bad)
    assert "line 6, column 'kind'" in message and "'guessed'" in message and "enum" in message


def test_duplicate_key(data_copy: Path) -> None:
    def dup(rows: list[list[str]]) -> None:
        rows[4][_col(rows, "figure_id")] = rows[1][_col(rows, "figure_id")]

    message = _break(data_copy, dup)
    assert "line 5, column 'figure_id'" in message and "duplicate key" in message


def test_unknown_foreign_key(data_copy: Path) -> None:
    def bad(rows: list[list[str]]) -> None:
        rows[2][_col(rows, "source_id")] = "999_0000000000000000"

    message = _break(data_copy, bad)
    assert "line 3, column 'source_id'" in message and "unknown reference" in message
    assert "999_0000000000000000" in message


def test_malformed_date(data_copy: Path) -> None:
    def bad(rows: list[list[str]]) -> None:
        rows[2][_col(rows, "period_start")] = "2020-13-45"

    message = _break(data_copy, bad)
    assert "line 3, column 'period_start'" in message
    assert "expected a date as YYYY-MM-DD" in message and "'2020-13-45'" in message


def test_empty_file(data_copy: Path) -> None:
    (data_copy.parent / TABLE).write_bytes(b"")
    with pytest.raises(DataValidationError) as caught:
        validate_package(data_copy)
    assert "data/figures.csv: empty file" in str(caught.value)


def test_not_utf8(data_copy: Path) -> None:
    path = data_copy.parent / TABLE
    lines = path.read_bytes().split(b"\n")
    lines[2] = "Bưu chính".encode("cp1258") + lines[2]  # a Windows-1258 export
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(DataValidationError) as caught:
        validate_package(data_copy)
    message = str(caught.value)
    assert "data/figures.csv, line 3: not UTF-8" in message


def test_ragged_row(data_copy: Path) -> None:
    def ragged(rows: list[list[str]]) -> None:
        rows[6] = rows[6][:3]

    message = _break(data_copy, ragged)
    assert "line 7" in message and "missing cell" in message


def test_row_longer_than_header(data_copy: Path) -> None:
    def ragged(rows: list[list[str]]) -> None:
        rows[6].append("stray")

    message = _break(data_copy, ragged)
    assert "line 7" in message and "extra cell" in message and "'stray'" in message


def test_every_problem_is_listed_not_just_the_first(data_copy: Path) -> None:
    def two(rows: list[list[str]]) -> None:
        rows[2][_col(rows, "value")] = "x"
        rows[8][_col(rows, "unit")] = "furlongs"

    message = _break(data_copy, two)
    assert "line 3, column 'value'" in message and "line 9, column 'unit'" in message


def test_command_line_reports_and_fails(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ictstory import data as data_module

    path = data_copy.parent / TABLE
    rows = _read_rows(path)
    rows[3][_col(rows, "value")] = "n/a"
    _write_rows(path, rows)
    monkeypatch.setattr(data_module, "descriptor_path", lambda: data_copy)
    assert data_module.main() == 1
    assert "line 4, column 'value'" in capsys.readouterr().err
