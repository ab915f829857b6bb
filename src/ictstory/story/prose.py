"""Numbers for the prose: formatted from the data and glued with myst-nb.

In a chapter::

    from ictstory.story.prose import glue_figure
    glue_figure("parcels_h1_2020", "F012")

and in the text: ``{glue:text}`parcels_h1_2020``` renders "over 377 million".
When the CSV changes and the book is rebuilt, the sentence changes with it.

Every helper here uses a figure's *effective* value, the ``value`` column of
:func:`figures`: the correction where the data has one, the computed result for
a derived figure (see :func:`ictstory.data.load_figures`). ``value_stated`` keeps
what the source states; ``describe(row, stated=True)`` words it. Where a chapter
means "the latest figure" of an indicator it asks :func:`latest`, so a newer
figure added to the data (with its own source) is picked up without code edits.

Every helper writes in the edition's language (:func:`ictstory.i18n.lang`):
"over 377 million" / "trên 377 triệu", "30.86%" / "30,86%", "the first half of
2021" / "6 tháng đầu năm 2021". A chapter never formats a number itself (no
f-string): it calls :func:`fmt_number`, :func:`fmt_date`, :func:`fmt_month`,
:func:`number_word`, :func:`counted`, :func:`ordinal`, :func:`join_words`,
:func:`unit_text` or a ``glue_*`` helper, so both editions show the same number.
"""

from __future__ import annotations

import math
from functools import lru_cache

import pandas as pd

from ictstory.data import load_figures, load_table
from ictstory.data.vocabulary import slug
from ictstory.i18n import lang
from ictstory.story import deps
from ictstory.story.theme import FIELDS, KINDS
from ictstory.story.words import has_word, word


def unit_text(text: str, unit: str) -> str:
    """A formatted number with its unit: ``("97.8", "USD billion")`` -> "US$97.8 billion",
    in Vietnamese ``("97,8", "USD billion")`` -> "97,8 tỷ USD".

    A unit without words of its own is written after the number as it is named
    in the data (English only: in Vietnamese every unit of the data has words,
    and an unknown one is an error rather than English in the Vietnamese text).
    """
    key = f"number.{slug(unit)}"
    if not has_word(key):
        if lang() == "vi":
            raise KeyError(f"unit {unit!r} has no words: add {key} to data/vocabulary.csv")
        return f"{text} {unit}"
    return word(key, n=text)


#: Units that Vietnamese writes a thousand times larger once the number reaches a
#: million of them: "2.263.000 tỷ đồng" is written "2.263 nghìn tỷ đồng".
_VI_LARGER_UNIT = {"VND billion": "VND trillion"}


def vietnamese_scale(
    value: float, high: object, unit: str, decimals: int | None
) -> tuple[float, object, str, int | None]:
    """In the Vietnamese edition, an amount of a million tỷ đồng or more in nghìn tỷ
    đồng, keeping every stated digit (1.337.857 tỷ -> 1.337,857 nghìn tỷ); otherwise
    the arguments unchanged. ``high`` is the top of a range (or NA)."""
    larger = _VI_LARGER_UNIT.get(unit)
    top = abs(float(value)) if pd.isna(high) else max(abs(float(value)), abs(float(high)))
    if lang() != "vi" or larger is None or top < 1e6:
        return value, high, unit, decimals
    digits = decimals if decimals is not None else _decimals_of(float(value))
    scaled = float(value) / 1000
    needed = max(0, digits + 3 - _trailing_zeros(float(value)))
    high = high if pd.isna(high) else float(high) / 1000
    return scaled, high, larger, min(needed, digits + 3)


def _decimals_of(value: float) -> int:
    return 0 if value.is_integer() else len(f"{value:.6g}".split(".")[-1])


def _trailing_zeros(value: float) -> int:
    """Zeros at the end of a whole number: 2263000 -> 3, 1723500 -> 2, 1337857 -> 0."""
    if not value.is_integer() or value == 0:
        return 0
    text = str(int(abs(value)))
    return len(text) - len(text.rstrip("0"))


def fmt_number(value: float, decimals: int | None = None) -> str:
    """A number in the edition's format: ``4162`` -> "4,162", ``2.6`` -> "2.6",
    ``76.42`` -> "76.42" in English; "4.162", "2,6", "76,42" in Vietnamese.

    Never a minus before zero: ``-0.0`` -> "0", ``-0.004`` with 2 decimals -> "0.00".
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ValueError("no value to format")
    if decimals is None:
        decimals = 0 if float(value).is_integer() else len(f"{value:.6g}".split(".")[-1])
    text = f"{value:,.{decimals}f}"
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]  # -0, and values that round to zero: "0", not "-0"
    if lang() == "vi":
        text = text.translate(_VI_SEPARATORS)
    return text


#: English separators to Vietnamese ones: "1,234.5" -> "1.234,5".
_VI_SEPARATORS = str.maketrans({",": ".", ".": ","})

NUMBER_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve").split()
NUMBER_WORDS_VI = [
    *"không một hai ba bốn năm sáu bảy tám chín mười".split(),
    "mười một",
    "mười hai",
]


def number_word(value: float) -> str:
    """Small counts in words ("six fields"), larger ones in figures: 6 -> "six", 40 -> "40";
    in Vietnamese 6 -> "sáu", 1200 -> "1.200"."""
    n = int(value)
    if n != value:
        raise ValueError(f"{value} is not a whole number")
    words = NUMBER_WORDS_VI if lang() == "vi" else NUMBER_WORDS
    return words[n] if 0 <= n < len(words) else fmt_number(n, 0)


def join_words(items: list[str]) -> str:
    """``["a", "b", "c"]`` -> "a, b and c" ("a, b và c" in Vietnamese)."""
    if len(items) < 2:
        return "".join(items)
    conjunction = "và" if lang() == "vi" else "and"
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def counted(count: int, noun: str) -> str:
    """``(2, "news report")`` -> "two news reports"; ``(1, "news item")`` -> "one news item".

    Vietnamese nouns have no plural: ``(6, "lĩnh vực")`` -> "sáu lĩnh vực" (pass
    the noun in the edition's language, ``word(...)``)."""
    if lang() == "vi":
        return f"{number_word(count)} {noun}"
    return f"{number_word(count)} {noun}{'' if count == 1 else 's'}"


def ordinal(value: float) -> str:
    """``25`` -> "25th", ``1`` -> "1st", ``22`` -> "22nd"; "thứ 25" in Vietnamese."""
    n = int(value)
    if lang() == "vi":
        return f"thứ {fmt_number(n, 0)}"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def fmt_date(when: object) -> str:
    """A day: "16 July 2021" in English, "16/07/2021" in Vietnamese."""
    day = pd.Timestamp(when)
    return f"{day:%d/%m/%Y}" if lang() == "vi" else f"{day:%-d %B %Y}"


def fmt_month(when: object) -> str:
    """A month: "July 2021" in English, "tháng 7/2021" in Vietnamese."""
    day = pd.Timestamp(when)
    month = str(day.month) if lang() == "vi" else f"{day:%B}"
    return word("date.month", month=month, year=f"{day:%Y}")


def lang_column(base: str) -> str:
    """The column of a text in the edition's language: ``lang_column("label")`` is
    "label_en" in English, "label_vi" in Vietnamese (also "description", "title",
    "short_title", "explanation")."""
    return f"{base}_{lang()}"


def localized_column(frame: pd.DataFrame, base: str) -> pd.Series:
    """A text column of ``frame`` in the edition's language: ``<base>_vi`` in Vietnamese,
    its blank cells (or the whole column, while the data has none) from ``<base>_en``."""
    english = frame[f"{base}_en"]
    if lang() != "vi":
        return english
    if f"{base}_vi" not in frame.columns:
        return english
    vietnamese = frame[f"{base}_vi"]
    blank = vietnamese.isna() | (vietnamese.astype("string").str.strip() == "")
    return vietnamese.mask(blank, english)


def _figures_cached() -> pd.DataFrame:
    return _figures_in(lang())


@lru_cache(maxsize=2)
def _figures_in(language: str) -> pd.DataFrame:
    """The figures with display names in ``language`` (the edition's: see FIELDS, KINDS)."""
    with deps.quiet():  # what a chapter then uses is recorded by the functions below
        table = load_figures()
    table["field_name"] = table["field"].map(FIELDS).astype("string")
    table["kind_name"] = table["kind"].map(KINDS).astype("string")
    return table.set_index("figure_id", drop=False)


def figures() -> deps.FigureTable:
    """The figures table indexed by ``figure_id`` (kept as a column too), with display
    names of the field and the kind; ``value`` is the effective value, ``value_stated``
    the value as the source states it (blank for derived figures).

    ``figures().loc[ids]`` ties the chapter to just those figures; any other use
    ties it to the whole table (see :class:`ictstory.story.deps.FigureTable`).
    """
    return deps.FigureTable(_figures_cached().copy())


def indicator(key: str) -> pd.DataFrame:
    """Every figure of one indicator, oldest period first; an error if there is none."""
    deps.record("indicator", key)
    table = _figures_cached()
    rows = table[table["indicator"] == key].sort_values(["period_start", "period_end"])
    if rows.empty:
        raise KeyError(f"indicator {key!r} has no figures in data/figures.csv")
    return rows.reset_index(drop=True)


def figure(figure_id: str) -> pd.Series:
    """One figure's row; a clear error when the id is unknown."""
    deps.record("figure", figure_id)
    table = _figures_cached()
    if figure_id not in table.index:
        raise KeyError(f"figure {figure_id!r} is not in data/figures.csv")
    return table.loc[figure_id]


def describe(
    row: pd.Series,
    *,
    qualifier: bool = True,
    unit: bool = True,
    stated: bool = False,
    decimals: int | None = None,
) -> str:
    """A figure in words: "over 377 million", "30.86%", "US$97.8 billion", "700–1,000";
    in Vietnamese "trên 377 triệu", "30,86%", "97,8 tỷ USD", "700–1.000".

    The effective value (corrected where the data corrects the source, computed
    for a derived figure); ``stated=True`` words the value as the source states it.
    """
    value = row["value"]
    if stated:
        value = row.get("value_stated", pd.NA)
        if pd.isna(value):
            raise ValueError(f"figure {row['figure_id']} states no value: it is derived")
    high = row.get("value_high", pd.NA)
    shown_unit = str(row["unit"])
    if unit:
        value, high, shown_unit, decimals = vietnamese_scale(value, high, shown_unit, decimals)
    text = fmt_number(float(value), decimals)
    if not pd.isna(high):
        text = f"{text}–{fmt_number(float(high), decimals)}"
    if unit:
        text = unit_text(text, shown_unit)
    if qualifier:
        if not pd.isna(row["qualifier"]):
            text = word(f"qualifier.{slug(str(row['qualifier']))}", n=text)
    return text


def shown_value(row: pd.Series, *, stated: bool = False) -> float:
    """The number :func:`describe` words (the low end of a range): the effective value,
    or with ``stated=True`` the value as the source states it."""
    return float(row["value_stated"] if stated else row["value"])


#: Kinds of figure that show where an indicator stands (not targets or benchmarks).
PROGRESS_KINDS = ("reported", "estimated", "derived")


@lru_cache(maxsize=1)
def _source_dates() -> dict[str, pd.Timestamp]:
    sources = load_table("sources")
    return dict(zip(sources["source_id"], sources["event_date"], strict=True))


def latest(key: str, kinds: tuple[str, ...] = PROGRESS_KINDS) -> pd.Series:
    """The newest figure of an indicator: latest period end, then latest source, then
    the longer period (a full year over its second half).

    Only figures of ``kinds`` count (by default not targets or comparisons). A
    figure for a later period, or one published later for the same period, is
    newer; so adding a row with its own source is all it takes to move "the
    latest figure" of a chapter. A clear error when the indicator has none.
    """
    deps.record("indicator", key)
    table = _figures_cached()
    rows = table[(table["indicator"] == key) & table["kind"].isin(kinds)]
    if rows.empty:
        raise KeyError(f"indicator {key!r} has no {'/'.join(kinds)} figure in data/figures.csv")
    order = (
        rows.reset_index(drop=True)
        .assign(published=rows["source_id"].map(_source_dates()).to_numpy())
        .sort_values(
            ["period_end", "published", "period_start", "figure_id"],
            ascending=[True, True, False, True],
        )
    )
    return table.loc[order["figure_id"].iloc[-1]]


def progress_figure(key: object) -> pd.Series | None:
    """The latest figure of a target's indicator, or None when it has none (or no indicator)."""
    if key is None or pd.isna(key):
        return None
    try:
        return latest(str(key))
    except KeyError:
        return None


def period_words(row: pd.Series) -> str:
    """A figure's period in words, from the vocabulary's ``date.*`` templates:
    "2021", "the first half of 2021", "the third quarter of 2021", "the first nine
    months of 2021", "July 2021", "16 July 2021", "2016–2020"; in Vietnamese, as the
    ministry writes it, "năm 2021", "6 tháng đầu năm 2021", "quý III/2021",
    "9 tháng đầu năm 2021", "tháng 7/2021", "ngày 16/07/2021", "giai đoạn 2016–2020",
    "từ ngày 12/10/2021 đến ngày 14/10/2021"."""
    start, end = row["period_start"], row["period_end"]
    kind = row["period_type"]
    year = f"{start:%Y}"
    if kind == "year":
        return word("date.year", year=year)
    if kind == "half":
        return word("date.half", half=word(f"date.half-{(start.month - 1) // 6 + 1}"), year=year)
    if kind == "quarter":
        quarter = word(f"date.quarter-{(start.month - 1) // 3 + 1}")
        return word("date.quarter", quarter=quarter, year=year)
    if kind == "ytd":
        return word("date.ytd", months=month_count(end.month), year=year)
    if kind == "month":
        return fmt_month(start)
    if kind == "date":
        return word("date.day", date=fmt_date(start))
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return word("date.years", first=year, last=f"{end:%Y}")
    return word("date.span", first=fmt_date(start), last=fmt_date(end))


def month_count(months: int) -> str:
    """A number of months as the edition writes it in a period: "nine" (the first nine
    months), "9" in Vietnamese (9 tháng đầu năm), as the ministry does."""
    return number_word(months) if lang() == "en" else fmt_number(months, 0)


def glue_text(name: str, text: str, value: float | None = None) -> str:
    """Glue a ready-made piece of text for ``{glue:text}`` and return it.

    ``value`` is the number the text shows, if it shows one: the two editions are
    compared on it (:func:`ictstory.story.deps.record_glue`), so pass the number, never
    its formatted text.
    """
    try:
        from myst_nb import glue
    except ImportError:  # a participant's install (requirements-room.txt) builds no book
        pass
    else:
        glue(name, text, display=False)
    from ictstory.story.notebook import record_glue  # shown in Jupyter by notebook.glued_table()

    record_glue(name, text)
    deps.record_glue(name, text, None if value is None else float(value))
    return text


def glue_number(
    name: str,
    value: float,
    decimals: int | None = None,
    suffix: str = "",
    unit: str | None = None,
) -> str:
    """Glue a computed number (a ratio, a difference) in the edition's format.

    ``unit`` words it with the vocabulary's ``number.<unit>`` template in the edition's
    language (``unit="VND trillion"``: "2,263 trillion dong" / "2.263 nghìn tỷ đồng",
    ``unit="times"``: "3.4 times" / "3,4 lần"); ``suffix`` is appended as given
    (take it from :func:`ictstory.story.words.word`).
    """
    text = fmt_number(float(value), decimals)
    if unit is not None:
        text = unit_text(text, unit)
    return glue_text(name, text + suffix, value=float(value))


def glue_figure(name: str, figure_id: str, **options: bool | int | None) -> str:
    """Glue one figure, described in words (see :func:`describe` for the options)."""
    row = figure(figure_id)
    text = describe(row, **options)  # type: ignore[arg-type]
    return glue_text(name, text, value=shown_value(row, stated=bool(options.get("stated"))))


def glue_count(name: str, figure_id: str) -> str:
    """Glue a figure that is a small count as a word: "six" (fields), "eight" (tasks)."""
    value = float(figure(figure_id)["value"])
    return glue_text(name, number_word(value), value=value)


def period_phrase(row: pd.Series) -> str:
    """The period with its preposition: "in 2021", "on 16 July 2021", "from ... to ...";
    in Vietnamese "vào năm 2021", "trong 6 tháng đầu năm 2021", "trong quý III/2021",
    "ngày 16/07/2021", "trong giai đoạn 2016–2020", "từ ngày ... đến ngày ..."."""
    start, end = row["period_start"], row["period_end"]
    kind = row["period_type"]
    if kind in ("year", "date"):
        form = kind
    elif kind in PERIOD_KINDS or (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        form = "within"
    else:
        form = "span"
    return word(f"date.phrase-{form}", period=period_words(row))


#: Period types worded as a stretch of time one is "in" ("in the first half of 2021").
PERIOD_KINDS = ("half", "quarter", "ytd", "month")


def glue_latest(name: str, key: str, **options: bool | int | None) -> pd.Series:
    """Glue the latest figure of an indicator as ``name`` and its period as ``name_when``
    ("on 16 July 2021", "in 2021": :func:`period_phrase`); returns the figure's row.
    See :func:`latest`."""
    row = latest(key)
    text = describe(row, **options)  # type: ignore[arg-type]
    glue_text(name, text, value=shown_value(row, stated=bool(options.get("stated"))))
    glue_text(f"{name}_when", period_phrase(row))
    return row
