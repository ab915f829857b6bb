"""Notebooks round-trip: a chapter opened in JupyterLab and saved without edits is unchanged.

JupyterLab opens a chapter through jupytext's contents manager and, when the kernel
starts, writes the kernel's spec into the notebook's metadata; saving writes the
``.md`` back with the project's jupytext settings (``jupytext.toml``). Each test
does exactly that on a copy of the pages (the checkout is never written) and
compares bytes: a changed byte would show in git and make the next build run again.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import jupytext
import jupytext.header
import pytest
from conftest import ROOT
from jupyter_client.kernelspec import KernelSpecManager
from jupytext import TextFileContentsManager

from ictstory.build import book as build

HEADER = re.compile(r"\A---\n(?:.*\n)*?jupytext:\n", re.MULTILINE)


def pages() -> list[str]:
    """Every page of both editions (Markdown under the project's page folders)."""
    found = [ROOT / "index.md", ROOT / "vi" / "index.md"]
    for folder in (ROOT / "chapters", ROOT / "vi" / "chapters"):
        found += sorted(folder.glob("*.md"))
    return [p.relative_to(ROOT).as_posix() for p in found]


def notebook_pages() -> list[str]:
    """The pages that are notebooks (a jupytext header): every one with code."""
    return [p for p in pages() if HEADER.match((ROOT / p).read_text(encoding="utf-8"))]


def copy_pages(target: Path) -> Path:
    """The pages, the jupytext settings and the build's other inputs, in ``target``."""
    for name in pages():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, target / name)
    shutil.copyfile(ROOT / "jupytext.toml", target / "jupytext.toml")
    return target


def open_and_save(root: Path, name: str) -> None:
    """What JupyterLab does: read the page as a notebook, start the project's kernel
    (its spec goes into the metadata), save without edits."""
    manager = TextFileContentsManager(root_dir=str(root))
    model = manager.get(name, content=True, type="notebook")
    spec = KernelSpecManager().get_kernel_spec("python3")
    model["content"]["metadata"]["kernelspec"] = {
        "display_name": spec.display_name,
        "language": spec.language,
        "name": "python3",
    }
    model["content"]["metadata"]["language_info"] = {"name": "python", "version": "3"}
    manager.save(model, name)


def test_every_page_with_code_is_a_notebook_both_editions() -> None:
    """A page without the jupytext header (the glossary) has no code cell to run."""
    notebooks = notebook_pages()
    assert len(notebooks) >= 20 and "vi/chapters/postal.md" in notebooks
    for name in sorted(set(pages()) - set(notebooks)):
        assert "```{code-cell}" not in (ROOT / name).read_text(encoding="utf-8"), name
    # both editions alike: a page is a notebook in one edition iff in the other
    en = {p.removeprefix("vi/") for p in notebooks if not p.startswith("vi/")}
    vi = {p.removeprefix("vi/") for p in notebooks if p.startswith("vi/")}
    assert en == vi


@pytest.mark.parametrize("name", notebook_pages())
def test_open_and_save_leaves_the_page_byte_identical(name: str, tmp_path: Path) -> None:
    root = copy_pages(tmp_path)
    before = (root / name).read_bytes()
    open_and_save(root, name)
    after = (root / name).read_bytes()
    assert after == before, f"{name}: saving from JupyterLab changed it (run the test's diff)"


def test_a_newer_jupytext_writes_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No version in the header: an upgrade of jupytext does not rewrite every page."""
    root = copy_pages(tmp_path)
    monkeypatch.setattr(jupytext.header, "__version__", "99.0.0")
    name = "chapters/postal.md"
    before = (root / name).read_bytes()
    open_and_save(root, name)
    assert (root / name).read_bytes() == before
    assert b"99.0.0" not in (root / name).read_bytes()


def test_the_settings_are_what_keeps_the_bytes(tmp_path: Path) -> None:
    """Without jupytext.toml, the same save rewrites the header: the test can fail."""
    root = copy_pages(tmp_path)
    (root / "jupytext.toml").unlink()
    name = "chapters/postal.md"
    before = (root / name).read_bytes()
    open_and_save(root, name)
    assert b"jupytext_version" in (root / name).read_bytes() != before


def test_saving_every_page_does_not_trigger_a_build(tmp_path: Path) -> None:
    """The build skips itself when its inputs' fingerprint is unchanged."""
    root = copy_pages(tmp_path)
    before = build.inputs_fingerprint(root)
    for name in notebook_pages():
        open_and_save(root, name)
    assert build.inputs_fingerprint(root) == before
