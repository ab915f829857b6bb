"""Shared fixtures: the project root and the built site."""

from __future__ import annotations

import contextlib
import csv
import functools
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
#: The published site: the root page and one folder per edition.
SITE_ROOT = Path(os.environ.get("ICTSTORY_SITE", ROOT / "_build" / "html"))
SITE = SITE_ROOT / "en"
SITE_VI = SITE_ROOT / "vi"


def _built(edition: Path) -> Path:
    if not (edition / "index.html").is_file():
        pytest.fail(f"no built site in {edition}: run `make book` first (make test does)")
    return edition


@pytest.fixture(scope="session")
def site() -> Path:
    """The English edition of the built site; `make test` builds it first."""
    return _built(SITE)


@pytest.fixture(scope="session")
def site_vi() -> Path:
    """The Vietnamese edition of the built site."""
    return _built(SITE_VI)


@pytest.fixture(scope="session")
def site_root() -> Path:
    """The whole published site: the root page and both editions."""
    _built(SITE)
    _built(SITE_VI)
    return SITE_ROOT


def site_pages(site_dir: Path) -> list[Path]:
    """Every HTML page of the book (not the theme's own static files)."""
    return sorted(p for p in site_dir.rglob("*.html") if "_static" not in p.parts)


def book_pages(site_dir: Path) -> list[Path]:
    """The themed pages of the book: every page but the slide decks (test_slides)."""
    return [p for p in site_pages(site_dir) if "slides" not in p.relative_to(site_dir).parts]


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (a free port) while the block runs; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1."""
    with serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, driven by Playwright."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make browser` (make test does)")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class PageLog:
    """What one page did: console errors, failed and off-site requests."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.offsite: list[str] = []


def open_page(browser: Browser, server: str, path: str, **context: object) -> tuple[Page, PageLog]:
    log = PageLog()
    ctx = browser.new_context(**context)  # type: ignore[arg-type]
    host = urlparse(server).netloc

    def route(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        parsed = urlparse(url)
        if parsed.scheme in ("http", "https", "ws", "wss") and parsed.netloc != host:
            log.offsite.append(url)
            route.abort()  # type: ignore[attr-defined]
        else:
            route.continue_()  # type: ignore[attr-defined]

    ctx.route("**/*", route)
    page = ctx.new_page()
    page.on("console", lambda m: log.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.errors.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: log.failed.append(f"{r.url} ({r.failure})"))
    page.on(
        "response",
        lambda r: log.failed.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else None,
    )
    page.goto(f"{server}/{path}", wait_until="load")
    return page, log


#: axe-core, pinned in package-lock.json; `make axe` installs it with `npm ci`.
AXE_CORE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def axe_source() -> str:
    """axe-core's script, the version package-lock.json pins; fails (never skips) without it."""
    if not AXE_CORE.is_file():
        pytest.fail(f"axe-core not found at {AXE_CORE}: run `make axe` (make test does)")
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"]["node_modules/axe-core"]["version"]
    installed = json.loads((AXE_CORE.parent / "package.json").read_text(encoding="utf-8"))
    if installed["version"] != pinned:
        found = installed["version"]
        pytest.fail(f"axe-core {found} installed, {pinned} pinned: run `make axe`")
    return AXE_CORE.read_text(encoding="utf-8")


def wait_for_charts(page: Page) -> int:
    """Wait until every chart of the page is interactive. The chart libraries load when
    a chart nears the viewport (on a phone), so scroll the first chart into view."""
    count = page.locator(".ictstory-chart").count()
    if count:
        page.locator(".ictstory-chart").first.scroll_into_view_if_needed()
        page.wait_for_function(
            "() => [...document.querySelectorAll('.ictstory-chart')]"
            ".every(f => f.dataset.rendered)",
            timeout=20_000,
        )
    page.wait_for_load_state("networkidle")
    return count


# --- Builds in a temporary copy of the project -------------------------------------------

COPY_IGNORE = shutil.ignore_patterns(
    ".venv",
    ".git",
    "_build",
    "node_modules",
    ".pytest_cache",
    ".ruff_cache",
    "__pycache__",
    "*.egg-info",
)


def copy_project(target: Path, with_cache: bool = True) -> Path:
    """A copy of the project (no site, no venv); with the executed-notebook cache if asked."""
    shutil.copytree(ROOT, target, ignore=COPY_IGNORE)
    for language in ("en", "vi"):
        cache = ROOT / "_build" / "stage" / language / "_build" / ".jupyter_cache"
        if with_cache and cache.is_dir():  # only what changed is executed again
            shutil.copytree(
                cache, target / "_build" / "stage" / language / "_build" / ".jupyter_cache"
            )
    return target


def build_env(project: Path, **extra: str) -> dict[str, str]:
    """The environment of a build of ``project``: its own data and its own package code."""
    return {
        "ICTSTORY_ROOT": str(project),
        "PYTHONPATH": str(project / "src"),
        "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/root"),
        **extra,
    }


def run_build(project: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """``python -m ictstory.build`` in ``project``; output captured."""
    return subprocess.run(
        [sys.executable, "-m", "ictstory.build", *args],
        cwd=project,
        env=build_env(project, **extra),
        capture_output=True,
        text=True,
        timeout=1200,
    )


def site_files(site_dir: Path) -> dict[str, bytes]:
    """Every file of a built site by relative path (for byte-for-byte comparisons)."""
    return {
        p.relative_to(site_dir).as_posix(): p.read_bytes()
        for p in sorted(site_dir.rglob("*"))
        if p.is_file()
    }


def read_rows(path: Path) -> list[list[str]]:
    """Every row of a CSV file of data/, header first."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    """Write rows as UTF-8 CSV with ``\\n`` line ends, as data/ keeps them."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
