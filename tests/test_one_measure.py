"""One measure per axis (issue 22, point 1): the data says what each indicator
measures (``data/measures.csv``), the chart layer refuses unlike measures on one
axis (:mod:`ictstory.story.axes`), and every chart of both built editions passes.

The data and refusal tests are fast (no build; about 10 s on a loaded 2-core
machine, most of it importing Altair); the built-site tests read the specs the
book published (``site``, ``site_vi``: no extra build).
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

import ictstory.story as st
from ictstory.data import load_table, vocabulary
from ictstory.data import measures as data_measures
from ictstory.paths import project_root
from ictstory.story import axes

DATA = project_root() / "data"


@pytest.fixture(scope="module")
def facts() -> pd.DataFrame:
    return st.figures()


def _bars(rows: pd.DataFrame) -> alt.LayerChart:
    return st.labelled_bars(rows.assign(short=rows["figure_id"]), label="short", x_title="x")


# --- the data ------------------------------------------------------------------


def test_every_indicator_says_what_it_measures() -> None:
    table = load_table("measures")
    used = set(load_table("figures")["indicator"]) | set(
        load_table("outside_indicators")["indicator"]
    )
    used |= set(load_table("targets")["indicator"].dropna())
    assert used == set(table["indicator"])
    assert set(table["period_kind"]) <= {"flow", "cumulative", "stock", "change", "rate", "rank"}
    assert data_measures.problems(DATA) == []


def _copy(tmp_path: Path, *names: str) -> Path:
    for name in names:
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


def _drop_row(path: Path, column: str, value: str) -> int:
    """Remove the row whose ``column`` is ``value``; return its former line."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    index = rows[0].index(column)
    line = next(i for i, row in enumerate(rows) if row[index] == value)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows[:line] + rows[line + 1 :])
    return line + 1


def test_an_indicator_without_its_measure_is_named_by_file_line_and_column(
    tmp_path: Path,
) -> None:
    data = _copy(tmp_path, "figures.csv", "targets.csv", "outside_indicators.csv", "measures.csv")
    _drop_row(data / "measures.csv", "indicator", "spoofed_calls_blocked")
    with (data / "figures.csv").open(encoding="utf-8") as handle:
        rows = enumerate(csv.DictReader(handle), start=2)
        line = next(i for i, r in rows if r["indicator"] == "spoofed_calls_blocked")
    found = data_measures.problems(data)
    assert [(p.path, p.line, p.column, p.kind) for p in found] == [
        ("data/figures.csv", line, "indicator", "measure missing")
    ]
    assert "spoofed_calls_blocked" in found[0].detail


def test_a_row_no_table_uses_is_named(tmp_path: Path) -> None:
    data = _copy(tmp_path, "figures.csv", "targets.csv", "outside_indicators.csv", "measures.csv")
    with (data / "measures.csv").open("a", encoding="utf-8") as handle:
        handle.write("no_such_indicator,calls,flow,\n")
    found = data_measures.problems(data)
    assert [(p.path, p.kind, p.column) for p in found] == [
        ("data/measures.csv", "measure unused", "indicator")
    ]
    assert found[0].line == len((data / "measures.csv").read_text().splitlines())


def test_a_measure_and_a_period_kind_need_words_in_both_languages(tmp_path: Path) -> None:
    data = _copy(tmp_path, "vocabulary.csv", "measures.csv")
    assert vocabulary.problems(data) == []
    _drop_row(data / "vocabulary.csv", "key", "measure.sim-cards")
    _drop_row(data / "vocabulary.csv", "key", "period-kind.cumulative")
    details = [p.detail for p in vocabulary.problems(data)]
    assert any("measure.sim-cards" in d for d in details), details
    assert any("period-kind.cumulative" in d for d in details), details


# --- the refusal -----------------------------------------------------------------


def test_texts_calls_and_sim_cards_on_one_axis_are_refused(facts: pd.DataFrame) -> None:
    chart = _bars(facts.loc[["F205", "F207", "F204"]])
    with pytest.raises(axes.UnlikeMeasures) as error:
        axes.check(chart, "spam")
    message = str(error.value)
    for expected in ("'spam'", "F205", "F207", "F204", "text messages", "calls", "SIM cards"):
        assert expected in message


def test_st_chart_refuses_before_gluing(facts: pd.DataFrame) -> None:
    with pytest.raises(axes.UnlikeMeasures, match="F106.*F107|F107.*F106"):
        st.chart("texts-and-reaches", _bars(facts.loc[["F106", "F107"]]))


def test_a_flow_beside_a_cumulative_total_is_refused(facts: pd.DataFrame) -> None:
    # the same thing counted (tonnes of goods), a quarter's flow against a total to date
    with pytest.raises(axes.UnlikeMeasures, match="cumulative") as error:
        axes.check(_bars(facts.loc[["F005", "F007", "F009"]]))
    assert "F009" in str(error.value) and "flow" in str(error.value)


def test_one_measure_in_two_units_is_refused(facts: pd.DataFrame) -> None:
    rows = facts.loc[["F005", "F007"]].copy()
    rows.loc["F007", "unit"] = "thousand tonnes"
    with pytest.raises(axes.UnlikeMeasures, match="thousand tonnes"):
        axes.check(alt.Chart(rows).mark_bar().encode(x="value:Q", y="figure_id:N"))


def test_unlike_measures_on_the_y_axis_of_layers_are_refused(facts: pd.DataFrame) -> None:
    rows = facts.loc[["F119", "F121"]]
    base = alt.Chart(rows).encode(x="period:O", y="value:Q")
    with pytest.raises(axes.UnlikeMeasures, match="F121"):
        axes.check(base.mark_bar() + base.mark_text().encode(text="value:Q"))


def test_one_measure_passes(facts: pd.DataFrame) -> None:
    axes.check(_bars(facts.loc[["F205", "F281"]]))  # spam texts, reported and derived
    axes.check(_bars(facts.loc[["F005", "F007"]]))  # two quarterly flows of tonnes


def test_panels_and_independent_facets_separate_measures(facts: pd.DataFrame) -> None:
    rows = facts.loc[["F205", "F281", "F207", "F204"]]
    axes.check(st.measure_bars(rows.assign(short=rows["figure_id"]), label="short"))
    axes.check(alt.vconcat(_bars(rows.loc[["F205"]]), _bars(rows.loc[["F207"]])))
    facet = alt.Chart(rows).mark_bar().encode(x="value:Q", y="figure_id:N", row="indicator:N")
    axes.check(facet.resolve_scale(x="independent"))
    with pytest.raises(axes.UnlikeMeasures):  # a facet sharing its scale is one axis
        axes.check(facet)
    with pytest.raises(axes.UnlikeMeasures):  # panels resolved shared are one axis
        axes.check(
            alt.vconcat(_bars(rows.loc[["F205"]]), _bars(rows.loc[["F207"]])).resolve_scale(
                x="shared"
            )
        )
    layered = alt.layer(
        alt.Chart(rows.loc[["F205"]]).mark_bar().encode(x="value:Q", y="figure_id:N"),
        alt.Chart(rows.loc[["F207"]]).mark_bar().encode(x="value:Q", y="figure_id:N"),
    )
    axes.check(layered.resolve_scale(x="independent"))
    with pytest.raises(axes.UnlikeMeasures):
        axes.check(layered)


def test_cards_have_no_axis_and_name_each_value(facts: pd.DataFrame) -> None:
    rows = facts.loc[["F019", "F016", "F109"]]
    chart = st.key_numbers(rows)
    axes.check(chart)
    spec = chart.to_dict()
    cards = next(iter(spec["datasets"].values()))
    assert [c["figure_id"] for c in cards] == ["F019", "F016", "F109"]
    assert all(c["card_value"] and c["card_label"] for c in cards)
    positions = [
        layer.get("encoding", {}).get(channel, {}).get("type")
        for layer in spec["layer"]
        for channel in ("x", "y")
    ]
    assert positions and "quantitative" not in positions  # no scale of values


def test_a_figure_drawn_without_its_indicator_is_refused(facts: pd.DataFrame) -> None:
    rows = facts.loc[["F205"]].drop(columns="indicator")
    with pytest.raises(axes.UnlikeMeasures, match="indicator"):
        axes.check(_bars(rows))


def test_target_progress_panels_each_measure(facts: pd.DataFrame) -> None:
    rows = facts.loc[["F312", "F218", "F315", "F135"]]
    chart = st.target_progress(rows.assign(short=rows["figure_id"]), label="short", x_title="%")
    assert isinstance(chart, alt.VConcatChart) and len(chart.vconcat) == 2
    axes.check(chart)


# --- every chart of the book, both editions ---------------------------------------

SPEC = re.compile(
    r'<figure class="ictstory-chart" id="([^"]+)".*?'
    r'<script type="application/json" class="ictstory-chart__spec">(.*?)</script>',
    re.S,
)


def _built_charts(site: Path) -> dict[str, dict]:
    charts = {}
    for page in sorted(site.rglob("*.html")):
        for anchor, payload in SPEC.findall(page.read_text(encoding="utf-8")):
            charts[f"{page.relative_to(site)}#{anchor}"] = json.loads(payload)
    return charts


@pytest.mark.parametrize("edition", ["site", "site_vi"])
def test_every_built_chart_keeps_one_measure_per_axis(
    edition: str, request: pytest.FixtureRequest
) -> None:
    charts = _built_charts(request.getfixturevalue(edition))
    assert len(charts) >= 40, sorted(charts)
    measured = 0
    faults = []
    for name, spec in charts.items():
        rows = [r for rows in (spec.get("datasets") or {}).values() for r in rows]
        assert all("indicator" in r for r in rows if "figure_id" in r), name
        measured += any("indicator" in r for r in rows)
        faults += [f"{name}: {found}" for found in axes.unlike(spec)]
    assert faults == []
    assert measured >= 30  # the specs carry what the check reads
