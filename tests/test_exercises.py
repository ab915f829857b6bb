"""Every "Try it" solution runs and checks its answer against the data.

Each solution is kept for the trainer only (``trainer/solutions/``, paired with the
chapter's Try-its in both editions, :mod:`ictstory.trainers.trainer`), executed after the
chapter's code cells above its Try-it, in the edition's language, and ends in an
``assert`` computed from the data: a data change that breaks an exercise fails here.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from ictstory.editions import twins
from ictstory.trainers.exercises import Exercise, all_exercises, exercises

Runner = Callable[[Exercise, Path], list[dict[str, Any]]]

STORY = [t for t in twins(ROOT) if t.en.parts[0] == "chapters"]
CASES = [
    pytest.param(e, id=e.chapter.as_posix())
    for lang in ("en", "vi")
    for e in all_exercises(lang, ROOT)
]


def test_every_story_chapter_has_an_exercise_in_both_editions() -> None:
    teaching = [t for t in STORY if t.en.stem not in ("sources", "data", "glossary", "trainers")]
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
def test_solution_runs_and_its_assert_holds(exercise: Exercise, kernel: Runner) -> None:
    outputs = kernel(exercise, ROOT)
    shown = [o for o in outputs if o.get("output_type") in ("display_data", "execute_result")]
    assert shown, "the solution shows nothing"
    assert any("text/html" in o.get("data", {}) for o in shown)


def test_a_wrong_answer_fails(kernel: Runner) -> None:
    """The runner reports a failing assert: a solution whose answer is wrong fails."""
    exercise = all_exercises("en", ROOT)[0]
    wrong = Exercise(exercise.chapter, 1, exercise.cell, exercise.code + "\nassert facts.empty\n")
    import nbclient

    with pytest.raises(nbclient.exceptions.CellExecutionError, match="AssertionError"):
        kernel(wrong, ROOT)


# --- The trainers page's session plans against the material ------------------------

MINUTES = re.compile(r"^\| (\d+) (?:min|phút) \|(.*)$", re.M)
#: The least time the plans may give one exercise and one discussion question.
PER_EXERCISE, PER_QUESTION = 15, 5
FIELD_CHAPTERS = ("postal", "telecom", "digital-transformation", "cybersecurity", "ict-industry")
FIELD_CHAPTERS += ("press-media",)


def _plans(path: Path) -> list[list[tuple[int, str]]]:
    """Each session plan's table on the trainers page: (minutes, activity) rows."""
    text = path.read_text(encoding="utf-8")
    parts = re.split(r"^## ", text, flags=re.M)
    plans = [[(int(m), row) for m, row in MINUTES.findall(p)] for p in parts]
    return [p for p in plans if p]


def _questions(path: Path) -> int:
    text = path.read_text(encoding="utf-8")
    heading = re.search(
        r"^## (Questions for discussion|Câu hỏi thảo luận)\n(.*?)^## ", text, re.M | re.S
    )
    return len(re.findall(r"^\d+\. ", heading.group(2), re.M)) if heading else 0


@pytest.mark.parametrize("page", ["chapters/trainers.md", "vi/chapters/trainers.md"])
def test_session_plans_fit_the_material(page: str) -> None:
    folder = Path(page).parent
    plan_a, plan_b = _plans(ROOT / page)
    assert sum(m for m, _ in plan_a) == 90  # "a 90-minute overview"
    assert sum(m for m, _ in plan_b) == 210  # "about three and a half hours with a break"
    # plan B: the exercises of two field chapters of the pair's choice
    per_chapter = sorted(len(exercises(folder / f"{c}.md", ROOT)) for c in FIELD_CHAPTERS)
    assert min(per_chapter) >= 1
    exercise_minutes = [m for m, row in plan_b if "*Try it*" in row or "*Thực hành*" in row]
    assert len(exercise_minutes) == 1
    assert exercise_minutes[0] >= PER_EXERCISE * sum(per_chapter[-2:])
    # plan A: two questions for discussion from different chapters
    discussion = [
        m
        for m, row in plan_a
        if "*Questions for discussion*" in row or "*Câu hỏi thảo luận*" in row
    ]
    assert len(discussion) == 1 and discussion[0] >= PER_QUESTION * 2
    with_two = [
        c for c in STORY if _questions(ROOT / (c.vi if folder.parts[:1] == ("vi",) else c.en)) >= 2
    ]
    assert len(with_two) >= 2
