"""Prose quality: no doubled words, no number-noun agreement errors, and the
framing-decisions table (schema, rendered on both data pages, escaped).

The Markdown checks read the chapters' prose (code cells left out) in both
editions; the built-page checks read the text of every page of the built site.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import jupytext
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, site_pages

from ictstory.data import find_problems, load_table
from ictstory.story.prose import counted, number_word

DATA = ROOT / "data"
PAGES_EN = [ROOT / "index.md", *sorted((ROOT / "chapters").glob("*.md"))]
PAGES_VI = [ROOT / "vi" / "index.md", *sorted((ROOT / "vi" / "chapters").glob("*.md"))]

#: A word or a pair of words (letters only, so "2020 2020" in a table is not a doubled
#: word) said twice: "the the", "up to up to".
DOUBLED = re.compile(r"\b([^\W\d_]+(?:\s+[^\W\d_]+)?)\s+\1\b", re.IGNORECASE)
#: Vietnamese pairs that are two words, not one word typed twice: "năm năm" (five
#: years), "song song" (parallel), "một số số liệu" (some figures), "từ từ điển"
#: (from the dictionary). Each is allowed only in that context.
VI_ALLOWED = re.compile(r"năm năm|song song|số số liệu|từ từ điển", re.IGNORECASE)

#: Nouns the book counts. A count is 2 or more written in figures (4-digit numbers
#: without a thousands separator are years: "the 2020 target" is fine) or in words.
COUNTED = (
    "row|figure|event|target|source|document|field|place|point|year|country|task|"
    "lesson|direction|entry|table|wave|chart|page|commune|province|agency|"
    "conference|programme|platform|service|item|message|part|unit|day|month|edition"
)
MANY = r"(?<![\d.,-])(?:[2-9]|[1-9]\d{1,2}|[1-9]\d{0,2}(?:,\d{3})+)(?![\d.,]\d)"
MANY_WORDS = r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
ONE_MANY = rf"(?<![\d.,-])\b(?:1|one) (?:{COUNTED})s\b"
#: A singular noun ends the phrase ("2 figure.", "three target in 2021"); one followed
#: by another noun is a modifier ("two field chapters", "two source documents").
END = r"(?=[.,;:)!?]|\s+(?:of|in|on|and|or|were|are|was|is|from|to|by|at)\b|\s*$)"
MANY_ONE = rf"(?:{MANY}|\b(?:{MANY_WORDS})) (?:{COUNTED}){END}"
AGREEMENT = re.compile(f"{ONE_MANY}|{MANY_ONE}", re.IGNORECASE)
#: Elements whose text is read as one run of prose on a built page.
BLOCKS = "p, li, h1, h2, h3, h4, h5, h6, figcaption, caption, dt, dd, th, td, summary"


def markdown_prose(path: Path) -> str:
    """The Markdown cells of a MyST notebook, without roles' targets (`{ref}`ch-x``)."""
    notebook = jupytext.read(path, fmt="md:myst")
    text = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    text = re.sub(r"```.*?```", " ", text, flags=re.DOTALL)  # fenced code in admonitions
    return re.sub(r"\{[\w:-]+\}`[^`]*`", " ", text)


def doubled_words(text: str, vietnamese: bool) -> list[str]:
    """Each word said twice in a row in ``text``, with the allowed Vietnamese pairs left out."""
    found = []
    for match in DOUBLED.finditer(text):
        context = " ".join(text[max(0, match.start() - 3) : match.end() + 8].split())
        if vietnamese and VI_ALLOWED.search(context):
            continue
        if re.search(r"\n\s*\n", match.group(0)):  # the end of one paragraph, the start of the next
            continue
        found.append(match.group(0))
    return found


def page_blocks(page: Path) -> list[str]:
    """The text of every prose block in a built page's article."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article") or soup
    for hidden in article.select("script, style, pre, code, .cell_input"):
        hidden.decompose()
    return [" ".join(b.get_text(" ").split()) for b in article.select(BLOCKS)]


# ------------------------------------------------------------ the checks themselves


def test_doubled_word_check_finds_what_it_should() -> None:
    assert doubled_words("the the figures", vietnamese=False) == ["the the"]
    assert doubled_words("of the\nThe data", vietnamese=False) == ["the\nThe"]
    assert doubled_words("số liệu của của Bộ", vietnamese=True) == ["của của"]
    assert doubled_words("rose from 2020 2020", vietnamese=False) == []
    assert doubled_words("charges of up to up to 10,000", vietnamese=False) == ["up to up to"]
    assert doubled_words("trong năm năm qua, song song với một số số liệu", True) == []
    assert doubled_words("một số\nsố liệu", vietnamese=True) == []
    assert doubled_words("năm năm", vietnamese=False) == ["năm năm"]


def test_agreement_check_finds_what_it_should() -> None:
    wrong = ["1 rows", "one figures", "2 figure", "12 event.", "three target in 2021", "1,200 row,"]
    for text in wrong:
        assert AGREEMENT.search(text), text
    right = [
        "1 row",
        "one figure",
        "2 figures",
        "the 2020 target.",
        "2.5 point",
        "two-thirds",
        "12 events",
        "six fields",
        "two field chapters",
        "two source documents",
        "the level-4 target.",
        "the fourth COVID-19 wave.",
        "0.1 points",
    ]
    for text in right:
        assert not AGREEMENT.search(text), text


# ------------------------------------------------------------ generated words


@pytest.mark.parametrize("count", range(0, 25))
def test_counted_agrees_in_english(count: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICTSTORY_LANG", "en")
    for noun in ("row", "figure", "news item", "field"):
        text = counted(count, noun)
        assert not AGREEMENT.search(text), text
        assert text.endswith(noun if count == 1 else f"{noun}s"), text


def test_counted_and_number_word(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICTSTORY_LANG", "en")
    assert counted(1, "row") == "one row"
    assert counted(2, "figure") == "two figures"
    assert counted(40, "event") == "40 events"
    assert number_word(6) == "six"
    assert number_word(1200) == "1,200"
    with pytest.raises(ValueError):
        number_word(2.5)
    monkeypatch.setenv("ICTSTORY_LANG", "vi")
    assert counted(2, "dòng") == "hai dòng"  # Vietnamese nouns have no plural
    assert counted(1, "dòng") == "một dòng"
    assert number_word(1200) == "1.200"


# ------------------------------------------------------------ the source Markdown


@pytest.mark.parametrize("path", PAGES_EN + PAGES_VI, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_doubled_words_in_markdown(path: Path) -> None:
    vietnamese = path.is_relative_to(ROOT / "vi")
    assert doubled_words(markdown_prose(path), vietnamese) == []


@pytest.mark.parametrize("path", PAGES_EN, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_agreement_errors_in_english_markdown(path: Path) -> None:
    assert AGREEMENT.findall(" ".join(markdown_prose(path).split())) == []


# ------------------------------------------------------------ the built pages


def test_no_doubled_words_on_built_pages(site_root: Path) -> None:
    found = []
    for edition in ("en", "vi"):
        # the general index lists a term above its own sub-entries ("ITU" over "ITU Digital World")
        pages = [p for p in site_pages(site_root / edition) if p.name != "genindex.html"]
        assert len(pages) > 10, edition
        for page in pages:
            for block in page_blocks(page):
                found += [(page.name, w) for w in doubled_words(block, edition == "vi")]
    assert found == []


def test_no_agreement_errors_on_built_english_pages(site: Path) -> None:
    found = []
    for page in site_pages(site):
        for block in page_blocks(page):
            found += [(page.name, m) for m in AGREEMENT.findall(block)]
    assert found == []


# ------------------------------------------------------------ the framing table


def framing_rows() -> list[dict[str, str]]:
    with (DATA / "framing.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def framing_spec() -> dict:
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    return next(r for r in package["resources"] if r["name"] == "framing")


def test_framing_schema() -> None:
    spec = framing_spec()
    fields = {f["name"]: f for f in spec["schema"]["fields"]}
    for column in (
        "framing_id",
        "page",
        "claim",
        "evidence",
        "decision",
        "claim_vi",
        "decision_vi",
    ):
        assert column in fields, column
    assert spec["schema"]["primaryKey"] == ["framing_id"]
    assert fields["action"]["constraints"]["enum"] == ["changed", "kept", "added"]
    rows = framing_rows()
    assert len(rows) >= 10
    assert list(rows[0]) == list(fields)
    for row in rows:
        page = row["page"]
        assert (ROOT / page).is_file() and (ROOT / "vi" / page).is_file(), page
        for column in ("claim", "evidence", "decision"):
            assert row[column].strip() and row[f"{column}_vi"].strip(), (row["framing_id"], column)
            assert row[column] != row[f"{column}_vi"], (row["framing_id"], column)
    assert {r["action"] for r in rows} == {"changed", "kept", "added"}


@pytest.mark.parametrize(
    ("column", "bad"),
    [
        ("page", "chapters/nowhere.md"),
        ("action", "softened"),
        ("source_id", "999_nope"),
        ("framing_id", "FR1"),
    ],
)
def test_framing_validation_refuses_bad_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, column: str, bad: str
) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    rows = framing_rows()
    rows.append(rows[0] | {"framing_id": "FR99", column: bad})
    with (data / "framing.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    problems = find_problems(data / "datapackage.json")
    assert any(p.path == "data/framing.csv" and p.column == column for p in problems), problems


def _data_page_cells() -> tuple[str, str]:
    """The data page's setup cell and its framing-table cell (its table kept in RESULT)."""
    notebook = jupytext.read(ROOT / "chapters" / "data.md", fmt="md:myst")
    code = [c.source for c in notebook.cells if c.cell_type == "code"]
    cell = next(c for c in code if "st.framing_table()" in c)
    return code[0], cell.replace("st.framing_table()", "RESULT = st.framing_table()", 1)


@pytest.mark.parametrize("language", ["en", "vi"])
def test_framing_cell_escapes_hostile_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    """The data page's own cell, run on a row holding markup, shows it as text."""
    project = tmp_path / "book"
    shutil.copytree(DATA, project / "data")
    shutil.copy(ROOT / "_config.yml", project / "_config.yml")
    rows = framing_rows()
    hostile = "<script>alert(1)</script> *bold* {glue:text}`x` <b>"
    rows[0] |= {"claim": hostile, "claim_vi": hostile, "decision": hostile, "decision_vi": hostile}
    with (project / "data" / "framing.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    monkeypatch.setenv("ICTSTORY_ROOT", str(project))
    monkeypatch.setenv("ICTSTORY_LANG", language)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    scope: dict = {}
    setup, cell = _data_page_cells()
    exec(setup, scope)  # noqa: S102 - the page's own setup cell: its imports and glue
    exec(cell, scope)  # noqa: S102
    markup = scope["RESULT"].markup
    assert "<script>" not in markup and "<b>" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    cells = [td.get_text() for td in BeautifulSoup(markup, "html.parser").select("td")]
    assert hostile in cells


@pytest.mark.parametrize("language", ["en", "vi"])
def test_framing_table_rendered_on_both_data_pages(site_root: Path, language: str) -> None:
    page = site_root / language / "chapters" / "data.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    header = "claim" if language == "en" else "nhận định"
    table = next(
        t
        for t in soup.select("table")
        if header in [th.get_text(strip=True) for th in t.select("thead th")]
    )
    rendered = [[td.get_text() for td in tr.select("td")] for tr in table.select("tbody tr")]
    # as the page shows them: a [[F123]] reference worded as its figure
    rows = load_table("framing").fillna("").astype(str).to_dict("records")
    assert len(rendered) == len(rows) == len(framing_rows())
    suffix = "" if language == "en" else "_vi"
    for row, cells in zip(rows, rendered, strict=True):
        assert cells[0] == row["framing_id"]
        assert row[f"claim{suffix}"] in cells
        assert row[f"decision{suffix}"] in cells
