"""Adding a document is data only: its text, a row in sources.csv, figures citing it.

One real build of a temporary copy of the project gets a sixth source document
(a year-end review of December 2021, invented for the test), a newer figure of
the level-4 share from it, and a correction of a stated figure. The pages must
follow with no code edited: the introduction and the data page list the new
source, counts read "six", "the latest figure" and the targets scorecard move to
the newer figure, and the corrected value replaces the stated one in prose and
charts. The fast tests check the same helpers on the real data.
"""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, copy_project, run_build

NEW_SOURCE = "005_0123456789abcdef"
NEW_SHORT_TITLE = "Year-end review 2021 (test document)"
NEW_TEXT = (
    "Hội nghị tổng kết năm 2021 của Bộ Thông tin và Truyền thông\n"
    "Năm 2021, tỷ lệ dịch vụ công trực tuyến mức độ 4 ước đạt 55,4%, "
    "tăng mạnh so với năm 2020.\n"
)
NEW_EXCERPT = "tỷ lệ dịch vụ công trực tuyến mức độ 4 ước đạt 55,4%"
NEW_FIGURE = "F501"
CORRECTED = ("F004", "4200", "4,200")  # glued into the postal chapter's prose


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def add_newer_data(project: Path) -> None:
    """The sixth source, its figure and a correction, as a person would add them."""
    data = project / "data"
    (data / "sources" / f"{NEW_SOURCE}.txt").write_text(NEW_TEXT, encoding="utf-8")
    sources = _read(data / "sources.csv")
    sources.append(
        {
            "source_id": NEW_SOURCE,
            "title_vi": "Hội nghị tổng kết năm 2021 của Bộ Thông tin và Truyền thông",
            "title_en": "The ministry's year-end review of 2021 (test document)",
            "short_title_en": NEW_SHORT_TITLE,
            "short_title_vi": "Tổng kết năm 2021 (tài liệu thử)",
            "event_date": "2021-12-20",
            "event_date_precision": "day",
            "doc_kind": "news_report",
            "period_label": "2021",
            "period_label_vi": "năm 2021",
            "period_start": "2021-01-01",
            "period_end": "2021-12-31",
            "publisher_note": "Invented for a test of adding a source.",
        }
    )
    _write(data / "sources.csv", sources)
    figures = _read(data / "figures.csv")
    figures.append(
        {
            **{key: "" for key in figures[0]},
            "figure_id": NEW_FIGURE,
            "field": "digital_transformation",
            "indicator": "online_services_level4_share",
            "label_en": "Online public services at level 4 (share)",
            "label_vi": "tỷ lệ dịch vụ công trực tuyến mức độ 4",
            "period": "2021",
            "period_type": "year",
            "period_start": "2021-01-01",
            "period_end": "2021-12-31",
            "value": "55.4",
            "unit": "percent",
            "qualifier": "exact",
            "kind": "estimated",
            "source_id": NEW_SOURCE,
            "excerpt": NEW_EXCERPT,
            "excerpt_en": "the share of level-4 online public services is estimated at 55.4%",
        }
    )
    fid, value, _ = CORRECTED
    row = next(r for r in figures if r["figure_id"] == fid)
    row["value_corrected"], row["note"] = value, "Test: a correction of the stated value."
    _write(data / "figures.csv", figures)


def _article(site: Path, page: str) -> BeautifulSoup:
    soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article")
    assert article is not None, page
    return article


def _glued(site: Path, page: str) -> list[str]:
    return [s.get_text() for s in _article(site, page).select("span.pasted-text")]


def _prose(site: Path, page: str) -> str:
    article = _article(site, page)
    for node in article.select(".cell_output, .cell_input, script"):
        node.decompose()
    return " ".join(article.get_text(" ").split())


@pytest.fixture(scope="module")
def newer_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("newer") / "book")
    add_newer_data(project)
    result = run_build(project)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return project / "_build" / "html" / "en"


@pytest.mark.slow
def test_new_source_is_listed_and_counted(newer_site: Path) -> None:
    intro = (newer_site / "chapters" / "introduction.html").read_text(encoding="utf-8")
    assert NEW_SHORT_TITLE in intro  # the timeline chart and the table of sources
    glued = _glued(newer_site, "chapters/introduction.html")
    assert "six" in glued and "July 2020 to December 2021" in glued
    assert "three news reports" in " ".join(glued)
    data_page = _article(newer_site, "chapters/data.html").get_text(" ")
    assert NEW_SOURCE in data_page
    assert "The ministry's year-end review of 2021 (test document)" in data_page
    assert "six" in _glued(newer_site, "index.html")
    assert "December 2021" in _glued(newer_site, "index.html")


CSV_LINK = r'class="ictstory-chart__csv" href="data:text/csv;[^,]*,([^"]*)"'


@pytest.mark.slow
def test_latest_figure_and_scorecard_follow(newer_site: Path) -> None:
    page = "chapters/directions-targets.html"
    prose = _prose(newer_site, page)
    assert "stood at 55.4% in 2021 , the latest figure" in prose
    tables = _article(newer_site, page).select(".cell_output table")
    table = next(t for t in tables if "Latest figure" in t.select_one("thead").get_text())
    rows = [" ".join(tr.get_text(" ").split()) for tr in table.select("tbody tr")]
    level4 = [r for r in rows if r.startswith(("T05", "T13"))]
    assert len(level4) == 2 and all(f"55.4% (2021, {NEW_FIGURE})" in r for r in level4), level4
    assert "Even at 55.4% in 2021 , the latest figure" in _prose(
        newer_site, "chapters/introduction.html"
    )
    chart = (newer_site / "chapters" / "digital-transformation.html").read_text("utf-8")
    # a chart's rows, ids included, are its CSV download (its spec keeps only drawn fields)
    downloads = [unquote(html.unescape(href)) for href in re.findall(CSV_LINK, chart)]
    assert any(f"\n{NEW_FIGURE}," in rows for rows in downloads), NEW_FIGURE


@pytest.mark.slow
def test_correction_reaches_prose_and_charts(newer_site: Path) -> None:
    _, _, shown = CORRECTED
    assert shown in _glued(newer_site, "chapters/postal.html")
    assert "4,162" not in _glued(newer_site, "chapters/postal.html")


# ---------------------------------------------------------------- the real data


def test_latest_is_the_newest_progress_figure() -> None:
    from ictstory.story.prose import latest, period_phrase, progress_figure

    row = latest("online_services_level4_share")
    assert row["figure_id"] == "F217" and row["kind"] != "target"
    assert period_phrase(row) == "on 16 July 2021"
    assert progress_figure(None) is None and progress_figure("no_such_indicator") is None
    with pytest.raises(KeyError, match="no_such_indicator"):
        latest("no_such_indicator")


def test_period_words() -> None:
    from ictstory.story.prose import figures, period_phrase, period_words

    facts = figures()
    assert period_words(facts.loc["F029"]) == "the first nine months of 2021"
    assert period_words(facts.loc["F125"]) == "the first half of 2020"
    assert period_words(facts.loc["F083"]) == "the third quarter of 2021"
    assert period_phrase(facts.loc["F312"]) == "in 2020"
    assert period_phrase(facts.loc["F323"]) == "in 2021–2025"
    assert period_phrase(facts.loc["F036"]) == "from 12 October 2021 to 14 October 2021"


def test_chapters_do_not_hand_type_the_sources() -> None:
    """Source ids, short titles and counts of documents come from data/sources.csv."""
    sources = _read(ROOT / "data" / "sources.csv")
    pages = [ROOT / "index.md", *sorted((ROOT / "chapters").glob("*.md"))]
    number = r"(?:two|three|four|five|six|seven|eight|nine|ten)"
    counted = re.compile(  # "the five documents", "our five source documents", "five Vietnamese"
        rf"\b(?:the|our|all|its)\s+(?:{number}|\d+)\s+(?:vietnamese\s+)?(?:source\s+)?"
        rf"(?:documents|sources)\b|\b{number}\s+vietnamese\b",
        re.IGNORECASE,
    )
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for row in sources:
            assert row["source_id"] not in text, f"{page.name} names {row['source_id']}"
            assert row["short_title_en"] not in text, f"{page.name}: {row['short_title_en']}"
        assert not counted.findall(text), f"{page.name}: {counted.findall(text)}"


def test_glued_numbers_read_well(site: Path) -> None:
    """No glued number in the built book shows more than three decimals (derived values
    are rounded to their row's decimals, or three significant digits)."""
    long = []
    for page in sorted(site.rglob("*.html")):
        if "_static" in page.parts:
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for span in soup.select("span.pasted-text"):
            if re.search(r"\d\.\d{4,}", span.get_text()):
                long.append((page.name, span.get_text()))
    assert long == []
