"""The Vietnamese edition: complete, in step with the English one, and in Vietnamese.

* the twins' code cells, labels, glued names and references are the same
  (``python -m ictstory.editions check``);
* both editions glued the same names with the same numbers and drew the same
  charts from the same figures (the build's records in ``_build/deps/<language>``);
* no paragraph, heading, admonition, table header, chart title or text
  alternative of the Vietnamese edition is in English;
* the term list ``vi/terms.csv`` is followed.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, site_pages

from ictstory import editions
from ictstory.data.derivation import FIGURE_ID as FIGURE
from ictstory.site.search_vi import fold

#: Words that give English prose away (none is a Vietnamese syllable: not "an", "to",
#: "in" or "it", which are).
ENGLISH_WORDS = set(
    "the and of is are was were with for that this from by which its on as at be "
    "or has have not but than their there these those what when where who will would "
    "into about after before because between during each more most other over such".split()
)
#: Names and fixed terms that may stay in English in the Vietnamese edition.
ALLOWED = re.compile(
    r"Make in Vietnam|Vietnam Post|Viettel(?: Post)?|VNPT|MobiFone|Global Cybersecurity Index|"
    r"Global Innovation Index|Digital World|Our World in Data|Jupyter\w*|GitHub|"
    r"UN E-Government|World Bank|COVID-19|ITU|UPU|WIPO|ASEAN|ICT|CSV|JSON|PDF|SVG|PNG|"
    r"pandas|Python|Altair|Vega(?:-Lite)?|Frictionless|Excel|UTF-8",
    re.I,
)


def _english_words(text: str) -> list[str]:
    words = re.findall(r"[A-Za-z']+", ALLOWED.sub(" ", text))
    return [w for w in words if w.lower() in ENGLISH_WORDS]


def _looks_english(text: str) -> bool:
    """Three or more English function words, and at least one in eight words."""
    found = _english_words(text)
    total = len(text.split())
    return len(found) >= 3 and len(found) * 8 >= total


def _pages(edition: Path) -> list[Path]:
    """The book's pages (the slide decks are excerpts of them, checked in test_slides)."""
    return [
        p
        for p in site_pages(edition)
        if p.name not in ("genindex.html", "search.html") and "slides" not in p.parts
    ]


def test_twins_are_in_step() -> None:
    assert editions.problems(ROOT) == []


def test_every_page_exists_in_both_editions(site: Path, site_vi: Path) -> None:
    en = {p.relative_to(site).as_posix() for p in _pages(site)}
    vi = {p.relative_to(site_vi).as_posix() for p in _pages(site_vi)}
    assert en == vi
    assert len(en) >= 14


def _records(language: str) -> dict[str, dict]:
    folder = ROOT / "_build" / "deps" / language
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")}


def test_both_editions_glue_the_same_numbers_and_draw_the_same_charts(site_root: Path) -> None:
    en, vi = _records("en"), _records("vi")
    assert en and set(en) == set(vi)
    for doc in sorted(en):
        a, b = en[doc].get("glue", {}), vi[doc].get("glue", {})
        assert set(a) == set(b), f"{doc}: glued names differ: {sorted(set(a) ^ set(b))}"
        for name in a:
            left, right = a[name]["value"], b[name]["value"]
            assert left == right, f"{doc}: {name} is {left} in English and {right} in Vietnamese"
        # a chart's id hashes its spec, which is in the edition's language: compare
        # the charts in order by the figures they draw
        drawn = [
            [[f for f in c["figures"] if FIGURE.fullmatch(f)] for c in r.get("charts", [])]
            for r in (en[doc], vi[doc])
        ]
        assert drawn[0] == drawn[1], f"{doc}: the charts differ"
    assert sum(len(r.get("charts", [])) for r in en.values()) >= 20


def test_vietnamese_numbers_are_written_the_vietnamese_way(site_root: Path) -> None:
    glued = [g for r in _records("vi").values() for g in r.get("glue", {}).values()]
    decimals = [g for g in glued if g["value"] is not None and g["value"] % 1]
    assert decimals, "no glued number with decimals to check"
    for g in decimals:
        assert not re.search(r"\d\.\d{1,2}(?!\d)", g["text"]), g  # 30.86 would be English
    thousands = [g for g in glued if g["value"] is not None and abs(g["value"]) >= 10_000]
    assert any(re.search(r"\d\.\d{3}", g["text"]) for g in thousands), thousands[:3]
    # English thousands ("2,263,000"), not a Vietnamese decimal ("1.337,857")
    english_thousands = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])")
    assert not any(english_thousands.search(g["text"]) for g in thousands)


def _texts(page: Path) -> list[tuple[str, str]]:
    """(what, text) of every block of prose a reader sees on a page."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    main = soup.find("main") or soup
    for hidden in main.select("pre, code, .highlight, blockquote, q, .ictstory-excerpt"):
        hidden.decompose()
    found: list[tuple[str, str]] = []
    selectors = "p, li, h1, h2, h3, h4, th, .admonition-title, summary, figcaption, caption"
    for node in main.select(selectors):
        found.append((node.name, " ".join(node.get_text(" ").split())))
    for node in main.select("[aria-label]"):
        found.append(("aria-label", node["aria-label"]))
    for node in main.select("script.ictstory-chart__spec"):
        spec = json.loads(node.string or "{}")
        for title in re.findall(r'"(?:title|text)":\s*"([^"]+)"', json.dumps(spec)):
            found.append(("chart title", title))
    title = soup.find("title")
    if title:
        found.append(("title", title.get_text()))
    return found


def test_no_english_left_in_the_vietnamese_edition(site_vi: Path) -> None:
    left: list[str] = []
    for page in _pages(site_vi):
        for what, text in _texts(page):
            if _looks_english(text):
                left.append(f"{page.relative_to(site_vi)} {what}: {text[:120]}")
    assert left == [], f"{len(left)} English text(s) in the Vietnamese edition:\n" + "\n".join(
        left[:40]
    )


def test_the_check_would_see_english() -> None:
    assert _looks_english("The post kept growing fast before and during the pandemic")
    assert not _looks_english("Bưu chính tiếp tục tăng trưởng nhanh trước và trong đại dịch")
    assert not _looks_english("Make in Vietnam là lời kêu gọi của Bộ Thông tin và Truyền thông")


def _terms() -> list[dict[str, str]]:
    with (ROOT / "vi" / "terms.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _page_text(page: Path) -> str:
    """The words a reader sees in a page's main part (charts as their static SVG)."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    main = soup.find("main") or soup
    for script in main.select("script, style"):
        script.decompose()
    return " ".join(main.get_text(" ").split())


def test_the_term_list_is_followed(site: Path, site_vi: Path) -> None:
    """No back-translation the list rejects; and where an English page uses a term of
    two or more words, its twin uses the ministry's Vietnamese term (compared without
    diacritics, so "Uỷ" and "Ủy" are the same spelling)."""
    misses: list[str] = []
    for page in _pages(site_vi):
        twin = site / page.relative_to(site_vi)
        vi_text, en_text = _page_text(page).lower(), _page_text(twin).lower()
        vi_folded = fold(vi_text)
        for term in _terms():
            for avoid in filter(None, term["avoid"].split(";")):
                if avoid.lower() in vi_text:
                    misses.append(f"{page.name}: {avoid!r} instead of {term['vi']!r}")
            if not re.search(r"[\s-]", term["en"].strip()):
                continue  # one common word ("press", "revenue") says too little
            english = re.search(rf"\b{re.escape(term['en'].lower())}\b", en_text)
            if english and fold(term["vi"]) not in vi_folded:
                misses.append(f"{page.name}: {term['en']!r} has no {term['vi']!r}")
    assert misses == [], "\n".join(misses)


@pytest.mark.parametrize("page", ["index.html", "chapters/postal.html"])
def test_vietnamese_pages_say_they_are_vietnamese(site_vi: Path, page: str) -> None:
    html = (site_vi / page).read_text(encoding="utf-8")
    assert re.search(r'<html[^>]*\blang="vi"', html)
    twin = "../" * page.count("/") + f"../en/{page}"
    # the language button names its twin (hreflang alternates in <head> only with
    # html.baseurl set: tests/test_layout.py)
    assert f'href="{twin}" hreflang="en"' in html


def test_the_root_page_offers_both_editions(site_root: Path) -> None:
    html = (site_root / "index.html").read_text(encoding="utf-8")
    assert 'href="vi/index.html"' in html and 'href="en/index.html"' in html
    assert "localStorage" in html


def test_sync_copies_code_and_check_sees_drift(tmp_path: Path) -> None:
    import shutil

    for name in ("_toc.yml", "index.md", "chapters", "vi"):
        source = ROOT / name
        copy = shutil.copytree if source.is_dir() else shutil.copyfile
        copy(source, tmp_path / name)
    chapter = tmp_path / "chapters" / "postal.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("facts = st.figures()", "facts = st.figures()  # edited", 1))
    found = editions.problems(tmp_path)
    assert any("vi/chapters/postal.md: code cell 1 differs" in p for p in found), found
    twin = tmp_path / "vi" / "chapters" / "postal.md"
    prose_before = editions.prose(twin)
    assert editions.sync(tmp_path) == [Path("vi/chapters/postal.md")]
    assert editions.problems(tmp_path) == []
    assert editions.prose(twin) == prose_before  # only the code changed
