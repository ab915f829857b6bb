"""Reference pages generated from the data: the glossary and the data description.

Both return MyST Markdown that a chapter displays with
``IPython.display.Markdown``; myst-nb parses it like the chapter's own text, so
the glossary becomes a Sphinx glossary that ``{term}`` roles link to.
"""

from __future__ import annotations

import json

import pandas as pd

from ictstory.data import load_table
from ictstory.paths import descriptor_path
from ictstory.theme import FIELDS


def _cell(value: object) -> str:
    """A table cell: no pipes or line breaks, blank for missing values."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown_table(frame: pd.DataFrame) -> str:
    """A pipe table of a small DataFrame."""
    head = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = ["| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.itertuples(False)]
    return "\n".join([head, rule, *rows])


def glossary_markdown() -> str:
    """Every glossary row as a sorted Sphinx glossary (terms are link targets)."""
    table = load_table("glossary")
    lines = [":::{glossary}", ":sorted:", ""]
    for row in table.itertuples(index=False):
        vietnamese = f"*{row.expansion_vi}*" if not pd.isna(row.expansion_vi) else ""
        meaning = " — ".join(p for p in (vietnamese, f"**{row.english}**") if p)
        lines.append(str(row.term))
        lines.append(f"  {meaning}. {_cell(row.explanation)}")
        lines.append("")
    lines.append(":::")
    return "\n".join(lines)


def descriptor() -> dict:
    """The data package descriptor as a dict."""
    return json.loads(descriptor_path().read_text(encoding="utf-8"))


def fields_markdown(resource: str) -> str:
    """The fields of one table: name, type, required, description, allowed values."""
    spec = next(r for r in descriptor()["resources"] if r["name"] == resource)
    rows = []
    for field in spec["schema"]["fields"]:
        constraints = field.get("constraints", {})
        allowed = ", ".join(f"`{v}`" for v in constraints.get("enum", []))
        rows.append(
            {
                "field": f"`{field['name']}`",
                "type": field.get("type", "string"),
                "required": "yes" if constraints.get("required") else "",
                "meaning": field.get("description", ""),
                "allowed values": allowed,
            }
        )
    return markdown_table(pd.DataFrame(rows))


def keys_markdown(resource: str) -> str:
    """Primary and foreign keys of one table, in words."""
    schema = next(r for r in descriptor()["resources"] if r["name"] == resource)["schema"]
    pk = schema.get("primaryKey", [])
    pk = [pk] if isinstance(pk, str) else pk
    parts = [f"Each row is identified by `{', '.join(pk)}`."] if pk else []
    for fk in schema.get("foreignKeys", []):
        ref = fk["reference"]
        fields = ", ".join(fk["fields"]) if isinstance(fk["fields"], list) else fk["fields"]
        target = ", ".join(ref["fields"]) if isinstance(ref["fields"], list) else ref["fields"]
        parts.append(f"`{fields}` must match `{target}` in the `{ref['resource']}` table.")
    return " ".join(parts)


def counts_by_source() -> pd.DataFrame:
    """Rows per source document in each table that cites sources."""
    counts = {}
    for name in ("figures", "events", "targets"):
        counts[name] = load_table(name).groupby("source_id").size()
    frame = pd.DataFrame(counts).fillna(0).astype(int)
    sources = load_table("sources").set_index("source_id")
    frame.insert(0, "document", [sources.loc[s, "title_en"] for s in frame.index])
    frame.insert(
        1, "dated", [sources.loc[s, "event_date"].strftime("%-d %b %Y") for s in frame.index]
    )
    return frame.rename_axis("source id").reset_index()


def counts_by_field() -> pd.DataFrame:
    """Figures per field of the sector and kind of value."""
    figures = load_table("figures")
    table = pd.crosstab(figures["field"], figures["kind"])
    table.index = [FIELDS.get(f, f.replace("_", " ").capitalize()) for f in table.index]
    table["all kinds"] = table.sum(axis=1)
    return table.rename_axis("field").reset_index()
