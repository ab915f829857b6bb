"""The Vietnamese edition's text in data/: every English text the site shows from
data has a Vietnamese counterpart column, filled where the English is, written in
Vietnamese, and declared in datapackage.json with a Vietnamese description.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from conftest import ROOT, read_rows

from ictstory.data import find_problems

DATA = ROOT / "data"
DESCRIPTOR = DATA / "datapackage.json"

#: (table, English column, Vietnamese column, Vietnamese required on every row)
PAIRS = [
    ("events", "description_en", "description_vi", True),
    ("glossary", "explanation", "explanation_vi", True),
    ("covid_waves", "label_en", "label_vi", True),
    ("covid_waves", "source", "source_vi", True),
    ("covid_waves", "note", "note_vi", True),
    ("sources", "short_title_en", "short_title_vi", True),
    ("sources", "period_label", "period_label_vi", True),
    ("targets", "deadline_label", "deadline_label_vi", False),
    ("sources", "publisher_note", "publisher_note_vi", False),
    # columns the package had before the Vietnamese edition
    ("sources", "title_en", "title_vi", True),
    ("figures", "label_en", "label_vi", True),
    ("targets", "description_en", "description_vi", True),
]

#: Combining marks of Vietnamese letters once decomposed (NFD): the five tone
#: marks (grave, acute, tilde, hook above, dot below), the breve of ă, the
#: circumflex of â ê ô and the horn of ơ ư.
VI_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323\u0306\u0302\u031b")


def is_vietnamese(text: str) -> bool:
    """True if the text has a Vietnamese-specific letter (đ, ă, â, ê, ô, ơ, ư) or a tone mark."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "đ" in decomposed or any(ch in VI_MARKS for ch in decomposed)


def needs_vietnamese(text: str) -> bool:
    """Texts of more than three words must show Vietnamese letters or tone marks."""
    return len(text.split()) > 3


def descriptor() -> dict:
    return json.loads(DESCRIPTOR.read_text(encoding="utf-8"))


def table(name: str) -> list[dict[str, str]]:
    rows = read_rows(DATA / f"{name}.csv")
    header, body = rows[0], rows[1:]
    return [dict(zip(header, row, strict=True)) for row in body]


def schema_field(name: str, column: str) -> dict:
    resource = next(r for r in descriptor()["resources"] if r["name"] == name)
    return next(f for f in resource["schema"]["fields"] if f["name"] == column)


def test_is_vietnamese() -> None:
    assert is_vietnamese("Hội nghị sơ kết")
    assert is_vietnamese("Đà Nang")
    assert is_vietnamese("Thu nhập")
    assert not is_vietnamese("Mid-year review conference")
    assert not is_vietnamese("Make in Vietnam 5G")


@pytest.mark.parametrize(("name", "english", "vietnamese", "required"), PAIRS)
def test_vietnamese_column_present_where_english_is(
    name: str, english: str, vietnamese: str, required: bool
) -> None:
    rows = table(name)
    assert rows, f"{name}.csv has no rows"
    assert vietnamese in rows[0], f"{name}.csv has no column {vietnamese}"
    for line, row in enumerate(rows, start=2):
        en, vi = row[english].strip(), row[vietnamese].strip()
        where = f"{name}.csv line {line}, {vietnamese}"
        if en or required:
            assert vi, f"{where}: empty, but {english} is {row[english]!r}"
        else:
            assert not vi, f"{where}: {vi!r} without an {english}"
        if vi and needs_vietnamese(vi):
            assert is_vietnamese(vi), f"{where}: no Vietnamese letter or tone mark in {vi!r}"
            assert vi != en, f"{where}: a copy of {english}"


@pytest.mark.parametrize(("name", "english", "vietnamese", "required"), PAIRS)
def test_vietnamese_column_declared(
    name: str, english: str, vietnamese: str, required: bool
) -> None:
    field = schema_field(name, vietnamese)
    assert field.get("type", "string") == "string"
    assert bool(field.get("constraints", {}).get("required")) == required
    assert field.get("description"), f"{name}.{vietnamese} has no description"


def test_short_titles_are_unique() -> None:
    titles = [row["short_title_vi"] for row in table("sources")]
    assert len(set(titles)) == len(titles)
    assert schema_field("sources", "short_title_vi")["constraints"].get("unique") is True


def test_every_field_has_description_vi() -> None:
    missing, english = [], []
    for resource in descriptor()["resources"]:
        for field in resource["schema"]["fields"]:
            text = str(field.get("description_vi", "")).strip()
            where = f"{resource['name']}.{field['name']}"
            if not text:
                missing.append(where)
            elif needs_vietnamese(text) and not is_vietnamese(text):
                english.append(where)
    assert not missing, f"fields without description_vi: {', '.join(missing)}"
    assert not english, f"description_vi not in Vietnamese: {', '.join(english)}"


def test_package_and_resources_have_vietnamese_title_and_description() -> None:
    package = descriptor()
    for part in [package, *package["resources"]]:
        name = part.get("name")
        assert str(part.get("title_vi", "")).strip(), f"{name}: no title_vi"
        if part.get("description"):
            text = str(part.get("description_vi", "")).strip()
            assert text, f"{name}: no description_vi"
            assert is_vietnamese(text), f"{name}: description_vi not in Vietnamese"


def test_every_column_is_declared_and_the_package_is_valid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Frictionless accepts the custom *_vi properties and every new column."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for resource in descriptor()["resources"]:
        header = read_rows(DATA / resource["path"])[0]
        assert header == [f["name"] for f in resource["schema"]["fields"]], resource["name"]
    assert find_problems(DESCRIPTOR) == []
