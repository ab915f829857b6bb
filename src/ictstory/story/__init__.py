"""The chapter API: the one import a chapter's code needs.

Every story chapter starts with::

    import ictstory.story as st

    facts = st.figures()

and then glues each number in the cell just above the paragraph that uses it
(``st.glue_figure("supply_points", "F004")``), takes words from the bilingual
vocabulary (``st.word("axis.tonnes")``) and labels from the data (``label_en`` /
``label_vi``, or ``st.short_labels(rows)`` keyed by figure id), and glues each
chart under a stable id (``st.chart("postal-goods", chart)``) that the Markdown of
each edition places with its title::

    ```{chart} postal-goods
    Postal firms moved tens of thousands of tonnes of essentials in 2021
    ```

The code of the two editions is byte-identical, so it holds no words a translator
must change.
"""

from ictstory.data import load_table
from ictstory.i18n import is_vi, lang
from ictstory.story import axes, home, outside, overview, peers
from ictstory.story.cards import axis_title, key_numbers, measure_bars, measure_title, panel_title
from ictstory.story.charts import (
    alt_text,
    chart,
    provenance_tooltip,
    row_label,
    source_label,
    stacked_width,
)
from ictstory.story.claims import (
    at_year,
    by_words,
    change_words,
    claim_of,
    compare_words,
    figure_change,
    figure_fold,
    figure_words,
    fold_words,
    glue_rank,
    misprint_words,
    rank_words,
    same_words,
    share_words,
    tally_words,
    times_words,
)
from ictstory.story.covid import formula_tiles
from ictstory.story.datapage import (
    counts_by_field,
    counts_by_source,
    descriptor,
    download_table,
    framing_table,
    tables_html,
)
from ictstory.story.egov import level4_path
from ictstory.story.forms import label_column, labelled_bars, rank_path, target_progress
from ictstory.story.notebook import glued_table
from ictstory.story.panels import labels, unit_panels
from ictstory.story.peers import peers_chart
from ictstory.story.phrasing import quarter_words
from ictstory.story.prose import (
    counted,
    describe,
    figure,
    figures,
    fmt_date,
    fmt_month,
    fmt_number,
    glue_count,
    glue_figure,
    glue_latest,
    glue_number,
    glue_text,
    indicator,
    join_words,
    latest,
    localized_column,
    number_word,
    ordinal,
    period_phrase,
    period_words,
    progress_figure,
    shown_value,
)
from ictstory.story.ranges import range_dots
from ictstory.story.rates import doubling_years
from ictstory.story.reference import html_table
from ictstory.story.sourcepage import sources_html
from ictstory.story.targets import (
    deadline_words,
    scorecard_columns,
    target_horizon,
    target_progress_rows,
    target_scorecard,
    target_status,
    target_table,
    target_verdict,
    targets_due_by_2021,
)
from ictstory.story.theme import FIELD_COLOURS, FIELDS, field_colour, kind_encodings
from ictstory.story.timeline import (
    events_between,
    events_by_year,
    timeline,
    timeline_events,
    timeline_key,
)
from ictstory.story.wording import chapter_labels, printed_amount
from ictstory.story.words import short_labels, word

__all__ = [
    "download_table",
    "chapter_labels",
    "doubling_years",
    "printed_amount",
    "range_dots",
    "at_year",
    "by_words",
    "change_words",
    "claim_of",
    "compare_words",
    "figure_change",
    "figure_fold",
    "figure_words",
    "misprint_words",
    "rank_words",
    "same_words",
    "share_words",
    "tally_words",
    "times_words",
    "alt_text",
    "chart",
    "formula_tiles",
    "labels",
    "unit_panels",
    "key_numbers",
    "axis_title",
    "panel_title",
    "measure_bars",
    "measure_title",
    "counts_by_field",
    "counts_by_source",
    "descriptor",
    "framing_table",
    "tables_html",
    "events_between",
    "events_by_year",
    "timeline",
    "timeline_events",
    "timeline_key",
    "FIELDS",
    "FIELD_COLOURS",
    "counted",
    "deadline_words",
    "describe",
    "field_colour",
    "figure",
    "figures",
    "fmt_date",
    "fmt_month",
    "fmt_number",
    "fold_words",
    "glue_count",
    "glue_figure",
    "glue_latest",
    "glue_number",
    "glue_rank",
    "glue_text",
    "glued_table",
    "html_table",
    "indicator",
    "is_vi",
    "join_words",
    "kind_encodings",
    "label_column",
    "labelled_bars",
    "lang",
    "latest",
    "level4_path",
    "load_table",
    "localized_column",
    "number_word",
    "ordinal",
    "home",
    "outside",
    "axes",
    "overview",
    "peers",
    "peers_chart",
    "period_phrase",
    "period_words",
    "progress_figure",
    "provenance_tooltip",
    "quarter_words",
    "rank_path",
    "row_label",
    "scorecard_columns",
    "short_labels",
    "shown_value",
    "source_label",
    "sources_html",
    "stacked_width",
    "target_horizon",
    "target_progress",
    "target_progress_rows",
    "target_scorecard",
    "target_status",
    "target_table",
    "target_verdict",
    "targets_due_by_2021",
    "word",
]
