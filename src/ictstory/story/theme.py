"""The site's Altair theme and its visual language for fields and kinds of value.

Colours come from the Okabe-Ito palette (safe for the common colour-vision
deficiencies). The kind of a value (reported, estimated, derived, target,
comparison) is never shown by colour alone: it sets the fill and the dash of
the mark, so it survives greyscale printing and colour blindness.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import altair as alt

from ictstory.data.vocabulary import slug
from ictstory.i18n import lang
from ictstory.story.words import word

THEME_NAME = "ictstory"

#: The page's font stack (pydata-sphinx-theme's ``--pst-font-family-base``), so charts
#: match the prose. In the book the interactive chart takes the page's computed font
#: and the static SVG the page's CSS variable; this stack is for everywhere else.
FONT = (
    'system-ui, -apple-system, "Segoe UI", "Noto Sans", "Helvetica Neue", Arial, '
    '"Liberation Sans", sans-serif'
)
#: Smallest chart text (px): axis and legend labels, text marks.
LABEL_SIZE = 12


class ByLanguage(Mapping[str, str]):
    """Display names of data values in the edition's language, from the vocabulary.

    ``FIELDS["postal"]`` is the word ``field.postal``: "Postal services" in English and
    "Bưu chính" in Vietnamese, looked up at call time; ``list(FIELDS.values())``,
    ``series.map(FIELDS)`` and ``FIELDS.get`` work as on a dict, in ``keys`` order.
    """

    def __init__(self, prefix: str, keys: tuple[str, ...]) -> None:
        self.prefix = prefix
        self.keys_in_order = keys

    def in_language(self, language: str) -> dict[str, str]:
        """The whole table in one language."""
        return {key: word(self._key(key), language) for key in self.keys_in_order}

    def _key(self, key: str) -> str:
        return f"{self.prefix}.{slug(key)}"

    def __getitem__(self, key: str) -> str:
        if key not in self.keys_in_order:
            raise KeyError(key)
        return word(self._key(key), lang())

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys_in_order)

    def __len__(self) -> int:
        return len(self.keys_in_order)

    def __repr__(self) -> str:
        return repr(self.in_language(lang()))


#: The fields of the sector, as the data names them; their display names (one name
#: per field in each language) are the vocabulary's ``field.<key>``.
FIELD_KEYS = (
    "postal",
    "telecom",
    "digital_transformation",
    "cybersecurity",
    "ict_industry",
    "press_media",
    "covid_response",
    "economy",
    "sector_wide",
)
#: Display names of the fields in the edition's language.
FIELDS = ByLanguage("field", FIELD_KEYS)

#: One colour per field of the sector on the light page (#ffffff): Okabe-Ito hues,
#: darkened where needed so that every one is at least 3:1 against it (WCAG 1.4.11);
#: the economy is a brown (Okabe-Ito's yellow, darkened, read as the postal orange
#: for deuteranopes). tests/test_palette.py holds the contrast and the distances.
FIELD_COLOURS: dict[str, str] = {
    "postal": "#C27C00",
    "telecom": "#0072B2",
    "digital_transformation": "#009E73",
    "cybersecurity": "#D55E00",
    "ict_industry": "#CC79A7",
    "press_media": "#3A93CF",
    "covid_response": "#B03C7C",
    "economy": "#6F4E37",
    "sector_wide": "#8C8C8C",
}
#: The same hues for the dark page (#14181e), lightened to at least 4.5:1 against it
#: (the light palette's blue and magenta sank to 3.2-3.4:1 there). The interactive
#: chart swaps every light colour for its dark twin in dark mode (:func:`dark_colours`).
FIELD_COLOURS_DARK: dict[str, str] = {
    "postal": "#E69F00",
    "telecom": "#4A9DE6",
    "digital_transformation": "#1DB98A",
    "cybersecurity": "#F07A33",
    "ict_industry": "#DB8CBB",
    "press_media": "#8FD0F5",
    "covid_response": "#D65C9E",
    "economy": "#D4C26A",
    "sector_wide": "#A3A3A3",
}
#: The page backgrounds the palettes are made for (pydata-sphinx-theme's
#: ``--pst-color-background``, tests/test_layout.py reads them from its CSS).
BACKGROUND = {"light": "#ffffff", "dark": "#14181e"}
#: Marks drawn in a colour of their own, not a field's (light, dark).
WAVE_COLOURS = ("#C2448A", "#E27AB4")
#: The ring drawn around a timeline's dots so that close ones stay apart: the page.
HALO_COLOURS = (BACKGROUND["light"], BACKGROUND["dark"])


def dark_colours() -> dict[str, str]:
    """Each light-mode mark colour (upper-case hex) with its dark-mode twin."""
    pairs = {FIELD_COLOURS[k].upper(): FIELD_COLOURS_DARK[k] for k in FIELD_COLOURS}
    pairs[WAVE_COLOURS[0].upper()] = WAVE_COLOURS[1]
    pairs[HALO_COLOURS[0].upper()] = HALO_COLOURS[1]
    return pairs


#: The kinds of value, as the data names them; their display names are the
#: vocabulary's ``kind.<key>``.
KIND_KEYS = ("reported", "estimated", "derived", "target", "comparison", "outside")
#: Display names of the kinds of value in the edition's language.
KINDS = ByLanguage("kind", KIND_KEYS)

#: Units of ``data/figures.csv``; as a column of a table or tooltip shows them, they
#: are the vocabulary's ``unit.<unit>`` (the English word is the unit as the data
#: writes it).
UNIT_KEYS = (
    "count",
    "thousand",
    "million",
    "billion",
    "VND billion",
    "VND million",
    "USD million",
    "USD billion",
    "tonnes",
    "percent",
    "percentage points",
    "rank",
    "times",
    "per 100 inhabitants",
    "metres",
    "years",
    "places",
)
UNITS = ByLanguage("unit", UNIT_KEYS)


#: How each kind of value looks: fill opacity and stroke dash (no two kinds alike).
#: Reported is solid, estimated half-filled and dashed, derived faintly filled and
#: dotted, a target outlined and long-dashed, a comparison outlined, a value from
#: an outside source mostly filled with a dash-dot outline.
KIND_FILL: dict[str, float] = {
    "reported": 1.0,
    "estimated": 0.45,
    "derived": 0.2,
    "target": 0.0,
    "comparison": 0.0,
    "outside": 0.7,
}
KIND_DASH: dict[str, list[int]] = {
    "reported": [1, 0],
    "estimated": [5, 3],
    "derived": [2, 2],
    "target": [7, 3],
    "comparison": [1, 0],
    "outside": [8, 3, 2, 3],
}
#: Size (area, px²) of a legend symbol of the kinds: large enough to show its dash.
KIND_SYMBOL_SIZE = 200

SEQUENCE = list(FIELD_COLOURS.values())


def field_colour(
    title: str | None = None, legend: bool = True, present: Iterable[str] | None = None
) -> alt.Color:
    """Colour encoding for the ``field_name`` column, fixed across every chart.

    ``title`` defaults to "Field" ("Lĩnh vực" in Vietnamese); ``present`` (field keys)
    limits the scale, and so the legend, to the fields a chart draws."""
    if title is None:
        title = word("legend.field")
    keys = [k for k in FIELDS if present is None or k in set(present)]
    return alt.Color(
        "field_name:N",
        title=title,
        scale=alt.Scale(domain=[FIELDS[k] for k in keys], range=[FIELD_COLOURS[k] for k in keys]),
        legend=alt.Legend(orient="bottom") if legend else None,
    )


def kind_encodings(data: object = None, legend: bool = True) -> dict[str, Any]:
    """Fill-opacity and stroke-dash encodings for the ``kind`` column.

    With ``data`` (a DataFrame with a ``kind`` column) the legend lists only the
    kinds present, and is left out when there is just one.
    """
    domain = list(KINDS)
    if data is not None and "kind" in getattr(data, "columns", []):
        present = set(data["kind"].dropna())
        domain = [k for k in KINDS if k in present] or domain
    show_legend = legend and len(domain) > 1
    labels = {"labelExpr": _label_expr(KINDS)}
    title = word("column.kind")
    return {
        "fillOpacity": alt.FillOpacity(
            "kind:N",
            title=title,
            # ordinal: a point scale would interpolate between the first and last opacity
            scale=alt.Scale(type="ordinal", domain=domain, range=[KIND_FILL[k] for k in domain]),
            legend=alt.Legend(orient="bottom", **labels) if show_legend else None,
        ),
        "strokeDash": alt.StrokeDash(
            "kind:N",
            title=title,
            scale=alt.Scale(domain=domain, range=[KIND_DASH[k] for k in domain]),
            legend=alt.Legend(orient="bottom", **labels) if show_legend else None,
        ),
    }


def patch_kind_legends(vega: dict[str, Any]) -> dict[str, Any]:
    """Make every legend of the kinds in a compiled Vega spec draw its symbols as the
    marks look: fill opacity *and* dash, with an outline and a size that shows the dash.

    Vega-Lite merges the fill-opacity and stroke-dash legends of ``kind`` into one that
    keeps only the dash (and no outline on bars), so every swatch came out solid, and
    its legends take no ``encode`` block. ``static/ictstory-charts.js`` applies the same
    patch to the interactive chart (Vega-Embed's ``patch`` option). Changes ``vega`` in
    place and returns it.
    """

    def walk(scope: dict[str, Any], scales: set[str]) -> None:
        scales = scales | {s["name"] for s in scope.get("scales", [])}
        for legend in scope.get("legends", []):
            channels = {
                ch: legend.get(ch) or _paired_scale(legend, ch, scales)
                for ch in ("fillOpacity", "strokeDash")
            }
            if not all(channels.values()):
                continue
            legend.update(channels)
            update = legend.setdefault("encode", {}).setdefault("symbols", {})
            update = update.setdefault("update", {})
            fill = update.get("fill", {})
            update["fillOpacity"] = {"scale": channels["fillOpacity"], "field": "value"}
            update["strokeDash"] = {"scale": channels["strokeDash"], "field": "value"}
            if "value" in fill and update.get("stroke", {}).get("value") in (None, "transparent"):
                update["stroke"] = dict(fill)
            update["strokeWidth"] = {"value": 2}
            update["opacity"] = {"value": 1}
            update["size"] = {"value": KIND_SYMBOL_SIZE}
        for mark in scope.get("marks", []):
            if mark.get("type") == "group":
                walk(mark, scales)

    walk(vega, set())
    return vega


def _paired_scale(legend: dict[str, Any], channel: str, scales: set[str]) -> str | None:
    """The scale of ``channel`` beside a legend's other kind scale ("strokeDash" →
    "fillOpacity", "layer_0_strokeDash" → "layer_0_fillOpacity"), if there is one."""
    other = "strokeDash" if channel == "fillOpacity" else "fillOpacity"
    name = legend.get(other)
    if not isinstance(name, str) or not name.endswith(other):
        return None
    paired = name[: -len(other)] + channel
    return paired if paired in scales else None


def _label_expr(mapping: dict[str, str]) -> str:
    """A Vega expression turning keys into display labels."""
    parts = " : ".join(f"datum.label === {_js(k)} ? {_js(v)}" for k, v in mapping.items())
    return f"{parts} : datum.label"


def _js(text: str) -> str:
    """A string literal for a Vega expression."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


#: Vega's number and time formats in Vietnamese: ``1.234,5``, "tháng 7".
VI_LOCALE: dict[str, Any] = {
    "number": {
        "decimal": ",",
        "thousands": ".",
        "grouping": [3],
        "currency": ["", "\u00a0₫"],
        "percent": "%",
        "minus": "\u2212",
        "nan": "NaN",
    },
    "time": {
        "dateTime": "%A, %d/%m/%Y, %X",
        "date": "%d/%m/%Y",
        "time": "%H:%M:%S",
        "periods": ["SA", "CH"],
        "days": ["Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"],
        "shortDays": ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
        "months": [f"tháng {m}" for m in range(1, 13)],
        "shortMonths": [f"Th{m}" for m in range(1, 13)],
    },
}


def locale_config() -> dict[str, Any]:
    """The Vega-Lite ``config`` entries of the edition's language: ``{}`` in English
    (Vega's default en-US formats), the Vietnamese number and time locale in Vietnamese.

    Kept out of :func:`theme_config` (which the site ships once for both editions):
    :func:`ictstory.story.charts.show` puts it in each chart's own config."""
    return {"locale": copy.deepcopy(VI_LOCALE)} if lang() == "vi" else {}


def theme_config() -> dict[str, Any]:
    """The Vega-Lite config of the site's light theme (dark mode is applied in the page)."""
    text = "#1f2328"
    muted = "#57606a"
    grid = "#d8dee4"
    return {
        "config": {
            "background": "transparent",
            "font": FONT,
            "padding": 4,
            "autosize": {"type": "fit-x", "contains": "padding"},
            "view": {"stroke": None, "continuousHeight": 260, "continuousWidth": 320},
            "title": {
                "anchor": "start",
                "fontSize": 16,
                "fontWeight": 600,
                "color": text,
                "subtitleColor": muted,
                "subtitleFontSize": 13,
                "offset": 10,
            },
            "axis": {
                "labelColor": muted,
                "titleColor": text,
                "gridColor": grid,
                "domainColor": muted,
                "tickColor": muted,
                "labelFontSize": LABEL_SIZE,
                "titleFontSize": 13,
                "titleFontWeight": 500,
                "labelLimit": 180,
                "labelPadding": 3,
            },
            # about five ticks whatever the width (Vega's default is one per 40 px)
            "axisQuantitative": {"tickCount": 5},
            "legend": {
                "labelColor": text,
                "titleColor": text,
                "labelFontSize": LABEL_SIZE,
                "titleFontSize": 13,
                "orient": "bottom",
                "columns": 2,
                "labelLimit": 280,
                "symbolStrokeWidth": 2,
                # kinds on field-coloured marks: a grey at 3:1 on the light and dark page
                "symbolFillColor": FIELD_COLOURS["sector_wide"],
                "symbolStrokeColor": FIELD_COLOURS["sector_wide"],
            },
            "header": {
                "labelColor": text,
                "titleColor": text,
                "labelFontSize": 13,
                "titleFontSize": 13,
            },
            "text": {"color": text, "fontSize": LABEL_SIZE},
            "range": {"category": SEQUENCE},
            "mark": {"color": FIELD_COLOURS["telecom"]},
            "bar": {"stroke": FIELD_COLOURS["telecom"], "strokeWidth": 1.5},
            "point": {"filled": True, "size": 70, "strokeWidth": 2},
            "line": {"strokeWidth": 2},
        }
    }


def register_theme() -> None:
    """Register the site theme with Altair and make it the active one."""

    @alt.theme.register(THEME_NAME, enable=True)
    def _theme() -> alt.theme.ThemeConfig:
        theme = theme_config()
        theme["config"] |= locale_config()  # charts shown without show() read 1.234,5 too
        return theme  # type: ignore[return-value]
