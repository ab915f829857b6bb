"""Charts that read on a phone (issue 21, points 1, 3 and 7).

Every chart of both editions, at 320, 375 and 414 px, light and dark, once the
interactive view has drawn, and in the static drawing (scripts off): every ``text`` of
the chart's SVG lies inside the chart's visible box, and no two labels overlap by more
than a quarter of the smaller one. One page load per page and width for the drawn
charts (light, then dark on the same page: the reader's switch redraws them) and one
with scripts off for the static drawings; all charts of a page are measured in one
``evaluate``. Then a tapped mark's tooltip: a compact card (at most a third of a
375x667 screen, no internal ids), and the static drawing's text at a phone's width.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, serve, wait_for_charts, wait_for_scripts
from playwright.sync_api import Browser, Page

WIDTHS = (320, 375, 414)
HEIGHT = 740
#: Slack (px) for anti-aliasing of a glyph box at the chart's edge.
EDGE = 1.0
#: The static drawings of a chart: the desktop one and the one drawn for a phone.
STATIC = "svg.ictstory-chart__static, svg.ictstory-chart__phone"
#: Two labels collide when they share more than this part of the smaller one's box.
OVERLAP = 0.25

#: Every chart's texts against its visible box, and the pairs of texts that collide.
#: ``selector`` picks the drawing: the live view or the static SVG.
MEASURE = """([selector, edge, share]) => {
  const hidden = (el, root) => {
    for (let n = el; n && n !== root.parentNode; n = n.parentNode) {
      if (n.nodeType !== 1) continue;
      const s = getComputedStyle(n);
      if (s.display === 'none' || s.visibility === 'hidden' || parseFloat(s.opacity) === 0
          || n.getAttribute('opacity') === '0' || n.getAttribute('fill-opacity') === '0'
             && n.tagName === 'text') return true;
    }
    return false;
  };
  const page = document.documentElement.clientWidth;
  return [...document.querySelectorAll('figure.ictstory-chart')].map(f => {
    const view = f.querySelector('.ictstory-chart__view');
    if (view && !view.getClientRects().length)  // a list stands in for it (the timeline)
      return {id: f.id, drawn: true, clipped: [], collide: [], texts: 0, minSize: 0};
    // the drawing shown: the live view's, or the static one drawn for this width
    const svg = view && [...view.querySelectorAll(selector)].find(s => s.getClientRects().length);
    if (!svg) return {id: f.id, drawn: false, clipped: [], collide: [], texts: 0, minSize: 0};
    const v = view.getBoundingClientRect(), s = svg.getBoundingClientRect();
    const box = {left: Math.max(v.left, s.left, 0), right: Math.min(v.right, s.right, page),
                 top: Math.max(v.top, s.top), bottom: Math.min(v.bottom, s.bottom)};
    const texts = [...svg.querySelectorAll('text')]
      .filter(t => t.textContent.trim() && !hidden(t, svg))
      .map(t => ({text: t.textContent.trim(), r: t.getBoundingClientRect(),
                  size: parseFloat(getComputedStyle(t).fontSize) *
                        (svg.getBoundingClientRect().width / (svg.viewBox && svg.viewBox.baseVal
                         && svg.viewBox.baseVal.width || svg.getBoundingClientRect().width))}))
      .filter(t => t.r.width > 0 && t.r.height > 0)
      // one label drawn twice in the same place (a label per row of its panel) reads once
      .filter((t, i, all) => !all.slice(0, i).some(u => u.text === t.text
        && Math.abs(u.r.left - t.r.left) < 1 && Math.abs(u.r.top - t.r.top) < 1));
    const clipped = texts.filter(t => t.r.left < box.left - edge || t.r.right > box.right + edge
        || t.r.top < box.top - edge || t.r.bottom > box.bottom + edge)
      .map(t => t.text + ' [' + Math.round(t.r.left - box.left) + ',' +
                Math.round(t.r.right - box.right) + ']');
    const collide = [];
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i].r, b = texts[j].r;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w <= 0 || h <= 0) continue;
      const smaller = Math.min(a.width * a.height, b.width * b.height);
      if (w * h > share * smaller) collide.push(texts[i].text + ' / ' + texts[j].text);
    }
    return {id: f.id, drawn: true, clipped, collide, texts: texts.length,
            minSize: texts.length ? Math.min(...texts.map(t => t.size)) : 0};
  });
}"""


def chart_pages(edition: Path) -> list[str]:
    """The pages of an edition that hold a chart, relative to the site's root."""
    return sorted(
        p.relative_to(edition.parent).as_posix()
        for p in edition.rglob("*.html")
        if "_static" not in p.parts
        and p.parent.name not in ("embed", "slides")
        and 'class="ictstory-chart"' in p.read_text(encoding="utf-8")
    )


def problems_of(facts: list[dict[str, Any]], where: str) -> tuple[list[str], list[str]]:
    """Clipped texts and colliding pairs of one page's charts, each named by place."""
    clipped, collide = [], []
    for fact in facts:
        name = f"{where}#{fact['id']}"
        if not fact["drawn"]:
            clipped.append(f"{name}: not drawn")
        clipped += [f"{name}: clipped {text!r}" for text in fact["clipped"]]
        collide += [f"{name}: collide {pair!r}" for pair in fact["collide"]]
    return clipped, collide


@pytest.fixture(scope="module")
def root_server(site_root: Path) -> Iterator[str]:
    with serve(site_root) as url:
        yield url


def _set_mode(page: Page, mode: str) -> None:
    page.evaluate(
        "m => { document.documentElement.dataset.mode = m;"
        " document.documentElement.dataset.theme = m; }",
        mode,
    )


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("edition", ["en", "vi"])
def test_drawn_charts_keep_their_text_inside_and_apart(
    browser: Browser, root_server: str, site_root: Path, edition: str, width: int
) -> None:
    pages = chart_pages(site_root / edition)
    assert len(pages) >= 8, pages
    context = browser.new_context(viewport={"width": width, "height": HEIGHT})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    clipped, collide, measured = [], [], 0
    for path in pages:
        page.goto(f"{root_server}/{path}", wait_until="load")
        wait_for_scripts(page)
        for mode in ("light", "dark"):
            if mode == "dark":
                _set_mode(page, mode)
                page.wait_for_function(
                    "() => [...document.querySelectorAll('figure.ictstory-chart')]"
                    ".every(f => f._ictstoryView && f._ictstorySpec &&"
                    " JSON.stringify(f._ictstorySpec.config.axis || {}).includes('adbac7'))"
                )
            count = wait_for_charts(page)
            facts = page.evaluate(MEASURE, [".vega-embed svg", EDGE, OVERLAP])
            assert len(facts) == count
            measured += count
            a, b = problems_of(facts, f"{path} {width}px {mode}")
            clipped += a
            collide += b
    context.close()
    print(*clipped, *collide, sep="\n")
    print(
        f"\n{edition} {width}px drawn: {measured} chart views, "
        f"{len(clipped)} clipped, {len(collide)} colliding"
    )
    assert measured >= 2 * len(pages)
    assert clipped == [] and collide == []
    assert errors == []


@pytest.mark.browser
@pytest.mark.parametrize("edition", ["en", "vi"])
def test_static_drawings_keep_their_text_inside_apart_and_readable(
    browser: Browser, root_server: str, site_root: Path, edition: str
) -> None:
    pages = chart_pages(site_root / edition)
    clipped, collide, small, measured = [], [], [], 0
    for width in WIDTHS:
        context = browser.new_context(
            viewport={"width": width, "height": HEIGHT}, java_script_enabled=False
        )
        page = context.new_page()
        for path in pages:
            page.goto(f"{root_server}/{path}", wait_until="load")  # scripts off
            facts = page.evaluate(MEASURE, [STATIC, EDGE, OVERLAP])
            measured += len(facts)
            a, b = problems_of(facts, f"{path} {width}px static")
            clipped += a
            collide += b
            if width == 375:
                small += [
                    f"{path}#{f['id']}: static text {f['minSize']:.1f} px at 375 px"
                    for f in facts
                    if f["texts"] and f["minSize"] < 11
                ]
        context.close()
    print(*clipped, *collide, *small, sep="\n")
    print(
        f"\n{edition} static: {measured} chart views, {len(clipped)} clipped, "
        f"{len(collide)} colliding, {len(small)} under 11 px at 375 px"
    )
    assert measured >= len(pages) * len(WIDTHS)
    assert clipped == [] and collide == []
    assert small == []


#: The small marks of a page's charts that carry a tooltip: chart id and each mark's
#: centre and size in the page's coordinates (from the Vega scenegraph).
SMALL_MARKS = """() => [...document.querySelectorAll('figure.ictstory-chart')].flatMap(f => {
  const view = f._ictstoryView && f._ictstoryView.view;
  const svg = f.querySelector('.vega-embed svg');
  if (!view || !svg || !svg.getClientRects().length) return [];
  const box = svg.getBoundingClientRect(), found = [];
  const walk = (scene, ox, oy) => (scene.items || []).forEach(item => {
    if (scene.marktype === 'group') {
      (item.items || []).forEach(c => walk(c, ox + (item.x || 0), oy + (item.y || 0)));
    } else if (item.tooltip != null && item.bounds) {
      const b = item.bounds;
      found.push({id: f.id, x: box.left + ox + (b.x1 + b.x2) / 2,
                  y: box.top + oy + (b.y1 + b.y2) / 2,
                  w: b.x2 - b.x1, h: b.y2 - b.y1});
    }
  });
  walk(view.scenegraph().root, 0, 0);
  return found.filter(m => m.w < 20 && m.h < 20);
})"""
#: Internal ids a reader's card must not show: a document's hash id, a row id.
INTERNAL_ID = r"\b\d{3}_[0-9a-f]{16}\b|\b[FET]\d{3}\b"


def _gloss_words() -> dict[str, str]:
    """The titles of the excerpt and of our English gloss in the cards, by edition."""
    with (ROOT / "data" / "vocabulary.csv").open(encoding="utf-8", newline="") as handle:
        rows = {r["key"]: r for r in csv.DictReader(handle)}
    gloss, excerpt = rows["column.excerpt-en"], rows["column.excerpt"]
    return {"en": gloss["en"], "vi": gloss["vi"], "excerpt": excerpt["en"]}


@pytest.mark.browser
@pytest.mark.parametrize(
    "path", ["en/chapters/cybersecurity.html", "vi/chapters/introduction.html"]
)
def test_a_tap_beside_a_small_mark_opens_a_compact_card(
    browser: Browser, root_server: str, path: str
) -> None:
    context = browser.new_context(
        viewport={"width": 375, "height": 667}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    page.goto(f"{root_server}/{path}", wait_until="load")
    wait_for_charts(page)
    marks = [m for m in page.evaluate(SMALL_MARKS) if m["w"] > 0]
    assert marks, "no small mark with a tooltip on the page"
    mark = marks[0]
    page.locator(f"#{mark['id']}").scroll_into_view_if_needed()
    mark = next(m for m in page.evaluate(SMALL_MARKS) if m["id"] == mark["id"] and m["w"] > 0)
    # a tap 11 px right of the centre: outside a dot under 22 px, inside its 24 px target
    page.touchscreen.tap(mark["x"] + 11, mark["y"])
    card = page.locator("#vg-tooltip-element.visible")
    card.wait_for(state="visible")
    box = card.bounding_box()
    assert box is not None
    text = card.inner_text()
    assert page.locator("#vg-tooltip-element .ictstory-tip__head").inner_text().strip()
    assert box["width"] * box["height"] <= 375 * 667 / 3, (box, text)
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert not re.search(INTERNAL_ID, text), text
    # the Vietnamese quote with our English gloss under it, in the English edition only
    keys = [k.strip() for k in card.locator(".ictstory-tip__key").all_inner_texts()]
    words = _gloss_words()
    if path.startswith("en/"):
        assert words["en"] in keys, text
        gloss = card.locator(".ictstory-tip__value").nth(keys.index(words["en"]))
        assert gloss.inner_text().strip() and keys.index(words["en"]) > 0, text
        assert keys[keys.index(words["en"]) - 1] == words["excerpt"], keys
    else:
        assert words["en"] not in keys and words["vi"] not in keys, text
    context.close()


@pytest.mark.browser
def test_the_timeline_is_a_list_by_date_on_a_phone(browser: Browser, root_server: str) -> None:
    for width, listed in ((375, True), (1280, False)):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        page.goto(f"{root_server}/en/chapters/timeline.html", wait_until="load")
        wait_for_scripts(page)
        figure = page.locator("figure.ictstory-chart:has(.ictstory-chart__list)").first
        items = figure.locator(".ictstory-chart__list li")
        assert items.count() >= 10
        assert figure.locator(".ictstory-chart__list").is_visible() is listed
        assert figure.locator(".ictstory-chart__view").is_visible() is not listed
        if listed:
            first = items.first
            for part in ("date", "field", "text", "source"):
                assert first.locator(f".ictstory-chart__list-{part}").inner_text().strip()
            assert first.bounding_box()["width"] <= width  # type: ignore[index]
        else:  # the legend says what it does: no "click one to highlight" that does nothing
            wait_for_charts(page)
            legend = " ".join(
                t or "" for t in figure.locator(".role-legend text").all_text_contents()
            )
            assert legend and "click" not in legend.lower()
        context.close()
