"""Our English glosses of the excerpts (``excerpt_en``, issue 21): make data refuses a
missing gloss and a gloss whose numbers are not its excerpt's; the English edition's
tooltips carry the gloss under the excerpt, the Vietnamese edition's do not."""

from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, read_rows, write_rows

from ictstory.data import find_problems, glosses
from ictstory.story import charts, outside

#: The module (``ictstory.story.timeline`` is also the chapter API's function).
timeline = importlib.import_module("ictstory.story.timeline")
GLOSS = glosses.GLOSS


@pytest.fixture()
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of data/ (its own record of validated data); the descriptor."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path / "data" / "datapackage.json"


def _problems(descriptor: Path) -> set[tuple[str, int | None, str | None, str]]:
    found = glosses.problems(json.loads(descriptor.read_text(encoding="utf-8")), descriptor.parent)
    return {(p.path, p.line, p.column, p.kind) for p in found}


def _edit(descriptor: Path, table: str, edits: dict[str, str], where: str = "") -> int:
    """Set cells of the first row of ``table`` whose excerpt holds ``where``; its line."""
    path = descriptor.parent / f"{table}.csv"
    rows = read_rows(path)
    head = rows[0]
    index = next(i for i, r in enumerate(rows[1:], 1) if where in r[head.index("excerpt")])
    for column, text in edits.items():
        rows[index][head.index(column)] = text
    write_rows(path, rows)
    return index + 1


def test_notations_are_read_before_comparing() -> None:
    vi = "cung cấp 77.254 tấn (1.274 tỷ đồng), 29,5 tỷ; mức độ 3,4; ngày 06/7/2020"
    en = "supplied 77,254 tonnes (1,274 billion dong), 29.5 billion; levels 3 and 4; 6/7/2020"
    assert glosses.numbers(vi, english=False)[:3] == ["77254", "1274", "29.5"]
    assert glosses.digit_groups(vi, english=False) == glosses.digit_groups(en, english=True)
    # the same digits in the wrong notation are other numbers
    assert glosses.digit_groups("1.274", english=True) != glosses.digit_groups("1.274", False)
    assert glosses.has_vietnamese("Việt Nam tăng 2 bậc") and glosses.has_vietnamese("đạt")
    assert not glosses.has_vietnamese("Le Vietnam a obtenu 51,79 points, se classant à")


def test_the_real_glosses_are_all_there_with_their_numbers() -> None:
    descriptor = ROOT / "data" / "datapackage.json"
    assert _problems(descriptor) == set()
    for table in ("figures", "events", "targets"):
        rows = read_rows(ROOT / "data" / f"{table}.csv")
        column = rows[0].index(GLOSS)
        assert all(r[column].strip() for r in rows[1:]), table


def test_a_missing_or_mismatched_gloss_is_refused(data_copy: Path) -> None:
    missing = _edit(data_copy, "figures", {GLOSS: ""}, where="4.162")
    # one number changed, and a number added that the excerpt writes as a word
    changed = _edit(
        data_copy, "events", {GLOSS: "on 16/10/2020, three ministries met"}, where="16/10/2021"
    )
    added = _edit(data_copy, "targets", {GLOSS: "resolve about 2,000 dead zones in 2021, 4 of"})
    found = {(p.path, p.line, p.column): p for p in find_problems(data_copy)}
    assert found[("data/figures.csv", missing, GLOSS)].kind == "gloss missing"
    for table, line in (("events", changed), ("targets", added)):
        problem = found[(f"data/{table}.csv", line, GLOSS)]
        assert problem.kind == "gloss numbers differ", problem
    assert "2020" in found[("data/events.csv", changed, GLOSS)].detail


def test_outside_rows_need_a_gloss_only_when_not_in_english(data_copy: Path) -> None:
    vietnamese = _edit(data_copy, "outside_series", {GLOSS: ""}, where="Việt Nam đã tăng 2 bậc")
    # French with no accented letter: only its mark says it is not English
    french = _edit(data_copy, "outside_series", {GLOSS: ""}, where="Le Vietnam a obtenu")
    english = _edit(data_copy, "outside_series", {GLOSS: ""}, where="Vietnam,VNM,2016,53")
    found = _problems(data_copy)
    path = "data/outside_series.csv"
    assert (path, vietnamese, GLOSS, "gloss missing") in found
    assert (path, french, GLOSS, "gloss missing") in found
    assert not [p for p in found if p[1] == english]
    _edit(data_copy, "outside_series", {glosses.LANGUAGE: "en"}, where="Le Vietnam a obtenu")
    assert (path, french, GLOSS, "gloss missing") not in _problems(data_copy)


def _tooltip_fields(spec: object) -> list[str]:
    """Every tooltip field of a Vega-Lite spec, in order."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            tips = node.get("tooltip")
            for tip in tips if isinstance(tips, list) else [tips]:
                if isinstance(tip, dict) and "field" in tip:
                    found.append(tip["field"])
            for key, value in node.items():
                if key not in ("tooltip", "datasets"):
                    walk(value)

    walk(spec)
    return found


@pytest.mark.parametrize("edition", ["en", "vi"])
def test_only_the_english_tooltips_carry_the_gloss(
    edition: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ICTSTORY_LANG", edition)
    chart, rows = outside.trajectory(["upu_2ipd_rank"], title="A title that states a finding")
    spec = chart.to_dict()
    fields = _tooltip_fields(spec)
    figures = [t.to_dict()["field"] for t in charts.provenance_tooltip()]
    events = [t.to_dict()["field"] for t in timeline._event_tooltip()]
    data = [row for part in spec["datasets"].values() for row in part]
    if edition == "vi":
        assert GLOSS not in fields + figures + events
        assert not any(GLOSS in row for row in data)
        return
    for found in (fields, figures, events):  # under the excerpt
        assert found[found.index("excerpt") + 1] == GLOSS
    foreign = [row for row in data if glosses.has_vietnamese(row["excerpt"])]
    assert foreign and all(row.get(GLOSS) for row in foreign), foreign
    assert charts.word("column.excerpt-en") == "In English (our translation)"
