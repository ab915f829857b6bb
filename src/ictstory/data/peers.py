"""Rules of the peer tables (``data/peers_*.csv``) that the descriptor cannot express.

The peer comparison follows the outside series' rules
(:func:`ictstory.data.outside_problems`): a source is a web page or a data file in a
repository, never both or neither; a value has its indicator's unit; an older vintage
names, in ``superseded_by``, the newest row of the same indicator, area and year.
A value is also for a year the table covers (2016-2022) and carries the source's words.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ictstory.data.problems import DataProblem

RESOURCES = ("peers_areas", "peers_sources", "peers_series")
#: The years the comparison may hold: the story's six years and the 2022 survey.
YEARS = range(2016, 2023)


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line, row) of every record of a CSV file; line 1 is the header."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(enumerate(csv.DictReader(handle), start=2))


def _source_problems(path: str, rows: list[tuple[int, dict[str, str]]]) -> list[DataProblem]:
    found = []
    for line, row in rows:
        repo = [row.get(c, "") for c in ("repository", "repository_path", "commit")]
        if bool(row.get("url")) == any(repo):
            detail = (
                "give either a url or a repository with its path and commit, not both or neither"
            )
            found.append(DataProblem(path, "rule broken", detail, line, "url"))
        elif any(repo) and not all(repo):
            detail = "a data file needs repository, repository_path and commit"
            found.append(DataProblem(path, "rule broken", detail, line, "repository"))
        if (row.get("page_kind") == "data_file") != any(repo):
            detail = "page_kind is data_file exactly when the source is a file in a repository"
            found.append(DataProblem(path, "rule broken", detail, line, "page_kind"))
    return found


def _series_problems(
    path: str, rows: list[tuple[int, dict[str, str]]], units: dict[str, str]
) -> list[DataProblem]:
    found = []
    by_id = {r["peer_id"]: r for _, r in rows}
    for line, row in rows:
        expected = units.get(row["indicator"])
        if expected is not None and row["unit"] != expected:
            detail = (
                f"unit {row['unit']!r} is not the unit of indicator "
                f"{row['indicator']!r} ({expected!r})"
            )
            found.append(DataProblem(path, "rule broken", detail, line, "unit"))
        if row["year"].isdigit() and int(row["year"]) not in YEARS:
            detail = f"year {row['year']} is outside {YEARS.start}-{YEARS.stop - 1}"
            found.append(DataProblem(path, "rule broken", detail, line, "year"))
        if row["excerpt"].strip() == "":
            found.append(
                DataProblem(
                    path, "rule broken", "every value needs the source's words", line, "excerpt"
                )
            )
        newer = by_id.get(row.get("superseded_by") or "")
        if newer is None:
            continue  # blank, or an unknown id (the foreign key reports it)
        key = ("indicator", "area", "year")
        if newer is row:
            detail = "a row cannot supersede itself"
        elif tuple(newer[k] for k in key) != tuple(row[k] for k in key):
            detail = (
                f"{newer['peer_id']} is {newer['indicator']} {newer['area']} {newer['year']}, "
                f"not {row['indicator']} {row['area']} {row['year']}"
            )
        elif newer.get("superseded_by"):
            detail = f"{newer['peer_id']} is itself superseded; name the newest row"
        else:
            continue
        found.append(DataProblem(path, "rule broken", detail, line, "superseded_by"))
    return found


def problems(descriptor: dict, base: Path) -> list[DataProblem]:
    """What breaks the peer tables' rules, each naming file, line and column."""
    paths = {r["name"]: r["path"] for r in descriptor["resources"]}
    if not {*RESOURCES, "outside_indicators"} <= paths.keys():
        return []
    found = _source_problems(f"data/{paths['peers_sources']}", _rows(base / paths["peers_sources"]))
    units = {r["indicator"]: r["unit"] for _, r in _rows(base / paths["outside_indicators"])}
    series_path = f"data/{paths['peers_series']}"
    found += _series_problems(series_path, _rows(base / paths["peers_series"]), units)
    return found
