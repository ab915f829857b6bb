"""Data is never code: hostile text in every free-text column stays text.

A copy of the project gets a corpus of hostile strings (script tags, event
handlers, ``javascript:`` links, MyST roles and directives, Jinja, raw HTML,
JSON breakers, a very long cell) in every free-text column of every table: each
existing row gets one payload appended, and every table gets extra rows. The
copy is built for real, then every page is opened in headless Chromium. Nothing
may run at build time (a canary file stays absent), no file from outside the
project may be published, and no payload may run or become an element in the
browser; the payloads must still be visible on the pages, as text.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import (
    ROOT,
    copy_project,
    next_frame,
    open_page,
    read_rows,
    run_build,
    serve,
    site_pages,
    wait_for_charts,
    write_rows,
)
from playwright.sync_api import Browser

SECRET = "SECRET-7f3a9c-not-for-publishing"
#: Element ids and attributes only a parsed payload could create.
MARK = "pwn"


def payloads(canary: Path, secret: Path, project: Path) -> list[str]:
    """Single-line hostile strings; each would leave a trace if it were parsed or run."""
    rel_secret = Path("../" * (len(project.parts) + 2)) / secret.relative_to("/")
    return [
        f"<script>window.__{MARK}=1;alert(1)</script>",
        f'<img src="x" id="{MARK}-img" onerror="window.__{MARK}=2">',
        f'<a id="{MARK}-a" href="javascript:window.__{MARK}=3">js link</a>',
        f"[{MARK}-md-link](javascript:window.__{MARK}=4) **{MARK}-bold**",
        f"{{download}}`x <{rel_secret}>` {{abbr}}`{MARK}-role (parsed)`",
        f"{{{{ env.__class__.__init__.__globals__['os'].system('touch {canary}') }}}}",
        "{{ env.srcdir }} {% for x in range(3) %}jinja{% endfor %}",
        f"</script><script>window.__{MARK}=5</script><!--",
        f']]></svg><svg onload="window.__{MARK}=6"><style>body{{display:none}}</style>',
        f'"}}]}}</script><iframe id="{MARK}-iframe" src="javascript:alert(6)"></iframe>',
        f"```{{raw}} html <b id='{MARK}-raw'>raw</b>``` :::{{note}} {MARK}-directive :::",
        f"&lt;b id='{MARK}-entity'&gt; &amp; \\u003cscript\\u003e",
        "ѕсrірt Ünïcødé ✓ Tiếng Việt: điểm lõm sóng, ệ ở ữ " + "long " * 400,
    ]


def _free_text_columns(descriptor: dict) -> dict[str, list[str]]:
    """Per table: string columns without an enum, a pattern or a reference (free text)."""
    free: dict[str, list[str]] = {}
    for resource in descriptor["resources"]:
        free[resource["name"]] = [
            f["name"]
            for f in resource["schema"]["fields"]
            if f.get("type", "string") == "string"
            and not {"enum", "pattern"} & set(f.get("constraints", {}))
            and "itemsReference" not in f  # a list of keys, checked by make data
            # a word of the vocabulary with markup is refused by make data
            # (tests/test_vocabulary.py); its note is free text
            and not (resource["name"] == "vocabulary" and f["name"] in ("en", "vi"))
        ]
    return free


def poison_rows(table: str, rows: list[list[str]], columns: list[str], corpus: list[str]) -> None:
    """Append a payload to every free-text cell; give the glossary hostile rows of its own."""
    header = rows[0]
    for number, row in enumerate(rows[1:]):
        for column in columns:
            if table == "glossary" and column == "term":
                continue  # chapters link to these terms; the extra rows carry payloads
            index = header.index(column)
            if column == "excerpt_en" and not row[index]:
                # no gloss (an English excerpt): the poisoned excerpt itself, whose numbers
                # make data compares with the gloss's
                row[index] = row[header.index("excerpt")]
                continue
            # a gloss keeps its excerpt's numbers: it gets the excerpt's payload
            same = header.index("excerpt") if column == "excerpt_en" else index
            row[index] = (row[index] + " " + corpus[(number + same) % len(corpus)]).strip()
    if table == "glossary":
        for number, payload in enumerate(corpus):
            extra = list(rows[1])
            for column in columns:
                extra[header.index(column)] = f"{MARK} {number} {payload}"
            rows.append(extra)


def poison(project: Path, corpus: list[str]) -> dict[str, list[str]]:
    """Put the corpus into every free-text column of every table; returns those columns."""
    data = project / "data"
    descriptor = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    free = _free_text_columns(descriptor)
    for resource in descriptor["resources"]:
        if free[resource["name"]]:
            path = data / resource["path"]
            rows = read_rows(path)
            poison_rows(resource["name"], rows, free[resource["name"]], corpus)
            write_rows(path, rows)
            quote_in_sources(data, rows)
    return free


def quote_in_sources(data: Path, rows: list[list[str]]) -> None:
    """Add poisoned excerpts to their source texts: make data checks excerpts verbatim."""
    header = rows[0]
    if not {"excerpt", "source_id"} <= set(header):
        return
    for row in rows[1:]:
        source = data / "sources" / f"{row[header.index('source_id')]}.txt"
        with source.open("a", encoding="utf-8") as handle:
            handle.write("\n" + row[header.index("excerpt")])


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    base = tmp_path_factory.mktemp("hostile")
    project = copy_project(base / "book")
    canary = base / "canary"
    secret = base / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    free = poison(project, payloads(canary, secret, project))
    result = run_build(project)
    assert result.returncode == 0, (result.stdout[-4000:], result.stderr[-4000:])
    return project, canary, free


@pytest.mark.slow
def test_every_table_has_free_text_under_test(hostile_site: tuple[Path, Path, dict]) -> None:
    _, _, free = hostile_site
    for table in ("sources", "figures", "events", "targets", "glossary"):
        assert free.get(table), f"no free-text column found in {table}: the test lost its reach"


@pytest.mark.slow
def test_nothing_ran_at_build_time(hostile_site: tuple[Path, Path, dict]) -> None:
    project, canary, _ = hostile_site
    assert not canary.exists(), "a payload ran a shell command while the book was built"


@pytest.mark.slow
def test_no_outside_file_is_published(hostile_site: tuple[Path, Path, dict]) -> None:
    project, _, _ = hostile_site
    site = project / "_build" / "html"
    assert not (site / "_downloads").exists()
    leaked = [
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file() and SECRET.encode() in p.read_bytes()
    ]
    assert leaked == []
    build_path = str(project).encode()
    shown = [p.name for p in site_pages(site) if build_path in p.read_bytes()]
    assert shown == [], "a page shows the path of the build folder"


@pytest.mark.slow
@pytest.mark.browser
def test_no_payload_runs_or_becomes_markup_in_the_browser(
    hostile_site: tuple[Path, Path, dict], browser: Browser
) -> None:
    project, _, _ = hostile_site
    site = project / "_build" / "html"
    problems: list[str] = []
    visible: dict[str, bool] = {}
    with serve(site) as server:
        for path in [p.relative_to(site).as_posix() for p in site_pages(site)]:
            page, log = open_page(browser, server, path)
            dialogs: list[str] = []
            page.on("dialog", lambda d, seen=dialogs: (seen.append(d.message), d.dismiss()))
            wait_for_charts(page)
            for item in page.locator(
                ".ictstory-chart__view svg .mark-symbol path, "
                ".ictstory-chart__view svg .mark-rect path"
            ).all()[:3]:
                item.hover(force=True)  # tooltips show payload text too
            # whatever the hovers' tooltips hold has loaded (or failed to) and said so
            next_frame(page)
            page.wait_for_function("() => [...document.images].every(i => i.complete)")
            next_frame(page)
            found = page.evaluate(
                """(mark) => ({
                    ran: window['__' + mark] ?? null,
                    elements: [...document.querySelectorAll(
                        `[id^="${mark}-"], iframe, abbr, script:not([src]):not([type])`)]
                        .filter(e => e.tagName !== 'SCRIPT' || e.textContent.includes(mark))
                        .map(e => e.outerHTML.slice(0, 80)),
                    bold: [...document.querySelectorAll('strong, b')]
                        .filter(e => e.textContent.trim() === mark + '-bold').length,
                    links: [...document.querySelectorAll('a[href^="javascript:"]')].length,
                    text: document.body.innerText.includes('<script>window.__' + mark),
                    hidden: getComputedStyle(document.body).display === 'none',
                })""",
                MARK,
            )
            visible[path] = found["text"]
            if found["ran"] is not None:
                problems.append(f"{path}: a payload ran (window.__{MARK} = {found['ran']})")
            problems += [f"{path}: injected element {e}" for e in found["elements"]]
            if found["bold"] or found["links"]:
                problems.append(f"{path}: Markdown in data was rendered: {found}")
            if found["hidden"]:
                problems.append(f"{path}: injected CSS hid the page")
            problems += [f"{path}: dialog opened: {d}" for d in dialogs]
            problems += [f"{path}: {e}" for e in log.errors]
            page.context.close()
    assert problems == []
    # the payloads did reach the pages, as text: the glossary, the data tables, the scorecard
    for edition in ("en", "vi"):  # both editions show the data's text as text
        for page in ("chapters/glossary.html", "chapters/directions-targets.html"):
            assert visible.get(f"{edition}/{page}"), f"no payload shown as text on {edition}/{page}"


#: Text that make data must refuse outright (a build never sees it).
REFUSED = {
    "newline and indented raw block": "x\n\n   ```{raw} html\n   <script>alert(1)</script>\n   ```",
    "control character": "bell\x07 and NUL-like \x1b[31m escape",
    "decomposed (NFD) text": "Vie\u0302\u0323t Nam",
    "bidi override": "abc\u202egnp.exe",
}


@pytest.mark.parametrize("kind", list(REFUSED))
def test_unclean_text_in_any_free_text_column_is_refused(kind: str, tmp_path: Path) -> None:
    """Every free-text column of every table: file, line and column in the message."""
    from ictstory.data import find_problems

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    descriptor = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    expected = set()
    for resource in descriptor["resources"]:
        path = data / resource["path"]
        rows = read_rows(path)
        for column in _free_text_columns(descriptor)[resource["name"]]:
            if any(
                f.get("multiline") for f in resource["schema"]["fields"] if f["name"] == column
            ) and kind.startswith("newline"):
                continue
            rows[1][rows[0].index(column)] += REFUSED[kind]
            expected.add((f"data/{resource['path']}", 2, column))
        write_rows(path, rows)
    found = {(p.path, p.line, p.column) for p in find_problems(data / "datapackage.json")}
    assert expected and expected <= found, sorted(expected - found)
