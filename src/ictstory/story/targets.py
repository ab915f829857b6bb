"""The targets the sources state: their deadlines, progress and the scorecard.

Used by the chapter "Directions and targets". A target's status is kept as a key
(``status``: ``met``, ``met-on-paper``, ``missed``, ``open``, ``unclear``,
``unreported``), so code
compares keys whatever the edition's language; the scorecard shows it in words
(``targets.status-<key>`` in ``data/vocabulary.csv``).
"""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

from ictstory.data import load_table
from ictstory.i18n import lang
from ictstory.story.gloss import gloss_tooltip
from ictstory.story.prose import (
    describe,
    figures,
    fmt_month,
    fmt_number,
    lang_column,
    period_words,
    progress_figure,
)
from ictstory.story.theme import FIELDS, field_colour
from ictstory.story.words import word

#: The scorecard's columns, by vocabulary key, in the order the table shows them.
SCORECARD_KEYS = (
    "table.target",
    "table.due",
    "table.latest-figure",
    "table.still-to-go",
    "table.status",
)
#: What the scorecard shows for a target without a progress figure.
NO_FIGURE_KEY = "targets.no-figure"
#: The last day of 2021: the end of the period the sources can still report on.
END_2021 = pd.Timestamp("2021-12-31")


def four_digits(value: float) -> str:
    """A value rounded to four significant digits, in the edition's number format."""
    return fmt_number(float(f"{value:.4g}"))


def deadline_column() -> str:
    """The column of a target's deadline as the data states it, in the edition's language."""
    return "deadline_label_vi" if lang() == "vi" else "deadline_label"


def deadline_words(label: object) -> str:
    """A target's deadline label; "none stated" when the source gives none."""
    return word("targets.none-stated") if pd.isna(label) else str(label)


def target_table() -> pd.DataFrame:
    """The targets table with ``progress_figure_id``: the newest figure of each target's
    indicator, whatever its source (empty when the sources report none)."""
    targets = load_table("targets")
    progress = [progress_figure(key) for key in targets["indicator"]]
    targets["progress_figure_id"] = [None if row is None else row["figure_id"] for row in progress]
    return targets


def targets_due_by_2021(targets: pd.DataFrame) -> int:
    """How many targets fall due by the end of 2021."""
    return int((targets["deadline"] <= END_2021).sum())


def target_horizon(targets: pd.DataFrame) -> alt.Chart:
    """One dot per target, stacked by the year of its deadline, coloured by field.

    The rows are targets, not figures (no ``figure_id``): the text alternative names
    each target with its deadline.
    """
    no_deadline = word("word.none")
    label = lang_column("label")
    dots = targets.assign(
        due=targets["deadline"].map(lambda d: no_deadline if pd.isna(d) else str(d.year)),
        field_name=targets["field"].map(FIELDS),
        **{label: targets[lang_column("description")]},
        period=targets[deadline_column()].map(deadline_words),
        value=targets["target_value"],
        kind="target",
    ).sort_values(["deadline", "field", "target_id"])
    dots["stack"] = dots.groupby("due").cumcount() + 1
    columns = sorted(dots["due"].unique(), key=lambda g: (g == no_deadline, g))
    base = alt.Chart(dots).encode(
        x=alt.X(
            "due:O",
            sort=columns,
            title=word("targets.axis-deadline"),
            axis=alt.Axis(labelAngle=0),
        ),
        y=alt.Y("stack:O", sort="descending", axis=None, title=None),
    )
    colour = field_colour(present=dots["field"])
    tooltip = [
        alt.Tooltip("target_id:N", title=word("table.target")),
        alt.Tooltip(f"{label}:N", title=word("tooltip.target-says")),
        alt.Tooltip("period:N", title=word("tooltip.deadline")),
        alt.Tooltip("field_name:N", title=word("legend.field")),
        alt.Tooltip("source_id:N", title=word("column.source_id")),
        alt.Tooltip("excerpt:N", title=word("column.excerpt")),
        *gloss_tooltip(),
    ]
    dot = base.mark_point(size=260, filled=True, strokeWidth=0, opacity=0.9)
    return dot.encode(color=colour, tooltip=tooltip).properties(height=alt.Step(22))


def _measure(label: object) -> str:
    """What a figure's label says it counts, without remarks in brackets."""
    return re.sub(r"\s*\([^)]*\)", "", str(label)).strip().casefold()


def same_measure(target: pd.Series, progress: pd.Series, facts: pd.DataFrame) -> bool:
    """Whether the progress figure counts what the target counts: its label names the
    same thing as the target's own figure (kind ``target``, same indicator), remarks in
    brackets aside. "State agencies" do not measure a target on "IT systems"."""
    goals = facts[(facts["indicator"] == target["indicator"]) & (facts["kind"] == "target")]
    if goals.empty:
        return True
    return _measure(progress["label_en"]) in {_measure(label) for label in goals["label_en"]}


def _assess(target: pd.Series, facts: pd.DataFrame, latest: pd.Timestamp) -> pd.Series:
    """Latest figure, distance still to go and status key of one target."""
    due = target["deadline"]
    fid = target["progress_figure_id"]
    beyond_sources = pd.isna(due) or due > latest
    if pd.isna(fid):
        status = "open" if beyond_sources else "unreported"
        return pd.Series([word(NO_FIGURE_KEY), "—", status])
    row = facts.loc[fid]
    shown = f"{describe(row)} ({row['period']}, {fid})"
    if pd.isna(target["target_value"]) or row["unit"] != target["unit"]:
        status = "open" if beyond_sources else "unclear"
        return pd.Series([shown, word("targets.no-number"), status])
    to_go = target["target_value"] - row["value"]
    if to_go <= 0:
        met = "met" if same_measure(target, row, facts) else "met-on-paper"
        return pd.Series([shown, word("word.none"), met])
    unit = word("unit.points") if target["unit"] == "percent" else target["unit"]
    status = "open" if beyond_sources else "missed"
    return pd.Series([shown, f"{four_digits(to_go)} {unit}", status])


def scorecard_columns() -> list[str]:
    """The scorecard's column heads in the edition's language."""
    return [word(key) for key in SCORECARD_KEYS]


def target_scorecard(targets: pd.DataFrame, latest: pd.Timestamp) -> pd.DataFrame:
    """Every target with its latest figure, what is still to go and its status.

    ``latest`` is the date of the newest source: a target due after it is open,
    not missed. Besides the shown columns (:func:`scorecard_columns`) the frame has
    ``status`` (the key), ``has_figure`` and ``due_end_2021``.
    """
    target, due, latest_figure, to_go, status = scorecard_columns()
    facts = figures()
    card = targets.copy()
    card[[latest_figure, to_go, "status"]] = card.apply(_assess, axis=1, args=(facts, latest))
    card["has_figure"] = card["progress_figure_id"].notna()
    card["due_end_2021"] = card["deadline"] == END_2021
    card[status] = card["status"].map(lambda key: word(f"targets.status-{key}"))
    described = card[lang_column("description")]
    card = card.assign(
        **{
            target: card["target_id"]
            + ": "
            + described.str[:1].str.upper()
            + described.str[1:]
            + " ("
            + word("targets.document")
            + " "
            + card["source_id"].str[:3]
            + ")",
            due: card[deadline_column()].map(deadline_words),
        }
    )
    return card.sort_values(["deadline", "target_id"], na_position="last")


def target_verdict(status: str, latest: pd.Timestamp) -> str:
    """What a target's status means, given that the sources end at ``latest``."""
    month = fmt_month(latest)
    if status in ("open", "missed"):
        return word(f"targets.verdict-{status}", month=month)
    if status in ("met", "met-on-paper"):
        return word(f"targets.verdict-{status}")
    return word(f"targets.status-{status}")


def target_progress_rows(level4_latest: pd.Series) -> tuple[pd.DataFrame, list[str]]:
    """The figures of the progress chart, each beside its target, with a ``short`` label.

    Level 4 in 2016, 2020 and at ``level4_latest`` against the end-2021 target (F218);
    four-layer protection at the start and end of 2020 against its target (F135).
    Returns the rows and the labels in the order the chart shows them.
    """
    facts = figures()
    level4 = word("targets.level-4")
    pairs = [
        (f"{level4}, {facts.loc['F313', 'period']}", "F313", "F218"),
        (f"{level4}, {facts.loc['F312', 'period']}", "F312", "F218"),
        (f"{level4}, {period_words(level4_latest)}", level4_latest["figure_id"], "F218"),
        (word("short.F315"), "F315", "F135"),
        (word("short.F316"), "F316", "F135"),
    ]
    rows = pd.concat(
        [facts.loc[[reached, goal]].assign(short=label) for label, reached, goal in pairs],
        ignore_index=True,
    )
    return rows, [label for label, _, _ in pairs]


def target_status(target_id: str) -> str:
    """The status key of one target, computed from its figures as the scorecard does,
    against the newest source's date."""
    latest = load_table("sources")["event_date"].max()
    card = target_scorecard(target_table(), latest).set_index("target_id")
    return str(card.loc[target_id, "status"])
