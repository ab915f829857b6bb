"""Checks of the bilingual vocabulary ``data/vocabulary.csv`` beyond its schema.

The words themselves are read by :mod:`ictstory.story.words`; here ``make data``
finds one English word given two Vietnamese names, placeholders that differ between
the languages, markup in a word, and data values that are words on a page without
their key.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from ictstory.data.problems import DataProblem

#: Keys whose words follow a convention of their own, not the one-name rule: a
#: quarter is "second" in English and "II" in Vietnamese ("quý II/2021").
OWN_NAMES = ("date.",)
PLACEHOLDER = re.compile(r"\{(\w+)\}")
MARKUP = re.compile(r"[<>]|&\w+;|\{(?:glue|term|ref)")
#: Data values that are words on a page, and the vocabulary keys that name them:
#: (table, column, key prefix). Every value needs its key.
NAMED_VALUES = (
    ("sources.csv", "doc_kind", "doc-kind"),
    ("outside_series.csv", "confidence", "confidence"),
    ("outside_indicators.csv", "unit", "outside-axis"),
    ("figures.csv", "field", "field"),
    ("figures.csv", "kind", "kind"),
    ("figures.csv", "unit", "unit"),
    ("figures.csv", "unit", "number"),
    ("figures.csv", "qualifier", "qualifier"),
    ("targets.csv", "unit", "number"),
    ("measures.csv", "measure", "measure"),
    ("measures.csv", "period_kind", "period-kind"),
)


def slug(text: str) -> str:
    """A data value as a key part: "per 100 inhabitants" -> ``per-100-inhabitants``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def problems(data: Path) -> list[DataProblem]:
    """What ``data/vocabulary.csv`` gets wrong, beyond its schema: one English word
    given two Vietnamese names (or the reverse), placeholders that differ between the
    languages, markup in a word (words are shown as text), and data values that are
    words on a page (a document kind, a confidence grade, an outside unit) without
    their key."""
    path = data / "vocabulary.csv"
    if not path.is_file():
        return []
    rel = "data/vocabulary.csv"
    found: list[DataProblem] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(enumerate(csv.DictReader(handle), start=2))
    by_en: dict[str, tuple[int, str]] = {}
    keys = set()
    for line, row in rows:
        key, en, vi = row.get("key") or "", row.get("en") or "", row.get("vi") or ""
        keys.add(key)
        if set(PLACEHOLDER.findall(en)) != set(PLACEHOLDER.findall(vi)):
            detail = f"{key}: the English and Vietnamese words must have the same {{names}}"
            found.append(DataProblem(rel, "placeholders differ", detail, line, "vi"))
        for column, text in (("en", en), ("vi", vi)):
            if MARKUP.search(text):
                detail = f"{key}: a word is shown as plain text; write no markup or roles"
                found.append(DataProblem(rel, "markup in a word", detail, line, column))
        if key.startswith(OWN_NAMES):
            continue
        first = by_en.setdefault(en.strip().lower(), (line, vi))
        if first[1].lower() != vi.lower():
            detail = (
                f"{key}: {en!r} is {vi!r} here but {first[1]!r} on line {first[0]}: "
                "one name for one thing"
            )
            found.append(DataProblem(rel, "two names for one word", detail, line, "vi"))
    for table, column, prefix in NAMED_VALUES:
        source = data / table
        if not source.is_file():
            continue
        with source.open(encoding="utf-8-sig", newline="") as handle:
            values = {row.get(column) or "" for row in csv.DictReader(handle)} - {""}
        for value in sorted(values):
            if f"{prefix}.{slug(value)}" not in keys:
                detail = (
                    f"data/{table} uses {column} {value!r}, which has no words: add the key "
                    f"{prefix}.{slug(value)}"
                )
                found.append(DataProblem(rel, "missing word", detail))
    return found
