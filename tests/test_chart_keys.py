"""Every mark explained on the page (issue 21, point 4): each chart's key, under its
title, lists exactly the kinds of value it draws and the other marks it declares
(:mod:`ictstory.story.marks`), in the edition's words, and reads at 320 px, in dark
mode and in print.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import pytest
from bs4 import BeautifulSoup, Tag
from conftest import book_pages, open_page, serve, wait_for_charts
from playwright.sync_api import Browser

import ictstory.story as st
from ictstory.story import charts, marks
from ictstory.story.theme import KINDS
from ictstory.story.words import word

#: What a declared mark needs the spec to draw.
DRAWN_BY = {"period-bar": "bar", "wave-line": "rule", "range-band": "bar"}


def _entries(figure: Tag) -> list[tuple[str, str]]:
    key = figure.select_one("ul.ictstory-chart__key")
    if key is None:
        return []
    return [(li["data-mark"], li.get_text(" ", strip=True)) for li in key.select("li")]


def _kinds_in(spec: dict[str, Any]) -> set[str]:
    return {
        str(row["kind"])
        for rows in (spec.get("datasets") or {}).values()
        for row in rows
        if row.get("kind") is not None
    }


def _figures(root: Path) -> Iterator[tuple[str, Tag, dict[str, Any]]]:
    for page in book_pages(root):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for figure in soup.select("figure.ictstory-chart"):
            node = figure.select_one("script.ictstory-chart__spec")
            spec = json.loads(node.string or "{}") if node else {}
            yield f"{page.relative_to(root)} #{figure.get('id')}", figure, spec


# --- The chart layer (fast tier) -------------------------------------------------------


def _rows(kinds: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "figure_id": [f"F9{i:02d}" for i in range(len(kinds))],
            "label_en": [f"row {i}" for i in range(len(kinds))],
            "label_vi": [f"dòng {i}" for i in range(len(kinds))],
            "period": "2021",
            "value": [float(10 + i) for i in range(len(kinds))],
            "unit": "percent",
            "kind": kinds,
            "source_id": "000_4f4ee2cd52f97149",
            "excerpt": "",
        }
    )


def test_the_key_lists_the_kinds_a_chart_draws_and_no_other() -> None:
    rows = _rows(["derived", "reported", "derived"])
    chart = st.labelled_bars(rows, x_title="x")
    entries = marks.key_entries(chart.to_dict(), [rows], [])
    assert entries == [("reported", KINDS["reported"]), ("derived", KINDS["derived"])]
    markup = marks.key_html(entries)
    assert markup.count("<li") == 2 and 'fill-opacity="0.2"' in markup  # derived: faint
    # a chart that does not draw by kind has no kinds in its key
    plain = alt.Chart(rows).mark_bar().encode(x="value:Q", y="label_en:N")
    assert marks.key_entries(plain.to_dict(), [rows], []) == []
    assert marks.key_html([]) == ""


def test_declared_marks_reach_the_key_and_leave_the_spec() -> None:
    events = st.timeline_events()
    chart = st.timeline(events, start="2020-01-01", end="2021-12-31")
    spec = chart.to_dict()
    declared = marks.take_declared(spec)
    assert [mark for mark, _ in declared] == ["period-bar", "wave-line"]
    assert marks.META_KEY not in spec.get("usermeta", {})  # other metadata (the phone list) stays
    assert declared[0][1] == word("timeline.key-bars")
    small = marks.declare(st.labelled_bars(_rows(["reported"]), x_title="x"), [("range-band", "b")])
    block = charts._block(
        small, alt_text="x" * 30, source_ids=[], key="k", slug="k", heading_html="T"
    )
    assert block.markup.index("ictstory-chart__key") < block.markup.index("ictstory-chart__view")
    assert block.markup.startswith('<figure class="ictstory-chart" id="chart-k" ')
    assert "ictstory_key" not in json.dumps(block.spec)
    with pytest.raises(ValueError, match="unknown mark"):
        marks.declare(chart, [("sparkle", "x")])


# --- Every chart of the book -----------------------------------------------------------


@pytest.mark.parametrize("edition", ["site", "site_vi"])
def test_every_chart_key_shows_exactly_what_the_chart_draws(
    edition: str, request: pytest.FixtureRequest
) -> None:
    root: Path = request.getfixturevalue(edition)
    language = "en" if edition == "site" else "vi"
    names = KINDS.in_language(language)
    problems, keyed, seen = [], 0, set()
    for where, figure, spec in _figures(root):
        entries = _entries(figure)
        keyed += bool(entries)
        kinds = [m for m, _ in entries if m in names]
        drawn = marks.drawn_kinds(spec, [pd.DataFrame(r) for r in spec["datasets"].values()])
        if kinds != drawn or not set(kinds) <= _kinds_in(spec):
            problems.append(f"{where}: key {kinds}, chart draws {drawn}")
        for mark, text in entries:
            seen.add(mark)
            if mark in names and text != names[mark]:
                problems.append(f"{where}: {mark} named {text!r}, not {names[mark]!r}")
            if mark in DRAWN_BY and f'"{DRAWN_BY[mark]}"' not in json.dumps(spec):
                problems.append(f"{where}: key has {mark}, the chart draws no {DRAWN_BY[mark]}")
        key = figure.select_one("ul.ictstory-chart__key")
        if key is not None:  # under the title, above the drawing
            after = [t.name for t in key.find_previous_siblings()]
            if (
                "figcaption" not in after
                or key.find_next_sibling(class_="ictstory-chart__view") is None
            ):
                problems.append(f"{where}: the key is not between title and chart")
    assert problems == []
    assert keyed > 20
    assert {"reported", "estimated", "derived", "outside", "period-bar", "wave-line"} <= seen
    # the timeline's key is the chart's own now, not a glued paragraph below it
    timeline = (root / "chapters" / "timeline.html").read_text(encoding="utf-8")
    bars = word("timeline.key-bars", language)
    assert timeline.count(bars) == 2  # in the keys of its two timelines, nowhere else


# --- In the browser --------------------------------------------------------------------


@pytest.fixture(scope="module")
def root_server(site_root: Path) -> Iterator[str]:
    with serve(site_root) as url:
        yield url


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_keys_read_on_a_320_px_phone_in_both_modes_and_in_print(
    browser: Browser, root_server: str, scheme: str
) -> None:
    page, log = open_page(
        browser,
        root_server,
        "vi/chapters/timeline.html",
        viewport={"width": 320, "height": 640},
        color_scheme=scheme,
    )
    page.evaluate(f"() => document.documentElement.setAttribute('data-theme', '{scheme}')")
    wait_for_charts(page)
    found = page.evaluate(
        """() => [...document.querySelectorAll('.ictstory-chart__key')].map(key => {
          const box = key.getBoundingClientRect();
          const page = getComputedStyle(document.body).backgroundColor;
          return {
            left: box.left, right: box.right, height: box.height,
            overflow: key.scrollWidth - key.clientWidth,
            entries: [...key.querySelectorAll('li')].map(li => {
              const b = li.getBoundingClientRect();
              const swatch = li.querySelector('svg');
              return { right: b.right, height: b.height, text: li.textContent,
                       colour: getComputedStyle(swatch).color,
                       font: parseFloat(getComputedStyle(li).fontSize) };
            }),
            page,
          };
        })"""
    )
    assert len(found) >= 2
    from test_palette import contrast

    def rgb(css: str) -> tuple[float, float, float]:
        r, g, b = (float(x) / 255 for x in css[css.index("(") + 1 : -1].split(",")[:3])
        return r, g, b

    for key in found:
        assert key["height"] > 0 and key["left"] >= 0 and key["right"] <= 320, key
        assert key["overflow"] <= 0, key
        for entry in key["entries"]:
            assert entry["right"] <= 320 and entry["height"] > 0 and entry["font"] >= 12, entry
            assert contrast(rgb(entry["colour"]), rgb(key["page"])) >= 3, (entry, key["page"])
    page.emulate_media(media="print")
    assert page.evaluate(
        "() => [...document.querySelectorAll('.ictstory-chart__key')]"
        ".every(k => getComputedStyle(k).display !== 'none' && k.offsetHeight > 0)"
    )
    assert log.errors == []
    page.context.close()
