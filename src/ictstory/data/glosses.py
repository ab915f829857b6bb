"""Our English glosses of the excerpts (``excerpt_en``): present where needed, same numbers.

A table with an ``excerpt_en`` column gives, beside each verbatim ``excerpt``, our
short English translation of it (issue 21: the English edition's tooltips show the
quote with its gloss). The descriptor cannot say when a gloss is needed, so
:func:`problems` does:

* a table without ``excerpt_lang`` (figures, events, targets: excerpts from the
  Vietnamese documents) needs a gloss on every row;
* a table with ``excerpt_lang`` (the outside series, whose excerpts are mostly
  English) needs one where the excerpt is marked non-English or has Vietnamese letters;
* a gloss keeps the excerpt's numbers: the digit groups of both agree, once the
  excerpt's ``1.234,5`` (not marked English: Vietnamese, French ...) and the gloss's
  ``1,234.5`` (English) both read ``1234.5`` (:func:`digit_groups`). Number words
  ("bốn", "four") are free.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ictstory.data.problems import DataProblem

GLOSS = "excerpt_en"
LANGUAGE = "excerpt_lang"
#: Marks only Vietnamese puts on Latin letters: hook above, dot below, horn (and đ, ă).
VIETNAMESE_MARKS = frozenset("\u0309\u0323\u031b")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_DOT_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_COMMA_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def has_vietnamese(text: str) -> bool:
    """Whether ``text`` has a letter only Vietnamese writes (ả, ạ, ơ, ư, đ, ă ...)."""
    if re.search("[đĐăĂ]", text):
        return True
    return bool(VIETNAMESE_MARKS & set(unicodedata.normalize("NFD", text)))


def numbers(text: str, english: bool) -> list[str]:
    """The numbers of ``text`` as plain decimals: ``1.274`` and ``29,5`` in Vietnamese
    notation (``english=False``) or ``1,274`` and ``29.5`` in English give ``1274`` and
    ``29.5``; other separators (``3,4`` levels, ``30.11`` a date) become dots."""
    found = []
    for token in _NUMBER.findall(text):
        thousands, grouping, decimal = (
            (_COMMA_THOUSANDS, ",", ".") if english else (_DOT_THOUSANDS, ".", ",")
        )
        if thousands.fullmatch(token):
            token = token.replace(grouping, "").replace(decimal, ".")
        found.append(token.replace(",", "."))
    return found


def digit_groups(text: str, english: bool) -> Counter[str]:
    """The runs of digits of :func:`numbers`, leading zeros dropped (``08`` is ``8``)."""
    return Counter(
        group.lstrip("0") or "0" for number in numbers(text, english) for group in number.split(".")
    )


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from enumerate(csv.DictReader(handle), start=2)


def problems(descriptor: dict[str, Any], base: Path) -> list[DataProblem]:
    """A missing gloss where one is needed, and a gloss whose numbers are not its excerpt's."""
    found: list[DataProblem] = []
    for spec in descriptor["resources"]:
        fields = {f["name"] for f in spec["schema"]["fields"]}
        if not {GLOSS, "excerpt"} <= fields:
            continue
        path = f"data/{spec['path']}"
        marked = LANGUAGE in fields
        for line, row in _rows(base / spec["path"]):
            excerpt, gloss = row.get("excerpt") or "", row.get(GLOSS) or ""
            language = (row.get(LANGUAGE) or "en") if marked else "vi"
            foreign = language != "en" or has_vietnamese(excerpt)
            if not gloss.strip():
                if foreign and excerpt.strip():
                    why = (
                        f"its excerpt is in {language!r}"
                        if language != "en"
                        else "its excerpt has Vietnamese letters"
                    )
                    found.append(
                        DataProblem(
                            path,
                            "gloss missing",
                            f"{why}: write our short English translation of it in {GLOSS} "
                            "(plain English, the excerpt's numbers in English notation, no "
                            "claim the excerpt does not make)",
                            line,
                            GLOSS,
                        )
                    )
                continue
            english = language == "en"  # the notation of the excerpt's numbers
            wanted = digit_groups(excerpt, english=english)
            have = digit_groups(gloss, english=True)
            if wanted == have:
                continue
            said = ", ".join(numbers(excerpt, english=english)) or "none"
            glossed = ", ".join(numbers(gloss, english=True)) or "none"
            found.append(
                DataProblem(
                    path,
                    "gloss numbers differ",
                    f"the gloss's numbers ({glossed}) are not the excerpt's ({said}); keep "
                    "every number of the excerpt, written in English notation (1,234.5), "
                    "and add none (spell out a number the excerpt writes as a word)",
                    line,
                    GLOSS,
                )
            )
    return found
