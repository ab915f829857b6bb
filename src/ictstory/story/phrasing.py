"""Short phrases made of vocabulary words and numbers: "tripled", "rose 2.5-fold".

A phrase with a number is a vocabulary row with a named slot, ``{n}``
(``fold.rose``: "rose {n}-fold" / "tăng {n} lần"). :func:`phrase` fills the slots
by plain replacement, never by ``str.format``: the words are data, not code.
"""

from __future__ import annotations

import re

import pandas as pd

from ictstory.data.vocabulary import word
from ictstory.story.prose import fmt_number

#: A slot in a vocabulary phrase: ``{n}``, ``{month}``.
SLOT = re.compile(r"\{([a-z_]+)\}")

#: Folds that have a word of their own.
NAMED_FOLDS = {2: "fold.doubled", 3: "fold.tripled"}


def phrase(key: str, **values: str) -> str:
    """The vocabulary phrase ``key`` with each ``{slot}`` replaced by ``values[slot]``.

    A slot without a value, or a value without a slot, is an error: the two
    languages' phrases must name the same slots.
    """
    text = word(key)
    slots = set(SLOT.findall(text))
    if slots != set(values):
        raise ValueError(f"{key}: the phrase has slots {sorted(slots)}, given {sorted(values)}")
    return SLOT.sub(lambda match: values[match.group(1)], text)


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
    return phrase(other, n=fmt_number(fold))


def quarter_words(when: object) -> str:
    """The quarter of a date: "the first quarter of 2021" ("quý I/2021" in Vietnamese)."""
    day = pd.Timestamp(when)
    name = word(f"date.quarter-{(day.month - 1) // 3 + 1}")
    return phrase("date.quarter", quarter=name, year=str(day.year))
