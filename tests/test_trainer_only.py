"""Answers stay with the trainer (issue 17): notes and solutions are in ``trainer/`` only.

The trainer's notes on the discussion questions and the Try-it solutions live in
``trainer/`` (:mod:`ictstory.trainers.trainer`), never in a chapter. Here: the material pairs up
with the chapters in both languages; no chapter source carries it; the build refuses a
page that does; and no file of the published site, both editions (pages, slide decks,
search index, downloads, the data zip's members), holds the text of any note or the
distinctive lines of any solution. That the answer key holds every note is checked
with the printed handouts (``test_handouts``, same fixture, printed once).
"""

from __future__ import annotations

import codecs
import html
import json
import re
import unicodedata
import zipfile
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT
from docutils import nodes

from ictstory.editions import twins
from ictstory.site import search_vi
from ictstory.trainers import trainer
from ictstory.trainers.exercises import exercises

LANGUAGES = ("en", "vi")
QUESTIONS = {"en": "Questions for discussion", "vi": "Câu hỏi thảo luận"}
TAG = re.compile(r"<[^>]*>")


def _questions(page: Path, language: str) -> int:
    text = page.read_text(encoding="utf-8")
    found = re.search(rf"^## {QUESTIONS[language]}\n(.*?)^## ", text, re.M | re.S)
    return len(re.findall(r"^\d+\. ", found.group(1), re.M)) if found else 0


def _chapter(name: str, language: str) -> Path:
    return ROOT / ("vi/chapters" if language == "vi" else "chapters") / f"{name}.md"


# --- The material in trainer/ ---------------------------------------------------------


def test_every_chapter_with_questions_has_a_note_per_question_in_both_languages() -> None:
    with_questions = 0
    for twin in twins(ROOT):
        name = twin.en.stem
        kit = trainer.load(name, ROOT)
        for language, page in (("en", ROOT / twin.en), ("vi", ROOT / twin.vi)):
            asked = _questions(page, language)
            with_questions += asked > 0
            assert len(kit.notes[language]) == asked, (page, asked, len(kit.notes[language]))
    assert with_questions >= 20  # ten story chapters, both editions


def test_every_try_it_has_its_solution_and_no_solution_is_left_over() -> None:
    used = set()
    for twin in twins(ROOT):
        for page in (twin.en, twin.vi):
            for exercise in exercises(page, ROOT):  # raises when they do not pair up
                used.add(exercise.code)
    kept = sorted((trainer.folder(ROOT) / "solutions").glob("*.py"))
    assert len(kept) >= 10
    assert {p.read_text(encoding="utf-8") for p in kept} == used
    for kit in trainer.kits(ROOT):
        for solution in kit.solutions:
            assert all(solution.answer.values()) or not any(solution.answer.values()), solution


def test_no_chapter_source_holds_trainer_text() -> None:
    snippets = trainer.secret_snippets(ROOT)
    pages = [ROOT / p for t in twins(ROOT) for p in (t.en, t.vi)]
    assert len(pages) >= 28
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert trainer.leaks(text, snippets=snippets) == [], page
        assert "ictstory-trainer-notes" not in text and "{dropdown}" not in text, page
    tries = [p for p in pages if "{admonition} Try it" in p.read_text(encoding="utf-8")]
    assert tries and all(trainer.POINTER["en"] in p.read_text(encoding="utf-8") for p in tries)
    thuc = [p for p in pages if "{admonition} Thực hành" in p.read_text(encoding="utf-8")]
    assert len(thuc) == len(tries)
    assert all(trainer.POINTER["vi"] in p.read_text(encoding="utf-8") for p in thuc)


def test_secret_snippets_cover_every_note_and_every_solution() -> None:
    """The function the bundle test reuses: every note and solution is represented."""
    snippets = trainer.secret_snippets(ROOT)
    assert all(s == trainer.normalize(s) and len(s) >= 9 for s in snippets)
    kits = trainer.kits(ROOT)
    assert len(kits) >= 10
    for kit in kits:
        for language in LANGUAGES:
            for note in kit.notes[language]:
                assert trainer.leaks(note, snippets=snippets), (kit.chapter, note[:40])
            for solution in kit.solutions:
                if solution.answer[language]:
                    assert trainer.leaks(solution.answer[language], snippets=snippets)
        for solution in kit.solutions:
            lines = trainer.code_snippets(solution, ROOT)
            assert len(lines) >= 3 and any(s.startswith("assert ") for s in lines), solution.path
    # one edition's prose only
    english = set(trainer.secret_snippets(ROOT, "en"))
    vietnamese = {s for kit in kits for s in trainer.note_snippets(kit, "vi")}
    assert english < set(snippets) and vietnamese and not english & vietnamese


def test_a_leak_is_found_as_a_page_shows_it() -> None:
    """Sphinx's curly quotes, markup and line breaks do not hide a note from :func:`leaks`."""
    note = trainer.kits(ROOT)[0].notes["en"][0]
    shown = "<p>" + html.escape(note.replace("'", "’").replace("\n", " \n  ")) + "</p>"
    assert trainer.leaks(html.unescape(TAG.sub("", shown)), ROOT)
    assert trainer.leaks("A chapter's own words, nothing else.", ROOT) == []


def test_the_build_refuses_a_page_with_trainer_text() -> None:
    from sphinx.errors import ExtensionError

    from ictstory.site.sphinx_ext import _refuse_trainer_text

    kit = trainer.load("postal", ROOT)
    page = nodes.section("", nodes.paragraph(text="Questions. " + kit.notes["vi"][1]))
    with pytest.raises(ExtensionError, match="trainer-only text"):
        _refuse_trainer_text(None, page, "chapters/postal")  # type: ignore[arg-type]
    code = nodes.literal_block(text=kit.solutions[0].code)
    with pytest.raises(ExtensionError, match="chapters/postal"):
        _refuse_trainer_text(None, code, "chapters/postal")  # type: ignore[arg-type]
    fine = nodes.paragraph(text="The post grew.")
    _refuse_trainer_text(None, fine, "chapters/postal")  # type: ignore[arg-type]


def test_trainer_folder_is_excluded_from_the_book() -> None:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert "trainer" in config["exclude_patterns"]
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8") + (ROOT / "vi/_toc.yml").read_text(
        encoding="utf-8"
    )
    assert "trainer/" not in toc


# --- The published site -----------------------------------------------------------------

JS_ESCAPE = re.compile(r"\\u[0-9a-fA-F]{4}")
ATTRIBUTE = re.compile(r"""=\s*(?:"([^"]*)"|'([^']*)')""")
MARKS = re.compile("[\u0300-\u036f]")


def _fold(text: str) -> str:
    """Letters without diacritics, as the Vietnamese search index keeps words (the case
    kept: a sentence of a note, not the same words in another sentence)."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return MARKS.sub("", text)


def _readable(name: str, data: bytes) -> str:
    """A published file as text a reader or a search could show: a page's text and its
    attributes' values (tags dropped), HTML and JavaScript escapes undone."""
    text = data.decode("utf-8", errors="ignore")
    if JS_ESCAPE.search(text):
        text = JS_ESCAPE.sub(lambda m: codecs.decode(m.group(0), "unicode_escape"), text)
    if name.endswith((".html", ".htm", ".svg", ".xml")):
        values = " ".join(a or b for a, b in ATTRIBUTE.findall(text))
        text = TAG.sub(" ", text) + " " + values
    return html.unescape(text)


def _published(site_root: Path) -> dict[str, bytes]:
    """Every file of the published site, and every member of every zip in it."""
    files = {}
    for path in sorted(p for p in site_root.rglob("*") if p.is_file()):
        name = path.relative_to(site_root).as_posix()
        files[name] = path.read_bytes()
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                files |= {f"{name}:{m}": archive.read(m) for m in archive.namelist()}
    return files


@pytest.fixture(scope="module")
def published(site_root: Path) -> dict[str, bytes]:
    return _published(site_root.resolve())


def test_no_published_file_holds_a_note_or_a_solution(published: dict[str, bytes]) -> None:
    snippets = trainer.secret_snippets(ROOT)
    folded = [_fold(s) for s in snippets]
    names = list(published)
    # the scan covers what a participant can open: both editions' pages, decks, search
    # index and downloads, and the data zip's members
    for language in LANGUAGES:
        assert f"{language}/chapters/postal.html" in names
        assert f"{language}/searchindex.js" in names
        assert any(n.startswith(f"{language}/slides/") and n.endswith(".html") for n in names)
        assert any(".zip:" in n and n.startswith(f"{language}/") for n in names)
    found, seen = {}, set()
    for name, data in published.items():
        if (name[-4:], data) in seen:  # the same file in both editions: read once
            continue
        seen.add((name[-4:], data))
        flat = trainer.normalize(_readable(name, data))
        hits = trainer.leaks(flat, snippets=snippets)
        if not flat.isascii():  # Vietnamese text, perhaps folded (search index)
            flat = _fold(flat)
            hits += [s for s, f in zip(snippets, folded, strict=True) if f in flat]
        if hits:
            found[name] = sorted(set(hits))[:2]
    assert found == {}


def test_every_deck_asks_only_the_chapter_questions(site_root: Path) -> None:
    """The slide builder no longer lists trainer's notes as questions 5-8."""
    decks = 0
    for language in LANGUAGES:
        for twin in twins(ROOT):
            page = ROOT / (twin.vi if language == "vi" else twin.en)
            asked = _questions(page, language)
            deck = site_root / language / "slides" / f"{twin.en.stem}.html"
            if not asked or not deck.is_file():
                continue
            decks += 1
            soup = BeautifulSoup(deck.read_text(encoding="utf-8"), "html.parser")
            slides = [
                s
                for s in soup.find_all(["section", "div"])
                if (h := s.find(["h1", "h2"], recursive=False)) is not None
                and h.get_text(strip=True).startswith(QUESTIONS[language])  # and its sequels
            ]
            assert slides, deck
            items = sum(len(s.find_all("li")) for s in slides)
            assert items == asked, (deck.name, language, items, asked)
    assert decks >= 20


def _visible(page: bytes) -> str:
    """A page's text a reader sees (not what ``d-none`` hides)."""
    soup = BeautifulSoup(page, "html.parser")
    for hidden in soup.select(".d-none"):
        hidden.decompose()
    return soup.get_text(" ")


def test_search_index_has_no_word_only_a_note_uses(published: dict[str, bytes]) -> None:
    """Words that appear in notes and on no page must not be search terms either."""
    from sphinx.search.en import SearchEnglish

    english = SearchEnglish({})
    stem = {"en": english.stem, "vi": search_vi.fold}
    for language in LANGUAGES:
        pages = " ".join(
            _visible(data)
            for name, data in published.items()
            if name.startswith(f"{language}/") and name.endswith(".html")
        )
        shown = {stem[language](w) for w in re.findall(r"\w+", pages.lower())}
        notes = " ".join(n for kit in trainer.kits(ROOT) for n in kit.notes[language])
        only_notes = {stem[language](w) for w in re.findall(r"[^\W\d_]{4,}", notes.lower())}
        only_notes -= shown
        assert len(only_notes) >= 5, only_notes  # the check below can fail
        index = published[f"{language}/searchindex.js"].decode("utf-8")
        data = json.loads(index[index.index("(") + 1 : index.rindex(")")])
        terms = set(data["terms"]) | set(data["titleterms"])
        assert only_notes & terms == set()
