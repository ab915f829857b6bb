"""Reading jupyter-book's output: a short console, and a short account of a failure.

The console shows progress and the first line of each warning
(:func:`for_console`); the whole output goes to a log file. When a build fails,
:func:`failure_summary` says in a few lines, the cause last: which chapter failed,
in which code cell and at which line of the chapter file, with which error, and
the data row the error names; a cell that ran out of time; a kernel that did not
start or died (:mod:`ictstory.site.kernels` turns those into a failed chapter); or the
exception Sphinx stopped on, with the chapters executing at the time.
"""

from __future__ import annotations

import ast
import contextlib
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
EXEC_FAILED = re.compile(
    r"^(?P<doc>\S+\.(?:md|ipynb)): WARNING: Executing notebook failed: (?P<name>\w+)\n"
    r"(?P<trace>.*?)(?: \[mystnb\.exec\]$|(?=\n\S+\.(?:md|ipynb): |\Z))",
    re.S | re.M,
)
FAILED_CELL_BODY = re.compile(
    r"An error occurred while executing the following cell:\n-+\n(?P<cell>.*?)\n-+\n(?P<rest>.*)",
    re.S,
)
TIMED_OUT = re.compile(
    r"A cell timed out while it was being executed, after (?P<seconds>\d+) seconds\..*?"
    r"preview of the cell contents:\n-+\n(?P<cell>.*?)\n-+",
    re.S,
)
CRASH = re.compile(
    r"^(?:Exception occurred:|Sphinx parallel build error:|[A-Z][\w ]* error:)\n(?P<body>.*?)"
    r"(?=^The full traceback has been saved|^Traceback \(most recent|^There was an error|^\s*$|\Z)",
    re.S | re.M,
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


def _chapter_name(doc: str, root: Path) -> str:
    path = Path(doc)
    if path.is_absolute() and root in path.parents:
        return path.relative_to(root).as_posix()
    return doc


def locate_cell(chapter: Path, source: str, *, prefix: bool = False) -> tuple[int, int] | None:
    """(number of the code cell, line in the chapter file of its first code line) of the
    cell whose code is ``source`` (with ``prefix``: starts with it); None if none."""
    from ictstory.data.chapterrefs import code_cells

    if not chapter.is_file() or not source.strip():
        return None
    wanted = source.strip()
    for number, (first, code) in enumerate(code_cells(chapter.read_text("utf-8", "replace"))):
        if code.strip() == wanted or (prefix and code.strip().startswith(wanted)):
            return number + 1, first
    return None


def _preview(text: str) -> tuple[list[str], bool]:
    """The lines of a cell as nbclient's time-out message previews it, and whether that
    is only its beginning (a long cell shows as its first and last five lines)."""
    head, dots, _ = text.partition("\n...\n")
    if dots and head.startswith("["):
        with contextlib.suppress(ValueError, SyntaxError):
            return list(ast.literal_eval(head)), True
    return text.splitlines(), False


def _cell_lines(
    chapter: str, root: Path, cell: list[str], failing: int, why: str, prefix: bool = False
) -> list[str]:
    """The head line and the code around the failing line, numbered as in the chapter."""
    found = locate_cell(root / chapter, "\n".join(cell), prefix=prefix)
    number, first = found if found else (None, 1)
    line = first + failing - 1
    if found:
        head = (
            f"Chapter {chapter} failed at line {line} ({chapter}:{line}, code cell {number}, "
            f"line {failing} of the cell){why}:"
        )
    else:
        head = f"Chapter {chapter} failed at line {failing} of this cell{why}:"
    lines = [head]
    for index in range(max(1, failing - 4), min(len(cell), failing + 2) + 1):
        mark = ">" if index == failing else " "
        lines.append(f"  {mark}{first + index - 1:4d} | {cell[index - 1][:100]}")
    return lines


def _executions(text: str, root: Path) -> list[str]:
    """The summary of every chapter whose execution failed: the cell and its line in the
    chapter file, or the kernel's own failure (did not start, died), and the error."""
    lines: list[str] = []
    for match in EXEC_FAILED.finditer(text):
        chapter = _chapter_name(match["doc"], root)
        trace = match["trace"]
        cell = FAILED_CELL_BODY.search(trace)
        timeout = TIMED_OUT.search(trace)
        if cell:
            where = CELL_LINE.findall(cell["rest"])
            failing = int(where[0]) if where else 1
            lines += _cell_lines(chapter, root, cell["cell"].splitlines(), failing, "")
            error = _error_line(cell["rest"])
        elif timeout:
            cell_lines, partial = _preview(timeout["cell"])
            why = ": this cell did not finish"
            lines += _cell_lines(chapter, root, cell_lines, 1, why, prefix=partial)
            error = (
                f"CellTimeoutError: the cell ran longer than {timeout['seconds']} seconds "
                "(execute: timeout in _config.yml)"
            )
        else:
            error = _error_line(trace)
            lines.append(f"Chapter {chapter} failed: its Jupyter kernel failed ({match['name']}).")
            if "didn't respond" in error or "Kernel died" in error or "DeadKernel" in error:
                lines.append(
                    "  The kernel did not start or stopped answering (a busy machine?): run "
                    "`make book` again; `ICTSTORY_JOBS=1` executes one chapter at a time."
                )
        lines.append(f"Error: {error[:300]}")
        rows = _data_rows(error, root)
        if rows:
            lines.append("Data involved:")
            lines += rows
    return lines


def _crash(text: str, root: Path) -> list[str]:
    """Sphinx's own account of an exception that stopped the build, with the chapters
    that were executing when it came."""
    match = CRASH.search(text)
    if not match:
        return []
    error = _error_line(match["body"])
    running: dict[str, None] = {}
    for line in text[: match.start()].splitlines():
        began = NOTEBOOK.search(line)
        if began and "Executing notebook using" in line:
            running[began["doc"]] = None
        elif began:
            running.pop(began["doc"], None)
    lines = [f"The build stopped on an error: {error[:300]}"]
    if running:
        names = [_chapter_name(doc, root) for doc in running]
        lines.append("  Chapters executing at the time: " + ", ".join(names))
    return lines


def failure_summary(log: str, root: Path) -> list[str]:
    """A few lines saying what failed, the cause last; never empty."""
    text = plain(log)
    warnings = [w.strip()[:200] for w in text.splitlines() if WARNING.search(w)]
    lines = _executions(text, root)
    crash = _crash(text, root)
    if lines:
        others = len(warnings) - len(EXEC_FAILED.findall(text))
        if others > 0:
            lines.insert(
                0, f"({others} other warnings, most likely follow-ons of this: see the log)"
            )
        lines = lines[-MAX_LINES:]
    elif warnings:
        lines = ["Warnings (strict build: each one fails it):"] + [f"  {w}" for w in warnings[:12]]
        if len(warnings) > 12:
            lines.append(f"  ... and {len(warnings) - 12} more")
    if crash:
        return (lines + crash)[-MAX_LINES:]
    if not lines:
        tail = [t for t in text.splitlines() if t.strip()][-8:]
        lines = ["The build stopped; the end of its output:"] + [f"  {t[:200]}" for t in tail]
    return lines[:MAX_LINES]
