"""The two editions in a real browser: search without diacritics, the language switch,
the remembered choice, over HTTP and from a file:// copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import open_page, serve, wait_for_scripts
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

POSTAL = "chapters/postal.html"


def _search_results(page: object) -> list[str]:
    """The links Sphinx's search page lists, once it says the search finished."""
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => (document.querySelector('#search-results .search-summary')?.textContent"
        " || '').trim().length > 0",
        timeout=30_000,
    )
    return page.eval_on_selector_all(  # type: ignore[attr-defined]
        "#search-results ul.search li a", "links => links.map(a => a.getAttribute('href'))"
    )


@pytest.mark.parametrize("query", ["bưu chính", "buu chinh", "BƯU CHÍNH", "Buu Chinh"])
def test_vietnamese_search_finds_the_postal_chapter_with_or_without_diacritics(
    site_root: Path, browser: Browser, query: str
) -> None:
    with serve(site_root) as server:
        page, log = open_page(browser, server, f"vi/search.html?q={query}")
        try:
            links = _search_results(page)
            summary = page.locator(f'#search-results li:has(a[href^="{POSTAL}"]) p.context')
            summary.first.wait_for(timeout=20_000)
            context = summary.first.inner_text().lower()
        finally:
            page.context.close()
    assert any(POSTAL in (link or "") for link in links), links
    assert "bưu chính" in context, context  # the summary shows where the words are
    assert log.offsite == []


def test_english_search_still_works(site_root: Path, browser: Browser) -> None:
    with serve(site_root) as server:
        page, _ = open_page(browser, server, "en/search.html?q=postal")
        try:
            links = _search_results(page)
        finally:
            page.context.close()
    assert any(POSTAL in (link or "") for link in links), links


def test_search_works_from_a_file_copy(site_root: Path, browser: Browser) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto((site_root / "vi" / "search.html").as_uri() + "?q=buu+chinh")
        wait_for_scripts(page)
        links = _search_results(page)
    finally:
        context.close()
    assert any(POSTAL in (link or "") for link in links), links


def test_the_language_switch_lands_on_the_same_chapter_and_is_remembered(
    site_root: Path, browser: Browser
) -> None:
    with serve(site_root) as server:
        page, log = open_page(browser, server, f"vi/{POSTAL}")
        try:
            assert page.locator("html").get_attribute("lang") == "vi"
            page.locator("a.ictstory-language").first.click()
            page.wait_for_url(f"**/en/{POSTAL}")
            assert page.locator("html").get_attribute("lang") == "en"
            page.locator("a.ictstory-language").first.click()  # back to Vietnamese
            page.wait_for_url(f"**/vi/{POSTAL}")
            page.goto(f"{server}/index.html")  # the root page remembers the choice
            page.wait_for_url("**/vi/index.html")
            page.goto(f"{server}/index.html?choose")  # ... unless asked to choose
            page.get_by_role("link", name="English").click()
            page.wait_for_url("**/en/index.html")
            page.goto(f"{server}/index.html")
            page.wait_for_url("**/en/index.html")
        finally:
            page.context.close()
    assert log.errors == []


@pytest.mark.parametrize("width", [320, 375])
def test_vietnamese_pages_do_not_scroll_sideways_for_the_switch(
    site_root: Path, browser: Browser, width: int
) -> None:
    with serve(site_root) as server:
        page, _ = open_page(
            browser, server, f"vi/{POSTAL}", viewport={"width": width, "height": 700}
        )
        try:
            button = page.locator("a.ictstory-language").first
            assert button.is_visible()
            box = button.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        finally:
            page.context.close()
