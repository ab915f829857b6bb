"""The chapter API's charts: glued by a stable id, titled in each edition's Markdown."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import altair as alt
import pytest
from conftest import ROOT, build_env

from ictstory.story import chart, charts, figures, rank_path, word


def _ranks() -> alt.LayerChart:
    return rank_path(figures().loc[["F013", "F014"]], x_title=word("axis.rank"))


def test_a_chart_with_a_title_in_code_is_refused() -> None:
    with pytest.raises(ValueError, match="Markdown"):
        chart("postal-rank-test", _ranks().properties(title="A title typed in code"))


@pytest.mark.parametrize(
    "bad", ["Postal", "postal rank", "postal_rank", "-postal", "", "bưu-chính"]
)
def test_a_chart_id_is_lower_case_ascii_words_with_hyphens(bad: str) -> None:
    with pytest.raises(ValueError, match="chart id"):
        chart(bad, _ranks())


def test_the_text_alternative_names_every_value_from_the_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ICTSTORY_LANG", "en")
    text = charts.alt_text(_ranks())
    assert text.startswith(word("ui.chart-kind-lines"))
    for figure_id in ("F013", "F014"):
        row = figures().loc[figure_id]
        assert row["label_en"] in text
        assert f"{row['value']:.0f}" in text


def test_the_text_alternative_is_in_the_editions_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICTSTORY_LANG", "vi")
    text = charts.alt_text(_ranks())
    assert text.startswith(word("ui.chart-kind-lines", "vi"))
    assert figures().loc["F014"]["label_vi"] in text


def test_a_long_chart_names_its_first_values_and_points_to_the_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:

    monkeypatch.setenv("ICTSTORY_LANG", "en")
    rows = figures().reset_index(drop=True).head(charts.ALT_VALUES + 5)
    many = alt.Chart(rows).mark_point().encode(x="value:Q", y="figure_id:N")
    text = charts.alt_text(many)
    assert "5 more values" in text


def test_the_title_slot_takes_only_escaped_text() -> None:
    block = charts._block(
        _ranks(),
        alt_text="x" * 30,
        source_ids=(),
        key="t1",
        slug="test-slot",
        heading_html=charts.TITLE_SLOT,
    )
    titled = charts.with_title(block.markup, 'Rose <script>alert(1)</script> & "fell"')
    assert "<script>alert" not in titled
    assert "&lt;script&gt;" in titled
    assert charts.TITLE_SLOT not in titled
    with pytest.raises(ValueError):
        charts.with_title(titled, "again")


def test_data_text_cannot_forge_the_title_slot() -> None:
    """A label from data that spells the slot is escaped, so the slot stays unique."""

    rows = figures().loc[["F013"]].reset_index(drop=True)
    rows["label_en"] = charts.TITLE_SLOT
    forged = alt.Chart(rows).mark_point().encode(x="value:Q", y="label_en:N")
    block = charts._block(
        forged,
        alt_text="y" * 30,
        source_ids=(),
        key="t2",
        slug="test-forged",
        heading_html=charts.TITLE_SLOT,
    )
    assert block.markup.count(charts.TITLE_SLOT) == 1


CHART_FIGURE = re.compile(r'<figure class="ictstory-chart" id="chart-([a-z0-9-]+)"')
CHART_TITLE = re.compile(r'<span class="ictstory-chart__title">([^<]*)</span>')


def _charts_by_page(site: Path) -> dict[str, list[tuple[str, str]]]:
    found = {}
    for page in sorted(site.glob("chapters/*.html")):
        text = page.read_text(encoding="utf-8")
        ids, titles = CHART_FIGURE.findall(text), CHART_TITLE.findall(text)
        assert len(ids) == len(titles), f"{page.name}: a chart without its heading"
        found[page.name] = list(zip(ids, titles, strict=True))
    return found


def test_every_chart_is_titled_and_placed_under_the_same_id_in_both_editions(
    site: Path, site_vi: Path
) -> None:
    english, vietnamese = _charts_by_page(site), _charts_by_page(site_vi)
    assert english.keys() == vietnamese.keys()
    for page, charts_en in english.items():
        assert [i for i, _ in charts_en] == [i for i, _ in vietnamese[page]], page
        for chart_id, title in charts_en + vietnamese[page]:
            assert title.strip(), f"{page}: chart {chart_id} has no title"
            assert "ictstory:chart-title" not in title
    every = [i for charts_en in english.values() for i, _ in charts_en]
    assert len(every) == len(set(every)), "a chart id is used on two pages"
    assert len(every) >= 10


@pytest.mark.slow
def test_the_build_refuses_twins_whose_code_differs(tmp_path: Path) -> None:
    """`make book` fails fast, before building, when a twin's code differs."""
    project = tmp_path / "book"
    shutil.copytree(ROOT / "data", project / "data")
    for name in ("_toc.yml", "vi/_toc.yml", "index.md", "vi/index.md"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, project / name)
    for path in (ROOT / "chapters").glob("*.md"):
        for folder in ("chapters", "vi/chapters"):
            (project / folder).mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / folder / path.name, project / folder / path.name)
    twin = project / "vi" / "chapters" / "postal.md"
    text = twin.read_text(encoding="utf-8")
    start = text.index("```{code-cell}")
    end = text.index("\n```", start + 3)
    twin.write_text(text[:end] + "\nextra = 1" + text[end:], encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "ictstory.build"],
        cwd=project,
        env={**build_env(project), "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "vi/chapters/postal.md: code cell 1 differs" in result.stderr
    assert not (project / "_build" / "html").exists()
