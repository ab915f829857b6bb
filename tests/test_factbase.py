"""Tests of the fact base in data/ against its descriptor, its sources and itself.

The texts of the source documents are data too, in ``data/sources/<source_id>.txt``,
so a clone checks every excerpt with nothing beside it. ``make data`` makes the
same checks (excerpts verbatim, values read back, derivations compute); these
tests read the raw CSV files independently of it.
"""

from __future__ import annotations

import calendar
import csv
import json
import math
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from ictstory.data import load_figures
from ictstory.data.derivation import DerivationError, evaluate
from ictstory.data.vnnumber import contains_value, parse_numbers, parse_vn_numeral, unit_scale

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SOURCES_DIR = DATA / "sources"
CHECKED_KINDS = {"reported", "estimated", "comparison", "target"}
SIX_FIELDS = [
    "postal",
    "telecom",
    "digital_transformation",
    "cybersecurity",
    "ict_industry",
    "press_media",
]


@cache
def table(name: str) -> tuple[dict[str, str], ...]:
    """Rows of ``data/<name>.csv`` as dicts of strings."""
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


@cache
def descriptor() -> dict:
    """The parsed ``data/datapackage.json``."""
    return json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))


def schema_field(resource: str, field: str) -> dict:
    """The descriptor entry of one field of one resource."""
    for res in descriptor()["resources"]:
        if res["name"] == resource:
            for fld in res["schema"]["fields"]:
                if fld["name"] == field:
                    return fld
    raise KeyError(f"{resource}.{field}")


@cache
def source_texts() -> dict[str, str]:
    """Text of every source document by source_id (data/sources/<source_id>.txt)."""
    return {p.stem: p.read_text(encoding="utf-8") for p in SOURCES_DIR.glob("*.txt")}


def figures_by_id() -> dict[str, dict[str, str]]:
    """figures.csv keyed by figure_id."""
    return {r["figure_id"]: r for r in table("figures")}


# ---------------------------------------------------------------- descriptor


def test_descriptor_validates() -> None:
    """Frictionless accepts the package: types, enums, patterns, keys."""
    from frictionless import validate

    report = validate(str(DATA / "datapackage.json"))
    errors = [f"{task.name}: {err.message}" for task in report.tasks for err in task.errors] + [
        err.message for err in report.errors
    ]
    assert report.valid, "\n".join(errors[:30])


def test_descriptor_metadata() -> None:
    """Name, licence, sources and the resources as agreed."""
    pkg = descriptor()
    assert pkg["name"] == "vietnam-ict-2016-2021"
    assert pkg["licenses"][0]["name"] == "CC-BY-4.0"
    assert pkg["sources"] == [
        {
            "title": "The Vietnamese-language documents listed in sources.csv; "
            "the text of each is sources/<source_id>.txt",
            "path": "sources/",
        }
    ]
    names = [r["name"] for r in pkg["resources"]]
    assert names == [
        "sources",
        "figures",
        "events",
        "targets",
        "glossary",
        "covid_waves",
        "framing",
        "outside_sources",
        "outside_indicators",
        "outside_series",
        "peers_areas",
        "peers_sources",
        "peers_series",
        "vocabulary",
    ]
    for res in pkg["resources"]:
        assert res["path"] == f"{res['name']}.csv"
        assert res["profile"] == "tabular-data-resource"
        assert res["encoding"] == "utf-8"
        assert res["schema"]["primaryKey"]
        for fld in res["schema"]["fields"]:
            assert fld.get("type") and fld.get("description"), fld["name"]


def test_csv_files_are_plain() -> None:
    """UTF-8, LF line endings, no BOM."""
    for res in descriptor()["resources"]:
        raw = (DATA / res["path"]).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), res["path"]
        assert b"\r" not in raw, res["path"]
        raw.decode("utf-8")


# ---------------------------------------------------------------- excerpts


@pytest.mark.parametrize("name", ["figures", "events", "targets"])
def test_excerpts_are_verbatim(name: str) -> None:
    """Every excerpt occurs verbatim in its source document."""
    texts = source_texts()
    missing = [
        (row[f"{name[:-1]}_id"], row["excerpt"])
        for row in table(name)
        if row["excerpt"] not in texts[row["source_id"]]
    ]
    assert not missing, missing


def test_figure_excerpts_are_short() -> None:
    """Excerpts stay quotations, not paragraphs."""
    long = [r["figure_id"] for r in table("figures") if len(r["excerpt"]) > 200]
    assert not long


def test_sources_are_the_documents() -> None:
    """sources.csv lists exactly the documents of the sources folder."""
    texts = source_texts()
    assert len(texts) >= 5
    assert {r["source_id"] for r in table("sources")} == set(texts)


def test_source_texts_are_kept_as_received() -> None:
    """UTF-8 without a byte-order mark or carriage returns, NFC, not empty."""
    import unicodedata

    for path in SOURCES_DIR.glob("*.txt"):
        raw = path.read_bytes()
        assert raw and not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw, path.name
        assert unicodedata.is_normalized("NFC", raw.decode("utf-8")), path.name


# ---------------------------------------------------------------- read-back


def test_values_read_back_from_excerpts() -> None:
    """Stated values (and range ends) are among the numbers parsed from the excerpt."""
    bad = []
    for row in table("figures"):
        if row["kind"] not in CHECKED_KINDS:
            continue
        for col in ("value", "value_high"):
            if row[col] and not contains_value(row["excerpt"], float(row[col]), row["unit"]):
                bad.append((row["figure_id"], col, row[col], row["unit"], row["excerpt"]))
    assert not bad, bad


def test_target_values_read_back() -> None:
    """Numeric targets can be read from their excerpt too."""
    bad = [
        r["target_id"]
        for r in table("targets")
        if r["target_value"]
        and not contains_value(r["excerpt"], float(r["target_value"]), r["unit"])
    ]
    assert not bad


# ---------------------------------------------------------------- derived rows


def test_evaluate_is_safe() -> None:
    """The evaluator does arithmetic only."""
    assert evaluate("(F001 + 2) * 3 / -2", {"F001": 4.0}) == -9.0
    for bad in ["__import__('os')", "F001 ** 2", "abs(F001)", "F001.real", "'a'", "F001 // 2"]:
        with pytest.raises(DerivationError):
            evaluate(bad, {"F001": 4.0})
    with pytest.raises(DerivationError, match="F999 is not a figure_id"):
        evaluate("F999", {})
    with pytest.raises(DerivationError, match="division by zero"):
        evaluate("1 / (F001 - 4)", {"F001": 4.0})


def test_derived_rows_store_no_value() -> None:
    """A derived row has a derivation and a note, and leaves value blank: it is computed."""
    figs = figures_by_id()
    for fid, row in figs.items():
        if row["kind"] != "derived":
            assert not row["derivation"], f"{fid}: derivation on a non-derived row"
            assert row["value"], f"{fid}: a stated figure needs its value"
            continue
        assert row["derivation"], f"{fid}: derived row without derivation"
        assert row["note"], f"{fid}: derived row without a note explaining the arithmetic"
        assert not row["value"] and not row["value_corrected"], f"{fid}: stored derived value"
        for ref in re.findall(r"F\d{3,}", row["derivation"]):
            assert ref in figs and ref != fid, f"{fid}: bad reference {ref}"


def test_derived_values_are_computed_on_load() -> None:
    """load_figures computes every derivation over effective values, rounded for display."""
    loaded = load_figures().set_index("figure_id")
    raw = figures_by_id()
    effective = {
        fid: float(r["value_corrected"] or r["value"]) for fid, r in raw.items() if r["value"]
    }
    for fid, row in raw.items():
        if row["kind"] != "derived":
            assert loaded.loc[fid, "value"] == effective[fid], fid
            continue
        exact = evaluate(row["derivation"], {**effective, **_derived_exact(raw, effective)})
        places = int(row["decimals"]) if row["decimals"] else None
        assert loaded.loc[fid, "value"] == pytest.approx(exact, abs=0.5 * 10 ** -(places or 0))
        assert loaded.loc[fid, "value_stated"] is pd.NA, fid
    assert loaded.loc["F083", "value"] == 23.58  # 2594 / 11000 * 100 at decimals 2
    assert loaded.loc["F282", "value"] == 11.9  # 1.7 * 7, not 11.899999999999999


def _derived_exact(raw: dict[str, dict[str, str]], effective: dict[str, float]) -> dict:
    """Derived figures at full precision (derivations of derivations in a few passes)."""
    out: dict[str, float] = {}
    for _ in range(5):
        for fid, row in raw.items():
            if row["kind"] == "derived":
                try:
                    out[fid] = evaluate(row["derivation"], {**effective, **out})
                except DerivationError:
                    pass
    return out


# ---------------------------------------------------------------- integrity


def test_corrections_have_notes() -> None:
    """A corrected value always comes with an explanation."""
    assert all(r["note"] for r in table("figures") if r["value_corrected"])


def test_ranges() -> None:
    """value_high only for ranges, above value."""
    for r in table("figures"):
        if r["qualifier"] == "range":
            assert r["value_high"], r["figure_id"]
        if r["value_high"]:
            assert float(r["value_high"]) > float(r["value"]), r["figure_id"]


def test_indicators_keep_one_unit() -> None:
    """All rows of one indicator share one unit."""
    units: dict[str, set[str]] = {}
    for r in table("figures"):
        units.setdefault(r["indicator"], set()).add(r["unit"])
    assert {k: v for k, v in units.items() if len(v) > 1} == {}


def test_targets_measure_known_indicators() -> None:
    """A target's indicator has figures; a numeric target has a unit. Its progress figure
    is not stored: it is the newest figure of the indicator (prose.latest)."""
    indicators = {r["indicator"] for r in table("figures")}
    for t in table("targets"):
        assert "progress_figure_id" not in t
        if t["indicator"]:
            assert t["indicator"] in indicators, t["target_id"]
        if t["target_value"]:
            assert t["unit"], t["target_id"]


@pytest.mark.parametrize(
    ("name", "column", "pattern"),
    [
        ("figures", "figure_id", r"F\d{3}"),
        ("events", "event_id", r"E\d{3}"),
        ("targets", "target_id", r"T\d{2}"),
    ],
)
def test_id_formats(name: str, column: str, pattern: str) -> None:
    """Ids follow their pattern and are unique."""
    ids = [r[column] for r in table(name)]
    assert all(re.fullmatch(pattern, i) for i in ids)
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("name", "column"), [("figures", "figure_id"), ("events", "event_id")])
def test_ids_follow_source_blocks(name: str, column: str) -> None:
    """F0xx/E0xx come from source 000, F1xx/E1xx from 001, ... (stable numbering)."""
    for r in table(name):
        assert r[column][1] == r["source_id"][2], r[column]


def _last_day(year: int, month: int) -> str:
    """ISO date of the last day of a month."""
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def expected_bounds(period: str) -> tuple[str, str, str]:
    """(period_type, period_start, period_end) implied by a period string."""
    if m := re.fullmatch(r"(\d{4})", period):
        y = int(m[1])
        return "year", f"{y}-01-01", f"{y}-12-31"
    if m := re.fullmatch(r"(\d{4})-H([12])", period):
        y, h = int(m[1]), int(m[2])
        return "half", f"{y}-{6 * h - 5:02d}-01", _last_day(y, 6 * h)
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", period):
        y, q = int(m[1]), int(m[2])
        return "quarter", f"{y}-{3 * q - 2:02d}-01", _last_day(y, 3 * q)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})M", period):
        y, n = int(m[1]), int(m[2])
        return "ytd", f"{y}-01-01", _last_day(y, n)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", period):
        y, mo = int(m[1]), int(m[2])
        return "month", f"{y}-{mo:02d}-01", _last_day(y, mo)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", period):
        return "date", period, period
    if m := re.fullmatch(r"(\d{4})/(\d{4})", period):
        return "span", f"{m[1]}-01-01", f"{m[2]}-12-31"
    if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})", period):
        return "span", m[1], m[2]
    raise ValueError(f"unknown period {period!r}")


def test_periods_consistent() -> None:
    """period_type, period_start and period_end agree with period."""
    bad = []
    for r in table("figures"):
        got = (r["period_type"], r["period_start"], r["period_end"])
        if got != expected_bounds(r["period"]) or r["period_start"] > r["period_end"]:
            bad.append((r["figure_id"], r["period"], got))
    assert not bad, bad


def test_sources_periods() -> None:
    """Each source's reporting period is ordered."""
    for r in table("sources"):
        assert r["period_start"] <= r["period_end"], r["source_id"]


def test_coverage() -> None:
    """Every source gives figures; every field has at least two."""
    per_source = Counter(r["source_id"] for r in table("figures"))
    assert all(per_source[r["source_id"]] >= 1 for r in table("sources"))
    per_field = Counter(r["field"] for r in table("figures"))
    for field in schema_field("figures", "field")["constraints"]["enum"]:
        assert per_field[field] >= 2, field
    assert all(per_field[f] >= 2 for f in SIX_FIELDS)


def test_known_correction_recorded() -> None:
    """The ICT revenue unit error of source 000 is corrected to trillions; the
    corrected value is the effective one, the stated one is kept beside it."""
    rows = [r for r in table("figures") if r["indicator"] == "ict_revenue"]
    assert rows and float(rows[0]["value"]) == 2263
    assert float(rows[0]["value_corrected"]) == 2263000
    loaded = load_figures().set_index("figure_id").loc[rows[0]["figure_id"]]
    assert (loaded["value"], loaded["value_stated"]) == (2263000, 2263)


# ---------------------------------------------------------------- parser


def values(text: str) -> list[float]:
    """Parsed values of a text."""
    return [n.value for n in parse_numbers(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cung cấp 77.254 tấn hàng hóa (1.274 tỷ đồng)", [77254.0, 1274e9]),
        ("đạt 76,42 thuê bao băng rộng/100 dân", [76.42, 100.0]),
        ("9.637 đài truyền thanh cấp xã", [9637.0]),
        ("Doanh thu ICT 9 tháng ước đạt 2.263 tỷ đồng (~ 97,8 tỷ USD)", [9.0, 2263e9, 97.8e9]),
        ("2,6 triệu tin nhắn ủng hộ", [2.6e6]),
        ("08 Thứ trưởng", [8.0]),
        ("đạt 2.263 nghìn tỷ đồng", [2263e12]),
        ("661 nghìn người dân", [661e3]),
        ("chiếm 30,86% vào năm 2020", [30.86, 2020.0]),
        ("từ 0 lên 100%", [0.0, 100.0]),
        ("tăng gấp đôi băng thông", [2.0]),
        ("Trong bốn thành phần này, hai thành phần", [4.0, 2.0]),
        ("Năm bài học rút ra", [5.0]),
    ],
)
def test_parser_values(text: str, expected: list[float]) -> None:
    """Numbers with thousands dots, decimal commas, scale words and number words."""
    got = values(text)
    assert len(got) == len(expected), got
    assert all(math.isclose(a, b, rel_tol=1e-12) for a, b in zip(got, expected, strict=True))


def test_parser_ranges() -> None:
    """Ranges give both ends, each with the shared scale word."""
    nums = parse_numbers("Mỗi ngày có 700-1000 tin trên báo chí, thu hút 20-30 triệu lượt đọc")
    assert [n.value for n in nums] == [700.0, 1000.0, 20e6, 30e6]
    assert nums[0].high == 1000.0 and nums[2].high == 30e6
    lan = parse_numbers("gấp 2-3 lần tốc độ tăng trưởng GDP")
    assert [(n.value, n.high) for n in lan] == [(2.0, 3.0), (3.0, None)]


def test_parser_percent_and_year_words() -> None:
    """Percent is flagged; 'năm' as 'year' and 'tỷ lệ' (rate) are not numbers."""
    nums = parse_numbers("tăng 67,8% so với năm 2019, tỷ lệ 100 năm nay")
    assert [(n.value, n.percent) for n in nums] == [(67.8, True), (2019.0, False), (100.0, False)]
    assert values("trong 5 năm qua") == [5.0]
    assert values("một số kết quả") == []


def test_parse_vn_numeral() -> None:
    """The bare numeral reader."""
    assert parse_vn_numeral("4.162") == 4162
    assert parse_vn_numeral("76,42") == 76.42
    assert parse_vn_numeral("1.274,5") == 1274.5
    with pytest.raises(ValueError):
        parse_vn_numeral("1,2,3")


def test_contains_value_units() -> None:
    """Values stored in a unit's scale match the text's absolute number."""
    assert unit_scale("VND billion") == 1e9 and unit_scale("percent") == 1
    assert contains_value("2,6 triệu tin nhắn", 2.6, "million")
    assert contains_value("khoảng 2.500 tỷ đồng", 2500, "VND billion")
    assert contains_value("doanh thu thuần đạt 900 triệu USD", 900, "USD million")
    assert contains_value("giảm 26%", -26, "percent")
    assert not contains_value("giảm 26%", 26, "million")
