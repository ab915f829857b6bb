"""Short phrases made of vocabulary words and numbers: "tripled", "rose 2.5-fold".

A phrase with a number is a vocabulary row with a placeholder, ``{n}``
(``fold.rose``: "rose {n}-fold" / "tăng {n} lần"), filled by ``word(key, n=...)``.
"""

from __future__ import annotations

import pandas as pd

from ictstory.story.prose import fmt_number
from ictstory.story.words import word

#: Folds that have a word of their own.
NAMED_FOLDS = {2: "fold.doubled", 3: "fold.tripled"}


def fold_words(
    fold: float, *, other: str, names: tuple[int, ...] = (2, 3), rounded: bool = True
) -> str:
    """How many times something grew, in words: "doubled", "tripled" ...

    ``names`` are the folds said with a word of their own (``fold.doubled``,
    ``fold.tripled``), matched after rounding when ``rounded``, else exactly; any
    other fold is the phrase ``other`` (for instance ``fold.rose``, "rose {n}-fold")
    with the fold as a number.
    """
    whole = round(fold)
    matched = whole if rounded else fold
    if matched in names and whole in NAMED_FOLDS:
        return word(NAMED_FOLDS[whole])
    return word(other, n=fmt_number(fold))


def quarter_words(when: object) -> str:
    """The quarter of a date: "the first quarter of 2021" ("quý I/2021" in Vietnamese)."""
    day = pd.Timestamp(when)
    name = word(f"date.quarter-{(day.month - 1) // 3 + 1}")
    return word("date.quarter", quarter=name, year=day.year)
