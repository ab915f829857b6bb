"""Single values and ranges on one axis: a dot on a stem, or a band."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ictstory.story import marks
from ictstory.story.charts import provenance_tooltip, row_label
from ictstory.story.prose import describe
from ictstory.story.theme import kind_encodings
from ictstory.story.words import word


def range_dots(rows: pd.DataFrame, *, x_title: str, colour: str) -> alt.LayerChart:
    """Single values as dots on a stem from zero, ranges (``value`` to ``value_high``)
    as bands, each row labelled by its ``short`` column and described in words."""
    rows = rows.assign(
        end=rows["value_high"].fillna(rows["value"]),
        text=[describe(row, unit=False) for _, row in rows.iterrows()],
    )
    kinds = kind_encodings(rows, legend=False)  # the row labels name the kinds
    base = alt.Chart(rows).encode(
        y=alt.Y("short:N", sort=list(rows["short"]), title=None, axis=None),
        x=alt.X("value:Q", title=x_title, scale=alt.Scale(domain=[0, rows["end"].max() * 1.3])),
    )
    single = base.transform_filter("!isValid(datum.value_high)")
    ranged = base.transform_filter("isValid(datum.value_high)")
    chart = (
        single.mark_rule(color=colour, opacity=0.4).encode(x2=alt.datum(0))
        + single.mark_point(size=120, strokeWidth=2, color=colour, fill=colour).encode(
            tooltip=provenance_tooltip(), **kinds
        )
        + ranged.mark_bar(size=16, color=colour, stroke=colour, strokeWidth=2).encode(
            x2="value_high:Q", tooltip=provenance_tooltip(), **kinds
        )
        + base.mark_text(align="left", dx=9).encode(x="end:Q", text="text:N")
        + row_label(base, "short", dy=-13)
    ).properties(height=alt.Step(50))
    ranges = rows["value_high"].notna().any()
    return marks.declare(chart, [("range-band", word("key.range-band"))] if ranges else [])
