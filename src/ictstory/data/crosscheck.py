"""Checks across cells, tables and files that Frictionless cannot express.

They run after Frictionless and the cell checks found nothing, so every table
reads with its declared types. Each returns :class:`~ictstory.data.DataProblem`
records naming file, line and column.

* A field with the custom property ``"itemsReference": {"resource": R, "field":
  F, "separator": S}`` holds a list of values of field F of table R.
* Every source document has its text in ``data/sources/<source_id>.txt``, and
  every text there has its row in ``sources.csv``; the texts get the character
  checks of CSV cells (:func:`text_problems`).
* Every ``excerpt`` (of any table that also has ``source_id``) occurs verbatim
  in the text of its source.
* A stated number reads back from its excerpt (:mod:`ictstory.data.vnnumber`):
  ``value`` and ``value_high`` of figures that are not derived, and
  ``target_value`` of targets. A value that no longer matches is to be corrected
  in ``value_corrected``, or superseded by a newer figure with its own source.
* Figures: derived rows have a derivation and no stored value; the others have
  a value and no derivation; a correction has a note; every derivation computes
  (:mod:`ictstory.data.derivation`).
"""

from __future__ import annotations

import csv
import difflib
import math
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from ictstory.data import derivation
from ictstory.data.cellcheck import char_problem, nfc_problem, short
from ictstory.data.problems import DataProblem
from ictstory.data.vnnumber import parse_numbers, unit_scale

#: Folder of the source texts, inside the folder of the descriptor.
SOURCE_TEXTS = "sources"
#: Kinds of figure whose value is stated in its excerpt (derived ones are computed).
STATED_KINDS = frozenset({"reported", "estimated", "comparison", "target"})
CORRECT_IT = (
    "keep {column} as the source states it: correct it in value_corrected (with a note), "
    "or add a newer figure with its own source"
)


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) for each record; line 1 is the header, lines count CSV records."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from enumerate(csv.DictReader(handle), start=2)


def _resource(descriptor: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((r for r in descriptor["resources"] if r["name"] == name), None)


def _field_names(spec: dict[str, Any]) -> set[str]:
    return {f["name"] for f in spec["schema"]["fields"]}


def _column(descriptor: dict[str, Any], base: Path, resource: str, field: str) -> set[str]:
    spec = next(r for r in descriptor["resources"] if r["name"] == resource)
    return {row.get(field, "") for _, row in _rows(base / spec["path"])}


def list_references(descriptor: dict[str, Any], base: Path) -> list[DataProblem]:
    """Every item of an ``itemsReference`` list must exist in the table it names."""
    problems: list[DataProblem] = []
    for spec in descriptor["resources"]:
        for field in spec["schema"]["fields"]:
            ref = field.get("itemsReference")
            if not ref:
                continue
            known = _column(descriptor, base, ref["resource"], ref["field"])
            separator = ref.get("separator", ";")
            for line, row in _rows(base / spec["path"]):
                items = [i.strip() for i in (row.get(field["name"]) or "").split(separator)]
                for item in (i for i in items if i):
                    if item not in known:
                        problems.append(
                            DataProblem(
                                f"data/{spec['path']}",
                                "unknown reference",
                                f"{item!r} is not a {ref['field']} in data/"
                                f"{ref['resource']}.csv; list existing values separated by "
                                f"{separator!r}",
                                line,
                                field["name"],
                            )
                        )
    return problems


def _decode_line(raw: bytes) -> int:
    """The 1-based line of the first byte sequence that is not UTF-8."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return raw[: exc.start].count(b"\n") + 1
    return 0


def source_texts(
    descriptor: dict[str, Any], base: Path
) -> tuple[dict[str, str], list[DataProblem]]:
    """The text of every source document by source_id, and the problems found on the way.

    A row of ``sources.csv`` without its text file, a text file without its row,
    and a text that is not UTF-8 are problems.
    """
    spec = _resource(descriptor, "sources")
    if spec is None:
        return {}, []
    folder = base / SOURCE_TEXTS
    texts: dict[str, str] = {}
    problems: list[DataProblem] = []
    ids = set()
    for line, row in _rows(base / spec["path"]):
        sid = row.get("source_id", "")
        ids.add(sid)
        path = folder / f"{sid}.txt"
        if not path.is_file():
            problems.append(
                DataProblem(
                    f"data/{spec['path']}",
                    "source text missing",
                    f"no file data/{SOURCE_TEXTS}/{sid}.txt; put the document's text there "
                    "(UTF-8, exactly as published) so that excerpts can be checked",
                    line,
                    "source_id",
                )
            )
            continue
        raw = path.read_bytes()
        bad_line = _decode_line(raw)
        if bad_line:
            problems.append(
                DataProblem(
                    f"data/{SOURCE_TEXTS}/{sid}.txt",
                    "not UTF-8",
                    "the text is not valid UTF-8; save it as UTF-8",
                    bad_line,
                )
            )
            continue
        texts[sid] = raw.decode("utf-8").removeprefix("\ufeff")
        problems += text_problems(f"data/{SOURCE_TEXTS}/{sid}.txt", texts[sid])
    for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
        if path.stem not in ids:
            problems.append(
                DataProblem(
                    f"data/{SOURCE_TEXTS}/{path.name}",
                    "source without a row",
                    f"no row of data/{spec['path']} has source_id {path.stem!r}; add one "
                    "describing the document, or remove the file",
                )
            )
    return texts, problems


#: Lines of one source text reported before the rest are only counted.
TEXT_PROBLEMS_SHOWN = 5


def text_problems(where: str, text: str) -> list[DataProblem]:
    """The character checks of CSV cells, line by line, for a source text.

    Line breaks (``\n`` or ``\r\n``) are the only control characters allowed;
    tabs, other control characters, invisible and bidi characters and text not
    in NFC are refused, each with its line and character. U+FFFD passes: a text
    is a copy of its document, damage included.
    """
    problems: list[DataProblem] = []
    bad = 0
    for number, line in enumerate(text.split("\n"), start=1):
        # U+FFFD stays: a text keeps the damage of the page it copies (same length: "?")
        line = line.removesuffix("\r").replace("\ufffd", "?")
        if line.isprintable() and unicodedata.is_normalized("NFC", line):
            continue
        for found in (char_problem(line, multiline=True), nfc_problem(line)):
            if found:
                bad += 1
                if bad <= TEXT_PROBLEMS_SHOWN:
                    problems.append(DataProblem(where, found[0], found[1], number))
    if bad > TEXT_PROBLEMS_SHOWN:
        problems.append(
            DataProblem(
                where,
                "more problems",
                f"{bad - TEXT_PROBLEMS_SHOWN} more line(s) of this text have such problems",
            )
        )
    return problems


def _found_start(excerpt: str, text: str) -> int:
    """Length of the longest start of ``excerpt`` that occurs in ``text``."""
    low, high = 0, len(excerpt)
    while low < high:
        mid = (low + high + 1) // 2
        if excerpt[:mid] in text:
            low = mid
        else:
            high = mid - 1
    return low


def excerpts_verbatim(
    descriptor: dict[str, Any], base: Path, texts: dict[str, str]
) -> list[DataProblem]:
    """Every excerpt occurs verbatim in the text of the source its row cites."""
    problems: list[DataProblem] = []
    for spec in descriptor["resources"]:
        if not {"excerpt", "source_id"} <= _field_names(spec):
            continue
        for line, row in _rows(base / spec["path"]):
            excerpt, sid = row.get("excerpt", ""), row.get("source_id", "")
            text = texts.get(sid)
            if text is None or not excerpt or excerpt in text:
                continue  # a missing text is reported once, on its sources.csv row
            found = _found_start(excerpt, text)
            where = (
                f"it differs from the text after {excerpt[max(0, found - 30) : found]!r} "
                f"(character {found + 1} of the excerpt)"
                if found
                else "not even its first character is there"
            )
            problems.append(
                DataProblem(
                    f"data/{spec['path']}",
                    "excerpt not in its source",
                    f"the excerpt does not occur verbatim in data/{SOURCE_TEXTS}/{sid}.txt: "
                    f"{where}; copy it from the text exactly (spaces, punctuation, diacritics)",
                    line,
                    "excerpt",
                )
            )
    return problems


@lru_cache(maxsize=4096)
def _numbers(text: str) -> tuple[float, ...]:
    """Values of the numbers of a text (cached: large tables repeat excerpts)."""
    return tuple(n.value for n in parse_numbers(text))


def _reads_back(excerpt: str, value: float, unit: str) -> bool:
    wanted = abs(value) * unit_scale(unit)
    return any(math.isclose(n, wanted, rel_tol=1e-9) for n in _numbers(excerpt))


def _numbers_in(excerpt: str, unit: str) -> str:
    """The numbers of an excerpt in the scale of ``unit``, for a message."""
    scale = unit_scale(unit)
    found = [f"{n / scale:,.10g}" for n in _numbers(excerpt)]
    return f"its numbers in {unit}: {', '.join(found)}" if found else "it has no number"


def _unit_enum(spec: dict[str, Any]) -> list[str]:
    """The units a table allows (its ``unit`` column's ``enum``)."""
    for field in spec["schema"]["fields"]:
        if field["name"] == "unit":
            return list((field.get("constraints") or {}).get("enum") or [])
    return []


def _units_that_read_back(excerpt: str, value: float, units: list[str], unit: str) -> list[str]:
    """The other allowed units in which ``value`` is a number of the excerpt, the most
    like ``unit`` first (``VND million`` -> ``VND billion`` before ``USD billion``)."""
    fits = [u for u in units if u != unit and _reads_back(excerpt, value, u)]
    return sorted(fits, key=lambda u: -difflib.SequenceMatcher(None, unit, u).ratio())


def stated_values(descriptor: dict[str, Any], base: Path) -> list[DataProblem]:
    """Stated figures and numeric targets read back from their excerpts."""
    problems: list[DataProblem] = []
    checks = [
        ("figures", ("value", "value_high"), lambda row: row.get("kind") in STATED_KINDS),
        ("targets", ("target_value",), lambda row: True),
    ]
    for name, columns, applies in checks:
        spec = _resource(descriptor, name)
        if spec is None:
            continue
        for line, row in _rows(base / spec["path"]):
            if not applies(row):
                continue
            for column in columns:
                cell, unit = row.get(column, ""), row.get("unit", "") or "count"
                if not cell or _reads_back(row.get("excerpt", ""), float(cell), unit):
                    continue
                todo = (
                    CORRECT_IT.format(column=column)
                    if name == "figures"
                    else "state the target as its excerpt does"
                )
                excerpt = row.get("excerpt", "")
                fits = _units_that_read_back(excerpt, float(cell), _unit_enum(spec), unit)
                if fits:
                    named = ", ".join(repr(u) for u in fits[:4]) + (" …" if fits[4:] else "")
                    problems.append(
                        DataProblem(
                            f"data/{spec['path']}",
                            "unit does not match its excerpt",
                            f"{cell} ({unit}) is not a number of the excerpt "
                            f"({_numbers_in(excerpt, unit)}), but {cell} in {named} is: "
                            f"if the unit is wrong, set unit to {fits[0]!r}; if {column} is "
                            f"wrong, {todo}",
                            line,
                            "unit",
                        )
                    )
                    continue
                problems.append(
                    DataProblem(
                        f"data/{spec['path']}",
                        "value not in its excerpt",
                        f"{cell} ({unit}) is not a number of the excerpt "
                        f"({_numbers_in(excerpt, unit)}); {todo}",
                        line,
                        column,
                    )
                )
    return problems


def figure_values(descriptor: dict[str, Any], base: Path) -> list[DataProblem]:
    """Stored values, corrections and derivations of the figures table."""
    spec = _resource(descriptor, "figures")
    if spec is None:
        return []
    path = f"data/{spec['path']}"
    problems: list[DataProblem] = []
    rows = list(_rows(base / spec["path"]))

    def problem(line: int, column: str, kind: str, detail: str) -> None:
        problems.append(DataProblem(path, kind, detail, line, column))

    values: dict[str, float] = {}
    derivations: dict[str, str] = {}
    lines: dict[str, int] = {}
    for line, row in rows:
        fid, derived = row["figure_id"], row["kind"] == "derived"
        lines[fid] = line
        if derived:
            for column in ("value", "value_high", "value_corrected"):
                if row.get(column):
                    problem(
                        line,
                        column,
                        "stored derived value",
                        f"a derived figure is computed from its derivation each time the data "
                        f"is loaded; leave {column} blank (a stored number would go stale)",
                    )
            if not row.get("derivation"):
                problem(
                    line,
                    "derivation",
                    "derivation missing",
                    "a derived figure needs a derivation, e.g. F026 + F028 or F016 / F017 / 1000",
                )
            else:
                derivations[fid] = row["derivation"]
            continue
        if not row.get("value"):
            problem(
                line,
                "value",
                "rule broken",
                "value is required (only derived figures, computed from a derivation, leave "
                "it blank)",
            )
        else:
            values[fid] = float(row["value_corrected"] or row["value"])
        for column, why in (
            ("derivation", "only derived figures (kind derived) have a derivation"),
            ("decimals", "decimals sets the precision of a computed value: derived figures only"),
        ):
            if row.get(column):
                detail = f"{why}; leave it blank or make the row derived"
                problem(line, column, "rule broken", detail)
        if row.get("value_corrected") and not row.get("note"):
            problem(
                line,
                "note",
                "correction without a note",
                "a value_corrected needs a note saying why the stated value is wrong",
            )
    _, failures = derivation.compute(derivations, values)
    for failure in failures:
        problem(
            lines[failure.figure_id],
            "derivation",
            "derivation fails",
            f"{short(derivations[failure.figure_id])}: {failure.error}",
        )
    problems.sort(key=lambda p: p.line or 0)
    return problems


def package_problems(descriptor: dict[str, Any], base: Path) -> list[DataProblem]:
    """All cross-checks: sources and their texts, excerpts, stated values, figures, lists."""
    texts, problems = source_texts(descriptor, base)
    problems += excerpts_verbatim(descriptor, base, texts)
    problems += stated_values(descriptor, base)
    problems += figure_values(descriptor, base)
    problems += list_references(descriptor, base)
    order = {f"data/{r['path']}": i for i, r in enumerate(descriptor["resources"])}
    return sorted(problems, key=lambda p: (order.get(p.path, 0), p.line or 0))
