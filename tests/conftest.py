"""Shared fixtures: the project root and the built site; the test tiers.

A test's tier follows from the fixtures it uses (:func:`pytest_collection_modifyitems`):
one that needs the built site is marked ``site``, one that drives Chromium ``browser``,
one that executes chapter code in a Jupyter kernel ``kernel``, and one that builds the
book in a temporary copy ``slow``. ``make check`` runs ``-m`` :data:`FAST`, so no test
can reach the fast tier while it needs a build, a browser or a kernel: one that copies
the project, builds or starts a kernel in-process anyway fails and names the fixture to
request. Explicit markers still add to these.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import functools
import hashlib
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from ictstory.site.execute import cache_lock
from ictstory.site.paint_first import SCRIPTS_READY
from ictstory.trainers.exercises import Exercise
from ictstory.trainers.exercises import run as _run_in_a_kernel

ROOT = Path(__file__).resolve().parents[1]
#: The published site: the root page and one folder per edition.
SITE_ROOT = Path(os.environ.get("ICTSTORY_SITE", ROOT / "_build" / "html"))
SITE = SITE_ROOT / "en"
SITE_VI = SITE_ROOT / "vi"

#: The fixtures that need more than the source tree, and the marker each gives a test
#: that uses it, directly or through another fixture.
FIXTURE_MARKERS = {
    "site": "site",
    "site_vi": "site",
    "site_root": "site",
    "browser": "browser",
    "kernel": "kernel",
    "project_copy": "slow",
}
#: The markers that keep a test out of the fast tier.
TIERS = ("site", "browser", "kernel", "slow")
#: The fast tier's marker expression (the Makefile's ``check`` target passes the same).
FAST = "not site and not browser and not kernel and not slow"


#: Test files whose tests share one session's work, so one test worker runs them all:
#: the handouts' answer keys reuse the kernel tier's exercise runs (:func:`run_exercise`).
SHARED_WORK = {"test_exercises.py": "exercises", "test_handouts.py": "exercises"}


def work_unit(nodeid: str) -> str:
    """The unit of work a test goes to one worker with: its file, or the name of the
    files that share work (:data:`SHARED_WORK`)."""
    path = nodeid.split("::", 1)[0]
    return SHARED_WORK.get(Path(path).name, path)


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """With ``--dist loadfile`` (``make test``: ``pytest -n auto``) each worker gets whole
    files (:func:`work_unit`), so a file's module fixtures are made once and its tests
    run in the order written. (pytest-xdist's own ``loadgroup`` reads groups from a node
    id attribute that pytest 9.2 no longer has: each test went to whichever worker was
    free, and the slow tier's module builds were made twice.) Any other ``--dist``
    keeps xdist's own scheduler: ``make check`` balances single tests (``load``)."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByFile(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return ByFile(config, log)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test by the fixtures it uses (its whole fixture closure)."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        # A parameter whose value names a fixture (``request.getfixturevalue(edition)``
        # with ``edition`` in ["site", "site_vi"]) uses that fixture too.
        callspec = getattr(item, "callspec", None)
        if callspec is not None:
            used |= {v for v in callspec.params.values() if isinstance(v, str)}
        for name in sorted(used & FIXTURE_MARKERS.keys()):
            item.add_marker(FIXTURE_MARKERS[name])


_running: list[pytest.Item] = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> object:
    """Remember the running test (:func:`copy_project` checks its tier)."""
    _running.append(item)
    try:
        return (yield)
    finally:
        _running.pop()


def _outside_the_fast_tier(what: str, fixture: str = "project_copy") -> None:
    """Fail a test of the fast tier that reaches for ``what`` (a build, a kernel)."""
    if _running and not any(_running[-1].get_closest_marker(m) for m in TIERS):
        pytest.fail(
            f"{_running[-1].nodeid} uses {what} but is in the fast tier: "
            f"request the `{fixture}` fixture as an argument "
            f"(it marks the test {FIXTURE_MARKERS[fixture]})",
            pytrace=False,
        )


def pytest_configure(config: pytest.Config) -> None:
    """A Jupyter kernel started in this process checks the running test's tier."""
    from jupyter_client.manager import KernelManager

    prepare = KernelManager._async_pre_start_kernel  # every start, sync or async, calls it

    async def guarded(self: KernelManager, **kw: object) -> object:
        _outside_the_fast_tier("a Jupyter kernel", fixture="kernel")
        return await prepare(self, **kw)

    KernelManager._async_pre_start_kernel = guarded  # type: ignore[method-assign]


#: The outputs of every exercise run this session, by :func:`_exercise_key`.
_EXERCISE_RUNS: dict[tuple[str, ...], list[dict[str, object]]] = {}


def _exercise_key(exercise: Exercise, root: Path | None) -> tuple[str, ...]:
    """What an exercise's outputs depend on: the project, the chapter's text up to and
    with its Try-it, the solution's code (the data is the checkout's, fixed for a session)."""
    where = (root or ROOT).resolve()
    chapter = hashlib.sha256((where / exercise.chapter).read_bytes()).hexdigest()
    return (str(where), exercise.chapter.as_posix(), str(exercise.cell), chapter, exercise.code)


def run_exercise(
    exercise: Exercise, root: Path | None = None, timeout: int = 300
) -> list[dict[str, object]]:
    """:func:`ictstory.trainers.exercises.run`, once a session for the same exercise.

    The kernel tier (tests/test_exercises.py) and the answer keys of the handouts
    (tests/test_handouts.py) need the same outputs of the same runs: the second asker
    gets a copy of the first run's outputs. A run that fails is not kept (it fails
    again for the next asker). The run is the function bound at import: the handouts'
    fixture patches ``exercises.run`` with this one, which must not call itself."""
    key = _exercise_key(exercise, root)
    if key not in _EXERCISE_RUNS:
        _EXERCISE_RUNS[key] = _run_in_a_kernel(exercise, root, timeout=timeout)
    return copy.deepcopy(_EXERCISE_RUNS[key])


@pytest.fixture
def kernel() -> Callable[..., list[dict[str, object]]]:
    """Runs an exercise in its chapter's context in a Jupyter kernel
    (:func:`run_exercise`: at most once a session); marks the test ``kernel``."""
    return run_exercise


def _built(edition: Path) -> Path:
    _outside_the_fast_tier("the built site", fixture="site")  # e.g. by getfixturevalue
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
    """Every HTML page of the book (not the theme's own static files, nor the 404 pages
    of ictstory.build.publish, which are no book pages: tests/test_publish.py checks them,
    nor the charts' embed pages of ictstory.site.embed: tests/test_share.py checks them)."""
    return sorted(
        p
        for p in site_dir.rglob("*.html")
        if "_static" not in p.parts and p.name != "404.html" and p.parent.name != "embed"
    )


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
    if context.get("java_script_enabled", True):  # else the page's scripts never run
        wait_for_scripts(page)
    return page, log


def wait_for_scripts(page: Page, timeout: int = 30_000) -> None:
    """Wait until the page's scripts (theme, copy buttons, chart loader) have run: they
    are added after its first paint (:mod:`ictstory.site.paint_first`)."""
    page.wait_for_function(SCRIPTS_READY, timeout=timeout)


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


def next_frame(page: Page) -> None:
    """Wait until the page has drawn a frame after everything it has done so far."""
    page.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )


#: Resolves once nothing in the matched elements has been resized, added, removed or
#: re-rendered for ``quiet`` ms of the page's own clock (a chart redraws 200 ms after
#: its column changes width: ictstory-charts.js), or rejects after ``limit`` ms.
_STILL = """([selector, quiet, limit]) => new Promise((done, fail) => {
  const targets = [...document.querySelectorAll(selector)];
  let timer = null;
  const stop = () => { clearTimeout(timer); clearTimeout(give_up); seen.disconnect();
                       changed.disconnect(); };
  const moved = () => { clearTimeout(timer); timer = setTimeout(() => { stop(); done(true); },
                                                                  quiet); };
  const give_up = setTimeout(() => { stop(); fail(new Error(selector + ' kept changing')); },
                             limit);
  const seen = new ResizeObserver(moved);
  const changed = new MutationObserver(moved);
  for (const target of targets) {
    seen.observe(target);
    changed.observe(target, {childList: true, subtree: true, attributes: true,
                             attributeFilter: ['data-rendered', 'class', 'width', 'viewBox']});
  }
  moved();
})"""


def wait_until_still(page: Page, selector: str, quiet: int = 500, limit: int = 30_000) -> None:
    """Wait until the elements ``selector`` matches have stopped changing (size or content)
    for ``quiet`` ms: a layout that has settled, not a guessed pause."""
    page.evaluate(_STILL, [selector, quiet, limit])


def wait_for_charts(page: Page) -> int:
    """Wait until every chart of the page is interactive and drawn for its column.

    On a phone the chart libraries load at the reader's first act (a key here: the
    static drawings are the charts' facade until then), on a wide screen when a chart
    is in view, so the first chart is scrolled into view too; a chart is drawn
    interactively only when reached, so the page is then asked to draw them all
    (``window.ictstoryCharts.drawAll``). A chart whose column changed width after it
    was drawn (the page's layout settling, slowly on a loaded machine) is drawn again:
    the charts must also have stopped changing before anyone measures them."""
    wait_for_scripts(page)  # the chart loader listens for the first act once it has run
    count = page.locator(".ictstory-chart").count()
    if count:
        page.locator(".ictstory-chart").first.scroll_into_view_if_needed()
        page.keyboard.press("Shift")
        page.wait_for_function("() => window.ictstoryCharts", timeout=20_000)
        page.evaluate("() => window.ictstoryCharts.drawAll()")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.ictstory-chart')]"
            ".every(f => f.dataset.rendered)",
            timeout=20_000,
        )
    page.wait_for_load_state("networkidle")
    if count:
        wait_until_still(page, ".ictstory-chart")
        page.wait_for_function(
            "() => !document.querySelector('.ictstory-chart__live--pending')"
            " && [...document.querySelectorAll('.ictstory-chart')]"
            ".every(f => f.dataset.rendered)",
            timeout=20_000,
        )
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
    """A copy of the project (no site, no venv); with the executed-notebook cache if asked,
    and the records of what each chapter read (``_build/deps``), so that a chapter
    executes again in the copy only when something it read is different there.

    Only for tests outside the fast tier: the ``project_copy`` fixture marks a test slow."""
    _outside_the_fast_tier("a copy of the project")
    shutil.copytree(ROOT, target, ignore=COPY_IGNORE)
    for language in ("en", "vi"):
        cache = ROOT / "_build" / "stage" / language / "_build" / ".jupyter_cache"
        if with_cache and cache.is_dir():  # only what changed is executed again
            with cache_lock(cache):  # never a record without its notebook (ictstory.site.execute)
                shutil.copytree(
                    cache, target / "_build" / "stage" / language / "_build" / ".jupyter_cache"
                )
                records = ROOT / "_build" / "deps" / language
                if records.is_dir():
                    shutil.copytree(records, target / "_build" / "deps" / language)
    return target


@pytest.fixture
def project_copy(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """Make copies of the project to build in (:func:`copy_project`); marks the test slow."""

    def make(name: str = "book", with_cache: bool = True) -> Path:
        return copy_project(tmp_path_factory.mktemp(name) / "book", with_cache=with_cache)

    return make


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
    _outside_the_fast_tier("a build of the book")
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
