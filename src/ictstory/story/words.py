"""Words in the edition's language, from the bilingual vocabulary ``data/vocabulary.csv``.

Axis titles, legend and table heads, interface words and short labels live in one
table (``key, en, vi, note``), validated like every other table (``make data``, see
:mod:`ictstory.data.vocabulary`). Code asks for a word by key and gets it in the
edition's language, so chapter code holds no words a translator must change::

    word("axis.tonnes")     # "Tonnes" in English, "Tấn" in Vietnamese

``short.F005`` is the short label of figure F005 on a chart, keyed by figure id.
A word is text from data: pages show it escaped, never parsed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache

import pandas as pd

from ictstory.data import load_table
from ictstory.i18n import LANGUAGES, lang


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


class Wordbook(Mapping[str, Mapping[str, str]]):
    """A module's words by language, from the vocabulary: ``Wordbook("handout", keys)``
    reads ``handout.<key>``, so ``WORDS["vi"]["contents"]`` is the word
    ``handout.contents`` in Vietnamese, looked up when asked for."""

    def __init__(self, prefix: str, keys: tuple[str, ...]) -> None:
        self.prefix = prefix
        self.keys_in_order = keys

    def __getitem__(self, language: str) -> dict[str, str]:
        if language not in LANGUAGES:
            raise KeyError(language)
        return {key: word(f"{self.prefix}.{key}", language) for key in self.keys_in_order}

    def __iter__(self) -> Iterator[str]:
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)
