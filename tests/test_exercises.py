"""Every "Try it" solution runs and checks its answer against the data.

Each solution is taken from its chapter (both editions), executed after the chapter's
code cells above it, in the edition's language, and ends in an ``assert`` computed
from the data: a data change that breaks an exercise fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

from ictstory.editions import twins
from ictstory.exercises import Exercise, all_exercises, exercises, run

STORY = [t for t in twins(ROOT) if t.en.parts[0] == "chapters"]
CASES = [
    pytest.param(e, id=e.chapter.as_posix())
    for lang in ("en", "vi")
    for e in all_exercises(lang, ROOT)
]


def test_every_story_chapter_has_an_exercise_in_both_editions() -> None:
    teaching = [t for t in STORY if t.en.stem not in ("data", "glossary", "trainers")]
    missing = [t.en for t in teaching if not exercises(t.en, ROOT)]
    missing += [t.vi for t in teaching if not exercises(t.vi, ROOT)]
    assert missing == []


def test_the_two_editions_have_the_same_solutions() -> None:
    en = [e.code for e in all_exercises("en", ROOT)]
    vi = [e.code for e in all_exercises("vi", ROOT)]
    assert len(en) >= 10
    assert en == vi


@pytest.mark.parametrize("exercise", CASES)
def test_solution_ends_by_asserting_its_answer(exercise: Exercise) -> None:
    body = ast.parse(exercise.code).body
    assert isinstance(body[-1], ast.Assert), "the solution's last statement must assert its answer"
    checked = ast.unparse(body[-1].test)
    assert any(c.isalpha() for c in checked)  # it compares names, not two literals
    assert not isinstance(body[-1].test, ast.Constant)


@pytest.mark.parametrize("exercise", CASES)
def test_solution_runs_and_its_assert_holds(exercise: Exercise) -> None:
    outputs = run(exercise, ROOT)
    shown = [o for o in outputs if o.get("output_type") in ("display_data", "execute_result")]
    assert shown, "the solution shows nothing"
    assert any("text/html" in o.get("data", {}) for o in shown)


def test_a_wrong_answer_fails(tmp_path: Path) -> None:
    """The runner reports a failing assert: a solution whose answer is wrong fails."""
    exercise = all_exercises("en", ROOT)[0]
    wrong = Exercise(exercise.chapter, 1, exercise.cell, exercise.code + "\nassert facts.empty\n")
    import nbclient

    with pytest.raises(nbclient.exceptions.CellExecutionError, match="AssertionError"):
        run(wrong, ROOT)
