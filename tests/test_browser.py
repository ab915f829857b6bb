"""Every page in a real browser: charts render, nothing leaves 127.0.0.1, no errors.

Serves _build/html on 127.0.0.1, opens every page in Debian's headless Chromium
through Playwright, aborts (and records) every request to another host.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import open_page, site_pages, wait_for_charts
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


def _pages(site: Path) -> list[str]:
    return [p.relative_to(site).as_posix() for p in site_pages(site)]


def test_every_page_renders_offline_without_errors(
    browser: Browser, server: str, site: Path
) -> None:
    problems: list[str] = []
    charts_seen = 0
    for path in _pages(site):
        page, log = open_page(browser, server, path)
        charts = wait_for_charts(page)
        charts_seen += charts
        drawn = page.locator(
            ".ictstory-chart[data-rendered='true'] .ictstory-chart__view :is(svg, canvas)"
        ).count()
        if drawn < charts:
            problems.append(f"{path}: {charts - drawn} of {charts} charts not drawn")
        if page.locator(".ictstory-chart__view[aria-label='']").count():
            problems.append(f"{path}: a chart has no text alternative")
        problems += [f"{path}: console error: {e}" for e in log.errors]
        problems += [f"{path}: failed request: {f}" for f in log.failed]
        problems += [f"{path}: request to another host: {u}" for u in log.offsite]
        page.context.close()
    assert charts_seen >= 2, "the book shows fewer than two charts"
    assert problems == []


def test_offsite_requests_are_caught(browser: Browser, server: str) -> None:
    """The guard itself works: a page that asks another host is reported."""
    page, log = open_page(browser, server, "index.html")
    # the fetch settles only after the route has seen (and aborted) the request
    page.evaluate("() => fetch('https://cdn.example.org/x.js').catch(() => null)")
    assert log.offsite == ["https://cdn.example.org/x.js"]
    page.context.close()


def _first_chart_page(site: Path) -> str:
    for path in _pages(site):
        if 'class="ictstory-chart"' in (site / path).read_text(encoding="utf-8"):
            return path
    pytest.fail("no page with a chart")


def test_charts_fit_a_phone(browser: Browser, server: str, site: Path) -> None:
    page, log = open_page(
        browser,
        server,
        _first_chart_page(site),
        viewport={"width": 375, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
    )
    wait_for_charts(page)
    widths = page.eval_on_selector_all(
        ".ictstory-chart__view svg", "els => els.map(e => e.getBoundingClientRect().right)"
    )
    assert widths and max(widths) <= 375 + 1, widths
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= 376
    assert log.errors == []
    page.context.close()


def test_charts_follow_dark_mode(browser: Browser, server: str, site: Path) -> None:
    page, log = open_page(browser, server, _first_chart_page(site), color_scheme="light")
    wait_for_charts(page)

    def title_fill() -> str:
        return page.eval_on_selector(
            ".ictstory-chart__view svg .role-axis-label text", "e => e.getAttribute('fill')"
        )

    light = title_fill()
    page.evaluate("() => document.documentElement.setAttribute('data-theme', 'dark')")
    page.wait_for_function(
        "(light) => { const t = document.querySelector("
        "'.ictstory-chart__view svg .role-axis-label text');"
        " return t && t.getAttribute('fill') !== light; }",
        arg=light,
        timeout=10_000,
    )
    dark = title_fill()
    assert light != dark
    assert log.errors == []
    page.context.close()
