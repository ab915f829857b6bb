"""The book's bilingual vocabulary: every word that code puts on a page.

Axis titles, legend and table heads, interface words and short labels live in one
table, ``data/vocabulary.csv`` (``key, en, vi, note``), validated like every other
table (``python -m ictstory.data``). Code asks for a word by key and gets it in the
edition's language, so chapter code holds no words a translator must change::

    word("axis.tonnes")     # "Tonnes" in English, "Tấn" in Vietnamese

Keys are dotted lower-case names (``axis.``, ``table.``, ``legend.``, ``ui.`` ...);
``short.F005`` is the short label of figure F005 on a chart, keyed by figure id.
A word is text from data: pages show it escaped, never parsed.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ictstory.i18n import LANGUAGES, lang

if TYPE_CHECKING:
    from ictstory.data import DataProblem


class UnknownWord(KeyError):
    """A key that ``data/vocabulary.csv`` does not have."""

    def __str__(self) -> str:
        key = self.args[0]
        return (
            f"data/vocabulary.csv has no key {key!r}: add a row "
            f"'{key},<English>,<Vietnamese>,<note>' (then run `make data`)"
        )


@cache
def _table() -> dict[str, dict[str, str]]:
    from ictstory.data import load_table

    frame = load_table("vocabulary")
    return {
        str(row["key"]): {language: str(row[language]) for language in LANGUAGES}
        for _, row in frame.iterrows()
    }


def words() -> dict[str, dict[str, str]]:
    """Every key with its words: ``{"axis.tonnes": {"en": "Tonnes", "vi": "Tấn"}}``."""
    return {key: dict(pair) for key, pair in _table().items()}


def has_word(key: str) -> bool:
    """True when the vocabulary has ``key``."""
    return key in _table()


def word(key: str, language: str | None = None, **values: object) -> str:
    """The word for ``key`` in ``language`` (default: the edition's).

    ``{name}`` in the word is replaced by ``values[name]`` (plain replacement, never
    Python formatting: a word is data): ``word("ui.alt-more-values", count=3)``.
    """
    try:
        text = _table()[key][language or lang()]
    except KeyError:
        raise UnknownWord(key) from None
    for name, value in values.items():
        placeholder = "{" + name + "}"
        if placeholder not in text:
            raise ValueError(f"data/vocabulary.csv: {key!r} has no {placeholder} to fill")
        text = text.replace(placeholder, str(value))
    return text


def short_labels(frame: pd.DataFrame, fallback: str = "label") -> pd.Series:
    """Each row's short chart label, keyed by its ``figure_id`` (``short.<figure_id>``).

    Rows without a ``short.`` entry keep their label in the edition's language
    (``label_en`` / ``label_vi``).
    """
    language = lang()
    fallback_column = f"{fallback}_{language}"

    def one(row: pd.Series) -> str:
        key = f"short.{row['figure_id']}"
        if has_word(key):
            return word(key, language)
        return str(row[fallback_column])

    return frame.apply(one, axis=1)


PLACEHOLDER = re.compile(r"\{(\w+)\}")
MARKUP = re.compile(r"[<>]|&\w+;|\{(?:glue|term|ref)")
#: Data values that are words on a page, and the vocabulary keys that name them:
#: (table, column, key prefix). Every value needs its key.
NAMED_VALUES = (
    ("sources.csv", "doc_kind", "doc-kind"),
    ("outside_series.csv", "confidence", "confidence"),
    ("outside_indicators.csv", "unit", "outside-axis"),
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
    from ictstory.data import DataProblem

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
        first = by_en.setdefault(en.strip().lower(), (line, vi))
        if first[1] != vi:
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
