"""Trainers' slide decks (ictstory.trainers.slides): one per chapter with charts, both editions."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import open_page, serve, wait_for_scripts
from playwright.sync_api import Browser, Page

from ictstory.trainers import slides

#: Projector sizes every slide must fit.
SIZES = [(1024, 768), (1280, 800), (1920, 1080)]

#: In the browser, for one slide: what lies outside ``box`` (the viewport, or the slide
#: itself when the slides are stacked) or is clipped by an ancestor that hides overflow,
#: the smallest font of its HTML text, and the smallest rendered size of its chart text.
FIT = """
([slide, stacked]) => {
  const eps = 1, problems = [];
  let html = Infinity, chart = Infinity;
  const box = stacked ? slide.getBoundingClientRect()
    : {left: 0, top: 0, right: innerWidth, bottom: innerHeight};
  const inside = (r, b) => r.left >= b.left - eps && r.top >= b.top - eps &&
    r.right <= b.right + eps && r.bottom <= b.bottom + eps;
  const name = (el) => el.tagName.toLowerCase() + ' ' + (el.textContent || '').trim().slice(0, 40);
  const apart = (r, b) => r.right <= b.left + eps || r.left >= b.right - eps ||
    r.bottom <= b.top + eps || r.top >= b.bottom - eps;
  const check = (r, el) => {
    if (r.width === 0 && r.height === 0) return;
    const clips = [];
    for (let a = el.parentElement; a && a !== slide.parentElement; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') clips.push(a);
    }
    // wholly outside a clipping box: not shown at all (the other pieces of a cut chart)
    if (clips.some((a) => apart(r, a.getBoundingClientRect()))) return;
    if (!inside(r, box)) problems.push(`${name(el)} outside the screen`);
    for (const a of clips) {
      if (!inside(r, a.getBoundingClientRect())) problems.push(`${name(el)} clipped`);
    }
  };
  for (const el of [slide, ...slide.querySelectorAll('*')]) {
    const cs = getComputedStyle(el);
    if (el.closest('.notes') || cs.display === 'none' || cs.visibility === 'hidden') continue;
    if (el.tagName === 'g') continue;  // a group: its marks and labels are checked
    if (el.getBBox && el.tagName !== 'svg') {
      const b = el.getBBox();
      if (b.width === 0 && b.height === 0) continue;
    }
    check(el.getBoundingClientRect(), el);
  }
  const walk = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
  for (let t = walk.nextNode(); t; t = walk.nextNode()) {
    const el = t.parentElement;
    if (!t.textContent.trim() || el.closest('title, desc, style, script, .notes')) continue;
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden') continue;
    const range = document.createRange();
    range.selectNodeContents(t);
    for (const r of range.getClientRects()) check(r, el);
    const size = parseFloat(cs.fontSize);
    if (el.closest('svg')) {
      const m = el.getScreenCTM();
      chart = Math.min(chart, size * Math.hypot(m.a, m.b));
    } else html = Math.min(html, size);
  }
  const filled = [...slide.querySelectorAll('.chart')].every((c) => {
    const outer = c.getBoundingClientRect(), svg = c.querySelector('svg');
    const v = svg.viewBox.baseVal, s = Math.min(outer.width / v.width, outer.height / v.height);
    return Math.abs(v.width * s - outer.width) < 2 || Math.abs(v.height * s - outer.height) < 2;
  });
  return {problems: [...new Set(problems)], html, chart, filled};
}
"""


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _decks(site_root: Path) -> list[str]:
    return [
        f"{language}/slides/{deck.name}"
        for language in ("en", "vi")
        for deck in sorted((site_root / language / "slides").glob("*.html"))
    ]


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
        links = chapter.select(f"article p.{slides.LINK_CLASS} a[href]")
        if not titles:
            assert not deck.exists(), f"{deck.name}: a deck for a chapter without charts"
            assert not links, f"{page.name}: links a deck it has not"
            continue
        decks += 1
        assert [a["href"] for a in links] == [f"../slides/{page.name}"], page.name
        slides_ = _soup(deck).select("section.slide")
        headings = [h.get_text(" ", strip=True) for h in _soup(deck).select("section.slide h2")]
        for title in titles:
            assert title in headings, f"{deck.name}: no slide for {title!r}"
        assert len(slides_) >= len(titles) + 1  # a title slide, then the charts (and questions)
        objectives = chapter.select_one("article h1 ~ .admonition")  # first box, maybe folded
        assert objectives is not None, page.name
        wanted = [" ".join(li.get_text(" ").split()) for li in objectives.select("li")]
        shown = [li.get_text(" ", strip=True) for li in _soup(deck).select("section.slide ul li")]
        assert wanted and shown == wanted, f"{deck.name}: not the chapter's learning objectives"
        charts = _soup(deck).select("section.slide div.chart svg")
        assert len(charts) >= len(titles)  # a tall chart may take a slide a view
        assert len(charts) == len(_soup(deck).select("div.chart svg:not(.part)")) + len(
            _soup(deck).select("div.chart svg.part")
        )
        for link in _soup(deck).select("a[href]"):
            href = str(link["href"])
            assert not href.startswith(("http:", "https:", "//")), f"{deck.name}: {href}"
            target = (deck.parent / href.split("#")[0]).resolve()
            assert target.is_file(), f"{deck.name}: broken link {href}"
    assert decks >= 9


def _hidden_texts(page: Path) -> list[str]:
    """The text of every block a chapter page hides from its readers."""
    soup = _soup(page)
    blocks = soup.select(".d-none, .ictstory-trainer-notes, [hidden]")
    return [" ".join(li.get_text(" ").split()) for b in blocks for li in b.select("li, p")]


@pytest.mark.parametrize("edition", ["site", "site_vi"])
def test_no_deck_carries_a_hidden_block_or_a_note(
    edition: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(edition)
    for deck in sorted((site / "slides").glob("*.html")):
        text = " ".join(_soup(deck).get_text(" ").split())
        for hidden in _hidden_texts(site / "chapters" / deck.name):
            assert len(hidden) < 20 or hidden not in text, f"{deck.name}: {hidden[:60]!r}"
        assert not _soup(deck).select(".notes"), f"{deck.name}: trainer's notes in the site"
        assert "SPEAKER_PAGE" not in deck.read_text(encoding="utf-8")


@pytest.mark.parametrize("edition", ["site", "site_vi"])
def test_tall_charts_of_stacked_views_are_cut_between_their_views(
    edition: str, request: pytest.FixtureRequest
) -> None:
    """A chart much taller than wide gets one slide a view; the slides' pieces tile the
    drawing from top to bottom (the fit test checks that no label is cut)."""
    site: Path = request.getfixturevalue(edition)
    split = 0
    for deck in sorted((site / "slides").glob("*.html")):
        chapter = _soup(site / "chapters" / deck.name)
        for figure in chapter.select("figure.ictstory-chart"):
            svg = figure.select_one("svg.ictstory-chart__static")
            width, height = (float(x) for x in str(svg.get("viewbox")).split()[2:])
            parts = [
                s.select_one("div.chart svg")
                for s in _soup(deck).select("section.slide")
                if s.select_one(f'p.figure-number a[href$="#{figure["id"]}"]')
            ]
            views = svg.select("g[class~=role-scope]")
            views = [
                g
                for g in views
                if any(
                    c.startswith("concat_") and c.endswith("_group") and c.count("_") == 2
                    for c in g["class"]
                )
            ]
            if height <= slides.SPLIT_RATIO * width or len(views) < 2:
                assert len(parts) == 1, f"{deck.name}: {figure['id']} cut"
                continue
            if len(parts) == 1:  # views side by side: not cut
                continue
            split += 1
            assert len(parts) <= len(views), f"{deck.name}: {figure['id']}"
            boxes = [[float(x) for x in str(p.get("viewbox")).split()] for p in parts]
            assert boxes[0][1] == 0 and abs(boxes[-1][1] + boxes[-1][3] - height) < 0.2
            for above, below in zip(boxes, boxes[1:], strict=False):
                assert abs(above[1] + above[3] - below[1]) < 0.2, f"{deck.name}: a gap"
    assert split >= 2


#: A built chapter page in miniature: two questions, then the trainer's notes in a
#: block hidden by its classes, as the chapters once carried them.
CHAPTER = """<!DOCTYPE html><html><body><article class="bd-article">
<section id="demo"><h1>Demo chapter<a class="headerlink" href="#demo">#</a></h1>
<div class="admonition"><p class="admonition-title">Learning objectives</p>
<ul><li><p>Read a chart.</p></li></ul></div>
<figure class="ictstory-chart" id="fig-a"><p class="ictstory-chart__number">Figure 1.</p>
<p class="ictstory-chart__title">A rose</p>
<svg class="ictstory-chart__static" viewBox="0 0 640 200"><text>1</text></svg>
<p class="ictstory-chart__source">Source: <a href="sources.html#s1">a report</a>.</p></figure>
<figure class="ictstory-chart d-none" id="fig-b"><p class="ictstory-chart__title">Hidden chart
</p><svg class="ictstory-chart__static" viewBox="0 0 640 200"></svg></figure>
<section id="questions-for-discussion"><h2>Questions for discussion</h2>
<ol><li><p>Why did it rise?</p></li><li><p>Who counted it?</p></li></ol>
<div class="ictstory-trainer-notes d-none admonition">
<p class="admonition-title">Notes for the trainer</p>
<ol><li><p>SECRET-ANSWER-ONE because prices fell.</p></li></ol></div>
<div hidden><ol><li>SECRET-ANSWER-TWO</li></ol></div>
</section></section></article></body></html>"""


def _chapter(tmp_path: Path) -> Path:
    page = tmp_path / "en" / "chapters" / "demo.html"
    page.parent.mkdir(parents=True)
    page.write_text(CHAPTER, encoding="utf-8")
    (tmp_path / "en" / "chapters" / "sources.html").write_text("<p>s</p>", encoding="utf-8")
    return page


def test_the_builder_never_takes_a_hidden_block(tmp_path: Path) -> None:
    page = _chapter(tmp_path)
    markup = slides.deck(page, "en")
    assert markup is not None
    soup = BeautifulSoup(markup, "html.parser")
    questions = [li.get_text(strip=True) for li in soup.select("section.slide ol li")]
    assert questions == ["Why did it rise?", "Who counted it?"]
    assert "SECRET-ANSWER" not in markup and "Hidden chart" not in markup
    assert len(soup.select("section.slide div.chart svg")) == 1
    assert slides.visible(BeautifulSoup(CHAPTER, "html.parser").select("figure")[0])
    assert not slides.visible(BeautifulSoup(CHAPTER, "html.parser").select("figure")[1])


def test_the_publish_step_links_each_chapter_to_its_deck_once(tmp_path: Path) -> None:
    page = _chapter(tmp_path)
    written = slides.write_decks(tmp_path, ("en",))
    assert written == [tmp_path / "en" / "slides" / "demo.html"]
    links = _soup(page).select(f"article h1 + p.{slides.LINK_CLASS} a[href]")
    assert [a["href"] for a in links] == ["../slides/demo.html"]
    assert not slides.link_chapter(page, "en")  # a second run adds no second link
    assert len(_soup(page).select(f"p.{slides.LINK_CLASS}")) == 1
    assert not (tmp_path / "en" / "slides" / "sources.html").exists()


def test_long_lists_are_cut_into_slides_about_equally_full() -> None:
    items = [f"question {i} " + "x" * 150 for i in range(7)]
    chunks = slides.pages(items)
    assert [item for chunk in chunks for item in chunk] == items
    per_slide = slides.LIST_BUDGET // (len(items[0]) + 40)  # as many as fit, no fewer slides
    assert len(chunks) == -(-len(items) // per_slide)
    assert all(sum(len(i) + 40 for i in c) <= slides.LIST_BUDGET for c in chunks)
    assert max(map(len, chunks)) - min(map(len, chunks)) <= 1
    assert slides.pages(["y" * 2000, "z"]) == [["y" * 2000], ["z"]]
    assert slides.pages(["a", "b"]) == [["a", "b"]]


def _wait_for_slide(page: Page, n: int) -> None:
    page.wait_for_function("n => location.hash === '#' + n", arg=n)


def _step_through(page: Page, size: tuple[int, int], language: str, deck: str) -> list[str]:
    """Visit every slide of the open deck with the keyboard; what does not fit."""
    bad: list[str] = []
    count = page.locator("section.slide").count()
    for n in range(1, count + 1):
        _wait_for_slide(page, n)
        current = page.locator("section.slide.current").element_handle()
        result = page.evaluate(FIT, [current, False])
        if result["problems"]:
            bad.append(f"{size} {deck} slide {n}: {result['problems'][:3]}")
        if size == SIZES[0] and result["html"] < 18:
            bad.append(f"{size} {deck} slide {n}: text at {result['html']} px")
        if not result["filled"]:
            bad.append(f"{size} {deck} slide {n}: chart not scaled to fill its box")
        page.keyboard.press("PageDown")
    return bad


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_slide_fits_the_screen(
    site_root: Path, browser: Browser, size: tuple[int, int]
) -> None:
    """Every slide of every deck, both editions: nothing outside the screen or clipped;
    at 1024x768 no text under 18 px (the charts' own lettering is scaled with them)."""
    bad: list[str] = []
    views = 0
    with serve(site_root) as server:
        decks = _decks(site_root)
        page, log = open_page(
            browser, server, decks[0], viewport={"width": size[0], "height": size[1]}
        )
        for i, path in enumerate(decks):
            if i:
                page.goto(f"{server}/{path}", wait_until="load")
                wait_for_scripts(page)
            views += page.locator("section.slide").count()
            bad += _step_through(page, size, path.split("/")[0], path)
        page.context.close()
    assert bad == []
    assert views >= 2 * 9 * 3
    assert log.errors == [] and log.failed == [] and log.offsite == []


@pytest.mark.parametrize("language", ["en", "vi"])
def test_without_javascript_every_slide_is_shown_one_under_another(
    site_root: Path, browser: Browser, language: str
) -> None:
    with serve(site_root) as server:
        page, log = open_page(
            browser,
            server,
            f"{language}/slides/telecom.html",
            java_script_enabled=False,
            viewport={"width": 1024, "height": 768},
        )
        boxes = page.locator("section.slide").evaluate_all(
            "ss => ss.map(s => [s.getBoundingClientRect().top + scrollY,"
            " s.getBoundingClientRect().height, getComputedStyle(s).display])"
        )
        assert len(boxes) >= 4
        assert all(display != "none" for _, _, display in boxes)
        assert all(abs(height - 768) <= 5 for _, height, _ in boxes)
        tops = [top for top, _, _ in boxes]
        assert all(b - a >= 768 for a, b in zip(tops, tops[1:], strict=False))
        for n, handle in enumerate(page.locator("section.slide").element_handles(), 1):
            handle.scroll_into_view_if_needed()
            result = page.evaluate(FIT, [handle, True])
            assert result["problems"] == [], f"slide {n}"
            assert result["html"] >= 18, f"slide {n}"
        page.context.close()
    assert log.errors == [] and log.failed == [] and log.offsite == []


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
        chart = page.locator("section.slide").evaluate_all(
            "ss => ss.findIndex(s => s.querySelector('div.chart svg')) + 1"
        )
        assert chart >= 2
        for _ in range(chart - 1):
            page.keyboard.press("ArrowRight")
        assert page.locator(current).locator("div.chart svg").count() == 1
        _wait_for_slide(page, chart)
        page.keyboard.press("Home")
        page.keyboard.press("PageDown")
        _wait_for_slide(page, 2)
        page.keyboard.press("PageUp")
        _wait_for_slide(page, 1)
        page.keyboard.press("End")
        _wait_for_slide(page, count)
        page.keyboard.press("Home")
        _wait_for_slide(page, 1)
        # the overview: every slide at once; a click opens one
        page.keyboard.press("o")
        assert page.evaluate("document.documentElement.classList.contains('overview')")
        shown = page.locator("section.slide").evaluate_all(
            "ss => ss.filter(s => s.getBoundingClientRect().height > 0).length"
        )
        assert shown == count
        page.locator("section.slide").nth(2).click()
        _wait_for_slide(page, 3)
        assert not page.evaluate("document.documentElement.classList.contains('overview')")
        assert page.locator("section.slide").nth(2).evaluate("s => s.classList.contains('current')")
        page.keyboard.press("s")  # no speaker view in the participants' deck
        assert len(page.context.pages) == 1
        pdf = tmp_path / f"slides-{language}.pdf"
        page.pdf(path=str(pdf), format="A4", landscape=True, print_background=True)
        page.context.close()
    assert log.errors == [] and log.failed == [] and log.offsite == []
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])
    assert pages == count


def test_the_trainers_copy_has_the_notes_and_a_speaker_view(
    tmp_path: Path, browser: Browser
) -> None:
    page_path = _chapter(tmp_path)
    notes = {"demo": ["Prices fell <b>sharply</b>.", "The statistics office."]}
    out = tmp_path / "handouts" / "en" / "slides"
    written = slides.write_trainer_decks(tmp_path, "en", out, notes)
    assert written == [out / "demo.html"]
    copy = written[0].read_text(encoding="utf-8")
    assert "Prices fell &lt;b&gt;sharply&lt;/b&gt;." in copy  # notes are text, escaped
    assert "SECRET-ANSWER" not in copy
    assert not _soup(written[0]).select("a[href]")  # no links into a site it is not in
    participants = slides.deck(page_path, "en") or ""
    assert "Prices fell" not in participants and "SPEAKER_PAGE" not in participants
    with serve(tmp_path) as server:
        page, log = open_page(browser, server, "handouts/en/slides/demo.html")
        assert not page.locator(".notes").first.is_visible()  # never on the projected slide
        page.keyboard.press("End")
        with page.context.expect_page() as popup:
            page.keyboard.press("s")
        view = popup.value
        view.wait_for_selector("#notes li")
        assert view.locator("#notes").inner_text().count("Prices fell <b>sharply</b>.") == 1
        assert "The statistics office." in view.locator("#notes").inner_text()
        assert view.locator("#now h2").inner_text() == "Questions for discussion"
        view.wait_for_function("document.getElementById('timer').textContent !== '00:00:00'")
        view.keyboard.press("Home")  # the speaker view's keys drive the deck
        page.wait_for_function("location.hash === '#1'")
        view.wait_for_function("!document.querySelector('#notes li')")
        assert view.locator("#next h2").inner_text() == "A rose"
        page.context.close()
    assert log.errors == [] and log.failed == [] and log.offsite == []


def test_a_source_line_too_long_for_a_slide_links_to_the_chart(tmp_path: Path) -> None:
    publishers = ", ".join(f"Publisher number {i}" for i in range(30))
    long_source = f'<p class="ictstory-chart__source">Source: {publishers}.</p>'
    page = _chapter(tmp_path)
    text = page.read_text(encoding="utf-8")
    page.write_text(
        text.replace(
            '<p class="ictstory-chart__source">Source: <a href="sources.html#s1">a report</a>.</p>',
            long_source,
        ),
        encoding="utf-8",
    )
    assert len(publishers) > slides.SOURCE_BUDGET
    soup = BeautifulSoup(slides.deck(page, "en") or "", "html.parser")
    (line,) = soup.select("section.slide p.source")
    assert "Publisher number" not in line.get_text()
    assert [a["href"] for a in line.select("a")] == ["../chapters/demo.html#fig-a"]
    assert line.get_text(strip=True) == slides.WORDS["en"]["sources"]
    # a short line stays as it is
    short = BeautifulSoup(slides.deck(_chapter(tmp_path / "b"), "en") or "", "html.parser")
    assert "a report" in short.select_one("section.slide p.source").get_text()
