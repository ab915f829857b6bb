"""Trainers' slide decks (ictstory.slides): one per chapter with charts, in both editions."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import open_page, serve
from playwright.sync_api import Browser


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.site  # asks for the site by name (getfixturevalue)
@pytest.mark.parametrize("edition", ["site", "site_vi"])
def test_every_chapter_with_charts_has_a_deck_of_its_charts(
    edition: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(edition)
    decks = 0
    for page in sorted((site / "chapters").glob("*.html")):
        chapter = _soup(page)
        titles = [t.get_text(" ", strip=True) for t in chapter.select(".ictstory-chart__title")]
        deck = site / "slides" / page.name
        if not titles:
            assert not deck.exists(), f"{deck.name}: a deck for a chapter without charts"
            continue
        decks += 1
        slides = _soup(deck).select("section.slide")
        headings = [h.get_text(" ", strip=True) for h in _soup(deck).select("section.slide h2")]
        for title in titles:
            assert title in headings, f"{deck.name}: no slide for {title!r}"
        assert len(slides) >= len(titles) + 1  # a title slide, then the charts (and questions)
        assert len(_soup(deck).select("section.slide div.chart svg")) == len(titles)
        for link in _soup(deck).select("a[href]"):
            href = str(link["href"])
            assert not href.startswith(("http:", "https:", "//")), f"{deck.name}: {href}"
            target = (deck.parent / href.split("#")[0]).resolve()
            assert target.is_file(), f"{deck.name}: broken link {href}"
    assert decks >= 9


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_deck_is_keyboard_driven_offline_and_prints_a_slide_a_page(
    site_root: Path, browser: Browser, tmp_path: Path, language: str
) -> None:
    with serve(site_root) as server:
        page, log = open_page(browser, server, f"{language}/slides/postal.html")
        count = page.locator("section.slide").count()
        current = "section.slide.current"
        assert page.locator(current).count() == 1
        assert page.locator("section.slide").first.evaluate("s => s.classList.contains('current')")
        page.keyboard.press("ArrowRight")
        assert page.locator(current).locator("div.chart svg").count() == 1
        assert page.url.endswith("#2")
        page.keyboard.press("End")
        assert page.url.endswith(f"#{count}")
        page.keyboard.press("Home")
        assert page.url.endswith("#1")
        pdf = tmp_path / f"slides-{language}.pdf"
        page.pdf(path=str(pdf), format="A4", landscape=True, print_background=True)
        page.context.close()
    assert log.errors == [] and log.failed == [] and log.offsite == []
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])
    assert pages == count
