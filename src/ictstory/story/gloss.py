"""Our English gloss of a row's excerpt in the English edition's tooltips (issue 21).

``excerpt_en`` of ``data/`` is a translation we made, not a quote
(:mod:`ictstory.data.glosses` checks it). Charts of figures, outside series, targets
and events put it under the excerpt ("Source says"), titled "In English (our
translation)"; the Vietnamese edition reads the excerpt itself and shows none.
"""

from __future__ import annotations

import altair as alt

from ictstory.i18n import lang
from ictstory.story.words import word

#: The column of our English gloss of an excerpt.
GLOSS_COLUMN = "excerpt_en"


def gloss_tooltip() -> list[alt.Tooltip]:
    """The gloss's tooltip field in the English edition; none in the Vietnamese one. A row
    without a gloss (an excerpt already in English) shows none."""
    if lang() != "en":
        return []
    return [alt.Tooltip(f"{GLOSS_COLUMN}:N", title=word("column.excerpt-en"))]
