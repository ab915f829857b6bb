"""The chapter API's rules (issue 19), held for every page of both editions with code."""

from __future__ import annotations

import pytest

from ictstory.build.chapterapi import PageReport, reports

PAGES = reports()


def _ids(report: PageReport) -> str:
    return report.path


@pytest.mark.parametrize("page", PAGES, ids=_ids)
def test_the_setup_is_one_short_cell(page: PageReport) -> None:
    assert page.setup_lines <= 15, f"{page.path}: set-up cell has {page.setup_lines} lines"
    assert not page.other_imports, f"{page.path}: imports {page.other_imports}; use st."


@pytest.mark.parametrize("page", PAGES, ids=_ids)
def test_a_number_is_glued_just_above_the_prose_that_uses_it(page: PageReport) -> None:
    assert not page.glued_far, (
        f"{page.path}: glued in a cell that is not the one just above their first use: "
        f"{page.glued_far}"
    )


@pytest.mark.parametrize("page", PAGES, ids=_ids)
def test_chapter_code_holds_no_words_a_translator_must_change(page: PageReport) -> None:
    assert not page.vietnamese_lines, (
        f"{page.path}: Vietnamese in code, lines {page.vietnamese_lines}"
    )
    assert not page.tr_calls, f"{page.path}: tr( on lines {page.tr_calls}; use st.word or data"
    assert not page.prose_strings, f"{page.path}: prose typed in code: {page.prose_strings[:5]}"


def test_the_rules_see_every_chapter() -> None:
    assert len(PAGES) >= 20
