"""One name per document kind (issue 22, point 4): where the prose of either edition
names one of the five source documents by its month ("the January 2021 report",
"báo cáo tháng 1/2021"), it calls it by its kind's name in the vocabulary
(``doc-kind.*``: a news report is a news report, not the ministry's report).

Read from the Markdown of both editions: these names are typed prose, never glued.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ictstory.data import load_table

ROOT = Path(__file__).resolve().parents[1]
MONTHS = ("January February March April May June July August September October "
          "November December").split()  # fmt: skip
EN_WORDS = ("press release", "news report", "news item", "conference report", "report",
            "release", "item", "document", "article")  # fmt: skip
VI_WORDS = ("thông cáo báo chí", "thông cáo", "bài tường thuật", "tường thuật hội nghị",
            "báo cáo hội nghị", "bản tin", "bài tổng kết năm", "bài tổng kết",
            "báo cáo tổng kết", "báo cáo", "bài báo", "văn bản", "tài liệu")  # fmt: skip
#: Names that call the news report of the year-end conference the ministry's own report.
NEVER = {"en": ("year-end report",), "vi": ("bài tổng kết năm", "báo cáo tổng kết")}

_en = "|".join(sorted(EN_WORDS, key=len, reverse=True))
_vi = "|".join(sorted(VI_WORDS, key=len, reverse=True))
_month = "|".join(MONTHS)
EN_BEFORE = re.compile(rf"\b({_en}) (?:of |from |dated )?(?:\d{{1,2}} )?({_month}) (20\d\d)\b")
EN_AFTER = re.compile(rf"\b({_month}) (20\d\d) ({_en})\b")
VI_BEFORE = re.compile(
    rf"(?<!\w)({_vi})((?: (?!tháng\b)[^\s.,;:()]+){{0,3}}?) "
    rf"(?:ngày \d{{1,2}}/)?tháng 0?(\d{{1,2}})/(20\d\d)",
    flags=re.I,
)


def _pages(language: str) -> list[Path]:
    base = ROOT if language == "en" else ROOT / "vi"
    return [base / "index.md", *sorted((base / "chapters").glob("*.md"))]


def _prose(path: Path) -> str:
    """The page's Markdown outside code cells, whitespace folded (names wrap lines)."""
    text = re.sub(r"```\{code-cell\}.*?```", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", text)


def _kind_names() -> dict[str, dict[str, str]]:
    """Month key ("January 2021" / "1/2021") → the vocabulary's name of that source's kind."""
    words = load_table("vocabulary").set_index("key")
    sources = load_table("sources")
    names: dict[str, dict[str, str]] = {"en": {}, "vi": {}}
    for row in sources.itertuples():
        kind = f"doc-kind.{row.doc_kind.replace('_', '-')}"
        date = row.event_date
        names["en"][f"{MONTHS[date.month - 1]} {date.year}"] = words.loc[kind, "en"]
        names["vi"][f"{date.month}/{date.year}"] = words.loc[kind, "vi"]
    return names


def misnamed(language: str) -> list[str]:
    """Every place a page names a source document by its month with another kind's word."""
    names = _kind_names()[language]
    found = []
    for path in _pages(language):
        text = _prose(path)
        where = path.relative_to(ROOT).as_posix()
        if language == "en":
            hits = [(m[1], f"{m[2]} {m[3]}", m[0]) for m in EN_BEFORE.finditer(text)]
            hits += [(m[3], f"{m[1]} {m[2]}", m[0]) for m in EN_AFTER.finditer(text)]
        else:
            hits = [(m[1], f"{int(m[3])}/{m[4]}", m[0]) for m in VI_BEFORE.finditer(text)]
        hits += [(w, "", w) for w in NEVER[language] for _ in re.finditer(w, text, flags=re.I)]
        for word, month, phrase in hits:
            wanted = names.get(month)
            if month and wanted is None:
                continue  # no source document of that month: another publisher's report
            if word.lower() != (wanted or "").lower():
                found.append(f"{where}: “{phrase}” (the vocabulary says “{wanted or 'its kind'}”)")
    return found


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_source_document_is_named_by_its_kind(language: str) -> None:
    assert misnamed(language) == []


def test_the_check_finds_a_misnamed_document() -> None:
    """The patterns match the phrasings the book used before the fix."""
    assert EN_BEFORE.search("The year-end report of January 2021 sums up")[1] == "report"
    assert EN_AFTER.search("The ministry's January 2021 report gives")[3] == "report"
    hit = VI_BEFORE.search("Theo bài tổng kết năm đăng tháng 1/2021, chương trình")
    assert hit[1] == "bài tổng kết năm" and hit[3] == "1"
    assert VI_BEFORE.search("thông cáo báo chí tháng 07/2020")[1] == "thông cáo báo chí"
