"""Chart forms that suit sparse, mixed data; each returns an Altair chart for :func:`show`.

Every form takes rows of the figures table (``figure_id``, ``label_en``,
``label_vi``, ``period``, ``value``, ``unit``, ``kind``, ``source_id``,
``excerpt`` …), so tooltips carry provenance and the kind of value sets fill and
dash. Labels default to the edition's column: ``label_en`` in English,
``label_vi`` in Vietnamese.
"""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from ictstory.i18n import lang
from ictstory.story.axes import key_of, measure_words
from ictstory.story.charts import provenance_tooltip, row_label
from ictstory.story.scales import rank_scale
from ictstory.story.theme import FIELD_COLOURS, kind_encodings
from ictstory.story.words import word

#: Characters of a panel's title on one line (a 280 px panel on a phone).
PANEL_TITLE_CHARS = 38


def label_column(label: str | None = None) -> str:
    """The column that labels each row: ``label`` if given, else ``label_en`` in
    English and ``label_vi`` in Vietnamese."""
    if label is not None:
        return label
    return "label_vi" if lang() == "vi" else "label_en"


def _one_unit(data: pd.DataFrame) -> str:
    """The single unit of the rows; an error when a chart would mix units on one axis."""
    units = sorted(set(data["unit"].dropna()))
    if len(units) != 1:
        raise ValueError(f"rows mix units {units}: one axis, one unit")
    return units[0]


def _titled(title: str | None) -> dict[str, str]:
    """The chart's title property, only when given: a chart glued with
    :func:`ictstory.story.charts.chart` takes its title from the Markdown."""
    return {} if title is None else {"title": title}


def _rows(data: pd.DataFrame, label: str, x: alt.X) -> alt.Chart:
    """One row per label, largest value first, no y axis (labels are drawn above)."""
    order = alt.EncodingSortField("value", order="descending")
    return alt.Chart(data).encode(y=alt.Y(f"{label}:N", title=None, axis=None, sort=order), x=x)


def _annotations(base: alt.Chart, label: str, value_format: str, dx: int) -> alt.LayerChart:
    """The value beside each mark and the label above its row."""
    value = base.mark_text(align="left", dx=dx).encode(
        text=alt.Text("value:Q", format=value_format)
    )
    name = row_label(base, label, dy=-10)
    return value + name


def rank_path(
    data: pd.DataFrame,
    *,
    title: str | None = None,
    x_title: str,
    y_title: str | None = None,
    colour: str = FIELD_COLOURS["cybersecurity"],
    height: int = 220,
) -> alt.LayerChart:
    """Ranks over time with rank 1 at the top, each point labelled.

    ``y_title`` defaults to "Rank (1 = best)" ("Thứ hạng (1 = cao nhất)")."""
    if y_title is None:
        y_title = word("axis.rank")
    if _one_unit(data) != "rank":
        raise ValueError("rank_path plots ranks only")
    base = alt.Chart(data).encode(
        x=alt.X("period:O", title=x_title, axis=alt.Axis(labelAngle=0)),
        y=alt.Y(
            "value:Q",
            title=y_title,
            scale=rank_scale(data["value"]),  # 1 to 50 or more: a small move looks small
            axis=alt.Axis(format="d", tickMinStep=1),
        ),
    )
    return (
        base.mark_line(color=colour)
        + base.mark_point(color=colour, stroke=colour, size=90).encode(
            tooltip=provenance_tooltip(), **kind_encodings(data)
        )
        + base.mark_text(dy=-14, fontWeight=600).encode(text="value:Q")
    ).properties(height=height, **_titled(title))


def labelled_bars(
    data: pd.DataFrame,
    *,
    title: str | None = None,
    x_title: str,
    label: str | None = None,
    colour: str = FIELD_COLOURS["telecom"],
    value_format: str = ",",
) -> alt.LayerChart:
    """Horizontal bars of one unit, each with its label above and value beside it."""
    _one_unit(data)
    label = label_column(label)
    base = _rows(data, label, alt.X("value:Q", title=x_title))
    return (
        base.mark_bar(color=colour, stroke=colour, size=16).encode(
            tooltip=provenance_tooltip(), **kind_encodings(data)
        )
        + _annotations(base, label, value_format, dx=4)
    ).properties(height=alt.Step(46), **_titled(title))


def target_progress(
    data: pd.DataFrame,
    *,
    title: str | None = None,
    x_title: str | list[str],
    label: str | None = None,
    colour: str = FIELD_COLOURS["digital_transformation"],
    value_format: str = ",.4~g",
    sort: list[str] | None = None,
) -> alt.LayerChart | alt.VConcatChart:
    """Reached-versus-target bars: reached values as bars, targets as outlined marks.

    ``data`` holds, per ``label``, reported/estimated/derived rows and ``kind ==
    "target"`` rows in one unit (for instance percent of services at level 4).
    Rows keep the order of ``sort`` (default: their order in ``data``). Rows of
    several measures (:mod:`ictstory.story.axes`) get a panel, and a scale, each.
    """
    _one_unit(data)
    label = label_column(label)
    order = sort or list(dict.fromkeys(data[label]))
    keys = [key_of(row) for row in data.to_dict("records")]
    if len(set(keys)) > 1:  # one measure per axis: a panel (and a scale) per measure
        panels = []
        for key in dict.fromkeys(keys):
            part = data[[k == key for k in keys]]
            words = measure_words(key.measure) if key is not None else ""
            panels.append(
                target_progress(
                    part,
                    # a panel may be narrow on a phone: its axis title in short lines
                    x_title=textwrap.wrap(x_title, 16) if isinstance(x_title, str) else x_title,
                    label=label,
                    colour=colour,
                    value_format=value_format,
                    sort=[o for o in order if o in set(part[label])],
                ).properties(
                    width=280,
                    title=alt.Title(
                        textwrap.wrap(words[:1].upper() + words[1:], PANEL_TITLE_CHARS),
                        anchor="start",
                        fontSize=13,
                    ),
                )
            )
        return alt.vconcat(*panels, spacing=16).properties(
            autosize=alt.AutoSizeParams(type="pad"), **_titled(title)
        )
    base = alt.Chart(data).encode(
        y=alt.Y(f"{label}:N", title=None, sort=order, axis=alt.Axis(labelLimit=200)),
        # room for the target marks at the top end, none below zero (a share or count)
        x=alt.X("value:Q", title=x_title, scale=alt.Scale(padding=16, domainMin=0)),
    )
    reached = base.transform_filter("datum.kind !== 'target'")
    target = base.transform_filter("datum.kind === 'target'")
    return (
        reached.mark_bar(color=colour, stroke=colour, size=18).encode(
            tooltip=provenance_tooltip(), **kind_encodings(data, legend=False)
        )
        + target.mark_tick(color=colour, thickness=3, size=30, strokeDash=[7, 3]).encode(
            tooltip=provenance_tooltip()
        )
        + reached.mark_text(align="left", dx=4).encode(
            text=alt.Text("value:Q", format=value_format)
        )
    ).properties(height=alt.Step(48), **_titled(title))
