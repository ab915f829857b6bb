"""Key-number cards: a few numbers at a glance, each with its period, kind, chapter and source.

The front page shows four to six numbers as cards (:func:`key_numbers`). Each card is
built from the data: a ministry figure (:func:`from_figure`), an outside yearly value
(:func:`from_outside`) or a number derived from other cards (:func:`derived`). A card
names its value, what it measures (a vocabulary word, ``home.key.<name>``), its period,
its kind of value (reported, estimated, derived, outside ...), links to the section of
the chapter that tells it, and to its source. Every value is glued under its name too,
so JupyterLab lists it and both editions check it alike. Every text reaches the page
escaped: data is never code.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt
import pandas as pd

from ictstory.data import load_table
from ictstory.i18n import lang
from ictstory.story import outside
from ictstory.story.prose import describe, figure, glue_text, ordinal, period_words
from ictstory.story.sourcepage import excerpt_href
from ictstory.story.words import word

#: Where the chapters are, seen from the front page of an edition.
CHAPTERS = "chapters/"


@dataclass(frozen=True)
class KeyNumber:
    """One card: a value in words and where it comes from."""

    name: str
    value: str
    number: float
    period: str
    kind: str
    chapter: str  # "arc#arc-access": a chapter page and a section's label
    source_text: str
    source_href: str

    @property
    def label(self) -> str:
        """What the number measures, in the edition's language."""
        return word(f"home.key.{self.name}")

    def chapter_href(self, base: str = CHAPTERS) -> str:
        """The link to the section of the chapter that tells this number."""
        page, _, anchor = self.chapter.partition("#")
        return f"{base}{page}.html" + (f"#{anchor}" if anchor else "")


def years(first: int, last: int | None = None) -> str:
    """A year or a span of years in words: "2021", "2016–2020"; in Vietnamese "năm 2021",
    "giai đoạn 2016–2020" (as :func:`ictstory.story.prose.period_words` words a figure's)."""
    last = first if last is None else last
    span = pd.Series(
        {
            "period_start": pd.Timestamp(year=int(first), month=1, day=1),
            "period_end": pd.Timestamp(year=int(last), month=12, day=31),
            "period_type": "year" if first == last else "range",
        }
    )
    return period_words(span)


def _glued(card: KeyNumber) -> KeyNumber:
    glue_text(f"key_{card.name.replace('-', '_')}", card.value, value=card.number)
    return card


def from_figure(name: str, figure_id: str, chapter: str) -> KeyNumber:
    """A card of one of the ministry's figures; its source is the excerpt it quotes."""
    row = figure(figure_id)
    sources = load_table("sources").set_index("source_id")
    title = sources.loc[row["source_id"], f"short_title_{lang()}"]
    return _glued(
        KeyNumber(
            name=name,
            value=ordinal(float(row["value"])) if row["unit"] == "rank" else describe(row),
            number=float(row["value"]),
            period=period_words(row),
            kind=str(row["kind"]),
            chapter=chapter,
            source_text=str(title),
            source_href=CHAPTERS + excerpt_href(figure_id),
        )
    )


def outside_href(row: pd.Series) -> str:
    """The address of an outside value's source: its page, or its file on GitHub."""
    if not pd.isna(row["url"]):
        return str(row["url"])
    return f"https://github.com/{row['repository']}/blob/{row['commit']}/{row['repository_path']}"


def from_outside(name: str, indicator: str, year: int, chapter: str) -> KeyNumber:
    """A card of one outside yearly value (:mod:`ictstory.story.outside`), which must
    be one a chart may show (not graded low, not superseded)."""
    row = outside.pick(indicator, year)
    if row["status"] != "charted":
        raise ValueError(f"{indicator} {year} is {row['status']}: not shown as a fact")
    return _glued(
        KeyNumber(
            name=name,
            value=str(row["value_text"]),
            number=float(row["value"]),
            period=years(year),
            kind=outside.KIND,
            chapter=chapter,
            source_text=str(row["publisher_name"]),
            source_href=outside_href(row),
        )
    )


def derived(
    name: str, value: str, number: float, period: str, chapter: str, source: KeyNumber
) -> KeyNumber:
    """A card of our own arithmetic on ``source``'s data (kind ``derived``)."""
    return _glued(
        KeyNumber(
            name, value, number, period, "derived", chapter, source.source_text, source.source_href
        )
    )


class KeyNumbers:
    """The cards as escaped HTML; Jupyter and myst-nb show it as HTML."""

    def __init__(self, cards: Sequence[KeyNumber], base: str = CHAPTERS) -> None:
        self.cards = list(cards)
        self.base = base

    def _card(self, card: KeyNumber) -> str:
        e = html.escape
        chapter_href = card.chapter_href(self.base)
        external = card.source_href.startswith("https://")
        rel = ' rel="external noopener"' if external else ""
        source_href = (
            card.source_href if external else card.source_href.replace(CHAPTERS, self.base, 1)
        )
        return (
            f'<li class="ictstory-number ictstory-number--{e(card.kind)}" '
            f'data-key="{e(card.name)}">'
            f'<p class="ictstory-number__label">{e(card.label)}</p>'
            f'<p class="ictstory-number__value">{e(card.value)}</p>'
            '<p class="ictstory-number__meta">'
            f'<span class="ictstory-number__period">{e(card.period)}</span>'
            f'<span class="ictstory-number__kind">{e(word(f"kind.{card.kind}"))}</span></p>'
            '<p class="ictstory-number__links">'
            f'<a class="ictstory-number__chapter" href="{e(chapter_href)}">'
            f"{e(word('home.read-more'))}</a>"
            f'<a class="ictstory-number__source" href="{e(source_href)}"{rel}>'
            f"{e(word('word.source'))}: {e(card.source_text)}</a></p></li>"
        )

    def _repr_html_(self) -> str:
        items = "".join(self._card(card) for card in self.cards)
        label = html.escape(word("home.key-numbers"))
        return f'<ul class="ictstory-numbers" aria-label="{label}">{items}</ul>'

    def __str__(self) -> str:
        return self._repr_html_()


def key_numbers(cards: Sequence[KeyNumber], base: str = CHAPTERS) -> KeyNumbers:
    """Four to six key-number cards; ``base`` is the way from the page to the chapters."""
    if not 4 <= len(cards) <= 6:
        raise ValueError(f"{len(cards)} key numbers: a glance holds four to six")
    return KeyNumbers(cards, base)


def outside_growth(indicator: str, first: int, last: int) -> tuple[float, pd.Series, pd.Series]:
    """The average yearly growth, in percent, of an outside series from ``first`` to
    ``last`` (compound: the rate that turns the first value into the last), with the
    two rows it rests on."""
    start, end = outside.pick(indicator, first), outside.pick(indicator, last)
    for row in (start, end):
        if row["status"] != "charted":
            raise ValueError(f"{indicator} {row['year']} is {row['status']}: not a fact")
    rate = (float(end["value"]) / float(start["value"])) ** (1 / (last - first)) - 1
    return rate * 100, start, end


def shared_rank_scale(chart: alt.TopLevelMixin, rows: pd.DataFrame) -> alt.TopLevelMixin:
    """The rank panels of an :func:`ictstory.story.outside.trajectory` on one scale, from
    first place to just past the lowest rank shown, so that a small move looks small
    (each panel's own scale would stretch a move of three places across its height)."""
    ranks = rows.loc[rows["unit"] == "rank", "value"]
    if ranks.empty:
        return chart
    bottom = int(math.ceil(float(ranks.max()) / 10) * 10)
    panels = getattr(chart, "vconcat", alt.Undefined)
    for panel in [chart] if panels is alt.Undefined else panels:
        for layer in panel.layer:
            y = layer.encoding.y
            if y.to_dict().get("scale", {}).get("reverse") is True:
                y["scale"] = alt.Scale(reverse=True, domain=[1, bottom], nice=False)
    return chart


def glue_span(name: str, rows: pd.DataFrame, indicator: str) -> str:
    """Glue how one outside series moved between the first and last year a chart draws
    (``rows``: what :func:`ictstory.story.outside.trajectory` returns): see
    :func:`glue_change`."""
    series = rows[rows["indicator"] == indicator].sort_values("year")
    if series.empty:
        raise ValueError(f"the chart draws no value of {indicator!r}")
    return glue_change(name, series.iloc[0], series.iloc[-1])


def glue_change(name: str, first: pd.Series, last: pd.Series) -> str:
    """Glue how an outside series moved from one row to a later one: "rose from 53% in
    2016 to 74.2% in 2021", "rose from 89th in 2016 to 86th in 2020" (a rank rises as
    its number falls); the verb is computed from the values
    (:func:`ictstory.story.claims.change_words`), each value hedged as its source."""
    from ictstory.story.claims import at_year, change_words

    if first["indicator"] != last["indicator"]:
        raise ValueError(f"{first['indicator']} and {last['indicator']}: a change needs one series")
    text = change_words(
        float(first["value"]),
        float(last["value"]),
        at_year(outside.value_text(first, _short(first)), int(first["year"])),
        at_year(outside.value_text(last, _short(last)), int(last["year"])),
        rank=first["unit"] == "rank",
    )
    return glue_text(name, text)


def _short(row: pd.Series) -> int | None:
    """Decimals for a value in a sentence: as stated when whole, else one (none from 100)."""
    value = float(row["value"])
    if value.is_integer():
        return None
    return 0 if abs(value) >= 100 else 1
