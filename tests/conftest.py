"""Shared fixtures: the project root and the built site."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("ICTSTORY_SITE", ROOT / "_build" / "html"))


@pytest.fixture(scope="session")
def site() -> Path:
    """The built site; `make test` builds it first."""
    if not (SITE / "index.html").is_file():
        pytest.fail("no built site in _build/html: run `make book` first (make test does)")
    return SITE


def site_pages(site_dir: Path) -> list[Path]:
    """Every HTML page of the book (not the theme's own static files)."""
    return sorted(p for p in site_dir.rglob("*.html") if "_static" not in p.parts)
