"""Each chart is a figure a reader can use: numbered, titled, linkable, downloadable
(CSV, PNG, SVG named after it) and accessible, with tooltips inside a phone's screen.

The browser tests run axe-core (pinned in package-lock.json, installed by ``make
axe``; they fail without it) on the charts; the properties it checks for charts
are also asserted directly. ``test_axe.py`` runs it on every page.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from conftest import axe_source, open_page, serve, wait_for_charts
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from ictstory.site.figures import chapter_numbers
from ictstory.story.charts import CHART_ID, CSV_COLUMNS, slugify, title_text

#: Chapters the browser tests open: many charts, multi-panel ones, a wide explorer.
CHART_PAGES = ["chapters/telecom.html", "chapters/covid.html", "chapters/introduction.html"]


def _chart_pages(site: Path) -> list[Path]:
    return sorted(
        p for p in (site / "chapters").glob("*.html") if 'class="ictstory-chart"' in p.read_text()
    )


def _figures(page: Path) -> list[BeautifulSoup]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return soup.select("figure.ictstory-chart")


def _csv_rows(href: str) -> list[list[str]]:
    prefix = "data:text/csv;charset=utf-8,"
    assert href.startswith(prefix), href[:60]
    text = unquote(href[len(prefix) :])
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


# --- The markup (both editions) --------------------------------------------------------------


def test_slugs_are_readable_and_ascii() -> None:
    assert slugify("Post kept growing") == "post-kept-growing"
    assert slugify("Bưu chính: doanh thu tăng đều, 2016–2021") == "buu-chinh-doanh-thu-tang-deu"
    # numbers glued from the data do not reach the anchor
    assert slugify("Users went from 53.0% to 74.2%") == slugify("Users went from 61% to 80,5%")
    assert slugify("Ranked 50th, then 25th") == "ranked-then"
    assert slugify("Đ") == "d" and slugify("—") == "chart"
    assert len(slugify("word " * 40)) <= 50
    assert title_text({"text": ["Two lines", "of a title"]}) == "Two lines of a title"


@pytest.mark.parametrize("edition", ["en", "vi"])
def test_every_chart_is_a_numbered_figure_with_an_anchor_and_a_csv(
    site_root: Path, edition: str
) -> None:
    figure_word = {"en": "Figure", "vi": "Hình"}[edition]
    problems: list[str] = []
    pages = _chart_pages(site_root / edition)
    assert pages
    for page in pages:
        soup_ids = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        figures = soup_ids.select("figure.ictstory-chart")
        ids = [f["id"] for f in figures]
        if len(set(ids)) != len(ids):
            problems.append(f"{page.name}: repeated chart ids {ids}")
        all_ids = [t["id"] for t in soup_ids.select("[id]")]
        chapter = chapter_numbers()[f"chapters/{page.stem}"]  # "Figure <chapter>.<n>"
        for number, figure in enumerate(figures, start=1):
            name = f"{edition}/{page.name}#{figure['id']}"
            spec = json.loads(figure.select_one("script.ictstory-chart__spec").string)
            heading = figure.select_one(".ictstory-chart__title")
            title = heading.get_text(" ", strip=True) if heading else ""
            assert "title" not in spec, f"{name}: the title belongs in the Markdown"
            slug = figure["data-slug"]
            # a stable id of words (st.chart), the same in both editions, not a hash
            if not CHART_ID.fullmatch(slug) or not title:
                problems.append(f"{name}: slug {slug!r} is not a chart id, or no title")
            if figure["id"] != f"chart-{slug}" or all_ids.count(figure["id"]) != 1:
                problems.append(f"{name}: id is not chart-<slug> or not unique on the page")
            caption = soup_ids.find(id=figure.get("aria-labelledby"))
            if caption is None or caption.name != "figcaption" or caption.parent is not figure:
                problems.append(f"{name}: aria-labelledby does not name its figcaption")
            elif caption.get_text(" ", strip=True) != f"{figure_word} {chapter}.{number}. {title}":
                problems.append(f"{name}: caption {caption.get_text(' ', strip=True)!r}")
            described = soup_ids.find(id=figure.get("aria-describedby"))
            view = figure.select_one(".ictstory-chart__view")
            if described is None or described.get_text() != view["aria-label"]:
                problems.append(f"{name}: aria-describedby does not point to the description")
            link = figure.select_one("a.ictstory-chart__link")
            if link is None or link["href"] != f"#{figure['id']}":
                problems.append(f"{name}: no link to the chart")
            data = figure.select_one("a.ictstory-chart__csv")
            if data is None or data.get("download") != f"{slug}.csv":
                problems.append(f"{name}: no CSV download named {slug}.csv")
                continue
            rows = _csv_rows(data["href"])
            table_ids = {td.get_text() for td in figure.select("table tbody tr td:first-child")}
            if rows[0] == CSV_COLUMNS:
                csv_ids = {r[0] for r in rows[1:]}
                if not table_ids <= csv_ids or len(rows) < 2:
                    problems.append(f"{name}: the CSV lacks figures of the data table")
                if any(not r[6] or not r[7] for r in rows[1:]):
                    problems.append(f"{name}: a CSV row has no source")
            elif table_ids:
                problems.append(f"{name}: CSV header {rows[0]}")
            # nothing focusable inside the role="img" view, in the markup at least
            if view.select("a, button, input, select, textarea, summary, [tabindex]"):
                problems.append(f"{name}: a focusable element inside role=img")
            wrap = figure.select_one(".ictstory-chart__table-wrap")
            if wrap is not None and wrap.get("tabindex") != "0":
                problems.append(f"{name}: the data table cannot be scrolled by keyboard")
    assert problems == []


def test_anchors_stay_when_the_data_change() -> None:
    """An anchor is the title's slug: charts whose data differ keep it."""
    import altair as alt
    import pandas as pd

    from ictstory.data import load_table
    from ictstory.story.charts import show

    source = str(load_table("sources")["source_id"].iloc[0])

    def chart(value: float) -> str:
        rows = pd.DataFrame({"label": ["a"], "value": [value], "source_id": [source]})
        made = alt.Chart(rows).mark_bar().encode(x="value:Q", y="label:N")
        return show(
            made.properties(title="A title that stays put"),
            alt_text="One made-up bar, for a test of anchors",
        ).markup

    first, second = chart(1.0), chart(2.0)
    assert 'id="chart-a-title-that-stays-put"' in first
    assert 'id="chart-a-title-that-stays-put-2"' in second  # unique in one page
    assert 'download="a-title-that-stays-put.csv"' in first


# --- In the browser --------------------------------------------------------------------------


def _axe_chart_violations(page: Page, axe: str) -> list[str]:
    page.add_script_tag(content=axe)
    result = page.evaluate(
        "() => axe.run(document.querySelectorAll('figure.ictstory-chart'),"
        " {resultTypes: ['violations']})"
    )
    return [
        f"{v['id']} ({v['impact']}): {len(v['nodes'])} × {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture(scope="module")
def root_server(site_root: Path) -> Iterator[str]:
    with serve(site_root) as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["en/chapters/telecom.html", "vi/chapters/covid.html"])
def test_charts_pass_axe_and_name_their_figures(
    browser: Browser, root_server: str, path: str, scheme: str
) -> None:
    page, log = open_page(browser, root_server, path, color_scheme=scheme)
    page.evaluate(f"() => document.documentElement.setAttribute('data-theme', '{scheme}')")
    count = wait_for_charts(page)
    assert count >= 2
    facts = page.evaluate(
        """() => [...document.querySelectorAll('figure.ictstory-chart')].map(f => ({
            id: f.id,
            focusableInImg: f.querySelectorAll('[role=img] :is(a[href], button, summary,'
              + ' input, select, textarea, [tabindex]:not([tabindex="-1"]))').length,
            menus: f.querySelectorAll('.vega-actions, .vega-embed details').length,
            named: !!document.getElementById(f.getAttribute('aria-labelledby')),
            described: !!document.getElementById(f.getAttribute('aria-describedby')),
            summaryNamed: [...f.querySelectorAll('summary')].every(s => s.textContent.trim()),
        }))"""
    )
    bad = [
        f
        for f in facts
        if f["focusableInImg"] or f["menus"] or not f["named"] or not f["described"]
    ]
    bad += [f for f in facts if not f["summaryNamed"]]
    assert bad == []
    # the data table is reachable by keyboard: Tab reaches the summary, Enter opens it,
    # and the next Tab stops in the table's scroll region
    summary = page.locator("figure.ictstory-chart summary").first
    summary.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.className")
    assert "ictstory-chart__table-wrap" in focused
    assert _axe_chart_violations(page, axe_source()) == []
    assert log.errors == [] and log.offsite == []
    page.context.close()


@pytest.mark.browser
def test_downloads_are_named_after_the_chart(browser: Browser, root_server: str) -> None:
    page, log = open_page(browser, root_server, "en/chapters/telecom.html", accept_downloads=True)
    wait_for_charts(page)
    figure = page.locator("figure.ictstory-chart").first
    slug = figure.get_attribute("data-slug")
    assert slug and not slug.startswith("chart")
    with page.expect_download() as info:
        figure.locator("a.ictstory-chart__csv").click()
    download = info.value
    assert download.suggested_filename == f"{slug}.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].split(",") == CSV_COLUMNS
    for kind in ("png", "svg"):
        with page.expect_download() as info:
            figure.locator(f"button.ictstory-chart__image[data-type='{kind}']").click()
        assert info.value.suggested_filename == f"{slug}.{kind}"
        head = Path(info.value.path()).read_bytes()[:200]
        assert head.startswith(b"\x89PNG") if kind == "png" else b"<svg" in head
    # the link to the chart is its own anchor
    figure.locator("a.ictstory-chart__link").click()
    assert page.evaluate("() => location.hash") == f"#chart-{slug}"
    assert log.errors == [] and log.offsite == []
    page.context.close()


def _mark_points(page: Page, limit: int = 12) -> list[dict[str, float]]:
    """Points on marks that carry a tooltip, spread over the page's charts."""
    return page.evaluate(
        """(limit) => {
          const out = [];
          for (const f of document.querySelectorAll('figure.ictstory-chart')) {
            const marks = [...f.querySelectorAll('.vega-embed svg .mark-rect path,'
              + ' .vega-embed svg .mark-symbol path, .vega-embed svg .mark-arc path')]
              .filter(m => { const r = m.getBoundingClientRect();
                             return r.width >= 3 && r.height >= 3; });
            for (const m of [marks[0], marks[marks.length - 1]]) {
              if (!m) continue;
              m.scrollIntoView({block: 'center'});
              const r = m.getBoundingClientRect();
              out.push({x: r.left + r.width / 2, y: r.top + r.height / 2, id: f.id});
              if (out.length >= limit) return out;
              break;
            }
          }
          return out;
        }""",
        limit,
    )


def _tooltip_box(page: Page) -> dict[str, float] | None:
    return page.evaluate(
        """() => { const t = document.getElementById('vg-tooltip-element');
          if (!t || !t.classList.contains('visible')) return null;
          const r = t.getBoundingClientRect();
          return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                  width: innerWidth, height: innerHeight}; }"""
    )


def _wait_for_tooltip(page: Page, timeout: float = 5_000) -> dict[str, float] | None:
    """The tooltip's box once it shows (a loaded machine draws it late); None if it
    does not show within ``timeout`` ms (a tap or hover that missed the mark)."""
    try:
        page.wait_for_function(
            "() => document.getElementById('vg-tooltip-element')?.classList.contains('visible')",
            timeout=timeout,
        )
    except PlaywrightTimeoutError:
        return None
    return _tooltip_box(page)


@pytest.mark.browser
@pytest.mark.parametrize("path", CHART_PAGES)
def test_tooltips_stay_inside_a_phone_screen(browser: Browser, server: str, path: str) -> None:
    page, log = open_page(
        browser,
        server,
        path,
        viewport={"width": 375, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    wait_for_charts(page)
    marks = page.locator(
        ".ictstory-chart .vega-embed svg :is(.mark-rect, .mark-symbol, .mark-arc) path"
    )
    count = marks.count()
    picked = sorted({*range(0, count, max(1, count // 8)), count - 1})
    seen = {"tap": 0, "hover": 0}
    outside = []
    # taps first: on a phone no mouse pointer lingers before a tap
    for action in ("tap", "hover"):
        for index in picked:
            mark = marks.nth(index)
            if not mark.is_visible():  # e.g. a mark of a chart that has not drawn it yet
                continue
            mark.scroll_into_view_if_needed()
            box = mark.bounding_box()
            if not box or box["width"] < 2 or box["height"] < 2:
                continue
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            on_chart = "([x, y]) => !!document.elementFromPoint(x, y)?.closest('.vega-embed')"
            if not page.evaluate(on_chart, [x, y]):
                continue  # covered (by the last tooltip or the sticky header): a tap would miss
            if action == "hover":
                page.mouse.move(1, 1)
                page.mouse.move(x, y)
            else:
                page.touchscreen.tap(x, y)
            tip = _wait_for_tooltip(page)
            if tip is None:
                continue
            seen[action] += 1
            # inside the layout viewport (wider than 375 px only while a page
            # scrolls sideways, which the browser then zooms out to show)
            width, height = tip["width"], tip["height"]
            if tip["left"] < 0 or tip["right"] > width or tip["top"] < 0 or tip["bottom"] > height:
                outside.append(f"mark {index} {action}: {tip}")
    assert seen["tap"] >= 2 and seen["hover"] >= 2, seen
    assert outside == []
    assert log.errors == []
    page.context.close()


@pytest.mark.browser
def test_a_tap_shows_a_marks_details(browser: Browser, server: str) -> None:
    page, _ = open_page(
        browser,
        server,
        "chapters/telecom.html",
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    wait_for_charts(page)
    mark = page.locator("figure.ictstory-chart .vega-embed svg :is(.mark-rect, .mark-symbol) path")
    mark = mark.first
    mark.scroll_into_view_if_needed()
    box = mark.bounding_box()
    assert box
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tip = _wait_for_tooltip(page)
    assert tip is not None, "a tap on a mark showed no details"
    assert 0 <= tip["left"] and tip["right"] <= tip["width"]
    page.context.close()
