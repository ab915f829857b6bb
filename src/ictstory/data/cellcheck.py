"""Cell checks that Frictionless does not make: clean text and finite numbers.

Frictionless accepts any string in a string column and ``inf`` or ``NaN`` in a
number column. :func:`scan_table` reads one CSV and finds, in every string cell
and in the header:

* control characters (Unicode category Cc: U+0000-U+001F, U+007F-U+009F),
  including tabs and line breaks. Only a column whose descriptor field says
  ``"multiline": true`` may hold line breaks: ``\\n``, or ``\\r\\n`` (which
  :func:`ictstory.data.load_table` turns into ``\\n``); a lone ``\\r`` never;
* invisible format characters (category Cf: zero-width spaces and joiners,
  U+200E/U+200F marks, the bidi embeddings and overrides U+202A-U+202E and
  isolates U+2066-U+2069, soft hyphen U+00AD, U+FEFF inside text, ...) and the
  Unicode line and paragraph separators U+2028/U+2029 (categories Zl, Zp);
* U+FFFD, the replacement character left behind by a wrong decoding;
* text that is not in Unicode normalisation form NFC (decomposed diacritics).

and, in every number column, values that are not finite numbers: ``inf``,
``-Infinity``, ``NaN``, ``sNaN`` and numbers too large for a 64-bit float
(``1e309``); in every integer column, whole numbers too large for 64 bits.
Other spaces (such as U+00A0) and private-use characters pass.

Every text cell is also published as CSV for spreadsheets, which run a cell
that starts with ``=``, ``+``, ``-`` or ``@`` as a formula: such a cell is
refused (:data:`FORMULA_START`), and so is a column name with spaces around it.
"""

from __future__ import annotations

import csv
import math
import unicodedata
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple

#: Names for the control characters people meet in practice (Cc has no names).
CONTROL_NAMES = {
    "\x00": "NUL",
    "\t": "tab",
    "\n": "line feed",
    "\x0b": "vertical tab",
    "\x0c": "form feed",
    "\r": "carriage return",
    "\x1b": "escape",
    "\x7f": "DEL",
    "\x85": "NEL, next line",
}
REJECTED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
#: First characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: The largest magnitude of an integer cell (64-bit, as pandas loads it).
INTEGER_LIMIT = 2**63 - 1
REPLACEMENT = "\ufffd"
NFC_FIX = (
    "re-save the file as NFC (precomposed letters), e.g. with "
    "unicodedata.normalize('NFC', text) or your editor's Unicode normalisation"
)


class CellProblem(NamedTuple):
    """One problem in one cell: line (header = 1), column name, kind, detail."""

    line: int
    column: str
    kind: str
    detail: str


def char_label(char: str) -> str:
    """``'\\t'`` -> "U+0009 (tab)", ``'\\u200b'`` -> "U+200B (ZERO WIDTH SPACE)"."""
    name = CONTROL_NAMES.get(char) or unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def _is_rejected(char: str, multiline: bool) -> bool:
    if char == REPLACEMENT:
        return True
    if multiline and char == "\n":
        return False
    return unicodedata.category(char) in REJECTED_CATEGORIES


def _context(text: str, index: int) -> str:
    """Where a character sits, for people: "at the start" or "after '…gần 1'"."""
    if index == 0:
        return "at the start"
    before = text[max(0, index - 20) : index]
    before = "".join(c if c.isprintable() else " " for c in before)
    return f"after {('…' if index > 20 else '') + before!r}"


def char_problem(text: str, multiline: bool = False) -> tuple[str, str] | None:
    """(kind, detail) for the first rejected character of ``text``, or None."""
    bad = [i for i, c in enumerate(text) if not c.isprintable() or c == REPLACEMENT]
    bad = [
        i
        for i in bad
        if _is_rejected(text[i], multiline)
        and not (multiline and text[i] == "\r" and text[i + 1 : i + 2] == "\n")  # \r\n
    ]
    if not bad:
        return None
    index, char = bad[0], text[bad[0]]
    where = f"at character {index + 1}, {_context(text, index)}"
    more = f" ({len(bad) - 1} more in this cell)" if len(bad) > 1 else ""
    category = unicodedata.category(char)
    if char in "\n\r" and multiline:
        return (
            "stray carriage return",
            f"{char_label(char)} {where}{more} without a line feed; "
            "end lines with a line feed (\\n) or CR LF (\\r\\n)",
        )
    if char in "\n\r":
        return (
            "line break in a one-line column",
            f"{char_label(char)} {where}{more}; keep the text on one line, "
            'or mark the column "multiline": true in the descriptor',
        )
    if char == REPLACEMENT:
        return (
            "damaged text",
            f"{char_label(char)} {where}{more}: a wrong decoding replaced a letter here; "
            "retype it from the source",
        )
    if category == "Cc":
        return "control character", f"{char_label(char)} {where}{more}; delete it"
    return (
        "invisible character",
        f"{char_label(char)} {where}{more}; delete it (most editors do not show it)",
    )


def _clusters(text: str) -> Iterator[tuple[int, str]]:
    """(index, cluster) for each base character with the combining marks after it."""
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or unicodedata.combining(text[i]) == 0:
            yield start, text[start:i]
            start = i


def _spell(cluster: str) -> str:
    """``'e\\u0302'`` -> "'e' + U+0302 (COMBINING CIRCUMFLEX ACCENT)"."""
    parts = [
        repr(c) if c.isprintable() and not unicodedata.combining(c) else char_label(c)
        for c in cluster
    ]
    return " + ".join(parts)


def nfc_problem(text: str) -> tuple[str, str] | None:
    """(kind, detail) when ``text`` is not in NFC, naming the first decomposed letter."""
    if unicodedata.is_normalized("NFC", text):
        return None
    wrong = [(i, c) for i, c in _clusters(text) if not unicodedata.is_normalized("NFC", c)]
    if wrong:
        index, cluster = wrong[0]
        fixed = unicodedata.normalize("NFC", cluster)
        more = f" ({len(wrong) - 1} more in this cell)" if len(wrong) > 1 else ""
        what = (
            f"the cell has decomposed diacritics: character {index + 1} is {_spell(cluster)} "
            f"where NFC has {fixed!r}{more}"
        )
    else:  # composition across clusters (e.g. Hangul jamo)
        what = "the cell has decomposed letters"
    return "text not in NFC form", f"{what}; {NFC_FIX}"


def number_problem(cell: str) -> str | None:
    """The detail when a cell that Frictionless reads as a number is not finite."""
    text = cell.strip()
    try:
        if math.isfinite(float(text)):
            return None
    except ValueError:
        pass
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None  # not a number at all: Frictionless reports a type error
    if number.is_finite():
        return (
            f"expected a finite number, got {short(cell)} (too large: it would be read as infinity)"
        )
    return f"expected a finite number, got {short(cell)}"


def formula_problem(text: str) -> tuple[str, str] | None:
    """(kind, detail) when a text cell starts as a spreadsheet formula would."""
    if not text.startswith(FORMULA_START):
        return None
    return (
        "starts like a formula",
        f"the text starts with {text[0]!r}, so a spreadsheet opening the downloaded CSV "
        "would run it as a formula; begin with a word, a number or a parenthesis "
        "(e.g. 'growth of +200%' rather than '+200%', '(-F001)' rather than '-F001')",
    )


def label_problem(label: str) -> tuple[str, str] | None:
    """(kind, detail) when a column name has spaces around it."""
    if label == label.strip() or not label.strip():
        return None
    where = (
        "before and after it"
        if label[0].isspace() and label[-1].isspace()
        else ("before it" if label[0].isspace() else "after it")
    )
    return (
        "space in a column name",
        f"the column name {label!r} has a space {where}; "
        f"write it as {label.strip()!r}, exactly as the descriptor names it",
    )


def integer_problem(cell: str) -> str | None:
    """The detail when an integer cell is too large to load (64-bit)."""
    text = cell.strip().lstrip("+-")
    if not text.isdigit() or len(text) < 19:
        return None
    if len(text) > 40 or int(text) > INTEGER_LIMIT:
        return f"the whole number {short(cell)} is too large (at most {INTEGER_LIMIT:,})"
    return None


def short(value: str, limit: int = 60) -> str:
    """``repr`` of a cell, cut to ``limit`` characters for a message."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…' ({len(value):,} characters)"


def scan_table(path: Path, schema: dict, dialect: dict | None = None) -> list[CellProblem]:
    """Every text and number problem of one CSV file, in file order.

    ``schema`` is the resource's Table Schema; its fields are matched to the
    columns by position, as Frictionless does, and its ``missingValues`` are
    skipped. Lines count CSV records (header = 1), like Frictionless's row
    numbers. A file that cannot be read yields nothing: Frictionless reports that.
    """
    dialect = dialect or {}
    fields = schema.get("fields", [])
    missing = frozenset(schema.get("missingValues", [""]))
    problems: list[CellProblem] = []
    texts = [
        (i, f["name"], bool(f.get("multiline")))
        for i, f in enumerate(fields)
        if f.get("type", "string") == "string"
    ]
    numbers = [(i, f["name"]) for i, f in enumerate(fields) if f.get("type") == "number"]
    integers = [(i, f["name"]) for i, f in enumerate(fields) if f.get("type") == "integer"]
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(
                handle,
                delimiter=dialect.get("delimiter", ","),
                quotechar=dialect.get("quoteChar", '"'),
                doublequote=dialect.get("doubleQuote", True),
            )
            for line, row in enumerate(reader, start=1):
                if line == 1:
                    for label in row:
                        for found in (
                            char_problem(label),
                            nfc_problem(label),
                            label_problem(label),
                        ):
                            if found:
                                problems.append(CellProblem(1, label, *found))
                    continue
                for i, name, _ in texts:
                    if i < len(row) and row[i] not in missing:
                        found = formula_problem(row[i])
                        if found:
                            problems.append(CellProblem(line, name, *found))
                joined = ",".join(row)
                if not (
                    joined.isprintable()
                    and REPLACEMENT not in joined
                    and unicodedata.is_normalized("NFC", joined)
                ):
                    for i, name, multiline in texts:
                        if i < len(row) and row[i] not in missing:
                            for found in (char_problem(row[i], multiline), nfc_problem(row[i])):
                                if found:
                                    problems.append(CellProblem(line, name, *found))
                for i, name in numbers:
                    if i < len(row) and row[i] not in missing:
                        detail = number_problem(row[i])
                        if detail:
                            problems.append(CellProblem(line, name, "not a finite number", detail))
                for i, name in integers:
                    if i < len(row) and row[i] not in missing:
                        detail = integer_problem(row[i])
                        if detail:
                            problems.append(CellProblem(line, name, "number too large", detail))
    except (OSError, UnicodeDecodeError, csv.Error):
        return []
    return problems
