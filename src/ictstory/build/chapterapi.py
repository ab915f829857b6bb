"""How well a chapter keeps the chapter API (issue 19): measured from its Markdown.

``python -m ictstory.build.chapterapi`` prints, for every page of both editions with code:
the lines of its set-up (first code) cell, the median distance in lines from a glue
call to the first use of its name, the code lines with Vietnamese letters, the
``tr(`` calls, the prose strings typed in code, and the imports other than the one
chapter API. ``tests/test_chapter_api.py`` holds the rules.
"""

from __future__ import annotations

import ast
import re
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ictstory.data.chapterrefs import CHAPTER_GLOBS, code_cells
from ictstory.paths import project_root

#: Letters only Vietnamese uses (with its tone marks) in this book's text.
VIETNAMESE = re.compile(
    r"[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    r"ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ]"
)
#: Calls that glue a value under the name given as their first argument (or second).
GLUE_CALLS = {
    "glue_figure": 0,
    "glue_number": 0,
    "glue_text": 0,
    "glue_count": 0,
    "glue_rank": 0,
    "glue_latest": 0,
    "outside.glue_value": 0,
    "outside.glue_row": 0,
    "glue": 0,
}
#: Imports a chapter may have: the chapter API, and the two libraries a custom frame or
#: chart needs.
ALLOWED_IMPORTS = {"ictstory.story", "pandas", "altair", "math"}
#: A string typed in code that reads as words for a reader: three words or more.
PROSE = re.compile(r"^[^\W\d_]{2,}(?:[ ,;:'’()]+[^\W\d_]+){2,}[.!?]?$")
#: ... unless it is a Vega expression, a format, a CSS or a path.
NOT_PROSE = re.compile(r"datum|[=<>{}\[\]/\\%|]|^\w+:\w")


@dataclass
class PageReport:
    """What :func:`measure` finds in one page."""

    path: str
    setup_lines: int = 0
    glue_distances: list[int] = field(default_factory=list)
    glued_far: list[str] = field(default_factory=list)
    vietnamese_lines: list[int] = field(default_factory=list)
    tr_calls: list[int] = field(default_factory=list)
    prose_strings: list[tuple[int, str]] = field(default_factory=list)
    other_imports: list[tuple[int, str]] = field(default_factory=list)

    @property
    def median_distance(self) -> float:
        return statistics.median(self.glue_distances) if self.glue_distances else 0.0


def _call_name(node: ast.expr) -> str:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts)).removeprefix("st.")


def _cell_spans(text: str) -> list[tuple[int, int, str]]:
    """(first code line, line after the closing fence, code) of each code cell (1-based)."""
    spans = []
    for first, code in code_cells(text):
        spans.append((first, first + len(code.splitlines()) + 1, code))
    return spans


def measure(path: Path, root: Path) -> PageReport:
    """The chapter-API measures of one page."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    report = PageReport(path.relative_to(root).as_posix())
    spans = _cell_spans(text)
    if not spans:
        return report
    report.setup_lines = len([ln for ln in spans[0][2].splitlines() if ln.strip()])
    for index, (first, end, code) in enumerate(spans):
        next_cell = spans[index + 1][0] if index + 1 < len(spans) else len(lines) + 1
        for offset, line in enumerate(code.splitlines()):
            if VIETNAMESE.search(line):
                report.vietnamese_lines.append(first + offset)
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            line_no = first + getattr(node, "lineno", 1) - 1
            if isinstance(node, ast.Call):
                name = _call_name(node.func)
                if name == "tr":
                    report.tr_calls.append(line_no)
                position = GLUE_CALLS.get(name)
                if position is not None and len(node.args) > position:
                    arg = node.args[position]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        use = _first_use(lines, arg.value, end)
                        if use is not None:
                            report.glue_distances.append(use - line_no)
                            if use > next_cell:
                                report.glued_far.append(arg.value)
            elif isinstance(node, ast.Import | ast.ImportFrom):
                names = (
                    [alias.name for alias in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                for name in names:
                    if name not in ALLOWED_IMPORTS:
                        report.other_imports.append((line_no, name))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                value = node.value.strip()
                if PROSE.match(value) and not NOT_PROSE.search(value):
                    report.prose_strings.append((line_no, value))
    return report


def _first_use(lines: list[str], name: str, after: int) -> int | None:
    pattern = re.compile(r"\{glue(?::\w+)?\}`" + re.escape(name) + r"(?::[^`]*)?`")
    for number in range(after, len(lines) + 1):
        if pattern.search(lines[number - 1]):
            return number
    return None


def reports(root: Path | None = None) -> list[PageReport]:
    """:func:`measure` of every page of both editions that has code."""
    root = root or project_root()
    found = []
    for pattern in CHAPTER_GLOBS:
        for path in sorted(root.glob(pattern)):
            report = measure(path, root)
            if report.setup_lines:
                found.append(report)
    return found


def main() -> int:
    """Print the measures, one page a line, and the totals."""
    rows = reports()
    print(f"{'page':42} setup  glue-median  far  vi-lines  tr(  prose  imports")
    for r in rows:
        print(
            f"{r.path:42} {r.setup_lines:5}  {r.median_distance:11.0f}  {len(r.glued_far):3}  "
            f"{len(r.vietnamese_lines):8}  {len(r.tr_calls):3}  {len(r.prose_strings):5}  "
            f"{len(r.other_imports):7}"
        )
    every = [d for r in rows for d in r.glue_distances]
    print(
        f"max setup {max(r.setup_lines for r in rows)}; glue-to-use median "
        f"{statistics.median(every) if every else 0:.0f} lines; Vietnamese code lines "
        f"{sum(len(r.vietnamese_lines) for r in rows)}; tr( {sum(len(r.tr_calls) for r in rows)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
