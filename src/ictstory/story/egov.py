"""Online public services at level 4: the climb and its target, as one chart.

Used by the chapter "Digital transformation and e-government".
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ictstory.story.charts import provenance_tooltip
from ictstory.story.prose import fmt_number, indicator, latest
from ictstory.story.theme import kind_encodings
from ictstory.story.words import word

#: The indicator of the share of online public services at level 4.
LEVEL4 = "online_services_level4_share"


def level4_path(target_id: str, colour: str) -> alt.LayerChart:
    """Every reported level-4 share as a labelled point, and a dashed line from the
    latest figure (whatever source gives it) to the target ``target_id``.

    A year's share sits mid-year, a dated figure on its day, the target on its
    deadline. Reported values are points only: no line invents the years between.
    """
    level4 = indicator(LEVEL4)
    mid_period = level4["period_start"] + (level4["period_end"] - level4["period_start"]) / 2
    level4["when"] = mid_period.where(level4["kind"] != "target", level4["period_end"])
    reached = level4[level4["kind"] != "target"]
    target = level4[level4["figure_id"] == target_id]
    rows = pd.concat([reached, target])
    rows = rows.assign(
        text=[
            word("egov.target-percent", value=fmt_number(v))
            if k == "target"
            else f"{fmt_number(v)}%"
            for v, k in zip(rows["value"], rows["kind"], strict=True)
        ]
    )
    newest = latest(LEVEL4)
    path = rows[rows["figure_id"].isin([newest["figure_id"], target_id])]
    x = alt.X(
        "when:T",
        title=word("egov.axis-date"),
        scale=alt.Scale(domain=[alt.DateTime(year=2016), alt.DateTime(year=2022, month=3)]),
        axis=alt.Axis(format="%Y", tickCount="year"),
    )
    y = alt.Y(
        "value:Q",
        title=word("egov.axis-level4-share"),
        scale=alt.Scale(domain=[0, 110], nice=False),
        axis=alt.Axis(values=[0, 25, 50, 75, 100]),
    )
    line = alt.Chart(path).mark_line(color=colour, strokeDash=[7, 3]).encode(x=x, y=y)
    points = (
        alt.Chart(rows)
        .mark_point(color=colour, stroke=colour, size=110)
        .encode(x=x, y=y, tooltip=provenance_tooltip(), **kind_encodings(rows))
    )
    labels = (
        alt.Chart(rows)
        .mark_text(align="right", dx=-9, dy=-10, fontWeight=600)
        .encode(x=x, y=y, text="text:N")
    )
    return (line + points + labels).properties(height=260)
