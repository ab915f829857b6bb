"""The ids and indicator keys the chapters' code cells use, checked against ``data/``.

A deletion or rename in ``data/`` that a chapter still uses would otherwise pass
``make data`` and fail only at build time, inside a kernel. :func:`problems` scans
the code cells of every chapter of both editions (``index.md``, ``chapters/*.md``,
``vi/…``) statically:

- every string literal that is a whole id of a table whose key the descriptor gives a
  pattern (``F004`` a figure, ``E012`` an event, ``T03`` a target, ``X001`` an outside
  series, a source id) must be a row of that table;
- the key given to :func:`ictstory.story.prose.indicator`, ``latest`` and ``glue_latest``
  must be an indicator of ``data/figures.csv``, and the keys given to
  ``outside.glue_value``, ``pick``, ``table``, ``load`` and ``trajectory`` (and of
  ``st.peers_chart`` and ``st.peers.table``, ``glue_value``, ``glue_place`` ...) indicators
  of ``data/outside_indicators.csv``;
- the key given to ``word`` (``st.word``) must be a row of ``data/vocabulary.csv``.

The records of ``_build/deps/`` are not used: besides what this scan finds they hold
only what a chapter read by way of data (the introduction's explorer reads every
figure), which a deletion does not break.

Each problem names the chapter file and the line in that file (not in the cell), e.g.
``chapters/postal.md:212: uses figure F206, which data/figures.csv no longer has``.
"""

from __future__ import annotations

import ast
import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ictstory.data.problems import DataProblem

FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})\{code-cell\}")
STRING = re.compile(r"""(?P<q>["'])(?P<text>[^"'\\\n]*)(?P=q)""")
CHAPTER_GLOBS = ("index.md", "chapters/*.md", "vi/index.md", "vi/chapters/*.md")

#: Calls whose argument at this position is an indicator key of figures.csv ("figures")
#: or of outside_indicators.csv ("outside"); a list argument holds several keys.
INDICATOR_ARGS: dict[str, tuple[int, str]] = {
    "indicator": (0, "figures"),
    "latest": (0, "figures"),
    "glue_latest": (1, "figures"),
    "outside.glue_value": (1, "outside"),
    "outside.pick": (0, "outside"),
    "outside.table": (0, "outside"),
    "outside.glue_change": (1, "outside"),
    "outside.load": (0, "outside"),
    "outside.trajectory": (0, "outside"),
    "peers_chart": (0, "outside"),  # ictstory.story.peers: the peer comparison
    "peers.peers_chart": (0, "outside"),
    "peers.table": (0, "outside"),
    "peers.glue_value": (1, "outside"),
    "peers.glue_place": (1, "outside"),
    "peers.glue_ahead": (1, "outside"),
    "peers.glue_best": (1, "outside"),
    "word": (0, "vocabulary"),
}
#: Tables whose keys are checked by call (above), not by pattern: any dotted name
#: would match the vocabulary's key pattern.
BY_CALL = {"vocabulary"}


@dataclass(frozen=True)
class Reference:
    """One use of a data key in a chapter's code: file (relative), line, kind, key."""

    path: str
    line: int
    kind: str
    key: str


@dataclass(frozen=True)
class KeySet:
    """The keys of one table column, with the words a message uses for them."""

    noun: str
    table: str
    keys: frozenset[str]


def code_cells(text: str) -> Iterator[tuple[int, str]]:
    """(line in the file of the cell's first code line, code) of every code cell."""
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        opened = FENCE.match(lines[index])
        index += 1
        if not opened:
            continue
        fence = opened["fence"]
        if index < len(lines) and lines[index].strip() == "---":  # YAML options block
            index += 1
            while index < len(lines) and lines[index].strip() != "---":
                index += 1
            index += 1
        options = index
        while index < len(lines) and lines[index].startswith(":"):  # short options
            index += 1
        if index > options and index < len(lines) and not lines[index].strip():
            index += 1  # the blank line that ends them is not code (as myst-nb reads it)
        start = index
        while index < len(lines) and not lines[index].startswith(fence):
            index += 1
        yield start + 1, "\n".join(lines[start:index])
        index += 1


def _call_name(node: ast.expr) -> str:
    """The dotted name called, without the chapter API's ``st.`` or ``prose.``:
    ``st.outside.glue_value(…)`` is ``outside.glue_value``."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return parts[0] if parts else ""
    parts.append(node.id)
    name = ".".join(reversed(parts))
    for prefix in ("st.", "prose.", "vocabulary."):
        name = name.removeprefix(prefix)
    return name


def _strings(node: ast.expr) -> Iterator[ast.Constant]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        for item in node.elts:
            yield from _strings(item)


def cell_references(code: str) -> Iterator[tuple[int, str, str]]:
    """(line in the cell, kind, text) of string literals in one cell: kind "literal" for
    every string, "figures"/"outside" for an indicator key given to a known call."""
    try:
        tree = ast.parse(code)
    except SyntaxError:  # a magic or a sketch: literals only, line by line
        for number, line in enumerate(code.splitlines(), start=1):
            for match in STRING.finditer(line):
                yield number, "literal", match["text"]
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, "literal", node.value
        if isinstance(node, ast.Call):
            name = _call_name(node.func)
            wanted = INDICATOR_ARGS.get(name)
            if wanted:
                position, kind = wanted
                if position < len(node.args):
                    for constant in _strings(node.args[position]):
                        yield constant.lineno, kind, constant.value


def references(root: Path) -> list[Reference]:
    """Every literal and indicator key in the code cells of both editions' pages."""
    found: list[Reference] = []
    for pattern in CHAPTER_GLOBS:
        for path in sorted(root.glob(pattern)):
            rel = path.relative_to(root).as_posix()
            here = [
                Reference(rel, first + line - 1, kind, text)
                for first, code in code_cells(path.read_text("utf-8"))
                for line, kind, text in cell_references(code)
            ]
            found += sorted(here, key=lambda ref: ref.line)
    return found


def _column(path: Path, field: str) -> frozenset[str]:
    if not path.is_file():
        return frozenset()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return frozenset(row.get(field) or "" for row in csv.DictReader(handle))


def key_sets(data: Path) -> tuple[list[tuple[re.Pattern[str], KeySet]], dict[str, KeySet]]:
    """The id patterns of the descriptor's single-field keys, with their tables' keys; and
    the indicator keys of figures.csv and outside_indicators.csv."""
    descriptor = json.loads((data / "datapackage.json").read_text("utf-8"))
    patterns: list[tuple[re.Pattern[str], KeySet]] = []
    for resource in descriptor.get("resources", []):
        schema = resource.get("schema") or {}
        key = schema.get("primaryKey")
        key = [key] if isinstance(key, str) else key
        if not isinstance(key, list) or len(key) != 1 or not isinstance(resource.get("path"), str):
            continue
        if resource.get("name") in BY_CALL:
            continue
        field = next((f for f in schema.get("fields", []) if f.get("name") == key[0]), None)
        pattern = ((field or {}).get("constraints") or {}).get("pattern")
        if not pattern or re.fullmatch(pattern, "value"):
            continue  # no pattern, or one any word matches (indicator keys: by call below)
        noun = key[0].removesuffix("_id").replace("_", " ")
        table = f"data/{resource['path']}"
        keys = _column(data / resource["path"], key[0])
        patterns.append((re.compile(pattern), KeySet(noun, table, keys)))
    indicators = {
        "figures": KeySet(
            "indicator", "data/figures.csv", _column(data / "figures.csv", "indicator")
        ),
        "outside": KeySet(
            "outside indicator",
            "data/outside_indicators.csv",
            _column(data / "outside_indicators.csv", "indicator"),
        ),
        "vocabulary": KeySet(
            "word", "data/vocabulary.csv", _column(data / "vocabulary.csv", "key")
        ),
    }
    return patterns, indicators


def dangling(root: Path, data: Path | None = None) -> list[str]:
    """One line per chapter reference that ``data/`` no longer has, in file order."""
    data = data or root / "data"
    if not (data / "datapackage.json").is_file():
        return []
    patterns, indicators = key_sets(data)
    lines: list[str] = []
    for ref in references(root):
        if ref.kind == "literal":
            for pattern, keys in patterns:
                if pattern.fullmatch(ref.key) and ref.key not in keys.keys:
                    lines.append(
                        f"{ref.path}:{ref.line}: uses {keys.noun} {ref.key}, "
                        f"which {keys.table} no longer has"
                    )
                    break
        elif ref.key not in indicators[ref.kind].keys:
            keys = indicators[ref.kind]
            lines.append(
                f"{ref.path}:{ref.line}: uses {keys.noun} {ref.key!r}, "
                f"which no row of {keys.table} has"
            )
    return list(dict.fromkeys(lines))


def problems(descriptor: Path) -> list[DataProblem]:
    """:func:`dangling` as :class:`ictstory.data.DataProblem` s (project = descriptor's
    grandparent), for ``make data`` and the build's data check."""
    from ictstory.data.problems import DataProblem

    data = descriptor.parent
    found: list[DataProblem] = []
    for line in dangling(data.parent, data):
        place, _, what = line.partition(": ")
        detail = "put the row back, or change this line of the chapter"
        found.append(DataProblem(place, what, detail))
    return found
