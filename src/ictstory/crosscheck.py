"""Checks across cells and tables that Frictionless cannot express.

They run after Frictionless and the cell checks found nothing, so every table
reads with its declared types. Each returns :class:`~ictstory.data.DataProblem`
records naming file, line and column.

* A field with the custom property ``"itemsReference": {"resource": R, "field":
  F, "separator": S}`` holds a list of values of field F of table R.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ictstory.data import DataProblem


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) for each record; line 1 is the header."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            yield reader.line_num, row


def _column(descriptor: dict[str, Any], base: Path, resource: str, field: str) -> set[str]:
    spec = next(r for r in descriptor["resources"] if r["name"] == resource)
    return {row.get(field, "") for _, row in _rows(base / spec["path"])}


def list_references(descriptor: dict[str, Any], base: Path) -> list[DataProblem]:
    """Every item of an ``itemsReference`` list must exist in the table it names."""
    problems: list[DataProblem] = []
    for spec in descriptor["resources"]:
        for field in spec["schema"]["fields"]:
            ref = field.get("itemsReference")
            if not ref:
                continue
            known = _column(descriptor, base, ref["resource"], ref["field"])
            separator = ref.get("separator", ";")
            for line, row in _rows(base / spec["path"]):
                items = [i.strip() for i in (row.get(field["name"]) or "").split(separator)]
                for item in (i for i in items if i):
                    if item not in known:
                        problems.append(
                            DataProblem(
                                f"data/{spec['path']}",
                                "unknown reference",
                                f"{item!r} is not a {ref['field']} in data/"
                                f"{ref['resource']}.csv; list existing values separated by "
                                f"{separator!r}",
                                line,
                                field["name"],
                            )
                        )
    return problems


def package_problems(descriptor: dict[str, Any], base: Path) -> list[DataProblem]:
    """All cross-checks, in table order."""
    return list_references(descriptor, base)
