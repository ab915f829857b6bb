"""Bad input in data/ gets a clear error naming file, line and column.

Each test copies the real data package to a temporary folder, breaks one thing
in data/figures.csv, and checks the message of DataValidationError.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import math
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest
from conftest import ROOT, read_rows, write_rows

from ictstory.data import (
    DataValidationError,
    find_problems,
    load_figures,
    load_table,
    validate_package,
)

TABLE = "figures.csv"


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test keeps its record of validated data to itself."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/; returns its descriptor path."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target / "datapackage.json"


def _break(descriptor: Path, change: Callable[[list[list[str]]], None]) -> str:
    path = descriptor.parent / TABLE
    rows = read_rows(path)
    change(rows)
    write_rows(path, rows)
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
    rows = read_rows(path)
    rows[3][_col(rows, "value")] = "n/a"
    write_rows(path, rows)
    monkeypatch.setattr(data_module, "descriptor_path", lambda: data_copy)
    assert data_module.main() == 1
    assert "line 4, column 'value'" in capsys.readouterr().err


# ---------------------------------------------------------------- text cells


def _set_field(descriptor: Path, resource: str, field: str, **props: object) -> None:
    """Add properties to one field of the copy's descriptor."""
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    for res in package["resources"]:
        if res["name"] == resource:
            for fld in res["schema"]["fields"]:
                if fld["name"] == field:
                    fld.update(props)
    descriptor.write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")


@pytest.mark.parametrize(
    ("char", "kind"),
    [
        ("\x00", "control character"),
        ("\t", "control character"),
        ("\x0b", "control character"),
        ("\x1b", "control character"),
        ("\x7f", "control character"),
        ("\x85", "control character"),
        ("\x9f", "control character"),
        ("\u00ad", "invisible character"),
        ("\u200b", "invisible character"),
        ("\u200d", "invisible character"),
        ("\u200f", "invisible character"),
        ("\u202a", "invisible character"),
        ("\u202e", "invisible character"),
        ("\u2060", "invisible character"),
        ("\u2066", "invisible character"),
        ("\u2069", "invisible character"),
        ("\ufeff", "invisible character"),
        ("\u2028", "invisible character"),
        ("\u2029", "invisible character"),
        ("\ufffd", "damaged text"),
    ],
)
def test_unwanted_character_in_text(data_copy: Path, char: str, kind: str) -> None:
    def bad(rows: list[list[str]]) -> None:
        rows[4][_col(rows, "excerpt")] = f"Các DN bưu chính{char} đã thiết lập"

    message = _break(data_copy, bad)
    assert f"data/figures.csv, line 5, column 'excerpt': {kind}: U+{ord(char):04X}" in message
    assert "at character 17, after 'Các DN bưu chính'" in message
    assert message.startswith("1 problem(s)")


def test_line_break_only_in_multiline_columns(data_copy: Path) -> None:
    def two_lines(rows: list[list[str]]) -> None:
        rows[2][_col(rows, "note")] = "first line\r\nsecond line"
        rows[3][_col(rows, "note")] = "first line\nsecond line"

    message = _break(data_copy, two_lines)
    assert "line 3, column 'note': line break in a one-line column: U+000D" in message
    assert "line 4, column 'note': line break in a one-line column: U+000A" in message
    assert '"multiline": true' in message

    _set_field(data_copy, "figures", "note", multiline=True)
    validate_package(data_copy)
    notes = load_table("figures", data_copy)["note"]
    assert notes[1] == notes[2] == "first line\nsecond line"  # \r\n normalised


def test_stray_carriage_return_in_multiline_column(data_copy: Path) -> None:
    _set_field(data_copy, "figures", "note", multiline=True)
    path = data_copy.parent / TABLE
    rows = read_rows(path)
    rows[2][_col(rows, "note")] = "first line\rsecond line"
    with path.open("w", encoding="utf-8", newline="") as handle:  # quoted, so one cell
        csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
    with pytest.raises(DataValidationError) as caught:
        validate_package(data_copy)
    message = str(caught.value)
    assert "line 3, column 'note': stray carriage return: U+000D" in message
    assert message.startswith("1 problem(s)")


def test_tab_is_rejected_in_multiline_column_too(data_copy: Path) -> None:
    _set_field(data_copy, "figures", "note", multiline=True)

    def tab(rows: list[list[str]]) -> None:
        rows[2][_col(rows, "note")] = "a\r\nb\tc"

    message = _break(data_copy, tab)
    assert "line 3, column 'note': control character: U+0009 (tab) at character 5," in message
    assert message.startswith("1 problem(s)")


def test_text_not_in_nfc(data_copy: Path) -> None:
    def decomposed(rows: list[list[str]]) -> None:
        text = "Bộ Thông tin và Truyền thông"
        rows[6][_col(rows, "label_vi")] = unicodedata.normalize("NFD", text)

    message = _break(data_copy, decomposed)
    assert "data/figures.csv, line 7, column 'label_vi': text not in NFC form" in message
    assert "decomposed diacritics" in message
    assert "'o' + U+0323 (COMBINING DOT BELOW) + U+0302 (COMBINING CIRCUMFLEX ACCENT)" in message
    assert "where NFC has 'ộ'" in message and "re-save the file as NFC" in message


def test_header_names_are_checked(data_copy: Path) -> None:
    def bad_header(rows: list[list[str]]) -> None:
        rows[0][_col(rows, "note")] = "note\u200b"

    message = _break(data_copy, bad_header)
    assert "data/figures.csv, line 1, column 'note\\u200b': invisible character: U+200B" in message


def test_other_tables_are_checked(data_copy: Path) -> None:
    path = data_copy.parent / "glossary.csv"
    rows = read_rows(path)
    rows[3][_col(rows, "explanation")] += "\x0c"
    write_rows(path, rows)
    with pytest.raises(DataValidationError) as caught:
        validate_package(data_copy)
    assert "data/glossary.csv, line 4, column 'explanation': control character: U+000C" in str(
        caught.value
    )


def test_clean_unicode_passes(data_copy: Path) -> None:
    """Vietnamese in NFC, no-break spaces and emoji are fine."""
    path = data_copy.parent / TABLE
    rows = read_rows(path)
    rows[2][_col(rows, "note")] = "Bưu chính\u00a0Việt Nam, 5K + vắc-xin 💉, ½"
    write_rows(path, rows)
    assert find_problems(data_copy) == []


def test_excel_csv_utf8_export_is_fine(data_copy: Path) -> None:
    """A byte-order mark at the start and CRLF line ends are how Excel saves CSV UTF-8."""
    path = data_copy.parent / TABLE
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert find_problems(data_copy) == []
    assert list(load_table("figures", data_copy).columns)[0] == "figure_id"


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "cell", ["inf", "-inf", "Infinity", "1e309", "-1E400", "NaN", "nan", "sNaN"]
)
def test_non_finite_number(data_copy: Path, cell: str) -> None:
    def bad(rows: list[list[str]]) -> None:
        rows[3][_col(rows, "value")] = cell

    message = _break(data_copy, bad)
    assert "data/figures.csv, line 4, column 'value': not a finite number: " in message
    assert f"expected a finite number, got {cell!r}" in message
    assert message.startswith("1 problem(s)")


def test_non_finite_number_in_optional_column(data_copy: Path) -> None:
    def bad(rows: list[list[str]]) -> None:
        rows[3][_col(rows, "value_high")] = "inf"

    assert "line 4, column 'value_high': not a finite number" in _break(data_copy, bad)


def test_negative_zero_is_loaded_as_zero(data_copy: Path) -> None:
    path = data_copy.parent / TABLE
    rows = read_rows(path)  # rows 1 and 2 have notes, as corrections need
    rows[1][_col(rows, "value_corrected")] = "-0"
    rows[2][_col(rows, "value_corrected")] = "-0.0"
    write_rows(path, rows)
    values = load_table("figures", data_copy)["value_corrected"]
    effective = load_figures(data_copy)["value"]
    assert effective[0] == effective[1] == 0 and not math.copysign(1, float(effective[0])) < 0
    assert values[0] == values[1] == 0
    assert not math.copysign(1, float(values[0])) < 0
    assert not math.copysign(1, float(values[1])) < 0
    assert json.dumps(float(values[0])) == "0.0"


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [(-0.0, None, "0"), (-0.0, 2, "0.00"), (-0.004, 2, "0.00"), (-0.4, 0, "0"), (-0.5, 1, "-0.5")],
)
def test_fmt_number_never_prints_minus_zero(value: float, decimals: int | None, text: str) -> None:
    from ictstory.story.prose import fmt_number

    assert fmt_number(value, decimals) == text


# ---------------------------------------------------------------- scale


def _largedata() -> ModuleType:
    """tools/largedata.py, the generator of large copies of data/."""
    spec = importlib.util.spec_from_file_location("largedata", ROOT / "tools" / "largedata.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_ids_do_not_run_out(data_copy: Path) -> None:
    def renumber(rows: list[list[str]]) -> None:
        rows[-1][_col(rows, "figure_id")] = "F1000"
        rows[-2][_col(rows, "figure_id")] = "F123456"

    path = data_copy.parent / TABLE
    rows = read_rows(path)
    renumber(rows)
    write_rows(path, rows)
    for name, column, new_id in [("events", "event_id", "E1000"), ("targets", "target_id", "T100")]:
        other = data_copy.parent / f"{name}.csv"
        table = read_rows(other)
        table[-1][_col(table, column)] = new_id
        write_rows(other, table)
    assert find_problems(data_copy) == []


def test_long_ids_have_no_leading_zero(data_copy: Path) -> None:
    def padded(rows: list[list[str]]) -> None:
        rows[-1][_col(rows, "figure_id")] = "F0999"

    message = _break(data_copy, padded)
    assert f"line {len(read_rows(data_copy.parent / TABLE))}, column 'figure_id'" in message
    assert "'F0999'" in message and "pattern" in message


def test_large_table_is_validated_row_by_row(tmp_path: Path) -> None:
    """5,000 rows validate; a bad cell in row 4,321 is found at its line and column."""
    largedata = _largedata()
    descriptor = largedata.large_copy(tmp_path / "data", 5_000)
    assert find_problems(descriptor) == []
    assert len(load_table("figures", descriptor)) == 5_000

    path = descriptor.parent / TABLE
    rows = read_rows(path)
    rows[4_320][_col(rows, "value")] = "4.321,5"
    rows[4_320][_col(rows, "note")] = "row\u00a04321\u200b"
    write_rows(path, rows)
    problems = find_problems(descriptor)
    assert [(p.line, p.column, p.kind) for p in problems] == [
        (4_321, "value", "wrong type"),
        (4_321, "note", "invisible character"),
    ]
    assert problems[0].path == "data/figures.csv"


def test_every_problem_is_counted(tmp_path: Path) -> None:
    """More problems than Frictionless's default cap of 1000: the count is true."""
    largedata = _largedata()
    descriptor = largedata.large_copy(tmp_path / "data", 1_000)
    broken = largedata.break_cells(descriptor, 3_001)
    with pytest.raises(DataValidationError) as caught:
        validate_package(descriptor)
    message = str(caught.value)
    assert message.startswith(f"{broken} problem(s) in data/")
    assert len(caught.value.problems) == broken
    assert message.count("\n  - ") == 50 and f"... and {broken - 50} more" in message
    last = caught.value.problems[-1]
    assert (last.path, last.line) == ("data/figures.csv", 2 + (broken - 1) // 4)


# ---------------------------------------------------------------- validation cache


def test_command_line_validates_once(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from frictionless import Package

    from ictstory import data as data_module

    calls: list[str] = []
    validate = Package.validate

    def counted(self: Package, *args: object, **kwargs: object) -> object:
        calls.append(str(self.basepath))
        return validate(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Package, "validate", counted)
    monkeypatch.setattr(data_module, "descriptor_path", lambda: data_copy)
    assert data_module.main() == 0
    assert "data/ is valid (sources 5, figures " in capsys.readouterr().out
    assert len(calls) == 1


def test_valid_data_is_not_validated_again_in_another_process(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chapter kernel loads a table without validating what make data just validated."""
    from ictstory import data as data_module

    assert find_problems(data_copy) == []
    data_module._validated.cache_clear()  # as in a new process

    def no_check(descriptor: Path) -> list:
        raise AssertionError("validated again")

    monkeypatch.setattr(data_module, "_check", no_check)
    assert len(load_table("figures", data_copy)) > 100

    path = data_copy.parent / TABLE  # changed data is validated again
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="validated again"):
        load_table("figures", data_copy)


def test_see_also_names_an_unknown_term(data_copy: Path) -> None:
    path = data_copy.parent / "glossary.csv"
    rows = read_rows(path)
    col = _col(rows, "see_also")
    rows[3][col] = "CĐS;no such term"
    write_rows(path, rows)
    with pytest.raises(DataValidationError) as caught:
        validate_package(data_copy)
    message = str(caught.value)
    assert "data/glossary.csv, line 4, column 'see_also'" in message
    assert "'no such term' is not a term" in message
    assert "CĐS'" not in message  # the known term is not reported


# ---------------------------------------------------------------- sources and excerpts


def _set(rows: list[list[str]], figure_id: str, column: str, value: str) -> None:
    """Set one cell of the row with ``figure_id``."""
    row = next(r for r in rows[1:] if r[0] == figure_id)
    row[_col(rows, column)] = value


def _line(rows: list[list[str]], figure_id: str) -> int:
    return next(i for i, r in enumerate(rows) if r[0] == figure_id) + 1


def test_excerpt_not_verbatim_in_its_source(data_copy: Path) -> None:
    rows = read_rows(data_copy.parent / TABLE)

    def retyped(rows: list[list[str]]) -> None:
        _set(rows, "F005", "excerpt", "cung cấp 77.254 tấn hàng hoá (1.274 tỷ đồng)")  # oá, not óa

    message = _break(data_copy, retyped)
    assert f"data/figures.csv, line {_line(rows, 'F005')}, column 'excerpt'" in message
    assert "does not occur verbatim in data/sources/000_4f4ee2cd52f97149.txt" in message
    assert "after 'cung cấp 77.254 tấn hàng h' (character 27 of the excerpt)" in message
    assert message.startswith("1 problem(s)")


def test_event_and_target_excerpts_are_checked(data_copy: Path) -> None:
    for name, column in (("events.csv", "excerpt"), ("targets.csv", "excerpt")):
        path = data_copy.parent / name
        rows = read_rows(path)
        rows[2][_col(rows, column)] += " (added)"
        write_rows(path, rows)
    with pytest.raises(DataValidationError) as caught:
        validate_package(data_copy)
    message = str(caught.value)
    assert "data/events.csv, line 3, column 'excerpt': excerpt not in its source" in message
    assert "data/targets.csv, line 3, column 'excerpt': excerpt not in its source" in message


def test_source_without_its_text(data_copy: Path) -> None:
    text = data_copy.parent / "sources" / "003_951a7fe0381d87c6.txt"
    text.rename(text.with_name("003_951a7fe0381d87c7.txt"))
    with pytest.raises(DataValidationError) as caught:
        validate_package(data_copy)
    message = str(caught.value)
    line = 1 + [r[0] for r in read_rows(data_copy.parent / "sources.csv")].index(
        "003_951a7fe0381d87c6"
    )
    assert (
        f"data/sources.csv, line {line}, column 'source_id': source text missing: "
        "no file data/sources/003_951a7fe0381d87c6.txt" in message
    )
    assert "data/sources/003_951a7fe0381d87c7.txt: source without a row" in message


def test_stated_value_must_read_back_from_its_excerpt(data_copy: Path) -> None:
    rows = read_rows(data_copy.parent / TABLE)

    def retyped(rows: list[list[str]]) -> None:
        _set(rows, "F004", "value", "4163")

    message = _break(data_copy, retyped)
    assert f"data/figures.csv, line {_line(rows, 'F004')}, column 'value'" in message
    assert "4163 (count) is not a number of the excerpt (its numbers in count: 4,162)" in message
    assert "correct it in value_corrected (with a note), or add a newer figure" in message


def test_scaled_values_and_targets_read_back(data_copy: Path) -> None:
    def retyped(rows: list[list[str]]) -> None:
        _set(rows, "F029", "value", "2263000")  # the correction typed over the stated value

    message = _break(data_copy, retyped)
    assert "2263000 (VND billion) is not a number of the excerpt" in message
    assert "its numbers in VND billion: 9e-09, 2,263, 97.8" in message

    path = data_copy.parent / "targets.csv"
    rows = read_rows(path)
    rows[1][_col(rows, "target_value")] = "3000"
    write_rows(path, rows)
    with pytest.raises(DataValidationError) as caught:
        validate_package(data_copy)
    assert "data/targets.csv, line 2, column 'target_value': value not in its excerpt" in str(
        caught.value
    )


def test_correction_is_the_effective_value(data_copy: Path) -> None:
    path = data_copy.parent / TABLE
    rows = read_rows(path)
    _set(rows, "F026", "value_corrected", "24")
    write_rows(path, rows)
    message = _break(data_copy, lambda rows: None)
    assert "column 'note': correction without a note" in message

    _set(rows, "F026", "note", "Test: a corrected rank.")
    write_rows(path, rows)
    figures = load_figures(data_copy).set_index("figure_id")
    assert (figures.loc["F026", "value"], figures.loc["F026", "value_stated"]) == (24, 25)
    assert figures.loc["F081", "value"] == 24 + figures.loc["F028", "value"]  # F026 + F028


# ---------------------------------------------------------------- derivations


@pytest.mark.parametrize(
    ("derivation", "detail"),
    [
        ("F026 +* F028", "'F026 +* F028': at character 7: not an arithmetic expression"),
        ("F026 ** 2", "'F026 ** 2': at character 6: '**' is not allowed"),
        ("F026 + F9999", "'F026 + F9999': at character 8: F9999 is not a figure_id"),
        ("F026 / (F028 - F028)", "at character 9: division by zero: F028 - F028 is 0"),
        ("F081 + 1", "circular derivation: F081 → F081"),
    ],
)
def test_derivation_that_cannot_be_computed(data_copy: Path, derivation: str, detail: str) -> None:
    rows = read_rows(data_copy.parent / TABLE)

    def bad(rows: list[list[str]]) -> None:
        _set(rows, "F081", "derivation", derivation)

    message = _break(data_copy, bad)
    where = f"data/figures.csv, line {_line(rows, 'F081')}, column 'derivation'"
    assert f"{where}: derivation fails: " in message
    assert detail in message


def test_circular_derivations_name_the_cycle(data_copy: Path) -> None:
    def cycle(rows: list[list[str]]) -> None:
        _set(rows, "F081", "derivation", "F082 + 1")
        _set(rows, "F082", "derivation", "F083 * 2")
        _set(rows, "F083", "derivation", "F081 / 2")

    message = _break(data_copy, cycle)
    assert "F081 → F082 → F083 → F081" in message
    assert "F082 → F083 → F081 → F082" in message
    assert message.startswith("3 problem(s)")


def test_derived_figure_stores_no_value(data_copy: Path) -> None:
    rows = read_rows(data_copy.parent / TABLE)

    def stale(rows: list[list[str]]) -> None:
        _set(rows, "F382", "value", "25")
        _set(rows, "F004", "value", "")
        _set(rows, "F005", "derivation", "F004 * 2")

    message = _break(data_copy, stale)
    assert f"line {_line(rows, 'F382')}, column 'value': stored derived value" in message
    assert "leave value blank (a stored number would go stale)" in message
    assert f"line {_line(rows, 'F004')}, column 'value': rule broken: value is required" in message
    assert f"line {_line(rows, 'F005')}, column 'derivation': rule broken" in message


def test_derivations_of_derivations_and_display_precision(data_copy: Path) -> None:
    def chain(rows: list[list[str]]) -> None:
        _set(rows, "F386", "derivation", "F384 * 10")  # uses a derived figure
        _set(rows, "F386", "decimals", "")  # 3 significant digits
        _set(rows, "F083", "decimals", "4")

    path = data_copy.parent / TABLE
    rows = read_rows(path)
    chain(rows)
    write_rows(path, rows)
    figures = load_figures(data_copy).set_index("figure_id")
    exact = 30.86 / 1.42  # F312 / F313, at full precision before rounding
    assert figures.loc["F384", "value"] == 21.73
    assert figures.loc["F386", "value"] == round(exact * 10)  # 217, not 217.3
    assert figures.loc["F083", "value"] == 23.5818


def test_display_round() -> None:
    from ictstory.data.derivation import display_round

    assert display_round(23.581818) == 23.6
    assert display_round(0.0584615) == 0.0585
    assert display_round(1234.5) == 1234.0
    assert display_round(1.7 * 7, 1) == 11.9
    assert str(display_round(-0.0001, 2)) == "0.0"


# ---------------------------------------------------------------- issue 18: clear errors


@pytest.mark.parametrize(
    ("derivation", "detail"),
    [
        # before: passed make data, then failed later without naming the row
        ("F026 * " + "9" * 200 + " * " + "9" * 200, "overflows to infinity"),
        # before: OverflowError traceback
        ("9" * 400 + " * F026", "too large (it would be read as infinity)"),
        # before: MemoryError traceback
        ("(" + "-" * 100_000 + "F026)", "characters long; keep it under 500"),
        ("(" * 200 + "F026" + ")" * 200, ""),  # deep but short: computes
    ],
)
def test_absurd_derivation_is_named_not_a_traceback(
    data_copy: Path, derivation: str, detail: str
) -> None:
    path = data_copy.parent / TABLE
    rows = read_rows(path)
    _set(rows, "F081", "derivation", derivation)
    write_rows(path, rows)
    problems = find_problems(data_copy)
    if not detail:
        assert problems == []
        assert math.isfinite(load_figures(data_copy).set_index("figure_id").loc["F081", "value"])
        return
    where = f"data/figures.csv, line {_line(rows, 'F081')}, column 'derivation'"
    messages = [str(p) for p in problems]
    assert len(messages) == 1 and messages[0].startswith(f"{where}: derivation fails"), messages
    assert detail in messages[0]
    assert len(messages[0]) < 600, "the message quotes a whole absurd cell"


@pytest.mark.parametrize(
    ("column", "cell", "kind"),
    [
        ("value", "9" * 400, "not a finite number"),
        ("value", "-" * 100_000 + "5", "wrong type"),
        ("value_high", "1" + "0" * 400, "not a finite number"),
        ("decimals", "9" * 400, "number too large"),
    ],
)
def test_absurd_number_is_named_briefly(data_copy: Path, column: str, cell: str, kind: str) -> None:
    def bad(rows: list[list[str]]) -> None:
        rows[2][_col(rows, column)] = cell

    message = _break(data_copy, bad)
    assert f"data/figures.csv, line 3, column {column!r}: {kind}" in message
    assert len(message) < 2000, "the message quotes a whole absurd cell"


def test_outside_year_too_large_for_64_bits(data_copy: Path) -> None:
    path = data_copy.parent / "outside_series.csv"
    rows = read_rows(path)
    rows[1][rows[0].index("year")] = "9" * 30
    write_rows(path, rows)
    messages = [str(p) for p in find_problems(data_copy)]
    assert any(m.startswith("data/outside_series.csv, line 2, column 'year'") for m in messages), (
        messages
    )


@pytest.mark.parametrize("label", ["unit ", " unit", "figure_id\u00a0"])
def test_header_with_space_is_named(data_copy: Path, label: str) -> None:
    """Before: passed validation, then a KeyError traceback."""

    def spaced(rows: list[list[str]]) -> None:
        rows[0][_col(rows, label.strip())] = label

    message = _break(data_copy, spaced)
    assert f"data/figures.csv, line 1, column {label!r}: space in a column name" in message
    assert f"write it as {label.strip()!r}" in message


@pytest.mark.parametrize(("separator", "name"), [(";", "semicolons"), ("\t", "tabs")])
def test_wrong_separator_is_one_clear_message(data_copy: Path, separator: str, name: str) -> None:
    """Before: hundreds of error lines and no word about the separator."""
    path = data_copy.parent / TABLE
    rows = read_rows(path)
    path.write_text(
        "".join(separator.join(row) + "\n" for row in rows), encoding="utf-8"
    )  # a spreadsheet export where , is the decimal mark
    problems = [p for p in find_problems(data_copy) if p.path == "data/figures.csv"]
    assert len(problems) == 1, [str(p) for p in problems[:5]]
    text = str(problems[0])
    assert text.startswith("data/figures.csv, line 1: wrong separator")
    assert f"separated by {name}" in text and "CSV with commas" in text


def test_formula_text_in_a_table_is_refused(data_copy: Path) -> None:
    """Text cells are published in CSV for spreadsheets: a formula start is refused;
    negative numbers in number columns stay numbers."""

    def formula(rows: list[list[str]]) -> None:
        rows[2][_col(rows, "note")] = '=HYPERLINK("http://example.test","x")'
        rows[3][_col(rows, "label_en")] = "@SUM(A1)"
        rows[4][_col(rows, "value_corrected")] = "-5"

    message = _break(data_copy, formula)
    assert "data/figures.csv, line 3, column 'note': starts like a formula" in message
    assert "data/figures.csv, line 4, column 'label_en': starts like a formula" in message
    assert "line 5, column 'value_corrected': starts like a formula" not in message


@pytest.mark.parametrize(
    ("text", "kind", "line"),
    [
        ("tab\there", "control character", 3),
        ("bell\x07", "control character", 3),
        ("abc\u202egnp.exe", "invisible character", 3),
        ("zero\u200bwidth", "invisible character", 3),
        ("Vie\u0302\u0323t Nam", "text not in NFC form", 3),
        ("lone\rreturn", "stray carriage return", 3),
    ],
)
def test_source_texts_get_the_cell_checks(data_copy: Path, text: str, kind: str, line: int) -> None:
    """Before: the source texts were not checked for control, bidi or decomposed text."""
    source = sorted((data_copy.parent / "sources").glob("*.txt"))[0]
    lines = source.read_text(encoding="utf-8").split("\n")
    lines[line - 1] += text
    source.write_text("\n".join(lines), encoding="utf-8")
    messages = [str(p) for p in find_problems(data_copy)]
    where = f"data/sources/{source.name}, line {line}: {kind}"
    assert any(m.startswith(where) for m in messages), messages


def test_source_text_with_crlf_lines_passes(data_copy: Path) -> None:
    source = sorted((data_copy.parent / "sources").glob("*.txt"))[0]
    source.write_bytes(source.read_bytes().replace(b"\n", b"\r\n"))
    assert find_problems(data_copy) == []


def test_file_cut_inside_a_quoted_cell_is_named(data_copy: Path) -> None:
    """Found by the fuzz test: accepted by the checks, then a pandas ParserError traceback."""
    path = data_copy.parent / TABLE
    raw = path.read_bytes()
    cut = raw.index(b',"', raw.index(b"\nF081")) + 5  # inside a quoted cell of F081's row
    path.write_bytes(raw[:cut])
    line = raw[:cut].count(b"\n") + 1
    messages = [str(p) for p in find_problems(data_copy)]
    assert messages and messages[0].startswith(
        f"data/figures.csv, line {line}, column 'excerpt': broken quoting"
    )
    assert f"a quote (\") opened at line {line} in column 'excerpt' is never closed" in messages[0]
    assert 'end the cell with "' in messages[0]


def _raw_line(path: Path, figure_id: str) -> tuple[bytes, int, int]:
    """The file's bytes, the offset where the row of ``figure_id`` starts and its line."""
    raw = path.read_bytes()
    start = raw.index(f"\n{figure_id},".encode()) + 1
    return raw, start, raw[:start].count(b"\n") + 1


def test_quote_never_closed_names_where_it_opened(data_copy: Path) -> None:
    """A stray quote mid-file: the csv module sees it closed by a later row's quote."""
    path = data_copy.parent / TABLE
    raw, start, line = _raw_line(path, "F022")  # a row with no quoted cell after its label
    label = b"District health centres connected"
    at = raw.index(label, start)
    path.write_bytes(raw[:at] + b'"' + raw[at:])
    problems = find_problems(data_copy)
    assert len(problems) == 1
    message = str(problems[0])
    assert message.startswith(f"data/figures.csv, line {line}, column 'label_en': broken quoting")
    assert f"opened at line {line} in column 'label_en' is never closed" in message
    assert "is written twice" in message and "Error:" not in message


def test_text_after_a_closing_quote_is_named(data_copy: Path) -> None:
    path = data_copy.parent / TABLE
    raw, start, line = _raw_line(path, "F004")
    label = b"Essential-goods supply points"
    at = raw.index(label, start)
    path.write_bytes(raw[:at] + b'"Essential" goods' + raw[at + len(b"Essential-goods") :])
    message = str(find_problems(data_copy)[0])
    assert message.startswith(f"data/figures.csv, line {line}, column 'label_en': broken quoting")
    assert f'text follows the closing quote (") of a cell at line {line}' in message
    assert 'written twice ("")' in message


def test_unknown_source_id_lists_the_nearest_known_ids(data_copy: Path) -> None:
    sources = [r[0] for r in read_rows(data_copy.parent / "sources.csv")[1:]]
    typo = sources[3][:-1] + ("0" if sources[3][-1] != "0" else "1")

    def bad(rows: list[list[str]]) -> None:
        rows[2][_col(rows, "source_id")] = typo

    message = _break(data_copy, bad)
    assert "line 3, column 'source_id': unknown reference" in message
    assert f"{typo!r} is not a source_id of data/sources.csv; the nearest known: " in message
    assert f"the nearest known: {sources[3]!r}" in message  # the one a typo away comes first
    assert "add its row to data/sources.csv first" in message
    assert "lookup table" not in message  # not Frictionless' wording


def test_unit_not_allowed_lists_the_valid_units(data_copy: Path) -> None:
    def bad(rows: list[list[str]]) -> None:
        rows[3][_col(rows, "unit")] = "tonne"

    message = _break(data_copy, bad)
    assert "line 4, column 'unit': rule broken: 'tonne' is not an allowed value" in message
    assert "nearest: 'tonnes'" in message
    assert "valid: 'count', 'thousand', 'million'" in message and "'VND billion'" in message


def test_wrong_but_allowed_unit_is_blamed_on_the_unit(data_copy: Path) -> None:
    rows = read_rows(data_copy.parent / TABLE)

    def bad(rows: list[list[str]]) -> None:
        _set(rows, "F029", "unit", "VND million")  # the excerpt says 2.263 nghìn tỷ

    message = _break(data_copy, bad)
    where = f"data/figures.csv, line {_line(rows, 'F029')}, column 'unit'"
    assert f"{where}: unit does not match its excerpt" in message
    assert "2263 (VND million) is not a number of the excerpt" in message
    assert "but 2263 in 'VND billion', " in message  # the unit most like the wrong one first
    assert "if the unit is wrong, set unit to 'VND billion'; if value is wrong, keep" in message
    assert "column 'value'" not in message
