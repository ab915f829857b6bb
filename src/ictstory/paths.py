"""Where things live in the project tree."""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The project root: ``$ICTSTORY_ROOT`` or the nearest parent holding ``_config.yml``."""
    env = os.environ.get("ICTSTORY_ROOT")
    if env:
        return Path(env).resolve()
    for start in (Path.cwd(), Path(__file__).resolve().parent):
        for candidate in (start, *start.parents):
            if (candidate / "_config.yml").is_file() and (candidate / "data").is_dir():
                return candidate
    raise FileNotFoundError("cannot find the project root (a folder with _config.yml and data/)")


def data_dir() -> Path:
    """The folder holding ``datapackage.json`` and the CSV tables."""
    return project_root() / "data"


def descriptor_path() -> Path:
    """The Frictionless data package descriptor."""
    return data_dir() / "datapackage.json"


def sources_dir() -> Path:
    """The texts of the source documents: ``data/sources/<source_id>.txt``."""
    return data_dir() / "sources"
