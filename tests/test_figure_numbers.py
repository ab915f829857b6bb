"""One figure numbering for site, slides and handouts: "Figure <chapter>.<n>" ("Hình 3.2"),
the chapter's number being its place in ``_toc.yml`` (the front page not counted).
The handouts' side is checked in ``test_handouts.py`` (the same chart, the same number)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from ictstory.site import figures

LANGUAGES = ("en", "vi")
WORD = {"en": "Figure", "vi": "Hình"}


def test_numbering_puts_the_chapter_first_once() -> None:
    body = (
        '<span class="ictstory-chart__number">Figure 2.</span> '
        '<div aria-label="Data of figure 2"></div>'
        '<span class="ictstory-chart__number">Hình 10.</span>'
    )
    once = figures.number_figures(body, 3)
    assert "Figure 3.2.</span>" in once and 'aria-label="Data of figure 3.2"' in once
    assert "Hình 3.10.</span>" in once
    assert figures.number_figures(once, 3) == once  # a page written twice keeps its numbers
    numbers = figures.chapter_numbers()
    assert "index" not in numbers and numbers["chapters/introduction"] == 1
    assert sorted(numbers.values()) == list(range(1, len(numbers) + 1))


def _site_labels(site_root: Path, lang: str) -> dict[str, list[str]]:
    found = {}
    for page in sorted((site_root / lang / "chapters").glob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        labels = [
            s.get_text(strip=True)
            for s in soup.select("figure.ictstory-chart .ictstory-chart__number")
        ]
        if labels:
            found[page.stem] = labels
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_site_numbers_each_chart_with_its_chapter(site_root: Path, lang: str) -> None:
    numbers = figures.chapter_numbers()
    labels = _site_labels(site_root, lang)
    assert sum(len(v) for v in labels.values()) >= 20
    for name, found in labels.items():
        chapter = numbers[f"chapters/{name}"]
        assert found == [f"{WORD[lang]} {chapter}.{n}." for n in range(1, len(found) + 1)], name


@pytest.mark.parametrize("lang", LANGUAGES)
def test_slides_show_the_sites_numbers(site_root: Path, lang: str) -> None:
    labels = _site_labels(site_root, lang)
    pattern = re.compile(rf"{WORD[lang]} \d+(?:\.\d+)*\.")
    decks = 0
    for deck in sorted((site_root / lang / "slides").glob("*.html")):
        if deck.stem not in labels:
            continue
        text = BeautifulSoup(deck.read_text(encoding="utf-8"), "html.parser").get_text(" ")
        shown = pattern.findall(text)
        assert shown, deck.name
        assert set(shown) <= set(labels[deck.stem]), (deck.name, shown[:3])
        decks += 1
    assert decks >= 5
