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
from ictstory.story.sourcepage import document_date
from ictstory.story.theme import FIELDS, KINDS

#: Frictionless field types in Vietnamese (the data page's "type" column).
TYPES_VI = {
    "string": "văn bản",
    "number": "số",
    "integer": "số nguyên",
    "date": "ngày",
    "datetime": "ngày giờ",
    "boolean": "đúng/sai",
    "year": "năm",
}

#: Tables of the package in Vietnamese, where a table of counts names them.
TABLE_NAMES_VI = {
    "sources": "văn bản nguồn",
    "figures": "số liệu",
    "events": "sự kiện",
    "targets": "mục tiêu",
    "glossary": "thuật ngữ",
    "covid_waves": "các đợt dịch COVID-19",
}


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
    vi = lang() == "vi"
    rows = []
    for field in spec["schema"]["fields"]:
        constraints = field.get("constraints", {})
        ftype = field.get("type", "string")
        if vi:
            rows.append(
                {
                    "trường": field["name"],
                    "kiểu": TYPES_VI.get(ftype, ftype),
                    "bắt buộc": "có" if constraints.get("required") else "",
                    "ý nghĩa": localized(field, "description"),
                    "giá trị cho phép": list(constraints.get("enum", [])),
                }
            )
            continue
        rows.append(
            {
                "field": field["name"],
                "type": ftype,
                "required": "yes" if constraints.get("required") else "",
                "meaning": field.get("description", ""),
                "allowed values": list(constraints.get("enum", [])),
            }
        )
    return html_table(pd.DataFrame(rows), code_columns=("field", "trường"))


def keys_text(resource: str) -> str:
    """Primary and foreign keys of one table, in words (plain text)."""
    schema = next(r for r in descriptor()["resources"] if r["name"] == resource)["schema"]
    pk = schema.get("primaryKey", [])
    pk = [pk] if isinstance(pk, str) else pk
    vi = lang() == "vi"
    parts = []
    if pk:
        parts.append(
            f"Mỗi dòng được xác định bởi {', '.join(pk)}."
            if vi
            else f"Each row is identified by {', '.join(pk)}."
        )
    for fk in schema.get("foreignKeys", []):
        ref = fk["reference"]
        fields = ", ".join(fk["fields"]) if isinstance(fk["fields"], list) else fk["fields"]
        target = ", ".join(ref["fields"]) if isinstance(ref["fields"], list) else ref["fields"]
        if vi:
            parts.append(f"{fields} phải khớp với {target} trong bảng {ref['resource']}.")
        else:
            parts.append(f"{fields} must match {target} in the {ref['resource']} table.")
    return " ".join(parts)


def _dated(source: pd.Series) -> str:
    return document_date(source["event_date"], source["event_date_precision"])


def counts_by_source() -> pd.DataFrame:
    """Rows per source document in each table that cites sources."""
    counts = {}
    for name in ("figures", "events", "targets"):
        counts[name] = load_table(name).groupby("source_id").size()
    frame = pd.DataFrame(counts).fillna(0).astype(int)
    sources = load_table("sources").set_index("source_id")
    if lang() == "vi":
        frame = frame.rename(columns=TABLE_NAMES_VI)
        frame.insert(0, "văn bản", [sources.loc[s, "title_vi"] for s in frame.index])
        frame.insert(1, "ngày", [_dated(sources.loc[s]) for s in frame.index])
        return frame.rename_axis("mã văn bản").reset_index()
    frame.insert(0, "document", [sources.loc[s, "title_en"] for s in frame.index])
    frame.insert(1, "dated", [_dated(sources.loc[s]) for s in frame.index])
    return frame.rename_axis("source id").reset_index()


def counts_by_field() -> pd.DataFrame:
    """Figures per field of the sector and kind of value."""
    figures = load_table("figures")
    table = pd.crosstab(figures["field"], figures["kind"])
    table.index = [FIELDS.get(f, f.replace("_", " ").capitalize()) for f in table.index]
    if lang() == "vi":
        table.columns = [KINDS.get(k, k) for k in table.columns]
        table["tất cả các loại"] = table.sum(axis=1)
        return table.rename_axis("lĩnh vực").reset_index()
    table["all kinds"] = table.sum(axis=1)
    return table.rename_axis("field").reset_index()


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
