"""Vietnam beside its neighbours (``data/peers_*.csv``): loading, placing, charting.

The peer values are outside values (:mod:`ictstory.story.outside`) for Vietnam, eight
neighbours and world or regional aggregates. Where the peer file has no value for
Vietnam that may be charted, Vietnam's row of the outside series is used (the two
files share their indicators), so the comparison always draws Vietnam from the best
row there is. A chart shows only rows whose status (:func:`ictstory.story.outside.status`)
is ``charted``: low-confidence, superseded (older vintage) and out-of-period rows
are left out and listed, with the reason, by :func:`table`.

:func:`peers_chart` draws one indicator, one row per country: a hollow dot for the
first year, a filled dot for the last, joined by a line; Vietnam in the chapter's
colour, its name in bold and its value written beside its dot; aggregates in grey
italics; ranks on an axis that starts at 1 (the best) and reads better to the right.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import altair as alt
import pandas as pd

from ictstory.data import load_table
from ictstory.data.vocabulary import slug as vocabulary_slug
from ictstory.i18n import lang
from ictstory.story import outside
from ictstory.story.prose import fmt_number, glue_text, join_words, number_word, ordinal
from ictstory.story.reference import HTMLTable, html_table
from ictstory.story.theme import FIELD_COLOURS
from ictstory.story.words import word

VIETNAM = "VNM"
#: Decimals a value is shown with, by unit (as stated where not listed); the row's
#: excerpt keeps the source's own digits.
DECIMALS = {"percent": 1, "per 100 inhabitants": 1, "index 0-1": 2}
#: Columns of a peer chart's rows (and of its CSV download).
CHART_COLUMNS = [
    "row_id",
    "indicator",
    "area",
    "label",
    "area_kind",
    "year",
    "value",
    "unit",
    "value_text",
    "short_text",
    "confidence",
    "confidence_text",
    "publisher_name",
    "address",
    "excerpt",
    "source_id",
    "colour",
    "fill",
]


def _address(row: pd.Series) -> str:
    if not pd.isna(row["url"]):
        return str(row["url"])
    return f"github.com/{row['repository']} {row['repository_path']} @ {str(row['commit'])[:12]}"


def _peer_rows() -> pd.DataFrame:
    series = load_table("peers_series")
    sources = load_table("peers_sources")
    rows = series.merge(sources, on="peers_source_id", how="left")
    rows["row_id"] = rows["peer_id"]
    rows["source_id"] = rows["peers_source_id"]
    rows["publisher_name"] = rows["publisher_vi" if lang() == "vi" else "publisher"]
    rows["address"] = rows.apply(_address, axis=1)
    return rows


def load(indicator: str) -> pd.DataFrame:
    """Every peer value of an indicator, with Vietnam's outside-series rows added for the
    years where the peer file has no chartable value for Vietnam.

    Adds ``label`` (the area's name in the edition's language), ``area_kind``,
    ``value_text``, ``confidence_text``, ``status``, ``publisher_name``, ``address``
    and ``source_id``.
    """
    names = load_table("outside_indicators").set_index("indicator")
    if indicator not in names.index:
        raise KeyError(f"{indicator!r} is not in data/outside_indicators.csv")
    rows = _peer_rows()
    rows = rows[rows["indicator"] == indicator].copy()
    rows["status"] = rows.apply(outside.status, axis=1)
    covered = set(rows.loc[(rows["area"] == VIETNAM) & (rows["status"] == "charted"), "year"])
    home = outside.load([indicator])
    home = home[~home["year"].isin(covered)].copy()
    home["row_id"] = home["series_id"]
    home["area"] = VIETNAM
    rows = pd.concat([rows, home], ignore_index=True)
    areas = load_table("peers_areas").set_index("area")
    rows["label"] = rows["area"].map(areas["name_vi" if lang() == "vi" else "name_en"])
    rows["area_kind"] = rows["area"].map(areas["kind"])
    rows["hedge"] = rows["hedge"].fillna("exact")
    decimals = DECIMALS.get(str(names.loc[indicator, "unit"]))
    rows["value_text"] = rows.apply(outside.value_text, axis=1, decimals=decimals)
    rows["confidence_text"] = rows["confidence"].map(lambda c: word(f"confidence.{c}"))
    rows["status"] = rows.apply(outside.status, axis=1)
    rows["field"] = str(names.loc[indicator, "field"])
    order = {area: i for i, area in enumerate(areas.index)}
    rows = rows.sort_values(["year", "area"], key=lambda c: c.map(order) if c.name == "area" else c)
    return rows.reset_index(drop=True)


def charted(indicator: str, years: Sequence[int]) -> pd.DataFrame:
    """The rows a peer chart of these years may draw (status ``charted``)."""
    rows = load(indicator)
    rows = rows[(rows["status"] == "charted") & rows["year"].isin(list(years))]
    twice = rows.duplicated(["area", "year"], keep=False)
    if twice.any():  # two sources agree on neither: draw neither, list both
        rows = rows[~twice]
    return rows.reset_index(drop=True)


def _better(unit: str) -> bool:
    """True where a smaller value is better (a rank)."""
    return unit == "rank"


def place(indicator: str, year: int, area: str = VIETNAM) -> tuple[int, int]:
    """An area's place among the countries charted for that year (1 = best), and their number.

    Countries that tie share a place; aggregates are not counted."""
    rows = charted(indicator, [year])
    rows = rows[rows["area_kind"] == "country"]
    mine = rows[rows["area"] == area]
    if mine.empty:
        raise ValueError(f"{indicator} {year}: no charted value for {area}")
    value = float(mine["value"].iloc[0])
    ahead = rows["value"] < value if _better(str(mine["unit"].iloc[0])) else rows["value"] > value
    return int(ahead.sum()) + 1, len(rows)


def value_row(indicator: str, year: int, area: str = VIETNAM) -> pd.Series:
    """The one charted value of an area for a year."""
    rows = charted(indicator, [year])
    rows = rows[rows["area"] == area]
    if len(rows) != 1:
        raise ValueError(f"{indicator} {year} {area}: {len(rows)} charted rows, expected one")
    return rows.iloc[0]


def glue_value(
    name: str, indicator: str, year: int, area: str = VIETNAM, *, decimals: int | None = None
) -> pd.Series:
    """Glue an area's charted value in words ("74.2%", "25th") and return its row."""
    row = value_row(indicator, year, area).copy()
    decimals = DECIMALS.get(str(row["unit"])) if decimals is None else decimals
    row["value_text"] = outside.value_text(row, decimals)
    number = float(row["value"]) if decimals is None else round(float(row["value"]), decimals)
    glue_text(name, row["value_text"], value=number)
    return row


def glue_place(name: str, indicator: str, year: int, area: str = VIETNAM) -> tuple[int, int]:
    """Glue an area's place among the countries charted ("4th of 9 countries")."""
    where, count = place(indicator, year, area)
    glue_text(name, word("peers.place", place=ordinal(where), count=number_word(count)), where)
    return where, count


def glue_best(name: str, indicator: str, year: int) -> str:
    """Glue the name of the country in first place that year (ties: joined by "and")."""
    rows = charted(indicator, [year])
    rows = rows[rows["area_kind"] == "country"]
    best = rows["value"].min() if _better(str(rows["unit"].iloc[0])) else rows["value"].max()
    names = list(rows.loc[rows["value"] == best, "label"])
    text = join_words(names)
    glue_text(name, text)
    return text


def _order(rows: pd.DataFrame, last: int) -> list[str]:
    """Areas best first: by their last-year value, else their earliest value."""
    ranks = _better(str(rows["unit"].iloc[0]))
    latest = (
        rows.sort_values("year")
        .groupby("label", sort=False)
        .agg(last=("value", lambda v: v.iloc[-1]), year=("year", "max"))
    )
    latest["has_last"] = latest["year"] == last
    latest = latest.sort_values(["has_last", "last"], ascending=[False, ranks])
    return list(latest.index)


def _x_parts(rows: pd.DataFrame) -> dict[str, object]:
    """Title, scale and axis of the value axis: one measure, honest about ranks."""
    unit = str(rows["unit"].iloc[0])
    title = word(f"outside-axis.{vocabulary_slug(unit)}")
    if _better(unit):  # honest ranks: from 1 (the best, at the right) to past the worst
        worst = float(rows["value"].max())
        step = 50 if worst > 100 else 20 if worst > 40 else 10
        top = int(-(-(worst + step / 5) // step) * step)
        scale = alt.Scale(domain=[1, top], reverse=True, nice=False)
        ticks = [1, *range(step, top + 1, step)]
        axis = alt.Axis(format="d", values=ticks)
        return {"title": word("peers.rank-axis"), "scale": scale, "axis": axis}
    if unit == "index 0-1":
        scale = alt.Scale(domain=[0, 1])
        axis = alt.Axis(format=".1f", tickCount=5)
    elif unit in ("percent", "score 0-100"):
        scale = alt.Scale(domain=[0, 100])
        axis = alt.Axis(format="d", tickCount=5)
    else:
        top = float(rows["value"].max())
        scale = alt.Scale(domain=[0, int(-(-top // 20) * 20)])
        axis = alt.Axis(format=",d", tickCount=5)
    return {"title": title, "scale": scale, "axis": axis}


def tooltip() -> list[alt.Tooltip]:
    """What a dot says: country, year, value, confidence, publisher, the source's words."""
    return [
        alt.Tooltip("label:N", title=word("peers.country")),
        alt.Tooltip("year:O", title=word("axis.year")),
        alt.Tooltip("value_text:N", title=word("table.value")),
        alt.Tooltip("confidence_text:N", title=word("word.confidence")),
        alt.Tooltip("publisher_name:N", title=word("table.source")),
        alt.Tooltip("excerpt:N", title=word("word.source-says")),
        alt.Tooltip("row_id:N", title=word("word.row")),
    ]


def _roles(highlight: str, grey: str) -> alt.Scale:
    """Colours by role (Vietnam, another place, no fill) in the spec, not in the rows:
    the page's dark mode swaps the spec's colours and never touches data."""
    return alt.Scale(domain=["vietnam", "other", "none"], range=[highlight, grey, "transparent"])


def peers_chart(
    indicator: str, years: Sequence[int] = (2016, 2021), *, field: str | None = None
) -> tuple[alt.LayerChart, pd.DataFrame]:
    """Vietnam against its neighbours on one indicator, in one or two years.

    Returns the chart (for :func:`ictstory.story.charts.chart`, whose title is in the
    Markdown) and the rows it draws. ``field`` picks Vietnam's colour (default: the
    indicator's field).
    """
    years = sorted(years)
    rows = charted(indicator, years)
    if VIETNAM not in set(rows["area"]):
        raise ValueError(f"{indicator} {years}: no charted value for Vietnam")
    first, last = years[0], years[-1]
    highlight = FIELD_COLOURS[field or str(rows["field"].iloc[0])]
    grey = FIELD_COLOURS["sector_wide"]
    rows["colour"] = rows["area"].map(lambda a: "vietnam" if a == VIETNAM else "other")
    rows["fill"] = rows["colour"].where(rows["year"] == last, "none")
    unit = str(rows["unit"].iloc[0])
    rows["short_text"] = rows["value_text"]  # the label beside Vietnam's dot: the axis has the unit
    if unit in ("per 100 inhabitants", "score 0-100", "index 0-1"):
        rows["short_text"] = rows["value"].map(lambda v: fmt_number(float(v), DECIMALS.get(unit)))
    order = _order(rows, last)
    rows = rows.sort_values(
        ["label", "year"], key=lambda c: c.map(order.index) if c.name == "label" else c
    )
    home = str(rows.loc[rows["area"] == VIETNAM, "label"].iloc[0])
    aggregates = sorted(set(rows.loc[rows["area_kind"] == "aggregate", "label"]))
    y = alt.Y(
        "label:N",
        sort=order,
        title=None,
        axis=alt.Axis(
            labelFontWeight=alt.ExprRef(f"datum.value === {_js(home)} ? 'bold' : 'normal'"),
            labelFontStyle=alt.ExprRef(
                f"indexof({_js_list(aggregates)}, datum.value) >= 0 ? 'italic' : 'normal'"
            ),
            labelFontSize=13,
            labelPadding=12,  # clear of a dot at zero
            domain=False,
            ticks=False,
        ),
    )
    parts = _x_parts(rows)
    x = alt.X("value:Q", **parts)
    base = alt.Chart(rows[CHART_COLUMNS]).encode(y=y)
    roles = _roles(highlight, grey)
    colour = alt.Color("colour:N", scale=roles, legend=None)
    span = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("min(value):Q", **parts),
        x2="max(value):Q",
        color=colour,
    )
    dots = base.mark_point(shape="circle", size=110, strokeWidth=2, opacity=1).encode(
        x=x,
        stroke=alt.Stroke("colour:N", scale=roles, legend=None),
        fill=alt.Fill("fill:N", scale=roles, legend=None),
        tooltip=tooltip(),
    )
    where = f"datum.area === '{VIETNAM}' && datum.year === {last}"
    # Vietnam's value above its dot, reaching inwards: never cut off at either edge
    low, high = parts["scale"].domain  # type: ignore[attr-defined]
    mine = float(rows.loc[(rows["area"] == VIETNAM) & (rows["year"] == last), "value"].max())
    share = (mine - low) / (high - low) if high != low else 0.0
    inwards = (share < 0.5) if _better(str(rows["unit"].iloc[0])) else (share > 0.5)
    label = (
        base.transform_filter(where)
        .mark_text(
            dy=-12,
            dx=8 if inwards else -8,
            align="right" if inwards else "left",
            fontWeight="bold",
            fontSize=12,
        )
        .encode(x=x, text="short_text:N")
    )
    layers = [span, dots, label] if first != last else [dots, label]
    chart = alt.layer(*layers).properties(width="container", height=alt.Step(30))
    return chart, rows.reset_index(drop=True)


def _js(text: str) -> str:
    """A string literal for a Vega expression (JSON is a subset of its syntax)."""
    import json

    return json.dumps(text)


def _js_list(items: Sequence[str]) -> str:
    return "[" + ", ".join(_js(i) for i in items) + "]"


def note(frame: pd.DataFrame) -> str:
    """The line under a peer chart's title: where the values come from and how they are drawn."""
    if "count" in frame.columns:  # places_chart: one place per measure and year
        return word("peers.note-places")
    years = sorted({int(y) for y in frame["year"]})
    if len(years) > 1:
        return word("peers.note-two-years", first=years[0], last=years[-1])
    return word("peers.note-one-year", year=years[0])


def table(indicator: str, years: Sequence[int]) -> HTMLTable:
    """Every peer value of an indicator in the chart's years, drawn or not (with the
    reason), and its source, in a disclosure."""
    rows = load(indicator)
    rows = rows[rows["year"].isin(list(years))]
    drawn = set(charted(indicator, years)["row_id"])

    def shown(row: pd.Series) -> str:
        if row["status"] == "superseded":
            return word("outside-status.superseded", newer=row["superseded_by"])
        if row["status"] == "charted" and row["row_id"] not in drawn:
            return word("peers.status-not-drawn")
        return word(f"outside-status.{row['status']}")

    frame = pd.DataFrame(
        {
            word("word.row"): rows["row_id"],
            word("peers.country"): rows["label"],
            word("axis.year"): rows["year"].astype(str),
            word("table.value"): rows["value_text"],
            word("word.confidence"): rows["confidence_text"],
            word("word.on-the-chart"): rows.apply(shown, axis=1),
            word("table.source"): rows["publisher_name"],
            word("word.address"): rows["address"],
        }
    )
    inner = html_table(frame, code_columns=(word("word.row"), word("word.address")))
    left_out = int(rows["row_id"].map(lambda r: r not in drawn).sum())
    summary = word("peers.values-behind", count=number_word(len(rows)))
    if left_out:
        summary += " " + word("outside.not-charted", count=number_word(left_out))
    return HTMLTable(
        f'<details class="ictstory-outside ictstory-peers"><summary>{html.escape(summary)}'
        f"</summary>{inner.markup}</details>"
    )


def glue_ahead(name: str, indicator: str, year: int, area: str = VIETNAM) -> list[str]:
    """Glue the names of the countries placed ahead of an area that year ("Singapore,
    Malaysia and Thailand"), best first; return them."""
    rows = charted(indicator, [year])
    rows = rows[rows["area_kind"] == "country"]
    value = float(value_row(indicator, year, area)["value"])
    ranks = _better(str(rows["unit"].iloc[0]))
    ahead = rows[rows["value"] < value] if ranks else rows[rows["value"] > value]
    names = list(ahead.sort_values("value", ascending=ranks)["label"])
    glue_text(name, join_words(names) if names else word("word.none"))
    return names


#: The measures of the compact comparison (:func:`places_chart`): indicator and years.
PLACES = (
    ("internet_users", (2016, 2021)),
    ("mobile_subscriptions_per_100", (2016, 2021)),
    ("fixed_broadband_per_100", (2016, 2021)),
    ("egdi_score", (2016, 2018)),
    ("gci_score_100", (2020,)),
    ("gii_rank", (2016, 2021)),
)


def places(measures: Sequence[tuple[str, Sequence[int]]] = PLACES) -> pd.DataFrame:
    """Vietnam's place among the neighbours with a value, per measure and year (1 = best).

    One row per measure and year: ``label`` (the measure), ``year``, ``value`` (the place),
    ``value_text`` ("4th of 9 countries"), ``count`` and ``source_id`` (Vietnam's row)."""
    found = []
    for indicator, years in measures:
        for year in years:
            where, count = place(indicator, year)
            row = value_row(indicator, year)
            found.append(
                {
                    "indicator": indicator,
                    "area": VIETNAM,
                    "label": word(f"peers.measure-{vocabulary_slug(indicator)}"),
                    "year": int(year),
                    "value": where,
                    "count": count,
                    "value_text": word(
                        "peers.place", place=ordinal(where), count=number_word(count)
                    ),
                    "vietnam_text": row["value_text"],
                    "row_id": row["row_id"],
                    "source_id": row["source_id"],
                    "last": int(year) == max(years),
                }
            )
    return pd.DataFrame(found)


def places_sources(measures: Sequence[tuple[str, Sequence[int]]] = PLACES) -> list[str]:
    """Every source behind :func:`places`: a place depends on every neighbour's value."""
    ids: set[str] = set()
    for indicator, years in measures:
        ids.update(charted(indicator, years)["source_id"].astype(str))
    return sorted(ids)


def places_chart(
    measures: Sequence[tuple[str, Sequence[int]]] = PLACES, *, field: str = "telecom"
) -> tuple[alt.LayerChart, pd.DataFrame]:
    """Vietnam's place among its neighbours on several measures at once: one row per
    measure, a hollow dot for its first year and a filled one for its last, on one axis
    of places from 1 (the best, at the right) to the number of countries compared."""
    rows = places(measures)
    colour = FIELD_COLOURS[field]
    rows["fill"] = ["vietnam" if last else "none" for last in rows["last"]]
    top = int(rows["count"].max())
    scale = alt.Scale(domain=[1, top], reverse=True, nice=False, padding=10)
    axis = alt.Axis(values=list(range(1, top + 1)), format="d")
    x = alt.X("value:Q", title=word("peers.place-axis"), scale=scale, axis=axis)
    y = alt.Y(
        "label:N",
        sort=list(dict.fromkeys(rows["label"])),
        title=None,
        axis=alt.Axis(labelLimit=200, labelPadding=12, domain=False, ticks=False),
    )
    tooltip = [
        alt.Tooltip("label:N", title=word("word.indicator")),
        alt.Tooltip("year:O", title=word("axis.year")),
        alt.Tooltip("value_text:N", title=word("peers.place-tooltip")),
        alt.Tooltip("vietnam_text:N", title=word("table.value")),
        alt.Tooltip("count:Q", title=word("peers.countries-compared")),
    ]
    # one measure on the axis: each row's place among the countries compared (the
    # measure it is a place in is named by its label, not drawn as a value)
    placed = rows.drop(columns="last").rename(columns={"indicator": "place_in"})
    base = alt.Chart(placed).encode(y=y)
    span = base.mark_rule(strokeWidth=2, color=colour).encode(
        x=alt.X("min(value):Q", title=word("peers.place-axis"), scale=scale, axis=axis),
        x2="max(value):Q",
    )
    dots = base.mark_point(
        shape="circle", size=110, strokeWidth=2, opacity=1, stroke=colour
    ).encode(
        x=x, fill=alt.Fill("fill:N", scale=_roles(colour, colour), legend=None), tooltip=tooltip
    )
    chart = alt.layer(span, dots).properties(width="container", height=alt.Step(34))
    return chart, rows
