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

#: The one stylesheet every page waits for, gzip-compressed as a host sends it
#: (issue 21: 33 KiB, from eleven files of 55 KiB together).
BLOCKING_CSS_BUDGET = 36 * 1024
#: Inline scripts before the article (theme mode, language options): small.
INLINE_HEAD_SCRIPT_BUDGET = 2 * 1024


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
