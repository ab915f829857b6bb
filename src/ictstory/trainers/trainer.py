"""Trainer-only material: notes on the discussion questions and the Try-it solutions.

None of it is in the chapters. It lives in the top-level folder ``trainer/``, which
the site never builds (``_config.yml`` excludes it) and which feeds only the answer
key (:mod:`ictstory.trainers.handouts`) and the exercise tests
(:mod:`ictstory.trainers.exercises`)::

    trainer/<chapter>.yml              the notes of chapters/<chapter>.md and its twin
                                       vi/chapters/<chapter>.md, in both languages, and
                                       each Try-it's solution file with its answer in words
    trainer/solutions/<chapter>-<n>.py the n-th Try-it's solution, the same code for both
                                       editions, run after the chapter's code cells

In the chapter each Try-it keeps its question and ends with :data:`POINTER`. The book
refuses to build a page that carries any of this text (:func:`leaks`, called from
:mod:`ictstory.site.sphinx_ext`), and the tests scan the published site for
:func:`secret_snippets`.
"""

from __future__ import annotations

import ast
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ictstory.paths import project_root

FOLDER = "trainer"
LANGUAGES = ("en", "vi")
#: What a chapter says where a Try-it's solution used to be.
POINTER = {
    "en": "*The solution is in the trainer's answer key.*",
    "vi": "*Lời giải có trong đáp án dành cho giảng viên.*",
}
#: Sentences and code lines shorter than this are too common to be a sign of a leak.
MIN_SNIPPET = 25


@dataclass(frozen=True)
class Solution:
    """The solution of one Try-it."""

    chapter: str  #: ``postal``
    number: int  #: 1 for the chapter's first Try-it
    path: Path  #: its code, relative to the project (``trainer/solutions/postal-1.py``)
    code: str
    answer: dict[str, str]  #: language -> the answer in words (Markdown; may be empty)


@dataclass(frozen=True)
class Kit:
    """A chapter's trainer-only material."""

    chapter: str
    solutions: tuple[Solution, ...]
    notes: dict[str, tuple[str, ...]]  #: language -> one note (Markdown) per question


def folder(root: Path | None = None) -> Path:
    return (root or project_root()) / FOLDER


def load(chapter: str, root: Path | None = None) -> Kit:
    """The material of ``chapter`` (a chapter's file stem); empty when it has none.

    Raises ``ValueError`` when the file is malformed: a language missing, the two
    languages with different numbers of notes, a solution file that is not there.
    """
    import yaml

    root = root or project_root()
    path = folder(root) / f"{chapter}.yml"
    if not path.is_file():
        return Kit(chapter, (), {lang: () for lang in LANGUAGES})
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    solutions = []
    for number, entry in enumerate(data.get("exercises") or [], 1):
        code_path = folder(root) / entry["solution"]
        if not code_path.is_file():
            raise ValueError(f"{path.name}: no solution file {entry['solution']}")
        answer = entry.get("answer") or {}
        if answer and sorted(answer) != sorted(LANGUAGES):
            raise ValueError(f"{path.name}: answer {number} needs both {LANGUAGES}")
        solutions.append(
            Solution(
                chapter,
                number,
                code_path.relative_to(root),
                code_path.read_text(encoding="utf-8"),
                {lang: answer.get(lang, "") for lang in LANGUAGES},
            )
        )
    notes = data.get("notes") or {}
    by_language = {lang: tuple(notes.get(lang) or ()) for lang in LANGUAGES}
    if len({len(n) for n in by_language.values()}) != 1:
        counts = {lang: len(n) for lang, n in by_language.items()}
        raise ValueError(f"{path.name}: the languages have different numbers of notes {counts}")
    return Kit(chapter, tuple(solutions), by_language)


def kits(root: Path | None = None) -> list[Kit]:
    """The material of every chapter that has some, by chapter name."""
    return [load(p.stem, root) for p in sorted(folder(root).glob("*.yml"))]


#: Characters a page may show for what a source writes otherwise (smart quotes).
SAME = (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"'), ("…", "..."), ("*", ""), ("`", ""))


def normalize(text: str) -> str:
    """Text as compared for leaks: NFC, straight quotes, no Markdown emphasis or code
    marks, every run of white space one space (a page's text after Sphinx's smart
    quotes, a Markdown source and a PDF's extracted text all compare equal)."""
    text = unicodedata.normalize("NFC", text)
    for shown, written in SAME:
        text = text.replace(shown, written)
    return " ".join(text.split())


def _sentences(markdown: str) -> list[str]:
    pieces = re.split(r"(?<=[.?!;:])\s+", normalize(markdown))
    return [p for p in pieces if len(p) >= MIN_SNIPPET and len(p.split()) >= 5]


def _published_code(root: Path) -> str:
    """Every page's code cells, both editions (public code), normalized."""
    lines: list[str] = []
    pages = [*root.glob("*.md"), *root.glob("chapters/*.md"), *root.glob("vi/**/*.md")]
    for path in pages:
        text = path.read_text("utf-8")
        cells = re.findall(r"^```\{code-cell\}[^\n]*\n(.*?)^```", text, re.M | re.S)
        lines += [line.strip() for cell in cells for line in cell.splitlines()]
    return normalize("\n".join(lines))


def code_snippets(solution: Solution, root: Path | None = None) -> list[str]:
    """A solution's distinctive lines: its comments, its final ``assert`` and every line
    long enough that no page's code cell shares."""
    root = root or project_root()
    public = _published_code(root)
    last = ast.parse(solution.code).body[-1]
    final = set(solution.code.splitlines()[last.lineno - 1 : last.end_lineno])
    found = []
    for line in solution.code.splitlines():
        stripped = line.strip()
        always = stripped.startswith("#") or line in final
        distinctive = len(stripped) >= MIN_SNIPPET and normalize(stripped) not in public
        if (always and len(stripped) > 8) or distinctive:
            found.append(normalize(stripped))
    return list(dict.fromkeys(found))


def note_snippets(kit: Kit, language: str) -> list[str]:
    """The sentences of a chapter's notes and answers in one language."""
    texts = list(kit.notes[language]) + [s.answer[language] for s in kit.solutions]
    return [s for text in texts for s in _sentences(text)]


def secret_snippets(root: Path | None = None, language: str | None = None) -> list[str]:
    """Every distinctive text of the trainer-only material, normalized (:func:`normalize`):
    the sentences of every note and answer, and the distinctive lines of every solution.
    No published file may contain one; ``language`` limits the prose to one edition."""
    root = root or project_root()
    found: list[str] = []
    for kit in kits(root):
        for lang in [language] if language else LANGUAGES:
            found += note_snippets(kit, lang)
        for solution in kit.solutions:
            found += code_snippets(solution, root)
    return list(dict.fromkeys(found))


@functools.cache
def _cached_snippets(root: Path) -> tuple[str, ...]:
    return tuple(secret_snippets(root))


def leaks(text: str, root: Path | None = None, snippets: list[str] | None = None) -> list[str]:
    """The trainer-only snippets found in ``text`` (any text: it is normalized here)."""
    if snippets is None:
        snippets = list(_cached_snippets((root or project_root()).resolve()))
    flat = normalize(text)
    return [s for s in snippets if s in flat]
