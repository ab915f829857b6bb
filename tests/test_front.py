"""Every story chapter opens with its point (issue 20, point 2).

- Markdown (fast): each story chapter of both editions opens, after its code cells,
  with "In short" (``{container} ictstory-inshort``), has its lead chart before its
  first section, and keeps its learning objectives in a folded box.
- Browser (one page a chapter at 375x812, both editions): "In short" is the first
  block of the article and its numbers are glued; the first chart's top lies within
  two phone screens; the objectives are folded and follow the lead chart; every code
  cell's source is hidden until its "Show the code" toggle is opened.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, serve, wait_for_scripts
from playwright.sync_api import Browser

from ictstory.site.front import CODE_CLASS, OBJECTIVES_CLASS, WORDS

#: The phone every check reads the page on, and how many of its screens may come
#: before the lead chart.
PHONE = {"width": 375, "height": 812}
SCREENS = 2
#: The box's title in each edition.
IN_SHORT = {"en": "In short", "vi": "Tóm lại"}
OBJECTIVES = {"en": "Learning objectives", "vi": "Mục tiêu bài học"}
EDITIONS = ("en", "vi")


def story_chapters() -> list[str]:
    """The chapters of the table of contents' first part ("The story")."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [Path(entry["file"]).name for entry in toc["parts"][0]["chapters"]]


STORY = story_chapters()


def _markdown(edition: str, chapter: str) -> str:
    folder = ROOT / "chapters" if edition == "en" else ROOT / "vi" / "chapters"
    return (folder / f"{chapter}.md").read_text(encoding="utf-8")


def _blocks_after_title(text: str) -> list[str]:
    """The page's Markdown after its h1, code cells removed, as blocks split at blank
    lines (a fenced block counts whole)."""
    body = text.split("\n# ", 1)[1].split("\n", 1)[1]
    body = re.sub(r"```\{code-cell\}.*?\n```\n", "", body, flags=re.S)
    return [b.strip() for b in re.split(r"\n\s*\n", body) if b.strip()]


def test_the_story_chapters_are_found() -> None:
    assert len(STORY) >= 10 and "introduction" in STORY and "directions-targets" in STORY


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("chapter", STORY)
def test_a_chapter_opens_with_in_short_then_its_lead_chart(edition: str, chapter: str) -> None:
    text = _markdown(edition, chapter)
    blocks = _blocks_after_title(text)
    assert blocks[0].startswith("::::{container} ictstory-inshort"), (
        f"{edition}/{chapter}: the first block after the title is not In short: {blocks[0][:80]!r}"
    )
    assert f":::{{rubric}} {IN_SHORT[edition]}" in blocks[0]
    assert "{glue:text}`" in blocks[0], f"{edition}/{chapter}: In short glues no number"
    items = [line for line in blocks[0].splitlines() if line.startswith("- ")]
    assert 2 <= len(items) <= 4, f"{edition}/{chapter}: In short has {len(items)} points"
    first_section = text.index("\n## ")
    assert "\n```{chart} " in text[:first_section], f"{edition}/{chapter}: no lead chart on top"
    box = re.search(r":::+\{admonition\} (.+)\n:class: (.+)\n", text)
    assert box and box.group(1) == OBJECTIVES[edition], f"{edition}/{chapter}: objectives box"
    assert OBJECTIVES_CLASS in box.group(2).split(), f"{edition}/{chapter}: objectives not folded"
    assert text.index("\n```{chart} ") < box.start(), f"{edition}/{chapter}: objectives first"


#: What a page reports: positions (CSS px from the top of the document) and order.
_MEASURE = """([inshortClass, deckClass]) => {
  const article = document.querySelector('article.bd-article');
  const top = el => el.getBoundingClientRect().top + window.scrollY;
  const inShort = article.querySelector('.' + inshortClass);
  const blocks = [...article.querySelectorAll('p, ul, ol, table, figure, .admonition, details')]
    .filter(el => !el.closest('h1, .' + inshortClass + ', .' + deckClass))
    .filter(el => el.getClientRects().length > 0);
  const before = inShort ? blocks.filter(
    el => el.compareDocumentPosition(inShort) & Node.DOCUMENT_POSITION_FOLLOWING) : blocks;
  const chart = article.querySelector('figure.ictstory-chart');
  const objectives = article.querySelector('details.admonition.ictstory-objectives');
  return {
    inShort: inShort ? {top: top(inShort), title: inShort.querySelector('.rubric')?.textContent,
                        glued: inShort.querySelectorAll('.pasted-text').length} : null,
    before: before.map(el => el.tagName + '.' + el.className + ': '
                             + el.textContent.trim().slice(0, 60)),
    chart: chart ? top(chart) : null,
    objectives: objectives ? {open: objectives.open,
                              items: objectives.querySelectorAll(':scope > ul > li').length,
                              shown: [...objectives.querySelectorAll('li')]
                                .filter(li => li.checkVisibility()).length,
                              title: objectives.querySelector('summary').textContent.trim(),
                              afterChart: !!chart && !!(chart.compareDocumentPosition(objectives)
                                          & Node.DOCUMENT_POSITION_FOLLOWING)} : null,
  };
}"""


@pytest.fixture(scope="module")
def root_server(site_root: Path) -> Iterator[str]:
    """Both editions served (one server for the module)."""
    with serve(site_root) as url:
        yield url


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("chapter", STORY)
def test_the_point_comes_first_on_a_phone(
    browser: Browser, root_server: str, edition: str, chapter: str
) -> None:
    context = browser.new_context(viewport=PHONE)
    # The chart libraries are not loaded: a chart's static drawing keeps its place, what
    # is measured lies above the first chart, and a busy machine is spared their work.
    context.route("**/vendor/*", lambda route: route.abort())
    try:
        page = context.new_page()
        page.goto(f"{root_server}/{edition}/chapters/{chapter}.html", wait_until="load")
        wait_for_scripts(page)
        page.evaluate("() => document.fonts.ready.then(() => true)")
        found = page.evaluate(_MEASURE, ["ictstory-inshort", "ictstory-deck-link"])
        where = f"{edition}/{chapter}"
        assert found["inShort"], f"{where}: no In short"
        assert found["inShort"]["title"].strip() == IN_SHORT[edition], where
        assert found["inShort"]["glued"] >= 1, f"{where}: In short shows no glued number"
        assert not found["before"], f"{where}: before In short: {found['before'][:3]}"
        assert found["chart"] is not None, f"{where}: no chart"
        limit = SCREENS * PHONE["height"]
        assert found["inShort"]["top"] < PHONE["height"], f"{where}: In short below one screen"
        assert found["chart"] < limit, f"{where}: first chart at {found['chart']:.0f} px"
        objectives = found["objectives"]
        assert objectives and objectives["title"] == OBJECTIVES[edition], where
        assert not objectives["open"] and objectives["afterChart"], f"{where}: {objectives}"
        assert objectives["items"] >= 2 and not objectives["shown"], f"{where}: {objectives}"

        # code: hidden until its toggle is opened, the toggle in the edition's words
        sources = page.locator("article div.cell_input")
        toggles = page.locator(f"article details.{CODE_CLASS}")
        assert sources.count() == toggles.count(), f"{where}: a code cell outside a toggle"
        for i in range(sources.count()):
            assert not sources.nth(i).is_visible(), f"{where}: code cell {i} shows"
        if toggles.count():
            first = toggles.first
            assert first.locator("summary").inner_text().strip() == WORDS[edition]["show-code"]
            first.locator("summary").dispatch_event("click")  # a click, without scrolling
            first.locator("div.cell_input").wait_for(state="visible")
            assert first.locator("summary").inner_text().strip() == WORDS[edition]["hide-code"]
    finally:
        context.close()


def test_some_chapter_has_code_to_show(site: Path) -> None:
    """The toggles the browser test opens exist: the introduction shows its chart's code."""
    text = (site / "chapters" / "introduction.html").read_text(encoding="utf-8")
    assert f'<details class="{CODE_CLASS}">' in text
    assert text.count(f'<details class="{CODE_CLASS}">') == text.count('class="cell_input')
