"""Large copies of ``data/`` for benchmarks and scale tests.

:func:`large_copy` copies the real data package to a folder and grows
``figures.csv`` to a given number of valid rows; :func:`break_cells` then spoils
cells so that validation has many problems to report. Used by ``tools/bench.py``
and ``tests/test_data_validation.py``::

    descriptor = large_copy(tmp / "data", 50_000)
    find_problems(descriptor)
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLE = "figures.csv"
#: Columns spoiled by :func:`break_cells`, with a value each one rejects.
BAD_CELLS = {"value": "n/a", "unit": "furlongs", "kind": "guessed", "period_start": "2020-13-45"}


def read_rows(path: Path) -> list[list[str]]:
    """Every row of a CSV file, header first."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    """Write rows as UTF-8 CSV with ``\\n`` line ends."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def large_copy(
    target: Path, rows: int, source: Path = ROOT / "data", new_series: bool = False
) -> Path:
    """Copy ``source`` to ``target`` with ``figures.csv`` grown to ``rows`` valid rows.

    The real rows stay first and unchanged (targets still find their progress
    figures); the new rows repeat them with fresh ids F1000, F1001, ... (a
    repeated derived row keeps its derivation over the real figures). With
    ``new_series`` the new rows belong to 200 new indicators ("bench_series_0"
    ...), as a fact base grown to provinces and years would, so the chapters'
    own charts are unchanged while whole-table pages see every row. Returns the
    descriptor path of the copy.
    """
    shutil.copytree(source, target)
    path = target / TABLE
    table = read_rows(path)
    header, real = table[0], table[1:]
    if rows < len(real):
        raise ValueError(f"rows must be at least {len(real)} (the real figures)")
    id_col, indicator_col = (header.index(c) for c in ("figure_id", "indicator"))
    grown = [header, *real]
    for n in range(rows - len(real)):
        row = list(real[n % len(real)])
        row[id_col] = f"F{1000 + n}"
        if new_series:
            row[indicator_col] = f"bench_series_{n % 200}"
        grown.append(row)
    write_rows(path, grown)
    return target / "datapackage.json"


def break_cells(descriptor: Path, count: int) -> int:
    """Spoil ``count`` cells of figures.csv, row by row over :data:`BAD_CELLS`.

    Each spoiled cell is one problem for the validator; returns ``count``.
    """
    path = descriptor.parent / TABLE
    table = read_rows(path)
    columns = [table[0].index(c) for c in BAD_CELLS]
    values = list(BAD_CELLS.values())
    capacity = (len(table) - 1) * len(columns)
    if count > capacity:
        raise ValueError(f"figures.csv has room for {capacity} broken cells, not {count}")
    for i in range(count):
        row, k = divmod(i, len(columns))
        table[1 + row][columns[k]] = values[k]
    write_rows(path, table)
    return count
