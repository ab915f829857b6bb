"""Slide decks for trainers, made from the built chapters themselves.

Each story chapter with charts gets ``<edition>/slides/<chapter>.html``: a title
slide with the chapter's learning objectives, one slide per chart (its finding as
the heading, the chart as drawn at build time, scaled to fill the slide, its source
line), and the chapter's questions for discussion, a few to a slide so that nothing
is cut on a 1024x768 projector. The decks are written from the built pages, so their
numbers are the pages' numbers; they need no library and no network: one HTML file
each, with a few lines of CSS and script. Keys: arrows, Page Up/Down (clickers),
space, Home/End; ``o`` overview, ``f`` full screen, ``p`` print (one slide a page).
Without JavaScript every slide is shown, one screen each, one under the other.

Nothing hidden on a chapter page ever reaches a deck (:func:`visible`): the trainer's
notes are not for the room. A trainer's copy of a deck (:func:`trainer_deck`,
written beside the answer key) carries the notes given to it and a speaker view
(``s``: current and next slide, notes, a timer) that the participants' decks lack.

Why not a slide library (reveal.js and the like): the slides hold nothing but
blocks the site already renders (static SVG charts, escaped text), and the
behaviours needed fit in about 100 lines; a vendored framework would be 10-20x the
size of a deck and another thing to keep up to date.
"""

from __future__ import annotations

import copy
import html
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from ictstory.story.words import Wordbook

#: Classes that hide a block of a chapter page; such blocks never reach a slide.
HIDDEN_CLASSES = frozenset({"d-none", "ictstory-trainer-notes", "visually-hidden", "sr-only"})
#: A list slide holds items up to about this many characters (1024x768 at 26 px);
#: a title slide, with its heading, link and keys, that less :data:`TITLE_ROOM`.
LIST_BUDGET = 760
TITLE_ROOM = 200
#: Marks the link to the deck that :func:`link_chapter` puts on a chapter page.
LINK_CLASS = "ictstory-deck-link"

#: Words of the decks, by edition.
WORDS = Wordbook(
    "slides",
    (
        "objectives",
        "questions",
        "chapter",
        "keys",
        "speaker_keys",
        "slide",
        "of",
        "deck",
        "link",
        "notes",
        "next",
        "elapsed",
        "reset",
        "end",
        "sources",
    ),
)
#: A chart's source line longer than this many characters does not fit beside a tall
#: chart at 1024x768 (18 px): its slide links to the list under the chart instead.
SOURCE_BUDGET = 300

STYLE = """
:root { color-scheme: light; font-family: "Noto Sans", "Segoe UI", system-ui, sans-serif; }
body { margin: 0; background: #222; color: #111; }
.slide { box-sizing: border-box; width: 100vw; height: 100vh; padding: 3vh 4vw 7vh;
  display: flex; flex-direction: column; gap: 1.5vh; background: #fff; overflow: hidden;
  font-size: clamp(18px, min(2.6vw, 3.4vh), 34px); line-height: 1.35; }
.slide + .slide { border-top: 4px solid #222; }
html.js .slide { display: none; border: 0; }
html.js .slide.current { display: flex; }
.slide h1 { font-size: 1.8em; line-height: 1.15; margin: auto 0 0; }
.slide h2 { font-size: 1.25em; margin: 0; line-height: 1.2; }
.slide p { margin: 0; }
.slide .figure-number { font-size: clamp(18px, 0.8em, 24px); color: #555; }
.slide .chart { flex: 1 1 0; min-height: 0; display: flex; justify-content: center; }
.slide .chart svg { width: 100% !important; height: 100% !important; max-width: none !important;
  overflow: visible; }
.slide .chart { container-type: size; }
.slide .chart svg.part { overflow: hidden; width: min(100cqw, 100cqh * var(--ratio)) !important;
  height: min(100cqh, 100cqw / var(--ratio)) !important; }
.slide.tall { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr);
  grid-template-rows: auto auto 1fr auto; column-gap: 3vw; }
html.js .slide.tall { display: none; }
html.js .slide.tall.current { display: grid; }
.slide.tall > :not(.chart) { grid-column: 1; }
.slide.tall > .chart { grid-column: 2; grid-row: 1 / span 4; }
.slide .source { font-size: 18px; color: #444; line-height: 1.3; }
.slide a { color: #0b5394; }
.slide ul, .slide ol { margin: 0; padding-left: 1.6em; }
.slide li + li { margin-top: 0.4em; }
.slide .keys { margin-top: auto; color: #555; font-size: 18px; }
.slide .notes { display: none; }
.counter { display: none; position: fixed; right: 1rem; bottom: 0.5rem; color: #555;
  font-size: 18px;
  margin: 0; }
html.js .counter { display: block; }
html.overview body { display: grid; grid-template-columns: repeat(4, 1fr); gap: 1vw; padding: 1vw; }
html.overview .slide { display: flex !important; zoom: 0.235; cursor: pointer; border: 0; }
html.overview .slide.tall { display: grid !important; }
html.overview .slide.current { outline: 24px solid #f1c232; }
html.overview .counter { display: none; }
@media print {
  @page { size: A4 landscape; margin: 10mm; }
  html, body { background: #fff; display: block !important; padding: 0 !important; }
  .slide, html.js .slide, html.overview .slide { display: flex !important; width: 100%;
    height: 185mm; padding: 0; border: 0; zoom: 1; outline: 0 !important; font-size: 20px;
    break-after: page; page-break-after: always; }
  .slide.tall, html.js .slide.tall { display: grid !important; }
  .counter, .keys, html.js .counter { display: none; }
}
"""

SCRIPT = """
const slides = [...document.querySelectorAll('.slide')];
const counter = document.querySelector('.counter');
const root = document.documentElement;
let at = 0;
function show(n) {
  at = Math.max(0, Math.min(slides.length - 1, n));
  slides.forEach((s, i) => s.classList.toggle('current', i === at));
  counter.textContent = counter.dataset.label.replace('{n}', at + 1);
  history.replaceState(null, '', '#' + (at + 1));
  if (root.classList.contains('overview')) slides[at].scrollIntoView({block: 'nearest'});
  if (typeof speak === 'function') speak();
}
function overview(on) {
  root.classList.toggle('overview', on);
  slides[at].scrollIntoView({block: on ? 'center' : 'start'});
}
function key(e) {
  if (e.altKey || e.ctrlKey || e.metaKey) return;
  const step = {ArrowRight: 1, ArrowDown: 1, PageDown: 1, ' ': 1, Enter: 1, n: 1,
                ArrowLeft: -1, ArrowUp: -1, PageUp: -1, Backspace: -1}[e.key];
  if (root.classList.contains('overview') && ['Enter', 'Escape', 'o'].includes(e.key)) {
    overview(false); e.preventDefault(); return;
  }
  if (step) { show(at + step); e.preventDefault(); }
  else if (e.key === 'Home') show(0);
  else if (e.key === 'End') show(slides.length - 1);
  else if (e.key === 'o') overview(true);
  else if (e.key === 'f') document.fullscreenElement
    ? document.exitFullscreen() : document.documentElement.requestFullscreen();
  else if (e.key === 'p') window.print();
  else if (e.key === 's' && typeof speaker === 'function') speaker();
}
document.addEventListener('keydown', key);
document.addEventListener('click', (e) => {
  if (e.target.closest('a')) return;
  const slide = e.target.closest('.slide');
  if (root.classList.contains('overview')) {
    if (slide) { show(slides.indexOf(slide)); overview(false); }
  } else show(at + (e.clientX > innerWidth / 3 ? 1 : -1));
});
show((parseInt(location.hash.slice(1), 10) || 1) - 1);
"""

#: The speaker view, in a trainer's copy only: a window with the current and next
#: slide, the current slide's notes, a timer and the clock; its keys drive the deck.
SPEAKER = """
let view = null, started = Date.now();
const two = (n) => String(n).padStart(2, '0');
function tick() {
  if (!view || view.closed) return;
  const s = Math.floor((Date.now() - started) / 1000);
  view.document.getElementById('timer').textContent =
    two(Math.floor(s / 3600)) + ':' + two(Math.floor(s / 60) % 60) + ':' + two(s % 60);
  view.document.getElementById('clock').textContent = new Date().toLocaleTimeString();
}
function pane(id, slide) {
  const box = view.document.getElementById(id);
  box.replaceChildren();
  if (slide) {
    const copy = slide.cloneNode(true);
    copy.classList.add('current');
    copy.removeAttribute('id');
    box.append(copy);
  } else box.textContent = box.dataset.end;
}
function speak() {
  if (!view || view.closed) return;
  pane('now', slides[at]);
  pane('next', slides[at + 1]);
  const notes = slides[at].querySelector('.notes');
  const into = view.document.getElementById('notes');
  into.replaceChildren(...(notes ? [...notes.childNodes].map((c) => c.cloneNode(true)) : []));
  view.document.getElementById('where').textContent = counter.textContent;
}
function speaker() {
  if (view && !view.closed) { view.focus(); return; }
  view = window.open('', 'ictstory-speaker', 'width=1100,height=750');
  if (!view) return;
  view.document.open();
  view.document.write(SPEAKER_PAGE);
  view.document.close();
  view.document.documentElement.classList.add('js');
  view.document.addEventListener('keydown', key);
  view.document.getElementById('reset').addEventListener('click', () => {
    started = Date.now(); tick();
  });
  started = Date.now();
  setInterval(tick, 1000);
  tick();
  speak();
}
"""

SPEAKER_STYLE = """
body { margin: 0; padding: 12px; background: #eee; display: grid; gap: 12px;
  grid-template-columns: 3fr 2fr; grid-template-rows: auto 1fr 1fr; height: 100vh;
  box-sizing: border-box; font-family: system-ui, sans-serif; }
header { grid-column: 1 / span 2; display: flex; gap: 2em; align-items: center; font-size: 22px; }
#timer { font-size: 32px; font-weight: bold; font-variant-numeric: tabular-nums; }
.pane { overflow: hidden; background: #fff; border: 1px solid #999; position: relative; }
.pane .slide { zoom: 0.5; }
#now { grid-row: 2 / span 2; }
#now .slide { zoom: 0.6; }
#notes { grid-column: 2; font-size: 20px; line-height: 1.4; overflow: auto; background: #fff;
  padding: 0 1em; }
"""


def visible(tag: Tag) -> bool:
    """Whether a block of a chapter page is shown to its readers: not inside anything
    hidden (a hiding class, the ``hidden`` attribute, ``aria-hidden``, a
    ``display: none`` style)."""
    node: Tag | None = tag
    while isinstance(node, Tag):
        classes = node.get("class") or []
        style = str(node.get("style") or "").replace(" ", "").lower()
        if (
            HIDDEN_CLASSES.intersection(classes)
            or node.has_attr("hidden")
            or str(node.get("aria-hidden", "")).lower() == "true"
            or "display:none" in style
        ):
            return False
        node = node.parent
    return True


def _text(node: Tag | None) -> str:
    return " ".join(node.get_text(" ").split()) if node is not None else ""


def _items(list_tag: Tag) -> list[str]:
    return [_text(li) for li in list_tag.find_all("li", recursive=False) if visible(li)]


def _objectives(soup: BeautifulSoup) -> list[str]:
    for box in soup.select("article .admonition"):  # a <div>, or <details> when folded
        title = box.select_one(".admonition-title")
        if (
            visible(box)
            and title is not None
            and title.get_text(strip=True)
            in (
                WORDS["en"]["objectives"],
                WORDS["vi"]["objectives"],
            )
        ):
            lists = [ul for ul in box.find_all(["ul", "ol"], recursive=False) if visible(ul)]
            return [item for ul in lists for item in _items(ul)]
    return []


def _questions(soup: BeautifulSoup, language: str) -> list[str]:
    """The questions for discussion: the lists directly in their section, never a
    hidden block (the trainer's notes once sat there, hidden by a class)."""
    wanted = WORDS[language]["questions"]
    for heading in soup.select("article section > h2"):
        if _text(heading).rstrip("#").strip() == wanted and visible(heading):
            lists = [
                ol for ol in heading.parent.find_all(["ol", "ul"], recursive=False) if visible(ol)
            ]
            return [item for ol in lists for item in _items(ol)]
    return []


def pages(items: Sequence[str], budget: int = LIST_BUDGET) -> list[list[str]]:
    """Items cut into as few slides as hold about ``budget`` characters each, in order,
    the slides about equally full (at least one item a slide)."""
    sizes = [len(item) + 40 for item in items]  # an item's own line break and spacing
    for count in range(1, len(items) + 1):
        target = sum(sizes) / count
        out: list[list[str]] = [[]]
        size = 0
        for item, item_size in zip(items, sizes, strict=True):
            if out[-1] and size + item_size / 2 > target and len(out) < count:
                out.append([])
                size = 0
            out[-1].append(item)
            size += item_size
        if all(sum(len(i) + 40 for i in chunk) <= budget or len(chunk) == 1 for chunk in out):
            return out
    return [[item] for item in items]


#: A chart taller than this many times its width is cut, between its stacked views,
#: into one slide a view (each then drawn larger); shorter ones are scaled to fit.
SPLIT_RATIO = 0.8


def _translate_y(transform: str) -> float:
    """The vertical shift of an SVG ``transform`` made of translations (and rotations,
    which Vega uses only about a label's own anchor)."""
    total = 0.0
    for match in re.finditer(r"translate\(\s*([-\d.e]+)[ ,]+([-\d.e]+)\s*\)", transform):
        total += float(match.group(2))
    return total


def _absolute_y(node: Tag, svg: Tag) -> float:
    y = 0.0
    current: Tag | None = node
    while isinstance(current, Tag) and current is not svg:
        y += _translate_y(str(current.get("transform") or ""))
        current = current.parent
    return y


def _frame_height(group: Tag) -> float | None:
    inner = group.find("g", recursive=False)
    frame = inner.find("path", recursive=False) if isinstance(inner, Tag) else None
    found = re.match(r"M0,0h[-\d.e]+v([-\d.e]+)h", str(frame.get("d") or "")) if frame else None
    return float(found.group(1)) if found else None


def bands(svg: Tag) -> list[tuple[float, float]]:
    """Where a drawing of stacked views (Vega-Lite ``vconcat``) can be cut: one
    ``(top, bottom)`` band of the viewBox a view, each cut in the widest gap between
    two views that no label crosses; ``[]`` when it cannot be cut so."""
    box = str(svg.get("viewbox") or svg.get("viewBox") or "").split()
    if len(box) != 4:
        return []
    top, height = float(box[1]), float(box[3])
    views = []
    for group in svg.select("g.mark-group.role-scope"):
        if not any(re.fullmatch(r"concat_\d+_group", c) for c in group.get("class") or []):
            continue
        frame = _frame_height(group)
        if frame is None:
            return []
        start = _absolute_y(group.find("g", recursive=False), svg)
        views.append((start, start + frame))
    views.sort()
    if len(views) < 2:
        return []
    labels = []
    for text in svg.find_all("text"):
        y = _absolute_y(text, svg)
        size = float(re.sub(r"[^\d.]", "", str(text.get("font-size") or "12")) or 12)
        reach = size * 0.3 * len(text.get_text()) if "rotate" in str(text.get("transform")) else 0
        lines = max(1, len(text.find_all("tspan")))
        labels.append((y - size * 1.2 - reach, y + size * (0.5 + 1.3 * (lines - 1)) + reach))
    cuts = []
    for (_, end), (start, _) in zip(views, views[1:], strict=False):
        free, edge = [], end
        for low, high in sorted(labels):
            if high <= end or low >= start:
                continue
            if low > edge:
                free.append((edge, low))
            edge = max(edge, high)
        if edge < start:
            free.append((edge, start))
        if not free:
            return []
        low, high = max(free, key=lambda span: span[1] - span[0])
        cuts.append((low + high) / 2)
    edges = [top, *cuts, top + height]
    return list(zip(edges, edges[1:], strict=False))


def _is_tall(svg: Tag | None) -> bool:
    """A drawing taller than wide: its slide puts the words beside it, not above."""
    box = str(svg.get("viewbox") or svg.get("viewBox") or "") if svg is not None else ""
    parts = box.split()
    return len(parts) == 4 and float(parts[3]) > 0.8 * float(parts[2])


def _chart_slides(figure: Tag, chapter: str, words: Mapping[str, str]) -> list[str]:
    """A chart's slide; a tall chart of stacked views gets one slide a view. A source
    line too long for a slide (:data:`SOURCE_BUDGET`) becomes a link to the chart's page,
    where the whole line stands under the chart."""
    number = _text(figure.select_one(".ictstory-chart__number"))
    title = _text(figure.select_one(".ictstory-chart__title"))
    svg = figure.select_one("svg.ictstory-chart__static")
    source = figure.select_one(".ictstory-chart__source")
    line = copy.copy(source) if source is not None and visible(source) else None
    if line is not None:
        for link in line.select("a[href]"):
            href = str(link["href"])
            if not href.startswith(("http:", "https:", "#", "data:")):
                link["href"] = f"../chapters/{href}"
        line.attrs = {"class": "source"}
    anchor = figure.get("id", "")
    if line is not None and len(_text(line)) > SOURCE_BUDGET:
        line = BeautifulSoup(
            f'<p class="source"><a href="../chapters/{html.escape(chapter)}.html#'
            f'{html.escape(str(anchor))}">{html.escape(words["sources"])}</a></p>',
            "html.parser",
        )
    view = figure.select_one(".ictstory-chart__view")
    alt = str(view.get("aria-label", title)) if view is not None else title
    parts: list[Tag | None] = [svg]
    cut = bands(svg) if svg is not None and _is_tall(svg) else []
    if svg is not None and cut:
        width = str(svg.get("viewbox") or svg.get("viewBox")).split()[2]
        parts = []
        for top, bottom in cut:
            part = copy.copy(svg)
            for name in ("viewbox", "viewBox"):
                if part.has_attr(name):
                    del part[name]
            part["viewBox"] = f"0 {top:.1f} {width} {bottom - top:.1f}"
            part["class"] = [*(part.get("class") or []), "part"]
            part["style"] = f"{part.get('style') or ''};--ratio:{float(width) / (bottom - top):.4f}"
            parts.append(part)
    out = []
    for i, part in enumerate(parts, 1):
        counted = f"{number} ({i}/{len(parts)})" if len(parts) > 1 else number
        shape = "slide tall" if _is_tall(part) else "slide"
        out.append(
            f'<section class="{shape}">'
            f'<p class="figure-number"><a href="../chapters/{html.escape(chapter)}.html#'
            f'{html.escape(str(anchor))}">{html.escape(counted)}</a></p>'
            f"<h2>{html.escape(title)}</h2>"
            f'<div class="chart" role="img" aria-label="{html.escape(alt)}">'
            f"{part if part is not None else ''}</div>"
            f"{line or ''}</section>"
        )
    return out


def _notes(notes: Sequence[str]) -> str:
    if not notes:
        return ""
    body = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
    return f'<aside class="notes"><ol>{body}</ol></aside>'


def _list_slides(
    heading: str, items: Sequence[str], notes: Sequence[str] | None = None
) -> list[str]:
    """Slides of a numbered list, a few items each (numbering goes on); with ``notes``
    (a trainer's copy) each slide carries the notes of its own items."""
    slides, first = [], 1
    for chunk in pages(items):
        body = "".join(f"<li>{html.escape(item)}</li>" for item in chunk)
        own = list(notes[first - 1 : first - 1 + len(chunk)]) if notes else []
        aside = ""
        if own:
            numbered = "".join(
                f'<li value="{first + i}">{html.escape(n)}</li>' for i, n in enumerate(own)
            )
            aside = f'<aside class="notes"><ol>{numbered}</ol></aside>'
        slides.append(
            f'<section class="slide"><h2>{html.escape(heading)}</h2>'
            f'<ol start="{first}">{body}</ol>{aside}</section>'
        )
        first += len(chunk)
    return slides


def _title_slides(title: str, objectives: list[str], chapter: str, words: dict) -> list[str]:
    link = (
        f'<p><a href="../chapters/{html.escape(chapter)}.html">'
        f"{html.escape(words['chapter'])}</a></p>"
    )
    chunks = pages(objectives, LIST_BUDGET - TITLE_ROOM) or [[]]
    out = []
    for i, chunk in enumerate(chunks):
        items = "".join(f"<li>{html.escape(o)}</li>" for o in chunk)
        out.append(
            '<section class="slide">'
            + (f"<h1>{html.escape(title)}</h1>" if i == 0 else "")
            + (f"<h2>{html.escape(words['objectives'])}</h2><ul>{items}</ul>" if items else "")
            + (link if i == 0 else "")
            + (f'<p class="keys">{html.escape(words["keys"])}</p>' if i == 0 else "")
            + "</section>"
        )
    return out


def _slides(
    soup: BeautifulSoup, chapter: str, language: str, notes: Sequence[str] | None
) -> list[str]:
    words = WORDS[language]
    figures = [f for f in soup.select("article figure.ictstory-chart") if visible(f)]
    title = _text(soup.select_one("article h1")).rstrip("#").strip()
    slides = _title_slides(title, _objectives(soup), chapter, words)
    slides += [s for figure in figures for s in _chart_slides(figure, chapter, words)]
    questions = _questions(soup, language)
    if questions:
        slides += _list_slides(words["questions"], questions, notes)
    return slides


def _document(language: str, title: str, slides: list[str], speaker: bool) -> str:
    words = WORDS[language]
    counter = f"{words['slide']} {{n}} {words['of']} {len(slides)}"
    script = (SPEAKER if speaker else "") + SCRIPT
    if speaker:
        page = (
            f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
            f"<title>{html.escape(words['notes'])}: {html.escape(title)}</title>"
            f"<style>{STYLE}{SPEAKER_STYLE}</style></head><body>"
            f'<header><span id="where"></span><span>{html.escape(words["elapsed"])} '
            '<span id="timer">00:00:00</span></span>'
            f'<button id="reset" type="button">{html.escape(words["reset"])}</button>'
            '<span id="clock"></span></header>'
            f'<div class="pane" id="now" data-end="{html.escape(words["end"])}"></div>'
            f'<div class="pane" id="next" aria-label="{html.escape(words["next"])}" '
            f'data-end="{html.escape(words["end"])}"></div>'
            f'<section id="notes" aria-label="{html.escape(words["notes"])}"></section>'
            "</body></html>"
        )
        script = f"const SPEAKER_PAGE = {_js_string(page)};\n{script}"
    return (
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f"<title>{html.escape(words['deck'])}: {html.escape(title)}</title>"
        "<script>document.documentElement.classList.add('js')</script>"
        f"<style>{STYLE}</style></head><body>"
        + "".join(slides)
        + f'<p class="counter" aria-live="polite" data-label="{html.escape(counter)}"></p>'
        + f"<script>{script}</script></body></html>"
    )


def _js_string(text: str) -> str:
    """A JavaScript string literal that is safe inside a script element."""
    return json.dumps(text).replace("</", "<\\/").replace("<!--", "<\\!--")


def _soup_of(page: Path) -> BeautifulSoup:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def deck(page: Path, language: str) -> str | None:
    """The participants' deck of one built chapter, or None when it has no chart."""
    soup = _soup_of(page)
    if not [f for f in soup.select("article figure.ictstory-chart") if visible(f)]:
        return None
    title = _text(soup.select_one("article h1")).rstrip("#").strip()
    return _document(language, title, _slides(soup, page.stem, language, None), speaker=False)


def trainer_deck(page: Path, language: str, notes: Sequence[str]) -> str | None:
    """A trainer's copy of a chapter's deck: the same slides, the trainer's ``notes``
    (one per question for discussion, in order) on the slides of their questions, and
    the speaker view (key ``s``). Links to the site become plain text: the copy lives
    beside the answer key, not in the site."""
    soup = _soup_of(page)
    if not [f for f in soup.select("article figure.ictstory-chart") if visible(f)]:
        return None
    title = _text(soup.select_one("article h1")).rstrip("#").strip()
    words = WORDS[language]
    slides = _slides(soup, page.stem, language, notes)
    slides[0] = slides[0].replace(
        html.escape(words["keys"]), html.escape(words["keys"] + words["speaker_keys"])
    )
    markup = _document(language, title, slides, speaker=True)
    copy_soup = BeautifulSoup(markup, "html.parser")
    for link in copy_soup.select("a[href]"):
        if not str(link["href"]).startswith(("http:", "https:", "#")):
            link.name = "span"
            del link["href"]
    return str(copy_soup)


def link_chapter(page: Path, language: str) -> bool:
    """Put a link to the chapter's deck under the chapter's heading (once)."""
    text = page.read_text(encoding="utf-8")
    if LINK_CLASS in text:
        return False
    start = text.find('<article class="bd-article">')
    end = text.find("</h1>", start) if start >= 0 else -1
    if end < 0:
        return False
    end += len("</h1>")
    link = (
        f'\n<p class="{LINK_CLASS}"><a href="../slides/{html.escape(page.name)}">'
        f"{html.escape(WORDS[language]['link'])}</a></p>"
    )
    page.write_text(text[:end] + link + text[end:], encoding="utf-8")
    return True


def write_decks(site: Path, languages: tuple[str, ...]) -> list[Path]:
    """Write a deck for every chapter with charts, in each edition of a built site, and
    link each such chapter page to its deck."""
    written: list[Path] = []
    for language in languages:
        out = site / language / "slides"
        for page in sorted((site / language / "chapters").glob("*.html")):
            markup = deck(page, language)
            if markup is None:
                continue
            out.mkdir(exist_ok=True)
            target = out / page.name
            target.write_text(markup, encoding="utf-8")
            link_chapter(page, language)
            written.append(target)
    return written


def write_trainer_decks(
    site: Path, language: str, out: Path, notes: Mapping[str, Sequence[str]]
) -> list[Path]:
    """Write the trainer's copies of one edition's decks into ``out`` (for example
    ``_build/handouts/<edition>/slides/``); ``notes`` maps a chapter's name to its
    trainer's notes, one per question for discussion."""
    written: list[Path] = []
    for page in sorted((site / language / "chapters").glob("*.html")):
        markup = trainer_deck(page, language, notes.get(page.stem, ()))
        if markup is None:
            continue
        out.mkdir(parents=True, exist_ok=True)
        target = out / page.name
        target.write_text(markup, encoding="utf-8")
        written.append(target)
    return written
