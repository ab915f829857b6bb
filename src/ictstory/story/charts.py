"""One way for a chapter to show a chart: :func:`show`.

The output is markup: a static SVG of the chart (drawn with vl-convert when the
chapter runs, in the site's light theme), the chart's Vega-Lite spec (with its
data) as JSON, a source line and a text alternative. The static SVG is what
JupyterLab, VS Code, nbconvert's HTML, print and readers without JavaScript
see. In the book, the Vega libraries are shipped once per page by
:mod:`ictstory.site.sphinx_ext` and ``static/ictstory-charts.js`` replaces the SVG
with the interactive chart, in light or dark mode.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import os
import re
import textwrap
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

import altair as alt
import pandas as pd
import vl_convert

from ictstory.data import load_table
from ictstory.data.cellcheck import FORMULA_START
from ictstory.i18n import lang
from ictstory.story import axes, deps, marks
from ictstory.story.gloss import gloss_tooltip
from ictstory.story.sourcepage import document_date, excerpt_href, reader_name, source_href
from ictstory.story.theme import (
    KINDS,
    UNITS,
    locale_config,
    patch_kind_legends,
    register_theme,
    theme_config,
)
from ictstory.story.words import word

register_theme()

#: Wrap chart titles so they fit a 375 px phone screen.
TITLE_WIDTH = 36

#: Width of the static SVG of a chart sized to its container: the book's text
#: column on a desktop screen (charts drawn in the page are about 634 px wide).
#: Narrower screens scale the SVG down (viewBox); it is never scaled up.
STATIC_WIDTH = 640
#: Width of the phone's static drawing: about the text column of a 375 px phone, where it
#: shows its 12 px text at about its own size; the desktop drawing scaled down to a phone
#: would write 6 px text. Pages show it below :data:`PHONE_BREAK` px (``ictstory.css``);
#: elsewhere (JupyterLab, print) it stays ``hidden``.
PHONE_WIDTH = 340
#: Legends on a narrow chart take one column (``static/ictstory-charts.js`` NARROW).
NARROW = 520

TABLE_ROWS = 40
TABLE_COLUMNS = ["figure_id", "label_en", "period", "value", "unit", "kind", "source_id"]
TABLE_COLUMNS_VI = ["figure_id", "label_vi", "period", "value", "unit", "kind", "source_id"]
#: Heads of the chart's data table, for readers (English, Vietnamese): the words of the
#: chart's tooltips (:func:`provenance_tooltip`), never a column's name.
TABLE_HEADERS = {
    "figure_id": "column.figure_id",
    "label_en": "column.label",
    "label_vi": "column.label",
    "period": "column.period",
    "value": "column.value",
    "unit": "column.unit",
    "kind": "column.kind",
    "source_id": "column.source_id",
}

#: Columns that :func:`show` adds to a Vietnamese chart's rows for its tooltips:
#: the row's period, unit and kind in Vietnamese (see :func:`vi_columns`).
VI_COLUMNS = {"period": "period_vi", "unit": "unit_vi", "kind": "kind_vi"}


#: Longest slug of a chart's title used in its anchor and download names.
SLUG_LENGTH = 50
#: The charts shown in this process (one chapter's kernel): each chart's spec hash
#: to its number and slug, so that showing the same chart again keeps both.
_SHOWN: dict[str, tuple[int, str]] = {}
#: Columns of a chart's CSV download: what, when, how much, kind and source.
CSV_COLUMNS = ["figure_id", "label", "period", "value", "unit", "kind", "source_id", "source"]


def title_text(title: object) -> str:
    """A chart title (a string, its wrapped lines or a ``{"text": …}`` title) as one line."""
    if isinstance(title, dict):
        title = title.get("text", "")
    if isinstance(title, list | tuple):
        return " ".join(str(part).strip() for part in title)
    return "" if title is None else str(title).strip()


def slugify(text: str) -> str:
    """A chart title as an ASCII slug for anchors and file names: "Post kept growing"
    → ``post-kept-growing``; Vietnamese loses its marks ("Bưu chính" → ``buu-chinh``).

    Numbers are left out ("Users went from 53.0% to 74.2%" → ``users-went-from-to``):
    titles glue numbers from the data, and an anchor must not change with them."""
    text = re.sub(r"\d+(?:[.,]\d+)*(?:st|nd|rd|th)?\b", " ", text)
    text = re.sub(r"[^\w]+", " ", text.replace("đ", "d").replace("Đ", "D"))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(slug) > SLUG_LENGTH:
        slug = slug[:SLUG_LENGTH].rsplit("-", 1)[0]
    return slug or "chart"


def _number_and_slug(key: str, title: str, *, fixed: bool = False) -> tuple[int, str]:
    """The figure's number on its page and a slug unique on it (``-2``, ``-3`` on repeats);
    ``fixed``: ``title`` is the slug itself (a chart's stable id), never changed."""
    if key not in _SHOWN:
        base = title if fixed else slugify(title)
        if fixed and base in {slug for _, slug in _SHOWN.values()}:
            raise ValueError(f"chart id {base!r} is used twice in this chapter")
        taken = {slug for _, slug in _SHOWN.values()}
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        _SHOWN[key] = (len(_SHOWN) + 1, slug)
    return _SHOWN[key]


def _csv_value(value: object) -> str:
    """A cell for spreadsheets: numbers as numbers, text that would start a formula
    (``=``, ``+``, ``-``, ``@``, tab, CR) behind a ``'`` (OWASP's CSV injection advice)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return ""
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return str(value)


def chart_csv(frames: Sequence[pd.DataFrame]) -> str:
    """The charted figures as CSV with their provenance (:data:`CSV_COLUMNS`): the label
    in the edition's language, codes as in ``data/figures.csv``, the source document's
    title. A chart whose rows carry no ``figure_id`` gives its rows as they are."""
    tables = [f for f in frames if "figure_id" in f.columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if not tables:
        rows = pd.concat(list(frames), ignore_index=True) if frames else pd.DataFrame()
        writer.writerow([_csv_value(str(c)) for c in rows.columns])
        writer.writerows([_csv_value(v) for v in r] for r in rows.itertuples(index=False))
        return buffer.getvalue()
    rows = pd.concat(tables, ignore_index=True)
    label = "label_vi" if lang() == "vi" and "label_vi" in rows.columns else "label_en"
    sources = load_table("sources").set_index("source_id")
    title = sources["title_vi" if lang() == "vi" else "title_en"]
    columns = {"label": label}
    writer.writerow(CSV_COLUMNS)
    seen = set()
    for record in rows.to_dict("records"):
        line = []
        for column in CSV_COLUMNS:
            if column == "source":
                sid = record.get("source_id")
                line.append(str(title.get(sid, "")) if isinstance(sid, str) else "")
            else:
                line.append(_csv_value(record.get(columns.get(column, column))))
        if tuple(line) not in seen:
            seen.add(tuple(line))
            writer.writerow(line)
    return buffer.getvalue()


def csv_href(text: str) -> str:
    """A ``data:`` URI of CSV text (UTF-8 with a byte-order mark, for spreadsheets)."""
    return "data:text/csv;charset=utf-8," + quote("\ufeff" + text, safe=",.-_:()")


def provenance_tooltip(value_format: str = ",.10~g") -> list[alt.Tooltip]:
    """Tooltip fields every chart of figures carries: what, when, how much, kind, source.

    In Vietnamese the titles are Vietnamese and the fields the Vietnamese columns
    (``label_vi``; ``period_vi``, ``unit_vi`` and ``kind_vi``, which :func:`show`
    adds to the chart's rows)."""
    vi = lang() == "vi"
    fields = [
        ("label_vi" if vi else "label_en", "N", "column.label"),
        ("period_vi" if vi else "period", "N", "column.period"),
        ("value", "Q", "column.value"),
        ("unit_vi" if vi else "unit", "N", "column.unit"),
        ("kind_vi" if vi else "kind", "N", "column.kind"),
        ("source_id", "N", "column.source_id"),
        ("excerpt", "N", "column.excerpt"),
    ]
    return [
        alt.Tooltip(f"{name}:{kind}", title=word(key), format=value_format)
        if kind == "Q"
        else alt.Tooltip(f"{name}:{kind}", title=word(key))
        for name, kind, key in fields
    ] + gloss_tooltip()


#: Tooltip fields a reader has no use for on a phone's card: internal row ids (issue 21).
#: The data table under the chart keeps them, each linked to its excerpt.
ID_FIELDS = frozenset({"figure_id", "event_id", "target_id", "series_id"})
#: A chart's ``usermeta`` key for its list view (:func:`list_view`).
LIST_META = "ictstory_list"


def document_names() -> dict[str, str]:
    """Every document's short title in the edition's language ("Third-quarter review
    2021 (report)") by its id, for tooltips."""
    sources = load_table("sources")
    column = "short_title_vi" if lang() == "vi" else "short_title_en"
    return dict(zip(sources["source_id"], sources[column].astype(str), strict=True))


def document_name(source_id: object, names: dict[str, str] | None = None) -> str:
    """A document by its short title (:func:`document_names`, read from the data unless
    given); an id that names no document of ``data/sources.csv`` is kept as it is."""
    names = document_names() if names is None else names
    if not isinstance(source_id, str) or source_id not in names:
        return "" if source_id is None else str(source_id)
    return names[source_id]


def compact_tooltips(spec: dict[str, Any]) -> dict[str, Any]:
    """Tooltips a thumb can use (issue 21), in place: a document by its name, not its
    hash id (``source_id`` becomes ``source_name``, added to the rows), and no internal
    row ids (:data:`ID_FIELDS`)."""
    named = False

    def walk(node: object) -> None:
        nonlocal named
        if isinstance(node, list):
            for item in node:
                walk(item)
            return
        if not isinstance(node, dict):
            return
        tips = node.get("tooltip")
        if isinstance(tips, list):
            kept = []
            for tip in tips:
                field = tip.get("field") if isinstance(tip, dict) else None
                if field in ID_FIELDS:
                    continue
                if field == "source_id":
                    tip, named = {**tip, "field": "source_name"}, True
                kept.append(tip)
            node["tooltip"] = kept
        elif isinstance(tips, dict) and tips.get("field") in ID_FIELDS:
            node["tooltip"] = None
        for key, value in node.items():
            if key not in ("tooltip", "datasets", "data"):
                walk(value)

    walk(spec)
    if named:
        names = document_names()
        for rows in (spec.get("datasets") or {}).values():
            for row in rows:
                if "source_id" in row and "source_name" not in row:
                    row["source_name"] = document_name(row["source_id"], names)
    return spec


def list_view(frames: Sequence[pd.DataFrame], meta: dict[str, str]) -> str:
    """A chart's rows as a list a phone reads (issue 21), for charts that ask for one in
    their ``usermeta`` (:data:`LIST_META`: which columns hold the ``date`` words, the
    ``sort`` key, the ``text``, the ``field`` and the ``source``). Escaped text; hidden
    except on a phone, where it stands in for the drawing (``ictstory.css``)."""
    needed = [meta[k] for k in ("date", "sort", "text", "field", "source")]
    rows = next((f for f in frames if set(needed) <= set(f.columns)), None)
    if rows is None:
        return ""
    items = []
    for record in rows.sort_values(meta["sort"], kind="stable").to_dict("records"):
        date, text, field, source = (
            html.escape(str(record[meta[k]])) for k in ("date", "text", "field", "source")
        )
        items.append(
            f'<li><span class="ictstory-chart__list-date">{date}</span> '
            f'<span class="ictstory-chart__list-field">{field}</span> '
            f'<span class="ictstory-chart__list-text">{text}</span> '
            f'<span class="ictstory-chart__list-source">{source}</span></li>'
        )
    return f'<ol class="ictstory-chart__list" hidden>{"".join(items)}</ol>'


#: Width (px) of an average character of chart text, to wrap labels to a chart's width.
CHAR_WIDTH = 7
#: Height (px) of a line of a wrapped label.
LINE_HEIGHT = 14


def stacked_width(fallback: int) -> str:
    """A Vega expression of the width of a panel stacked in the column: the chart's
    container less its padding in the page, ``fallback`` where there is no container
    (the static SVG)."""
    return (
        f"isValid(containerSize()) && containerSize()[0] > 0 ? containerSize()[0] - 8 : {fallback}"
    )


def row_label(
    base: alt.Chart,
    field: str,
    *,
    dy: int = -10,
    width: str = "width",
    x: int = 0,
    max_lines: int = 3,
) -> alt.Chart:
    """Each row's label drawn above it from the chart's left edge, wrapped to the chart's
    width in the browser: on a phone a long label takes two lines, not a cut "…".

    The lines grow upwards from ``dy`` (px above the row's centre), so they keep
    clear of the row's mark. ``width`` is a Vega expression of the width to wrap to:
    the chart's own by default; a panel of a stacked chart, which has no ``width``
    of its own, can pass ``stacked_width(280)``. ``x`` moves the label right (px).
    A label of more than ``max_lines`` lines keeps that many, the last ending in "…"
    (so it never climbs into the row above; the tooltip and the data table hold it all)."""
    wrapped = (
        f"split(trim(replace(datum['{field}'], regexp('(.{{1,' + "
        f"max(12, floor((({width}) - {x}) / {CHAR_WIDTH})) + '}})(\\\\s+|$)', 'g'), "
        f"'$1\\n')), '\\n')"
    )
    lines = (
        f"join(slice({wrapped}, 0, {max_lines}), '\\n')"
        f" + (length({wrapped}) > {max_lines} ? '…' : '')"
    )
    lift = f"{dy} - {LINE_HEIGHT} * (length(split(datum.label_lines, '\\n')) - 1)"
    return (
        base.transform_calculate(label_lines=lines)
        .mark_text(
            align="left",
            baseline="bottom",
            lineBreak="\n",
            lineHeight=LINE_HEIGHT,
            limit=alt.ExprRef(f"({width}) - {x}"),
            dy=alt.ExprRef(lift),
        )
        .encode(text="label_lines:N", x=alt.value(x))
    )


class ChartHTML:
    """A rendered chart block; Jupyter and myst-nb display it through ``_repr_html_``.

    Its HTML holds the static SVG, so the chart draws wherever HTML output does
    (JupyterLab, VS Code, Colab, ``jupyter nbconvert --to html``) with no script
    and no network; myst-nb puts the same ``text/html`` output in the book.
    """

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
    """One document by title, date and id: "… (6 Jul 2020; document 001_…)"; in
    Vietnamese by its Vietnamese title: "… (06/07/2020; văn bản 001_…)"."""
    sources = load_table("sources").set_index("source_id")
    if source_id not in sources.index:
        raise KeyError(f"unknown source id {source_id!r}: not in data/sources.csv")
    row = sources.loc[source_id]
    when = document_date(row["event_date"], row["event_date_precision"])
    if lang() == "vi":
        return f"{row['title_vi']} ({when}; văn bản {source_id})"
    return f"{row['title_en']} ({when}; document {source_id})"


def source_line(source_ids: Iterable[str]) -> str:
    """'Source: …' naming each document the way a reader would, as plain text.

    Ids of ``data/outside_sources.csv`` are named by :func:`ictstory.story.outside.source_line`."""
    from ictstory.story import outside  # it imports the data helpers this module uses

    ids = sorted(set(source_ids))
    others = [sid for sid in ids if outside.is_source_id(sid)]
    parts = [reader_name(sid) for sid in ids if sid not in others]
    label = word("word.source" if len(parts) == 1 else "word.sources")
    line = f"{label}: " + "; ".join(parts) + "." if parts else ""
    return " ".join(filter(None, [line, outside.source_line(others) if others else ""]))


def source_line_html(source_ids: Iterable[str]) -> str:
    """The source line with each document linked to its section of the sources page;
    outside publishers (:mod:`ictstory.story.outside`) are named as escaped text."""
    from ictstory.story import outside

    ids = sorted(set(source_ids))
    others = [sid for sid in ids if outside.is_source_id(sid)]
    documents = [sid for sid in ids if sid not in others]
    label = word("word.source" if len(documents) == 1 else "word.sources")
    links = "; ".join(
        f'<a href="{html.escape(source_href(sid))}">{html.escape(reader_name(sid))}</a>'
        for sid in documents
    )
    line = f"{html.escape(label)}: {links}." if documents else ""
    rest = html.escape(outside.source_line(others)) if others else ""
    return " ".join(filter(None, [line, rest]))


_PERIOD_CODE = re.compile(
    r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>[1-4])|H(?P<half>[12])|(?P<ytd>\d{1,2})M"
    r"|(?P<month>\d{2})(?:-(?P<day>\d{2}))?))?$"
)


def period_label(code: object) -> str:
    """A ``period`` code of the data as the edition reads it: unchanged in English
    ("2021-Q3"); in Vietnamese "quý III/2021", "6 tháng đầu năm 2020", "9 tháng đầu
    năm 2021", "tháng 10/2021", "18/08/2021", "2016–2020" (a code it does not know
    is kept as it is)."""
    text = "" if code is None or pd.isna(code) else str(code)  # type: ignore[call-overload]
    if lang() != "vi":
        return text
    if "/" in text:  # a span of two codes; a label already in words keeps its "/"
        parts = text.split("/", 1)
        if all(_PERIOD_CODE.match(part) for part in parts):
            return "–".join(period_label(part) for part in parts)
        return text
    match = _PERIOD_CODE.match(text)
    if not match:
        return text
    from ictstory.story.prose import fmt_date, fmt_month, month_count

    year = match["year"]
    if match["quarter"]:
        return word("date.quarter", quarter=word(f"date.quarter-{match['quarter']}"), year=year)
    if match["half"]:
        return word("date.half", half=word(f"date.half-{match['half']}"), year=year)
    if match["ytd"]:
        return word("date.ytd", months=month_count(int(match["ytd"])), year=year)
    if match["day"]:
        return fmt_date(f"{year}-{match['month']}-{match['day']}")
    if match["month"]:
        return fmt_month(f"{year}-{match['month']}-01")
    return year


def vi_columns(row: dict[str, Any]) -> dict[str, Any]:
    """A chart row with its period, unit and kind in Vietnamese added (``period_vi``,
    ``unit_vi``, ``kind_vi``), and ``label_vi`` from ``label_en`` where it has none."""
    extra: dict[str, Any] = {}
    if "period" in row:
        extra["period_vi"] = period_label(row["period"])
    if "unit" in row:
        extra["unit_vi"] = UNITS.get(str(row["unit"]), row["unit"])
    if "kind" in row:
        extra["kind_vi"] = KINDS.get(str(row["kind"]), row["kind"])
    if "label_en" in row and "label_vi" not in row:
        extra["label_vi"] = row["label_en"]
    return {**row, **{k: v for k, v in extra.items() if k not in row}}


#: A row id of figures, events or targets ("F032"); a cell may hold several ("F032 × F326").
_ROW_ID = re.compile(r"\b[FET]\d{2,4}\b")


def _table_cell(value: object, column: str) -> str:
    """A data-table cell as escaped text; a figure id links to the excerpt it quotes."""
    text = html.escape(_cell(value, column))
    if column != "figure_id":
        return text
    return _ROW_ID.sub(lambda m: f'<a href="{excerpt_href(m[0])}">{m[0]}</a>', text)


def _data_table(frames: Sequence[pd.DataFrame]) -> str:
    """A small HTML table of the charted figures, for screen readers and print."""
    tables = [f for f in frames if "figure_id" in f.columns]
    if not tables:
        return ""
    rows = pd.concat(tables, ignore_index=True)
    if rows.empty:
        return ""
    vi = lang() == "vi"
    cols = [c for c in (TABLE_COLUMNS_VI if vi else TABLE_COLUMNS) if c in rows.columns]
    rows = rows[cols].drop_duplicates()
    total = len(rows)
    rows = rows.head(TABLE_ROWS)
    head = "".join(f"<th scope='col'>{html.escape(word(TABLE_HEADERS[c]))}</th>" for c in cols)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{_table_cell(v, c)}</td>" for c, v in zip(cols, r, strict=True))
        + "</tr>"
        for r in rows.itertuples(index=False)
    )
    more = ""
    if total > TABLE_ROWS:
        words = html.escape(word("ui.table-first-rows", shown=TABLE_ROWS, total=total))
        more = f"<p>{words} <code>data/figures.csv</code>.</p>"
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


def merge_config(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """``extra`` over ``base``, nested dicts merged (as ``ictstory-charts.js`` does)."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict):
            out[key] = merge_config(base.get(key) or {}, value)
        else:
            out[key] = value
    return out


#: One start tag of vl-convert's SVG (a quoted attribute value may hold ">").
_SVG_TAG = re.compile(r'<[A-Za-z][^>"]*(?:"[^"]*"[^>"]*)*/?>')
_SVG_ATTR = re.compile(r'\s([\w:-]+)="([^"]*)"')
#: Per-mark attributes that do nothing in a drawing hidden from screen readers
#: and from the pointer: Vega's ARIA labels of every mark are most of its bytes.
_SVG_DROPPED = {"aria-label", "aria-roledescription", "aria-hidden", "role", "pointer-events"}
#: Attributes holding coordinates: kept to 2 decimals (a hundredth of a pixel).
_SVG_GEOMETRY = {"d", "transform", "x", "y", "x1", "y1", "x2", "y2", "width", "height"}
_LONG_DECIMAL = re.compile(r"(\d\.\d\d)\d+")


def _compact_tag(tag: str, chart_id: str, font: str) -> str:
    """One start tag with fewer bytes and ids prefixed by ``chart_id``."""
    name = re.match(r"<([\w:-]+)", tag).group(1)  # type: ignore[union-attr]
    attrs = []
    for key, value in _SVG_ATTR.findall(tag):
        if key in _SVG_DROPPED or (key == "font-family" and value == font):
            continue
        if key in _SVG_GEOMETRY:
            value = _LONG_DECIMAL.sub(r"\1", value)
        if key == "id" or (key.endswith("href") and value.startswith("#")):
            value = value.replace(value.lstrip("#"), f"{chart_id}-{value.lstrip('#')}", 1)
        value = re.sub(r"url\(#([^)]+)\)", rf"url(#{chart_id}-\1)", value)
        attrs.append(f' {key}="{value}"')
    return f"<{name}{''.join(attrs)}{'/>' if tag.endswith('/>') else '>'}"


def _stacked_panels(spec: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The sub-charts of a chart whose panels are stacked in one column, else None."""
    if spec.get("vconcat"):
        return spec["vconcat"]
    if spec.get("concat") and spec.get("columns") == 1:
        return spec["concat"]
    return None


def panel_width(spec: dict[str, Any]) -> int | float | None:
    """The width of the first stacked panel of fixed width (None: nothing to fit)."""
    for panel in _stacked_panels(spec) or []:
        if isinstance(panel.get("width"), int | float):
            return panel["width"]
    return None


def fit_panels(spec: dict[str, Any], width: float) -> dict[str, Any]:
    """Stacked panels of a fixed width made ``width`` px wide, in place; a text mark's
    ``limit`` keeps its distance to the panel's right edge (so labels use the room).

    ``static/ictstory-charts.js`` does the same in the page with the column's width."""
    for panel in _stacked_panels(spec) or []:
        if not isinstance(panel.get("width"), int | float):
            continue
        grow = width - panel["width"]
        panel["width"] = width
        for layer in panel.get("layer") or [panel]:
            mark = layer.get("mark")
            if isinstance(mark, dict) and isinstance(mark.get("limit"), int | float):
                mark["limit"] = max(40, mark["limit"] + grow)
    return spec


def _svg_width(svg: str) -> float:
    match = re.search(r'<svg[^>]*?\swidth="([\d.]+)"', svg)
    return float(match.group(1)) if match else 0.0


def _draw(spec: dict[str, Any]) -> str:
    """vl-convert's SVG of a Vega-Lite spec, with the legends of the kinds patched."""
    vega = patch_kind_legends(vl_convert.vegalite_to_vega(spec))
    locale = (spec.get("config") or {}).get("locale") or {}
    return vl_convert.vega_to_svg(
        vega,
        allowed_base_urls=[],
        format_locale=locale.get("number"),
        time_format_locale=locale.get("time"),
    )


def static_svg(
    spec: dict[str, Any], chart_id: str, *, width: int = STATIC_WIDTH, phone: bool = False
) -> str:
    """The chart drawn as an SVG by vl-convert in the site's light theme, to sit in the page.

    ``spec`` carries only its config's difference from :func:`theme_config`, as
    on the page; both are merged here. A chart sized to its container is drawn
    :data:`STATIC_WIDTH` wide. The SVG scales down to its container (viewBox,
    ``width:100%``, ``max-width`` its own width), is hidden from screen readers
    (the view around it carries the chart's role and text alternative) and
    loads nothing (``allowed_base_urls=[]``). Its ids are prefixed with the
    chart's id, so several charts on one page never share one; the marks'
    ARIA attributes are dropped and coordinates kept to 2 decimals (half the
    bytes; the text is unchanged). The title is left out (the figure's caption
    shows it), stacked panels fill the width (:func:`fit_panels`) and legends of
    the kinds draw each kind as its marks look (:func:`~ictstory.story.theme.patch_kind_legends`).
    """
    full = json.loads(json.dumps(spec))  # a deep copy: panels are resized below
    full.pop("title", None)  # the figure's caption shows it
    full["config"] = merge_config(theme_config()["config"], spec.get("config") or {})
    if width < NARROW:  # as the page draws a narrow chart (ictstory-charts.js)
        legend = {"columns": 1, "labelLimit": max(120, width - 40)}
        full["config"] = merge_config(full["config"], {"legend": legend})
        _narrow_titles(full)
        if "label_lines" in json.dumps(full):  # room for row labels wrapped upwards
            full["padding"] = {"left": 4, "right": 4, "bottom": 4, "top": 4 + 2 * LINE_HEIGHT}
    if full.get("width") == "container":
        full["width"] = width
    svg = _draw(full)
    if panel_width(full) is not None:  # stacked panels fill the width: fit, measure, refit
        fit_panels(full, panel_width(full) + width - _svg_width(svg))
        svg = _draw(full)
    svg = svg[svg.find("<svg") :].strip()
    root = _SVG_TAG.match(svg)
    if root is None or not root.group().startswith("<svg"):
        raise ValueError(f"vl-convert returned no SVG for chart {chart_id}")
    font = html.escape(str(full["config"].get("font", "")), quote=True)
    width = re.search(r'\swidth="([\d.]+)"', root.group())
    max_width = f"max-width:{width.group(1)}px;" if width else ""
    body = _SVG_TAG.sub(lambda m: _compact_tag(m.group(), chart_id, font), svg[root.end() :])
    kept = "".join(
        f' {key}="{value}"'
        for key, value in _SVG_ATTR.findall(root.group())
        if key in ("xmlns", "xmlns:xlink", "version", "viewBox")
    )
    kind, hidden = ("ictstory-chart__phone", " hidden") if phone else ("ictstory-chart__static", "")
    return (
        f'<svg class="{kind}"{kept}{hidden} aria-hidden="true" focusable="false" '
        f'font-family="{font}" '
        f'style="display:block;width:100%;{max_width}height:auto;background:#fff">{body}'
    )


#: Characters a line of an x axis title keeps in a narrow static drawing.
NARROW_TITLE = 20


def _narrow_titles(spec: dict[str, Any]) -> None:
    """X axis titles of a narrow drawing in lines of :data:`NARROW_TITLE` characters,
    in place (in the page, ``ictstory-charts.js`` wraps them to their measured room)."""
    if isinstance(spec, list):
        for part in spec:
            _narrow_titles(part)
        return
    if not isinstance(spec, dict):
        return
    for name in ("x", "x2"):
        channel = (spec.get("encoding") or {}).get(name)
        if not isinstance(channel, dict):
            continue
        for holder in (channel, channel.get("axis")):
            title = holder.get("title") if isinstance(holder, dict) else None
            if isinstance(title, str) and len(title) > NARROW_TITLE:
                holder["title"] = textwrap.wrap(title, NARROW_TITLE)  # type: ignore[index]
    for key in ("layer", "vconcat", "hconcat", "concat"):
        _narrow_titles(spec.get(key) or [])
    if isinstance(spec.get("spec"), dict):
        _narrow_titles(spec["spec"])


def static_drawings(spec: dict[str, Any], anchor: str) -> str:
    """The static drawing of a chart, and one drawn :data:`PHONE_WIDTH` wide when the
    first is much wider: a phone shows that one (``ictstory.css``), in the width it is
    shown at, so its text keeps its size (issue 21). The first stays the one that
    JupyterLab, print, slides and previews show."""
    wide = static_svg(spec, anchor)
    drawn = re.search(r'viewBox="0 0 ([\d.]+) ', wide)
    if drawn is None or float(drawn.group(1)) <= PHONE_WIDTH * 1.15:
        return wide
    return wide + static_svg(spec, f"{anchor}-phone", width=PHONE_WIDTH, phone=True)


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
        # ``indicator`` stays: it says what each value measures (ictstory.story.axes)
        used = {
            col for row in rows[:1] for col in row if col == "indicator" or _mentioned(col, rest)
        }
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


_VI_SEPARATORS = str.maketrans({",": ".", ".": ","})


def _cell(value: object, column: str = "") -> str:
    """A cell of the chart's data table, in the edition's language."""
    if lang() == "vi":
        if isinstance(value, float):  # as in English, with "." and "," swapped: 1.234,5
            return "" if pd.isna(value) else f"{value:,.10g}".translate(_VI_SEPARATORS)
        if column == "period":
            return period_label(value)
        if pd.isna(value):  # type: ignore[call-overload]
            return ""
        if column == "unit":
            return UNITS.get(str(value), str(value))
        if column == "kind":
            return KINDS.get(str(value), str(value))
    if isinstance(value, float):
        return "" if pd.isna(value) else f"{value:,.10g}"
    return "" if pd.isna(value) else str(value)


#: A chart's stable id: lower-case ASCII words joined by hyphens ("postal-goods").
CHART_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
#: Where a chart block glued by :func:`chart` takes its title: the ``{chart}``
#: directive of each edition's Markdown puts the title there (escaped). Text
#: from data is escaped in the block, so it can never write this comment.
TITLE_SLOT = "<!--ictstory:chart-title-->"
#: Set by the build for the chapters' kernels: glued charts are then shown by the
#: pages' ``{chart}`` directives, not as the cell's output.
BUILD_ENV = "ICTSTORY_BUILD"
#: Values a text alternative names before it points to the data table.
ALT_VALUES = 12

_MARK_WORDS = {
    "bar": "ui.chart-kind-bars",
    "line": "ui.chart-kind-lines",
    "point": "ui.chart-kind-points",
    "circle": "ui.chart-kind-points",
    "tick": "ui.chart-kind-points",
}


def _marks(spec: dict[str, Any]) -> list[str]:
    """The mark types of a Vega-Lite spec and its layers and panels, in order."""
    found: list[str] = []
    mark = spec.get("mark")
    if mark is not None:
        found.append(mark if isinstance(mark, str) else str(mark.get("type", "")))
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for part in spec.get(key) or []:
            found += _marks(part)
    if isinstance(spec.get("spec"), dict):
        found += _marks(spec["spec"])
    return found


def _is_outside(frame: pd.DataFrame) -> bool:
    """Rows of the outside yearly series (:mod:`ictstory.story.outside`): not rows that
    only borrow its columns for the text alternative, such as the ministry's own
    documents on the introduction's sources chart (their ``source_id`` is a document)."""
    if not {"label", "year", "value_text"} <= set(frame.columns):
        return False
    if "source_id" not in frame.columns:
        return True
    from ictstory.story.outside import is_source_id

    return any(is_source_id(str(s)) for s in frame["source_id"].dropna())


def _value_phrases(frame: pd.DataFrame) -> list[str]:
    """Each charted value of a frame in words, like the prose: "Parcels, H1 2020: 343 million"."""
    from ictstory.story.prose import describe, figure, period_words

    phrases: list[str] = []
    if "figure_id" in frame.columns:
        language = lang()
        for figure_id in dict.fromkeys(frame["figure_id"].dropna().astype(str)):
            try:
                row = figure(figure_id)
            except KeyError:
                continue
            label = str(row.get(f"label_{language}", row.get("label_en", figure_id)))
            phrases.append(f"{label}, {period_words(row)}: {describe(row)}")
    elif {"label", "year", "value_text"} <= set(frame.columns):  # outside series
        for label, part in frame.groupby("label", sort=False):
            pairs = zip(part["year"], part["value_text"], strict=True)
            values = "; ".join(f"{year}: {text}" for year, text in pairs)
            phrases.append(f"{label} — {values}")
    language = lang()
    if not phrases and {f"label_{language}", "period"} <= set(frame.columns):
        # dated rows that are not figures (events): "when: what", as in the data table
        for label, period in zip(frame[f"label_{language}"], frame["period"], strict=True):
            phrases.append(f"{period}: {str(label).rstrip('.')}")
    return phrases


def alt_text(chart: alt.TopLevelMixin) -> str:
    """The text alternative of a chart, made from its data and worded like the prose:
    the kind of chart, then each value it draws (the first :data:`ALT_VALUES`; the
    rest are in the data table below the chart)."""
    from ictstory.story.words import word

    spec = chart.to_dict(validate=False)  # validated once, by _block
    marks = _marks(spec)
    first = next((mark for mark in ("bar", "line", "point", "circle", "tick") if mark in marks), "")
    kind = word(_MARK_WORDS.get(first, "ui.chart-kind-chart"))
    phrases = list(dict.fromkeys(p for frame in _frames(chart) for p in _value_phrases(frame)))
    if not phrases:
        raise ValueError(
            "a chart's rows must carry figure_id (or outside series' label, year and "
            "value_text, or a label and period) so that its text alternative can name what "
            "it draws"
        )
    shown = phrases[:ALT_VALUES]
    text = f"{kind}. " + ". ".join(shown) + "."
    if len(phrases) > len(shown):
        more = word("ui.alt-more-values", count=len(phrases) - len(shown))
        text += f" {more}"
    return text


def chart(chart_id: str, chart: alt.TopLevelMixin, *, source_ids: Iterable[str] = ()) -> None:
    """Glue a chart under its stable id for the ``{chart}`` directive of each edition.

    The chart carries no title: each edition's Markdown gives it, as the body of
    ``{chart} <chart_id>``. The text alternative is made from the chart's data
    (:func:`alt_text`). In Jupyter (outside the build) the chart is also shown,
    headed by its id.
    """
    if not CHART_ID.fullmatch(chart_id):
        raise ValueError(
            f"chart id {chart_id!r}: use lower-case ASCII words joined by hyphens, "
            "e.g. 'postal-goods'"
        )
    if getattr(chart, "title", alt.Undefined) is not alt.Undefined:
        raise ValueError(
            f"chart {chart_id!r} has a title in code: write it in each edition's Markdown, "
            f"as the body of ```{{chart}} {chart_id}```"
        )
    axes.check(chart, chart_id)  # one measure per axis, or the chart is refused
    block = _block(
        chart,
        alt_text=alt_text(chart),
        source_ids=source_ids,
        key=chart_id,
        slug=chart_id,
        heading_html=TITLE_SLOT,
    )
    from myst_nb import glue

    glue(chart_id, block, display=False)
    if not os.environ.get(BUILD_ENV):
        from IPython.display import HTML, display

        display(HTML(block.markup.replace(TITLE_SLOT, html.escape(chart_id))))


def with_title(markup: str, title: str) -> str:
    """A glued chart block with its title (plain text, escaped here) in its slot."""
    if markup.count(TITLE_SLOT) != 1:
        raise ValueError("not a chart block glued by ictstory.story.charts.chart")
    return markup.replace(TITLE_SLOT, html.escape(title.strip()))


def show(
    chart: alt.TopLevelMixin,
    *,
    alt_text: str,
    source_ids: Iterable[str] | None = None,
) -> ChartHTML:
    """The chart as a page block with title, source line, text alternative and data table.

    ``alt_text`` says in words what the chart shows (its finding and its data).
    The source line names every document in the chart's ``source_id`` column,
    plus any extra ``source_ids``. (Chapters use :func:`chart` instead, whose
    title lives in the Markdown.)
    """
    title = chart.title if chart.title is not alt.Undefined else None
    if not title:
        raise ValueError("every chart needs a title that states its finding")
    if not alt_text or len(alt_text.strip()) < 20:
        raise ValueError("alt_text must describe what the chart shows (20 characters or more)")
    if isinstance(title, str):
        chart = chart.properties(title=alt.Title(_wrap(title)))
    axes.check(chart, title_text(title))
    return _block(chart, alt_text=alt_text, source_ids=source_ids or ())


def _block(
    chart: alt.TopLevelMixin,
    *,
    alt_text: str,
    source_ids: Iterable[str],
    key: str | None = None,
    slug: str | None = None,
    heading_html: str | None = None,
) -> ChartHTML:
    """The page block of a chart: static drawing, spec, heading, source line, data."""
    frames = list(_frames(chart))
    ids = set(source_ids)
    for frame in frames:
        if "source_id" in frame.columns:
            ids.update(frame["source_id"].dropna().astype(str))
    if not ids:
        raise ValueError("a chart must show where its numbers come from: no source_id found")
    if isinstance(chart, alt.Chart | alt.LayerChart):
        if chart.width is alt.Undefined:
            chart = chart.properties(width="container")
    elif chart.autosize is alt.Undefined:  # concat, facet, repeat: "fit" cannot size them
        chart = chart.properties(autosize=alt.AutoSizeParams(type="pad"))
    spec = chart.properties(description=alt_text.strip()).to_dict()
    chart_key = marks.key_html(marks.key_entries(spec, frames, marks.take_declared(spec)))
    if lang() == "vi":
        for name, rows in (spec.get("datasets") or {}).items():
            spec["datasets"][name] = [vi_columns(row) for row in rows]
    listing = ""
    meta = (spec.get("usermeta") or {}).pop(LIST_META, None)
    if isinstance(meta, dict):
        listing = list_view(frames, meta)
    if not spec.get("usermeta"):
        spec.pop("usermeta", None)
    spec = _trim_datasets(compact_tooltips(spec))
    spec["config"] = config_delta(spec.get("config", {}), theme_config()["config"])
    spec["config"] |= locale_config()  # not in the theme the site ships for both editions
    payload = spec_json(spec)
    chart_id = hashlib.sha1(payload.encode()).hexdigest()[:12]
    figure_ids = [
        str(fid)
        for frame in frames
        if "figure_id" in frame.columns
        for fid in frame["figure_id"].dropna()
    ]
    heading = title_text(spec.get("title"))
    number, slug = _number_and_slug(key or chart_id, slug or heading, fixed=slug is not None)
    anchor = f"chart-{slug}"
    deps.record_chart(anchor, figure_ids)
    safe_payload = script_safe(payload)
    alt_html = html.escape(alt_text.strip())
    summary = html.escape(word("ui.chart-details"))
    label = html.escape(f"{word('ui.figure')} {number}")
    link = html.escape(word("ui.chart-link"))
    data = html.escape(word("ui.chart-csv"))
    table = _data_table(frames)
    if table:
        region = html.escape(f"{word('ui.chart-data-of')} {number}")
        table = (
            f'<div class="ictstory-chart__table-wrap" tabindex="0" role="region" '
            f'aria-label="{region}">{table}</div>'
        )
    heading_html = html.escape(heading) if heading_html is None else heading_html
    note = ""
    if any(_is_outside(frame) for frame in frames):  # how outside values are drawn
        from ictstory.story import peers

        peer = next((f for f in frames if "area" in f.columns), None)  # ictstory.story.peers
        default = word("outside.outside-sources-not-the-ministry-s")
        text = default if peer is None else peers.note(peer)
        note = f'<p class="ictstory-chart__note">{html.escape(text)}</p>'
    markup = (
        f'<figure class="ictstory-chart" id="{anchor}" aria-labelledby="{anchor}-title" '
        f'aria-describedby="{anchor}-desc" data-slug="{slug}">'
        f'<figcaption class="ictstory-chart__heading" id="{anchor}-title">'
        f'<span class="ictstory-chart__number">{label}.</span> '
        f'<span class="ictstory-chart__title">{heading_html}</span></figcaption>'
        f"{note}{chart_key}"
        f'<div class="ictstory-chart__view" role="img" aria-label="{alt_html}">'
        f"{static_drawings(spec, anchor)}</div>{listing}"
        f'<script type="application/json" class="ictstory-chart__spec">{safe_payload}</script>'
        f'<div class="ictstory-chart__caption">'
        f'<p class="ictstory-chart__source">{source_line_html(ids)}</p>'
        f'<p class="ictstory-chart__actions">'
        f'<a class="ictstory-chart__link" href="#{anchor}">{link}</a> '
        f'<a class="ictstory-chart__csv" href="{html.escape(csv_href(chart_csv(frames)))}" '
        f'download="{slug}.csv" type="text/csv">{data}</a></p>'
        f'<details class="ictstory-chart__details"><summary>{summary}</summary>'
        f'<p class="ictstory-chart__alt" id="{anchor}-desc">{alt_html}</p>{table}</details>'
        f"</div></figure>"
    )
    return ChartHTML(markup, spec)
