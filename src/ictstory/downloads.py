"""The data package as downloads on the site: every file of ``data/`` and one zip of them.

:func:`write_downloads` copies ``data/`` to a folder that Sphinx publishes as
``<site>/downloads/`` (``html_extra_path``) and adds ``ictstory-data.zip``, made
reproducibly (sorted names, fixed timestamps), so the same data give the same
bytes. :func:`download_table` lists them for the data page.
"""

from __future__ import annotations

import html
import shutil
import zipfile
from pathlib import Path

from ictstory.i18n import lang, tr
from ictstory.paths import data_dir
from ictstory.reference import HTMLTable, descriptor, localized

ZIP_NAME = "ictstory-data.zip"
SITE_FOLDER = "downloads"  # not "data": exclude_patterns would drop it
FIXED_TIME = (2021, 1, 1, 0, 0, 0)


def _files(source: Path) -> list[Path]:
    return sorted(p for p in source.rglob("*") if p.is_file() and not p.name.startswith("."))


def write_zip(source: Path, target: Path) -> Path:
    """A reproducible zip of every file under ``source`` (paths start with ``data/``)."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in _files(source):
            info = zipfile.ZipInfo(f"data/{path.relative_to(source).as_posix()}", FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return target


def write_downloads(folder: Path, source: Path | None = None) -> Path:
    """Fill ``folder/downloads/`` with the data files and the zip; returns ``folder``."""
    source = source or data_dir()
    target = folder / SITE_FOLDER
    shutil.rmtree(target, ignore_errors=True)
    for path in _files(source):
        dest = target / path.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
    write_zip(source, target / ZIP_NAME)
    return folder


def download_table(prefix: str = "../") -> HTMLTable:
    """Links to the zip, the descriptor and each table's CSV, with their sizes."""
    source = data_dir()
    rows = [
        (
            ZIP_NAME,
            tr(
                "the whole data package (descriptor, tables, source texts)",
                "toàn bộ gói dữ liệu (bản mô tả, các bảng, văn bản nguồn)",
            ),
            None,
        )
    ]
    rows.append(
        (
            "datapackage.json",
            tr(
                "the Frictionless descriptor: fields, types, keys",
                "bản mô tả Frictionless: các trường, kiểu dữ liệu, khóa",
            ),
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
            else tr("all of these", "tất cả các tệp trên")
        )
        if lang() == "vi":
            kb = kb.translate(str.maketrans({",": ".", ".": ","}))
        cells.append(f"<tr><td>{label}</td><td>{html.escape(what)}</td><td>{kb}</td></tr>")
    head = tr(
        '<th scope="col">file</th><th scope="col">what it holds</th><th scope="col">size</th>',
        '<th scope="col">tệp</th><th scope="col">nội dung</th><th scope="col">dung lượng</th>',
    )
    return HTMLTable(
        '<div class="ictstory-table"><table class="table"><thead><tr>'
        f"{head}</tr></thead><tbody>{''.join(cells)}</tbody></table></div>"
    )
