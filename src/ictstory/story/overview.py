"""Charts of the introduction: the sources on a time line, the kinds of value, the
five years at a glance (dumbbells) and the explorer of figures by field.

Every word comes from the vocabulary (:func:`ictstory.data.vocabulary.word`) or the data;
titles are written in each edition's Markdown (the ``{chart}`` directive).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd

from ictstory.i18n import lang
from ictstory.story.cards import axis_title, by_measure
from ictstory.story.charts import provenance_tooltip, row_label, stacked_width
from ictstory.story.forms import label_column
from ictstory.story.prose import describe, fmt_month, period_words
from ictstory.story.theme import FIELD_COLOURS, FIELDS, field_colour, kind_encodings
from ictstory.story.words import word

#: A change of the glance: its label and the ids of its points, first to last.
Changes = Mapping[str, Sequence[str]]


def lower_first(text: str) -> str:
    """A display name inside a sentence: "Công nghiệp ICT" -> "công nghiệp ICT" (an
    acronym, "ICT industry", is left as it is)."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def in_sentence(name: str) -> str:
    """A field's name inside a sentence: lower case in English, first letter lowered
    in Vietnamese (where acronyms keep their capitals)."""
    return lower_first(name) if lang() == "vi" else name.lower()


def doc_kind(kind: str) -> str:
    """A kind of source document (``doc_kind`` in data/sources.csv) in words."""
    return word(f"doc-kind.{kind.replace('_', '-')}")


def reports_on(doc: pd.Series) -> str:
    """The period a document reports on: its label in English; in Vietnamese, its dates
    in words (data/sources.csv has no Vietnamese period label)."""
    if lang() != "vi":
        return str(doc["period_label"])
    start, end = doc["period_start"], doc["period_end"]
    in_one_year = start.year == end.year and (start.month, start.day) == (1, 1)
    kind = "range"
    if in_one_year:
        kind = "year" if (end.month, end.day) == (12, 31) else "half" if end.month == 6 else "ytd"
    period = pd.Series({"period_start": start, "period_end": end, "period_type": kind})
    return period_words(period)


def source_docs(sources: pd.DataFrame) -> pd.DataFrame:
    """The source documents, oldest first, with their label, title, kind and period in
    the edition's language."""
    language = lang()
    label = label_column()
    return sources.assign(
        **{label: sources[f"short_title_{language}"] + " · " + sources["source_id"].str[:3]},
        title=sources[f"title_{language}"],
        kind_words=sources["doc_kind"].map(doc_kind),
        period=[reports_on(doc) for _, doc in sources.iterrows()],
    ).sort_values("event_date")


def looking_back(docs: pd.DataFrame) -> str:
    """How many documents reach back to the earliest year: "only one looks back to 2016"."""
    from ictstory.story.prose import number_word

    earliest = docs["period_start"].min()
    count = int((docs["period_start"] == earliest).sum())
    if count == 1:
        return word("intro.looks-back-one", year=f"{earliest:%Y}")
    return word("intro.looks-back-many", n=number_word(count), year=f"{earliest:%Y}")


def sources_timeline(docs: pd.DataFrame) -> alt.LayerChart:
    """Each document's period as a bar and its date of issue as a diamond."""
    label = label_column()
    date_format = "%m/%Y" if lang() == "vi" else "%b %Y"
    tooltip = [
        alt.Tooltip("title:N", title=word("intro.tip.document")),
        alt.Tooltip("kind_words:N", title=word("intro.tip.kind")),
        alt.Tooltip("event_date:T", title=word("intro.tip.dated"), format=date_format),
        alt.Tooltip("period:N", title=word("intro.tip.reports-on")),
        alt.Tooltip("source_id:N", title=word("column.source_id")),
    ]
    # the columns the text alternative names (as for outside series): "<title> — <dated>:
    # reports on <period>"
    docs = docs.assign(
        label=docs["title"] + " (" + docs["source_id"].str[:3] + ")",
        year=docs["event_date"].map(fmt_month),
        value_text=word("intro.docs.reports-on") + " " + docs["period"],
    )
    base = alt.Chart(docs).encode(
        y=alt.Y(f"{label}:N", sort=list(docs[label]), axis=None, title=None)
    )
    earliest = docs["period_start"].min()
    years = alt.Scale(domain=[f"{earliest:%Y}-01-01", f"{docs['event_date'].max().year + 1}-01-01"])
    bars = base.mark_bar(size=10, color=FIELD_COLOURS["sector_wide"], strokeWidth=0).encode(
        x=alt.X(
            "period_start:T",
            scale=years,
            title=word("intro.axis.sources"),
            axis=alt.Axis(format="%Y", tickCount="year"),
        ),
        x2="period_end:T",
        tooltip=tooltip,
    )
    issued = base.mark_point(
        shape="diamond", size=150, filled=True, color=FIELD_COLOURS["telecom"]
    ).encode(x="event_date:T", tooltip=tooltip)
    return (bars + issued + row_label(base, label, dy=-9)).properties(height=alt.Step(44))


def sources_table(docs: pd.DataFrame) -> pd.DataFrame:
    """The documents as rows of a table: date, short title, number, kind, period."""
    return pd.DataFrame(
        {
            word("intro.docs.dated"): docs["event_date"].map(fmt_month),
            word("intro.docs.source"): docs[f"short_title_{lang()}"],
            word("intro.docs.document"): docs["source_id"].str[:3],
            word("intro.docs.kind"): docs["kind_words"],
            word("intro.docs.reports-on"): docs["period"],
        }
    )


def kinds_demo(rows: pd.DataFrame) -> alt.VConcatChart:
    """One bar per kind of value, in percent, drawn as that kind is drawn everywhere.

    Each bar's label is ``intro.kinds.<figure_id>`` in the vocabulary."""
    demo = rows.assign(short=[word(f"intro.kinds.{fid}") for fid in rows["figure_id"]])
    grey = FIELD_COLOURS["sector_wide"]
    kinds = kind_encodings(demo, legend=False)
    panels = []
    for part in by_measure(demo):  # one measure per axis: a panel each
        base = alt.Chart(part).encode(
            y=alt.Y("short:N", sort=list(part["short"]), axis=None, title=None),
            x=alt.X("value:Q", title=axis_title(part), scale=alt.Scale(domain=[0, 100])),
        )
        panels.append(
            (
                base.mark_bar(size=16, color=grey, stroke=grey, strokeWidth=2).encode(
                    tooltip=provenance_tooltip(), **kinds
                )
                + base.mark_text(align="left", dx=5).encode(
                    text=alt.Text("value:Q", format=".4~g")
                )
                + row_label(base, "short", dy=-11, width=stacked_width(280))
            ).properties(width=280, height=alt.Step(46))
        )
    return alt.vconcat(*panels, spacing=14).properties(autosize=alt.AutoSizeParams(type="pad"))


def glance_rows(facts: Any, changes: Changes) -> pd.DataFrame:
    """Figure rows of each change, tagged as its first, middle or last point."""
    picks = []
    for name, ids in changes.items():
        for step, fid in enumerate(ids):
            role = "from" if step == 0 else "to" if step == len(ids) - 1 else "via"
            picks.append(facts.loc[fid].to_dict() | {"short": name, "role": role})
    return pd.DataFrame(picks)


def glance_panel(
    facts: Any, changes: Changes, *, title: str | None, x_title: str, ranks: bool = False
) -> alt.LayerChart:
    """One panel of dumbbells in one unit: first value on the left, last one on the right."""
    data = glance_rows(facts, changes)
    fmt = "d" if ranks else ".4~g"
    ticks = [1, 25, 50, 75, 100] if ranks else [0, 25, 50, 75, 100]
    scale = alt.Scale(domain=[1, 100] if ranks else [0, 100], reverse=ranks, nice=False, padding=34)
    base = alt.Chart(data).encode(
        y=alt.Y("short:N", sort=list(changes), axis=None, title=None),
        x=alt.X("value:Q", title=x_title, scale=scale, axis=alt.Axis(values=ticks)),
    )
    colour = field_colour(legend=False)
    return (
        base.mark_line(strokeWidth=3, opacity=0.55).encode(
            color=colour, detail="short:N", order="period_start:T"
        )
        + base.mark_point(size=120, strokeWidth=2).encode(
            color=colour,
            stroke=field_colour(legend=False),
            tooltip=provenance_tooltip(),
            **kind_encodings(data, legend=False),
        )
        + base.transform_filter("datum.role === 'from'")
        .mark_text(align="right", dx=-9)
        .encode(text=alt.Text("value:Q", format=fmt))
        + base.transform_filter("datum.role === 'to'")
        .mark_text(align="left", dx=9, fontWeight=600)
        .encode(text=alt.Text("value:Q", format=fmt))
        + base.transform_filter("datum.role === 'via'")
        .mark_text(dy=15)
        .encode(text=alt.Text("value:Q", format=fmt))
        + row_label(base, "short", dy=-12, width=stacked_width(280))
    ).properties(
        width=280,
        height=alt.Step(64),  # room for a wrapped row label above a "via" value
        **({"title": alt.Title(title, anchor="start", fontSize=13)} if title else {}),
    )


def glance_chart(facts: Any, percent_changes: Changes, rank_changes: Changes) -> alt.VConcatChart:
    """Shares in percent, then ranks (1 = best, to the right): one panel, and one
    scale, per change (each is its own measure), under a heading per group."""
    groups = (
        (percent_changes, word("intro.glance.shares"), word("axis.percent"), False),
        (rank_changes, word("intro.glance.ranks"), word("intro.axis.rank"), True),
    )
    panels = [
        glance_panel(
            facts,
            {name: ids},
            title=heading if i == 0 else None,
            x_title=x_title,
            ranks=ranks,
        )
        for changes, heading, x_title, ranks in groups
        for i, (name, ids) in enumerate(changes.items())
    ]
    return alt.vconcat(*panels, spacing=14).properties(autosize=alt.AutoSizeParams(type="pad"))


def _listing(facts: Any, per_field: int) -> pd.DataFrame:
    """The newest ``per_field`` figures of each field, described in words."""
    order = facts.columns_of("field", "period_start").rename_axis("id").reset_index()
    newest_ids = order.sort_values(["period_start", "id"]).groupby("field").tail(per_field)
    newest = facts.loc[list(newest_ids["id"])].reset_index(drop=True)
    return newest.assign(
        shown=[describe(row) for _, row in newest.iterrows()],
        when=[period_words(row) for _, row in newest.iterrows()],
    )


def field_explorer(facts: Any, counts: pd.Series, *, listed: int = 40) -> alt.ConcatChart:
    """Bars counting each field's figures (``counts``, most first); tapping a bar, or
    choosing its field in the menu, lists that field's newest ``listed`` figures."""
    listing = _listing(facts, listed)
    frame = counts.rename_axis("field_name").reset_index(name="figures")
    pick = alt.selection_point(
        name="field_pick",
        fields=["field_name"],
        value=[{"field_name": FIELDS["digital_transformation"]}],
        bind=alt.binding_select(options=list(FIELDS.values()), name=word("intro.explorer.menu")),
        on="click",
        clear=False,
    )
    bar_base = alt.Chart(frame).encode(
        y=alt.Y("field_name:N", sort=list(counts.index), axis=None, title=None),
        x=alt.X("figures:Q", title=word("intro.explorer.axis")),
    )
    bars = (
        bar_base.mark_bar(size=12, strokeWidth=1.5)
        .encode(
            color=field_colour(legend=False),
            stroke=field_colour(legend=False),  # unselected bars keep a full-colour outline
            fillOpacity=alt.condition(pick, alt.value(1.0), alt.value(0.25)),
            tooltip=[
                alt.Tooltip("field_name:N", title=word("intro.explorer.field")),
                alt.Tooltip("figures:Q", title=word("intro.explorer.figures")),
            ],
        )
        .add_params(pick)
        + bar_base.mark_text(align="left", dx=4).encode(text="figures:Q")
        + bar_base.mark_text(align="left", baseline="bottom", dy=-8).encode(
            text="field_name:N", x=alt.value(0)
        )
    ).properties(
        width=290,
        height=alt.Step(32),
        title=alt.Title(word("intro.explorer.bars"), fontSize=13),
    )
    if lang() == "vi":
        # the kind's name without its explanation in brackets, to fit a phone's line
        detail = (
            "datum.shown + ' · ' + datum.when + ' · '"
            " + replace(datum.kind_name, regexp(' \\\\(.*\\\\)$'), '')"
        )
    else:
        detail = "datum.shown + ' · ' + datum.period + ' · ' + datum.kind"
    # built in the browser, so the page does not carry the same words twice
    list_base = (
        alt.Chart(listing).transform_filter(pick).transform_calculate(detail=detail)
    ).encode(
        y=alt.Y("figure_id:N", sort=alt.EncodingSortField("period_start"), axis=None, title=None)
    )
    if counts.max() <= listed:
        list_title = word("intro.explorer.list-all")
    else:
        list_title = word("intro.explorer.list-newest", n=listed)
    field_list = (
        list_base.mark_point(size=90, strokeWidth=2).encode(
            x=alt.value(6),
            color=field_colour(legend=False),
            stroke=field_colour(legend=False),
            tooltip=provenance_tooltip(),
            **kind_encodings(listing, legend=False),
        )
        # the label, then value · period · kind: wrapped to the column, three lines at most
        + row_label(
            list_base.transform_calculate(entry=f"datum.{label_column()} + '\\n' + datum.detail"),
            "entry",
            dy=15,
            width=stacked_width(290),
            x=18,
            max_lines=4,
        )
    ).properties(
        width=290,
        height=alt.Step(56),  # room for four lines on a phone
        title=alt.Title(list_title, fontSize=13),
    )
    return alt.concat(bars, field_list, columns=1, spacing=16).properties(
        autosize=alt.AutoSizeParams(type="pad")
    )
