"""Search from a copy opened as files (file://), in both editions: the results are
listed, without the extracts that a served copy shows, and the console stays clean
(browsers refuse fetch() of file:// pages, which Sphinx uses for the extracts)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import open_page, serve, wait_for_scripts
from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

POSTAL = "chapters/postal.html"
QUERIES = {"en": "postal", "vi": "buu chinh"}


def _finished(page: Page) -> list[str]:
    """The result links, once Sphinx says the search finished and every item is listed."""
    page.wait_for_function(
        "() => (document.querySelector('#search-results .search-summary')?.textContent"
        " || '').trim().length > 0",
        timeout=30_000,
    )
    page.wait_for_load_state("networkidle")  # any summary fetch has failed and said so
    return page.eval_on_selector_all(
        "#search-results ul.search li a", "links => links.map(a => a.getAttribute('href'))"
    )


@pytest.mark.parametrize("edition", ["en", "vi"])
def test_search_from_files_lists_results_without_console_errors(
    site_root: Path, browser: Browser, edition: str
) -> None:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: errors.append(f"failed: {r.url} ({r.failure})"))
    try:
        url = (site_root / edition / "search.html").as_uri() + f"?q={QUERIES[edition]}"
        page.goto(url)
        wait_for_scripts(page)
        links = _finished(page)
        extracts = page.locator("#search-results li p.context").count()
    finally:
        context.close()
    assert any(POSTAL in (link or "") for link in links), links
    assert errors == [], errors
    assert extracts == 0  # no extract without a server: the fetch is not attempted


@pytest.mark.parametrize("edition", ["en", "vi"])
def test_served_search_keeps_its_extracts(site_root: Path, browser: Browser, edition: str) -> None:
    with serve(site_root) as server:
        page, log = open_page(browser, server, f"{edition}/search.html?q={QUERIES[edition]}")
        try:
            links = _finished(page)
            extract = page.locator(f'#search-results li:has(a[href^="{POSTAL}"]) p.context')
            extract.first.wait_for(timeout=20_000)
        finally:
            page.context.close()
    assert any(POSTAL in (link or "") for link in links), links
    assert log.errors == [] and log.failed == [], (log.errors, log.failed)
