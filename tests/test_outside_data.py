"""The outside yearly series in data/: schema, keys, provenance and clear errors.

Each bad-input test copies data/ to a temporary folder, breaks one cell of an
outside table and checks that validation names the file, line and column.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, read_rows, write_rows

from ictstory.data import DataValidationError, find_problems, load_table, validate_package

SHARED = ROOT.parent / "shared" / "external" / "series.csv"


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target / "datapackage.json"


def _break(
    descriptor: Path, table: str, change: Callable[[list[list[str]]], None]
) -> DataValidationError:
    path = descriptor.parent / f"{table}.csv"
    rows = read_rows(path)
    change(rows)
    write_rows(path, rows)
    with pytest.raises(DataValidationError) as caught:
        validate_package(descriptor)
    return caught.value


def _set(table_rows: list[list[str]], line: int, column: str, value: str) -> None:
    """Set one cell; ``line`` counts as the error messages do (header = line 1)."""
    table_rows[line - 1][table_rows[0].index(column)] = value


def _where(error: DataValidationError, table: str, line: int, column: str) -> list[str]:
    return [
        str(p)
        for p in error.problems
        if p.path == f"data/{table}.csv" and p.line == line and column in (p.column or "")
    ]


def test_outside_tables_are_valid_and_typed() -> None:
    assert find_problems(ROOT / "data" / "datapackage.json") == []
    series = load_table("outside_series")
    assert str(series["year"].dtype) == "Int64"
    assert str(series["value"].dtype) == "Float64"
    assert series["series_id"].is_unique
    assert set(series["confidence"]) <= {"high", "medium", "low"}
    assert {"high", "medium", "low"} <= set(series["confidence"])  # all three grades occur


def test_every_row_has_its_provenance() -> None:
    series = load_table("outside_series")
    sources = load_table("outside_sources").set_index("outside_source_id")
    for column in ("excerpt", "source_stated", "indicator_stated", "unit_stated"):
        assert series[column].str.strip().str.len().gt(0).all(), column
    assert series["outside_source_id"].isin(sources.index).all()
    for sid, row in sources.iterrows():
        assert str(row["publisher"]).strip() and str(row["publisher_vi"]).strip(), sid
        has_url = not pd.isna(row["url"])
        has_file = all(not pd.isna(row[c]) for c in ("repository", "repository_path", "commit"))
        assert has_url != has_file, sid


def test_vintages_and_disagreements_are_kept_with_a_note() -> None:
    series = load_table("outside_series")
    twice = series[series.duplicated(["indicator", "year"], keep=False)]
    assert not twice.empty
    for (_indicator, _year), group in twice.groupby(["indicator", "year"]):
        noted = group["note"].notna() | group["superseded_by"].notna()
        assert noted.any(), group["series_id"].tolist()
    # GCI 2017: ITU's table (101st) and a speech (100th) both kept
    gci = series[(series["indicator"] == "gci_rank") & (series["year"] == 2017)]
    assert sorted(gci["value"].astype(float)) == [100.0, 101.0]


def test_every_row_of_the_shared_series_is_kept_as_stated() -> None:
    if not SHARED.is_file():
        pytest.skip(f"{SHARED} is not beside this checkout")
    with SHARED.open(encoding="utf-8", newline="") as handle:
        shared = list(csv.DictReader(handle))
    ours = load_table("outside_series")
    assert len(ours) == len(shared)
    for row, (_, mine) in zip(shared, ours.iterrows(), strict=True):
        assert int(row["year"]) == mine["year"]
        assert float(row["value"]) == mine["value"]
        assert row["excerpt"] == mine["excerpt"]
        assert row["confidence"] == mine["confidence"]
        assert row["unit"] == mine["unit_stated"]
        assert row["indicator"] == mine["indicator_stated"]
        assert row["source"] == mine["source_stated"]


@pytest.mark.parametrize(
    ("column", "value", "kind"),
    [
        ("confidence", "certain", "rule broken"),
        ("confidence", "", "rule broken"),
        ("excerpt", "", "rule broken"),
        ("value", "about 50", "wrong type"),
        ("year", "2O19", "wrong type"),
        ("hedge", "roughly", "rule broken"),
        ("outside_source_id", "XS999", "unknown reference"),
        ("indicator", "no_such_indicator", "unknown reference"),
        ("superseded_by", "X999", "unknown reference"),
        ("unit", "VND billion", "rule broken"),
    ],
)
def test_bad_series_cell_is_named_by_file_line_and_column(
    data_copy: Path, column: str, value: str, kind: str
) -> None:
    error = _break(data_copy, "outside_series", lambda rows: _set(rows, 4, column, value))
    found = _where(error, "outside_series", 4, column)
    assert found, str(error)
    assert any(kind in text for text in found), found
    assert f"data/outside_series.csv, line 4, column '{column}" in str(error)


def test_superseded_by_must_name_the_same_indicator_and_year(data_copy: Path) -> None:
    def other_year(rows: list[list[str]]) -> None:
        _set(rows, 2, "superseded_by", "X003")  # X001 is internet users 2016, X003 is 2018

    error = _break(data_copy, "outside_series", other_year)
    found = _where(error, "outside_series", 2, "superseded_by")
    assert found and "not internet_users 2016" in found[0], str(error)


def test_superseded_by_cannot_point_at_itself(data_copy: Path) -> None:
    error = _break(data_copy, "outside_series", lambda r: _set(r, 2, "superseded_by", "X001"))
    assert "cannot supersede itself" in " ".join(
        _where(error, "outside_series", 2, "superseded_by")
    )


def test_source_needs_a_page_or_a_file(data_copy: Path) -> None:
    path = data_copy.parent / "outside_sources.csv"
    rows = read_rows(path)
    line = next(i for i, r in enumerate(rows, start=1) if i > 1 and r[rows[0].index("url")])
    _set(rows, line, "url", "")
    write_rows(path, rows)
    with pytest.raises(DataValidationError) as caught:
        validate_package(data_copy)
    assert _where(caught.value, "outside_sources", line, "url"), str(caught.value)


def test_source_url_must_be_a_web_address(data_copy: Path) -> None:
    path = data_copy.parent / "outside_sources.csv"
    rows = read_rows(path)
    line = next(i for i, r in enumerate(rows, start=1) if i > 1 and r[rows[0].index("url")])
    _set(rows, line, "url", "javascript:alert(1)")
    write_rows(path, rows)
    with pytest.raises(DataValidationError) as caught:
        validate_package(data_copy)
    assert _where(caught.value, "outside_sources", line, "url"), str(caught.value)


def test_unknown_indicator_field_and_unit_are_rejected(data_copy: Path) -> None:
    def bad(rows: list[list[str]]) -> None:
        _set(rows, 2, "field", "space")
        _set(rows, 3, "unit", "furlongs")

    error = _break(data_copy, "outside_indicators", bad)
    assert _where(error, "outside_indicators", 2, "field"), str(error)
    assert _where(error, "outside_indicators", 3, "unit"), str(error)
