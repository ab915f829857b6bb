"""Reference tables generated from the data: the data description and its counts.

Tables are HTML whose every cell is escaped text (:func:`html_table`): text
from ``data/`` is never parsed as Markdown, MyST or HTML. The glossary page is
built by the ``data-glossary`` directive of :mod:`ictstory.site.glossary`.

In the Vietnamese edition headers and texts are Vietnamese, and the descriptor's
``title_vi`` / ``description_vi`` are used where it has them (:func:`localized`).
"""

from __future__ import annotations

import html
import json

import pandas as pd

from ictstory.data import load_table
from ictstory.i18n import lang
from ictstory.paths import descriptor_path
from ictstory.story.prose import lang_column
from ictstory.story.sourcepage import document_date
from ictstory.story.theme import FIELDS, KINDS
from ictstory.story.words import has_word, word


def localized(entry: dict, key: str, default: str = "") -> str:
    """A descriptor entry's ``key`` ("title", "description") in the edition's language:
    ``key_vi`` in Vietnamese when the descriptor has it, else the English ``key``."""
    if lang() == "vi" and entry.get(f"{key}_vi"):
        return str(entry[f"{key}_vi"])
    return str(entry.get(key, default))


def _cell(value: object) -> str:
    """A cell as text: blank for missing values."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


class HTMLTable:
    """An HTML table whose every cell is escaped text; Jupyter and myst-nb show it as HTML."""

    def __init__(self, markup: str) -> None:
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup


def html_table(frame: pd.DataFrame, code_columns: tuple[str, ...] = ()) -> HTMLTable:
    """A small DataFrame as an HTML table; cells are text (escaped), never markup.

    Cells of ``code_columns`` are shown in ``<code>``; a cell holding a list is
    shown as its items, each in ``<code>``, separated by commas.
    """

    def cell(column: str, value: object) -> str:
        if isinstance(value, list | tuple):
            return ", ".join(f"<code>{html.escape(_cell(v))}</code>" for v in value)
        text = html.escape(_cell(value))
        return f"<code>{text}</code>" if column in code_columns and text else text

    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    columns = list(frame.columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{cell(c, v)}</td>" for c, v in zip(columns, row, strict=True))
        + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return HTMLTable(
        '<div class="ictstory-table"><table class="table">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def descriptor() -> dict:
    """The data package descriptor as a dict."""
    return json.loads(descriptor_path().read_text(encoding="utf-8"))


def fields_table(resource: str) -> HTMLTable:
    """The fields of one table: name, type, required, description, allowed values."""
    spec = next(r for r in descriptor()["resources"] if r["name"] == resource)
    rows = []
    for field in spec["schema"]["fields"]:
        constraints = field.get("constraints", {})
        ftype = field.get("type", "string")
        rows.append(
            {
                "field": field["name"],
                "type": word(f"datapage.type-{ftype}")
                if has_word(f"datapage.type-{ftype}")
                else ftype,
                "required": word("datapage.yes") if constraints.get("required") else "",
                "meaning": localized(field, "description"),
                "allowed": list(constraints.get("enum", [])),
            }
        )
    columns = ("field", "type", "required", "meaning", "allowed")
    frame = pd.DataFrame(rows, columns=list(columns))
    frame.columns = [word(f"datapage.column-{c}") for c in columns]
    return html_table(frame, code_columns=(word("datapage.column-field"),))


def keys_text(resource: str) -> str:
    """Primary and foreign keys of one table, in words (plain text)."""
    schema = next(r for r in descriptor()["resources"] if r["name"] == resource)["schema"]
    pk = schema.get("primaryKey", [])
    pk = [pk] if isinstance(pk, str) else pk
    parts = []
    if pk:
        parts.append(word("datapage.primary-key", fields=", ".join(pk)))
    for fk in schema.get("foreignKeys", []):
        ref = fk["reference"]
        fields = ", ".join(fk["fields"]) if isinstance(fk["fields"], list) else fk["fields"]
        target = ", ".join(ref["fields"]) if isinstance(ref["fields"], list) else ref["fields"]
        parts.append(
            word("datapage.foreign-key", fields=fields, target=target, table=ref["resource"])
        )
    return " ".join(parts)


def _dated(source: pd.Series) -> str:
    return document_date(source["event_date"], source["event_date_precision"])


def counts_by_source() -> pd.DataFrame:
    """Rows per source document in each table that cites sources."""
    counts = {}
    for name in ("figures", "events", "targets"):
        counts[word(f"datapage.table-{name}")] = load_table(name).groupby("source_id").size()
    frame = pd.DataFrame(counts).fillna(0).astype(int)
    sources = load_table("sources").set_index("source_id")
    title = lang_column("title")
    frame.insert(0, word("datapage.column-document"), [sources.loc[s, title] for s in frame.index])
    frame.insert(1, word("datapage.column-dated"), [_dated(sources.loc[s]) for s in frame.index])
    return frame.rename_axis(word("datapage.column-source-id")).reset_index()


def counts_by_field() -> pd.DataFrame:
    """Figures per field of the sector and kind of value."""
    figures = load_table("figures")
    table = pd.crosstab(figures["field"], figures["kind"])
    table.index = [FIELDS.get(f, f.replace("_", " ").capitalize()) for f in table.index]
    table.columns = [KINDS.get(k, k) for k in table.columns]
    table[word("datapage.column-all-kinds")] = table.sum(axis=1)
    return table.rename_axis(word("datapage.column-sector-field")).reset_index()


def tables_html() -> HTMLTable:
    """One section per table of the package: heading, description, keys and fields."""
    parts = []
    for resource in descriptor()["resources"]:
        name = resource["name"]
        title = html.escape(localized(resource, "title", name))
        parts.append(
            f'<section class="ictstory-data-table" id="table-{html.escape(name)}">'
            f"<h3><code>{html.escape(str(resource['path']))}</code>: {title}</h3>"
            f"<p>{html.escape(localized(resource, 'description'))}</p>"
            f"<p>{html.escape(keys_text(name))}</p>"
            f"{fields_table(name).markup}</section>"
        )
    return HTMLTable("".join(parts))
