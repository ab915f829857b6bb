"""The front door (issue 20, points 1 and 3): the home page of each edition shows its key
numbers as cards (each with its period, kind of value, a chapter section and a source that
resolve), one lead chart, and the story's chapters as cards; the six-year arc chapter
exists in both editions and sets the ministry's postal growth beside the outside series'.
"""

from __future__ import annotations

import csv
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, open_page, wait_for_charts
from playwright.sync_api import Browser

from ictstory.story.words import words

EDITIONS = ["site", "site_vi"]
LANG = {"site": "en", "site_vi": "vi"}
ARC_SECTIONS = ["arc-access", "arc-unchanged", "arc-money", "arc-ranks", "arc-disagree"]


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _rows(name: str) -> list[dict[str, str]]:
    with (ROOT / "data" / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _kind_names(lang: str) -> dict[str, str]:
    return {
        key.removeprefix("kind."): pair[lang]
        for key, pair in words().items()
        if key.startswith("kind.")
    }


def _resolves(page: Path, href: str) -> bool:
    """A link from ``page`` to a file of the site and, if it names one, an id in it."""
    parts = urlsplit(href)
    target = (page.parent / parts.path).resolve() if parts.path else page
    if not target.is_file():
        return False
    return not parts.fragment or bool(_soup(target).find(id=parts.fragment))


def _outside_addresses() -> set[str]:
    """Every address an outside value's source has: its page, or its file on GitHub."""
    found = set()
    for row in _rows("outside_sources.csv"):
        if row["url"]:
            found.add(row["url"])
        else:
            found.add(
                f"https://github.com/{row['repository']}/blob/{row['commit']}/"
                f"{row['repository_path']}"
            )
    return found


@pytest.mark.parametrize("edition", EDITIONS)
def test_home_page_has_key_number_cards(request: pytest.FixtureRequest, edition: str) -> None:
    site: Path = request.getfixturevalue(edition)
    index = site / "index.html"
    cards = _soup(index).select("article ul.ictstory-numbers > li.ictstory-number")
    assert 4 <= len(cards) <= 6, len(cards)
    kinds = _kind_names(LANG[edition])
    outside = _outside_addresses()
    seen_kinds = set()
    for card in cards:
        name = card["data-key"]
        value = card.select_one(".ictstory-number__value").get_text(strip=True)
        assert any(c.isdigit() for c in value), (name, value)
        assert card.select_one(".ictstory-number__label").get_text(strip=True), name
        period = card.select_one(".ictstory-number__period").get_text(strip=True)
        assert any(c.isdigit() for c in period), (name, period)  # names a year
        kind = card.select_one(".ictstory-number__kind").get_text(strip=True)
        assert kind in kinds.values(), (name, kind)
        assert f"ictstory-number--{next(k for k, v in kinds.items() if v == kind)}" in card["class"]
        seen_kinds.add(kind)
        chapter = card.select_one("a.ictstory-number__chapter")["href"]
        assert chapter.startswith("chapters/") and _resolves(index, chapter), (name, chapter)
        source = card.select_one("a.ictstory-number__source")["href"]
        if source.startswith("https://"):
            assert source in outside, (name, source)
        else:
            assert _resolves(index, source), (name, source)
    assert len(seen_kinds) >= 3, seen_kinds  # reported, estimated, derived, outside ...


@pytest.mark.parametrize("edition", EDITIONS)
def test_home_page_has_a_lead_chart_and_every_story_chapter_as_a_card(
    request: pytest.FixtureRequest, edition: str
) -> None:
    site: Path = request.getfixturevalue(edition)
    index = site / "index.html"
    soup = _soup(index)
    charts = soup.select("article figure.ictstory-chart")
    assert len(charts) == 1, len(charts)
    assert charts[0].select_one(".ictstory-chart__title").get_text(strip=True)
    assert charts[0].select_one(".ictstory-chart__source").get_text(strip=True)
    toc = yaml.safe_load(
        (ROOT / ("vi/_toc.yml" if edition == "site_vi" else "_toc.yml")).read_text(encoding="utf-8")
    )
    story = [c["file"] for c in toc["parts"][0]["chapters"]]
    assert "chapters/arc" in story
    cards = soup.select(".ictstory-chapter-cards .sd-card")
    linked = []
    for card in cards:
        link = card.select_one("a.sd-stretched-link")
        assert link and _resolves(index, link["href"]), card.get_text(" ", strip=True)[:60]
        linked.append(urlsplit(link["href"]).path.removesuffix(".html"))
        finding = card.select_one(".sd-card-text")
        assert finding and finding.select(".pasted-text"), linked[-1]  # a glued number
    assert linked == story


def _postal_rate(first: int, last: int) -> float:
    values = {
        int(r["year"]): float(r["value"])
        for r in _rows("outside_series.csv")
        if r["indicator"] == "postal_revenue_vnd"
        and r["confidence"] != "low"
        and not r["superseded_by"]
    }
    return ((values[last] / values[first]) ** (1 / (last - first)) - 1) * 100


@pytest.mark.parametrize("edition", EDITIONS)
def test_arc_chapter_sets_both_postal_rates_side_by_side(
    request: pytest.FixtureRequest, edition: str
) -> None:
    site: Path = request.getfixturevalue(edition)
    soup = _soup(site / "chapters" / "arc.html")
    article = soup.select_one("article")
    for anchor in [*ARC_SECTIONS, "arc-peers"]:
        assert article.find(id=anchor), anchor
    assert len(article.select("figure.ictstory-chart")) >= 3
    assert len(article.select(".pasted-text")) >= 30
    section = article.find(id="arc-disagree")
    section = section if section.name == "section" else section.find_parent("section")
    text = section.get_text(" ")
    reported = next(r for r in _rows("figures.csv") if r["figure_id"] == "F305")
    derived = f"{_postal_rate(2016, 2020):.1f}%"
    if edition == "site_vi":
        derived = derived.replace(".", ",")
    assert f"{float(reported['value']):g}%" in text
    assert derived in text, derived


def test_home_page_draws_its_chart_in_a_browser(browser: Browser, server: str) -> None:
    page, log = open_page(browser, server, "index.html", viewport={"width": 320, "height": 700})
    assert wait_for_charts(page) == 1
    drawn = page.eval_on_selector_all(
        ".ictstory-chart .ictstory-chart__view svg, .ictstory-chart .ictstory-chart__view canvas",
        "els => els.filter(e => e.getBoundingClientRect().width > 100).length",
    )
    assert drawn >= 1
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= 320 + 1, overflow  # readable on a 320 px phone, no sideways scroll
    assert log.offsite == [] and log.errors == []
    page.context.close()
