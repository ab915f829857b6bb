"""What the data page (``chapters/data.md``) shows: the package's counts and tables.

The page's tables are escaped HTML (:func:`ictstory.story.reference.html_table`); their
heads and the framing table's actions are words of ``data/vocabulary.csv``.
"""

from __future__ import annotations

import html

import pandas as pd

from ictstory.data import load_table
from ictstory.i18n import lang
from ictstory.paths import data_dir
from ictstory.story.reference import (
    HTMLTable,
    counts_by_field,
    counts_by_source,
    descriptor,
    html_table,
    localized,
    tables_html,
)
from ictstory.story.words import word

ZIP_NAME = "ictstory-data.zip"
SITE_FOLDER = "downloads"  # not "data": exclude_patterns would drop it

__all__ = [
    "download_table",
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


def download_table(prefix: str = "../") -> HTMLTable:
    """Links to the zip, the descriptor and each table's CSV, with their sizes."""
    source = data_dir()
    rows = [
        (
            ZIP_NAME,
            word("downloads.the-whole-data-package-descriptor-tables"),
            None,
        )
    ]
    rows.append(
        (
            "datapackage.json",
            word("downloads.the-frictionless-descriptor-fields-types-keys"),
            "datapackage.json",
        )
    )
    rows += [
        (r["path"], localized(r, "title", r["name"]), r["path"]) for r in descriptor()["resources"]
    ]
    cells = []
    for name, what, path in rows:
        size = (source / path).stat().st_size if path else None
        href = html.escape(f"{prefix}{SITE_FOLDER}/{name}", quote=True)
        label = f'<a href="{href}" download><code>{html.escape(name)}</code></a>'
        kb = f"{size / 1024:,.0f} KB" if size is not None else word("word.all-of-these")
        if lang() == "vi":
            kb = kb.translate(str.maketrans({",": ".", ".": ","}))
        cells.append(f"<tr><td>{label}</td><td>{html.escape(what)}</td><td>{kb}</td></tr>")
    head = "".join(
        f'<th scope="col">{html.escape(word(key))}</th>'
        for key in ("word.file", "word.what-it-holds", "word.size")
    )
    return HTMLTable(
        '<div class="ictstory-table"><table class="table"><thead><tr>'
        f"{head}</tr></thead><tbody>{''.join(cells)}</tbody></table></div>"
    )
