"""What each indicator measures: ``data/measures.csv``, one row per indicator.

A figure's unit says how its value is written ("million", "VND billion"); its
measure says what is counted ("text messages", "SIM cards", "donations pledged")
and its kind of period how the count relates to time: ``flow`` in the period,
``cumulative`` to date, ``stock`` at a date, ``change`` between two dates,
``rate`` (a share, growth rate, multiple or per-unit value) or ``rank``. Two
values share a chart's axis only when measure, kind of period and unit agree
(:mod:`ictstory.story.axes` enforces it).

``make data`` checks here what the descriptor cannot: every indicator of
``figures.csv``, ``targets.csv`` and ``outside_indicators.csv`` has its row, and
every row names an indicator one of them uses (the words of each measure and
kind of period are checked by :mod:`ictstory.data.vocabulary`).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import NamedTuple

from ictstory.data.problems import DataProblem

TABLE = "measures.csv"
#: Tables whose ``indicator`` column needs a row in ``measures.csv``.
USERS = ("figures.csv", "targets.csv", "outside_indicators.csv")


class Measure(NamedTuple):
    """What one indicator counts and how the count relates to time."""

    measure: str
    period_kind: str


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(enumerate(csv.DictReader(handle), start=2))


def read(data: Path) -> dict[str, Measure]:
    """Each indicator's :class:`Measure`, from ``data/measures.csv``."""
    return {
        row["indicator"]: Measure(row["measure"], row["period_kind"])
        for _, row in _rows(data / TABLE)
    }


def problems(data: Path) -> list[DataProblem]:
    """Indicators without a row in ``measures.csv`` (named by the table, line and
    column that uses them), and rows of ``measures.csv`` no table uses."""
    path = data / TABLE
    if not path.is_file():
        return []
    known = {row["indicator"]: line for line, row in _rows(path)}
    used: set[str] = set()
    found: list[DataProblem] = []
    for table in USERS:
        if not (data / table).is_file():
            continue
        for line, row in _rows(data / table):
            indicator = row.get("indicator") or ""
            if not indicator or indicator in used:
                used.add(indicator)
                continue
            used.add(indicator)
            if indicator not in known:
                detail = (
                    f"indicator {indicator!r} has no row in data/{TABLE}: add it with what it "
                    "counts (measure) and its kind of period"
                )
                found.append(
                    DataProblem(f"data/{table}", "measure missing", detail, line, "indicator")
                )
    for indicator, line in known.items():
        if indicator not in used:
            detail = f"indicator {indicator!r} is in no table of {', '.join(USERS)}: remove the row"
            found.append(DataProblem(f"data/{TABLE}", "measure unused", detail, line, "indicator"))
    return found
