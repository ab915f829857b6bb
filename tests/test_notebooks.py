"""Chapters as notebooks: charts draw without the page script, JupyterLab runs offline,
glued values are readable, and an .ipynb beside a chapter never breaks the build.

* Static SVG charts: every ``show()`` puts a vl-convert SVG in its HTML, so a
  chapter executed by ``jupyter nbconvert --execute --to html`` (with no network)
  holds one drawn chart per ``show()`` call.
* JupyterLab: started as ``make lab`` starts it (token-less, on a free port of
  127.0.0.1, in a temporary copy), a chapter opens as a notebook in Debian's
  Chromium, runs, and draws every chart; a request to another host is blocked
  and fails the test.
* The book: the static SVG is replaced by the interactive chart, and stays
  (scaled to 320 px) for a reader without JavaScript.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import altair as alt
import jupytext
import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import (
    ROOT,
    build_env,
    copy_project,
    open_page,
    wait_for_charts,
    wait_until_still,
)
from playwright.sync_api import Browser, Page
from sphinx.util.matching import Matcher

from ictstory.build import lab as lab_module
from ictstory.data import load_table
from ictstory.story import notebook
from ictstory.story.charts import script_safe, show, spec_json

CHAPTER = "postal"
BIN = Path(sys.executable).parent
STATIC_SVG = re.compile(r'<svg class="ictstory-chart__static"[^>]*>')


def _show_calls(chapter: str) -> int:
    """How many charts a chapter draws: ``st.chart(`` calls in its code cells."""
    nb = jupytext.read(ROOT / "chapters" / f"{chapter}.md", fmt="md:myst")
    return sum(
        len(re.findall(r"(?<![\w.])st\.chart\(", cell.source))
        for cell in nb.cells
        if cell.cell_type == "code"
    )


def _chapters_with_code() -> list[Path]:
    return [
        p
        for p in sorted((ROOT / "chapters").glob("*.md"))
        if "```{code-cell}" in p.read_text(encoding="utf-8")
    ]


# --- Static SVG in every chart (fast) ------------------------------------------------------


@pytest.fixture(scope="module")
def small_chart() -> alt.Chart:
    source = str(load_table("sources")["source_id"].iloc[0])
    rows = pd.DataFrame(
        {"label": ["a < b & c", "d"], "value": [1.5, 2.25], "source_id": [source, source]}
    )
    return (
        alt.Chart(rows)
        .mark_bar(clip=True)
        .encode(x="value:Q", y="label:N")
        .properties(title="Two bars that show a finding <here>")
    )


def test_show_puts_an_accessible_static_svg_in_the_view(small_chart: alt.Chart) -> None:
    markup = show(small_chart, alt_text="Bar chart of two made-up values for a test").markup
    soup = BeautifulSoup(markup, "html.parser")
    view = soup.select_one("figure.ictstory-chart > .ictstory-chart__view")
    assert view is not None
    assert view["role"] == "img"
    assert view["aria-label"] == "Bar chart of two made-up values for a test"
    svg = view.select_one("svg.ictstory-chart__static")
    assert svg is not None, "the view holds no static SVG"
    assert svg["aria-hidden"] == "true"
    # scales to its container: a viewBox, no fixed width or height, never wider than drawn
    assert re.fullmatch(r"0 0 640 \d+(\.\d+)?", svg["viewbox"])
    assert "width" not in svg.attrs and "height" not in svg.attrs
    assert "width:100%" in svg["style"] and "max-width:640px" in svg["style"]
    # the light theme is applied: axis titles in the theme's text colour and size; the
    # chart's title is the figure's caption, not drawn again (issue 9)
    assert 'fill="#1f2328"' in markup and 'font-size="13px"' in markup
    assert "finding &lt;here&gt;</text>" not in str(svg)
    # the text is escaped, the marks' own ARIA labels are gone
    assert "a &lt; b &amp; c" in str(svg) and "aria-label" not in str(svg)


def test_static_svg_ids_are_unique_per_chart(small_chart: alt.Chart) -> None:
    first = show(small_chart, alt_text="Bar chart of two made-up values for a test")
    second = show(
        small_chart.properties(title="Another title"), alt_text="The same bars, another title"
    )
    ids = [re.findall(r'\sid="([^"]+)"', c.markup) for c in (first, second)]
    assert ids[0] and ids[1], "the clipped chart should define a clip path"
    assert not set(ids[0]) & set(ids[1])
    for chart, chart_ids in zip((first, second), ids, strict=True):
        refs = re.findall(r"url\(#([^)]+)\)", chart.markup)
        assert refs and set(refs) <= set(chart_ids), "a reference points to another chart's id"


def test_chart_json_stays_script_safe(small_chart: alt.Chart) -> None:
    chart = show(small_chart, alt_text="Bar chart of two made-up values for a test")
    script = re.search(
        r'<script type="application/json" class="ictstory-chart__spec">(.*?)</script>',
        chart.markup,
        re.S,
    )
    assert script is not None
    assert script.group(1) == script_safe(spec_json(chart.spec))
    assert "<" not in script.group(1)


def test_chart_html_is_what_jupyter_shows(small_chart: alt.Chart) -> None:
    """Jupyter and myst-nb both take the chart's text/html, which holds the SVG."""
    from IPython.core.formatters import DisplayFormatter

    chart = show(small_chart, alt_text="Bar chart of two made-up values for a test")
    data, _ = DisplayFormatter().format(chart)
    assert STATIC_SVG.search(data["text/html"])
    assert set(data) == {"text/html", "text/plain"}


# --- Glued values in Jupyter (fast) ---------------------------------------------------------


def test_glue_text_records_what_glued_table_shows() -> None:
    from ictstory.story.prose import glue_text

    glue_text("test_notebooks_value", "over <5> & more")
    table = notebook.glued_table()
    assert table.values["test_notebooks_value"] == "over <5> & more"
    html = table._repr_html_()
    assert "<td>over &lt;5&gt; &amp; more</td>" in html
    assert "test_notebooks_value" in repr(table)
    assert list(table.frame.columns) == ["name", "text"]


@pytest.mark.parametrize("chapter", [p.stem for p in _chapters_with_code()])
def test_setup_cell_ends_with_glued_table(chapter: str) -> None:
    nb = jupytext.read(ROOT / "chapters" / f"{chapter}.md", fmt="md:myst")
    setup = next(c for c in nb.cells if c.cell_type == "code")
    assert "remove-cell" in setup.metadata.get("tags", []), "the book must not show it"
    last = setup.source.rstrip().splitlines()[-1]
    assert last.startswith("st.glued_table()")


# --- JupyterLab settings (fast) ------------------------------------------------------------


def test_lab_settings_open_chapters_as_notebooks_and_stay_offline(tmp_path: Path) -> None:
    from jupyterlab.labapp import LabApp

    assert lab_module.lab_settings_path() == Path(LabApp().app_settings_dir) / "overrides.json"
    target = tmp_path / "overrides.json"
    target.write_text(json.dumps({"@jupyterlab/other:plugin": {"x": 1}}))
    lab_module.write_lab_settings(path=target)
    settings = json.loads(target.read_text())
    viewers = settings["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers["markdown"] == "Jupytext Notebook"
    assert settings["@jupyterlab/apputils-extension:notification"] == {
        "fetchNews": "false",
        "checkForUpdates": False,
    }
    assert settings["@jupyterlab/extensionmanager-extension:plugin"] == {"enabled": False}
    assert settings["@jupyterlab/other:plugin"] == {"x": 1}, "other settings are kept"
    command = lab_module.lab_command(ROOT, 8888)
    assert "--ServerApp.ip=127.0.0.1" in command
    assert "--LabApp.news_url=None" in command
    assert "--LabApp.extension_manager=readonly" in command
    assert not any(c.startswith("--IdentityProvider.token") for c in command)


def test_make_lab_target() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^LAB_PORT \?= \d+$", makefile, re.M)
    recipe = r"^lab: setup .*\n\t.*-m ictstory\.build\.lab --port \$\(LAB_PORT\)"
    assert re.search(recipe, makefile, re.M)


# --- An .ipynb beside a chapter ------------------------------------------------------------


def test_config_leaves_out_ipynb_files() -> None:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    matches = Matcher(config["exclude_patterns"])
    assert matches("chapters/postal.ipynb")
    assert matches("index.ipynb")
    assert not matches("chapters/postal.md")
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    assert ".ipynb" not in toc and ".md" not in toc, "the toc names chapters without suffix"


def put_an_ipynb_beside_the_md(project: Path) -> None:
    """Convert the chapter to an .ipynb beside its .md that says something the .md does
    not (tests/test_rebuild.py builds a copy with it: the page must not say it)."""
    md = project / "chapters" / f"{CHAPTER}.md"
    subprocess.run(
        [str(BIN / "jupytext"), "--to", "ipynb", str(md)], check=True, capture_output=True
    )
    converted = md.with_suffix(".ipynb")
    assert converted.is_file()
    nb = json.loads(converted.read_text(encoding="utf-8"))
    heading = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    heading["source"] = "".join(heading["source"]).replace("# Postal services", "# IPYNB-COPY")
    converted.write_text(json.dumps(nb), encoding="utf-8")


def assert_built_from_the_md(project: Path, log: str) -> None:
    """The build of a copy made by :func:`put_an_ipynb_beside_the_md` read the .md only."""
    assert "multiple files found" not in log
    page = (project / "_build" / "html" / "en" / "chapters" / f"{CHAPTER}.html").read_text()
    assert "Postal services" in page and "IPYNB-COPY" not in page
    assert len(STATIC_SVG.findall(page)) == _show_calls(CHAPTER)


# --- nbconvert, no network -----------------------------------------------------------------

SOCKET_GUARD = textwrap.dedent(
    '''
    """Refuse and record every connection to a host other than this machine."""
    import os
    import socket

    _LOG = os.environ["ICTSTORY_OFFSITE_LOG"]
    _connect = socket.socket.connect
    _connect_ex = socket.socket.connect_ex

    def _local(address):
        if not isinstance(address, tuple):
            return True  # a Unix socket
        host = str(address[0])
        return host in ("localhost", "::1", "0.0.0.0") or host.startswith("127.")

    def _guard(method):
        def guarded(self, address):
            if not _local(address):
                with open(_LOG, "a") as log:
                    log.write(f"{address!r}\\n")
                raise OSError(f"no network in this test: {address!r}")
            return method(self, address)
        return guarded

    socket.socket.connect = _guard(_connect)
    socket.socket.connect_ex = _guard(_connect_ex)
    '''
)


def _no_network_prefix() -> list[str]:
    """Run in a network namespace with only loopback, where this machine allows it."""
    inner = 'ip link set lo up && exec "$@"'
    prefix = ["unshare", "--user", "--map-root-user", "--net", "sh", "-c", inner, "sh"]
    if shutil.which("unshare") and shutil.which("ip"):
        probe = subprocess.run([*prefix, "true"], capture_output=True, timeout=30)
        if probe.returncode == 0:
            return prefix
    return []


@pytest.mark.usefixtures("kernel")  # nbconvert executes the chapter in a kernel
def test_nbconvert_html_of_a_chapter_draws_every_chart_offline(tmp_path: Path) -> None:
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(SOCKET_GUARD, encoding="utf-8")
    offsite_log = tmp_path / "offsite.log"
    offsite_log.touch()
    converted = tmp_path / f"{CHAPTER}.ipynb"
    source = ROOT / "chapters" / f"{CHAPTER}.md"
    subprocess.run(
        [str(BIN / "jupytext"), "--to", "ipynb", "--output", str(converted), str(source)],
        check=True,
        capture_output=True,
    )
    env = {
        **os.environ,
        "ICTSTORY_ROOT": str(ROOT),
        "PYTHONPATH": os.pathsep.join([str(guard), str(ROOT / "src")]),
        "ICTSTORY_OFFSITE_LOG": str(offsite_log),
    }
    result = subprocess.run(
        [
            *_no_network_prefix(),
            *(str(BIN / "jupyter"), "nbconvert", "--execute", "--to", "html"),
            *("--ExecutePreprocessor.timeout=300", str(converted)),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    html = converted.with_suffix(".html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    drawn = soup.select(".ictstory-chart .ictstory-chart__view svg.ictstory-chart__static")
    assert len(drawn) == _show_calls(CHAPTER) >= 3
    assert all(svg.select("path, rect, line, text") for svg in drawn), "an SVG draws nothing"
    assert offsite_log.read_text() == "", "a connection to another host was attempted"
    assert soup.select_one(".ictstory-glued"), "the glued values table is missing"


# --- JupyterLab in Chromium -----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """JupyterLab as ``make lab`` runs it, token-less, in a temporary copy of the project."""
    tmp = tmp_path_factory.mktemp("lab")
    project = copy_project(tmp / "project", with_cache=False)
    settings = tmp / "settings"
    lab_module.write_lab_settings(path=settings / "overrides.json")
    port = _free_port()
    env = build_env(
        project,
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        JUPYTER_DATA_DIR=str(tmp / "data"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp / "user-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
    )
    command = lab_module.lab_command(
        project, port, token="", open_browser=False, settings_dir=settings
    )
    log = (tmp / "lab.log").open("w")
    server = subprocess.Popen(
        command, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status", timeout=5):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    output = (tmp / "lab.log").read_text()[-3000:]
                    pytest.fail(f"JupyterLab did not start:\n{output}")
                time.sleep(0.5)
        yield url
    finally:
        if server.poll() is None:  # its own process group (start_new_session): the server
            os.killpg(server.pid, signal.SIGTERM)  # stops its kernels, then exits
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
        log.close()


def _accept_kernel_choice(page: Page) -> bool:
    """Accept JupyterLab's "Select Kernel" dialog (the chapter's python3 preselected).

    Depending on when the list of kernels arrives, JupyterLab may ask which
    kernel to start instead of starting the notebook's own.
    """
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    if not dialog.count():
        return False
    dialog.get_by_role("button", name="Select", exact=True).click()
    return True


def _wait_until(page: Page, condition: str, arg: object, timeout: float, what: str) -> None:
    """Poll a page condition, accepting the kernel choice whenever JupyterLab asks."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _accept_kernel_choice(page)
        if page.evaluate(condition, arg):
            return
        page.wait_for_timeout(500)
    raise AssertionError(f"JupyterLab: {what} within {timeout:.0f} s")


@pytest.mark.browser
def test_jupyterlab_opens_a_chapter_as_a_notebook_and_draws_its_charts(
    browser: Browser, lab: str, tmp_path: Path
) -> None:
    expected = _show_calls(CHAPTER)
    page, log = open_page(
        browser, lab, f"lab/tree/chapters/{CHAPTER}.md", viewport={"width": 1280, "height": 900}
    )
    try:
        # the default viewer of a .md file is jupytext's notebook
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90_000)
        assert page.locator(".jp-FileEditor").count() == 0
        _wait_until(
            page,
            "() => [...document.querySelectorAll('.jp-StatusBar-TextItem')]"
            ".some(e => e.textContent.includes('| Idle'))",
            None,
            120,
            "the kernel did not start",
        )
        _accept_kernel_choice(page)
        page.locator(".lm-MenuBar-item", has_text="Run").first.click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        stderr = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
        _wait_until(
            page,
            "([n, stderr]) => document.querySelector(stderr) || document.querySelectorAll("
            "'.jp-OutputArea .ictstory-chart svg.ictstory-chart__static').length >= n",
            [expected, stderr],
            180,
            "the charts were not drawn",
        )
        assert page.locator(stderr).all_inner_texts() == []
        charts = page.locator(".jp-OutputArea .ictstory-chart svg.ictstory-chart__static")
        assert charts.count() == expected
        widths = charts.evaluate_all("els => els.map(e => e.getBoundingClientRect().width)")
        assert min(widths) > 200, f"a chart is drawn too small: {widths}"
        assert page.locator(".jp-OutputArea .ictstory-glued").count() == 1
        # a picture to look at (the notebook renders only the cells in view)
        for _ in range(3):  # cells resize as they render: scroll again
            charts.first.evaluate("e => e.scrollIntoView({block: 'center'})")
            wait_until_still(page, ".jp-OutputArea .ictstory-chart", quiet=300)
        page.screenshot(path=str(tmp_path / "jupyterlab-chart.png"))
        assert log.offsite == [], f"requests to another host: {log.offsite}"
    finally:
        page.context.close()


# --- The book: static first, then interactive -----------------------------------------------


@pytest.mark.browser
def test_book_replaces_static_charts_with_interactive_ones(browser: Browser, server: str) -> None:
    page, log = open_page(browser, server, f"chapters/{CHAPTER}.html")
    count = wait_for_charts(page)
    assert count == _show_calls(CHAPTER)
    assert page.locator(".ictstory-chart[data-rendered='true']").count() == count
    assert page.locator(".ictstory-chart__static").count() == 0
    assert page.locator(".ictstory-chart__view > .vega-embed svg.marks").count() == count
    assert page.locator(".ictstory-chart__live--pending").count() == 0
    assert log.errors == [] and log.offsite == []
    page.context.close()


@pytest.mark.browser
def test_book_keeps_the_static_chart_when_drawing_fails(browser: Browser, server: str) -> None:
    context = browser.new_context()
    # every interactive drawing fails, whatever the library bundle defines
    context.add_init_script(
        "Object.defineProperty(window, 'vegaEmbed', {configurable: true, set() {},"
        " get() { return () => Promise.reject(new Error('drawing fails in this test')); }});"
    )
    page = context.new_page()
    page.goto(f"{server}/chapters/{CHAPTER}.html", wait_until="load")
    count = wait_for_charts(page)
    assert count == _show_calls(CHAPTER)
    assert page.locator(".ictstory-chart[data-rendered='error']").count() == count
    static = page.locator(".ictstory-chart__view > svg.ictstory-chart__static")
    assert static.count() == count
    assert min(static.evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")) > 50
    assert page.locator(".ictstory-chart__live").count() == 0
    context.close()


@pytest.mark.browser
def test_book_charts_draw_without_javascript_at_320px(
    browser: Browser, server: str, site: Path
) -> None:
    page, log = open_page(
        browser,
        server,
        f"chapters/{CHAPTER}.html",
        viewport={"width": 320, "height": 700},
        java_script_enabled=False,
    )
    static = page.locator(".ictstory-chart__view[role='img'] > svg.ictstory-chart__static")
    assert static.count() == _show_calls(CHAPTER)
    rights = static.evaluate_all("els => els.map(e => e.getBoundingClientRect().right)")
    assert max(rights) <= 320
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    assert log.offsite == []
    page.context.close()
    # every chart of the book is in the page as a static SVG
    for path in sorted((site / "chapters").glob("*.html")):
        text = path.read_text(encoding="utf-8")
        assert len(STATIC_SVG.findall(text)) == text.count('class="ictstory-chart"'), path.name
