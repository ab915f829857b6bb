"""Folds and quarters in words and the targets' scorecard (no build, no kernel)."""

from __future__ import annotations

import pandas as pd
import pytest

from ictstory.story.claims import fold_words
from ictstory.story.phrasing import quarter_words
from ictstory.story.targets import target_scorecard, target_table, target_verdict


@pytest.mark.parametrize(
    ("language", "fold", "other", "expected"),
    [
        ("en", 3.0, "fold.rose", "tripled"),
        ("vi", 3.0, "fold.rose", "tăng gấp ba"),
        ("en", 4.4, "fold.rose", "rose 4.4-fold"),
        ("vi", 4.4, "fold.rose", "tăng 4,4 lần"),
        ("en", 2.0, "fold.multiplied-by", "doubled"),
    ],
)
def test_fold_words(
    monkeypatch: pytest.MonkeyPatch, language: str, fold: float, other: str, expected: str
) -> None:
    monkeypatch.setenv("ICTSTORY_LANG", language)
    assert fold_words(fold, other=other) == expected


def test_an_exact_fold_is_not_rounded_to_a_word(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICTSTORY_LANG", "en")
    assert fold_words(2.1, other="fold.multiplied-by", rounded=False) == "multiplied by 2.1"
    assert fold_words(2.1, other="fold.multiplied-by") == "multiplied by 2.1"
    assert fold_words(2.02, other="fold.multiplied-by") == "roughly doubled"


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "the third quarter of 2021"), ("vi", "quý III/2021")]
)
def test_quarter_words(monkeypatch: pytest.MonkeyPatch, language: str, expected: str) -> None:
    monkeypatch.setenv("ICTSTORY_LANG", language)
    assert quarter_words("2021-08-15") == expected


def test_a_target_due_after_the_sources_end_is_open_not_missed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same unmet target is open while the sources end before its deadline, and
    missed once they run past it."""
    monkeypatch.setenv("ICTSTORY_LANG", "en")
    targets = target_table()
    unmet = targets[targets["progress_figure_id"].notna() & targets["deadline"].notna()]
    before = target_scorecard(unmet, unmet["deadline"].min() - pd.Timedelta(days=1))
    after = target_scorecard(unmet, unmet["deadline"].max() + pd.Timedelta(days=1))
    met = {"met", "met-on-paper"}
    assert set(before["status"]) <= {"open"} | met  # a met target stays met
    assert set(after["status"]) <= met | {"missed", "unclear"}
    assert (after["status"] == "missed").any()
    missed = after.loc[after["status"] == "missed", "target_id"].iloc[0]
    assert before.set_index("target_id").loc[missed, "status"] == "open"
    assert target_verdict("missed", pd.Timestamp("2021-10-31")) == (
        "the sources, which run to October 2021, show it missed"
    )
