"""What a chapter reads is recorded, and its token changes exactly when that changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

from ictstory.story import deps


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A copy of data/ in a project-shaped folder."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "_config.yml").write_text("title: t\n", encoding="utf-8")
    return tmp_path


def _edit(project: Path, figure_id: str, old: str, new: str) -> None:
    path = project / "data" / "figures.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith(figure_id + ","))
    assert old in lines[index]
    lines[index] = lines[index].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def test_a_derived_figure_depends_on_its_inputs(project: Path) -> None:
    before = deps.content_hash("figure:F381", project)  # F381 = F302 + F304
    _edit(project, "F304", ",places,", ",places,")  # no change: same hash
    assert deps.content_hash("figure:F381", project) == before
    _edit(project, "F304", "since 2017", "since 2017 (edited)")
    assert deps.content_hash("figure:F381", project) != before
    assert deps.content_hash("figure:F004", project) == deps.content_hash("figure:F004", ROOT)


def test_token_kept_while_nothing_read_changes(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ICTSTORY_ROOT", str(project))
    code = "x = figure('F004')"
    first = deps.token_for("chapters/x", code, project)
    deps.start("chapters/x", first)
    deps.record("figure", "F004")
    deps._state["doc"] = None  # the chapter has finished
    assert deps.token_for("chapters/x", code, project) == first
    _edit(project, "F010", "distributed free", "given away")  # a row it did not read
    assert deps.token_for("chapters/x", code, project) == first
    _edit(project, "F004", "4162", "4163")  # the row it read
    changed = deps.token_for("chapters/x", code, project)
    assert changed != first
    assert deps.token_for("chapters/x", code + "\n# edited", project) != first


def test_figure_table_records_rows_or_the_whole_table(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ICTSTORY_ROOT", str(project))
    frame = pd.DataFrame({"value": [1.0, 2.0]}, index=["F004", "F005"])
    deps.start("chapters/y", "t")
    table = deps.FigureTable(frame)
    assert table.loc["F004", "value"] == 1.0
    assert list(table.loc[["F005"]]["value"]) == [2.0]
    assert set(deps._state["deps"]) == {"package:code", "figure:F004", "figure:F005"}
    assert len(table) == 2  # the number of figures: only the list of ids
    assert "columns:figure_id" in deps._state["deps"]
    assert "table:figures" not in deps._state["deps"]
    assert list(table.columns_of("value")["value"]) == [1.0, 2.0]
    assert "columns:value" in deps._state["deps"]
    assert "table:figures" not in deps._state["deps"]
    assert table["value"].sum() == 3.0  # any other use ties the chapter to the whole table
    assert "table:figures" in deps._state["deps"]
    deps._state["doc"] = None


def test_columns_depend_on_those_columns_only(project: Path) -> None:
    before = deps.content_hash("columns:field,period_start", project)
    _edit(project, "F004", "4162", "4163")  # a value: not one of the columns
    assert deps.content_hash("columns:field,period_start", project) == before
    whole = deps.content_hash("columns:no_such_column", project)
    _edit(project, "F004", "4163", "4164")  # an unknown column stands for the whole row
    assert deps.content_hash("columns:no_such_column", project) != whole
    _edit(project, "F004", "postal,", "telecom,")  # its field
    assert deps.content_hash("columns:field,period_start", project) != before


def test_wording_a_text_in_the_other_language_keeps_the_record_in_its_edition(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An English chapter that loads a table whose Vietnamese text names a figure
    ([[F…]], worded in Vietnamese for a while) writes only the English record: the
    Vietnamese edition's record of the same chapter is never touched."""
    from ictstory.data import textrefs

    monkeypatch.setenv("ICTSTORY_ROOT", str(project))
    monkeypatch.setenv("ICTSTORY_LANG", "en")
    deps.start("chapters/x", "token")
    try:
        with textrefs._language("vi"):
            deps.record("figure", "F209")
        deps.record_glue("after", "text")
    finally:
        deps._state.update(doc=None, path=None)
    records = project / "_build" / "deps"
    assert not (records / "vi").exists()
    written = (records / "en" / "chapters__x.json").read_text(encoding="utf-8")
    assert '"figure:F209"' in written and '"after"' in written
