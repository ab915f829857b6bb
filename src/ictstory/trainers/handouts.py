"""Printed handouts: A4 PDFs of the built site for both editions (``make handouts``).

From the published site (``_build/html``, so ``make book`` first) it writes, per edition::

    _build/handouts/<en|vi>/book.pdf                 every chapter, participants' version
    _build/handouts/<en|vi>/chapters/NN-<name>.pdf   one chapter, participants' version
    _build/handouts/<en|vi>/answer-key.pdf           every "Try it" solution, its output,
                                                     and notes on every discussion question
    _build/handouts/<en|vi>/trainer-slides/<ch>.html the trainer's copy of each slide deck:
                                                     its notes and a speaker view (key s)
    _build/handouts/<en|vi>/manifest.json            files, pages, where each chapter starts

Each document is one HTML page composed here from the chapters' articles (charts stay
the static SVG the site carries, so they print as vectors; solutions and trainer's
notes are left out of the participants' version), served on 127.0.0.1 and printed by
Debian's Chromium through Playwright ``page.pdf`` with page numbers in the footer.
The answer key runs every solution (:mod:`ictstory.trainers.exercises`) to print its output.
Solutions and trainer's notes are not in the chapters: they are read from
``trainer/`` (:mod:`ictstory.trainers.trainer`), which the site never publishes; only the
answer key shows them. Publishing is atomic: everything is
written to a new folder, then the ``_build/handouts`` link is switched to it.
"""

from __future__ import annotations

import argparse
import copy
import html
import http.server
import json
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from ictstory.paths import project_root
from ictstory.story.words import Wordbook
from ictstory.trainers import trainer
from ictstory.trainers.slides import write_trainer_decks

LANGUAGES = ("en", "vi")
#: The trainer's copies of the slide decks (notes, speaker view), beside the answer key.
TRAINER_DECKS = "trainer-slides"
NOTES_CLASS = "ictstory-trainer-notes"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
WORDS = Wordbook(
    "handout",
    (
        "participants",
        "answers",
        "contents",
        "chapter",
        "figure",
        "page",
        "of",
        "output",
        "questions",
        "notes",
        "solution",
        "edition",
        "made",
        "in_chapter",
    ),
)

#: Print rules of the handouts, over the site's own print rules.
HANDOUT_CSS = """
@page { size: A4; }
html, body { background: #fff !important; }
body { font-size: 10.5pt; }
.handout-cover { break-after: page; padding-top: 30mm; }
.handout-cover h1 { font-size: 26pt; line-height: 1.2; margin-bottom: 6mm; }
.handout-cover .handout-kind { font-size: 15pt; font-weight: 600; }
.handout-cover .handout-meta { color: #444; margin-top: 10mm; }
.handout-contents { break-after: page; }
.handout-contents ol { font-size: 11.5pt; line-height: 1.9; }
.handout-contents .handout-page { float: right; }
.handout-cover .handout-contents { break-after: auto; margin-top: 14mm; }
.handout-chapter { break-before: page; }
.handout-cover + .handout-chapter, .handout-contents + .handout-chapter { break-before: auto; }
.handout-chapter > h1, .handout-chapter section > h1 { font-size: 20pt; }
.handout-output { border-left: 3px solid #888; padding-left: 0.6rem; margin: 0.5rem 0 1rem; }
.handout-output > p.handout-label, .handout-notes > p.admonition-title { font-weight: 600; }
.ictstory-chart__static { max-width: 100% !important; }
/* a chart's caption, drawing and source line stay on one page; the words before it
   flow on as usual, and its description and data table follow it */
.handout-figure { break-inside: avoid; }
.sd-dropdown { border: 0 !important; }
/* shadows print as pictures: none, so that every page is text and vectors */
*:not(#handout-none) { box-shadow: none !important; text-shadow: none !important; }
.handout-chapter h2 { font-size: 15pt; }
.ictstory-chart__heading { break-after: avoid; }
.ictstory-chart__source, .handout-output > .handout-label { break-inside: avoid; }
/* a heading that leads to a chart goes to the next page with it, not alone before it */
.handout-chapter :is(h2, h3):has(+ .cell .ictstory-chart) { break-after: avoid; }
/* short enough that a chart with its caption fits well within a page */
.ictstory-chart__view svg { max-height: 17cm !important; }
.handout-note { margin: 0.2rem 0 0.8rem; padding: 0.3rem 0.6rem; border-left: 3px solid #2a6f97;
  background: #eef4f8; break-inside: avoid; }
.handout-note p { margin: 0.2rem 0; }
.handout-note .handout-label { font-weight: 600; font-size: 9pt; text-transform: uppercase; }
"""


@dataclass
class Chapter:
    """One chapter of an edition as the site shows it."""

    number: int
    name: str  #: ``postal``
    page: str  #: ``chapters/postal.html``
    title: str
    article: Tag
    pages: int = 0  #: body pages in print
    figures: list[str] = field(default_factory=list)


def _toc_pages(root: Path) -> list[str]:
    from ictstory.editions import twins

    return [
        t.en.with_suffix(".html").as_posix() for t in twins(root) if t.en.parts[0] != "index.md"
    ]


def _clean_article(soup: BeautifulSoup, name: str) -> Tag:
    """The chapter's article, ready for print: anchors unique in the book, no scripts,
    links between chapters kept inside the document, each chart's caption kept with it.
    Figures keep the site's numbers ("Figure <chapter>.<n>", :mod:`ictstory.site.figures`)."""
    article = soup.select_one("article.bd-article")
    if article is None:
        raise ValueError(f"{name}: no article in the built page")
    article = copy.copy(article)
    article.name = "section"
    article["class"] = ["handout-chapter"]
    article["id"] = f"{name}--top"
    for junk in article.select("script, .headerlink, .ictstory-chart__actions, .copybtn"):
        junk.decompose()
    for details in article.select("details:not(.sd-dropdown)"):
        # the text alternative, data tables and outside values print; with the outside
        # values closed, Chromium once ended the English book there (32 of 137 pages).
        # Solutions (sd-dropdown) are left to participants() and answers()
        details["open"] = ""
    for tag in article.find_all(id=True):
        if tag is not article:
            tag["id"] = f"{name}--{tag['id']}"
    for tag in article.find_all(attrs={"aria-labelledby": True}):
        tag["aria-labelledby"] = " ".join(f"{name}--{x}" for x in tag["aria-labelledby"].split())
    for tag in article.find_all(attrs={"aria-describedby": True}):
        tag["aria-describedby"] = " ".join(f"{name}--{x}" for x in tag["aria-describedby"].split())
    for link in article.find_all("a", href=True):
        href = link["href"]
        target = re.fullmatch(r"(?:\.\./chapters/|\./)?([\w-]+)\.html(?:#(.+))?|#(.+)", href)
        if href.startswith(("http://", "https://", "mailto:")):
            continue
        if target and target.group(3):
            link["href"] = f"#{name}--{target.group(3)}"
        elif target:
            link["href"] = f"#{target.group(1)}--{target.group(2) or 'top'}"
        else:  # a download or page that is not in the handout: keep the words only
            link.unwrap()
    for figure in article.select("figure.ictstory-chart"):
        _keep_together(figure)
    return article


def _keep_together(figure: Tag) -> None:
    """Put a chart's caption, drawing and source line in one block that print keeps on
    one page (``.handout-figure``); its text description and data table flow on after."""
    parts = [
        figure.find("figcaption", class_="ictstory-chart__heading", recursive=False),
        figure.find(class_="ictstory-chart__view", recursive=False),
        figure.select_one(".ictstory-chart__source"),
    ]
    if parts[0] is None or parts[1] is None:
        return
    block = BeautifulSoup('<div class="handout-figure"></div>', "html.parser").div
    assert block is not None
    parts[0].insert_before(block)
    for part in parts:
        if part is not None:
            block.append(part.extract())


def load_chapters(site: Path, lang: str, root: Path) -> list[Chapter]:
    """Every chapter of the edition's table of contents, from the built site."""
    chapters = []
    for number, page in enumerate(_toc_pages(root), 1):
        name = Path(page).stem
        soup = BeautifulSoup((site / lang / page).read_text(encoding="utf-8"), "html.parser")
        article = _clean_article(soup, name)
        h1 = article.find("h1")
        title = h1.get_text(" ", strip=True) if h1 else name
        figures = [
            s.get_text(strip=True).rstrip(".") for s in article.select(".ictstory-chart__number")
        ]
        chapters.append(Chapter(number, name, page, title, article, figures=figures))
    return chapters


def participants(article: Tag, code: bool = False) -> Tag:
    """The chapter without solutions and trainer's notes and, unless ``code``, without
    the code of its cells (their outputs, charts and tables, stay)."""
    article = copy.copy(article)
    if not code:
        for cell in article.select("div.cell"):
            for source in cell.select("div.cell_input"):
                source.decompose()
            if not cell.get_text(strip=True) and cell.find(["svg", "img", "table"]) is None:
                cell.decompose()
    for tip in article.select("div.tip.admonition"):
        for solution in tip.select("details.sd-dropdown"):
            solution.decompose()
    for notes in article.select(f".{NOTES_CLASS}"):
        notes.decompose()
    return article


def _fragment(markup: str) -> BeautifulSoup:
    return BeautifulSoup(markup, "html.parser")


def _output_block(outputs: list[dict], lang: str, label: str) -> str:
    """A solution's outputs as HTML: what the book would show (charts as static SVG)."""
    parts = []
    for output in outputs:
        data = output.get("data", {})
        if "text/html" in data:
            parts.append(str(data["text/html"]))
        elif "text/plain" in data:
            parts.append(f"<pre>{html.escape(str(data['text/plain']))}</pre>")
        elif output.get("output_type") == "stream":
            parts.append(f"<pre>{html.escape(str(output.get('text', '')))}</pre>")
    block = _fragment(
        f'<div class="handout-output"><p class="handout-label">'
        f"{html.escape(WORDS[lang]['output'])} {html.escape(label.split()[-1])}"
        f"</p>{''.join(parts)}</div>"
    )
    for junk in block.select("script, .ictstory-chart__actions"):
        junk.decompose()
    for details in block.select("details.ictstory-chart__details"):
        details["open"] = ""
    for span in block.select(".ictstory-chart__number"):  # not one of the book's figures
        span.string = f"{label}."
    return str(block)


def _markdown(text: str) -> str:
    """Trainer-only Markdown (``trainer/``, the project's own text) as HTML."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").render(text) if text.strip() else ""


def _code(code: str) -> str:
    """Python code highlighted as the site highlights it (its Pygments classes)."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    block = highlight(code, PythonLexer(), HtmlFormatter())
    return f'<div class="highlight-python notranslate">{block}</div>'


def answers(
    chapter: Chapter, outputs: list[list[dict]], lang: str, root: Path | None = None
) -> Tag | None:
    """The chapter's part of the answer key: its exercises (from the page) with their
    solutions, outputs and answers, then its questions with the trainer's notes (the
    solutions and notes from ``trainer/``, :mod:`ictstory.trainers.trainer`); None when it has
    neither."""
    from ictstory.trainers.trainer import POINTER, load, normalize

    words = WORDS[lang]
    kit = load(chapter.name, root)
    tips = chapter.article.select("div.tip.admonition")
    notes = kit.notes[lang]
    if not kit.solutions and not notes:
        return None
    part = _fragment(
        f'<section class="handout-chapter" id="{chapter.name}--answers">'
        f"<h1>{chapter.number}. {html.escape(chapter.title)}</h1></section>"
    ).section
    assert part is not None
    label = words["solution"]
    pointer = normalize(POINTER[lang])
    for tip, solution, output in zip(tips, kit.solutions, outputs, strict=True):
        number = f"{chapter.number}.{solution.number}"
        tip = copy.copy(tip)
        for paragraph in tip.find_all("p"):
            if normalize(paragraph.get_text(" ")) == pointer:
                paragraph.decompose()
        tip.append(
            _fragment(
                f'<p class="handout-label"><strong>{html.escape(label)}</strong></p>'
                + _code(solution.code)
                + _output_block(output, lang, f"{label} {number}")
                + _markdown(solution.answer[lang])
            )
        )
        part.append(tip)
    if notes:
        part.append(_fragment(f"<h2>{html.escape(words['questions'])}</h2>"))
        part.append(_with_notes(chapter.article, [_markdown(n) for n in notes], lang))
    return part


def _with_notes(article: Tag, notes: list[str], lang: str) -> Tag:
    """The chapter's questions for discussion, each followed by its note (HTML); the
    notes in a box of their own after the questions when the numbers differ."""
    words = WORDS[lang]
    questions = None
    for heading in article.select("section > h2"):
        if heading.get_text(" ", strip=True).rstrip("#").strip() == words["questions"]:
            section = heading.find_parent("section")
            questions = section.find(["ol", "ul"]) if section else None
    questions = copy.copy(questions) if questions is not None else _fragment("<ol></ol>").ol
    assert questions is not None
    asked = questions.find_all("li", recursive=False)
    if len(asked) != len(notes):
        box = _fragment(
            f'<div class="admonition handout-notes"><p class="admonition-title">'
            f"{html.escape(words['notes'])}</p><ol>"
            + "".join(f"<li>{n}</li>" for n in notes)
            + "</ol></div>"
        )
        questions.append(box)
        return questions
    for question, note in zip(asked, notes, strict=True):
        question.append(
            _fragment(
                f'<div class="handout-note"><p class="handout-label">'
                f"{html.escape(words['notes'])}</p>{note}</div>"
            )
        )
    return questions


def _document(site_head: list[str], lang: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}" data-theme="light"><head><meta charset="utf-8">'
        f"{''.join(site_head)}<style>{HANDOUT_CSS}</style></head>"
        f'<body><div class="bd-article">{body}</div></body></html>'
    )


def _cover(title: str, kind: str, subtitle: str, lang: str, contents: str = "") -> str:
    words = WORDS[lang]
    made = time.strftime("%Y-%m-%d")
    return (
        f'<div class="handout-cover"><h1>{html.escape(title)}</h1>'
        f'<p class="handout-kind">{html.escape(kind)}</p>'
        + (f"<p>{html.escape(subtitle)}</p>" if subtitle else "")
        + f'<p class="handout-meta">{html.escape(words["edition"])} · '
        f"{html.escape(words['made'])} {made}</p>"
        f"{contents}</div>"
    )


def _contents(
    chapters: list[Chapter], lang: str, starts: dict[str, int] | None = None, anchor: str = "top"
) -> str:
    items = []
    for c in chapters:
        page = f'<span class="handout-page">{starts[c.name]}</span>' if starts else ""
        items.append(f'<li><a href="#{c.name}--{anchor}">{html.escape(c.title)}</a>{page}</li>')
    return (
        f'<nav class="handout-contents"><h2>{html.escape(WORDS[lang]["contents"])}</h2>'
        f"<ol>{''.join(items)}</ol></nav>"
    )


def _sections(article: Tag, lang: str) -> str:
    heads = [
        h.get_text(" ", strip=True).rstrip("#").strip()
        for h in article.select("section > section > h2")
    ]
    items = "".join(f"<li>{html.escape(h)}</li>" for h in heads)
    return (
        f'<nav class="handout-contents"><h2>{html.escape(WORDS[lang]["in_chapter"])}</h2>'
        f"<ul>{items}</ul></nav>"
    )


def page_count(pdf: bytes) -> int:
    """Pages of a PDF written by Chromium (its page objects are plain dictionaries)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


class Printer:
    """Chromium printing composed documents served beside the site (same origin)."""

    def __init__(self, site: Path, lang: str) -> None:
        self.site, self.lang = site, lang

    def __enter__(self) -> Printer:
        import functools
        import threading

        from playwright.sync_api import sync_playwright

        handler = functools.partial(_Quiet, directory=str(self.site))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/{self.lang}/chapters/"
        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        self.context = self.browser.new_context()
        self.documents: dict[str, str] = {}

        def route(request_route) -> None:  # noqa: ANN001 (Playwright's Route)
            name = request_route.request.url.rsplit("/", 1)[-1]
            request_route.fulfill(
                status=200, content_type="text/html; charset=utf-8", body=self.documents[name]
            )

        def local_only(request_route) -> None:  # noqa: ANN001 (Playwright's Route)
            if request_route.request.url.startswith(self.origin):
                request_route.fallback()
            else:  # printing asks no other host: no network needed, none used
                self.refused.append(request_route.request.url)
                request_route.abort()

        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.refused: list[str] = []
        self.context.route("**/*", local_only)
        self.context.route(f"{self.base}__handout-*.html", route)
        return self

    def __exit__(self, *exc: object) -> None:
        self.context.close()
        self.browser.close()
        self.playwright.stop()
        self.httpd.shutdown()

    def head(self) -> list[str]:
        """The site's stylesheets, as a chapter page links them."""
        soup = BeautifulSoup(
            (self.site / self.lang / _toc_pages(project_root())[0]).read_text("utf-8"),
            "html.parser",
        )
        return [str(link) for link in soup.select("link[rel=stylesheet]")]

    def pdf(self, document: str, path: Path, header: str) -> int:
        """Print ``document`` to ``path`` in A4; its number of pages. A document that
        asks another host than the site's is an error (printing works offline)."""
        name = f"__handout-{len(self.documents)}.html"
        self.documents[name] = document
        page = self.context.new_page()
        page.goto(self.base + name, wait_until="networkidle")
        page.evaluate("document.fonts.ready.then(() => true)")
        # the PDF's Title is the document's title (else Chromium writes the page's
        # internal 127.0.0.1 address)
        page.evaluate("title => { document.title = title; }", header)
        words = WORDS[self.lang]
        style = "font-size:8px;width:100%;margin:0 15mm;color:#555;font-family:sans-serif;"
        data = page.pdf(
            format="A4",
            print_background=True,
            display_header_footer=True,
            header_template=f'<div style="{style}">{html.escape(header)}</div>',
            footer_template=(
                f'<div style="{style}text-align:right">{html.escape(words["page"])} '
                f'<span class="pageNumber"></span> {html.escape(words["of"])} '
                '<span class="totalPages"></span></div>'
            ),
            margin={"top": "16mm", "bottom": "16mm", "left": "15mm", "right": "15mm"},
        )
        page.close()
        if self.refused:
            raise RuntimeError(f"{path.name}: the print asked other hosts: {self.refused[:3]}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return page_count(data)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def book_title(site: Path, lang: str) -> str:
    soup = BeautifulSoup((site / lang / "index.html").read_text("utf-8"), "html.parser")
    h1 = soup.select_one("article h1")
    return h1.get_text(" ", strip=True).rstrip("#").strip() if h1 else "ictstory"


def make_edition(site: Path, lang: str, out: Path, root: Path, run_exercises: bool = True) -> dict:
    """Every handout of one edition into ``out``; the manifest."""
    from ictstory.trainers.exercises import all_exercises, run

    words = WORDS[lang]
    chapters = load_chapters(site, lang, root)
    title = book_title(site, lang)
    manifest: dict = {"title": title, "chapters": [], "files": {}}
    with Printer(site, lang) as printer:
        head = printer.head()
        for c in chapters:
            body = participants(c.article)
            cover = _cover(
                title,
                words["participants"],
                f"{words['chapter']} {c.number}: {c.title}",
                lang,
                _sections(c.article, lang),
            )
            name = f"chapters/{c.number:02d}-{c.name}.pdf"
            pages = printer.pdf(
                _document(head, lang, cover + str(body)), out / name, f"{title} · {c.title}"
            )
            c.pages = pages - 1
            manifest["files"][name] = pages
        starts, page = {}, 3  # cover, contents
        for c in chapters:
            starts[c.name] = page
            page += c.pages
        body = "".join(str(participants(c.article)) for c in chapters)
        front = _cover(title, words["participants"], "", lang) + _contents(chapters, lang, starts)
        manifest["files"]["book.pdf"] = printer.pdf(
            _document(head, lang, front + body), out / "book.pdf", title
        )
        manifest["chapters"] = [
            {
                "name": c.name,
                "title": c.title,
                "number": c.number,
                "book_page": starts[c.name],
                "figures": c.figures,
            }
            for c in chapters
        ]
        solutions = all_exercises(lang, root)
        outputs: dict[str, list[list[dict]]] = {}
        for exercise in solutions:
            done = run(exercise, root) if run_exercises else []
            outputs.setdefault(exercise.chapter.stem, []).append(done)
        parts = [
            p
            for c in chapters
            if (p := answers(c, outputs.get(c.name, []), lang, root)) is not None
        ]
        keyed = [c for c in chapters if any(p.get("id") == f"{c.name}--answers" for p in parts)]
        front = _cover(title, words["answers"], "", lang, _contents(keyed, lang, anchor="answers"))
        manifest["answer_key"] = [c.name for c in keyed]
        manifest["files"]["answer-key.pdf"] = printer.pdf(
            _document(head, lang, front + "".join(str(p) for p in parts)),
            out / "answer-key.pdf",
            f"{title} · {words['answers']}",
        )
    decks = write_trainer_decks(
        site, lang, out / TRAINER_DECKS, {k.chapter: k.notes[lang] for k in trainer.kits(root)}
    )
    manifest["trainer_decks"] = sorted(f"{TRAINER_DECKS}/{d.name}" for d in decks)
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
    return manifest


def publish(root: Path, built: Path) -> Path:
    """Point ``_build/handouts`` at ``built`` with one rename; drop older sets."""
    link = root / "_build" / "handouts"
    if link.exists() and not link.is_symlink():
        shutil.rmtree(link)
    tmp = link.with_name(".handouts-link")
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(built.relative_to(link.parent))
    os.replace(tmp, link)
    for old in built.parent.iterdir():
        if old != built:
            shutil.rmtree(old, ignore_errors=True)
    return link


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=LANGUAGES, action="append", help="one edition only")
    args = parser.parse_args(argv)
    root = project_root()
    site = (root / "_build" / "html").resolve()
    if not (site / "en" / "index.html").is_file():
        print("!!! no built site in _build/html: run `make book` first", file=sys.stderr)
        return 1
    sets = root / "_build" / "handout-sets"
    sets.mkdir(parents=True, exist_ok=True)
    built = sets / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    for lang in args.lang or LANGUAGES:
        print(f"==> Handouts, {lang}: chapters, book, answer key (running every solution)")
        manifest = make_edition(site, lang, built / lang, root)
        for name, pages in manifest["files"].items():
            print(f"    {lang}/{name}: {pages} pages")
    link = publish(root, built)
    print(f"==> Handouts in {link.relative_to(root)}/")
    return 0


if __name__ == "__main__":
    from ictstory.sitelock import site_lock  # one job at a time on _build/ (make book, dist)

    with site_lock("make handouts"):
        sys.exit(main())
