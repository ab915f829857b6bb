"""Slide decks for trainers, made from the built chapters themselves.

Each story chapter with charts gets ``<edition>/slides/<chapter>.html``: a title
slide with the chapter's learning objectives, one slide per chart (its finding as
the heading, the chart as drawn at build time, its source line), and the
chapter's questions for discussion. The decks are written from the built pages,
so their numbers are the pages' numbers; they need no library and no network:
one HTML file each, with a few lines of CSS and script, keyboard-driven
(arrows, Page Up/Down, space, Home/End; ``f`` for full screen), one slide a page
when printed.

Why not a slide library (reveal.js and the like): the slides hold nothing but
blocks the site already renders (static SVG charts, escaped text), and the
few behaviours needed fit in 30 lines; a vendored framework would be 10-20x the
size of a deck and another thing to keep up to date.
"""

from __future__ import annotations

import copy
import html
from pathlib import Path

from bs4 import BeautifulSoup, Tag

#: Words of the decks, by edition.
WORDS = {
    "en": {
        "objectives": "Learning objectives",
        "questions": "Questions for discussion",
        "chapter": "Read the chapter",
        "keys": "← → or space: next / previous · f: full screen · p: print",
        "slide": "Slide",
        "of": "of",
        "deck": "Slides",
    },
    "vi": {
        "objectives": "Mục tiêu học tập",
        "questions": "Câu hỏi thảo luận",
        "chapter": "Đọc chương này",
        "keys": "← → hoặc phím cách: trang sau / trước · f: toàn màn hình · p: in",
        "slide": "Trang",
        "of": "/",
        "deck": "Trình chiếu",
    },
}

STYLE = """
:root { color-scheme: light; font-family: "Noto Sans", "Segoe UI", system-ui, sans-serif; }
body { margin: 0; background: #222; color: #111; }
.slide { box-sizing: border-box; width: 100vw; height: 100vh; padding: 4vh 5vw;
  display: none; flex-direction: column; gap: 2vh; background: #fff; overflow: hidden; }
.slide.current { display: flex; }
.slide h1 { font-size: clamp(1.6rem, 5vw, 3.4rem); margin: auto 0 0; }
.slide h2 { font-size: clamp(1.2rem, 3.2vw, 2.4rem); margin: 0; line-height: 1.2; }
.slide .figure-number { font-size: clamp(0.9rem, 1.6vw, 1.2rem); color: #555; margin: 0; }
.slide .chart { flex: 1; min-height: 0; display: flex; justify-content: center; }
.slide .chart svg { width: auto !important; height: 100% !important; max-width: 100% !important; }
.slide.tall.current { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr);
  grid-template-rows: auto 1fr auto; column-gap: 3vw; }
.slide.tall > :not(.chart) { grid-column: 1; }
.slide.tall > .chart { grid-column: 2; grid-row: 1 / span 3; }
.slide .source { font-size: clamp(0.8rem, 1.3vw, 1rem); color: #444; margin: 0; }
.slide .source a, .slide a { color: #0b5394; }
.slide ul, .slide ol { font-size: clamp(1rem, 2.4vw, 1.8rem); line-height: 1.4; }
.slide .keys { margin-top: auto; color: #555; font-size: 0.9rem; }
.counter { position: fixed; right: 1rem; bottom: 0.5rem; color: #555; font-size: 0.9rem; }
@media print {
  @page { size: A4 landscape; margin: 10mm; }
  body { background: #fff; }
  .slide { display: flex; width: 100%; height: 185mm; padding: 0;
    break-after: page; page-break-after: always; }
  .slide:not(.current) { display: flex !important; }
  .slide.tall { display: grid !important; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr);
    grid-template-rows: auto 1fr auto; column-gap: 3vw; }
  .counter, .keys { display: none; }
}
"""

SCRIPT = """
const slides = [...document.querySelectorAll('.slide')];
const counter = document.querySelector('.counter');
function show(n) {
  n = Math.max(0, Math.min(slides.length - 1, n));
  slides.forEach((s, i) => s.classList.toggle('current', i === n));
  counter.textContent = counter.dataset.label.replace('{n}', n + 1);
  history.replaceState(null, '', '#' + (n + 1));
  return n;
}
let at = show((parseInt(location.hash.slice(1), 10) || 1) - 1);
document.addEventListener('keydown', (e) => {
  if (e.altKey || e.ctrlKey || e.metaKey) return;
  const step = {ArrowRight: 1, ArrowDown: 1, PageDown: 1, ' ': 1, Enter: 1,
                ArrowLeft: -1, ArrowUp: -1, PageUp: -1, Backspace: -1}[e.key];
  if (step) { at = show(at + step); e.preventDefault(); }
  else if (e.key === 'Home') at = show(0);
  else if (e.key === 'End') at = show(slides.length - 1);
  else if (e.key === 'f') document.fullscreenElement
    ? document.exitFullscreen() : document.documentElement.requestFullscreen();
  else if (e.key === 'p') window.print();
});
document.addEventListener('click', (e) => {
  if (!e.target.closest('a')) at = show(at + (e.clientX > innerWidth / 3 ? 1 : -1));
});
"""


def _text(node: Tag | None) -> str:
    return " ".join(node.get_text(" ").split()) if node is not None else ""


def _list_items(section: Tag | None) -> list[str]:
    if section is None:
        return []
    return [_text(li) for li in section.select("li")]


def _objectives(soup: BeautifulSoup) -> list[str]:
    for box in soup.select("div.admonition"):
        title = box.select_one(".admonition-title")
        if title is not None and title.get_text(strip=True) in (
            WORDS["en"]["objectives"],
            WORDS["vi"]["objectives"],
        ):
            return [_text(li) for li in box.select("li")]
    return []


def _questions(soup: BeautifulSoup, language: str) -> list[str]:
    wanted = WORDS[language]["questions"]
    for heading in soup.select("section > h2"):
        if _text(heading).rstrip("#").strip() == wanted:
            return _list_items(heading.parent)
    return []


def _is_tall(svg: Tag | None) -> bool:
    """A drawing taller than wide: its slide puts the words beside it, not above."""
    box = str(svg.get("viewbox") or svg.get("viewBox") or "") if svg is not None else ""
    parts = box.split()
    return len(parts) == 4 and float(parts[3]) > 0.8 * float(parts[2])


def _chart_slide(figure: Tag, chapter: str) -> str:
    number = _text(figure.select_one(".ictstory-chart__number"))
    title = _text(figure.select_one(".ictstory-chart__title"))
    svg = figure.select_one("svg.ictstory-chart__static")
    drawing = str(svg) if svg is not None else ""
    source = figure.select_one(".ictstory-chart__source")
    line = copy.copy(source) if source is not None else None
    if line is not None:
        for link in line.select("a[href]"):
            href = str(link["href"])
            if not href.startswith(("http:", "https:", "#", "data:")):
                link["href"] = f"../chapters/{href}"
        line.attrs = {"class": "source"}
    anchor = figure.get("id", "")
    view = figure.select_one(".ictstory-chart__view")
    alt = str(view.get("aria-label", title)) if view is not None else title
    shape = "slide tall" if _is_tall(svg) else "slide"
    return (
        f'<section class="{shape}">'
        f'<p class="figure-number"><a href="../chapters/{html.escape(chapter)}.html#'
        f'{html.escape(str(anchor))}">{html.escape(number)}</a></p>'
        f"<h2>{html.escape(title)}</h2>"
        f'<div class="chart" role="img" aria-label="{html.escape(alt)}">{drawing}</div>'
        f"{line or ''}</section>"
    )


def _list_slide(heading: str, items: list[str]) -> str:
    body = "".join(f"<li>{html.escape(item)}</li>" for item in items)
    return f'<section class="slide"><h2>{html.escape(heading)}</h2><ol>{body}</ol></section>'


def deck(page: Path, language: str) -> str | None:
    """The deck of one built chapter, or None when it has no chart."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    figures = soup.select("article figure.ictstory-chart")
    if not figures:
        return None
    words = WORDS[language]
    chapter = page.stem
    title = _text(soup.select_one("article h1")).rstrip("#").strip()
    objectives = _objectives(soup)
    opening = "".join(f"<li>{html.escape(o)}</li>" for o in objectives)
    slides = [
        '<section class="slide">'
        f"<h1>{html.escape(title)}</h1>"
        + (f"<h2>{html.escape(words['objectives'])}</h2><ul>{opening}</ul>" if opening else "")
        + f'<p><a href="../chapters/{html.escape(chapter)}.html">'
        f"{html.escape(words['chapter'])}</a></p>"
        f'<p class="keys">{html.escape(words["keys"])}</p></section>'
    ]
    slides += [_chart_slide(figure, chapter) for figure in figures]
    questions = _questions(soup, language)
    if questions:
        slides.append(_list_slide(words["questions"], questions))
    counter = f"{words['slide']} {{n}} {words['of']} {len(slides)}"
    return (
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f"<title>{html.escape(words['deck'])}: {html.escape(title)}</title>"
        f"<style>{STYLE}</style></head><body>"
        + "".join(slides)
        + f'<p class="counter" aria-live="polite" data-label="{html.escape(counter)}"></p>'
        f"<script>{SCRIPT}</script></body></html>"
    )


def write_decks(site: Path, languages: tuple[str, ...]) -> list[Path]:
    """Write a deck for every chapter with charts, in each edition of a built site."""
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
            written.append(target)
    return written
