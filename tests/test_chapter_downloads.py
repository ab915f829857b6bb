"""Every chapter page offers its notebook and its source (issue 23, point 1), and the
theme's repository and launch buttons appear only when ``repository.url`` is set."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import jupytext
import nbformat
import pytest
from conftest import ROOT, site_pages

from ictstory.site import notebooks_download
from ictstory.trainers import trainer

EDITIONS = {"site": ROOT / "chapters", "site_vi": ROOT / "vi" / "chapters"}
HREF = re.compile(r'<a\b[^>]*\bhref="([^"#?]+)"', re.I)


def _chapters(folder: Path) -> list[Path]:
    return [
        p
        for p in sorted(folder.glob("*.md"))
        if notebooks_download.is_chapter(f"chapters/{p.stem}", p)
    ]


def _code(notebook: nbformat.NotebookNode) -> list[str]:
    return [c.source for c in notebook.cells if c.cell_type == "code"]


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_chapter_page_links_its_notebook_and_source(
    edition: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(edition)
    chapters = _chapters(EDITIONS[edition])
    assert len(chapters) >= 10
    boxed = [p.stem for p in site_pages(site) if 'class="admonition ictstory-run"' in p.read_text()]
    assert sorted(boxed) == [p.stem for p in chapters]  # no box on a page without code
    secrets = trainer.secret_snippets(ROOT)
    assert secrets, "no trainer text to look for"
    for source in chapters:
        page = site / "chapters" / f"{source.stem}.html"
        text = page.read_text(encoding="utf-8")
        assert text.count('class="admonition ictstory-run"') == 1, page
        assert "make lab" in text
        links = {
            (page.parent / unquote(href)).resolve()
            for href in HREF.findall(text)
            if not href.startswith(("http:", "https:", "//"))
        }
        notebook = (site / notebooks_download.FOLDER / f"{source.stem}.ipynb").resolve()
        markdown = (site / notebooks_download.FOLDER / f"{source.stem}.md").resolve()
        data_zip = (site / "downloads" / "ictstory-data.zip").resolve()
        assert {notebook, markdown, data_zip} <= links, page
        assert notebook.is_file() and markdown.is_file() and data_zip.is_file()

        assert markdown.read_bytes() == source.read_bytes()
        published = nbformat.read(notebook, as_version=4)
        nbformat.validate(published)
        chapter = jupytext.read(source)
        assert _code(published) == _code(chapter) and _code(published), source.name
        assert "jupytext" not in published.metadata  # saving it writes only the notebook
        assert trainer.leaks(notebook.read_text(encoding="utf-8"), ROOT, secrets) == []
        assert trainer.leaks(markdown.read_text(encoding="utf-8"), ROOT, secrets) == []


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_repository_or_launch_button_by_default(
    edition: str, request: pytest.FixtureRequest
) -> None:
    """The default configuration names no repository: no button leaves the site."""
    site: Path = request.getfixturevalue(edition)
    buttons = re.compile(
        r"source-(?:repository|issues|edit|file)-button|source-buttons|launch-buttons|"
        r"launch-thebe|download-(?:notebook|source)-button|mybinder\.org|colab\.research|/v2/gh/",
        re.I,
    )
    found = [p.name for p in site_pages(site) if buttons.search(p.read_text(encoding="utf-8"))]
    assert found == []


def test_run_box_links_are_relative_and_escaped() -> None:
    box = notebooks_download.run_box("vi", 'a"b', "../")
    assert 'href="../_downloads/notebooks/a&quot;b.ipynb"' in box
    assert 'href="../downloads/ictstory-data.zip"' in box
    assert "Chạy chương này" in box and "http" not in box
    body = notebooks_download.add_run_box("<section><h1>T</h1><p>x</p></section>", "[box]")
    assert body == "<section><h1>T</h1><p>x</p></section>[box]"  # after the story


def test_chapter_files_are_written_and_stale_ones_removed(tmp_path: Path) -> None:
    src = tmp_path / "src" / "chapters"
    src.mkdir(parents=True)
    header = (ROOT / "chapters" / "postal.md").read_text(encoding="utf-8").split("\n---\n")[0]
    (src / "one.md").write_text(
        header + "\n---\n\n# One\n\n```{code-cell} ipython3\nx = 1\n```\n", encoding="utf-8"
    )
    (src / "plain.md").write_text("# Not a notebook\n", encoding="utf-8")
    out = tmp_path / "out"
    stale = out / notebooks_download.FOLDER / "gone.ipynb"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}", encoding="utf-8")
    assert notebooks_download.write_chapter_files(tmp_path / "src", out) == ["one"]
    written = sorted(p.name for p in (out / notebooks_download.FOLDER).iterdir())
    assert written == ["one.ipynb", "one.md"]
    notebook = nbformat.read(out / notebooks_download.FOLDER / "one.ipynb", as_version=4)
    assert _code(notebook) == ["x = 1"]


LAUNCH = {
    "notebook_interface": "jupyterlab",
    "binderhub_url": "https://mybinder.org",
    "colab_url": "https://colab.research.google.com",
    "jupyterhub_url": "",
    "thebe": True,
}


def test_buttons_stay_off_without_a_repository() -> None:
    options = notebooks_download.repository_buttons(
        {
            "repository_url": "",
            "use_repository_button": True,
            "use_issues_button": True,
            "use_download_button": True,
            "launch_buttons": LAUNCH,
        }
    )
    assert not options["use_repository_button"] and not options["use_issues_button"]
    assert not options["use_download_button"] and not options["use_edit_page_button"]
    assert options["launch_buttons"] == {"notebook_interface": "jupyterlab", "thebe": False}


def test_buttons_come_on_with_a_repository() -> None:
    options = notebooks_download.repository_buttons(
        {"repository_url": "https://github.com/o/r", "launch_buttons": LAUNCH}
    )
    assert options["use_repository_button"] and options["use_issues_button"]
    assert options["launch_buttons"] == {**LAUNCH, "thebe": False}  # no CDN kernels
    assert not options["use_download_button"]


def test_config_switch_is_what_sphinx_gets() -> None:
    """The project's _config.yml, as jupyter-book turns it into Sphinx options, then
    the extension's switch: off by default, on once a repository is named."""
    from jupyter_book.config import get_final_config

    from ictstory.site.sphinx_ext import _switch_repository_buttons

    class App:
        confdir = str(ROOT)

    def sphinx_options(repository: str) -> dict:
        import yaml

        config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
        config["repository"] = {"url": repository}
        config["launch_buttons"]["binderhub_url"] = "https://mybinder.org"
        final, _ = get_final_config(
            user_yaml=config, cli_config={"latex_individualpages": False}, sourcedir=ROOT
        )

        class Config:
            html_theme_options = final["html_theme_options"]

        _switch_repository_buttons(App(), Config)  # type: ignore[arg-type]
        return Config.html_theme_options

    default = sphinx_options("")
    assert not default["use_repository_button"] and not default["use_issues_button"]
    assert "binderhub_url" not in default["launch_buttons"]
    named = sphinx_options("https://github.com/o/r")
    assert named["use_repository_button"] and named["use_issues_button"]
    assert named["repository_url"] == "https://github.com/o/r"
    assert named["launch_buttons"]["binderhub_url"] == "https://mybinder.org"


def test_a_chapter_gives_the_same_notebook_bytes_every_time() -> None:
    """No random cell ids: two builds publish byte-identical notebooks."""
    markdown = (ROOT / "chapters" / "postal.md").read_text(encoding="utf-8")
    first = notebooks_download.notebook_json(markdown)
    assert first == notebooks_download.notebook_json(markdown)
    assert '"id": "cell-1"' in first
