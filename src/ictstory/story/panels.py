"""Small multiples by unit: figures of many units, one panel (and scale) per unit.

Labels are keyed by figure id (:func:`labels`), axis titles come from the vocabulary
(:data:`UNIT_WORDS`), so the code holds no words a translator must change::

    st.chart("covid-2020", st.unit_panels(facts.loc[["F105", "F114", "F116"]], "covid"))
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from ictstory.story.charts import provenance_tooltip
from ictstory.story.prose import describe
from ictstory.story.theme import field_colour, kind_encodings
from ictstory.story.words import has_word, short_labels, word

__all__ = ["labels", "unit_panels"]

#: Axis title of each unit (vocabulary keys); other units are shown as written.
UNIT_WORDS = {
    "count": "axis.count",
    "billion": "axis.billion",
    "metres": "axis.metres",
    "tonnes": "axis.tonnes",
    "VND billion": "axis.billion-dong",
    "thousand": "axis.thousand",
    "million": "axis.million",
}
#: Units whose panel is logarithmic: counts of different things span several orders.
LOG_UNITS = ("count",)
#: Labels longer than this go on two lines ("label:" above the value) on a phone.
ONE_LINE = 40


def labels(rows: pd.DataFrame, chapter: str) -> pd.Series:
    """Each row's short label, keyed by figure id: ``<chapter>.short.<id>`` where the
    vocabulary has it (a chapter's own wording), else ``short.<id>``, else the data's
    label in the edition's language."""
    fallback = short_labels(rows)
    return pd.Series(
        [
            word(f"{chapter}.short.{fid}") if has_word(f"{chapter}.short.{fid}") else other
            for fid, other in zip(rows["figure_id"], fallback, strict=True)
        ],
        index=rows.index,
    )


def unit_title(unit: str) -> str:
    """The axis title of a panel of ``unit`` ("Count (log scale)", "Tonnes")."""
    title = word(UNIT_WORDS[unit]) if unit in UNIT_WORDS else unit
    return f"{title} ({word('axis.log-scale')})" if unit in LOG_UNITS else title


def _scale(part: pd.DataFrame, unit: str) -> alt.Scale:
    if unit in LOG_UNITS:
        low = 10 ** math.floor(math.log10(part["value"].min() / 2))
        high = 10 ** math.ceil(math.log10(part["value"].max()))
        return alt.Scale(type="log", domain=[low, high])
    return alt.Scale(zero=True, nice=True)


def unit_panels(rows: pd.DataFrame, chapter: str, *, width: int = 250) -> alt.VConcatChart:
    """Small multiples: one panel per unit (in order of first appearance), each with
    its own scale; a dot per figure, coloured by field, labelled "label: value".

    ``rows`` are figures (``st.figures().loc[ids]``); labels: :func:`labels`.
    """
    rows = rows.assign(short=labels(rows, chapter))
    said = [describe(r) for _, r in rows.iterrows()]
    rows["line_text"] = [f"{s}: {d}" for s, d in zip(rows["short"], said, strict=True)]
    # labels too long for a phone go on two lines (Vega draws a list as lines)
    rows["line"] = [
        t if len(t) <= ONE_LINE else [f"{s}:", d]
        for t, s, d in zip(rows["line_text"], rows["short"], said, strict=True)
    ]
    colour = field_colour(present=rows["field"])
    panels = []
    for unit in dict.fromkeys(rows["unit"]):
        part = rows[rows["unit"] == unit]
        base = alt.Chart(part).encode(
            y=alt.Y("short:N", axis=None, sort=None),
            x=alt.X(
                "value:Q",
                title=unit_title(unit),
                scale=_scale(part, unit),
                axis=alt.Axis(format="~s", tickCount=4),
            ),
        )
        halo = base.mark_point(size=230, filled=False, stroke="#ffffff", strokeWidth=2)
        dots = base.mark_point(size=120, strokeWidth=2).encode(
            color=colour, tooltip=provenance_tooltip(), **kind_encodings(rows)
        )
        # Vega draws extra lines below the first, so two-line labels start higher
        one = base.transform_filter("!isArray(datum.line)").mark_text(
            align="left", baseline="bottom", dy=-12, limit=width
        )
        two = base.transform_filter("isArray(datum.line)").mark_text(
            align="left", baseline="bottom", dy=-25, limit=width
        )
        lines = [m.encode(text="line:N", x=alt.value(0)) for m in (one, two)]
        two_lines = part["line"].map(lambda v: isinstance(v, list)).any()
        step = alt.Step(58 if two_lines else 42)
        panels.append(alt.layer(halo, dots, *lines).properties(width=width, height=step))
    chart = alt.vconcat(*panels, spacing=16).resolve_scale(x="independent")
    return chart.properties(autosize=alt.AutoSizeParams(type="pad"))
