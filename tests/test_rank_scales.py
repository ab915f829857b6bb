"""Honest scales (issue 21, point 6): a rank or index axis is never narrowed so that a
small move looks large.

The rule (:mod:`ictstory.story.scales`): a rank axis runs from 1 to at least
:data:`~ictstory.story.scales.RANK_FLOOR` and to at least the worst rank it draws; an
index or score with a published range (``index 0-1``, ``score 0-100``) is drawn on
that whole range. Checked on the chart forms (fast tier) and on the spec of every chart
of both built editions, where a rank axis is one whose scale is reversed (1 = best on
top or to the right) or whose rows are ranks.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import book_pages

import ictstory.story as st
from ictstory.data import load_table
from ictstory.story import outside
from ictstory.story.scales import PUBLISHED_RANGES, RANK_FLOOR, rank_top

Rows = list[dict[str, Any]]


def axes(
    spec: dict[str, Any], datasets: dict[str, Rows], rows: Rows
) -> Iterator[tuple[dict, Rows]]:
    """Every quantitative x or y encoding of a spec, its layers and panels, with the rows
    it draws (the dataset of the nearest ``data``)."""
    data = spec.get("data")
    if isinstance(data, dict) and data.get("name") in datasets:
        rows = datasets[data["name"]]
    elif isinstance(data, dict) and isinstance(data.get("values"), list):
        rows = data["values"]
    for channel in ("x", "y"):
        encoding = (spec.get("encoding") or {}).get(channel)
        if isinstance(encoding, dict) and encoding.get("type") == "quantitative":
            if isinstance(encoding.get("field"), str):
                yield encoding, rows
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for part in spec.get(key) or []:
            yield from axes(part, datasets, rows)
    if isinstance(spec.get("spec"), dict):
        yield from axes(spec["spec"], datasets, rows)


def scale_problems(spec: dict[str, Any], where: str) -> tuple[int, list[str]]:
    """How many rank or index axes a spec has, and what is dishonest about them."""
    checked, problems = 0, []
    for encoding, rows in axes(spec, spec.get("datasets") or {}, []):
        field, scale = encoding["field"], encoding.get("scale") or {}
        values = [r[field] for r in rows if isinstance(r.get(field), int | float)]
        units = {r.get("unit") for r in rows if r.get("unit") is not None}
        domain = scale.get("domain")
        if scale.get("reverse") or units == {"rank"}:
            checked += 1
            # a place among the countries compared (rows count them) runs 1..that count
            counts = [r["count"] for r in rows if isinstance(r.get("count"), int | float)]
            need = max(counts) if counts else max([RANK_FLOOR, *values])
            if not (isinstance(domain, list) and domain[0] <= 1 and domain[-1] >= need):
                problems.append(f"{where}: rank axis {field} on {domain}, needs 1..{need}")
        elif len(units) == 1 and (unit := units.pop()) in PUBLISHED_RANGES:
            checked += 1
            low, high = PUBLISHED_RANGES[unit]
            if not (isinstance(domain, list) and domain[0] <= low and domain[-1] >= high):
                problems.append(f"{where}: {unit} axis on {domain}, needs {low}..{high}")
    return checked, problems


# --- The chart forms (fast tier) -------------------------------------------------------


def _ranks(values: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "figure_id": [f"F9{i:02d}" for i in range(len(values))],
            "label_en": "rank",
            "label_vi": "hạng",
            "period": [str(2016 + i) for i in range(len(values))],
            "value": values,
            "unit": "rank",
            "kind": "reported",
            "source_id": "x",
            "excerpt": "",
        }
    )


@pytest.mark.parametrize(
    ("values", "top"), [([49, 47], 50), ([3, 2], 50), ([25, 86], 90), ([120, 130], 130)]
)
def test_rank_path_runs_from_first_to_fifty_or_the_worst(values: list[float], top: int) -> None:
    assert rank_top(values) == top
    spec = st.rank_path(_ranks(values), x_title="x").to_dict()
    assert [e["scale"]["domain"] for e, _ in axes(spec, {}, [])] == [[1, top]] * 3
    checked, problems = scale_problems(spec, "rank_path")
    assert (checked, problems) == (3, [])


def test_the_check_catches_a_narrowed_rank_axis() -> None:
    spec = st.rank_path(_ranks([49, 47]), x_title="x").to_dict()
    for encoding, _ in axes(spec, {}, []):
        encoding["scale"] = {"reverse": True, "zero": False}  # the old scale: 47..49
    assert len(scale_problems(spec, "old")[1]) == 3


def test_outside_ranks_and_indexes_are_drawn_on_honest_scales() -> None:
    units = load_table("outside_series").drop_duplicates("indicator").set_index("indicator")
    honest = [i for i, u in units["unit"].items() if u == "rank" or u in PUBLISHED_RANGES]
    charted = list(dict.fromkeys(outside.charted(outside.load(honest))["indicator"]))
    assert {"egdi_rank", "gci_rank"} <= set(charted)
    chart, _rows = outside.trajectory(charted)  # one panel per indicator
    checked, problems = scale_problems(chart.to_dict(), "outside")
    assert problems == []
    assert checked == 2 * len(charted)  # each panel: its line and its points


# --- Every chart of the book -----------------------------------------------------------


@pytest.mark.parametrize("edition", ["site", "site_vi"])
def test_every_rank_and_index_axis_of_the_book_is_honest(
    edition: str, request: pytest.FixtureRequest
) -> None:
    root: Path = request.getfixturevalue(edition)
    checked, problems, charts = 0, [], 0
    for page in book_pages(root):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for figure in soup.select("figure.ictstory-chart"):
            node = figure.select_one("script.ictstory-chart__spec")
            if node is None:
                continue
            charts += 1
            spec = json.loads(node.string or "{}")
            found, wrong = scale_problems(spec, f"{page.name} {figure.get('id')}")
            checked += found
            problems += wrong
    assert charts > 20
    # the postal UPU rank, the cybersecurity GCI ranks, the introduction's ranks ...
    assert checked >= 4
    assert problems == []
