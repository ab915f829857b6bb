"""Figures named in data text: ``[[F209]]`` instead of a number typed by hand.

A free-text cell of ``data/`` that reaches a page (:data:`TEXT_COLUMNS`: the
glossary's explanations, the framing table, event and target descriptions, wave
notes, publisher notes) never types a figure's number. It writes a reference,
two square brackets around a figure id, ``[[F209]]``, and :func:`resolve_table`
(called by :func:`ictstory.data.load_table`) replaces it with the figure's
effective value worded as :func:`ictstory.story.prose.describe` words a glued number:
"21 million" in a column in English, "21 triệu" in a ``_vi`` column. The result
is plain text: nothing else in the cell is interpreted, and every page escapes
it as before. A correction (``value_corrected``) reaches the text with the next
build, like it reaches the prose.

``[[`` occurs in no real text of the sources, and is neither MyST, Markdown nor
HTML; a ``[[`` that is not a well-formed reference is refused, so there is never
a doubt about what a cell means.

:func:`text_problems` (part of ``make data``) refuses a reference to a figure
that does not exist, and a number typed by hand that equals a figure's value
(as stated, corrected or computed; the low or high end of a range):

* any number but a whole one below 10, when the figure is *tied* to the row: the
  row names its id in some cell (``figure F018``, a reference), or the row's
  ``indicator`` is the figure's, or the figure shares an indicator with one of those;
* a *distinctive* number, for any figure: one with a scale word (``21 million``,
  ``21 triệu``, ``160 bn``) compared in plain units with a figure in thousands,
  millions or billions, one with a percent sign compared with a figure in
  percent, or one with digits grouped by thousands (``2,594``, ``2.594``).

Bare numbers of figures not tied to the row (days, years, counts of things) are
left alone, and so are numbers in dates and names ("30/6/2021", "COVID-19"), a
row's own numbers (a target's ``target_value``, which its description states),
and numbers inside quotation marks (“…”, "…", '…'): a quotation keeps the
source's words, which a correction does not change.
"""

from __future__ import annotations

import csv
import math
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ictstory.data.reads import notify_read, quiet_reads
from ictstory.data.vnnumber import parse_numbers, unit_scale

#: Free-text columns that reach a page, per table; only these may hold references.
TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "glossary": ("explanation", "explanation_vi"),
    "framing": ("claim", "claim_vi", "evidence", "evidence_vi", "decision", "decision_vi"),
    "events": ("description_en", "description_vi"),
    "targets": ("description_en", "description_vi"),
    "covid_waves": ("label_en", "label_vi", "note", "note_vi"),
    "sources": ("publisher_note", "publisher_note_vi"),
}
#: A reference: two square brackets around a figure id.
REFERENCE = re.compile(r"\[\[(F(?:[0-9]{3}|[1-9][0-9]{3,}))\]\]")
#: Anything that opens like a reference (checked to be one).
OPENING = re.compile(r"\[\[")
#: A figure id named in a cell ("figure F018").
FIGURE_ID = re.compile(r"(?<![A-Za-z0-9])F(?:[0-9]{3}|[1-9][0-9]{3,})(?![0-9])")
#: Numbers in English: 1,234.5 with an optional scale word and percent sign.
_EN_NUMBER = re.compile(
    r"(?<![\w.,])(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<dec>\d+))?(?![\d])"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|bn)\b)?(?P<pct>\s?%)?"
)
_EN_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
#: Digits grouped by thousands: "10,000" in English, "10.000" in Vietnamese.
_GROUPED = {False: re.compile(r"\d,\d{3}"), True: re.compile(r"\d\.\d{3}")}
#: Quoted spans, left out of the number check (the source's own words).
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’|(?<![\w])'[^']*'(?![\w])")
HOW = (
    "write a reference to the figure you mean instead, e.g. [[{fid}]]: the build puts in "
    "its value, formatted and corrected (or put a quotation of the source in quotation marks)"
)


@dataclass(frozen=True)
class Number:
    """A number typed in a text: its plain value, and whether it had a scale word, a % sign,
    or digits grouped by thousands."""

    value: float
    text: str
    scaled: bool
    percent: bool
    grouped: bool = False


def is_vi_column(column: str) -> bool:
    """Whether a text column is in Vietnamese (its name ends in ``_vi``)."""
    return column.endswith("_vi")


@contextmanager
def _language(code: str) -> Iterator[None]:
    """Format numbers in ``code`` (``en``/``vi``) for a while (:func:`ictstory.i18n.lang`)."""
    from ictstory.i18n import ENV

    before = os.environ.get(ENV)
    os.environ[ENV] = code
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = before


def resolve_text(text: str, words: dict[str, str]) -> str:
    """``text`` with every reference replaced by its figure's words (``words[id]``)."""
    return REFERENCE.sub(lambda m: words[m.group(1)], text)


def _figure_words(
    ids: set[str], language: str, descriptor: Path | None, figures: Callable[..., pd.DataFrame]
) -> dict[str, str]:
    """Each figure of ``ids`` worded in ``language``, as prose glues it (``figures``:
    :func:`ictstory.data.load_figures`)."""
    from ictstory.story.prose import describe  # the one import upwards, until prose is split

    with quiet_reads():
        table = figures(descriptor).set_index("figure_id", drop=False)
    words = {}
    with _language(language):
        for fid in sorted(ids):
            if fid not in table.index:
                raise KeyError(f"[[{fid}]]: figure {fid} is not in data/figures.csv")
            notify_read("figure", fid)  # a chapter showing the text follows the figure
            words[fid] = describe(table.loc[fid])
    return words


def resolve_table(
    name: str,
    frame: pd.DataFrame,
    descriptor: Path | None,
    figures: Callable[..., pd.DataFrame],
) -> pd.DataFrame:
    """``frame`` (table ``name``) with the references of its text columns resolved
    (``figures``: :func:`ictstory.data.load_figures`, passed in by it)."""
    columns = [c for c in TEXT_COLUMNS.get(name, ()) if c in frame.columns]
    wanted: dict[str, set[str]] = {"en": set(), "vi": set()}
    for column in columns:
        found = frame[column].dropna().astype(str).str.findall(REFERENCE.pattern)
        wanted["vi" if is_vi_column(column) else "en"].update(i for ids in found for i in ids)
    if not wanted["en"] and not wanted["vi"]:
        return frame
    words = {
        lang: _figure_words(ids, lang, descriptor, figures) for lang, ids in wanted.items() if ids
    }
    frame = frame.copy()
    for column in columns:
        table = words.get("vi" if is_vi_column(column) else "en", {})
        frame[column] = frame[column].map(
            lambda v, t=table: v if pd.isna(v) else resolve_text(str(v), t)
        )
    return frame


# --- make data: references exist, no number typed by hand -------------------------------


def _in_a_name(text: str, start: int, end: int) -> bool:
    """Whether digits at ``text[start:end]`` belong to a date, path or name, not a quantity:
    next to a slash ("30/6/2021"), or after a letter and a hyphen ("COVID-19", "level-4")."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    named = before == "-" and start > 1 and text[start - 2].isalpha()
    return "/" in (before, after) or named


def numbers_in(text: str, vietnamese: bool) -> list[Number]:
    """The numbers written in digits in ``text``, outside quotations, references, dates
    and names."""
    text = REFERENCE.sub(" ", _QUOTED.sub(" ", text))
    text = FIGURE_ID.sub(" ", text)
    found = []
    if vietnamese:
        for n in parse_numbers(text):
            digits = re.match(r"[\d.,]*\d", n.text)
            if digits is None or _in_a_name(text, n.start, n.start + digits.end()):
                continue
            grouped = bool(_GROUPED[True].search(n.text))
            found.append(Number(n.value, n.text, n.scale != 1.0, n.percent, grouped))
        return found
    for m in _EN_NUMBER.finditer(text):
        if _in_a_name(text, m.start(), m.end("dec") if m.group("dec") else m.end("int")):
            continue
        value = float(m.group("int").replace(",", "") + "." + (m.group("dec") or "0"))
        scale = _EN_SCALES.get(m.group("scale") or "", 1.0)
        grouped = bool(_GROUPED[False].search(m.group("int")))
        found.append(Number(value * scale, m.group(0), scale != 1.0, bool(m.group("pct")), grouped))
    return found


@dataclass(frozen=True)
class Figure:
    """What the check needs of a figure: its values in plain units, unit and indicator."""

    figure_id: str
    indicator: str
    unit: str
    values: tuple[float, ...]
    label: str = ""
    source_id: str = ""


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(enumerate(csv.DictReader(handle), start=2))


def _number(cell: str | None) -> float | None:
    try:
        return float(cell) if cell not in (None, "") else None
    except ValueError:
        return None


def read_figures(path: Path) -> dict[str, Figure]:
    """Every figure with its stated, corrected and computed values (read from the CSV)."""
    from ictstory.data.derivation import compute, display_round

    rows = [row for _, row in _rows(path)]
    effective: dict[str, float] = {}
    derivations: dict[str, str] = {}
    for row in rows:
        if row.get("kind") == "derived":
            derivations[row["figure_id"]] = row.get("derivation") or ""
            continue
        value = _number(row.get("value_corrected")) or _number(row.get("value"))
        if value is not None:
            effective[row["figure_id"]] = value
    computed, _ = compute(derivations, effective)
    figures = {}
    for row in rows:
        fid = row["figure_id"]
        values = [_number(row.get(c)) for c in ("value", "value_high", "value_corrected")]
        if fid in computed:
            places = _number(row.get("decimals"))
            values.append(display_round(computed[fid], None if places is None else int(places)))
        scale = unit_scale(row.get("unit", ""))
        figures[fid] = Figure(
            fid,
            row.get("indicator", ""),
            row.get("unit", ""),
            tuple(abs(v) * scale for v in values if v is not None and math.isfinite(v)),
            row.get("label_en", ""),
            row.get("source_id", ""),
        )
    return figures


def _matches(number: Number, figure: Figure, tied: bool) -> bool:
    """Whether a typed number is this figure's value (see the module's rule)."""
    distinctive = (
        (number.scaled and unit_scale(figure.unit) != 1.0)
        or (number.percent and figure.unit == "percent")
        or number.grouped
    )
    small = number.value < 10 and float(number.value).is_integer()
    if not (distinctive or (tied and not small)):
        return False
    return any(math.isclose(number.value, v, rel_tol=1e-9) for v in figure.values)


def tied_figures(row: dict[str, str], figures: dict[str, Figure]) -> set[str]:
    """The figures a row is about: ids named in its cells, its indicator's, and their
    indicators' other figures."""
    ids = {m for cell in row.values() if cell for m in FIGURE_ID.findall(cell) if m in figures}
    indicators = {figures[i].indicator for i in ids} | {row.get("indicator") or ""}
    indicators.discard("")
    return ids | {f.figure_id for f in figures.values() if f.indicator in indicators}


def cell_problems(
    text: str,
    column: str,
    row: dict[str, str],
    figures: dict[str, Figure],
    own: frozenset[float] = frozenset(),
) -> list[tuple[str, str]]:
    """(kind, detail) of every problem of one text cell; ``own`` are the row's own numbers
    (its number cells, such as a target's ``target_value``), which its text may repeat."""
    problems = []
    refs = {m.start() for m in REFERENCE.finditer(text)}
    for m in OPENING.finditer(text):
        if m.start() not in refs:
            snippet = text[m.start() : m.start() + 12]
            problems.append(
                (
                    "malformed reference",
                    f"{snippet!r} opens with [[ but is not a figure reference; write "
                    "[[F123]] with an existing figure id, and no [[ otherwise",
                )
            )
    for m in REFERENCE.finditer(text):
        if m.group(1) not in figures:
            problems.append(
                (
                    "unknown figure",
                    f"reference [[{m.group(1)}]] names no figure of data/figures.csv; "
                    "use an existing figure_id",
                )
            )
    tied = tied_figures(row, figures)
    for number in numbers_in(text, is_vi_column(column)):
        if any(math.isclose(number.value, v, rel_tol=1e-9) for v in own):
            continue
        hits = sorted(
            (f for f in figures.values() if _matches(number, f, f.figure_id in tied)),
            key=lambda f: (f.figure_id not in tied, f.source_id != row.get("source_id")),
        )  # the likeliest first: tied to the row, then from the row's source
        if hits:
            named = "; ".join(f"{f.figure_id} ({f.label})" for f in hits[:3])
            more = f" and {len(hits) - 3} more" if len(hits) > 3 else ""
            problems.append(
                (
                    "number typed by hand",
                    f"{number.text.strip()!r} is the value of figure {named}{more}; "
                    + HOW.format(fid=hits[0].figure_id),
                )
            )
    return problems


def own_numbers(row: dict[str, str], number_fields: list[str]) -> frozenset[float]:
    """The row's number cells, as written and in plain units of the row's ``unit``."""
    values = [_number(row.get(name)) for name in number_fields]
    scale = unit_scale(row.get("unit") or "")
    return frozenset(x for v in values if v is not None for x in (abs(v), abs(v) * scale))


def text_problems(descriptor: dict[str, Any], base: Path) -> list[Any]:
    """:class:`~ictstory.data.DataProblem` s of the text columns of the package."""
    from ictstory.data.problems import DataProblem

    paths = {r["name"]: r["path"] for r in descriptor["resources"]}
    if "figures" not in paths:
        return []
    figures = read_figures(base / paths["figures"])
    problems = []
    for name, columns in TEXT_COLUMNS.items():
        if name not in paths:
            continue
        rel = f"data/{paths[name]}"
        spec = next(r for r in descriptor["resources"] if r["name"] == name)
        number_fields = [
            f["name"] for f in spec["schema"]["fields"] if f.get("type") in ("number", "integer")
        ]
        for line, row in _rows(base / paths[name]):
            own = own_numbers(row, number_fields)
            for column in columns:
                text = row.get(column) or ""
                for kind, detail in cell_problems(text, column, row, figures, own):
                    problems.append(DataProblem(rel, kind, detail, line, column))
    return problems
