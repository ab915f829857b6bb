"""Honest scales (issue 21): a rank or an index is never drawn on an axis narrowed
around its values, where a move of two places looks like a climb.

- A rank axis runs from 1 (the best, at the top) to at least :data:`RANK_FLOOR`, or
  to the worst rank drawn rounded up to the next ten: a move from 49th to 47th is
  then two places of fifty.
- An index or a score with a published range (``index 0-1``, ``score 0-100``) is
  drawn on its whole range.

tests/test_rank_scales.py checks every chart of both editions against these rules.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import altair as alt

#: The shortest rank axis: 1 to 50.
RANK_FLOOR = 50
#: Units with a published range, and that range.
PUBLISHED_RANGES: dict[str, tuple[float, float]] = {
    "index 0-1": (0.0, 1.0),
    "score 0-100": (0.0, 100.0),
}


def rank_top(values: Iterable[float]) -> int:
    """The last rank of an axis of these ranks: :data:`RANK_FLOOR`, or the worst rank
    rounded up to the next ten."""
    worst = max((float(v) for v in values if v == v), default=1.0)  # v == v: not NaN
    return max(RANK_FLOOR, int(math.ceil(worst / 10) * 10))


def rank_scale(values: Iterable[float]) -> alt.Scale:
    """A rank axis: 1 at the top, down to :func:`rank_top`."""
    return alt.Scale(reverse=True, domain=[1, rank_top(values)], nice=False, zero=False)


def unit_scale(unit: str) -> alt.Scale | None:
    """The whole published range of an index or score unit, else None."""
    low_high = PUBLISHED_RANGES.get(unit)
    return alt.Scale(domain=list(low_high), nice=False) if low_high else None
