"""Faster first paint, both editions (issue 21, point 8): what the first paragraph
waits for, read from the built pages (no browser, no Lighthouse; ``make bench``
runs Lighthouse itself).

- Every page links ONE stylesheet, ``_static/ictstory-site.<hash>.css``, named by
  its content (hosts may cache it for good), within a byte budget (gzip).
- Nothing was lost in the merge: every rule of every stylesheet the theme and the
  extensions ship that can match an element of a page is in it, in the original
  order; dark mode and print rules are there.
- No script blocks the parser before the first paragraph, and no preload competes
  with the stylesheet for the connection.
- No script is fetched before the first paint (but on the search page): they wait
  in an inert template (:mod:`ictstory.site.paint_first`).
"""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import book_pages

from ictstory.site.cssprune import MERGED_PATTERN, merged_sources, prune
from ictstory.site.paint_first import LATER, TEMPLATE_ID, paint_first

#: The one stylesheet every page waits for, gzip-compressed as a host sends it
#: (issue 21: 33 KiB, from eleven files of 55 KiB together).
BLOCKING_CSS_BUDGET = 36 * 1024
#: Inline scripts before the article (theme mode, language options, the loader that
#: fetches the page's scripts after its first paint, 1.1 KB): small.
INLINE_HEAD_SCRIPT_BUDGET = 3 * 1024


@pytest.fixture(scope="module")
def editions(site: Path, site_vi: Path) -> dict[str, Path]:
    return {"en": site, "vi": site_vi}


def _head(page: Path) -> BeautifulSoup:
    return BeautifulSoup(page.read_text(encoding="utf-8").split("</head>", 1)[0], "html.parser")


def _stylesheet(page: Path, site: Path) -> Path:
    """The one stylesheet ``page`` links (asserted), as a path in ``site``."""
    links = _head(page).select("link[rel~=stylesheet]")
    assert len(links) == 1, f"{page.relative_to(site)}: {len(links)} stylesheets"
    href = links[0]["href"]
    assert MERGED_PATTERN.search(href), f"{page.relative_to(site)}: {href}"
    path = (page.parent / href).resolve()
    assert path.is_file(), f"{page.relative_to(site)}: {href} missing"
    return path


def test_every_page_links_one_content_named_stylesheet_within_budget(
    editions: dict[str, Path],
) -> None:
    for edition, site in editions.items():
        pages = book_pages(site)
        assert len(pages) > 10, edition
        sheets = {_stylesheet(page, site) for page in pages}
        for sheet in sheets:
            data = sheet.read_bytes()
            assert sheet.name.split(".")[1] == hashlib.sha256(data).hexdigest()[:16], sheet
            size = len(gzip.compress(data, 6))
            assert size <= BLOCKING_CSS_BUDGET, f"{edition}: {sheet.name} is {size} B gzip"
        assert len(sheets) == 1, f"{edition}: pages link different stylesheets {sheets}"


def _rules(css: str) -> set[str]:
    """Every ``selector{body}`` of ``css`` that is no at-rule, one selector at a time,
    with the at-rule blocks it sits in (so a print rule stays a print rule)."""
    found: set[str] = set()
    stack: list[str] = []
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)  # licence notices stay, not compared
    for token in re.finditer(r"([^{}]*)\{|\}|[^{}]+", css):
        text = token.group(0)
        if text == "}":
            if stack:
                stack.pop()
        elif text.endswith("{"):
            prelude = token.group(1).strip()
            stack.append(prelude)
        elif stack and not stack[-1].startswith("@"):
            body = re.sub(r"\s+", " ", text.strip())
            context = " ".join(s for s in stack[:-1])
            for selector in stack[-1].split(","):
                found.add(f"{context}|{selector.strip()}|{body}")
    return found


def test_merged_stylesheet_keeps_every_rule_the_pages_can_use(editions: dict[str, Path]) -> None:
    """Each rule of each original stylesheet (as the merge read it) that can match a
    class or id used on a page is in the merged one: merging and pruning lost nothing
    a page shows, dark mode and print included."""
    for edition, site in editions.items():
        pages = book_pages(site)
        sheet = _stylesheet(pages[0], site)
        merged = sheet.read_text(encoding="utf-8")
        sources = merged_sources(merged)
        names = {"basic.css", "pydata-sphinx-theme.css", "ictstory.css", "ictstory-icons.css"}
        assert names <= {Path(s).name for s in sources}, sources
        used: set[str] = set()
        for page in pages:
            html = page.read_text(encoding="utf-8")
            for value in re.findall(r"\sclass=[\"']([^\"']*)[\"']", html):
                used.update(value.split())
            used.update(re.findall(r"\sid=[\"']([^\"']+)[\"']", html))
        kept = _rules(merged)
        for source in sources:
            original = (site / source).read_text(encoding="utf-8")
            missing = _rules(prune(original, used)) - kept
            # url()s are rewritten for the merged file's place: compare without them
            missing = {r for r in missing if "url(" not in r}
            assert missing == set(), f"{edition}: {source}: {sorted(missing)[:5]}"
        assert "html[data-theme=dark]" in merged, edition
        assert re.search(r"@media print\s*\{", merged), edition
        assert "prefers-color-scheme" in merged or "data-theme=dark" in merged, edition


def test_merged_stylesheet_urls_resolve(editions: dict[str, Path]) -> None:
    """Relative ``url()``s were rewritten for the merged file's place: each one names
    a file of the site (the theme's unused icon fonts included)."""
    for edition, site in editions.items():
        sheet = _stylesheet(book_pages(site)[0], site)
        css = sheet.read_text(encoding="utf-8")
        urls = re.findall(r"url\(\s*[\"']?([^\"')]+)", css)
        relative = [u for u in urls if not re.match(r"(data:|#|[a-z]+:|/)", u)]
        broken = [
            u for u in relative if not (sheet.parent / u.split("?")[0].split("#")[0]).exists()
        ]
        assert broken == [], edition


def test_nothing_blocks_the_parser_before_the_first_paragraph(editions: dict[str, Path]) -> None:
    """Scripts before the article's first paragraph are deferred, async or inline
    (and the inline ones small); no script preload shares the connection with the
    stylesheet."""
    for edition, site in editions.items():
        # the search page runs Sphinx's search tools at once: they block, on that page only
        for page in [p for p in book_pages(site) if p.name != "search.html"]:
            html = page.read_text(encoding="utf-8")
            article = html.find("<article")
            assert article > 0, page
            paragraph = re.compile(r"<p[\s>]").search(html, article)
            first_paragraph = paragraph.start() if paragraph else len(html)
            soup = BeautifulSoup(
                html[: first_paragraph if first_paragraph > 0 else None], "html.parser"
            )
            name = f"{edition}/{page.relative_to(site)}"
            blocking = [
                s["src"]
                for s in soup.find_all("script", src=True)
                if not (s.has_attr("defer") or s.has_attr("async") or s.get("type") == "module")
            ]
            assert blocking == [], name
            inline = sum(
                len(s.string or "")
                for s in soup.find_all("script", src=False)
                if s.get("type", "text/javascript") in ("text/javascript", "module", "")
            )
            assert inline <= INLINE_HEAD_SCRIPT_BUDGET, f"{name}: {inline} B of inline script"
            preloads = [link["href"] for link in soup.select("link[rel~=preload]")]
            assert preloads == [], name


def test_scripts_wait_for_the_first_paint(editions: dict[str, Path]) -> None:
    """Every page but the search page fetches no script before its first paint: its
    scripts are in the inert template that the inline loader adds after that paint."""
    for edition, site in editions.items():
        for page in book_pages(site):
            text = page.read_text(encoding="utf-8")
            soup = BeautifulSoup(text, "html.parser")
            name = f"{edition}/{page.relative_to(site)}"
            outside = [
                s["src"] for s in soup.find_all("script", src=True) if not s.find_parent("template")
            ]
            later = soup.select_one(f"template#{TEMPLATE_ID}")
            if page.name == "search.html":  # its search tools need doctools.js at once
                assert later is None and outside, name
                continue
            assert outside == [], name
            assert later is not None and len(later.find_all("script", src=True)) >= 5, name
            assert LATER in text, f"{name}: the loader is not the one of paint_first"


PAGE = """<html><head>
<link rel="preload" as="script" href="_static/b.js">
<script>var first = 1;</script>
<script defer="defer" src="_static/a.js?v=1"></script>
<script>var between = 2;</script>
<script data-x="y" defer src="_static/b.js"></script>
<script src="_static/blocking.js"></script>
</head><body><p>Text</p><script defer src="_static/c.js"></script>
<script type="application/json" class="spec">{"a": 1}</script></body></html>"""


def test_paint_first_moves_deferred_scripts_in_order_and_keeps_the_rest() -> None:
    moved = paint_first(PAGE)
    soup = BeautifulSoup(moved, "html.parser")
    later = soup.select_one(f"template#{TEMPLATE_ID}")
    assert later is not None
    assert [(s["src"], s.get("data-x")) for s in later.find_all("script")] == [
        ("_static/a.js?v=1", None),
        ("_static/b.js", "y"),
        ("_static/c.js", None),
    ]
    outside = [s for s in soup.find_all("script") if not s.find_parent("template")]
    assert [s.get("src") for s in outside if s.get("src")] == ["_static/blocking.js"]
    assert [s.string for s in outside if s.string and "var" in s.string[:4]] == [
        "var first = 1;",
        "var between = 2;",
    ]
    assert soup.select_one("script.spec") is not None  # data scripts stay
    assert soup.select("link[rel=preload]") == []
    assert moved.index(LATER) > moved.index(f'id="{TEMPLATE_ID}"')  # the loader finds it
    assert paint_first(moved) == moved
    plain = "<html><head><script>var a;</script></head><body></body></html>"
    assert paint_first(plain) == plain
