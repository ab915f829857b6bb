"""Figures named in data text (``[[F209]]``): they follow corrections, and make data
refuses numbers typed by hand and references to missing figures.

Each test that changes data works on a copy of ``data/`` in a temporary folder
(``$ICTSTORY_ROOT`` points there), so the real package is never touched.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, read_rows, write_rows
from docutils import nodes

from ictstory.data import find_problems, load_table, textrefs
from ictstory.data.textrefs import cell_problems, numbers_in, read_figures, resolve_text
from ictstory.site.glossary import DataGlossary
from ictstory.story import deps
from ictstory.story.reference import html_table

BLUEZONE = "Bluezone"
INSTALLS = "F209"  # smartphones with Bluezone installed, 30 Jun 2021 (21 million)


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of data/ in a folder that ``$ICTSTORY_ROOT`` names; returns data/."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "_config.yml").write_text("title: copy\n", encoding="utf-8")
    monkeypatch.setenv("ICTSTORY_ROOT", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "data"


def edit(path: Path, key: str, column: str, value: str) -> int:
    """Set one cell of the row whose first cell is ``key``; returns the row's line."""
    rows = read_rows(path)
    index = rows[0].index(column)
    line = next(n for n, row in enumerate(rows[1:], start=2) if row[0] == key)
    rows[line - 1][index] = value
    write_rows(path, rows)
    return line


def glossary_row(term: str) -> object:
    """A glossary row as the ``data-glossary`` directive reads it."""
    table = load_table("glossary")
    return next(r for r in table.itertuples(index=False) if r.term == term)


def problems_of(data: Path) -> list[str]:
    return [str(p) for p in find_problems(data / "datapackage.json")]


# --- the real data --------------------------------------------------------------------


def test_real_text_names_the_figure_not_its_number() -> None:
    """The glossary's Bluezone entry refers to the figure in both languages and renders
    the figure's effective value; the package's text has no figure value typed."""
    rows = {r[0]: r for r in read_rows(ROOT / "data" / "glossary.csv")}
    header = read_rows(ROOT / "data" / "glossary.csv")[0]
    for column in ("explanation", "explanation_vi"):
        assert f"[[{INSTALLS}]]" in rows[BLUEZONE][header.index(column)]
    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert textrefs.text_problems(descriptor, ROOT / "data") == []
    english = DataGlossary._meaning(glossary_row(BLUEZONE)).astext()
    vietnamese = DataGlossary._meaning_vi(glossary_row(BLUEZONE)).astext()
    assert "21 million installs" in english and "[[" not in english
    assert "21 triệu điện thoại" in vietnamese and "[[" not in vietnamese


def test_text_columns_exist() -> None:
    """Every column the check and the resolution cover is a column of its table."""
    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    fields = {
        r["name"]: {f["name"] for f in r["schema"]["fields"]} for r in descriptor["resources"]
    }
    for table, columns in textrefs.TEXT_COLUMNS.items():
        assert set(columns) <= fields[table], table


# --- a correction reaches the text -------------------------------------------------------


def test_correction_changes_the_glossary_text(project: Path) -> None:
    figures = project / "figures.csv"
    edit(figures, INSTALLS, "value_corrected", "23.5")
    edit(figures, INSTALLS, "note", "Test correction.")
    english = DataGlossary._meaning(glossary_row(BLUEZONE)).astext()
    vietnamese = DataGlossary._meaning_vi(glossary_row(BLUEZONE)).astext()
    assert "23.5 million installs" in english and "21 million" not in english
    assert "23,5 triệu điện thoại" in vietnamese and "21 triệu" not in vietnamese


def test_a_chapter_showing_the_text_depends_on_the_figure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Loading a table whose text names a figure records the figure (deps), so
    correcting it re-executes the chapter that shows the text."""
    recorded: list[tuple[str, str]] = []
    monkeypatch.setattr(deps, "record", lambda kind, key: recorded.append((kind, key)))
    load_table("glossary")
    assert ("figure", INSTALLS) in recorded
    assert ("table", "glossary") in recorded


# --- make data refuses ------------------------------------------------------------------------


def test_hand_typed_number_is_refused(project: Path) -> None:
    line = edit(
        project / "glossary.csv",
        BLUEZONE,
        "explanation",
        "Vietnam's contact-tracing app; 21 million installs by 30 Jun 2021.",
    )
    problems = problems_of(project)
    assert len(problems) == 1, problems
    assert problems[0].startswith(
        f"data/glossary.csv, line {line}, column 'explanation': number typed by hand: "
        "'21 million' is the value of figure F209"
    )
    assert "[[F209]]" in problems[0]


def test_reference_to_a_missing_figure_is_refused(project: Path) -> None:
    line = edit(project / "glossary.csv", BLUEZONE, "explanation_vi", "Có [[F999]] máy.")
    problems = problems_of(project)
    assert problems == [
        f"data/glossary.csv, line {line}, column 'explanation_vi': unknown figure: "
        "reference [[F999]] names no figure of data/figures.csv; use an existing figure_id"
    ]


def test_deleting_a_referenced_figure_is_refused(project: Path) -> None:
    """Removing a figure that text names is caught by make data, not at build time."""
    rows = [r for r in read_rows(project / "figures.csv") if r[0] != "F402"]
    write_rows(project / "figures.csv", rows)
    problems = problems_of(project)
    assert any("column 'description_en': unknown figure: reference [[F402]]" in p for p in problems)


@pytest.mark.parametrize("text", ["[[F20]]", "[[ F209 ]]", "see [[here]]", "[[F209]"])
def test_malformed_reference_is_refused(text: str) -> None:
    figures = read_figures(ROOT / "data" / "figures.csv")
    kinds = [kind for kind, _ in cell_problems(text, "explanation", {}, figures)]
    assert "malformed reference" in kinds


# --- the rule: which numbers count as a figure's ----------------------------------------


@pytest.fixture(scope="module")
def figures() -> dict[str, textrefs.Figure]:
    return read_figures(ROOT / "data" / "figures.csv")


@pytest.mark.parametrize(
    ("text", "column", "row"),
    [
        ("about 21 million installs", "explanation", {}),  # scale word, any figure
        ("21 triệu máy", "explanation_vi", {}),
        ("21,000,000 phones", "explanation", {}),  # grouped digits
        ("Chỉ 50% xã", "explanation_vi", {}),  # a percent sign, a figure in percent
        ("from 40 now", "description_en", {"indicator": "online_services_level4_share"}),
        ("about 2594 points (F023)", "description_en", {"note": "see F023"}),  # tied by id
    ],
)
def test_typed_values_found(
    text: str, column: str, row: dict[str, str], figures: dict[str, textrefs.Figure]
) -> None:
    kinds = [kind for kind, _ in cell_problems(text, column, row, figures)]
    assert kinds == ["number typed by hand"], text


@pytest.mark.parametrize(
    ("text", "column", "row"),
    [
        ("21 apps in 2021, on 30/6/2021", "explanation", {}),  # bare numbers, no tie
        ("the source says “21 triệu smartphone”", "explanation", {}),  # a quotation
        ("'21 million' as the source put it", "explanation", {}),
        (
            "COVID-19 wave 4, level-4 services",
            "note",
            {"indicator": "online_services_level4_share"},
        ),
        ("ngày 30/6/2021, 21 ứng dụng", "explanation_vi", {}),
        ("[[F209]] installs", "explanation", {}),  # a reference is no typed number
        ("2-3 times", "description_en", {"indicator": "ict_industry_growth_vs_gdp"}),  # small
    ],
)
def test_other_numbers_pass(
    text: str, column: str, row: dict[str, str], figures: dict[str, textrefs.Figure]
) -> None:
    assert cell_problems(text, column, row, figures) == [], text


def test_a_rows_own_number_passes(figures: dict[str, textrefs.Figure]) -> None:
    """A target's description may state its own target_value (100%), a figure value too."""
    row = {"indicator": "online_services_level4_share", "target_value": "100", "unit": "percent"}
    text = "100% of public services online"
    assert cell_problems(text, "description_en", row, figures)  # without the own number
    assert cell_problems(text, "description_en", row, figures, frozenset({100.0})) == []


def test_numbers_are_read_in_each_language() -> None:
    assert [n.value for n in numbers_in("10,000 bn VND and 2.9%", vietnamese=False)] == [
        1e13,
        2.9,
    ]
    assert [n.value for n in numbers_in("10.000 tỷ đồng và 2,9%", vietnamese=True)] == [1e13, 2.9]


# --- data is never code ----------------------------------------------------------------------

HOSTILE = (
    '<script>window.__pwn=1</script> <img src=x onerror="x()"> [[F209]] '
    '{{ env }} **bold** {abbr}`x (y)` <a href="[[F209]]">&amp;</a>'
)


def test_hostile_text_around_a_reference_stays_text(project: Path) -> None:
    edit(project / "glossary.csv", BLUEZONE, "explanation", HOSTILE)
    row = glossary_row(BLUEZONE)
    expected = HOSTILE.replace("[[F209]]", "21 million")
    assert row.explanation == expected
    para = DataGlossary._meaning(row)
    assert para.astext().endswith(". " + expected)
    assert all(isinstance(n, nodes.Text | nodes.emphasis | nodes.strong) for n in para.children)
    markup = html_table(load_table("glossary")[["term", "explanation"]]).markup
    assert "<script>" not in markup and "<img" not in markup and "<a href" not in markup
    assert "&lt;script&gt;window.__pwn=1&lt;/script&gt;" in markup
    assert "&lt;a href=&quot;21 million&quot;&gt;&amp;amp;&lt;/a&gt;" in markup


def test_the_replacement_is_only_the_figure_words() -> None:
    """Nothing but the reference changes: no other brackets, braces or entities."""
    text = "[[F209]] [F209] {F209} [[[F209]]] &lt; %s {0}"
    assert resolve_text(text, {"F209": "21 million"}) == (
        "21 million [F209] {F209} [21 million] &lt; %s {0}"
    )


def test_hostile_corpus_is_no_typed_number(tmp_path: Path) -> None:
    """The payloads test_hostile_data appends to every text cell (which a real build
    then checks) raise no false "number typed by hand" and no reference problem."""
    from test_hostile_data import payloads

    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    figures = read_figures(ROOT / "data" / "figures.csv")
    corpus = payloads(tmp_path / "canary-12", tmp_path / "secret-37.txt", tmp_path / "p-2021")
    checked = 0
    for table, columns in textrefs.TEXT_COLUMNS.items():
        spec = next(r for r in descriptor["resources"] if r["name"] == table)
        numeric = [
            f["name"] for f in spec["schema"]["fields"] if f["type"] in ("number", "integer")
        ]
        rows = read_rows(ROOT / "data" / spec["path"])
        for values in rows[1:]:
            row = dict(zip(rows[0], values, strict=True))
            own = textrefs.own_numbers(row, numeric)
            for column in columns:
                for payload in corpus:
                    text = f"{row[column]} {payload}"
                    assert cell_problems(text, column, row, figures, own) == [], (table, text)
                    checked += 1
    assert checked > 1000
