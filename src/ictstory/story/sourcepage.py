"""The source documents page: each document, and every excerpt the book quotes from it.

A chart's source line links to its document here (:func:`source_href`), and each
row of a chart's data table links to its excerpt (:func:`excerpt_href`). The
excerpts are listed in the order they occur in the document, each with the
paragraph it sits in, so a reader can find it in the original text
(``data/sources/<source_id>.txt``). Every text from ``data/`` is escaped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import pandas as pd

from ictstory.data import load_table
from ictstory.data.vocabulary import slug
from ictstory.i18n import lang
from ictstory.paths import sources_dir
from ictstory.story.words import word

#: The page, relative to a chapter (all chapters sit in one folder, in both editions).
SOURCES_PAGE = "sources.html"

#: Tables whose rows quote a source: (table, id column, English label, Vietnamese label).
QUOTING_TABLES = (
    ("figures", "figure_id", "label_en", "label_vi"),
    ("events", "event_id", "description_en", "description_vi"),
    ("targets", "target_id", "description_en", "description_vi"),
)


#: How a reader names each kind of document.
def source_anchor(source_id: str) -> str:
    """The stable anchor of a document on the sources page: ``src-`` and its id."""
    return f"src-{source_id}"


def source_href(source_id: str) -> str:
    """Link from a chapter to a document on the sources page."""
    return f"{SOURCES_PAGE}#{source_anchor(source_id)}"


def excerpt_href(row_id: str) -> str:
    """Link from a chapter to the excerpt a figure, event or target quotes."""
    return f"{SOURCES_PAGE}#{row_id}"


def _kind_words(doc_kind: str) -> str:
    """The name of a kind of document (``doc_kind`` of ``data/sources.csv``), one name
    per kind in each language: the vocabulary's ``doc-kind.<kind>``."""
    return word(f"doc-kind.{slug(doc_kind)}")


def document_date(when: pd.Timestamp, precision: str = "day") -> str:
    """A document's date as the edition writes it; an undated document dated from its
    text to the month reads "Oct 2021" ("tháng 10/2021"), not a made-up day."""
    if precision == "month":
        return f"tháng {when:%m/%Y}" if lang() == "vi" else f"{when:%b %Y}"
    return f"{when:%d/%m/%Y}" if lang() == "vi" else f"{when:%-d %b %Y}"


def reader_name(source_id: str) -> str:
    """A document as a reader names it: "Ministry of Information and Communications,
    mid-year review 2021 (news report, 16 Jul 2021)"; in Vietnamese "Bộ Thông tin
    và Truyền thông, …"."""
    sources = load_table("sources").set_index("source_id")
    if source_id not in sources.index:
        raise KeyError(f"unknown source id {source_id!r}: not in data/sources.csv")
    row = sources.loc[source_id]
    short = str(row["short_title_vi" if lang() == "vi" else "short_title_en"])
    short = re.sub(r"\s*\([^)]*\)\s*$", "", short)  # the kind is said after the date
    ministry = word("sourcepage.ministry-of-information-and-communications")
    if lang() == "en":
        short = short[:1].lower() + short[1:]
    when = document_date(row["event_date"], row["event_date_precision"])
    return f"{ministry}, {short} ({_kind_words(row['doc_kind'])}, {when})"


def _paragraphs(text: str) -> list[str]:
    """The document's non-empty lines: each is one paragraph of the original."""
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass
class Quote:
    """One excerpt of a document and the rows of ``data/`` that quote it."""

    excerpt: str
    paragraph: int  # 1-based; 0 when not found (validation reports that)
    offset: int
    rows: list[tuple[str, str]] = field(default_factory=list)  # (row id, label)


def quotes_by_source() -> dict[str, list[Quote]]:
    """Every quoted excerpt of every document, in the order it occurs there."""
    vi = lang() == "vi"
    found: dict[str, dict[str, Quote]] = {}
    for table, id_column, label_en, label_vi in QUOTING_TABLES:
        frame = load_table(table)
        for row in frame.itertuples(index=False):
            record = row._asdict()
            sid, excerpt = record.get("source_id"), record.get("excerpt")
            if not isinstance(sid, str) or not isinstance(excerpt, str) or not excerpt:
                continue
            quotes = found.setdefault(sid, {})
            if excerpt not in quotes:
                quotes[excerpt] = _locate(sid, excerpt)
            label = record.get(label_vi) if vi and record.get(label_vi) else record[label_en]
            quotes[excerpt].rows.append((str(record[id_column]), str(label)))
    return {
        sid: sorted(q.values(), key=lambda q: (q.paragraph or 10**9, q.offset))
        for sid, q in found.items()
    }


def _source_text(source_id: str) -> str:
    path = sources_dir() / f"{source_id}.txt"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _locate(source_id: str, excerpt: str) -> Quote:
    for number, paragraph in enumerate(_paragraphs(_source_text(source_id)), start=1):
        offset = paragraph.find(excerpt)
        if offset >= 0:
            return Quote(excerpt, number, offset)
    return Quote(excerpt, 0, 0)


def _quote_html(quote: Quote) -> str:
    first, *others = quote.rows
    spare = "".join(f'<span id="{html.escape(rid)}"></span>' for rid, _ in others)
    where = (
        f"{word('word.paragraph')} {quote.paragraph}"
        if quote.paragraph
        else word("sourcepage.not-found-in-the-text")
    )
    used = "; ".join(
        f"<code>{html.escape(rid)}</code> {html.escape(label)}" for rid, label in quote.rows
    )
    return (
        f'<li id="{html.escape(first[0])}" class="ictstory-quote">{spare}'
        f'<blockquote lang="vi"><p>{html.escape(quote.excerpt)}</p></blockquote>'
        f'<p class="ictstory-quote__where">{html.escape(where)} · '
        f"{word('word.quoted-for')}: {used}</p></li>"
    )


class SourcesHTML:
    """The documents with their quoted excerpts, as escaped HTML for myst-nb."""

    def __init__(self, markup: str) -> None:
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup


def _section(row: pd.Series, quotes: list[Quote]) -> str:
    """One document: its name, titles, period, id, how it is dated, and its quotes."""
    sid, vi = str(row["source_id"]), lang() == "vi"
    anchor = source_anchor(sid)
    esc = html.escape
    titles = f'<span lang="vi">{esc(str(row["title_vi"]))}</span>'
    if not vi:
        titles += f" — <em>{esc(str(row['title_en']))}</em>"
    period = row["period_label_vi" if vi else "period_label"]
    note = row["publisher_note_vi" if vi else "publisher_note"]
    count = f"{word('sourcepage.excerpts-quoted')} {len(quotes)}."
    parts = [
        f'<section id="{anchor}" class="ictstory-source" aria-labelledby="{anchor}-h">',
        f'<h3 id="{anchor}-h">{esc(reader_name(sid))}</h3>',
        f"<p>{titles}</p>",
        f"<p>{esc(word('word.reports-on'))}{esc(str(period))} · "
        f"{esc(word('word.document-id'))}<code>{esc(sid)}</code> · "
        f"<code>data/sources/{esc(sid)}.txt</code></p>",
    ]
    if isinstance(note, str) and note:
        label = word("sourcepage.how-it-is-dated-and-signed")
        parts.append(f"<p>{esc(label)}{esc(note)}</p>")
    parts.append(f"<p>{esc(count)}</p>")
    parts.append(f'<ol class="ictstory-quotes">{"".join(_quote_html(q) for q in quotes)}</ol>')
    parts.append("</section>")
    return "".join(parts)


def sources_html() -> SourcesHTML:
    """A section per document, oldest first, each with every excerpt the book quotes."""
    quotes = quotes_by_source()
    sources = load_table("sources").sort_values("event_date")
    return SourcesHTML(
        "".join(
            _section(row, quotes.get(str(row["source_id"]), [])) for _, row in sources.iterrows()
        )
    )
