"""Forms for values that do not share a measure: key-number cards and panels by measure.

A chart's axis carries one measure (:mod:`ictstory.story.axes`). Values of many
measures are either read one by one, as cards (:func:`key_numbers`: no axis, a
card per figure with its value in words), or compared within each measure, as
small multiples (:func:`measure_bars`: one panel of labelled bars per measure,
each with its own scale and an axis title naming what it counts)::

    st.chart("telecom-spam", st.measure_bars(spam, label="short"))
    st.chart("covid-2020", st.key_numbers(facts.loc[ids], "covid"))
"""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from ictstory.data.vocabulary import slug
from ictstory.story.axes import Key, key_of, measure_words, period_kind_words
from ictstory.story.charts import provenance_tooltip, row_label, stacked_width
from ictstory.story.forms import label_column
from ictstory.story.panels import labels
from ictstory.story.prose import describe, period_words
from ictstory.story.theme import FIELD_COLOURS, FIELDS, kind_encodings
from ictstory.story.words import has_word, short_labels, word

__all__ = ["axis_title", "key_numbers", "measure_bars", "measure_title", "panel_title"]

#: Characters of a card's label and of its value on one line (two cards side by side
#: on a phone: about 165 px each).
CARD_CHARS = 22
VALUE_CHARS = 14
#: Height (px) of a card, and of a line of its value.
CARD_HEIGHT = 134
VALUE_LINE = 20
#: Width (px) of a panel of :func:`measure_bars` in the static drawing (the page fits it).
PANEL_WIDTH = 280


def measure_title(key: Key, *, with_period: bool = False) -> str:
    """An axis title that names what is counted, in what unit: "Text messages
    (million)", "Tin nhắn (triệu)"; ``with_period`` adds the kind of period."""
    words = measure_words(key.measure)
    text = words[:1].upper() + words[1:]
    if with_period:
        text += f", {period_kind_words(key.period_kind)}"
    unit_key = f"unit.{slug(key.unit)}"
    if key.unit and key.unit != "count" and has_word(unit_key):
        text += f" ({word(unit_key)})"
    return text


def panel_title(rows: pd.DataFrame) -> alt.Title:
    """A panel's heading naming the measure of its rows (:func:`axis_title`), wrapped
    to fit a phone."""
    return alt.Title(_lines(axis_title(rows), 24), anchor="start", fontSize=13)


def axis_title(rows: pd.DataFrame) -> str:
    """The axis title of rows of one measure (:func:`measure_title`); an error naming
    the figures when they are not one measure."""
    groups = _groups(rows)
    if len(groups) != 1:
        ids = [", ".join(map(str, part["figure_id"])) for _, part in groups]
        raise ValueError(
            f"rows of {len(groups)} measures ({'; '.join(ids)}): one axis, one measure"
        )
    return measure_title(groups[0][0])


def by_measure(rows: pd.DataFrame) -> list[pd.DataFrame]:
    """The rows split by measure (kind of period and unit), in order of first appearance."""
    return [part for _, part in _groups(rows)]


def _groups(rows: pd.DataFrame) -> list[tuple[Key, pd.DataFrame]]:
    """The rows by measure (kind of period and unit), in order of first appearance."""
    keys = [key_of(row) for row in rows.to_dict("records")]
    if any(key is None for key in keys):
        raise ValueError("measure_bars draws figures: every row needs its indicator")
    order = list(dict.fromkeys(keys))
    return [(key, rows[[k == key for k in keys]]) for key in order if key is not None]


def measure_bars(
    rows: pd.DataFrame,
    *,
    label: str | None = None,
    colour: str = FIELD_COLOURS["telecom"],
    value_format: str = ",",
) -> alt.VConcatChart:
    """Labelled bars, one panel per measure (each with its own scale), stacked.

    Every panel's axis title names its measure and unit (:func:`measure_title`);
    two panels of one measure (a flow and a cumulative total) also name their kind
    of period."""
    label = label_column(label)
    groups = _groups(rows)
    measures = [key.measure for key, _ in groups]
    panels = []
    for key, part in groups:
        title = measure_title(key, with_period=measures.count(key.measure) > 1)
        order = alt.EncodingSortField("value", order="descending")
        base = alt.Chart(part).encode(
            y=alt.Y(f"{label}:N", title=None, axis=None, sort=order),
            x=alt.X("value:Q", title=title, axis=alt.Axis(tickCount=3)),
        )
        panels.append(
            (
                base.mark_bar(color=colour, stroke=colour, size=16).encode(
                    tooltip=provenance_tooltip(), **kind_encodings(rows)
                )
                + base.mark_text(align="left", dx=4).encode(
                    text=alt.Text("value:Q", format=value_format)
                )
                + row_label(base, label, dy=-10, width=stacked_width(PANEL_WIDTH))
            ).properties(width=PANEL_WIDTH, height=alt.Step(46))
        )
    chart = alt.vconcat(*panels, spacing=22)
    return chart.properties(autosize=alt.AutoSizeParams(type="pad"))


def _lines(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters (Vega draws a list as lines)."""
    return textwrap.wrap(text, width) or [text]


def key_numbers(
    rows: pd.DataFrame,
    chapter: str | None = None,
    *,
    label: str | None = None,
    text: str | None = None,
    columns: int = 2,
) -> alt.LayerChart:
    """A card per figure, two to a row: its value in words, what it counts, when.

    Cards have no axis, so figures of any measure sit side by side without being
    compared on a scale. Labels: the ``label`` column, else ``<chapter>.short.<id>``
    or ``short.<id>`` words (:func:`ictstory.story.panels.labels`); the value is
    the ``text`` column, else the figure in words (:func:`describe`). The card's
    outline is its field's colour, dashed as its kind of value is drawn."""
    if label is not None:
        names = rows[label].astype(str)
    elif chapter is not None:
        names = labels(rows, chapter)
    else:
        names = short_labels(rows)
    said = rows[text].astype(str) if text else [describe(r) for _, r in rows.iterrows()]
    when = [period_words(r) for _, r in rows.iterrows()]
    cards = rows.assign(
        card_value=[_lines(str(v), VALUE_CHARS) for v in said],
        card_value_lines=[len(_lines(str(v), VALUE_CHARS)) for v in said],
        card_label=[_lines(str(n), CARD_CHARS) for n in names],
        card_when=when,
        field_name=rows["field"].map(FIELDS),
        col=[i % columns for i in range(len(rows))],
        row=[i // columns for i in range(len(rows))],
    )
    present = [f for f in FIELDS if f in set(rows["field"])]
    colour = alt.Color(
        "field_name:N",
        title=word("legend.field"),
        scale=alt.Scale(
            domain=[FIELDS[f] for f in present], range=[FIELD_COLOURS[f] for f in present]
        ),
        legend=alt.Legend(orient="bottom") if len(present) > 1 else None,
    )
    dash = kind_encodings(rows, legend=False)["strokeDash"]
    base = alt.Chart(cards).encode(
        x=alt.X("col:O", axis=None, title=None, scale=alt.Scale(paddingInner=0.05)),
        y=alt.Y("row:O", axis=None, title=None, scale=alt.Scale(paddingInner=0.05)),
    )
    card = base.mark_rect(
        cornerRadius=6, fillOpacity=0.1, strokeWidth=2, strokeOpacity=0.9
    ).encode(fill=colour, stroke=colour, strokeDash=dash, tooltip=provenance_tooltip())
    top = -CARD_HEIGHT // 2 + 10  # px from the card's centre to its first line
    value = base.mark_text(
        fontSize=17, fontWeight=700, baseline="top", dy=top, lineHeight=VALUE_LINE
    ).encode(text="card_value:N")
    names = [
        base.transform_filter(f"datum.card_value_lines === {n}")
        .mark_text(fontSize=12, baseline="top", dy=top + n * VALUE_LINE + 6, lineHeight=15)
        .encode(text="card_label:N")
        for n in sorted(set(cards["card_value_lines"]))
    ]
    period = base.mark_text(
        fontSize=12, baseline="bottom", dy=CARD_HEIGHT // 2 - 10, opacity=0.8
    ).encode(text="card_when:N")
    return alt.layer(card, value, *names, period).properties(height=alt.Step(CARD_HEIGHT))
