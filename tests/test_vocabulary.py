"""The bilingual vocabulary (data/vocabulary.csv): every word the code asks for exists,
one English word has one Vietnamese name, and words are text, never markup."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from ictstory.data import vocabulary
from ictstory.story.words import UnknownWord, word, words


def _asked_keys() -> list[tuple[str, int, str]]:
    """(file, line, key) of every literal ``word("key")`` in the package."""
    found = []
    for path in sorted((ROOT / "src" / "ictstory").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "word"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.append((path.relative_to(ROOT).as_posix(), node.lineno, node.args[0].value))
    return found


def test_every_word_the_package_asks_for_is_in_the_vocabulary() -> None:
    asked = _asked_keys()
    assert len(asked) >= 30
    missing = [f"{f}:{line} {key}" for f, line, key in asked if key not in words()]
    assert not missing


def test_the_vocabulary_is_consistent() -> None:
    assert vocabulary.problems(ROOT / "data") == []


def test_an_unknown_key_names_the_file_to_edit() -> None:
    with pytest.raises(UnknownWord, match="data/vocabulary.csv has no key 'no.such-word'"):
        word("no.such-word")


def test_placeholders_are_filled_by_plain_replacement() -> None:
    text = word("ui.alt-more-values", "en", count="{0.__class__}")
    assert "{0.__class__} more values" in text
    with pytest.raises(ValueError, match="no {total}"):
        word("ui.alt-more-values", "en", total=3)


@pytest.mark.parametrize(
    ("row", "kind"),
    [
        ("x.bad,Source,Nguồn gốc,", "two names for one word"),
        ("x.bad,Rows {n},Dòng,", "placeholders differ"),
        ("x.bad,<b>Rows</b>,Dòng,", "markup in a word"),
        ("x.bad,See {term}`VNNIC`,Xem,", "markup in a word"),
    ],
)
def test_a_bad_word_is_named_by_file_line_and_column(tmp_path: Path, row: str, kind: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    with (data / "vocabulary.csv").open("a", encoding="utf-8") as handle:
        handle.write(row + "\n")
    lines = len((data / "vocabulary.csv").read_text(encoding="utf-8").splitlines())
    found = [p for p in vocabulary.problems(data) if p.kind == kind]
    assert found and found[0].line == lines and found[0].path == "data/vocabulary.csv"


def test_a_document_kind_without_its_words_is_a_problem(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    text = (data / "vocabulary.csv").read_text(encoding="utf-8")
    kept = [line for line in text.splitlines() if not line.startswith("doc-kind.news-item,")]
    (data / "vocabulary.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    details = [p.detail for p in vocabulary.problems(data)]
    assert any("doc-kind.news-item" in d for d in details)
