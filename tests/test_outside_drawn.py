"""Outside tables from what was drawn (ictstory.story.outside): one publication (vintage)
per line, a break said in words, "On the chart" from the chart's own data, and the
ministry's growth set against the outside values where both speak of the postal sector.

The mechanism tests need no build; the last two read the built site of both editions
(the session fixtures ``site`` and ``site_vi``): every outside table's "yes" rows are
exactly the rows its chart draws.
"""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path
from urllib.parse import unquote

import pandas as pd
import pytest

from ictstory.paths import project_root
from ictstory.story import outside
from ictstory.story.prose import number_word

ROOT = project_root()
SECTION_CHARTS = {  # chapter: its outside chart, which an outside table follows
    "postal": "postal-outside",
    "telecom": "telecom-subscriptions",
    "cybersecurity": "cybersecurity-outside-gci",
    "digital-transformation": "dt-egdi",
    "ict-industry": "ict-industry-outside",
    "press-media": "press-media-outside-agencies",
}


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICTSTORY_LANG", "en")


def _drawn_rows(chart: object) -> pd.DataFrame:
    spec = chart.to_dict()  # type: ignore[attr-defined]
    return pd.DataFrame([row for rows in spec.get("datasets", {}).values() for row in rows])


def test_a_line_never_joins_two_publications() -> None:
    frame = pd.DataFrame(
        {
            "indicator": ["a"] * 4,
            "year": [2018, 2019, 2020, 2021],
            "value": [1.0, 2, 3, 4],
            "outside_source_id": ["XS1", "XS1", "XS2", "XS2"],
        }
    )
    run = outside.runs(frame)
    assert run[0] == run[1] and run[2] == run[3] and run[1] != run[2]
    assert outside.breaks(frame) == [("a", 2019, 2020)]


def test_every_charted_line_holds_one_publication() -> None:
    rows = outside.charted(outside.load())
    rows = rows.assign(run=outside.runs(rows))
    joined = rows.dropna(subset=["run"]).groupby("run")
    assert joined.ngroups
    for run, part in joined:
        assert part["outside_source_id"].nunique() == 1, (run, list(part["series_id"]))


def test_the_ict_revenue_line_breaks_where_the_2021_source_begins() -> None:
    """The 2021 value's own source says it rose some 11.4 billion over 2020, which implies
    another 2020 than the one charted: the two are never joined."""
    rows = outside.charted(outside.load(["ict_industry_revenue_usd"]))
    assert ("ict_industry_revenue_usd", 2020, 2021) in outside.breaks(rows)
    chart, drawn = outside.trajectory(["ict_industry_revenue_usd"])
    data = _drawn_rows(chart)
    last_two = data[data["year"].isin([2020, 2021])]
    assert len(last_two) == 2 and last_two["run"].nunique() == 2
    words = outside.break_words(drawn)
    assert "2020–2021" in words and "Revenue of the ICT industry" in words


def test_break_words_are_empty_without_a_break() -> None:
    rows = outside.charted(outside.load(["internet_users"]))
    assert outside.breaks(rows) == [] and outside.break_words(rows) == ""


def _on_the_chart(table_html: str) -> dict[str, str]:
    """Row id -> "On the chart" cell of an outside table."""
    rows = re.findall(r"<tr>(.*?)</tr>", table_html, re.S)
    cells = [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S) for row in rows]
    head = [re.sub("<[^>]+>", "", c) for c in cells[0]]
    at = head.index("On the chart")
    return {
        re.sub("<[^>]+>", "", row[0]): html.unescape(re.sub("<[^>]+>", "", row[at]))
        for row in cells[1:]
    }


def test_on_the_chart_says_yes_only_for_rows_the_chart_draws() -> None:
    indicators = ["postal_revenue_vnd", "upu_2ipd_rank"]
    chart, _rows = outside.trajectory(indicators)
    drawn = set(_drawn_rows(chart)["series_id"])
    listed = indicators + ["postal_revenue_usd", "upu_2ipd_score"]
    table = str(outside.table(listed, drawn=chart))
    status = _on_the_chart(table)
    assert {sid for sid, said in status.items() if said == "yes"} == drawn
    scores = outside.load(["upu_2ipd_score"])
    charted_not_drawn = scores.loc[scores["status"] == "charted", "series_id"]
    assert not charted_not_drawn.empty
    for sid in charted_not_drawn:
        assert status[sid] == "no: not drawn on this chart"
    summary = re.search(r"<summary>(.*?)</summary>", table).group(1)  # type: ignore[union-attr]
    assert summary.startswith(f"The {number_word(len(status))} outside values")
    assert f"{number_word(len(drawn))} drawn on the chart" in summary
    assert f"({number_word(len(status) - len(drawn))} not charted" in summary


def test_a_table_without_a_chart_draws_nothing_and_a_stray_row_is_refused() -> None:
    status = _on_the_chart(str(outside.table(["gci_score"], drawn=None)))
    assert set(status.values()) <= {
        "no: not drawn on this chart",
        "no: low confidence",
    }
    chart, _ = outside.trajectory(["gci_rank"])
    with pytest.raises(ValueError, match="does not list"):
        outside.table(["gci_score"], drawn=chart)


def test_every_chapter_table_names_the_chart_it_describes() -> None:
    """A chapter's ``st.outside.table`` is given the chart it sits under (``drawn=``)."""
    seen = 0
    for folder in ("chapters", "vi/chapters"):
        for page in sorted((ROOT / folder).glob("*.md")):
            text = page.read_text(encoding="utf-8")
            calls = [m.start() for m in re.finditer(r"st\.outside\.table\(", text)]
            for start in calls:
                cell = text[start : text.index("\n```", start)]
                assert "drawn=" in cell, f"{page}: st.outside.table without drawn="
                seen += 1
    assert seen >= 2 * len(SECTION_CHARTS)


def test_postal_growth_is_set_against_the_outside_values() -> None:
    """The ministry's yearly growth and the outside revenue speak of the postal sector:
    the text glues both, and the outside rate is computed from the two values."""
    first, last = outside.pick("postal_revenue_vnd", 2016), outside.pick("postal_revenue_vnd", 2020)
    expected = ((last["value"] / first["value"]) ** (1 / 4) - 1) * 100
    assert outside.annual_growth("postal_revenue_vnd", 2016, 2020) == pytest.approx(expected)
    for page in (ROOT / "chapters" / "postal.md", ROOT / "vi" / "chapters" / "postal.md"):
        text = page.read_text(encoding="utf-8")
        paragraph = next(p for p in text.split("\n\n") if "`out_postal_cagr`" in p)
        for name in ("out_postal_doc_growth", "out_postal_implied", "out_postal_doc_h1"):
            assert f"`{name}`" in paragraph, (page, name)


def _drawn_by_figure(text: str) -> dict[str, set[str]]:
    """Chart slug -> the outside row ids its data holds, read from the chart's CSV
    download (the published spec keeps only the fields its marks and tooltips use)."""
    drawn = {}
    for figure in re.finditer(r'<figure class="ictstory-chart"[^>]*data-slug="([^"]+)"', text):
        end = text.index("</figure>", figure.end())
        link = re.search(
            r'class="ictstory-chart__csv" href="data:text/csv;charset=utf-8,([^"]*)"',
            text[figure.end() : end],
        )
        if not link:
            continue
        rows = list(
            csv.DictReader(io.StringIO(unquote(html.unescape(link.group(1))).lstrip("\ufeff")))
        )
        drawn[figure.group(1)] = {row["series_id"] for row in rows if row.get("series_id")}
    return drawn


def _cells(table_html: str) -> dict[str, str]:
    rows = re.findall(r"<tr>(.*?)</tr>", table_html, re.S)
    cells = [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S) for row in rows]
    return {
        re.sub("<[^>]+>", "", row[0]): html.unescape(re.sub("<[^>]+>", "", row[5]))
        for row in cells[1:]
    }


def _check_built(site: Path, yes: str) -> None:
    for chapter, slug in SECTION_CHARTS.items():
        text = (site / "chapters" / f"{chapter}.html").read_text(encoding="utf-8")
        drawn = _drawn_by_figure(text)
        ids = drawn.get(slug, set())
        assert ids, (chapter, f"chart {slug} draws no outside rows")
        tables = [
            _cells(text[m.start() : text.index("</details>", m.start())])
            for m in re.finditer(r'<details class="ictstory-outside">', text)
        ]
        assert tables, (chapter, "no outside table")
        charts = [found for found in drawn.values() if found]
        for status in tables:
            said = {sid for sid, cell in status.items() if cell == yes}
            # every table's "yes" rows are exactly the rows one chart of the page draws
            assert said in charts, (chapter, sorted(said))
        matching = [status for status in tables if ids <= set(status)]
        assert matching, (chapter, f"no table lists the rows of {slug}")
        assert any({s for s, c in st.items() if c == yes} == ids for st in matching), chapter


def test_built_tables_say_yes_for_exactly_the_drawn_rows(site: Path) -> None:
    _check_built(site, "yes")


def test_built_vietnamese_tables_say_yes_for_exactly_the_drawn_rows(site_vi: Path) -> None:
    _check_built(site_vi, "có")


def test_the_trend_is_counted_from_the_charted_values() -> None:
    """'All rose' only when every series ends above its start; a dip on the way is counted."""
    frame = pd.DataFrame(
        {
            "indicator": ["a", "a", "a", "r", "r"],
            "year": [2016, 2017, 2018, 2018, 2021],
            "value": [1.0, 3, 2, 40, 45],
            "unit": ["percent"] * 3 + ["rank"] * 2,
        }
    )
    text = outside.trend_words(frame)
    assert text.startswith("one of two series rose") and "two fell" in text  # rank 40th→45th
    frame.loc[4, "value"] = 30  # the rank's number falls: the rank rises
    text = outside.trend_words(frame)
    assert text.startswith("all two series rose") and "one fell" in text
