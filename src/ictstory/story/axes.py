"""One measure per axis: a chart may not put unlike things on one scale.

Each row a chart draws from the figures or the outside series carries its
``indicator``; ``data/measures.csv`` says what that indicator counts (its
*measure*) and how the count relates to time (its *kind of period*: flow,
cumulative, stock, change, rate, rank). :func:`check` walks a chart's Vega-Lite
spec, finds every quantitative position scale (x or y) with the rows drawn on
it, and refuses a scale that would carry two measures, two kinds of period or
two units, naming the figures. Panels separate them: a concatenated panel has
its own scales, and so has each cell of a facet whose scale is resolved
``independent``; layers share theirs unless resolved ``independent``.

Rows with neither ``indicator`` nor ``figure_id`` (events, documents, tiles)
are not measures and are not checked.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from functools import cache
from typing import Any, NamedTuple

import altair as alt

from ictstory.data import load_table
from ictstory.data.vocabulary import slug
from ictstory.story.words import word

#: Position channels and the channel whose scale each shares.
CHANNELS = {"x": "x", "x2": "x", "y": "y", "y2": "y"}
CONCATS = ("hconcat", "vconcat", "concat")
FACET_CHANNELS = ("row", "column", "facet")


class UnlikeMeasures(ValueError):
    """A chart would draw unlike measures on one axis."""


class Key(NamedTuple):
    """What a scale may carry one of: measure, kind of period and unit."""

    measure: str
    period_kind: str
    unit: str


@cache
def _measures() -> dict[str, tuple[str, str]]:
    table = load_table("measures")
    return {
        str(i): (str(m), str(k))
        for i, m, k in zip(table["indicator"], table["measure"], table["period_kind"], strict=True)
    }


def measure_of(indicator: str) -> tuple[str, str]:
    """(measure, kind of period) of an indicator, from ``data/measures.csv``."""
    try:
        return _measures()[indicator]
    except KeyError:
        raise KeyError(
            f"indicator {indicator!r} has no row in data/measures.csv: say what it counts"
        ) from None


def measure_words(measure: str) -> str:
    """The words of a measure in the edition's language ("text messages", "tin nhắn")."""
    return word(f"measure.{slug(measure)}")


def period_kind_words(kind: str) -> str:
    """The words of a kind of period ("cumulative to date", "luỹ kế đến thời điểm")."""
    return word(f"period-kind.{slug(kind)}")


def key_of(row: dict[str, Any]) -> Key | None:
    """The :class:`Key` of a drawn row, or None for a row that is not a measure."""
    indicator = row.get("indicator")
    if not isinstance(indicator, str) or not indicator:
        if row.get("figure_id") not in (None, ""):
            raise UnlikeMeasures(
                f"row {row.get('figure_id')!r} is drawn without its indicator: keep the "
                "figures' indicator column in the chart's rows (it says what the value measures)"
            )
        return None
    measure, kind = measure_of(indicator)
    unit = row.get("unit")
    return Key(measure, kind, unit if isinstance(unit, str) else "")


def _rows(node: dict[str, Any], datasets: dict[str, list[dict]]) -> list[dict] | None:
    data = node.get("data")
    if not isinstance(data, dict):
        return None
    if "values" in data and isinstance(data["values"], list):
        return data["values"]
    name = data.get("name")
    return datasets.get(name) if isinstance(name, str) else None


def _facet_fields(node: dict[str, Any]) -> list[str]:
    facet = node.get("facet")
    fields: list[str] = []
    if isinstance(facet, dict):
        parts = [facet[c] for c in FACET_CHANNELS if c in facet] or [facet]
        fields = [p["field"] for p in parts if isinstance(p, dict) and "field" in p]
    encoding = node.get("encoding") or {}
    fields += [
        encoding[c]["field"]
        for c in FACET_CHANNELS
        if isinstance(encoding.get(c), dict) and "field" in encoding[c]
    ]
    return fields


def _scales(
    node: dict[str, Any],
    datasets: dict[str, list[dict]],
    rows: list[dict] | None,
    encoding: dict[str, Any],
    scopes: dict[str, tuple],
    counter: Iterator[int],
) -> Iterator[tuple[tuple, list[dict]]]:
    """(scale id, rows drawn on it) for every quantitative position scale of ``node``."""
    rows = _rows(node, datasets) or rows
    resolve = (node.get("resolve") or {}).get("scale") or {}
    fields = _facet_fields(node)
    if fields:  # a facet: one scale, or one per cell when resolved independent
        for channel in ("x", "y"):
            if resolve.get(channel) == "independent":
                scopes = scopes | {channel: (*scopes[channel], "facet", next(counter))}
        inner = node.get("spec") or {k: v for k, v in node.items() if k != "facet"}
        inner_encoding = {k: v for k, v in (inner.get("encoding") or {}).items()}
        for c in FACET_CHANNELS:
            inner_encoding.pop(c, None)
        inner = inner | {"encoding": inner_encoding}
        if "data" in inner and inner is not node.get("spec"):
            inner.pop("data")
        independent = {c for c in ("x", "y") if resolve.get(c) == "independent"}
        if not independent:
            yield from _scales(inner, datasets, rows, encoding, scopes, counter)
            return
        cells: dict[tuple, list[dict]] = {}
        for row in rows or []:
            cells.setdefault(tuple(str(row.get(f)) for f in fields), []).append(row)
        for cell, part in cells.items():
            cell_scopes = {
                c: (*scopes[c], "cell", cell) if c in independent else scopes[c] for c in scopes
            }
            yield from _scales(inner, datasets, part, encoding, cell_scopes, counter)
        return
    encoding = encoding | (node.get("encoding") or {})
    if "mark" in node:
        for channel, scale in CHANNELS.items():
            spec = encoding.get(channel)
            if isinstance(spec, dict) and spec.get("type") == "quantitative" and "field" in spec:
                if spec.get("aggregate") is None:
                    yield (scopes[scale], rows or [])
        return
    if "layer" in node:
        for child in node["layer"]:
            own = {
                c: (*scopes[c], "layer", next(counter))
                if resolve.get(c) == "independent"
                else scopes[c]
                for c in scopes
            }
            yield from _scales(child, datasets, rows, encoding, own, counter)
        return
    for key in CONCATS:
        for child in node.get(key) or []:
            own = {
                c: scopes[c] if resolve.get(c) == "shared" else (*scopes[c], key, next(counter))
                for c in scopes
            }
            yield from _scales(child, datasets, rows, {}, own, counter)


def _describe(key: Key, ids: list[str]) -> str:
    unit = f", {key.unit}" if key.unit else ""
    return (
        f"{measure_words(key.measure)} ({key.measure}; {key.period_kind}{unit}): "
        + ", ".join(ids)
    )


def unlike(chart: alt.TopLevelMixin | dict[str, Any]) -> list[dict[Key, list[str]]]:
    """Every scale of ``chart`` that carries more than one :class:`Key`: for each, the
    keys with the figures (or indicators) drawn under each."""
    # not validated here: the chart's page block validates its spec (charts._block)
    spec = chart if isinstance(chart, dict) else chart.to_dict(validate=False)
    datasets = spec.get("datasets") or {}
    by_scale: dict[tuple, dict[Key, list[str]]] = {}
    for scale, rows in _scales(
        spec, datasets, None, {}, {"x": ("x",), "y": ("y",)}, itertools.count()
    ):
        found = by_scale.setdefault(scale, {})
        for row in rows:
            key = key_of(row)
            if key is None:
                continue
            name = str(row.get("figure_id") or row.get("indicator"))
            names = found.setdefault(key, [])
            if name not in names:
                names.append(name)
    return [found for found in by_scale.values() if len(found) > 1]


def check(chart: alt.TopLevelMixin | dict[str, Any], chart_id: str = "") -> None:
    """Refuse a chart whose axis would carry unlike measures, naming the figures.

    One axis, one measure: the same thing counted, the same kind of period, the
    same unit. Put each measure in a panel of its own (``st.measure_bars``) or show
    the values as key numbers (``st.key_numbers``)."""
    faults = unlike(chart)
    if not faults:
        return
    lines = []
    for found in faults:
        lines.append("; ".join(_describe(key, ids) for key, ids in found.items()))
    name = f"chart {chart_id!r}" if chart_id else "a chart"
    raise UnlikeMeasures(
        f"{name} puts unlike measures on one axis (data/measures.csv): "
        + " | ".join(lines)
        + ". One axis, one measure: give each its own panel (st.measure_bars, a facet with "
        "independent scales) or show them as key numbers (st.key_numbers)."
    )
