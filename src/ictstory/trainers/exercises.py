"""The chapters' "Try it" exercises and their solutions, run.

A "Try it" is a ``tip`` admonition in the chapter: the question, and a line saying
the solution is in the trainer's answer key. The solutions are trainer-only
(:mod:`ictstory.trainers.trainer`): the n-th Try-it of ``chapters/x.md`` and of its Vietnamese
twin has its Python code in ``trainer/solutions/x-<n>.py``, ending in an ``assert``
that checks the answer against the data. :func:`exercises` pairs a chapter's Try-its
with their solutions; :func:`run` executes one in the chapter's
context, as the book would: every code cell above it, then the solution, in a fresh
kernel in the edition's language. The tests run every solution; the answer key
prints their outputs.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ictstory.paths import project_root

#: A tip admonition (four colons or more) up to the fence that closes it.
ADMONITION = re.compile(
    r"^(?P<fence>:{4,})\{admonition\}[^\n]*\n:class: tip\n(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)


@dataclass(frozen=True)
class Exercise:
    """One "Try it" of a chapter: where it is and its solution's code."""

    chapter: Path  #: the chapter file, relative to the project
    number: int  #: 1 for the chapter's first exercise
    cell: int  #: index of the notebook cell holding it
    code: str  #: the solution, as written in ``trainer/solutions/``

    @property
    def language(self) -> str:
        return "vi" if self.chapter.parts[:1] == ("vi",) else "en"


def _notebook(path: Path):  # noqa: ANN202 (nbformat's NotebookNode)
    import jupytext

    return jupytext.read(path, fmt="md:myst")


def exercises(chapter: Path, root: Path | None = None) -> list[Exercise]:
    """Every "Try it" of ``chapter`` (a path relative to the project), in page order,
    with its solution from ``trainer/``.

    Raises ``ValueError`` when the chapter's Try-its and the solutions kept for it do
    not pair up one to one.
    """
    from ictstory.trainers.trainer import load

    root = root or project_root()
    cells = [
        index
        for index, cell in enumerate(_notebook(root / chapter).cells)
        if cell.cell_type == "markdown"
        for _ in ADMONITION.finditer(cell.source)
    ]
    solutions = load(chapter.stem, root).solutions
    if len(cells) != len(solutions):
        raise ValueError(
            f"{chapter}: {len(cells)} Try-it(s) but {len(solutions)} solution(s) in "
            f"trainer/{chapter.stem}.yml"
        )
    return [
        Exercise(chapter, s.number, cell, s.code) for cell, s in zip(cells, solutions, strict=True)
    ]


def notebook_for(exercise: Exercise, root: Path | None = None):  # noqa: ANN201
    """The chapter's code cells above the exercise, then its solution as the last cell."""
    import nbformat

    root = root or project_root()
    cells = _notebook(root / exercise.chapter).cells[: exercise.cell]
    code = [nbformat.v4.new_code_cell(c.source) for c in cells if c.cell_type == "code"]
    return nbformat.v4.new_notebook(cells=[*code, nbformat.v4.new_code_cell(exercise.code)])


def run(exercise: Exercise, root: Path | None = None, timeout: int = 300) -> list[dict[str, Any]]:
    """Execute the exercise in its chapter's context; the solution cell's outputs.

    Raises ``nbclient.exceptions.CellExecutionError`` when a cell fails, the solution's
    final ``assert`` included.
    """
    import nbclient

    from ictstory.kernelsockets import use_ipc

    root = root or project_root()
    notebook = notebook_for(exercise, root)
    env = {"ICTSTORY_LANG": exercise.language, "ICTSTORY_ROOT": str(root)}
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)  # the kernel inherits them
    try:
        client = nbclient.NotebookClient(
            notebook,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str((root / exercise.chapter).parent)}},
        )
        # sockets of its own: kernels started at once in parallel test workers never
        # share a TCP port (:mod:`ictstory.kernelsockets`)
        use_ipc(client.create_kernel_manager())
        client.execute()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return list(notebook.cells[-1].outputs)


def all_exercises(language: str, root: Path | None = None) -> list[Exercise]:
    """Every exercise of an edition, chapter by chapter in the order of the book."""
    from ictstory.editions import twins

    root = root or project_root()
    found: list[Exercise] = []
    for twin in twins(root):
        found += exercises(twin.vi if language == "vi" else twin.en, root)
    return found
