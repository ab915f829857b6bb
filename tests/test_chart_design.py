"""Charts a reader can use (issue 9, design): legends that show what each kind of value
looks like, chart text in the page's font at a readable size, stacked panels as wide as
the column, no axis below zero for values that never are, and the title shown once.

The first tests need no build; the others read the built site (``make book``) and open
it in Chromium at a desktop and a phone width, light and dark.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import open_page, serve, wait_for_charts
from playwright.sync_api import Browser

from ictstory.data import load_table
from ictstory.story.charts import STATIC_WIDTH, show
from ictstory.story.theme import (
    FIELD_COLOURS,
    KIND_DASH,
    KIND_FILL,
    KINDS,
    kind_encodings,
)

#: A legend entry of a Vega SVG: its symbol's attributes, then its label.
LEGEND_ENTRY = re.compile(
    r"role-legend-symbol[^>]*>\s*<path(?P<attrs>[^>]*)>.*?"
    r"role-legend-label[^>]*>\s*<text[^>]*>(?P<label>[^<]*)</text>",
    re.S,
)
ATTR = re.compile(r'([\w-]+)="([^"]*)"')
#: The pages the browser tests open: every form of chart, both editions.
PAGES = [
    "en/chapters/postal.html",
    "en/chapters/telecom.html",
    "en/chapters/introduction.html",
    "en/chapters/digital-transformation.html",
    "en/chapters/covid.html",
    "vi/chapters/introduction.html",
    "vi/chapters/covid.html",
    "vi/chapters/telecom.html",
]
VIEWPORTS = {"desktop": (1280, 900), "phone": (375, 740)}


def _dash(kind: str) -> str:
    return ",".join(str(n) for n in KIND_DASH[kind])


def kind_legend(svg: str, labels: dict[str, str]) -> dict[str, dict[str, str]]:
    """The kinds' legend entries of an SVG: kind → its symbol's attributes."""
    by_label = {label: kind for kind, label in labels.items()}
    entries = {}
    for match in LEGEND_ENTRY.finditer(svg):
        label = match["label"].replace("&amp;", "&")
        if label in by_label:
            entries[by_label[label]] = dict(ATTR.findall(match["attrs"]))
    return entries


def legend_problems(entries: dict[str, dict[str, str]], where: str) -> list[str]:
    """What is wrong with the symbols of a legend of the kinds."""
    problems = []
    looks = set()
    for kind, attrs in entries.items():
        fill = float(attrs.get("fill-opacity", "1"))
        dash = attrs.get("stroke-dasharray", "")
        if fill != KIND_FILL[kind]:
            problems.append(f"{where}: {kind} symbol fill-opacity {fill}, not {KIND_FILL[kind]}")
        if dash != _dash(kind):
            problems.append(f"{where}: {kind} symbol dash {dash!r}, not {_dash(kind)!r}")
        if attrs.get("stroke") in (None, "", "none", "transparent"):
            problems.append(f"{where}: {kind} symbol has no outline")
        looks.add((fill, dash))
    if len(looks) != len(entries):
        problems.append(f"{where}: two kinds share a legend symbol: {entries}")
    return problems


# --- No build needed -------------------------------------------------------------------------


def test_every_kind_has_a_look_of_its_own() -> None:
    kinds_en, kinds_vi = KINDS.in_language("en"), KINDS.in_language("vi")
    assert list(kinds_en) == list(kinds_vi) == list(KIND_FILL) == list(KIND_DASH)
    assert kinds_en["outside"] == "Outside source" and kinds_vi["outside"] == "Nguồn bên ngoài"
    looks = {(KIND_FILL[k], tuple(KIND_DASH[k])) for k in KINDS}
    assert len(looks) == len(KINDS), "two kinds of value look the same"
    # a kind that is not filled must be told apart by its dash alone
    unfilled = [tuple(KIND_DASH[k]) for k in KINDS if KIND_FILL[k] == 0]
    assert len(set(unfilled)) == len(unfilled)


def _source() -> str:
    return str(load_table("sources")["source_id"].iloc[0])


def _all_kinds_chart(colour_by_field: bool) -> alt.Chart:
    rows = pd.DataFrame(
        {
            "label": [f"row {i}" for i in range(len(KINDS))],
            "value": [float(i + 1) for i in range(len(KINDS))],
            "kind": list(KINDS),
            "source_id": _source(),
            "field_name": ["Postal services", "Telecommunications"] * 3,
        }
    )
    colour: Any = alt.Color("field_name:N") if colour_by_field else alt.value("#0072B2")
    mark = alt.Chart(rows).mark_point(size=90) if colour_by_field else alt.Chart(rows).mark_bar()
    return mark.encode(x="value:Q", y="label:N", color=colour, **kind_encodings(rows)).properties(
        title="Every kind of value in one chart"
    )


@pytest.mark.parametrize("colour_by_field", [False, True])
def test_the_legend_of_the_kinds_draws_each_kind_as_its_marks(colour_by_field: bool) -> None:
    markup = show(
        _all_kinds_chart(colour_by_field), alt_text="A test chart with all six kinds of value"
    ).markup
    entries = kind_legend(markup, KINDS)
    assert set(entries) == set(KINDS), entries
    assert legend_problems(entries, "test chart") == []
    if colour_by_field:  # a neutral grey, visible on the light and the dark page
        assert {a["stroke"] for a in entries.values()} == {FIELD_COLOURS["sector_wide"]}


def test_the_static_drawing_has_no_title_and_readable_text() -> None:
    markup = show(
        _all_kinds_chart(False), alt_text="A test chart with all six kinds of value"
    ).markup
    static = markup.index('<svg class="ictstory-chart__static"')  # after the key's swatches
    svg = markup[static : markup.index("</svg>", static)]
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert texts and "Every kind of value in one chart" not in texts
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)px"', svg)]
    assert sizes and min(sizes) >= 12
    # the spec keeps the title: the downloads draw it
    assert "Every kind of value in one chart" in markup.split("ictstory-chart__spec")[1]


def test_stacked_panels_fill_the_static_width() -> None:
    rows = pd.DataFrame(
        {"label": ["a", "b"], "value": [1.0, 2.0], "source_id": _source(), "kind": "reported"}
    )
    panel = alt.Chart(rows).mark_bar().encode(x="value:Q", y="label:N").properties(width=250)
    chart = alt.vconcat(panel, panel).properties(title="Two panels, one under the other")
    markup = show(chart, alt_text="Two stacked panels of a made-up test chart").markup
    width = float(re.search(r'viewBox="0 0 ([\d.]+)', markup).group(1))  # type: ignore[union-attr]
    assert abs(width - STATIC_WIDTH) <= 2


# --- The built site --------------------------------------------------------------------------


def _uses_kind_legend(spec: object) -> bool:
    """Whether a spec encodes ``kind`` as fill opacity or dash with a legend anywhere."""
    if isinstance(spec, dict):
        for channel in ("fillOpacity", "strokeDash"):
            encoding = spec.get("encoding", {}).get(channel)
            if isinstance(encoding, dict) and encoding.get("field") == "kind":
                if encoding.get("legend", {}) is not None:
                    return True
        return any(_uses_kind_legend(v) for k, v in spec.items() if k != "datasets")
    if isinstance(spec, list):
        return any(_uses_kind_legend(v) for v in spec)
    return False


@pytest.mark.parametrize("edition", ["en", "vi"])
def test_every_legend_of_kinds_in_the_book_shows_their_looks(site_root: Path, edition: str) -> None:
    labels = KINDS.in_language(edition)
    checked, problems = 0, []
    for page in sorted((site_root / edition / "chapters").glob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for figure in soup.select("figure.ictstory-chart"):
            spec = json.loads(figure.select_one("script.ictstory-chart__spec").string)
            kinds = {r.get("kind") for rows in spec.get("datasets", {}).values() for r in rows}
            if not _uses_kind_legend(spec) or len(kinds - {None}) < 2:
                continue
            where = f"{edition}/{page.name}#{figure['id']}"
            entries = kind_legend(str(figure.select_one("svg.ictstory-chart__static")), labels)
            if len(entries) < 2:
                problems.append(f"{where}: no legend of the kinds in the drawing")
                continue
            checked += 1
            problems += legend_problems(entries, where)
            svg_texts = {t.get_text() for t in figure.select("svg text")}
            heading = figure.select_one(".ictstory-chart__title")
            title = heading.get_text(" ", strip=True) if heading else ""
            long_texts = [t for t in svg_texts if len(t) >= 15]
            if title and (title in svg_texts or any(t in title for t in long_texts)):
                problems.append(f"{where}: the drawing repeats the title")
    assert checked >= 3, "fewer charts with a legend of the kinds than the book has"
    assert problems == []


# --- In the browser --------------------------------------------------------------------------

FACTS = """() => [...document.querySelectorAll('figure.ictstory-chart')].map(f => {
  const view = f.querySelector('.ictstory-chart__view');
  const svg = view.querySelector('.vega-embed svg');
  const spec = JSON.parse(f.querySelector('.ictstory-chart__spec').textContent);
  const title = [].concat((spec.title && spec.title.text) || spec.title || []);
  const texts = svg ? [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()) : [];
  const values = Object.values(spec.datasets || {}).flat()
    .map(r => r.value).filter(v => typeof v === 'number');
  const legend = svg ? [...svg.querySelectorAll('.role-legend-symbol path')].map(p => ({
    fillOpacity: p.getAttribute('fill-opacity'), dash: p.getAttribute('stroke-dasharray'),
    stroke: getComputedStyle(p).stroke })) : [];
  return {
    id: f.id,
    drawn: !!svg,
    stacked: !!(spec.vconcat || (spec.concat && spec.columns === 1)),
    container: spec.width === 'container',
    column: view.clientWidth,
    width: svg ? svg.getBoundingClientRect().width : 0,
    pageFont: getComputedStyle(f).fontFamily,
    fonts: [...new Set(texts.map(t => getComputedStyle(t).fontFamily))],
    minSize: Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize))),
    cut: texts.map(t => t.textContent).filter(s => s.endsWith('…')),
    titleInside: texts.map(t => t.textContent).filter(s => s.length > 12 && title.includes(s)),
    axisLabels: svg ? [...svg.querySelectorAll('.role-axis-label text')]
      .map(t => t.textContent) : [],
    minValue: values.length ? Math.min(...values) : null,
    // visible tick labels of one axis that overlap one another
    crowded: svg ? [...svg.querySelectorAll('.role-axis')].flatMap(axis => {
      const boxes = [...axis.querySelectorAll('.role-axis-label text')]
        .filter(t => t.getAttribute('opacity') !== '0' && t.textContent.trim())
        .map(t => ({text: t.textContent, r: t.getBoundingClientRect()}));
      const out = [];
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].r, b = boxes[j].r;
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1
            && b.top < a.bottom - 1) out.push(boxes[i].text + ' / ' + boxes[j].text);
      }
      return out;
    }) : [],
    legend,
  };
})"""


@pytest.fixture(scope="module")
def root_server(site_root: Path) -> Any:
    with serve(site_root) as url:
        yield url


def _negative(label: str) -> bool:
    return label.strip().startswith(("−", "-"))


@pytest.mark.browser
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("path", PAGES)
def test_charts_fit_the_column_in_the_pages_font(
    browser: Browser, root_server: str, path: str, viewport: str
) -> None:
    width, height = VIEWPORTS[viewport]
    page, log = open_page(browser, root_server, path, viewport={"width": width, "height": height})
    count = wait_for_charts(page)
    assert count >= 1
    problems = []
    for fact in page.evaluate(FACTS):
        where = f"{path}#{fact['id']} at {width}px"
        if not fact["drawn"]:
            problems.append(f"{where}: not drawn")
            continue
        if fact["cut"]:
            problems.append(f"{where}: labels cut with …: {fact['cut'][:3]}")
        if fact["fonts"] != [fact["pageFont"]]:
            problems.append(f"{where}: chart fonts {fact['fonts']}, page {fact['pageFont']!r}")
        if fact["minSize"] < 12:
            problems.append(f"{where}: chart text of {fact['minSize']} px")
        if fact["titleInside"]:
            problems.append(f"{where}: the drawing repeats the title {fact['titleInside']}")
        if fact["width"] > fact["column"] + 1:
            problems.append(f"{where}: {fact['width']:.0f} px wide in a {fact['column']} px column")
        if (fact["stacked"] or fact["container"]) and fact["width"] < 0.8 * fact["column"]:
            problems.append(
                f"{where}: {fact['width']:.0f} px wide, "
                f"under 80 % of the {fact['column']} px column"
            )
        if fact["crowded"]:
            problems.append(f"{where}: tick labels overlap: {fact['crowded'][:3]}")
        if fact["minValue"] is not None and fact["minValue"] >= 0:
            below = [label for label in fact["axisLabels"] if _negative(label)]
            if below:
                problems.append(f"{where}: an axis below zero for values ≥ 0: {below}")
    assert problems == []
    assert log.errors == []
    page.context.close()


def _luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "path", ["en/chapters/digital-transformation.html", "vi/chapters/telecom.html"]
)
def test_live_legends_of_the_kinds_show_their_looks(
    browser: Browser, root_server: str, path: str, scheme: str
) -> None:
    page, log = open_page(browser, root_server, path, color_scheme=scheme)
    page.evaluate(f"() => document.documentElement.setAttribute('data-theme', '{scheme}')")
    wait_for_charts(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll('figure.ictstory-chart')]"
        ".every(f => f.dataset.rendered === 'true')"
    )
    labels = KINDS.in_language("en" if path.startswith("en/") else "vi")
    background = page.evaluate(
        "() => getComputedStyle(document.querySelector('.bd-content') || document.body)"
        ".backgroundColor"
    )
    if "rgba(0, 0, 0, 0)" in background:
        background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    svgs = page.evaluate(
        "() => [...document.querySelectorAll('figure.ictstory-chart .vega-embed svg')]"
        ".map(s => s.outerHTML)"
    )
    checked, problems = 0, []
    for number, svg in enumerate(svgs, start=1):
        entries = kind_legend(svg, labels)
        if len(entries) < 2:
            continue
        checked += 1
        problems += legend_problems(entries, f"{path} chart {number} ({scheme})")
        for kind, attrs in entries.items():
            stroke = attrs["stroke"]
            rgb = ",".join(str(int(stroke[i : i + 2], 16)) for i in (1, 3, 5))
            if _contrast(f"rgb({rgb})", background) < 3:
                problems.append(f"{path} chart {number}: {kind} symbol {stroke} under 3:1")
    assert checked >= 1
    assert problems == []
    assert log.errors == []
    page.context.close()


@pytest.mark.browser
def test_downloads_keep_the_title(browser: Browser, root_server: str) -> None:
    page, log = open_page(browser, root_server, "en/chapters/telecom.html", accept_downloads=True)
    wait_for_charts(page)
    figure = page.locator("figure.ictstory-chart").first
    title = figure.locator(".ictstory-chart__title").inner_text()
    with page.expect_download() as info:
        figure.locator("button.ictstory-chart__image[data-type='svg']").click()
    svg = Path(info.value.path()).read_text(encoding="utf-8")
    # a title of two lines is one <text> of two <tspan>s
    words = " ".join(re.sub(r"<[^>]+>", " ", svg).replace("&amp;", "&").split())
    assert title in words
    assert log.errors == []
    page.context.close()
