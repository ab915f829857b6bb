"""One way for a chapter to show a chart: :func:`show`.

The output on the page is only markup, the chart's Vega-Lite spec (with its
data) as JSON, a source line and a text alternative; the Vega libraries are
shipped once per page by :mod:`ictstory.sphinx_ext` and
``static/ictstory-charts.js`` renders every chart, in light or dark mode.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

import altair as alt
import pandas as pd

from ictstory.data import load_table
from ictstory.theme import register_theme, theme_config

register_theme()

#: Wrap chart titles so they fit a 375 px phone screen.
TITLE_WIDTH = 36

TABLE_ROWS = 40
TABLE_COLUMNS = ["figure_id", "label_en", "period", "value", "unit", "kind", "source_id"]


def provenance_tooltip(value_format: str = ",.10~g") -> list[alt.Tooltip]:
    """Tooltip fields every chart of figures carries: what, when, how much, kind, source."""
    return [
        alt.Tooltip("label_en:N", title="Indicator"),
        alt.Tooltip("period:N", title="Period"),
        alt.Tooltip("value:Q", title="Value", format=value_format),
        alt.Tooltip("unit:N", title="Unit"),
        alt.Tooltip("kind:N", title="Kind of value"),
        alt.Tooltip("source_id:N", title="Source document"),
        alt.Tooltip("excerpt:N", title="Source says"),
        alt.Tooltip("figure_id:N", title="Figure id"),
    ]


class ChartHTML:
    """A rendered chart block; Jupyter and myst-nb display it through ``_repr_html_``."""

    def __init__(self, markup: str, spec: dict[str, Any]) -> None:
        self.markup = markup
        self.spec = spec

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return f"<ChartHTML {self.spec.get('description', '')[:60]!r}>"


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, TITLE_WIDTH) or [text]


def _frames(chart: alt.TopLevelMixin) -> Iterable[pd.DataFrame]:
    """Every DataFrame attached to a chart or its layers and sub-charts."""
    data = getattr(chart, "data", None)
    if isinstance(data, pd.DataFrame):
        yield data
    for attr in ("layer", "hconcat", "vconcat", "concat"):
        for sub in getattr(chart, attr, None) or []:
            yield from _frames(sub)
    spec = getattr(chart, "spec", None)
    if spec is not None and not isinstance(spec, dict) and spec is not alt.Undefined:
        yield from _frames(spec)


def source_label(source_id: str) -> str:
    """One document by title, date and id: "… (6 Jul 2020; document 001_…)"."""
    sources = load_table("sources").set_index("source_id")
    if source_id not in sources.index:
        raise KeyError(f"unknown source id {source_id!r}: not in data/sources.csv")
    row = sources.loc[source_id]
    return f"{row['title_en']} ({row['event_date']:%-d %b %Y}; document {source_id})"


def source_line(source_ids: Iterable[str]) -> str:
    """'Source: …' naming each document by title, date and id."""
    parts = [source_label(sid) for sid in sorted(set(source_ids))]
    label = "Source" if len(parts) == 1 else "Sources"
    return f"{label}: " + "; ".join(parts) + "."


def _data_table(frames: Sequence[pd.DataFrame]) -> str:
    """A small HTML table of the charted figures, for screen readers and print."""
    tables = [f for f in frames if "figure_id" in f.columns]
    if not tables:
        return ""
    rows = pd.concat(tables, ignore_index=True)
    if rows.empty:
        return ""
    cols = [c for c in TABLE_COLUMNS if c in rows.columns]
    rows = rows[cols].drop_duplicates()
    total = len(rows)
    rows = rows.head(TABLE_ROWS)
    head = "".join(f"<th scope='col'>{html.escape(c.replace('_', ' '))}</th>" for c in cols)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in r) + "</tr>"
        for r in rows.itertuples(index=False)
    )
    more = (
        f"<p>First {TABLE_ROWS} of {total} rows; all are in <code>data/figures.csv</code>.</p>"
        if total > TABLE_ROWS
        else ""
    )
    return (
        f"<table class='ictstory-chart__table'><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>{more}"
    )


def config_delta(config: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """The part of a chart's config that differs from the site theme (shipped once per page)."""
    delta: dict[str, Any] = {}
    for key, value in config.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            sub = config_delta(value, base[key])
            if sub:
                delta[key] = sub
        elif base.get(key, object()) != value:
            delta[key] = value
    return delta


def _mentioned(column: str, spec_json: str) -> bool:
    """Whether the spec uses a column: as a string value (not a key) or in an expression."""
    name = re.escape(column)
    as_value = rf'"{name}"(?=\s*[,\]}}])'
    in_expression = rf"datum\.{name}\b|datum\[\\?[\"']{name}"
    return re.search(f"{as_value}|{in_expression}", spec_json) is not None


def _trim_datasets(spec: dict[str, Any]) -> dict[str, Any]:
    """Drop dataset columns the spec never mentions (keeps pages small)."""
    datasets = spec.get("datasets") or {}
    rest = json.dumps({k: v for k, v in spec.items() if k != "datasets"})
    for name, rows in datasets.items():
        used = {col for row in rows[:1] for col in row if _mentioned(col, rest)}
        datasets[name] = [{k: v for k, v in row.items() if k in used} for row in rows]
    return spec


def spec_json(spec: dict[str, Any]) -> str:
    """Standard JSON of a chart spec; a non-finite number is an error, not ``Infinity``."""
    try:
        return json.dumps(
            spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
    except ValueError as error:
        raise ValueError(
            f"chart {spec.get('description', '')[:60]!r} holds a number that is not finite "
            "(inf or NaN); check the rows it charts in data/"
        ) from error


def script_safe(payload: str) -> str:
    """JSON that cannot end or confuse the ``<script>`` element holding it."""
    return payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.10g}"
    return "" if pd.isna(value) else str(value)


def show(
    chart: alt.TopLevelMixin,
    *,
    alt_text: str,
    source_ids: Iterable[str] | None = None,
) -> ChartHTML:
    """The chart as a page block with title, source line, text alternative and data table.

    ``alt_text`` says in words what the chart shows (its finding and its data).
    The source line names every document in the chart's ``source_id`` column,
    plus any extra ``source_ids``.
    """
    title = chart.title if chart.title is not alt.Undefined else None
    if not title:
        raise ValueError("every chart needs a title that states its finding")
    if not alt_text or len(alt_text.strip()) < 20:
        raise ValueError("alt_text must describe what the chart shows (20 characters or more)")
    frames = list(_frames(chart))
    ids = set(source_ids or [])
    for frame in frames:
        if "source_id" in frame.columns:
            ids.update(frame["source_id"].dropna().astype(str))
    if not ids:
        raise ValueError("a chart must show where its numbers come from: no source_id found")
    if isinstance(title, str):
        chart = chart.properties(title=alt.Title(_wrap(title)))
    if isinstance(chart, alt.Chart | alt.LayerChart):
        if chart.width is alt.Undefined:
            chart = chart.properties(width="container")
    elif chart.autosize is alt.Undefined:  # concat, facet, repeat: "fit" cannot size them
        chart = chart.properties(autosize=alt.AutoSizeParams(type="pad"))
    spec = _trim_datasets(chart.properties(description=alt_text.strip()).to_dict())
    spec["config"] = config_delta(spec.get("config", {}), theme_config()["config"])
    payload = spec_json(spec)
    chart_id = hashlib.sha1(payload.encode()).hexdigest()[:12]
    safe_payload = script_safe(payload)
    alt_html = html.escape(alt_text.strip())
    markup = (
        f'<figure class="ictstory-chart" id="chart-{chart_id}">'
        f'<div class="ictstory-chart__view" role="img" aria-label="{alt_html}"></div>'
        f'<script type="application/json" class="ictstory-chart__spec">{safe_payload}</script>'
        f'<figcaption class="ictstory-chart__caption">'
        f'<p class="ictstory-chart__source">{html.escape(source_line(ids))}</p>'
        f'<details class="ictstory-chart__details"><summary>Text description and data</summary>'
        f'<p class="ictstory-chart__alt">{alt_html}</p>{_data_table(frames)}</details>'
        f"</figcaption></figure>"
    )
    return ChartHTML(markup, spec)
