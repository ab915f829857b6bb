"""What a check of ``data/`` reports: one problem, and the error that lists them all.

Every checker (:mod:`ictstory.data`, :mod:`ictstory.data.crosscheck`,
:mod:`ictstory.data.datafiles`, :mod:`ictstory.data.chapterrefs`,
:mod:`ictstory.data.textrefs`) reports in these terms; none imports another for them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DataProblem:
    """One problem found in one table."""

    path: str
    kind: str
    detail: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [self.path]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.kind}: {self.detail}"


class DataValidationError(ValueError):
    """Raised when ``data/`` does not match its descriptor; lists every problem."""

    def __init__(self, problems: list[DataProblem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(
            f"{len(problems)} problem(s) in data/ (line 1 of each CSV is its header):\n"
            f"{lines}{more}"
        )
