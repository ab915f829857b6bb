"""Every chapter page offers its notebook and its source (issue 23), and the theme's
repository and launch buttons follow ``repository.url``.

* :func:`write_chapter_files` writes, for every chapter of an edition (a MyST
  notebook under ``chapters/``), ``_downloads/notebooks/<chapter>.ipynb`` (not
  executed: ``jupytext --to ipynb`` of the chapter, without jupytext's pairing
  metadata, so saving it in JupyterLab writes only the notebook) and a copy of
  ``<chapter>.md``, into a folder the site publishes as it is.
* :func:`run_box` is the "Run this chapter" box put at the top of every chapter
  page: both downloads, how to open the chapter in the project's JupyterLab
  (``make lab``) and the data package. Every link is relative: the site stays
  offline.
* :func:`repository_buttons` switches the theme's Repository, Issues and launch
  (Binder, JupyterHub, Colab) buttons on only when ``repository.url`` is set;
  without one (the default) nothing on a page points to another host.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ictstory.story.words import Wordbook

#: Where the chapter files go, relative to an edition's root.
FOLDER = "_downloads/notebooks"
NOTEBOOK_MARKER = "jupytext:"
CODE_CELL = "```{code-cell}"
#: The theme's buttons that link to the repository.
REPOSITORY_BUTTONS = ("use_repository_button", "use_issues_button")
#: Buttons that stay off whatever the configuration: the edit button needs a
#: writable repository, the theme's download button the page sources (our box
#: offers the notebook and the source instead), thebe remote kernels from a CDN.
ALWAYS_OFF = ("use_edit_page_button", "use_source_button", "use_download_button")
LAUNCH_HUBS = ("binderhub_url", "jupyterhub_url", "colab_url", "jupyterlite_url")


def is_chapter(docname: str, source: Path) -> bool:
    """Whether a page is a chapter to run: a MyST notebook under ``chapters/`` with
    code (the trainers' page has none)."""
    if not docname.startswith("chapters/") or source.suffix != ".md" or not source.is_file():
        return False
    text = source.read_text(encoding="utf-8")
    return text.lstrip().startswith("---") and NOTEBOOK_MARKER in text[:2000] and CODE_CELL in text


def notebook_json(markdown: str) -> str:
    """The chapter as an unexecuted ``.ipynb`` (nbformat 4), without jupytext metadata."""
    import jupytext

    notebook = jupytext.reads(markdown, fmt="md:myst")
    notebook.metadata.pop("jupytext", None)
    # nbformat gives new cells random ids: number them, so that the same chapter
    # always gives the same bytes (two builds publish identical sites)
    for number, cell in enumerate(notebook.cells, 1):
        cell["id"] = f"cell-{number}"
    return jupytext.writes(notebook, fmt="ipynb")


def _write_if_changed(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def write_chapter_files(srcdir: Path, target: Path) -> list[str]:
    """Write every chapter's ``.ipynb`` and ``.md`` under ``target/FOLDER``; the
    chapter names, sorted. Files of chapters that no longer exist are removed."""
    out = target / FOLDER
    names = []
    for source in sorted((srcdir / "chapters").glob("*.md")):
        if not is_chapter(f"chapters/{source.stem}", source):
            continue
        text = source.read_text(encoding="utf-8")
        _write_if_changed(out / f"{source.stem}.md", text)
        _write_if_changed(out / f"{source.stem}.ipynb", notebook_json(text))
        names.append(source.stem)
    if out.is_dir():
        for stale in out.iterdir():
            if stale.stem not in names:
                stale.unlink()
    return names


#: The box's words, per edition.
WORDS = Wordbook(
    "run-box",
    ("title", "download", "lab", "data"),
)


def run_box(edition: str, chapter: str, to_root: str) -> str:
    """The "Run this chapter" box of one chapter page, as HTML; ``to_root`` is the
    relative path from the page to the edition's root (ending with ``/`` or empty)."""
    words = WORDS[edition]
    base = f"{to_root}{FOLDER}/{chapter}"

    def link(href: str, text: str) -> str:
        return f'<a href="{html.escape(href)}" download><code>{html.escape(text)}</code></a>'

    def code(text: str) -> str:
        return f"<code>{html.escape(text)}</code>"

    parts = {
        "ipynb": link(f"{base}.ipynb", f"{chapter}.ipynb"),
        "md": link(f"{base}.md", f"{chapter}.md"),
        "make_lab": code("make lab"),
        "path": code(f"{'vi/' if edition == 'vi' else ''}chapters/{chapter}.md"),
        "folder": code(f"{'vi/' if edition == 'vi' else ''}chapters/"),
        "zip": link(f"{to_root}downloads/ictstory-data.zip", "ictstory-data.zip"),
        "data": code("data/"),
    }
    def filled(text: str) -> str:
        """The word escaped (it is data), then its {names} replaced by their HTML."""
        text = html.escape(text)
        for name, part in parts.items():
            text = text.replace("{" + name + "}", part)
        return text

    body = "".join(f"<p>{filled(words[key])}</p>" for key in ("download", "lab", "data"))
    return (
        f'<div class="admonition ictstory-run" role="note">'
        f'<p class="admonition-title">{html.escape(words["title"])}</p>{body}</div>'
    )


def add_run_box(body: str, box: str) -> str:
    """``body`` with ``box`` at its end: a reader meets the story first, and an analyst
    finds the notebook where the chapter ends."""
    return body + box


def repository_buttons(options: Mapping[str, Any]) -> dict[str, Any]:
    """The theme options with the repository and launch buttons switched on only
    when ``repository_url`` is set (jupyter-book copies it from ``repository.url``).

    With a URL: Repository and Issues buttons, and a launch button for each hub
    ``launch_buttons`` names (``binderhub_url``, ``jupyterhub_url``, ``colab_url``).
    Without: none of them, whatever else the configuration says. Thebe and the
    edit, source and download buttons are always off."""
    result = dict(options)
    url = str(result.get("repository_url") or "").strip()
    for key in REPOSITORY_BUTTONS:
        result[key] = bool(url)
    for key in ALWAYS_OFF:
        result[key] = False
    launch = dict(result.get("launch_buttons") or {})
    launch["thebe"] = False
    if not url:
        launch = {key: value for key, value in launch.items() if key not in LAUNCH_HUBS}
    result["launch_buttons"] = launch
    return result
