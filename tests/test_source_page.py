"""The source documents page: every quoted excerpt anchored, every source link resolving."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import site_pages

from ictstory.data import load_table
from ictstory.i18n import ENV as ENV_VAR
from ictstory.story.sourcepage import document_date, quotes_by_source, reader_name


class _Links(HTMLParser):
    """Ids, links and the paragraph numbers of quotes in one page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.source_links: list[str] = []
        self._in_source_line = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "p" and "ictstory-chart__source" in (a.get("class") or ""):
            self._in_source_line = 1
        if tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))
            if self._in_source_line:
                self.source_links.append(str(a["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self._in_source_line = 0


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _quoting_ids() -> set[str]:
    ids: set[str] = set()
    for table, column in (
        ("figures", "figure_id"),
        ("events", "event_id"),
        ("targets", "target_id"),
    ):
        ids |= set(load_table(table)[column].astype(str))
    return ids


@pytest.mark.parametrize("edition", ["site", "site_vi"])
def test_every_excerpt_is_anchored_on_the_sources_page(
    edition: str, request: pytest.FixtureRequest
) -> None:
    site = request.getfixturevalue(edition)
    page = _parse(site / "chapters" / "sources.html")
    missing = _quoting_ids() - page.ids
    assert not missing, f"rows without an anchored excerpt on sources.html: {sorted(missing)[:10]}"
    sources = set(load_table("sources")["source_id"])
    assert {f"src-{sid}" for sid in sources} <= page.ids


@pytest.mark.parametrize("edition", ["site", "site_vi"])
def test_source_lines_and_table_links_resolve(edition: str, request: pytest.FixtureRequest) -> None:
    """Each chart's source line links its documents, and every link into
    sources.html lands on an anchor that exists there."""
    site = request.getfixturevalue(edition)
    targets = _parse(site / "chapters" / "sources.html").ids
    charts = 0
    for path in site_pages(site):
        html = path.read_text(encoding="utf-8")
        page = _parse(path)
        for line in BeautifulSoup(html, "html.parser").select(".ictstory-chart__source"):
            charts += 1
            outside_only = re.match(r"(Sources outside|Nguồn bên ngoài)", line.get_text())
            assert line.select("a[href]") or outside_only, f"{path.name}: {line.get_text()}"
        for href in page.links:
            url, fragment = urldefrag(href)
            local = not url.startswith(("http:", "https:"))
            if url.endswith("sources.html") and local and fragment:
                assert fragment in targets, f"{path.name}: {href} has no anchor on sources.html"
    assert charts > 10


def test_quotes_are_in_document_order() -> None:
    for sid, quotes in quotes_by_source().items():
        paragraphs = [(q.paragraph, q.offset) for q in quotes]
        assert all(p > 0 for p, _ in paragraphs), f"{sid}: an excerpt not found in its text"
        assert paragraphs == sorted(paragraphs), sid


def test_reader_name_and_undated_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    """A document is named the way a reader would; one dated only from its text
    to a month shows the month, not a made-up day."""
    sources = load_table("sources").set_index("source_id")
    monkeypatch.setenv(ENV_VAR, "en")
    for sid, row in sources.iterrows():
        name = reader_name(str(sid))
        assert name.startswith("Ministry of Information and Communications, ")
        assert str(sid) not in name
        if row["event_date_precision"] == "month":
            assert re.search(r"\(\w[^()]*, [A-Z][a-z]{2} \d{4}\)$", name), name
    when = pd.Timestamp("2021-10-01")
    assert document_date(when, "month") == "Oct 2021"
    assert document_date(when, "day") == "1 Oct 2021"
    monkeypatch.setenv(ENV_VAR, "vi")
    assert document_date(when, "month") == "tháng 10/2021"
    assert reader_name(str(sources.index[0])).startswith("Bộ Thông tin và Truyền thông, ")
