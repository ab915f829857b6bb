"""The data package as downloads on the site: its declared files and one zip of them.

:func:`write_downloads` copies the files the descriptor declares (itself, every
resource, the source text of every row of ``sources.csv``: see
:mod:`ictstory.data.datafiles`) to a folder that Sphinx publishes as
``<site>/downloads/`` (``html_extra_path``) and adds ``ictstory-data.zip``, made
reproducibly (sorted names, fixed timestamps), so the same data give the same
bytes. Nothing else in ``data/`` is published, and a declared file that is a
symbolic link or not a regular file stops it. :func:`download_table` lists them
for the data page.
"""

from __future__ import annotations

import html
import os
import shutil
import zipfile
from pathlib import Path

from ictstory.data import datafiles
from ictstory.i18n import lang
from ictstory.paths import data_dir
from ictstory.story.reference import HTMLTable, descriptor, localized
from ictstory.story.words import word

ZIP_NAME = "ictstory-data.zip"
SITE_FOLDER = "downloads"  # not "data": exclude_patterns would drop it
FIXED_TIME = (2021, 1, 1, 0, 0, 0)


def _files(source: Path) -> list[tuple[str, bytes]]:
    """(path under ``data/``, bytes) of every published file, after the checks.

    Raises :class:`ValueError` naming the first file that ``make data`` refuses.
    """
    raw, problems = datafiles.load_descriptor(source / datafiles.DESCRIPTOR)
    if raw is not None:
        problems = datafiles.file_problems(raw, source)
    if raw is None or problems:
        raise ValueError(f"nothing published from data/: {problems[0]} (run make data)")
    files = []
    for rel in datafiles.declared(raw, source):
        path = datafiles.regular_file(source, rel)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            files.append((rel, handle.read()))
    return files


def write_zip(source: Path, target: Path) -> Path:
    """A reproducible zip of the published files of ``source`` (paths start with ``data/``)."""
    _write_zip(_files(source), target)
    return target


def _write_zip(files: list[tuple[str, bytes]], target: Path) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for rel, content in files:
            info = zipfile.ZipInfo(f"data/{rel}", FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)


def write_downloads(folder: Path, source: Path | None = None) -> Path:
    """Fill ``folder/downloads/`` with the published data files and the zip; returns ``folder``."""
    source = source or data_dir()
    files = _files(source)
    target = folder / SITE_FOLDER
    shutil.rmtree(target, ignore_errors=True)
    for rel, content in files:
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(content)
    _write_zip(files, target / ZIP_NAME)
    return folder


def download_table(prefix: str = "../") -> HTMLTable:
    """Links to the zip, the descriptor and each table's CSV, with their sizes."""
    source = data_dir()
    rows = [
        (
            ZIP_NAME,
            word("downloads.the-whole-data-package-descriptor-tables"),
            None,
        )
    ]
    rows.append(
        (
            "datapackage.json",
            word("downloads.the-frictionless-descriptor-fields-types-keys"),
            "datapackage.json",
        )
    )
    rows += [
        (r["path"], localized(r, "title", r["name"]), r["path"]) for r in descriptor()["resources"]
    ]
    cells = []
    for name, what, path in rows:
        size = (source / path).stat().st_size if path else None
        href = html.escape(f"{prefix}{SITE_FOLDER}/{name}", quote=True)
        label = f'<a href="{href}" download><code>{html.escape(name)}</code></a>'
        kb = (
            f"{size / 1024:,.0f} KB"
            if size is not None
            else word("word.all-of-these")
        )
        if lang() == "vi":
            kb = kb.translate(str.maketrans({",": ".", ".": ","}))
        cells.append(f"<tr><td>{label}</td><td>{html.escape(what)}</td><td>{kb}</td></tr>")
    head = "".join(
        f'<th scope="col">{html.escape(word(key))}</th>'
        for key in ("word.file", "word.what-it-holds", "word.size")
    )
    return HTMLTable(
        '<div class="ictstory-table"><table class="table"><thead><tr>'
        f"{head}</tr></thead><tbody>{''.join(cells)}</tbody></table></div>"
    )
