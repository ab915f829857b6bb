"""The data table under every chart speaks to readers: its heads are words in the
edition's language ("Indicator", "Chỉ tiêu"), never a column's name ("label en",
"source_id"), on the site and so in print (the handouts print the site's pages)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT

from ictstory.story import charts
from ictstory.story.words import word

LANGUAGES = ("en", "vi")


def _column_names() -> set[str]:
    """Every column of every table of the data package, as written and with spaces."""
    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    names = {f["name"] for r in descriptor["resources"] for f in r["schema"]["fields"]}
    return names | {n.replace("_", " ") for n in names}


def _heads(site_root: Path, lang: str) -> list[str]:
    heads = []
    for page in sorted((site_root / lang / "chapters").glob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        heads += [
            th.get_text(" ", strip=True)
            for th in soup.select("figure.ictstory-chart table.ictstory-chart__table thead th")
        ]
    return heads


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_chart_data_table_head_is_a_column_name(site_root: Path, lang: str) -> None:
    heads = _heads(site_root, lang)
    assert len(heads) >= 50  # every chart of figures has a table with several heads
    raw = _column_names()
    assert sorted({h for h in heads if h in raw}) == []
    words = {word(key, lang) for key in charts.TABLE_HEADERS.values()}
    assert set(heads) <= words
    other_lang = LANGUAGES[1 - LANGUAGES.index(lang)]
    other = {word(key, other_lang) for key in charts.TABLE_HEADERS.values()}
    assert set(heads) & (other - words) == set()  # no head of the other edition


def test_table_heads_are_human_in_both_languages() -> None:
    raw = _column_names()
    for column, key in charts.TABLE_HEADERS.items():
        en, vi = word(key, "en"), word(key, "vi")
        assert column in raw
        assert en not in raw and vi not in raw and en != vi, column
        assert en[0].isupper() and vi[0].isupper(), column
