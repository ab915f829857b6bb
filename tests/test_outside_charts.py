"""Charts and tables of the outside series (ictstory.story.outside): what may be charted,
where lines may be drawn, and what every chart says about its sources."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ictstory.story import charts, outside
from ictstory.story.charts import show, source_line
from ictstory.story.sourcepage import reader_name
from ictstory.story.theme import KIND_DASH, KIND_FILL, KINDS

ALL = list(dict.fromkeys(outside.load()["indicator"]))
CHARTABLE = list(dict.fromkeys(outside.charted(outside.load())["indicator"]))


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICTSTORY_LANG", "en")


def _datasets(chart: object) -> list[dict]:
    spec = chart.to_dict()  # type: ignore[attr-defined]
    return [row for rows in spec.get("datasets", {}).values() for row in rows]


def test_outside_is_a_kind_of_its_own() -> None:
    kinds_en, kinds_vi = KINDS.in_language("en"), KINDS.in_language("vi")
    assert kinds_en["outside"] and kinds_vi["outside"] != kinds_en["outside"]
    looks = {(KIND_FILL[k], tuple(KIND_DASH[k])) for k in KINDS}
    assert len(looks) == len(KINDS), "two kinds of value look the same"


def test_status_leaves_out_low_superseded_and_other_years() -> None:
    rows = outside.load()
    low = rows[rows["confidence"] == "low"]
    assert not low.empty
    assert set(low["status"]) <= {"low", "out_of_range"}
    superseded = rows[rows["superseded_by"].notna() & rows["year"].between(2016, 2021)]
    assert not superseded.empty
    assert set(superseded["status"]) <= {"superseded", "low"}
    assert set(rows.loc[rows["year"] > 2021, "status"]) == {"out_of_range"}
    charted = outside.charted(rows)
    assert (charted["confidence"] != "low").all()
    assert charted["superseded_by"].isna().all()
    assert charted["year"].between(2016, 2021).all()


def test_runs_join_consecutive_years_only() -> None:
    frame = pd.DataFrame(
        {
            "indicator": ["a"] * 6,
            "year": [2016, 2017, 2019, 2020, 2020, 2021],
            "value": [1.0, 2, 3, 4, 5, 6],
        }
    )
    run = outside.runs(frame)
    assert run[0] == run[1]  # 2016-2017
    assert pd.isna(run[3]) and pd.isna(run[4])  # two disagreeing values for 2020
    # 2019 and 2021 each stand alone: 2018 is missing and 2020 has two values
    assert len({run[0], run[2], run[5]}) == 3


@pytest.mark.parametrize("indicator", ["upu_2ipd_rank", "gci_rank", "egdi_rank"])
def test_no_line_crosses_a_missing_year(indicator: str) -> None:
    chart, rows = outside.trajectory([indicator], title="A title that states a finding")
    data = pd.DataFrame(_datasets(chart))
    for _run, part in data.dropna(subset=["run"]).groupby("run"):
        years = sorted(part["year"])
        assert years == list(range(years[0], years[0] + len(years))), years


def test_a_chart_shows_only_charted_rows_one_unit_per_panel() -> None:
    chart, rows = outside.trajectory(CHARTABLE[:6], title="A title that states a finding")
    data = pd.DataFrame(_datasets(chart))
    ids = set(data["series_id"])
    loaded = outside.load(CHARTABLE[:6]).set_index("series_id")
    assert set(loaded.loc[list(ids), "status"]) == {"charted"}
    assert ids == set(rows["series_id"])
    spec = chart.to_dict()
    assert len(spec["vconcat"]) == 6
    for panel in spec["vconcat"]:
        data_ref = panel.get("data") or panel["layer"][0]["data"]
        panel_rows = spec["datasets"][data_ref["name"]]
        assert len({r["unit"] for r in panel_rows}) == 1
    assert set(data["kind"]) == {"outside"}


def test_an_indicator_with_nothing_chartable_is_refused() -> None:
    nothing = [i for i in ALL if i not in CHARTABLE]
    assert nothing
    with pytest.raises(ValueError, match="no value can be charted"):
        outside.trajectory(nothing[:1], title="A title that states a finding")


def test_tooltips_carry_source_excerpt_and_confidence() -> None:
    chart, _ = outside.trajectory(["internet_users"], title="A title that states a finding")
    fields = {t["field"] for t in chart.to_dict()["layer"][1]["encoding"]["tooltip"]}
    assert {"excerpt", "confidence_text", "publisher_name", "kind_text", "value_text"} <= fields


def test_a_shown_chart_says_its_values_come_from_outside() -> None:
    chart, rows = outside.trajectory(["gci_rank"], title="A title that states a finding")
    block = show(chart, alt_text=outside.alt_text(rows, "Vietnam's rank in the index."))
    assert "Sources outside the ministry" in block.markup
    assert "not checked against the publishers" in block.markup
    spec = block.spec
    assert "Outside sources" in json.dumps(spec["title"])
    untitled, _ = outside.trajectory(["gci_rank"])
    marked = charts._block(untitled, alt_text="z" * 30, source_ids=(), key="o", slug="test-outside")
    assert 'class="ictstory-chart__note">Outside sources, not the ministry' in marked.markup
    for text in rows["value_text"]:
        assert text in spec["description"]


def test_the_ministrys_documents_chart_is_not_called_outside() -> None:
    """The introduction's chart of the five documents borrows the outside columns for its
    text description; it gets no "Outside sources" note (its rows cite documents)."""
    from ictstory.data import load_table
    from ictstory.story import overview

    docs = overview.source_docs(load_table("sources"))
    chart = overview.sources_timeline(docs)
    block = charts._block(chart, alt_text="z" * 30, source_ids=(), key="d", slug="test-docs")
    assert "ictstory-chart__note" not in block.markup


def test_source_line_names_each_publisher_once_and_rejects_unknown_ids() -> None:
    sources = outside.load_table("outside_sources")
    same = sources[sources["publisher"].duplicated(keep=False)]
    assert not same.empty
    ids = list(same["outside_source_id"])
    line = source_line(ids)
    assert line.startswith("Source")
    assert line.count(str(same["publisher"].iloc[0])) == 1
    with pytest.raises(KeyError):
        outside.source_line(["XS999"])


def test_mixed_source_line_names_documents_and_outside_sources() -> None:
    document = str(outside.load_table("sources")["source_id"].iloc[0])
    line = source_line([document, "XS01"])
    assert line.startswith("Source: ") and reader_name(document) in line
    assert "Sources outside the ministry" in line


def test_table_lists_left_out_rows_with_the_reason() -> None:
    text = str(outside.table(["upu_2ipd_rank", "ict_industry_revenue_usd"], drawn=None))
    assert "no: low confidence" in text
    assert "no: replaced by X" in text
    assert text.startswith("<details")


def test_table_and_chart_text_are_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    real = outside.load_table

    def hostile(name: str, *args: object) -> pd.DataFrame:
        frame = real(name)
        if name == "outside_sources":
            frame["publisher"] = "<script>alert(1)</script>"
        return frame

    monkeypatch.setattr(outside, "load_table", hostile)
    text = str(outside.table(["gci_rank"], drawn=None))
    assert "<script>" not in text and "&lt;script&gt;" in text
    chart, rows = outside.trajectory(["gci_rank"], title="A title that states a finding")
    block = show(chart, alt_text=outside.alt_text(rows, "Vietnam's rank in the index."))
    assert "<script>alert" not in block.markup


def test_vietnamese_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICTSTORY_LANG", "vi")
    row = outside.pick("postal_revenue_vnd", 2016)
    assert row["value_text"] == f"{int(row['value']):,} tỷ đồng".replace(",", ".")
    rank = outside.pick("gci_rank", 2020)
    assert rank["value_text"] == f"thứ {int(rank['value'])}"
    assert "Nguồn bên ngoài" in outside.source_line(["XS01"])
    assert "không: độ tin cậy thấp" in str(outside.table(["upu_2ipd_rank"], drawn=None))


def test_pick_refuses_an_ambiguous_year() -> None:
    with pytest.raises(ValueError, match="2 rows"):
        outside.pick("sector_revenue", 2016)
    assert outside.pick("gci_rank", 2017, "medium")["value"] == 101
