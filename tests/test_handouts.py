"""The printed handouts (``make handouts``): built once per session from the published site.

For both editions: the PDFs exist, hold every chapter of ``_toc.yml`` (the book's
contents point at the page where each starts) and every figure number, their text
can be extracted, the participants' version holds no solution, no trainer's note
and no code cell, the answer key holds every solution, its output and every note,
charts are vectors and keep the site's numbers, no chart's caption is on another page
than its chart, and no page is nearly empty but the last of a chapter.
"""

from __future__ import annotations

import concurrent.futures
import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, run_exercise

from ictstory.editions import code_cells
from ictstory.site.figures import chapter_numbers
from ictstory.trainers import exercises, handouts, trainer
from ictstory.trainers.exercises import all_exercises

LANGUAGES = ("en", "vi")
#: A code line that is only a list of figure ids: the chart data tables print the ids too.
FIGURE_ID_LIST = re.compile(r"[\[\]\s\"',F0-9]+")
pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def printed(site_root: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every handout of both editions, printed once, and their manifests."""
    for tool in ("pdftotext", "pdfinfo", "pdfimages"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} not installed: run `make browser` (Debian: poppler-utils)")
    out = tmp_path_factory.mktemp("handouts")
    # in a thread of its own: Playwright's sync API refuses to start inside the event
    # loop that the session's browser fixture (conftest) keeps in the main thread;
    # the answer keys take each exercise's outputs from the session's runs
    # (conftest.run_exercise: tests/test_exercises.py ran the same exercises)
    with (
        pytest.MonkeyPatch.context() as patch,
        concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool,
    ):
        patch.setattr(exercises, "run", run_exercise)
        for lang in LANGUAGES:
            pool.submit(handouts.make_edition, site_root.resolve(), lang, out / lang, ROOT).result()
    return {lang: out / lang for lang in LANGUAGES}


def text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *pages, str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]


def squeeze(words: str) -> str:
    """Only the letters and digits of a text: code and prose wrap differently on paper,
    and quotes print curly."""
    return re.sub(r"[\W_]+", "", words)


def body(pdf: Path) -> str:
    """The text of every page without its header and footer lines, pages joined."""
    pages = []
    for page in text(pdf).split("\f"):
        lines = [line for line in page.splitlines() if line.strip()]
        pages.append("\n".join(lines[1:-1]))
    return "\n".join(pages)


def manifest(folder: Path) -> dict:
    import json

    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def site_titles(site_root: Path, lang: str) -> list[str]:
    """Each chapter's title as the site shows it, in the order of the table of contents."""
    titles = []
    for page in handouts._toc_pages(ROOT):
        soup = BeautifulSoup((site_root / lang / page).read_text(encoding="utf-8"), "html.parser")
        titles.append(soup.select_one("article h1").get_text(" ", strip=True).rstrip("#").strip())
    return titles


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_handout_exists_with_its_pages(printed: dict[str, Path], lang: str) -> None:
    folder = printed[lang]
    names = [Path(p).stem for p in handouts._toc_pages(ROOT)]
    expected = ["book.pdf", "answer-key.pdf"] + [
        f"chapters/{n:02d}-{name}.pdf" for n, name in enumerate(names, 1)
    ]
    for name in expected:
        pdf = folder / name
        assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF"), name
        assert pages(pdf) == manifest(folder)["files"][name] >= 2, name
    assert pages(folder / "book.pdf") > sum(
        pages(folder / f"chapters/{n:02d}-{name}.pdf") - 1 for n, name in enumerate(names, 1)
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_book_has_every_chapter_where_its_contents_say(
    printed: dict[str, Path], site_root: Path, lang: str
) -> None:
    book = printed[lang] / "book.pdf"
    titles = site_titles(site_root, lang)
    chapters = manifest(printed[lang])["chapters"]
    assert [c["title"] for c in chapters] == titles
    contents = squeeze(text(book, 2, 2))
    for chapter in chapters:
        start = chapter["book_page"]
        top = squeeze(" ".join(text(book, start, start).split()[:60]))
        assert squeeze(chapter["title"]) in top, (chapter["title"], start)
        assert squeeze(chapter["title"]) + str(start) in contents, chapter["title"]
    for number, title in enumerate(titles, 1):
        name = Path(handouts._toc_pages(ROOT)[number - 1]).stem
        assert squeeze(title) in squeeze(text(printed[lang] / f"chapters/{number:02d}-{name}.pdf"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_figure_is_numbered_with_its_source_line(
    printed: dict[str, Path], site_root: Path, lang: str
) -> None:
    word = handouts.WORDS[lang]["figure"]
    book = squeeze(body(printed[lang] / "book.pdf"))
    total = 0
    for number, page in enumerate(handouts._toc_pages(ROOT), 1):
        soup = BeautifulSoup((site_root / lang / page).read_text(encoding="utf-8"), "html.parser")
        charts = soup.select("figure.ictstory-chart")
        total += len(charts)
        chapter = squeeze(body(printed[lang] / f"chapters/{number:02d}-{Path(page).stem}.pdf"))
        for n, chart in enumerate(charts, 1):
            label = squeeze(f"{word} {number}.{n}.")
            assert label in book and label in chapter, (page, label)
            source = squeeze(chart.select_one(".ictstory-chart__source").get_text())
            assert source in chapter, (page, n)
    assert total >= 20


@pytest.mark.parametrize("lang", LANGUAGES)
def test_text_is_extractable_and_charts_are_vectors(printed: dict[str, Path], lang: str) -> None:
    book = printed[lang] / "book.pdf"
    count = pages(book)
    empty = [n for n in range(1, count + 1) if len(text(book, n, n).split()) < 20]
    assert empty == []
    images = subprocess.run(
        ["pdfimages", "-list", str(book)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert len(images) == 0, images[:3]  # every chart is drawn, none pasted as a picture


def _solution_lines(lang: str) -> list[str]:
    """Lines of the solutions that no chapter's own code contains."""
    folder = ROOT / ("vi/chapters" if lang == "vi" else "chapters")
    shown = squeeze("\n".join(c for path in folder.glob("*.md") for c in code_cells(path)))
    lines = []
    for exercise in all_exercises(lang, ROOT):
        for line in exercise.code.splitlines():
            line = line.strip()
            if len(line) >= 30 and squeeze(line) not in shown:
                lines.append(line)
    return lines


def _notes(lang: str) -> list[str]:
    """The trainer's notes of every chapter (``trainer/``), item by item, as written."""
    return [" ".join(note.split()) for kit in trainer.kits(ROOT) for note in kit.notes[lang]]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_participants_version_has_no_solution_and_no_note(
    printed: dict[str, Path], lang: str
) -> None:
    lines, notes = _solution_lines(lang), _notes(lang)
    assert len(lines) >= 30 and len(notes) >= 30
    for pdf in [printed[lang] / "book.pdf", *sorted((printed[lang] / "chapters").glob("*.pdf"))]:
        printed_text = squeeze(body(pdf))
        assert [line for line in lines if squeeze(line) in printed_text] == [], pdf.name
        assert [note for note in notes if squeeze(note[:80]) in printed_text] == [], pdf.name


@pytest.mark.parametrize("lang", LANGUAGES)
def test_answer_key_has_every_solution_output_and_note(printed: dict[str, Path], lang: str) -> None:
    key = squeeze(body(printed[lang] / "answer-key.pdf"))
    missing = [line for line in _solution_lines(lang) if squeeze(line) not in key]
    assert missing == []
    missing = [note[:60] for note in _notes(lang) if squeeze(note) not in key]
    assert missing == []
    label = squeeze(handouts.WORDS[lang]["output"])
    assert key.count(label) == len(all_exercises(lang, ROOT))
    # each solution's output is labelled with its chapter and number
    solution = handouts.WORDS[lang]["output"]
    for exercise in all_exercises(lang, ROOT):
        number = [Path(p).stem for p in handouts._toc_pages(ROOT)].index(exercise.chapter.stem) + 1
        assert squeeze(f"{solution} {number}.{exercise.number}") in key, exercise.chapter


def _page_words(pdf: Path) -> list[int]:
    return [len(text(pdf, n, n).split()) for n in range(1, pages(pdf) + 1)]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_nearly_empty_page_but_the_last_of_a_chapter(
    printed: dict[str, Path], lang: str
) -> None:
    folder = printed[lang]
    sparse = []
    for pdf in sorted((folder / "chapters").glob("*.pdf")):
        words = _page_words(pdf)[1:]  # after the cover
        average = sum(words) / len(words)
        sparse += [
            f"{pdf.name} p{n + 2}: {w} words" for n, w in enumerate(words[:-1]) if w < 0.2 * average
        ]
    words = _page_words(folder / "book.pdf")
    starts = [c["book_page"] for c in manifest(folder)["chapters"]]
    last_pages = {s - 1 for s in starts[1:]} | {len(words)}
    content = [w for n, w in enumerate(words, 1) if n >= starts[0]]
    average = sum(content) / len(content)
    sparse += [
        f"book.pdf p{n}: {w} words"
        for n, w in enumerate(words, 1)
        if n >= starts[0] and n not in last_pages and w < 0.2 * average
    ]
    assert sparse == []


def test_publish_switches_the_link_at_once(tmp_path: Path) -> None:
    (tmp_path / "_build" / "handout-sets").mkdir(parents=True)
    first = tmp_path / "_build" / "handout-sets" / "one"
    second = tmp_path / "_build" / "handout-sets" / "two"
    for folder in (first, second):
        (folder / "en").mkdir(parents=True)
        (folder / "en" / "book.pdf").write_text(folder.name)
        if folder is first:
            link = handouts.publish(tmp_path, first)
            assert (link / "en" / "book.pdf").read_text() == "one"
            assert link.is_symlink()
    handouts.publish(tmp_path, second)
    assert (link / "en" / "book.pdf").read_text() == "two"
    assert not first.exists()


def _chapter_pdf(folder: Path, number: int, page: str) -> Path:
    return folder / f"chapters/{number:02d}-{Path(page).stem}.pdf"


def _page_texts(pdf: Path) -> list[str]:
    """Each page's letters and digits, without its header and footer lines."""
    found = []
    for page in text(pdf).split("\f"):
        lines = [line for line in page.splitlines() if line.strip()]
        found.append(squeeze("\n".join(lines[1:-1])))
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_chart_has_the_same_number_on_the_site_and_in_print(
    printed: dict[str, Path], site_root: Path, lang: str
) -> None:
    word = handouts.WORDS[lang]["figure"]
    numbers = chapter_numbers(ROOT)
    checked = 0
    for number, page in enumerate(handouts._toc_pages(ROOT), 1):
        assert numbers[page.removesuffix(".html")] == number
        soup = BeautifulSoup((site_root / lang / page).read_text(encoding="utf-8"), "html.parser")
        printed_text = squeeze(body(_chapter_pdf(printed[lang], number, page)))
        entry = next(c for c in manifest(printed[lang])["chapters"] if c["number"] == number)
        labels = []
        for n, figure in enumerate(soup.select("figure.ictstory-chart"), 1):
            label = figure.select_one(".ictstory-chart__number").get_text(strip=True)
            assert label == f"{word} {number}.{n}.", (page, label)  # the site's number
            title = figure.select_one(".ictstory-chart__title").get_text(" ", strip=True)
            # the same in print (a title's last words may be read after the chart's axes)
            assert squeeze(label + title)[:50] in printed_text, (page, label)
            labels.append(label.rstrip("."))
            checked += 1
        assert entry["figures"] == labels, page
    assert checked >= 20


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_chart_caption_is_on_another_page_than_its_chart(
    printed: dict[str, Path], site_root: Path, lang: str
) -> None:
    """A chart's caption (its number and title), its drawing and its source line are on
    one page: the page where the caption starts is the page where the source line under
    the drawing ends, in every chapter's handout and in the book."""
    split, checked = [], 0
    pdfs = {"book": printed[lang] / "book.pdf"}
    charts: dict[str, list[tuple[str, str]]] = {"book": []}
    for number, page in enumerate(handouts._toc_pages(ROOT), 1):
        soup = BeautifulSoup((site_root / lang / page).read_text(encoding="utf-8"), "html.parser")
        found = [
            (
                squeeze(f.select_one(".ictstory-chart__heading").get_text(" ", strip=True)),
                squeeze(f.select_one(".ictstory-chart__source").get_text(" ", strip=True)),
            )
            for f in soup.select("figure.ictstory-chart")
        ]
        pdfs[page] = _chapter_pdf(printed[lang], number, page)
        charts[page] = found
        charts["book"] += found
    for name, pdf in pdfs.items():
        pages = _page_texts(pdf)
        starts = [sum(len(p) for p in pages[:n]) for n in range(len(pages) + 1)]
        whole = "".join(pages)
        cursor = 0
        for caption, source in charts[name]:
            at = whole.find(caption[:40], cursor)
            assert at >= 0, (name, caption[:40])
            end = whole.find(source, at + len(caption))
            assert end >= 0, (name, caption[:40], source[:40])
            end += len(source) - 1
            first = max(n for n in range(len(pages)) if starts[n] <= at)
            last = max(n for n in range(len(pages)) if starts[n] <= end)
            if first != last:
                split.append(f"{pdf.name}: {caption[:40]} p{first + 1}, source p{last + 1}")
            cursor, checked = end, checked + 1
    assert checked >= 40
    assert split == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_participants_version_has_no_code_cell(
    printed: dict[str, Path], site_root: Path, lang: str
) -> None:
    """No line of a chapter's code cells that the site shows is in the participants'
    print (outputs stay: the charts are checked above)."""
    checked = 0
    for number, page in enumerate(handouts._toc_pages(ROOT), 1):
        soup = BeautifulSoup((site_root / lang / page).read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article")
        inputs = squeeze(" ".join(c.get_text() for c in article.select("div.cell_input")))
        for source in article.select("div.cell_input"):
            source.decompose()
        rest = squeeze(article.get_text())
        source_md = ROOT / ("vi" if lang == "vi" else "") / page.replace(".html", ".md")
        lines = {
            line.strip()
            for cell in code_cells(source_md)
            for line in cell.splitlines()
            if len(squeeze(line)) >= 20  # not a list of figure ids, which tables print
            and not FIGURE_ID_LIST.fullmatch(line.strip())
        }
        # lines the site shows as code, and nowhere else on the page
        lines = {line for line in lines if squeeze(line) in inputs and squeeze(line) not in rest}
        printed_text = squeeze(body(_chapter_pdf(printed[lang], number, page)))
        book = squeeze(body(printed[lang] / "book.pdf"))
        shown = [line for line in lines if squeeze(line) in printed_text or squeeze(line) in book]
        assert shown == [], page
        checked += len(lines)
    assert checked >= 50


@pytest.mark.parametrize("lang", LANGUAGES)
def test_chart_data_tables_print_with_readers_heads(
    printed: dict[str, Path], site_root: Path, lang: str
) -> None:
    """Every chart's data table prints with the site's heads, none of them a column name
    ("label en", "source id": what the tables printed before)."""
    book = squeeze(body(printed[lang] / "book.pdf"))
    raw = squeeze(" ".join(c.replace("_", " ") for c in ("figure_id", "label_en", "period")))
    assert raw not in book
    tables = 0
    for page in handouts._toc_pages(ROOT):
        soup = BeautifulSoup((site_root / lang / page).read_text(encoding="utf-8"), "html.parser")
        for table in soup.select("figure.ictstory-chart table.ictstory-chart__table"):
            heads = [th.get_text(" ", strip=True) for th in table.select("thead th")]
            assert "label en" not in heads and "source id" not in heads, page
            # each head prints (a narrow column may wrap a two-word head, so the row
            # is not one run of text in the PDF's text)
            assert all(squeeze(word) in book for head in heads for word in head.split()), (
                page,
                heads,
            )
            tables += 1
    assert tables >= 20


@pytest.mark.parametrize("lang", LANGUAGES)
def test_trainers_decks_carry_every_note_of_their_chapter(
    printed: dict[str, Path], lang: str
) -> None:
    """The trainer's copy of each deck (beside the answer key) has its chapter's notes;
    the manifest lists them."""
    listed = manifest(printed[lang])["trainer_decks"]
    decks = sorted((printed[lang] / handouts.TRAINER_DECKS).glob("*.html"))
    assert listed == [f"{handouts.TRAINER_DECKS}/{d.name}" for d in decks]
    kits = {kit.chapter: kit for kit in trainer.kits(ROOT)}
    with_notes = [d for d in decks if kits.get(d.stem) and kits[d.stem].notes[lang]]
    assert len(with_notes) >= 8
    for deck in with_notes:
        shown = squeeze(html.unescape(re.sub(r"<[^>]+>", " ", deck.read_text("utf-8"))))
        missing = [n[:60] for n in kits[deck.stem].notes[lang] if squeeze(n[:80]) not in shown]
        assert missing == [], deck.name


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_pdf_is_titled_as_its_header_not_an_address(
    printed: dict[str, Path], lang: str
) -> None:
    """A PDF's Title (what a viewer shows in its title bar) is the book and chapter,
    never the printer's internal 127.0.0.1 address."""
    for pdf in sorted(printed[lang].rglob("*.pdf")):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        title = next(
            (
                line.split(":", 1)[1].strip()
                for line in info.stdout.splitlines()
                if line.startswith("Title:")
            ),
            "",
        )
        assert title and "127.0.0.1" not in title and "http" not in title, (pdf.name, title)
        assert manifest(printed[lang])["title"] in title, (pdf.name, title)
