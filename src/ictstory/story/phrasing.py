"""Short phrases of dates made of vocabulary words: "the third quarter of 2021".

Words of comparison ("tripled", "rose") are in :mod:`ictstory.story.claims`.
"""

from __future__ import annotations

import pandas as pd

from ictstory.story.words import word


def quarter_words(when: object) -> str:
    """The quarter of a date: "the first quarter of 2021" ("quý I/2021" in Vietnamese)."""
    day = pd.Timestamp(when)
    name = word(f"date.quarter-{(day.month - 1) // 3 + 1}")
    return word("date.quarter", quarter=name, year=day.year)
