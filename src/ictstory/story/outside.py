"""The outside yearly series (``data/outside_*.csv``): loading, choosing, charting.

Values from outside the five documents are of their own kind, ``outside``:
they look different from the ministry's figures on every chart
(:data:`ictstory.story.theme.KINDS`), their charts name the publishers in the
source line and say the values were not checked against the publishers' own
databases. A chart shows only the rows :func:`status` calls ``charted``:
low-confidence rows, rows superseded by a newer vintage, and years outside
2016-2021 are left out of charts and listed, with the reason, by :func:`table`,
whose "On the chart" column says what the chart actually drew.
Points are joined by a line only between consecutive years that both have a
value from one publication (one vintage): no line invents the years between, and
none joins two vintages or methods (the 2021 value's own source may imply another
2020). :func:`break_words` says where a line breaks for that reason.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Iterable, Sequence

import altair as alt
import pandas as pd

from ictstory.data import load_table
from ictstory.data.vocabulary import slug as vocabulary_slug
from ictstory.i18n import lang
from ictstory.story.claims import at_year, change_words, direction
from ictstory.story.gloss import GLOSS_COLUMN, gloss_tooltip
from ictstory.story.prose import (
    fmt_number,
    glue_text,
    join_words,
    number_word,
    ordinal,
    vietnamese_scale,
)
from ictstory.story.reference import HTMLTable, html_table
from ictstory.story.scales import rank_scale, unit_scale
from ictstory.story.theme import FIELD_COLOURS, kind_encodings
from ictstory.story.words import word

FIRST_YEAR, LAST_YEAR = 2016, 2021
YEARS = list(range(FIRST_YEAR, LAST_YEAR + 1))
KIND = "outside"
#: Characters per line of a chart title (as :mod:`ictstory.story.charts` wraps them).
TITLE_WIDTH = 36

_SOURCE_ID = re.compile(r"^(?:XS|PS)\d+$")


def is_source_id(text: str) -> bool:
    """True for an ``outside_sources`` id (``XS01``) or a ``peers_sources`` id (``PS01``),
    false for a document id."""
    return bool(_SOURCE_ID.match(str(text)))


def status(row: pd.Series | dict) -> str:
    """Why a row is or is not charted: charted, low, superseded or out_of_range."""
    if not FIRST_YEAR <= int(row["year"]) <= LAST_YEAR:
        return "out_of_range"
    if row["confidence"] == "low":
        return "low"
    if not pd.isna(row["superseded_by"]):
        return "superseded"
    return "charted"


def _address(row: pd.Series) -> str:
    if not pd.isna(row["url"]):
        return str(row["url"])
    return f"github.com/{row['repository']} {row['repository_path']} @ {str(row['commit'])[:12]}"


def load(indicators: Sequence[str] | None = None) -> pd.DataFrame:
    """The outside series joined with its indicators and sources, in the edition's language.

    Adds ``label``, ``axis_title``, ``publisher_name``, ``address``,
    ``confidence_text``, ``value_text``, ``status``, ``kind`` (``outside``) and
    ``source_id`` (the outside source, for :func:`ictstory.story.charts.show`).
    ``indicators`` keeps those indicators, in that order.
    """
    series = load_table("outside_series")
    names = load_table("outside_indicators")
    sources = load_table("outside_sources")
    rows = series.merge(names.drop(columns="unit"), on="indicator", how="left").merge(
        sources, on="outside_source_id", how="left"
    )
    vi = lang() == "vi"
    rows["label"] = rows["label_vi" if vi else "label_en"]
    rows["axis_title"] = rows["unit"].map(lambda u: word(f"outside-axis.{vocabulary_slug(u)}"))
    rows["publisher_name"] = rows["publisher_vi" if vi else "publisher"]
    rows["address"] = rows.apply(_address, axis=1)
    rows["confidence_text"] = rows["confidence"].map(lambda c: word(f"confidence.{c}"))
    rows["value_text"] = rows.apply(value_text, axis=1)
    rows["status"] = rows.apply(status, axis=1)
    rows["kind"] = KIND
    rows["source_id"] = rows["outside_source_id"]
    if indicators is not None:
        unknown = set(indicators) - set(names["indicator"])
        if unknown:
            raise KeyError(f"not in data/outside_indicators.csv: {sorted(unknown)}")
        order = {name: i for i, name in enumerate(indicators)}
        rows = rows[rows["indicator"].isin(order)]
        rows = rows.sort_values(["indicator", "year"], key=lambda c: c.map(order).fillna(c))
    return rows.reset_index(drop=True)


def value_text(row: pd.Series | dict, decimals: int | None = None) -> str:
    """A value in words, hedged as the source hedges it: "about 37,000 billion dong",
    "74.21%", "25th"; in Vietnamese "khoảng 37.000 tỷ đồng", "74,21%", "thứ 25".
    ``decimals`` rounds the number (default: as stated)."""
    if row["unit"] == "rank":
        return ordinal(float(row["value"]))
    value, _, unit, decimals = vietnamese_scale(row["value"], pd.NA, str(row["unit"]), decimals)
    number = fmt_number(float(value), decimals)
    with_unit = word(f"outside-number.{vocabulary_slug(unit)}", n=number)
    return word(f"hedge.{vocabulary_slug(str(row['hedge']))}", n=with_unit)


def charted(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows a chart may show (status ``charted``)."""
    return rows[rows["status"] == "charted"].reset_index(drop=True)


def pick(
    indicator: str, year: int, confidence: str | None = None, *, superseded: bool = False
) -> pd.Series:
    """The one value of an indicator for a year that no newer row replaces (with
    ``superseded``: the one that a newer row replaces), of that ``confidence``
    where two sources disagree."""
    rows = load([indicator])
    rows = rows[(rows["year"] == year) & (rows["superseded_by"].notna() == superseded)]
    if confidence is not None:
        rows = rows[rows["confidence"] == confidence]
    if len(rows) != 1:
        raise ValueError(f"{indicator} {year}: {len(rows)} rows, expected one")
    return rows.iloc[0]


def _glue(name: str, found: pd.Series, decimals: int | None) -> pd.Series:
    text = value_text(found, decimals)
    glue_text(name, text, value=round(float(found["value"]), 12 if decimals is None else decimals))
    found = found.copy()
    found["value_text"] = text
    return found


def glue_value(
    name: str,
    indicator: str,
    year: int,
    confidence: str | None = None,
    *,
    decimals: int | None = None,
    superseded: bool = False,
) -> pd.Series:
    """Glue one outside value in words (:func:`value_text`) and return its row,
    whose ``value_text`` is the glued text."""
    return _glue(name, pick(indicator, year, confidence, superseded=superseded), decimals)


def glue_row(name: str, series_id: str, *, decimals: int | None = None) -> pd.Series:
    """Glue the value of one row of ``data/outside_series.csv`` by its id."""
    rows = load()
    found = rows[rows["series_id"] == series_id]
    if found.empty:
        raise KeyError(f"{series_id!r} is not in data/outside_series.csv")
    return _glue(name, found.iloc[0], decimals)


def _publication(rows: pd.DataFrame) -> pd.Series:
    """The publication (vintage) of each row: its outside source (one if not given)."""
    if "outside_source_id" in rows.columns:
        return rows["outside_source_id"].astype(str)
    return pd.Series("", index=rows.index)


def runs(rows: pd.DataFrame) -> pd.Series:
    """For each row, the run of consecutive years of one publication it belongs to
    (blank if none).

    A line is drawn through each run only: a year with no value, or with two
    disagreeing values (which are left out of every run), breaks the line, and so
    does a change of publication: two vintages (or methods) are never joined."""
    run = pd.Series(pd.NA, index=rows.index, dtype="string")
    publication = _publication(rows)
    for indicator, group in rows.groupby("indicator", sort=False):
        counts = group["year"].value_counts()
        single = group[group["year"].map(counts) == 1].sort_values("year")
        start, last, last_source = None, None, None
        for index, year in zip(single.index, single["year"], strict=True):
            source = publication[index]
            if last is None or year != last + 1 or source != last_source:
                start = year
            run[index] = f"{indicator}-{start}"
            last, last_source = year, source
    return run


def breaks(rows: pd.DataFrame) -> list[tuple[str, int, int]]:
    """Where a line breaks between two consecutive years that both have one value:
    ``(indicator, year, next year)`` whose values come from different publications."""
    publication = _publication(rows)
    found = []
    for indicator, group in rows.groupby("indicator", sort=False):
        counts = group["year"].value_counts()
        single = group[group["year"].map(counts) == 1].sort_values("year")
        pairs = zip(single.index[:-1], single.index[1:], strict=True)
        for first, second in pairs:
            year, after = int(single.at[first, "year"]), int(single.at[second, "year"])
            if after == year + 1 and publication[first] != publication[second]:
                found.append((str(indicator), year, after))
    return found


def break_words(rows: pd.DataFrame) -> str:
    """The sentence that says where a chart's lines break between two publications
    (``outside.break``), empty when none does."""
    found = breaks(rows)
    if not found:
        return ""
    labels = rows.drop_duplicates("indicator").set_index("indicator")["label"]
    years: dict[str, list[str]] = {}
    for name, year, after in found:
        years.setdefault(name, []).append(f"{year}–{after}")
    spans = [
        word("outside.break-span", label=str(labels[name]), years=join_words(pairs))
        for name, pairs in years.items()
    ]
    return word("outside.break", spans=join_words(spans))


def glue_change(
    name: str,
    indicator: str,
    first: int,
    last: int,
    *,
    decimals: int | None = None,
) -> str:
    """Glue how an indicator moved between two years, the verb computed from the values
    ("rose from 53% in 2016 to 74.2% in 2021"; a rank rises as its number falls), each
    value hedged as its source hedges it (:func:`value_text`)."""
    before, after = pick(indicator, first), pick(indicator, last)
    text = change_words(
        float(before["value"]),
        float(after["value"]),
        at_year(value_text(before, decimals), first),
        at_year(value_text(after, decimals), last),
        rank=after["unit"] == "rank",
    )
    value = round(float(after["value"]), 12 if decimals is None else decimals)
    return glue_text(name, text, value=value)


def trend_words(rows: pd.DataFrame) -> str:
    """How the charted series moved, computed, never typed: how many rose from their
    first value to their last (a rank rises as its number falls), and how many of
    all fell at some step on the way (``outside.trend``)."""
    ups = dips = total = 0
    for _indicator, group in rows.groupby("indicator", sort=False):
        single = group.drop_duplicates("year", keep=False).sort_values("year")
        if len(single) < 2:
            continue
        rank = single["unit"].iloc[0] == "rank"
        values = [float(v) for v in single["value"]]
        steps = [direction(a, b, rank=rank) for a, b in zip(values, values[1:], strict=False)]
        total += 1
        ups += direction(values[0], values[-1], rank=rank) == "rose"
        dips += "fell" in steps
    counts = {"n": number_word(total), "dips": number_word(dips)}
    if ups == total:
        return word("outside.trend-all", **counts)
    return word("outside.trend", up=number_word(ups), **counts)


def annual_growth(indicator: str, first: int, last: int) -> float:
    """The average yearly growth, in percent, of an indicator from ``first`` to ``last``."""
    before, after = pick(indicator, first), pick(indicator, last)
    ratio = float(after["value"]) / float(before["value"])
    return (ratio ** (1 / (last - first)) - 1) * 100


def glue_growth(name: str, indicator: str, first: int, last: int, *, decimals: int = 0) -> float:
    """Glue the average yearly growth from ``first`` to ``last``, computed from the two
    outside values: "about 21%" (always "about": it is our arithmetic). Returns it."""
    rate = annual_growth(indicator, first, last)
    number = word("outside-number.percent", n=fmt_number(rate, decimals))
    glue_text(name, word("hedge.approximate", n=number), value=round(rate, decimals))
    return rate


def glue_projection(name: str, indicator: str, first: int, last: int, rate: float) -> float:
    """Glue what the ``first`` year's value would have become by ``last`` growing
    ``rate`` percent a year ("about 55,800 billion dong"), for setting a stated rate
    against the outside values. Returns the value."""
    start = pick(indicator, first)
    value = float(start["value"]) * (1 + rate / 100) ** (last - first)
    shown = float(f"{value:.3g}")
    row = start.copy()
    row["value"], row["hedge"] = shown, "approximate"
    glue_text(name, value_text(row), value=shown)
    return value


def drawn_ids(chart: alt.TopLevelMixin | Sequence[alt.TopLevelMixin] | None) -> set[str]:
    """The outside rows a chart (or each of several charts) draws: the ``series_id``
    of every row in its data."""
    if chart is None:
        return set()
    if isinstance(chart, Sequence):
        return set().union(*(drawn_ids(one) for one in chart))
    datasets = chart.to_dict().get("datasets", {})
    return {
        str(row["series_id"]) for rows in datasets.values() for row in rows if "series_id" in row
    }


#: Columns of a chart's rows (and of its CSV download).
CHART_COLUMNS = [
    "series_id",
    "indicator",
    "label",
    "year",
    "value",
    "unit",
    "hedge",
    "value_text",
    "confidence",
    "confidence_text",
    "kind",
    "kind_text",
    "publisher_name",
    "address",
    "excerpt",
    "source_id",
    "run",
]


def tooltip() -> list[alt.Tooltip]:
    """What a point says: indicator, year, value, confidence, publisher, the source's words."""
    return [
        alt.Tooltip("label:N", title=word("word.indicator")),
        alt.Tooltip("year:O", title=word("axis.year")),
        alt.Tooltip("value_text:N", title=word("table.value")),
        alt.Tooltip("kind_text:N", title=word("word.kind-of-value")),
        alt.Tooltip("confidence_text:N", title=word("word.confidence")),
        alt.Tooltip("publisher_name:N", title=word("table.source")),
        alt.Tooltip("excerpt:N", title=word("word.source-says")),
        *gloss_tooltip(),
        alt.Tooltip("series_id:N", title=word("word.row")),
    ]


def chart_columns() -> list[str]:
    """:data:`CHART_COLUMNS`, with our English gloss of the excerpt after it in the
    English edition (its tooltip and download carry the gloss; the Vietnamese do not)."""
    if not gloss_tooltip():
        return CHART_COLUMNS
    at = CHART_COLUMNS.index("excerpt") + 1
    return [*CHART_COLUMNS[:at], GLOSS_COLUMN, *CHART_COLUMNS[at:]]


def _panel(rows: pd.DataFrame, colour: str, width: int | str, height: int) -> alt.LayerChart:
    """One indicator: points for its years, lines only between consecutive years."""
    unit = str(rows["unit"].iloc[0])
    ranks = unit == "rank"
    if ranks:  # 1 to 50 or more, an index on its whole range: a small move looks small
        scale = rank_scale(rows["value"])
    else:
        scale = unit_scale(unit) or alt.Scale(zero=True)
    x = alt.X(
        "year:O",
        title=None,
        scale=alt.Scale(domain=YEARS),
        axis=alt.Axis(labelAngle=0),
    )
    y = alt.Y(
        "value:Q",
        title=str(rows["axis_title"].iloc[0]),
        scale=scale,
        axis=alt.Axis(format="d", tickCount=4, tickMinStep=1)
        if ranks
        else alt.Axis(format=",f", tickCount=4),
    )
    points = rows.assign(kind_text=word("kind.outside"), run=runs(rows))
    base = alt.Chart(points[chart_columns()]).encode(x=x, y=y)
    line = (
        base.transform_filter("datum.run != null")
        .mark_line(color=colour, strokeDash=[1, 2], strokeWidth=2)
        .encode(detail="run:N")
    )
    dots = base.mark_point(
        shape="diamond", size=120, color=colour, stroke=colour, strokeWidth=2
    ).encode(tooltip=tooltip(), **kind_encodings(points, legend=False))
    label = textwrap.wrap(str(rows["label"].iloc[0]), 40)
    title = alt.Title(label, anchor="start", fontSize=13)
    return alt.layer(line, dots).properties(title=title, width=width, height=height)


def trajectory(
    indicators: Sequence[str],
    *,
    title: str | None = None,
    field: str | None = None,
    width: int = 200,
    height: int = 150,
) -> tuple[alt.TopLevelMixin, pd.DataFrame]:
    """The charted years of each indicator, one panel (and one unit) per indicator.

    Returns the chart and the rows it shows. ``field`` picks the colour (default:
    each indicator's own field). With a ``title`` (:func:`ictstory.story.charts.show`),
    the subtitle says the values come from outside sources, not the ministry's
    documents; without one (:func:`ictstory.story.charts.chart`, whose title is in
    the Markdown) the chart has no heading and its source line says so.
    """
    rows = charted(load(indicators))
    panels = []
    for indicator in indicators:
        part = rows[rows["indicator"] == indicator]
        if part.empty:
            raise ValueError(f"{indicator}: no value can be charted (all low or superseded)")
        colour = FIELD_COLOURS[field or str(part["field"].iloc[0])]
        single = len(indicators) == 1
        panels.append(_panel(part, colour, "container" if single else width, height))
    if title is None:  # a single panel drops its label too: the Markdown title names it
        if len(panels) == 1:
            single_panel = panels[0].copy(deep=False)
            single_panel.title = alt.Undefined
            return single_panel, rows
        return alt.vconcat(*panels, spacing=18), rows
    subtitle = word("outside.outside-sources-not-the-ministry-s")
    heading = alt.Title(textwrap.wrap(title, TITLE_WIDTH), subtitle=textwrap.wrap(subtitle, 44))
    if len(panels) == 1:
        return panels[0].properties(title=heading), rows
    chart = alt.vconcat(*panels, spacing=18).properties(title=heading)
    return chart, rows


def alt_text(rows: pd.DataFrame, intro: str) -> str:
    """A text alternative naming every charted value, indicator by indicator."""
    parts = []
    for _indicator, part in rows.groupby("indicator", sort=False):
        values = [
            f"{year}: {text}" for year, text in zip(part["year"], part["value_text"], strict=True)
        ]
        parts.append(f"{part['label'].iloc[0]} — " + "; ".join(values))
    rest = word("outside.values-from-outside-sources-low-confidence")
    return f"{intro.strip()} {rest} " + ". ".join(parts) + "."


def table(
    indicators: Sequence[str],
    *,
    drawn: alt.TopLevelMixin | Sequence[alt.TopLevelMixin] | None,
) -> HTMLTable:
    """Every row of these indicators and its source, in a disclosure, saying for each
    whether ``drawn`` (the section's chart, its charts, or None) drew it, and why not.

    "On the chart" and the summary's counts come from the rows the chart's data holds
    (:func:`drawn_ids`), not from what could be charted: a row of an indicator the
    chart does not show is "not drawn on this chart"."""
    rows = load(indicators)
    on_chart = drawn_ids(drawn)
    stray = on_chart - set(rows["series_id"])
    if stray:
        raise ValueError(f"the chart draws rows the table does not list: {sorted(stray)}")
    wrong = rows[rows["series_id"].isin(on_chart) & (rows["status"] != "charted")]
    if not wrong.empty:
        raise ValueError(
            f"the chart draws rows that may not be charted: {list(wrong['series_id'])}"
        )

    def shown(row: pd.Series) -> str:
        if row["series_id"] in on_chart:
            return word("outside-status.charted")
        if row["status"] == "superseded":
            return word("outside-status.superseded", newer=row["superseded_by"])
        if row["status"] == "charted":
            return word("outside-status.not-drawn")
        return word(f"outside-status.{row['status']}")

    frame = pd.DataFrame(
        {
            word("word.row"): rows["series_id"],
            word("word.indicator"): rows["label"],
            word("axis.year"): rows["year"].astype(str),
            word("table.value"): rows["value_text"],
            word("word.confidence"): rows["confidence_text"],
            word("word.on-the-chart"): rows.apply(shown, axis=1),
            word("table.source"): rows["publisher_name"],
            word("word.address"): rows["address"],
        }
    )
    inner = html_table(frame, code_columns=(word("word.row"), word("word.address")))
    shown_count = int(rows["series_id"].isin(on_chart).sum())
    left_out = len(rows) - shown_count
    why = word("outside.not-charted", count=number_word(left_out))
    summary = word(
        "outside.values-drawn", count=number_word(len(rows)), drawn=number_word(shown_count)
    )
    summary += f" {why}" if left_out else ""
    return HTMLTable(
        f'<details class="ictstory-outside"><summary>{html.escape(summary)}</summary>'
        f"{inner.markup}</details>"
    )


def source_line(source_ids: Iterable[str]) -> str:
    """The outside publishers of a chart, named once each, and what was not checked."""
    sources = pd.concat(
        [
            load_table("outside_sources").set_index("outside_source_id"),
            load_table("peers_sources").set_index("peers_source_id"),  # ictstory.story.peers
        ]
    )
    ids = sorted(set(source_ids))
    unknown = [sid for sid in ids if sid not in sources.index]
    if unknown:
        raise KeyError(f"unknown outside source ids {unknown}: not in data/outside_sources.csv")
    column = "publisher_vi" if lang() == "vi" else "publisher"
    names = list(dict.fromkeys(str(sources.loc[sid, column]) for sid in ids))
    return f"{word('outside.sources-line')} {'; '.join(names)}."
