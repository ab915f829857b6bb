"""The COVID-19 chapter's own chart: the four parts of the epidemic-control formula.

Part names, owners and tooltip heads are words of ``data/vocabulary.csv``
(``covid.formula.`` keys); the tiles carry figure F001's provenance.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ictstory.story.charts import provenance_tooltip
from ictstory.story.theme import FIELD_COLOURS
from ictstory.story.words import word

__all__ = ["formula_tiles"]

#: The formula's parts, in reading order (2 x 2), with the owner of each.
PARTS = (
    ("5k", "health"),
    ("vaccine", "health"),
    ("technology", "ict-it"),
    ("awareness", "ict-press"),
)
#: Tile colour of each owner.
OWNER_COLOURS = {
    "health": FIELD_COLOURS["sector_wide"],
    "ict-it": FIELD_COLOURS["digital_transformation"],
    "ict-press": FIELD_COLOURS["press_media"],
}


def formula_tiles(formula: pd.DataFrame) -> alt.LayerChart:
    """Four tiles, one per part of the formula, coloured by who it belongs to.

    ``formula`` is the row of the figure that counts the parts (``facts.loc[["F001"]]``):
    every tile carries its provenance in the tooltip.
    """
    owners = {key: word(f"covid.formula.owner-{key}") for key in OWNER_COLOURS}
    tiles = formula.loc[formula.index.repeat(len(PARTS))].reset_index(drop=True)
    tiles = tiles.assign(
        component=[word(f"covid.formula.{part}") for part, _ in PARTS],
        owner=[owners[owner] for _, owner in PARTS],
        col=[i % 2 for i in range(len(PARTS))],
        row=[i // 2 for i in range(len(PARTS))],
    )
    base = alt.Chart(tiles).encode(
        x=alt.X("col:O", axis=None),
        y=alt.Y("row:O", axis=None),
        tooltip=[
            alt.Tooltip("component:N", title=word("covid.formula.component")),
            alt.Tooltip("owner:N", title=word("covid.formula.belongs-to")),
        ]
        + provenance_tooltip(),
    )
    return (
        base.mark_rect(cornerRadius=6, stroke="white", strokeWidth=3).encode(
            color=alt.Color(
                "owner:N",
                title=word("covid.formula.belongs-to"),
                scale=alt.Scale(domain=list(owners.values()), range=list(OWNER_COLOURS.values())),
                legend=alt.Legend(orient="bottom", columns=1),
            )
        )
        + base.mark_text(fontSize=14, fontWeight=600, color="#111111", dy=-8).encode(
            text="component:N"
        )
        + base.mark_text(fontSize=12, color="#111111", dy=10).encode(text="owner:N")
    ).properties(height=170)
