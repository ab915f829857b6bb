"""Vietnam beside its neighbours (data/peers_*.csv, ictstory.story.peers).

Fast tier: the peer tables are valid and keep both vintages; validation refuses bad
rows naming file, line and column; a chart draws no low-confidence or superseded
value, highlights Vietnam by colour and by label, and puts rank 1 (the best) on its
axis. Site tier (the built book, both editions): every peer chart is placed in its
chapter in both editions, with Vietnam highlighted and no low-confidence value in
its data.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, read_rows, write_rows

from ictstory.data import DataValidationError, load_table, validate_package
from ictstory.story import charts, peers

#: Each peer chart: its chapter, indicator and years (as the chapters draw them).
CHARTS = {
    "peers-internet-users": ("telecom", "internet_users", (2016, 2021)),
    "peers-mobile": ("telecom", "mobile_subscriptions_per_100", (2016, 2021)),
    "peers-fixed-broadband": ("telecom", "fixed_broadband_per_100", (2016, 2021)),
    "peers-egdi-rank": ("digital-transformation", "egdi_rank", (2016, 2020)),
    "peers-egdi-score": ("digital-transformation", "egdi_score", (2016, 2018)),
    "peers-gci-2020": ("cybersecurity", "gci_score_100", (2020,)),
    "peers-gii": ("ict-industry", "gii_rank", (2016, 2021)),
}


@pytest.fixture()
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of data/ to break, validated with a cache of its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target / "datapackage.json"


def _problems_after(descriptor: Path, table: str, line: int, column: str, value: str) -> list:
    """Set one cell (line 1 = header) and return the problems validation reports there."""
    path = descriptor.parent / f"{table}.csv"
    rows = read_rows(path)
    rows[line - 1][rows[0].index(column)] = value
    write_rows(path, rows)
    with pytest.raises(DataValidationError) as caught:
        validate_package(descriptor)
    return [
        p
        for p in caught.value.problems
        if p.path == f"data/{table}.csv" and p.line == line and p.column == column
    ]


def _line(table: str, **where: str) -> int:
    """The file line (header = 1) of the first row matching ``where``."""
    rows = read_rows(ROOT / "data" / f"{table}.csv")
    head = rows[0]
    for number, row in enumerate(rows[1:], start=2):
        if all(row[head.index(k)] == v for k, v in where.items()):
            return number
    raise LookupError(where)


# ---------------------------------------------------------------- data (fast tier)


def test_peer_tables_hold_every_value_with_source_excerpt_and_grade() -> None:
    series = load_table("peers_series")
    assert len(series) == len(read_rows(ROOT / "data" / "peers_series.csv")) - 1
    assert series["excerpt"].str.strip().ne("").all()
    assert set(series["confidence"]) <= {"high", "medium", "low"}
    assert series["peers_source_id"].isin(load_table("peers_sources")["peers_source_id"]).all()
    areas = load_table("peers_areas").set_index("area")
    assert (areas.loc[series["area"], "kind"].to_numpy() != "").all()


def test_both_vintages_are_kept_and_the_older_names_the_newest() -> None:
    series = load_table("peers_series").set_index("peer_id")
    older = series[series["superseded_by"].notna()]
    assert not older.empty
    for peer_id, row in older.iterrows():
        newer = series.loc[row["superseded_by"]]
        assert (newer["indicator"], newer["area"], newer["year"]) == (
            row["indicator"],
            row["area"],
            row["year"],
        ), peer_id
        assert newer["value"] != row["value"], peer_id  # kept because it differs
        assert pd.isna(newer["superseded_by"]), peer_id  # the newest: not superseded


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("unit", "percent", "not the unit of indicator"),
        ("year", "2031", ""),  # beyond the descriptor's maximum
        ("area", "XXX", ""),  # not a row of peers_areas (foreign key)
        ("confidence", "certain", ""),
        ("excerpt", "", ""),
    ],
)
def test_validation_refuses_a_bad_row_naming_file_line_and_column(
    data_copy: Path, column: str, value: str, words: str
) -> None:
    line = _line("peers_series", indicator="egdi_rank", area="VNM", year="2016")
    found = _problems_after(data_copy, "peers_series", line, column, value)
    assert found, f"no problem reported at data/peers_series.csv line {line}, column {column}"
    assert words in " ".join(p.detail for p in found)


def test_superseded_by_must_name_the_same_indicator_area_and_year(data_copy: Path) -> None:
    line = _line("peers_series", indicator="egdi_rank", area="VNM", year="2016")
    other = read_rows(ROOT / "data" / "peers_series.csv")[
        _line("peers_series", indicator="egdi_rank", area="THA", year="2016") - 1
    ][0]
    found = _problems_after(data_copy, "peers_series", line, "superseded_by", other)
    assert any("not egdi_rank VNM 2016" in p.detail for p in found), found


def test_a_source_is_a_page_or_a_repository_file_not_both(data_copy: Path) -> None:
    line = _line("peers_sources", page_kind="data_file")
    found = _problems_after(data_copy, "peers_sources", line, "url", "https://example.org/x")
    assert any("either a url or a repository" in p.detail for p in found), found


# ---------------------------------------------------------------- charts (fast tier)


@functools.cache
def _peer_chart(chart_id: str) -> tuple[dict, pd.DataFrame]:
    """A chart's spec and rows, drawn once for every test of this module."""
    _chapter, indicator, years = CHARTS[chart_id]
    chart, rows = peers.peers_chart(indicator, years)
    return chart.to_dict(), rows


@pytest.mark.parametrize("chart_id", sorted(CHARTS))
def test_a_peer_chart_draws_no_low_or_superseded_value(chart_id: str) -> None:
    _chapter, indicator, years = CHARTS[chart_id]
    spec, rows = _peer_chart(chart_id)
    every = peers.load(indicator)
    left_out = every[(every["status"] != "charted") & every["year"].isin(years)]
    drawn = {row["row_id"] for row in _dataset(spec)}
    assert drawn == set(rows["row_id"])
    assert not drawn & set(left_out["row_id"])
    assert set(load_table("peers_series").query("confidence == 'low'")["peer_id"]).isdisjoint(drawn)


def _dataset(spec: dict) -> list[dict]:
    (rows,) = spec["datasets"].values()
    return rows


@pytest.mark.parametrize("chart_id", sorted(CHARTS))
def test_vietnam_is_highlighted_by_colour_and_label(chart_id: str) -> None:
    spec, _rows = _peer_chart(chart_id)
    colours = {row["area"]: row["colour"] for row in _dataset(spec)}
    assert len({c for a, c in colours.items() if a != "VNM"}) == 1  # one grey for the rest
    assert colours["VNM"] not in {c for a, c in colours.items() if a != "VNM"}
    # the colours live in the spec's scale (dark mode swaps the spec, never the data)
    scales = [
        layer["encoding"][channel]["scale"]
        for layer in spec["layer"]
        for channel in ("color", "stroke")
        if "scale" in layer.get("encoding", {}).get(channel, {})
    ]
    assert scales and all(
        dict(zip(s["domain"], s["range"], strict=True))["vietnam"]
        != dict(zip(s["domain"], s["range"], strict=True))["other"]
        and all(c.startswith("#") for c in s["range"][:2])
        for s in scales
    )
    assert "datum.value === \"Vietnam\" ? 'bold' : 'normal'" in _expressions(spec)  # its name
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert "text" in marks  # Vietnam's value written beside its dot


@pytest.mark.parametrize("chart_id", ["peers-egdi-rank", "peers-gii"])
def test_rank_axes_start_at_one_the_best(chart_id: str) -> None:
    spec, _rows = _peer_chart(chart_id)
    scales = [
        layer["encoding"]["x"]["scale"]
        for layer in spec["layer"]
        if "scale" in layer["encoding"].get("x", {})
    ]
    assert scales and all(s["domain"][0] == 1 and s["reverse"] for s in scales)


def test_place_counts_countries_only_and_ties_share() -> None:
    where, count = peers.place("gci_score_100", 2020)
    rows = peers.charted("gci_score_100", [2020])
    countries = rows[rows["area_kind"] == "country"]
    vietnam = float(countries.loc[countries["area"] == "VNM", "value"].iloc[0])
    assert count == len(countries)
    assert where == 1 + int((countries["value"] > vietnam).sum())


def test_the_chart_block_says_how_peer_values_are_drawn() -> None:
    chart, _rows = peers.peers_chart("internet_users", (2016, 2021))
    block = charts._block(chart, alt_text=charts.alt_text(chart), source_ids=(), key="t", slug="t")
    assert "○ 2016, ● 2021" in block.markup
    assert "Our World in Data" in block.markup  # the source line names the publisher
    assert re.search(r"Vietnam — 2016: [\d.]+%; 2021", charts.alt_text(chart))


# ---------------------------------------------------------------- the built site


def test_every_peer_chart_is_in_its_chapter_in_both_editions(site: Path, site_vi: Path) -> None:
    low = set(load_table("peers_series").query("confidence == 'low'")["peer_id"])
    low |= set(load_table("outside_series").query("confidence == 'low'")["series_id"])
    for root, vietnam in ((site, "Vietnam"), (site_vi, "Việt Nam")):
        edition = root.name
        _check_peer_charts(root, vietnam, low, edition)


def _check_peer_charts(root: Path, vietnam: str, low: set[str], edition: str) -> None:
    for chart_id, (chapter, _indicator, _years) in CHARTS.items():
        page = (root / "chapters" / f"{chapter}.html").read_text(encoding="utf-8")
        found = re.search(
            rf'<figure class="ictstory-chart" id="chart-{chart_id}".*?</figure>', page, re.S
        )
        assert found, f"{edition}: no chart {chart_id} in chapters/{chapter}.html"
        figure = found[0]
        title = re.search(r'class="ictstory-chart__title">(.*?)</span>', figure, re.S)
        assert title and title[1].strip(), f"{chart_id}: untitled"
        spec = json.loads(
            re.search(r'class="ictstory-chart__spec">(.*?)</script>', figure, re.S)[1]
        )
        rows = _dataset(spec)
        assert {r["label"] for r in rows if r["area"] == "VNM"} == {vietnam}
        assert low.isdisjoint(r["row_id"] for r in rows), chart_id
        home = {r["colour"] for r in rows if r["area"] == "VNM"}
        assert len(home) == 1 and home.isdisjoint(r["colour"] for r in rows if r["area"] != "VNM")
        bold = f"datum.value === {json.dumps(vietnam)} ? 'bold' : 'normal'"
        assert bold in _expressions(spec), chart_id
        assert "○" in figure or "●" in figure  # the note says how the values are drawn


def _expressions(spec: object) -> list[str]:
    """Every Vega expression (``{"expr": …}``) in a spec."""
    if isinstance(spec, dict):
        own = [spec["expr"]] if isinstance(spec.get("expr"), str) else []
        return own + [e for v in spec.values() for e in _expressions(v)]
    if isinstance(spec, list):
        return [e for v in spec for e in _expressions(v)]
    return []


def test_the_compact_comparison_gives_vietnams_place_on_each_measure() -> None:
    chart, rows = peers.places_chart()
    for row in rows.iloc[[0, -1]].itertuples():  # two measures: each place costs a load
        assert (row.value, row.count) == peers.place(row.indicator, row.year)
    (scale,) = {
        json.dumps(layer["encoding"]["x"]["scale"], sort_keys=True)
        for layer in chart.to_dict()["layer"]
    }
    assert json.loads(scale)["domain"][0] == 1 and json.loads(scale)["reverse"]
    assert set(rows["source_id"]) <= set(peers.places_sources())
