"""Numbers for the prose: formatted from the data and glued with myst-nb.

In a chapter::

    from ictstory.prose import glue_figure
    glue_figure("parcels_h1_2020", "F012")

and in the text: ``{glue:text}`parcels_h1_2020``` renders "over 377 million".
When the CSV changes and the book is rebuilt, the sentence changes with it.
"""

from __future__ import annotations

import math
from functools import lru_cache

import pandas as pd

from ictstory.data import load_table
from ictstory.theme import FIELDS, KINDS

QUALIFIERS = {
    "exact": "",
    "over": "over ",
    "more_than": "more than ",
    "nearly": "nearly ",
    "about": "about ",
    "up_to": "up to ",
    "up_to_nearly": "up to nearly ",
    "under": "under ",
    "range": "",
}

#: (prefix, suffix) around the number, per unit.
UNIT_WORDS = {
    "count": ("", ""),
    "thousand": ("", " thousand"),
    "million": ("", " million"),
    "billion": ("", " billion"),
    "VND billion": ("", " billion dong"),
    "USD million": ("US$", " million"),
    "USD billion": ("US$", " billion"),
    "tonnes": ("", " tonnes"),
    "percent": ("", "%"),
    "percentage points": ("", " percentage points"),
    "rank": ("", ""),
    "times": ("", " times"),
    "per 100 inhabitants": ("", " per 100 inhabitants"),
    "metres": ("", " metres"),
}


def fmt_number(value: float, decimals: int | None = None) -> str:
    """English number format: ``4162`` -> "4,162", ``2.6`` -> "2.6", ``76.42`` -> "76.42".

    Never a minus before zero: ``-0.0`` -> "0", ``-0.004`` with 2 decimals -> "0.00".
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ValueError("no value to format")
    if decimals is None:
        decimals = 0 if float(value).is_integer() else len(f"{value:.6g}".split(".")[-1])
    text = f"{value:,.{decimals}f}"
    if text.startswith("-") and not text.strip("-0.,"):
        return text[1:]  # -0, and values that round to zero: "0", not "-0"
    return text


NUMBER_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve").split()


def number_word(value: float) -> str:
    """Small counts in words ("six fields"), larger ones in figures: 6 -> "six", 40 -> "40"."""
    n = int(value)
    if n != value:
        raise ValueError(f"{value} is not a whole number")
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else f"{n:,}"


def ordinal(value: float) -> str:
    """``25`` -> "25th", ``1`` -> "1st", ``22`` -> "22nd"."""
    n = int(value)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@lru_cache(maxsize=1)
def _figures_cached() -> pd.DataFrame:
    table = load_table("figures")
    table["field_name"] = table["field"].map(FIELDS).astype("string")
    table["kind_name"] = table["kind"].map(KINDS).astype("string")
    return table.set_index("figure_id", drop=False)


def figures() -> pd.DataFrame:
    """The figures table indexed by ``figure_id`` (kept as a column too), with display
    names of the field and the kind."""
    return _figures_cached().copy()


def indicator(key: str) -> pd.DataFrame:
    """Every figure of one indicator, oldest period first; an error if there is none."""
    table = figures()
    rows = table[table["indicator"] == key].sort_values(["period_start", "period_end"])
    if rows.empty:
        raise KeyError(f"indicator {key!r} has no figures in data/figures.csv")
    return rows.reset_index(drop=True)


def figure(figure_id: str) -> pd.Series:
    """One figure's row; a clear error when the id is unknown."""
    table = _figures_cached()
    if figure_id not in table.index:
        raise KeyError(f"figure {figure_id!r} is not in data/figures.csv")
    return table.loc[figure_id]


def describe(
    row: pd.Series,
    *,
    qualifier: bool = True,
    unit: bool = True,
    corrected: bool = False,
    decimals: int | None = None,
) -> str:
    """A figure in words: "over 377 million", "30.86%", "US$97.8 billion", "700–1,000"."""
    value = row["value"]
    if corrected and not pd.isna(row.get("value_corrected", pd.NA)):
        value = row["value_corrected"]
    text = fmt_number(float(value), decimals)
    high = row.get("value_high", pd.NA)
    if not pd.isna(high):
        text = f"{text}–{fmt_number(float(high), decimals)}"
    if unit:
        prefix, suffix = UNIT_WORDS.get(str(row["unit"]), ("", f" {row['unit']}"))
        text = f"{prefix}{text}{suffix}"
    if qualifier:
        text = QUALIFIERS.get(str(row["qualifier"]), "") + text
    return text


def glue_text(name: str, text: str) -> str:
    """Glue a ready-made piece of text for ``{glue:text}`` and return it."""
    from myst_nb import glue

    glue(name, text, display=False)
    from ictstory.notebook import record_glue  # shown in Jupyter by notebook.glued_table()

    record_glue(name, text)
    return text


def glue_number(name: str, value: float, decimals: int | None = None, suffix: str = "") -> str:
    """Glue a computed number (a ratio, a difference) formatted in English."""
    return glue_text(name, fmt_number(float(value), decimals) + suffix)


def glue_figure(name: str, figure_id: str, **options: bool | int | None) -> str:
    """Glue one figure, described in words (see :func:`describe` for the options)."""
    return glue_text(name, describe(figure(figure_id), **options))  # type: ignore[arg-type]


def glue_count(name: str, figure_id: str) -> str:
    """Glue a figure that is a small count as a word: "six" (fields), "eight" (tasks)."""
    return glue_text(name, number_word(float(figure(figure_id)["value"])))


def glue_rank(name: str, figure_id: str) -> str:
    """Glue a rank as an ordinal: "25th"."""
    return glue_text(name, ordinal(float(figure(figure_id)["value"])))
