"""Chart forms that suit sparse, mixed data; each returns an Altair chart for :func:`show`.

Every form takes rows of the figures table (``figure_id``, ``label_en``,
``period``, ``value``, ``unit``, ``kind``, ``source_id``, ``excerpt`` …), so
tooltips carry provenance and the kind of value sets fill and dash.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ictstory.charts import provenance_tooltip
from ictstory.theme import FIELD_COLOURS, kind_encodings


def _one_unit(data: pd.DataFrame) -> str:
    """The single unit of the rows; an error when a chart would mix units on one axis."""
    units = sorted(set(data["unit"].dropna()))
    if len(units) != 1:
        raise ValueError(f"rows mix units {units}: one axis, one unit")
    return units[0]


def rank_path(
    data: pd.DataFrame,
    *,
    title: str,
    x_title: str,
    y_title: str = "Rank (1 = best)",
    colour: str = FIELD_COLOURS["cybersecurity"],
    height: int = 220,
) -> alt.LayerChart:
    """Ranks over time with rank 1 at the top, each point labelled."""
    if _one_unit(data) != "rank":
        raise ValueError("rank_path plots ranks only")
    base = alt.Chart(data).encode(
        x=alt.X("period:O", title=x_title, axis=alt.Axis(labelAngle=0)),
        y=alt.Y(
            "value:Q",
            title=y_title,
            scale=alt.Scale(reverse=True, zero=False, padding=14),
            axis=alt.Axis(format="d", tickMinStep=1),
        ),
    )
    return (
        base.mark_line(color=colour)
        + base.mark_point(color=colour, size=90).encode(
            tooltip=provenance_tooltip(), **kind_encodings(data)
        )
        + base.mark_text(dy=-14, fontWeight=600).encode(text="value:Q")
    ).properties(title=title, height=height)


def labelled_bars(
    data: pd.DataFrame,
    *,
    title: str,
    x_title: str,
    label: str = "label_en",
    colour: str = FIELD_COLOURS["telecom"],
    value_format: str = ",",
) -> alt.LayerChart:
    """Horizontal bars of one unit, each with its label above and value beside it."""
    _one_unit(data)
    base = alt.Chart(data).encode(
        y=alt.Y(
            f"{label}:N",
            title=None,
            axis=None,
            sort=alt.EncodingSortField("value", order="descending"),
        ),
        x=alt.X("value:Q", title=x_title),
    )
    return (
        base.mark_bar(color=colour, stroke=colour, size=16).encode(
            tooltip=provenance_tooltip(), **kind_encodings(data)
        )
        + base.mark_text(align="left", dx=4).encode(text=alt.Text("value:Q", format=value_format))
        + base.mark_text(align="left", baseline="bottom", dy=-10, limit=300).encode(
            text=f"{label}:N", x=alt.value(0)
        )
    ).properties(title=title, height=alt.Step(46))
