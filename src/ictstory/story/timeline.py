"""The timeline chapter's charts: dated events in field lanes, COVID-19 waves as rules.

Words come from ``data/vocabulary.csv`` (``timeline.`` keys), event texts from the
events table (``description_en`` / ``description_vi``), wave texts from
``covid_waves`` (``label_*``, ``source`` / ``source_vi``, ``note`` / ``note_vi``)::

    events = st.timeline_events()
    st.chart("timeline-zoom", st.timeline(events, start="2020-01-01", end="2021-12-31"))
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ictstory.data import load_table
from ictstory.i18n import lang
from ictstory.story.charts import LIST_META, document_name
from ictstory.story.gloss import gloss_tooltip
from ictstory.story.marks import declare as declare_marks
from ictstory.story.prose import fmt_date, fmt_month, localized_column
from ictstory.story.theme import FIELD_COLOURS, FIELDS, WAVE_COLOURS
from ictstory.story.words import word

__all__ = ["events_between", "events_by_year", "timeline", "timeline_events", "timeline_key"]

#: The lanes, by field, in the order they are drawn (names: ``timeline.lane.<field>``).
LANES = (
    "sector_wide",
    "covid_response",
    "postal",
    "telecom",
    "digital_transformation",
    "cybersecurity",
    "ict_industry",
    "press_media",
)
#: Last day of the period an event's date stands for.
SPAN = {
    "day": pd.DateOffset(days=0),
    "month": pd.DateOffset(months=1, days=-1),
    "quarter": pd.DateOffset(months=3, days=-1),
    "half": pd.DateOffset(months=6, days=-1),
    "year": pd.DateOffset(years=1, days=-1),
}
#: Wave marks: a lighter shade of the COVID-19 colour (dark mode draws its twin).
WAVE_COLOUR = WAVE_COLOURS[0]


def lane_names() -> dict[str, str]:
    """Short (phone-sized) lane name of each field, in lane order."""
    return {field: word(f"timeline.lane.{field}") for field in LANES}


def _in_language(frame: pd.DataFrame, column: str) -> pd.Series:
    """``column`` in English, ``<column>_vi`` (where given) in the Vietnamese edition."""
    if lang() != "vi":
        return frame[column]
    return frame[f"{column}_vi"].fillna(frame[column])


def short_date(date: pd.Timestamp) -> str:
    """A day in tooltips: "16 Jul 2021", "16/07/2021"."""
    return fmt_date(date) if lang() == "vi" else date.strftime("%-d %b %Y")


def when(date: pd.Timestamp, precision: str) -> str:
    """The event's date at the precision the source gives ("Third quarter of 2021")."""
    if precision == "day":
        return short_date(date)
    if precision == "month":
        return fmt_month(date).capitalize() if lang() == "vi" else date.strftime("%b %Y")
    if precision == "quarter":
        part = f"quarter-{(date.month - 1) // 3 + 1}"
    elif precision == "half":
        part = f"half-{1 if date.month <= 6 else 2}"
    else:
        part = "year"
    return word(f"timeline.when.{part}", year=date.year)


def timeline_events() -> pd.DataFrame:
    """The events table with what the charts draw: lane, period end, tooltip words."""
    events = load_table("events")
    lanes = lane_names()
    said = [when(d, p) for d, p in zip(events["date"], events["date_precision"], strict=True)]
    conference = events["event_type"] == "conference"
    events = events.assign(
        end=[d + SPAN[p] for d, p in zip(events["date"], events["date_precision"], strict=True)],
        lane=events["field"].map(lanes),
        field_name=events["field"].map(FIELDS),
        precision=events["date_precision"].map(lambda p: word(f"timeline.precision.{p}")),
        when=said,
        marker=conference.map(
            {True: word("timeline.conference"), False: word("timeline.other-event")}
        ),
        event_kind=events["event_type"].map(lambda k: word(f"timeline.event.{k}")),
        source=events["source_id"].map(document_name),
        year=events["date"].dt.year,
        # columns of the data table under each chart
        figure_id=events["event_id"],
        **{f"label_{lang()}": localized_column(events, "description")},
        period=said,
    )
    events["mid"] = events["date"] + (events["end"] - events["date"]) / 2
    events["lane_order"] = events["field"].map({k: i for i, k in enumerate(LANES)})
    return events


def events_between(events: pd.DataFrame, start: object, end: object) -> pd.DataFrame:
    """The events whose period overlaps ``start``-``end``."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    return events[(events["end"] >= start) & (events["date"] <= end)].copy()


def lane_slots(frame: pd.DataFrame, min_days: int) -> pd.Series:
    """Sub-rows within each lane so that events close in time do not hide each other."""
    slots = {}
    for _, part in frame.sort_values(["date", "end"]).groupby("lane"):
        ends: list[pd.Timestamp] = []
        for idx, row in part.iterrows():
            stop = max(row["end"], row["date"] + pd.Timedelta(days=min_days))
            free = next((i for i, last in enumerate(ends) if row["date"] > last), None)
            if free is None:
                ends.append(stop)
                free = len(ends) - 1
            ends[free] = stop
            slots[idx] = free
    return pd.Series(slots, dtype="int64")


def _waves(start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """The COVID-19 waves that start between ``start`` and ``end``, with their words."""
    waves = load_table("covid_waves")
    shown = waves[(waves["start"] >= start) & (waves["start"] <= end)]
    return shown.assign(
        short=word("timeline.wave-short") + shown["wave"].astype(str),
        started=[short_date(t) for t in shown["start"]],
        source=_in_language(shown, "source"),
        note=_in_language(shown, "note"),
    )


def _wave_words(shown: pd.DataFrame, wave_labels: bool) -> str:
    """What the dashed lines stand for, and where their dates come from."""
    labels = f" ({shown['short'].iloc[0]}–{shown['short'].iloc[-1]})" if wave_labels else ""
    return word("timeline.key-waves", labels=labels, source=shown["source"].iloc[0])


def timeline_key(start: object, end: object, *, wave_labels: bool = True) -> str:
    """The key of :func:`timeline` for the same ``start``-``end`` as one text: what bars
    and dashed lines stand for, and where the wave dates come from. (The chart's own
    key, under its title, says the same: :func:`timeline` declares its marks.)"""
    shown = _waves(pd.Timestamp(start), pd.Timestamp(end))
    key = word("timeline.key-bars")
    if not shown.empty:
        key += " " + _wave_words(shown, wave_labels)
    return key


def _time_axis(start: pd.Timestamp, end: pd.Timestamp) -> alt.Axis:
    months = (end - start).days / 30
    if months > 30:
        return alt.Axis(format="%Y", tickCount="year", labelAngle=0)
    return alt.Axis(
        tickCount={"interval": "month", "step": 6 if months > 12 else 1},
        labelExpr="month(datum.value) === 0 ? timeFormat(datum.value, '%Y') "
        ": timeFormat(datum.value, '%b')",
        labelAngle=0,
    )


def _event_tooltip() -> list[alt.Tooltip]:
    columns = {
        f"description_{lang()}": "timeline.tip.event",
        "when": "timeline.tip.date",
        "precision": "timeline.tip.precision",
        "field_name": "timeline.tip.field",
        "event_kind": "timeline.tip.kind",
        "source": "column.source_id",
        "excerpt": "word.source-says",
    }
    return [alt.Tooltip(f"{c}:N", title=word(key)) for c, key in columns.items()] + gloss_tooltip()


def timeline(
    events: pd.DataFrame,
    *,
    start: str,
    end: str,
    min_days: int = 40,
    wave_labels: bool = True,
    height: int = 300,
) -> alt.LayerChart:
    """Events of ``start``-``end`` in field lanes: marks for days, bars for dates known
    only to a period, diamonds for conferences, dashed rules for COVID-19 wave starts.

    ``events`` is :func:`timeline_events` (or rows of it); ``min_days`` is how close
    two events of a lane may be before the second moves to a sub-row.
    """
    start_day, end_day = pd.Timestamp(start), pd.Timestamp(end)
    data = events_between(events, start_day, end_day)
    data["slot"] = lane_slots(data, min_days)
    keys = [k for k in LANES if k in set(data["field"])]
    lanes = lane_names()
    lane_scale = alt.Scale(domain=[lanes[k] for k in keys], range=[FIELD_COLOURS[k] for k in keys])
    x_scale = alt.Scale(domain=[start_day, end_day])
    base = alt.Chart(data).encode(
        y=alt.Y("lane:N", title=None, sort=[lanes[k] for k in keys]),
        yOffset=alt.YOffset("slot:O"),
        color=alt.Color(
            "lane:N",
            title=word("legend.field"),
            scale=lane_scale,
            legend=alt.Legend(orient="bottom", symbolType="circle"),
        ),
        tooltip=_event_tooltip(),
    )
    periods = (
        base.transform_filter("datum.date_precision !== 'day'")
        .mark_bar(
            fillOpacity=0.2, strokeWidth=1.5, cornerRadius=2, height={"band": 0.75}, clip=True
        )
        .encode(
            x=alt.X("date:T", title=None, scale=x_scale, axis=_time_axis(start_day, end_day)),
            x2="end:T",
            stroke=alt.Stroke("lane:N", scale=lane_scale, legend=None),
        )
    )
    pointed = base.transform_filter(
        "datum.date_precision === 'day' || datum.event_type === 'conference'"
    ).encode(x=alt.X("mid:T", scale=x_scale))
    markers = [word("timeline.conference"), word("timeline.other-event")]
    shape = alt.Shape(
        "marker:N",
        title=None,
        scale=alt.Scale(domain=markers, range=["diamond", "circle"]),
        legend=alt.Legend(
            orient="top",
            direction="horizontal",
            symbolFillColor="#8C8C8C",
            symbolStrokeColor="#8C8C8C",
        ),
    )
    halos = pointed.mark_point(size=190, filled=False, stroke="#ffffff", strokeWidth=2).encode(
        shape=alt.condition(
            "datum.event_type === 'conference'", alt.value("diamond"), alt.value("circle")
        ),
        tooltip=alt.value(None),
    )
    marks = pointed.mark_point(size=90, strokeWidth=2, filled=True).encode(
        shape=shape,
        fillOpacity=alt.condition("datum.date_precision === 'day'", alt.value(1), alt.value(0)),
        stroke=alt.Stroke("lane:N", scale=lane_scale, legend=None),
    )
    layers: list[alt.Chart] = [periods, halos, marks]
    shown = _waves(start_day, end_day)
    if not shown.empty:
        wave_base = alt.Chart(shown).encode(
            x=alt.X("start:T", scale=x_scale),
            tooltip=[
                alt.Tooltip(f"label_{lang()}:N", title=word("timeline.tip.wave")),
                alt.Tooltip("started:N", title=word("timeline.tip.started")),
                alt.Tooltip("source:N", title=word("timeline.tip.wave-source")),
                alt.Tooltip("note:N", title=word("timeline.tip.note")),
            ],
        )
        rules = wave_base.mark_rule(
            strokeDash=[4, 3], strokeWidth=2, color=WAVE_COLOUR, opacity=0.8
        )
        layers.insert(0, rules)
        if wave_labels:
            layers.append(
                wave_base.mark_text(
                    baseline="top",
                    dy=2,
                    dx=3,
                    align="left",
                    fontSize=12,
                    fontWeight=600,
                    color=WAVE_COLOUR,
                ).encode(text="short:N", y=alt.value(0))
            )
    # on a phone, the events as a list by date (ictstory.story.charts.list_view)
    listing = {
        "date": "when",
        "sort": "date",
        "text": f"description_{lang()}",
        "field": "field_name",
        "source": "source",
    }
    drawn = []  # the chart's key (ictstory.story.marks): what bars and dashed lines are
    if (data["date_precision"] != "day").any():
        drawn.append(("period-bar", word("timeline.key-bars")))
    if not shown.empty:
        drawn.append(("wave-line", _wave_words(shown, wave_labels)))
    chart = alt.layer(*layers).properties(height=height, usermeta={LIST_META: listing})
    return declare_marks(chart, drawn)


def events_by_year(events: pd.DataFrame, years: range) -> alt.LayerChart:
    """Dated events per year, stacked by lane in lane order, with each year's total."""
    lanes = lane_names()
    lane_scale = alt.Scale(domain=list(lanes.values()), range=[FIELD_COLOURS[k] for k in lanes])
    year_tip = alt.Tooltip("year:O", title=word("axis.year"))
    count_tip = alt.Tooltip("count():Q", title=word("timeline.tip.events"))
    base = alt.Chart(events).encode(
        x=alt.X(
            "year:O",
            title=word("timeline.axis-year"),
            scale=alt.Scale(domain=list(years)),
            axis=alt.Axis(labelAngle=0),
        ),
    )
    stacked = base.mark_bar(size=26, strokeWidth=0).encode(
        y=alt.Y("count():Q", title=word("timeline.axis-events"), axis=alt.Axis(tickMinStep=1)),
        color=alt.Color(
            "lane:N",
            title=word("legend.field"),
            scale=lane_scale,
            legend=alt.Legend(orient="bottom"),
        ),
        order=alt.Order("lane_order:Q"),
        tooltip=[
            year_tip,
            alt.Tooltip("field_name:N", title=word("legend.field")),
            count_tip,
        ],
    )
    totals = base.mark_text(dy=-4, baseline="bottom", fontWeight=600).encode(
        y=alt.Y("count():Q"), text=alt.Text("count():Q"), tooltip=[year_tip, count_tip]
    )
    return (stacked + totals).properties(height=240)
