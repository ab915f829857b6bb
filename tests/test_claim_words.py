"""Claims computed, not typed: no chart title or summary of either edition types a word of
comparison or status by hand, and the claim words the chapters glue follow the data.

A title (the body of a ``{chart}`` block) or a summary (the "Summary" / "Tóm tắt"
section, or an "In short" / "Tóm lại" block) that says "tripled", "rose", "met", "the
same" or "all" states a claim; the words must come from :mod:`ictstory.story.claims`
through ``{glue:text}``, where they are computed from the figures and hedged as the
data hedges them. No build needed: the Markdown and the data are read directly.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from ictstory.paths import project_root
from ictstory.story import claims
from ictstory.story.prose import figure
from ictstory.story.targets import target_scorecard, target_status, target_table

ROOT = project_root()

#: Words of comparison and status, per language (whole words, any case).
CLAIM_WORDS = {
    "en": [
        r"doubled",
        r"tripled",
        r"quadrupled",
        r"halved",
        r"twice",
        r"thrice",
        r"multiplied",
        r"\w+-fold",
        r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|many) times",
        r"rose",
        r"risen",
        r"fell",
        r"fallen",
        r"grew",
        r"grown",
        r"growing",
        r"increased",
        r"decreased",
        r"declined",
        r"climbed",
        r"dropped",
        r"moved (?:up|down)",
        r"went (?:up|down)",
        r"met",
        r"missed",
        r"achieved",
        r"the same",
        r"identical",
        r"all",
        r"every",
    ],
    "vi": [
        r"gấp (?:đôi|ba|bốn|năm|mười|nhiều|\d+)",
        r"(?:\d+|hai|ba|bốn|năm|mười|trăm|nghìn|nhiều) lần",
        r"tăng(?! trưởng)",
        r"tăng trưởng(?= \{glue)",
        r"giảm",
        r"đi lên",
        r"đi xuống",
        r"đã đạt",
        r"không đạt",
        r"chưa đạt",
        r"đạt mục tiêu",
        r"cùng một",
        r"giống nhau",
        r"tất cả",
        r"mọi",
        r"toàn bộ",
        r"đều",
    ],
}
GLUE = re.compile(r"\{glue(?::\w+)?\}`[^`]*`")
CHART_BODY = re.compile(r"^[`:]{3,}\{chart\}[^\n]*\n(.*?)^[`:]{3,}", re.S | re.M)
SUMMARY = re.compile(r"^## (?:Summary|Tóm tắt)\s*\n(.*?)(?=^#{1,2} |\Z)", re.S | re.M)
IN_SHORT = re.compile(
    r"^(?:[`:]{3,}\{admonition\}\s*|\*\*)(?:In short|Tóm lại|Nói ngắn gọn)\b"
    r"(.*?)(?:^[`:]{3,}\s*$|\n\n)",
    re.S | re.M | re.I,
)
#: The "In short" box a chapter opens with (ictstory.site.front): a container and a rubric.
IN_SHORT_BOX = re.compile(
    r"^:{4,}\{container\} ictstory-inshort\n:{3}\{rubric\}[^\n]*\n:{3}\n(.*?)^:{4,}\s*$",
    re.S | re.M,
)


def pages(language: str) -> list[Path]:
    """Every page of one edition."""
    if language == "vi":
        return [ROOT / "vi" / "index.md", *sorted((ROOT / "vi" / "chapters").glob("*.md"))]
    return [ROOT / "index.md", *sorted((ROOT / "chapters").glob("*.md"))]


def claim_texts(text: str) -> list[tuple[str, str]]:
    """The titles and summaries of a page: ``(kind, text)``, whitespace folded."""
    found = [("title", m.group(1)) for m in CHART_BODY.finditer(text)]
    found += [("summary", m.group(1)) for m in SUMMARY.finditer(text)]
    found += [("in short", m.group(1)) for m in IN_SHORT.finditer(text)]
    found += [("in short", m.group(1)) for m in IN_SHORT_BOX.finditer(text)]
    return [(kind, " ".join(part.split())) for kind, part in found]


def typed_claims(text: str, language: str) -> list[str]:
    """The claim words typed in ``text`` (glued words are allowed)."""
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(CLAIM_WORDS[language]) + r")(?!\w)", re.IGNORECASE
    )
    bare = " ".join(text.split())
    marked = GLUE.sub("{glue}", bare)  # a number before "tăng trưởng" is glued, not typed
    return [m.group(0) for m in pattern.finditer(marked.replace("{glue}", "{glue"))]


@pytest.mark.parametrize("language", ["en", "vi"])
def test_no_title_or_summary_types_a_claim_word(language: str) -> None:
    faults = []
    for page in pages(language):
        for kind, text in claim_texts(page.read_text(encoding="utf-8")):
            words = typed_claims(text, language)
            if words:
                faults.append(f"{page.relative_to(ROOT)} {kind}: {words} in {text[:120]!r}")
    assert not faults, "claim words typed by hand (glue them from ictstory.story.claims):\n" + (
        "\n".join(faults)
    )


def test_every_page_has_titles_and_a_summary_to_check() -> None:
    """The scan reads something: each edition has chart titles and summaries."""
    for language in ("en", "vi"):
        kinds = [
            kind for page in pages(language) for kind, _ in claim_texts(page.read_text("utf-8"))
        ]
        assert kinds.count("title") > 30 and kinds.count("summary") >= 9, (language, kinds)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Household internet access nearly tripled and passed the world average"),
        ("en", "Two sources report the same support package"),
        ("en", "Four-layer protection reached every agency, meeting the target: met"),
        ("en", "Attacks fell by about a quarter while revenue rose"),
        ("en", "Read as printed, revenue would be a thousand times too small"),
        ("vi", "Số tin nhắn rác bị chặn tăng 200% sau một năm"),
        ("vi", "Năm 2020, mọi lĩnh vực đều tham gia"),
        ("vi", "Hai nguồn cùng nêu một gói hỗ trợ; mục tiêu đã đạt"),
        ("vi", "bưu chính tăng trưởng {glue:text}`growth` mỗi năm"),
    ],
)
def test_the_scan_finds_typed_claims(language: str, text: str) -> None:
    assert typed_claims(text, language)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Blocked spam texts {glue:text}`spam_rise` on a year earlier"),
        ("en", "The ministry gave each field a mission; targets were due by 2021"),
        ("vi", "Số tin nhắn rác bị chặn {glue:text}`spam_rise` so với cùng kỳ"),
        ("vi", "Mục tiêu tốc độ tăng trưởng GDP không thể kiểm chứng"),
    ],
)
def test_glued_claims_and_plain_words_pass(language: str, text: str) -> None:
    assert typed_claims(text, language) == []


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICTSTORY_LANG", "en")


@pytest.mark.usefixtures("english")
def test_a_fold_is_hedged_as_the_data_hedges_it() -> None:
    nearly = figure("F306")  # "tăng gần 3 lần"
    assert nearly["qualifier"] == "nearly"
    assert claims.figure_fold(nearly) == "nearly tripled"
    assert claims.fold_words(3.0) == "tripled"
    assert claims.fold_words(2.98) == "roughly tripled"  # rounded to a word: hedged
    assert claims.fold_words(2.5) == "rose 2.5-fold"
    assert claims.fold_words(20, qualifier="more_than") == "rose more than 20-fold"


@pytest.mark.usefixtures("english")
def test_a_change_takes_its_verb_from_the_values() -> None:
    assert claims.change_words(1.0, 2.0, "1", "2") == "rose from 1 to 2"
    assert claims.change_words(2.0, 1.0, "2", "1") == "fell from 2 to 1"
    assert claims.change_words(50, 25, "50th", "25th", rank=True) == "rose from 50th to 25th"
    assert claims.change_words(5, 5, "5", "5").startswith("held level")
    assert claims.by_words(-26, "-26%") == "fell 26%"
    assert claims.by_words(200, "200%") == "rose 200%"  # as stated, never "tripled"


@pytest.mark.usefixtures("english")
def test_a_derived_rank_is_hedged() -> None:
    derived = figure("F381")
    assert derived["kind"] == "derived"
    assert claims.rank_words(derived).startswith("about ")
    assert "(derived)" in claims.figure_change(derived, figure("F026"))
    assert claims.rank_words(figure("F026")) == "25th"


@pytest.mark.usefixtures("english")
def test_sameness_follows_value_and_hedge() -> None:
    first, second = figure("F019"), figure("F401")  # 10,000 "up to nearly" / "up to"
    assert claims.same_words(first, second) == "most likely the same"
    assert claims.same_words(second, second) == "the same"
    other = second.copy()
    other["value"] = 9000
    assert claims.same_words(first, other) == "not the same"


@pytest.mark.usefixtures("english")
def test_a_target_met_by_another_measure_is_met_on_paper() -> None:
    """T07 counts IT systems; its figure counts state agencies (F316): on paper only."""
    assert target_status("T07") == "met-on-paper"
    assert claims.claim_of("met-on-paper") == "met on paper"
    latest = pd.Timestamp("2021-12-31")
    card = target_scorecard(target_table(), latest)
    tally = claims.tally_words(card["status"])
    assert "met on paper" in tally and " met," not in tally


@pytest.mark.usefixtures("english")
def test_shares_multiples_and_comparisons() -> None:
    assert claims.share_words(6, 6) == "all"
    assert claims.share_words(4, 6) == "most"
    assert claims.share_words(0, 6) == "not one"
    assert claims.times_words(1.98, qualifier="derived") == "roughly twice"
    assert claims.times_words(2.0) == "twice"
    assert claims.times_words(2.4) == "roughly 2.4 times"
    assert claims.compare_words(75, 57.4) == "above"
    assert claims.misprint_words(2.263, 2263) == "1,000 times too small"


def test_claim_words_exist_in_both_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICTSTORY_LANG", "vi")
    assert claims.figure_fold(figure("F306")) == "tăng gần gấp ba"
    assert claims.change_words(50, 25, "thứ 50", "thứ 25", rank=True) == "tăng từ thứ 50 lên thứ 25"
    assert claims.by_words(-26, "-26%") == "giảm 26%"
