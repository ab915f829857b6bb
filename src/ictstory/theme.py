"""The site's Altair theme and its visual language for fields and kinds of value.

Colours come from the Okabe-Ito palette (safe for the common colour-vision
deficiencies). The kind of a value (reported, estimated, derived, target,
comparison) is never shown by colour alone: it sets the fill and the dash of
the mark, so it survives greyscale printing and colour blindness.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any

import altair as alt

from ictstory.i18n import lang, tr

THEME_NAME = "ictstory"

#: The system font stack of the site (pydata-sphinx-theme), so charts match the prose.
FONT = (
    '-apple-system, BlinkMacSystemFont, "Segoe UI", "Helvetica Neue", Arial, '
    '"Noto Sans", "Liberation Sans", sans-serif'
)


class ByLanguage(Mapping[str, str]):
    """A read-only table of display names in the edition's language, looked up at call time.

    ``FIELDS["postal"]`` is "Postal services" in English and "Bưu chính" in
    Vietnamese; ``list(FIELDS.values())``, ``series.map(FIELDS)`` and ``FIELDS.get``
    work as on a dict. The keys (and their order) are the English table's.
    """

    def __init__(self, en: dict[str, str], vi: dict[str, str]) -> None:
        if list(en) != list(vi):
            raise ValueError("the English and Vietnamese tables must have the same keys")
        self.en = en
        self.vi = vi

    def _table(self) -> dict[str, str]:
        return self.vi if lang() == "vi" else self.en

    def __getitem__(self, key: str) -> str:
        return self._table()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.en)

    def __len__(self) -> int:
        return len(self.en)

    def __repr__(self) -> str:
        return repr(self._table())


FIELDS_EN: dict[str, str] = {
    "postal": "Postal services",
    "telecom": "Telecommunications",
    "digital_transformation": "Digital transformation",
    "cybersecurity": "Cyber & information security",
    "ict_industry": "ICT industry",
    "press_media": "Press & media",
    "covid_response": "COVID-19 response",
    "economy": "Economy",
    "sector_wide": "Sector-wide",
}
#: The fields as the ministry names them (see ``vi/terms.csv``).
FIELDS_VI: dict[str, str] = {
    "postal": "Bưu chính",
    "telecom": "Viễn thông",
    "digital_transformation": "Chuyển đổi số",
    "cybersecurity": "An toàn thông tin mạng",
    "ict_industry": "Công nghiệp ICT",
    "press_media": "Báo chí – truyền thông",
    "covid_response": "Phòng, chống COVID-19",
    "economy": "Kinh tế",
    "sector_wide": "Toàn ngành",
}
#: Display names of the fields in the edition's language.
FIELDS = ByLanguage(FIELDS_EN, FIELDS_VI)

#: One colour per field of the sector: Okabe-Ito hues, darkened or lightened where
#: needed so that every one is at least 3:1 against both the light page (#ffffff) and
#: the dark one (#14181e) (tests/test_layout.py checks it).
FIELD_COLOURS: dict[str, str] = {
    "postal": "#C27C00",
    "telecom": "#0072B2",
    "digital_transformation": "#009E73",
    "cybersecurity": "#D55E00",
    "ict_industry": "#CC79A7",
    "press_media": "#3A93CF",
    "covid_response": "#B03C7C",
    "economy": "#958A00",
    "sector_wide": "#8C8C8C",
}

KINDS_EN: dict[str, str] = {
    "reported": "Reported",
    "estimated": "Estimated",
    "derived": "Derived (our arithmetic)",
    "target": "Target",
    "comparison": "Comparison (benchmark)",
    "outside": "Outside source",
}
KINDS_VI: dict[str, str] = {
    "reported": "Báo cáo",
    "estimated": "Ước tính",
    "derived": "Suy ra (phép tính của chúng tôi)",
    "target": "Mục tiêu",
    "comparison": "So sánh (mốc đối chiếu)",
    "outside": "Nguồn bên ngoài",
}
#: Display names of the kinds of value in the edition's language.
KINDS = ByLanguage(KINDS_EN, KINDS_VI)

#: Units of ``data/figures.csv`` as a column of a table or tooltip shows them.
UNITS_VI: dict[str, str] = {
    "count": "số lượng",
    "thousand": "nghìn",
    "million": "triệu",
    "billion": "tỷ",
    "VND billion": "tỷ đồng",
    "VND million": "triệu đồng",
    "USD million": "triệu USD",
    "USD billion": "tỷ USD",
    "tonnes": "tấn",
    "percent": "%",
    "percentage points": "điểm phần trăm",
    "rank": "thứ hạng",
    "times": "lần",
    "per 100 inhabitants": "trên 100 dân",
    "metres": "mét",
    "years": "năm",
    "places": "bậc",
}
UNITS = ByLanguage({unit: unit for unit in UNITS_VI}, UNITS_VI)


#: How each kind of value looks: fill opacity and stroke dash.
KIND_FILL: dict[str, float] = {
    "reported": 1.0,
    "estimated": 0.45,
    "derived": 0.2,
    "target": 0.0,
    "comparison": 0.0,
    "outside": 0.6,
}
KIND_DASH: dict[str, list[int]] = {
    "reported": [1, 0],
    "estimated": [5, 3],
    "derived": [2, 2],
    "target": [7, 3],
    "comparison": [1, 0],
    "outside": [1, 2],
}

SEQUENCE = list(FIELD_COLOURS.values())


def field_colour(title: str | None = None, legend: bool = True) -> alt.Color:
    """Colour encoding for the ``field_name`` column, fixed across every chart.

    ``title`` defaults to "Field" ("Lĩnh vực" in Vietnamese)."""
    if title is None:
        title = tr("Field", "Lĩnh vực")
    return alt.Color(
        "field_name:N",
        title=title,
        scale=alt.Scale(domain=list(FIELDS.values()), range=list(FIELD_COLOURS.values())),
        legend=alt.Legend(orient="bottom", columns=2) if legend else None,
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
    title = tr("Kind of value", "Loại số liệu")
    return {
        "fillOpacity": alt.FillOpacity(
            "kind:N",
            title=title,
            # ordinal: a point scale would interpolate between the first and last opacity
            scale=alt.Scale(type="ordinal", domain=domain, range=[KIND_FILL[k] for k in domain]),
            legend=alt.Legend(orient="bottom", columns=2, **labels) if show_legend else None,
        ),
        "strokeDash": alt.StrokeDash(
            "kind:N",
            title=title,
            scale=alt.Scale(domain=domain, range=[KIND_DASH[k] for k in domain]),
            legend=alt.Legend(orient="bottom", columns=2, **labels) if show_legend else None,
        ),
    }


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
    :func:`ictstory.charts.show` puts it in each chart's own config."""
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
                "fontSize": 15,
                "fontWeight": 600,
                "color": text,
                "subtitleColor": muted,
                "subtitleFontSize": 12,
                "offset": 10,
            },
            "axis": {
                "labelColor": muted,
                "titleColor": text,
                "gridColor": grid,
                "domainColor": muted,
                "tickColor": muted,
                "labelFontSize": 11,
                "titleFontSize": 12,
                "titleFontWeight": 500,
                "labelLimit": 160,
            },
            "legend": {
                "labelColor": text,
                "titleColor": text,
                "labelFontSize": 11,
                "titleFontSize": 12,
                "orient": "bottom",
                "symbolStrokeWidth": 2,
            },
            "header": {"labelColor": text, "titleColor": text, "labelFontSize": 12},
            "text": {"color": text, "fontSize": 11},
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
