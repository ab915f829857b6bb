"""Every page in a real browser: charts render, nothing leaves 127.0.0.1, no errors.

Serves _build/html on 127.0.0.1, opens every page in Debian's headless Chromium
through Playwright, aborts (and records) every request to another host.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import site_pages
from playwright.sync_api import Browser, Page, sync_playwright

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make browser` (make test does)")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class PageLog:
    """What one page did: console errors, failed and off-site requests."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.offsite: list[str] = []


def _open(browser: Browser, server: str, path: str, **context: object) -> tuple[Page, PageLog]:
    log = PageLog()
    ctx = browser.new_context(**context)  # type: ignore[arg-type]
    host = urlparse(server).netloc

    def route(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        parsed = urlparse(url)
        if parsed.scheme in ("http", "https", "ws", "wss") and parsed.netloc != host:
            log.offsite.append(url)
            route.abort()  # type: ignore[attr-defined]
        else:
            route.continue_()  # type: ignore[attr-defined]

    ctx.route("**/*", route)
    page = ctx.new_page()
    page.on("console", lambda m: log.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.errors.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: log.failed.append(f"{r.url} ({r.failure})"))
    page.on(
        "response",
        lambda r: log.failed.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else None,
    )
    page.goto(f"{server}/{path}", wait_until="load")
    return page, log


def _wait_for_charts(page: Page) -> int:
    count = page.locator(".ictstory-chart").count()
    if count:
        page.wait_for_function(
            "() => [...document.querySelectorAll('.ictstory-chart')]"
            ".every(f => f.dataset.rendered)",
            timeout=20_000,
        )
    page.wait_for_load_state("networkidle")
    return count


def _pages(site: Path) -> list[str]:
    return [p.relative_to(site).as_posix() for p in site_pages(site)]


def test_every_page_renders_offline_without_errors(
    browser: Browser, server: str, site: Path
) -> None:
    problems: list[str] = []
    charts_seen = 0
    for path in _pages(site):
        page, log = _open(browser, server, path)
        charts = _wait_for_charts(page)
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
    page, log = _open(browser, server, "index.html")
    page.evaluate("() => fetch('https://cdn.example.org/x.js').catch(() => null)")
    page.wait_for_timeout(300)
    assert log.offsite == ["https://cdn.example.org/x.js"]
    page.context.close()


def _first_chart_page(site: Path) -> str:
    for path in _pages(site):
        if 'class="ictstory-chart"' in (site / path).read_text(encoding="utf-8"):
            return path
    pytest.fail("no page with a chart")


def test_charts_fit_a_phone(browser: Browser, server: str, site: Path) -> None:
    page, log = _open(
        browser,
        server,
        _first_chart_page(site),
        viewport={"width": 375, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
    )
    _wait_for_charts(page)
    widths = page.eval_on_selector_all(
        ".ictstory-chart__view svg", "els => els.map(e => e.getBoundingClientRect().right)"
    )
    assert widths and max(widths) <= 375 + 1, widths
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= 376
    assert log.errors == []
    page.context.close()


def test_charts_follow_dark_mode(browser: Browser, server: str, site: Path) -> None:
    page, log = _open(browser, server, _first_chart_page(site), color_scheme="light")
    _wait_for_charts(page)

    def title_fill() -> str:
        return page.eval_on_selector(
            ".ictstory-chart__view svg .role-title-text text", "e => e.getAttribute('fill')"
        )

    light = title_fill()
    page.evaluate("() => document.documentElement.setAttribute('data-theme', 'dark')")
    page.wait_for_function(
        "(light) => { const t = document.querySelector("
        "'.ictstory-chart__view svg .role-title-text text');"
        " return t && t.getAttribute('fill') !== light; }",
        arg=light,
        timeout=10_000,
    )
    dark = title_fill()
    assert light != dark
    assert log.errors == []
    page.context.close()
