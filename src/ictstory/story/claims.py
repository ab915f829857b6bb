"""Words of comparison and status computed from the data, never typed in a title.

A chart title or a summary that says "tripled", "rose", "met", "the same" or
"all" makes a claim; this module makes each such word from the numbers it
claims about, hedged as the data hedges them (a figure's ``qualifier``, an
outside value's ``hedge``, a derived value), so a title cannot be stronger than
its evidence. Chapters glue the words (``st.glue_text``) and the Markdown of each
edition places them with ``{glue:text}`` (a ``{chart}`` title is inline MyST too).
``tests/test_claim_words.py`` lists any title or summary that types such a word.

Every phrase is a row of ``data/vocabulary.csv`` (``fold.*``, ``claim.*``).
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from ictstory.story.prose import figure, fmt_number, glue_text
from ictstory.story.words import word

Direction = Literal["rose", "fell", "same"]

#: Folds that have a word of their own ("doubled", "tripled").
NAMED_FOLDS = {2: "fold.2", 3: "fold.3"}
#: How a qualifier of the data hedges a verb: "nearly tripled", "more than doubled".
FOLD_HEDGES = {
    "about": "fold-hedge.about",
    "approximate": "fold-hedge.about",
    "derived": "fold-hedge.about",
    "nearly": "fold-hedge.nearly",
    "up_to_nearly": "fold-hedge.nearly",
    "more_than": "fold-hedge.more-than",
    "over": "fold-hedge.more-than",
    "lower_bound": "fold-hedge.more-than",
    "under": "fold-hedge.less-than",
    "up_to": "fold-hedge.up-to",
}
#: An outside value's hedge (or a derived value) as a figure's qualifier.
QUALIFIER_OF_HEDGE = {"approximate": "about", "lower_bound": "more_than", "derived": "about"}
#: Qualifiers that state a value as it is (no hedge).
EXACT = ("exact", "range", "")


def fold_hedge(qualifier: object) -> str:
    """The words that hedge a fold as ``qualifier`` hedges a number ("nearly "), with
    the space that follows them; empty for a value stated as it is."""
    if pd.isna(qualifier) or str(qualifier) in EXACT:
        return ""
    key = FOLD_HEDGES.get(str(qualifier))
    if key is None:
        raise ValueError(f"no hedge for the qualifier {qualifier!r}: add it to FOLD_HEDGES")
    return word(key) + " "


def fold_words(
    fold: float,
    *,
    other: str = "fold.rose",
    names: tuple[int, ...] = (2, 3),
    rounded: bool = True,
    qualifier: object = "exact",
) -> str:
    """How many times something grew, in words: "doubled", "nearly tripled", "rose 4.4-fold".

    A fold in ``names`` has a word of its own (``fold.2`` "doubled", ``fold.3``
    "tripled", each with a ``{hedge}``) when it is that whole number; with
    ``rounded`` a fold near one (within 0.05) gets the word too, hedged "roughly".
    Any other fold is the phrase ``other`` (``fold.rose``: "rose {n}-fold";
    ``fold.multiplied-by``) with the number. ``qualifier`` (the data's: ``nearly``,
    ``about``, ``more_than`` ...) hedges the words: a fold stated "nearly 3" is
    "nearly tripled", never "tripled".
    """
    whole = round(fold)
    exact = fold == whole
    near = rounded and abs(fold - whole) <= 0.05
    if whole in names and whole in NAMED_FOLDS and (exact or near):
        hedge = qualifier if exact or str(qualifier) not in EXACT else "about"
        return word(NAMED_FOLDS[whole], hedge=fold_hedge(hedge))
    number = fmt_number(fold)
    if not pd.isna(qualifier) and str(qualifier) not in EXACT:
        stated = QUALIFIER_OF_HEDGE.get(str(qualifier), str(qualifier))
        number = word(f"qualifier.{stated.replace('_', '-')}", n=number)
    return word(other, n=number)


def figure_fold(row: pd.Series, **options: object) -> str:
    """:func:`fold_words` of a figure stated as a multiple (unit ``times``), hedged by
    its qualifier ("nearly tripled" for "tăng gần 3 lần"); a derived figure is "about"."""
    if row["unit"] != "times":
        raise ValueError(
            f"{row.get('figure_id', '?')}: a fold needs unit 'times', not {row['unit']}"
        )
    derived = row["kind"] == "derived" and row["qualifier"] == "exact"
    qualifier = "about" if derived else row["qualifier"]
    return fold_words(float(row["value"]), qualifier=qualifier, **options)  # type: ignore[arg-type]


def direction(before: float, after: float, *, rank: bool = False) -> Direction:
    """Which way a value moved: ``rose``, ``fell`` or ``same``; a rank rises as its number falls."""
    if after == before:
        return "same"
    up = after < before if rank else after > before
    return "rose" if up else "fell"


def change_words(
    before: float,
    after: float,
    before_text: str,
    after_text: str,
    *,
    rank: bool = False,
) -> str:
    """ "rose from A to B", "fell from A to B" or "stayed at B", the verb from the values
    (``claim.<direction>-from-to``); the texts keep their own hedges ("about 37,000")."""
    return word(f"claim.{direction(before, after, rank=rank)}-from-to", a=before_text, b=after_text)


def by_words(change: float, text: str) -> str:
    """ "rose 200%" or "fell 26%": the verb from the sign of ``change``, ``text`` the
    change as stated (without its sign)."""
    return word(f"claim.{direction(0, change)}-by", n=text.lstrip("-−"))


def at_year(text: str, year: object) -> str:
    """A value with its year: "37,000 billion dong in 2021" ("… năm 2021")."""
    return word("claim.in-year", n=text, year=year)


def same_words(first: pd.Series, second: pd.Series) -> str:
    """Whether two figures are one thing: "the same" only when they state the same
    value with the same qualifier; "most likely the same" when only the value agrees
    (one source hedges); else "two different"."""
    if float(first["value"]) != float(second["value"]):
        return word("claim.different")
    if first["qualifier"] == second["qualifier"]:
        return word("claim.same")
    return word("claim.likely-same")


def share_words(part: int, whole: int) -> str:
    """How many of a whole, in words: "all", "none", else "most" or "some" (``claim.share-*``)."""
    if whole <= 0 or not 0 <= part <= whole:
        raise ValueError(f"{part} of {whole} is not a share")
    if part == whole:
        return word("claim.share-all")
    if part == 0:
        return word("claim.share-none")
    return word("claim.share-most" if part * 2 > whole else "claim.share-some")


def compare_words(value: float, other: float) -> str:
    """ "above" or "below" (or "level with") another value (``claim.compare-*``)."""
    if value == other:
        return word("claim.compare-level")
    return word("claim.compare-above" if value > other else "claim.compare-below")


def claim_of(status: str) -> str:
    """A target's status as a claim in words ("met", "met on paper", "missed", "open")."""
    return word(f"claim.status-{status}")


#: The order in which a tally names targets' statuses.
STATUS_ORDER = ("met", "met-on-paper", "missed", "open", "unclear", "unreported")


def tally_words(statuses: pd.Series) -> str:
    """How many targets have each status, in words, statuses with none left out:
    "one met on paper, 13 open and two due and not reported" (``claim.tally-*``)."""
    from ictstory.story.prose import join_words, number_word

    counts = statuses.value_counts()
    unknown = set(counts.index) - set(STATUS_ORDER)
    if unknown:
        raise ValueError(f"statuses without words: {sorted(unknown)}")
    return join_words(
        [
            word(f"claim.tally-{status}", n=number_word(int(counts[status])))
            for status in STATUS_ORDER
            if counts.get(status, 0)
        ]
    )


def rank_words(row: pd.Series) -> str:
    """A rank as an ordinal ("25th"), hedged when it is derived: "about 100th (derived)"."""
    from ictstory.story.prose import ordinal

    text = ordinal(float(row["value"]))
    return word("claim.rank-derived", rank=text) if row["kind"] == "derived" else text


def figure_words(row: pd.Series) -> str:
    """A figure in words as a claim may quote it: a rank by :func:`rank_words`, any other
    value with its qualifier and unit (:func:`ictstory.story.prose.describe`)."""
    from ictstory.story.prose import describe

    return rank_words(row) if row["unit"] == "rank" else describe(row)


def figure_change(before: pd.Series, after: pd.Series) -> str:
    """:func:`change_words` of two figures of one indicator: "rose from 1.42% to 30.86%",
    "rose from about 100th (derived) to 25th" (a rank rises as its number falls)."""
    if before["unit"] != after["unit"]:
        raise ValueError(
            f"{before['figure_id']} and {after['figure_id']} are in different units: "
            "a change needs one measure"
        )
    return change_words(
        float(before["value"]),
        float(after["value"]),
        figure_words(before),
        figure_words(after),
        rank=after["unit"] == "rank",
    )


#: Multiples said with a word of their own ("twice", "three times").
NAMED_TIMES = {2: "claim.times-2", 3: "claim.times-3"}


def times_words(ratio: float, *, qualifier: object = "exact") -> str:
    """One value as a multiple of another: "twice", "about three times", "about 2.4 times"
    (``claim.times-*``). A ratio near a whole number gets its word, hedged "about"
    unless it is exactly that number; ``qualifier`` hedges it as the data does."""
    whole = round(ratio)
    if whole in NAMED_TIMES and abs(ratio - whole) <= 0.05:
        hedge = qualifier if ratio == whole or str(qualifier) not in EXACT else "about"
        return word(NAMED_TIMES[whole], hedge=fold_hedge(hedge))
    hedge = qualifier if str(qualifier) not in EXACT else "about"
    return word("claim.times-n", hedge=fold_hedge(hedge), n=fmt_number(round(ratio, 1)))


def misprint_words(stated: float, value: float) -> str:
    """How far a value as printed is off the corrected one: "1,000 times too small"
    (``claim.too-small`` / ``claim.too-large``), the factor computed from the two."""
    if stated <= 0 or value <= 0:
        raise ValueError("a misprint factor needs two positive values")
    ratio = value / stated
    key = "claim.too-small" if ratio > 1 else "claim.too-large"
    return word(key, n=fmt_number(round(max(ratio, 1 / ratio)), 0))


def glue_rank(name: str, figure_id: str) -> str:
    """Glue a rank as an ordinal: "25th" ("thứ 25" in Vietnamese); a derived rank is
    hedged, "about 100th (derived)" (:func:`rank_words`)."""
    row = figure(figure_id)
    return glue_text(name, rank_words(row), value=float(row["value"]))
