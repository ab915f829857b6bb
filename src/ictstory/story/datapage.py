"""What the data page (``chapters/data.md``) shows: the package's counts and tables.

The page's tables are escaped HTML (:func:`ictstory.story.reference.html_table`); their
heads and the framing table's actions are words of ``data/vocabulary.csv``.
"""

from __future__ import annotations

import pandas as pd

from ictstory.data import load_table
from ictstory.i18n import lang
from ictstory.story.reference import (
    HTMLTable,
    counts_by_field,
    counts_by_source,
    descriptor,
    html_table,
    tables_html,
)
from ictstory.story.words import word

__all__ = [
    "counts_by_field",
    "counts_by_source",
    "descriptor",
    "framing_table",
    "tables_html",
]

#: Framing columns in the order shown; the text columns have a ``_vi`` twin.
FRAMING_TEXTS = ("claim", "evidence", "decision")


def _in_language(frame: pd.DataFrame, column: str) -> pd.Series:
    """``column`` in English, ``<column>_vi`` in the Vietnamese edition."""
    return frame[f"{column}_vi"] if lang() == "vi" else frame[column]


def framing_table() -> HTMLTable:
    """``data/framing.csv`` as a table: id, page, action, claim, evidence, decision."""
    framing = load_table("framing")
    head = {name: word(f"data.framing-{name}") for name in ("id", "page", "action")}
    frame = pd.DataFrame(
        {
            head["id"]: framing["framing_id"],
            head["page"]: framing["page"].str.rsplit("/", n=1).str[-1].str.removesuffix(".md"),
            head["action"]: framing["action"].map(lambda a: word(f"data.action-{a}")),
            **{word(f"data.framing-{c}"): _in_language(framing, c) for c in FRAMING_TEXTS},
        }
    )
    return html_table(frame, code_columns=(head["id"], head["page"]))
