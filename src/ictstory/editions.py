"""The English and Vietnamese chapters, kept in step.

Each English page (``index.md``, ``chapters/<name>.md``) has a Vietnamese twin
(``vi/index.md``, ``vi/chapters/<name>.md``) with *the same code cells*, in the same
order: only the prose differs. Code writes text in both languages with
:func:`ictstory.i18n.tr` and numbers through :mod:`ictstory.story.prose`, so the two
editions cannot disagree on a number.

``python -m ictstory.editions check``  lists every way the twins differ (exit 1 if any)
``python -m ictstory.editions sync``   copies the English code cells into the Vietnamese
                                       files (after editing code in an English chapter)
``python -m ictstory.editions run vi/chapters/postal.md``  executes one chapter in its
                                       language and reports the first error
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ictstory.paths import project_root

VI_FOLDER = "vi"
LABEL = re.compile(r"^\(([\w-]+)\)=\s*$", re.MULTILINE)
GLUE = re.compile(r"\{glue(?::\w+)?\}`([^`]+)`")
CHART = re.compile(r"^[`:]{3,}\{chart\}[ \t]+(\S+)", re.MULTILINE)
REF = re.compile(r"\{(?:ref|numref|doc)\}`(?:[^`<]*<)?([^`>]+)>?`")


@dataclass(frozen=True)
class Twin:
    """One page of the book in both languages (paths relative to the project)."""

    en: Path
    vi: Path

    @property
    def docname(self) -> str:
        return self.en.with_suffix("").as_posix()


def _toc_files(path: Path) -> list[str]:
    """The pages a ``_toc.yml`` lists, root first ([] when there is no such file)."""
    import yaml

    if not path.is_file():
        return []
    toc = yaml.safe_load(path.read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part.get("chapters", [])]
    return files


def twins(root: Path | None = None) -> list[Twin]:
    """Every page of the English table of contents with its Vietnamese path."""
    root = root or project_root()
    files = _toc_files(root / "_toc.yml")
    return [Twin(Path(f"{name}.md"), Path(VI_FOLDER) / f"{name}.md") for name in files]


def _notebook(path: Path):  # noqa: ANN202 (nbformat's NotebookNode)
    import jupytext

    return jupytext.read(path, fmt="md:myst")


def code_cells(path: Path) -> list[str]:
    """The sources of a page's code cells, in order."""
    return [c.source for c in _notebook(path).cells if c.cell_type == "code"]


def prose(path: Path) -> str:
    """A page's Markdown cells, joined."""
    return "\n\n".join(c.source for c in _notebook(path).cells if c.cell_type == "markdown")


def _first_difference(a: str, b: str) -> str:
    for number, (left, right) in enumerate(zip(a.splitlines(), b.splitlines(), strict=False), 1):
        if left != right:
            return f"line {number}: {left.strip()[:60]!r} (English) vs {right.strip()[:60]!r}"
    return "one has more lines than the other"


def problems(root: Path | None = None) -> list[str]:
    """Every way a Vietnamese page differs from its English twin but in prose."""
    root = root or project_root()
    found: list[str] = []
    vi_toc = root / VI_FOLDER / "_toc.yml"
    if _toc_files(vi_toc) != _toc_files(root / "_toc.yml"):
        found.append(f"{VI_FOLDER}/_toc.yml: not the same pages as _toc.yml, in the same order")
    for twin in twins(root):
        en, vi = root / twin.en, root / twin.vi
        if not vi.is_file():
            found.append(f"{twin.vi}: missing (the Vietnamese twin of {twin.en})")
            continue
        en_code, vi_code = code_cells(en), code_cells(vi)
        if len(en_code) != len(vi_code):
            found.append(
                f"{twin.vi}: {len(vi_code)} code cells, {twin.en} has {len(en_code)} "
                "(the code cells must be the same, in the same order)"
            )
        for number, (a, b) in enumerate(zip(en_code, vi_code, strict=False), 1):
            if a != b:
                found.append(
                    f"{twin.vi}: code cell {number} differs from {twin.en}, "
                    f"{_first_difference(a, b)} (run `python -m ictstory.editions sync`)"
                )
        en_text, vi_text = en.read_text(encoding="utf-8"), vi.read_text(encoding="utf-8")
        for what, pattern in (
            ("labels", LABEL),
            ("glued values", GLUE),
            ("references", REF),
            ("charts", CHART),
        ):
            left, right = set(pattern.findall(en_text)), set(pattern.findall(vi_text))
            if left != right:
                only_en = ", ".join(sorted(left - right)) or "-"
                only_vi = ", ".join(sorted(right - left)) or "-"
                found.append(
                    f"{twin.vi}: {what} differ from {twin.en}: only in English {only_en}; "
                    f"only in Vietnamese {only_vi}"
                )
    return found


CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n.*?^```[ \t]*$", re.MULTILINE | re.DOTALL)


def sync(root: Path | None = None) -> list[Path]:
    """Copy each English page's code cells, as written, into its Vietnamese twin;
    returns the files changed. The prose and the front matter are left as they are.
    A twin with another number of code cells is reported and left alone."""
    root = root or project_root()
    changed: list[Path] = []
    for twin in twins(root):
        en, vi = root / twin.en, root / twin.vi
        if not vi.is_file():
            continue
        source = CODE_CELL.findall(en.read_text(encoding="utf-8"))
        text = vi.read_text(encoding="utf-8")
        targets = CODE_CELL.findall(text)
        if len(targets) != len(source) or len(source) != len(code_cells(en)):
            raise SystemExit(
                f"{twin.vi} has {len(targets)} code cells and {twin.en} {len(source)}: "
                "add or remove cells in the Vietnamese file by hand first"
            )
        cells = iter(source)
        updated = CODE_CELL.sub(lambda _match, cells=cells: next(cells), text)
        if updated != text:
            vi.write_text(updated, encoding="utf-8")
            changed.append(twin.vi)
    return changed


def run(path: Path, language: str | None = None) -> int:
    """Execute one page as the build would, in its edition's language; 0 when it ran."""
    import nbclient

    root = project_root()
    path = path.resolve()
    language = language or ("vi" if path.relative_to(root).parts[:1] == (VI_FOLDER,) else "en")
    os.environ["ICTSTORY_LANG"] = language
    notebook = _notebook(path)
    client = nbclient.NotebookClient(
        notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": path.parent}}
    )
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as error:
        print(f"{path.relative_to(root)} ({language}): {error}", file=sys.stderr)
        return 1
    print(f"{path.relative_to(root)} ({language}): every cell ran")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("command", choices=["check", "sync", "run"])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--lang", choices=["en", "vi"])
    args = parser.parse_intermixed_args(argv)
    if args.command == "check":
        found = problems()
        for line in found:
            print(line)
        print(f"{len(found)} difference(s) between the editions" if found else "editions in step")
        return 1 if found else 0
    if args.command == "sync":
        for path in sync():
            print(f"updated {path}")
        return 0
    return max((run(path, args.lang) for path in args.paths), default=0)


if __name__ == "__main__":
    raise SystemExit(main())
