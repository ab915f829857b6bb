"""A chart's key on the page: what each kind of mark it draws stands for (issue 21).

The chart layer knows what a chart draws: the kinds of value of its rows (reported,
estimated, derived, target, comparison, outside ◆), and the marks a chart form says it
draws besides (:func:`declare`: the timeline's bars and wave lines, the bands of
ranges). :func:`key_html` turns them into a list under the chart's title, each entry a
small swatch drawn as the marks look (fill and dash of the kind, in the text's colour,
so it reads in dark mode and print) and its words from the vocabulary.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

import altair as alt
import pandas as pd

from ictstory.story.theme import KIND_DASH, KIND_FILL, KINDS
from ictstory.story.words import word

#: Where a chart form lists the other marks it draws: ``usermeta`` of the top-level spec.
META_KEY = "ictstory_key"
#: Marks a chart form may declare, each with its swatch (:func:`_swatch`).
MARKS = ("period-bar", "wave-line", "range-band")
Chart = TypeVar("Chart", bound=alt.TopLevelMixin)
#: Swatch size (px).
WIDTH, HEIGHT = 28, 14


def declare(chart: Chart, entries: Sequence[tuple[str, str]]) -> Chart:
    """``chart`` with the marks it draws besides its kinds of value: ``(mark, words)``
    pairs, ``mark`` one of :data:`MARKS`, ``words`` what it stands for (already in the
    edition's language). :func:`ictstory.story.charts.chart` puts them in the key."""
    for mark, _ in entries:
        if mark not in MARKS:
            raise ValueError(f"unknown mark {mark!r} for a chart's key: one of {MARKS}")
    meta = getattr(chart, "usermeta", alt.Undefined)
    meta = dict(meta) if isinstance(meta, dict) else {}
    meta[META_KEY] = [list(entry) for entry in entries]
    return chart.properties(usermeta=meta)


def take_declared(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """The marks a spec declares (:func:`declare`), removed from it: the page does not
    need them in the chart's JSON."""
    meta = spec.get("usermeta")
    if not isinstance(meta, dict) or META_KEY not in meta:
        return []
    entries = [(str(mark), str(words)) for mark, words in meta.pop(META_KEY)]
    if not meta:
        spec.pop("usermeta")
    return entries


def _uses_kind(spec: dict[str, Any]) -> bool:
    """Whether any encoding of the spec (its layers and panels too) reads ``kind``."""
    encoding = spec.get("encoding") or {}
    for channel in encoding.values():
        if isinstance(channel, dict) and channel.get("field") == "kind":
            return True
    parts = [p for key in ("layer", "hconcat", "vconcat", "concat") for p in spec.get(key) or []]
    if isinstance(spec.get("spec"), dict):
        parts.append(spec["spec"])
    return any(_uses_kind(part) for part in parts)


def drawn_kinds(spec: dict[str, Any], frames: Iterable[pd.DataFrame]) -> list[str]:
    """The kinds of value a chart draws, in :data:`~ictstory.story.theme.KINDS` order:
    those of its rows, when one of its marks is drawn by kind."""
    if not _uses_kind(spec):
        return []
    present: set[str] = set()
    for frame in frames:
        if "kind" in frame.columns:
            present.update(str(k) for k in frame["kind"].dropna())
    return [kind for kind in KINDS if kind in present]


def _swatch(what: str) -> str:
    """A small SVG of a kind of value or a declared mark, in ``currentColor``."""
    w, h = WIDTH, HEIGHT
    if what == "outside":
        shape = f'<path d="M{w / 2} 1 L{w / 2 + 6} {h / 2} L{w / 2} {h - 1} L{w / 2 - 6} {h / 2} Z"'
        fill, dash = KIND_FILL[what], KIND_DASH[what]
    elif what in KIND_FILL:
        shape = f'<rect x="1" y="2" width="{w - 2}" height="{h - 4}"'
        fill, dash = KIND_FILL[what], KIND_DASH[what]
    elif what == "period-bar":
        shape = f'<rect x="1" y="2" width="{w - 2}" height="{h - 4}" rx="2"'
        fill, dash = 0.2, [1, 0]
    elif what == "range-band":
        shape = f'<rect x="1" y="3" width="{w - 2}" height="{h - 6}"'
        fill, dash = 1.0, [1, 0]
    else:  # wave-line
        shape = f'<path d="M{w / 2} 0 V{h}"'
        fill, dash = 0.0, [4, 3]
    pattern = "" if dash == [1, 0] else f' stroke-dasharray="{" ".join(map(str, dash))}"'
    return (
        f'<svg class="ictstory-key__swatch" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
        f'aria-hidden="true" focusable="false">{shape} fill="currentColor" '
        f'fill-opacity="{fill}" stroke="currentColor" stroke-width="2"{pattern}/></svg>'
    )


def key_entries(
    spec: dict[str, Any], frames: Iterable[pd.DataFrame], declared: Sequence[tuple[str, str]]
) -> list[tuple[str, str]]:
    """``(what, words)`` of every entry of a chart's key: its kinds, then its other marks."""
    entries = [(kind, KINDS[kind]) for kind in drawn_kinds(spec, frames)]
    return entries + list(declared)


def key_html(entries: Sequence[tuple[str, str]]) -> str:
    """The key as a list under the chart's title ("" for a chart with nothing to explain)."""
    if not entries:
        return ""
    items = "".join(
        f'<li class="ictstory-key" data-mark="{html.escape(what)}">'
        f"{_swatch(what)}<span>{html.escape(words)}</span></li>"
        for what, words in entries
    )
    label = html.escape(word("key.title"))
    return f'<ul class="ictstory-chart__key" aria-label="{label}">{items}</ul>'
