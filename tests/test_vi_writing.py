"""The Vietnamese edition writes like Vietnamese (issue 22, point 4).

Over every page of the built Vietnamese edition, prose, tables and chart specs
(titles, axis and legend words, tooltip values):

- no English left: no sentence that reads as English and no English word of the
  vocabulary where the Vietnamese word differs;
- large amounts of money in "nghìn tỷ" style: "2.263 nghìn tỷ đồng", never
  "2.263.000 tỷ đồng";
- full dates zero-padded as dd/mm/yyyy: "07/09/2021", never "7/9/2021".

Verbatim excerpts of sources stay as the source wrote them (quotes, the excerpt
columns of tables and the excerpt field of tooltips): the book quotes, it does not
rewrite. The unit tests at the end check the checks and the formatter that writes
the amounts.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, site_pages
from test_editions import _looks_english

from ictstory.story import outside, prose
from ictstory.story.words import word

#: A full date with a one-digit day or month: "7/9/2021", "18/8/2021", "6/07/2020".
UNPADDED_DATE = re.compile(r"(?<![\d/.,])(?:\d/\d{1,2}|\d{1,2}/\d)/(?:19|20)\d\d(?!\d)")
#: An amount of a million tỷ or more written in tỷ: "2.263.000 tỷ", "1.337.857 tỷ đồng".
MILLION_TY = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?\s*(?:tỷ|tỉ)(?!\s*lệ)")
#: Spec keys whose strings a reader sees.
SEEN_KEYS = {"title", "text", "subtitle", "description"}


def _vocabulary_english() -> set[str]:
    """English words of the vocabulary whose Vietnamese word is different."""
    with (ROOT / "data" / "vocabulary.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        r["en"].strip()
        for r in rows
        if r["en"].strip() != r["vi"].strip() and "{" not in r["en"] and len(r["en"]) > 3
    }


def _pages(site_vi: Path) -> list[Path]:
    return [
        p
        for p in site_pages(site_vi)
        if p.name not in ("genindex.html", "search.html") and "slides" not in p.parts
    ]


def _walk(node: object, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _walk(v, str(k))
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v, key)
    elif isinstance(node, str):
        yield key, node


def _tooltip_fields(spec: object) -> set[str]:
    found: set[str] = set()
    if isinstance(spec, dict):
        for k, v in spec.items():
            if k == "tooltip":
                for t in v if isinstance(v, list) else [v]:
                    if isinstance(t, dict) and "field" in t:
                        found.add(str(t["field"]))
            found |= _tooltip_fields(v)
    elif isinstance(spec, list):
        for v in spec:
            found |= _tooltip_fields(v)
    return found


def _spec_strings(spec: dict) -> Iterator[tuple[str, str]]:
    """(where, text) of every string of a chart spec a reader sees, excerpts left out."""
    shown = _tooltip_fields(spec) - {"excerpt"}
    for name, dataset in spec.get("datasets", {}).items():
        for record in dataset:
            for field in shown & set(record):
                if isinstance(record[field], str):
                    yield f"tooltip {field} ({name[:13]})", record[field]
    rest = {k: v for k, v in spec.items() if k != "datasets"}
    for key, text in _walk(rest):
        if key in SEEN_KEYS:
            yield f"spec {key}", text


def _seen_texts(page: Path) -> Iterator[tuple[str, str]]:
    """(where, text) of the prose, table cells and chart strings of a page, without
    verbatim excerpts and code."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    main = soup.find("main") or soup
    for node in main.select("script.ictstory-chart__spec"):
        yield from _spec_strings(json.loads(node.string or "{}"))
    excerpt_heads = {word("column.excerpt", "vi"), word("word.source-says", "vi")}
    for table in main.select("table"):
        heads = [" ".join(th.get_text(" ").split()) for th in table.select("thead th")]
        for tr in table.select("tbody tr"):
            for head, cell in zip(heads, tr.find_all(["td", "th"]), strict=False):
                if head in excerpt_heads:
                    cell.decompose()
    for hidden in main.select("script, style, pre, code, .highlight, blockquote, q"):
        hidden.decompose()
    for hidden in main.select(".ictstory-excerpt"):
        hidden.decompose()
    for node in main.select("p, li, th, td, caption, figcaption, h1, h2, h3, h4, summary"):
        if node.find(["p", "li", "td"]):  # its own children are checked one by one
            continue
        text = " ".join(node.get_text(" ").split())
        if text:
            yield node.name, text


@pytest.fixture(scope="module")
def vi_texts(site_vi: Path) -> list[tuple[str, str, str]]:
    return [
        (str(page.relative_to(site_vi)), where, text)
        for page in _pages(site_vi)
        for where, text in _seen_texts(page)
    ]


def _report(found: list[str], what: str) -> str:
    return f"{len(found)} {what} in the Vietnamese edition:\n" + "\n".join(found[:40])


def test_no_english_in_vietnamese_charts_tables_and_prose(
    vi_texts: list[tuple[str, str, str]],
) -> None:
    english = _vocabulary_english()
    left = [
        f"{page} {where}: {text[:110]}"
        for page, where, text in vi_texts
        if text.strip() in english or _looks_english(text)
    ]
    assert len(vi_texts) > 2000, "too few texts read: the page structure changed"
    assert left == [], _report(left, "English text(s)")


def test_large_amounts_are_written_in_nghin_ty(vi_texts: list[tuple[str, str, str]]) -> None:
    found = [
        f"{page} {where}: …{m.group(0)}… in {text[:90]}"
        for page, where, text in vi_texts
        for m in MILLION_TY.finditer(text)
    ]
    assert found == [], _report(found, "amount(s) of a million tỷ or more written in tỷ")


def test_full_dates_are_zero_padded(vi_texts: list[tuple[str, str, str]]) -> None:
    found = [
        f"{page} {where}: {m.group(0)} in {text[:90]}"
        for page, where, text in vi_texts
        for m in UNPADDED_DATE.finditer(text)
    ]
    assert found == [], _report(found, "date(s) not written dd/mm/yyyy")


# the checks and the formatter, without a build --------------------------------------


def test_the_checks_would_fire() -> None:
    assert UNPADDED_DATE.search("ngày 7/9/2021")
    assert UNPADDED_DATE.search("tính đến ngày 18/8/2021")
    assert not UNPADDED_DATE.search("ngày 07/09/2021")
    assert not UNPADDED_DATE.search("tháng 7/2021")  # month and year: "tháng 7" is a word
    assert MILLION_TY.search("tức 2.263.000 tỷ đồng")
    assert MILLION_TY.search("1.337.857 tỷ đồng")
    assert not MILLION_TY.search("37.000 tỷ đồng")
    assert not MILLION_TY.search("2.263 nghìn tỷ đồng")
    assert "Source" in _vocabulary_english() or "Value" in _vocabulary_english()


@pytest.mark.parametrize(
    ("value", "english", "vietnamese"),
    [
        (2263000.0, "2,263,000 billion dong", "2.263 nghìn tỷ đồng"),
        (1723500.0, "1,723,500 billion dong", "1.723,5 nghìn tỷ đồng"),
        (1337857.0, "1,337,857 billion dong", "1.337,857 nghìn tỷ đồng"),
        (37000.0, "37,000 billion dong", "37.000 tỷ đồng"),
        (939400.0, "939,400 billion dong", "939.400 tỷ đồng"),
    ],
)
def test_amounts_of_a_million_ty_are_written_in_nghin_ty(
    monkeypatch: pytest.MonkeyPatch, value: float, english: str, vietnamese: str
) -> None:
    row = pd.Series(
        {
            "figure_id": "F999",
            "value": value,
            "value_high": pd.NA,
            "unit": "VND billion",
            "qualifier": pd.NA,
        }
    )
    monkeypatch.setenv("ICTSTORY_LANG", "en")
    assert prose.describe(row) == english
    monkeypatch.setenv("ICTSTORY_LANG", "vi")
    assert prose.describe(row) == vietnamese
    outside_row = {"unit": "VND billion", "value": value, "hedge": "exact"}
    assert outside.value_text(outside_row) == vietnamese
