"""Chapter words keyed by data: labels by figure id, amounts quoted from a source."""

from __future__ import annotations

import re

import pandas as pd

from ictstory.data.vocabulary import slug
from ictstory.story.words import has_word, word


def chapter_labels(rows: pd.DataFrame, chapter: str) -> pd.Series:
    """Each row's chart label in the edition's language, keyed by its figure id:
    the vocabulary's ``<chapter>.short.<figure_id>``, else ``short.<figure_id>``,
    else the data's ``label_en`` / ``label_vi``.

    A chapter's own key lets two chapters label one figure differently.
    """
    from ictstory.story.words import short_labels

    fallback = short_labels(rows)

    def one(figure_id: str, default: str) -> str:
        key = f"{chapter}.short.{figure_id}"
        return word(key) if has_word(key) else default

    return pd.Series(
        [one(str(f), d) for f, d in zip(rows["figure_id"], fallback, strict=True)],
        index=rows.index,
    )


def printed_amount(row: pd.Series) -> str:
    """The amount of a figure as its (Vietnamese) source prints it, with the aside in
    brackets that follows it: "2.263 tỷ đồng (~ 97,8 tỷ USD)"."""
    amount = re.escape(word(f"number.{slug(str(row['unit']))}", "vi"))
    pattern = amount.replace(re.escape("{n}"), r"[\d.,]+") + r" \(.*?\)"
    found = re.search(pattern, str(row["excerpt"]))
    if found is None:
        raise ValueError(f"{row['figure_id']}: no amount in {row['unit']} in the excerpt")
    return found.group(0)
