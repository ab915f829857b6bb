"""The data package as downloads on the site: its declared files and one zip of them.

:func:`write_downloads` copies the files the descriptor declares (itself, every
resource, the source text of every row of ``sources.csv``: see
:mod:`ictstory.data.datafiles`) to a folder that Sphinx publishes as
``<site>/downloads/`` (``html_extra_path``) and adds ``ictstory-data.zip``, made
reproducibly (sorted names, fixed timestamps), so the same data give the same
bytes. Nothing else in ``data/`` is published, and a declared file that is a
symbolic link or not a regular file stops it.
:func:`ictstory.story.datapage.download_table` lists them for the data page.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

from ictstory.data import datafiles
from ictstory.paths import data_dir
from ictstory.story.datapage import SITE_FOLDER, ZIP_NAME

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
