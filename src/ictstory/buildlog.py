"""Reading jupyter-book's output: a short console, and a short account of a failure.

The console shows progress and the first line of each warning
(:func:`for_console`); the whole output goes to a log file. When a build fails,
:func:`failure_summary` says in a few lines which chapter failed, in which
cell, with which error, and shows the data row the error names.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

ANSI = re.compile(r"\x1b\[[0-9;]*m")
PROGRESS = re.compile(
    r"^(reading sources|writing output\.\.\. \[|copying static|dumping search|building \[html\]|"
    r"updating environment|build succeeded|build finished)"
)
NOTEBOOK = re.compile(r"^(?P<doc>\S+\.md): (Executing notebook|Executed notebook)")
WARNING = re.compile(r"(WARNING|ERROR|CRITICAL):")
FAILED_CELL = re.compile(
    r"(?P<doc>\S+\.(?:md|ipynb)): WARNING: Executing notebook failed.*?"
    r"An error occurred while executing the following cell:\n-+\n(?P<cell>.*?)\n-+\n"
    r"(?P<trace>.*?)(?=\n\S+\.(?:md|ipynb): |\nTraceback|\Z)",
    re.S,
)
ERROR_LINE = re.compile(r"^(?P<name>[A-Za-z_.]*(?:Error|Exception|Exit|Interrupt))\b:?(?P<msg>.*)$")
CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")
FIGURE_ID = re.compile(r"\b[FET][0-9]{2,}\b")
CSV_PLACE = re.compile(r"(data/[\w./-]+\.csv), line (\d+)")
MAX_LINES = 28


def plain(line: str) -> str:
    """The line without terminal colours."""
    return ANSI.sub("", line)


def for_console(line: str) -> str | None:
    """What the console shows of one output line (None: the log file only)."""
    text = plain(line).rstrip("\n")
    if PROGRESS.search(text) or NOTEBOOK.search(text):
        return text
    if WARNING.search(text):
        return text[:300]
    return None


def _error_line(trace: str) -> str:
    lines = [plain(line).rstrip() for line in trace.splitlines()]
    for line in reversed(lines):
        if ERROR_LINE.match(line.strip()):
            return line.strip()
    return next((line for line in reversed(lines) if line.strip()), "unknown error")


def _data_rows(text: str, root: Path) -> list[str]:
    """Rows of data/ that an error message names: by id (F004, E012, T03) or by place."""
    shown: list[str] = []
    tables = {"F": "figures.csv", "E": "events.csv", "T": "targets.csv"}
    for ident in dict.fromkeys(FIGURE_ID.findall(text)):
        path = root / "data" / tables[ident[0]]
        if not path.is_file():
            continue
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for number, row in enumerate(csv.reader(handle), start=1):
                if row and row[0] == ident:
                    shown.append(f"  data/{path.name}, line {number}: {','.join(row)[:160]}")
                    break
    for name, line in dict.fromkeys(CSV_PLACE.findall(text)):
        shown.append(f"  see {name}, line {line}")
    return shown[:4]


def failure_summary(log: str, root: Path) -> list[str]:
    """A few lines saying what failed; empty when the log shows no cell or warning."""
    text = plain(log)
    lines: list[str] = []
    for match in FAILED_CELL.finditer(text):
        doc = Path(match["doc"])
        doc_name = doc.relative_to(root) if doc.is_absolute() and root in doc.parents else doc
        cell = match["cell"].splitlines()
        error = _error_line(match["trace"])
        where = CELL_LINE.findall(match["trace"])
        failing = int(where[0]) if where else 1
        first = max(1, failing - 4)
        lines.append(f"Chapter {doc_name} failed at line {failing} of this cell:")
        for number in range(first, min(len(cell), failing + 2) + 1):
            mark = ">" if number == failing else " "
            lines.append(f"  {mark}{number:4d} | {cell[number - 1][:100]}")
        lines.append(f"Error: {error[:300]}")
        rows = _data_rows(error, root)
        if rows:
            lines.append("Data involved:")
            lines += rows
    if not lines:
        warnings = [w.strip()[:200] for w in text.splitlines() if WARNING.search(w)]
        lines = ["Warnings (strict build: each one fails it):"] + [f"  {w}" for w in warnings[:12]]
        if len(warnings) > 12:
            lines.append(f"  ... and {len(warnings) - 12} more")
        if not warnings:
            tail = [t for t in text.splitlines() if t.strip()][-8:]
            lines = ["The build stopped; the end of its output:"] + [f"  {t[:200]}" for t in tail]
    return lines[:MAX_LINES]
