"""The package in the Vietnamese edition: numbers, dates, periods, units and charts.

Unit tests (no build): each sets ``$ICTSTORY_LANG`` and calls the helpers of
:mod:`ictstory.story.prose`, :mod:`ictstory.story.charts` and the tables of the data page.
English output is checked against what it was before the Vietnamese edition.
"""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
import pytest

from ictstory.data import load_table
from ictstory.data.vocabulary import slug
from ictstory.story import charts, claims, deps, forms, prose, reference, theme
from ictstory.story.words import has_word

#: English words that must not appear in Vietnamese text about a figure.
ENGLISH_WORDS = re.compile(
    r"\b(over|more|than|nearly|about|up|to|under|thousand|million|billion|trillion|dong|"
    r"tonnes|percent|percentage|points|times|per|inhabitants|metres|years|places|"
    r"first|second|third|fourth|half|quarter|months|of|the|in|on|from|and|"
    r"January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\b"
)


@pytest.fixture
def vi(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICTSTORY_LANG", "vi")


@pytest.fixture
def en(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICTSTORY_LANG", "en")


def row(**values: object) -> pd.Series:
    """A figure row with defaults; dates as Timestamps."""
    base = {
        "figure_id": "F999",
        "value": 1.0,
        "value_high": pd.NA,
        "value_stated": pd.NA,
        "unit": "count",
        "qualifier": "exact",
        "period_type": "year",
        "period_start": "2021-01-01",
        "period_end": "2021-12-31",
    }
    base.update(values)
    base["period_start"] = pd.Timestamp(base["period_start"])
    base["period_end"] = pd.Timestamp(base["period_end"])
    return pd.Series(base)


# numbers -------------------------------------------------------------------------------


@pytest.mark.usefixtures("vi")
def test_vietnamese_numbers() -> None:
    assert prose.fmt_number(1234.5) == "1.234,5"
    assert prose.fmt_number(4162) == "4.162"
    assert prose.fmt_number(2263000) == "2.263.000"
    assert prose.fmt_number(30.86) == "30,86"
    assert prose.fmt_number(2.6) == "2,6"
    assert prose.fmt_number(1234.5678, 2) == "1.234,57"
    assert prose.fmt_number(-0.0) == "0"
    assert prose.fmt_number(-0.004, 2) == "0,00"
    assert prose.fmt_number(-1500) == "-1.500"


@pytest.mark.usefixtures("en")
def test_english_numbers_unchanged() -> None:
    assert prose.fmt_number(1234.5) == "1,234.5"
    assert prose.fmt_number(-0.004, 2) == "0.00"
    assert prose.number_word(6) == "six"
    assert prose.number_word(40) == "40"
    assert prose.number_word(1200) == "1,200"
    assert prose.join_words(["a", "b", "c"]) == "a, b and c"
    assert prose.counted(2, "news report") == "two news reports"
    assert prose.counted(1, "news item") == "one news item"
    assert [prose.ordinal(n) for n in (1, 2, 3, 11, 22, 25)] == [
        "1st",
        "2nd",
        "3rd",
        "11th",
        "22nd",
        "25th",
    ]
    assert prose.fmt_date(pd.Timestamp("2021-07-16")) == "16 July 2021"
    assert prose.fmt_month("2021-07-16") == "July 2021"


@pytest.mark.usefixtures("vi")
def test_vietnamese_words_for_counts() -> None:
    words = [prose.number_word(n) for n in range(13)]
    assert words[1:] == [
        "một",
        "hai",
        "ba",
        "bốn",
        "năm",
        "sáu",
        "bảy",
        "tám",
        "chín",
        "mười",
        "mười một",
        "mười hai",
    ]
    assert prose.number_word(1200) == "1.200"
    assert prose.join_words(["a", "b", "c"]) == "a, b và c"
    assert prose.join_words(["a", "b"]) == "a và b"
    assert prose.counted(6, "lĩnh vực") == "sáu lĩnh vực"
    assert prose.counted(1, "bản tin") == "một bản tin"
    assert prose.ordinal(25) == "thứ 25"
    assert prose.ordinal(1) == "thứ 1"


@pytest.mark.usefixtures("vi")
def test_vietnamese_dates() -> None:
    assert prose.fmt_date(pd.Timestamp("2021-07-16")) == "16/07/2021"
    assert prose.fmt_date("2020-07-06") == "06/07/2020"
    assert prose.fmt_month(pd.Timestamp("2021-07-16")) == "tháng 7/2021"


# figures in words -------------------------------------------------------------------------


@pytest.mark.usefixtures("vi")
def test_vietnamese_describe() -> None:
    describe = prose.describe
    assert describe(row(value=2263.0, unit="VND trillion")) == "2.263 nghìn tỷ đồng"
    assert describe(row(value=97.8, unit="USD billion", qualifier="about")) == "khoảng 97,8 tỷ USD"
    assert describe(row(value=900.0, unit="USD million")) == "900 triệu USD"
    assert describe(row(value=75.0, unit="percent")) == "75%"
    assert describe(row(value=377.0, unit="million", qualifier="over")) == "trên 377 triệu"
    assert describe(row(value=15.0, unit="billion", qualifier="more_than")) == "hơn 15 tỷ"
    assert describe(row(value=3.0, unit="times", qualifier="nearly")) == "gần 3 lần"
    assert describe(row(value=2.0, unit="metres", qualifier="under")) == "dưới 2 mét"
    assert describe(row(value=10000.0, unit="VND billion", qualifier="up_to")) == (
        "tới 10.000 tỷ đồng"
    )
    assert describe(row(value=10000.0, unit="VND billion", qualifier="up_to_nearly")) == (
        "tới gần 10.000 tỷ đồng"
    )
    assert describe(row(value=700.0, value_high=1000.0, qualifier="range")) == "700–1.000"
    assert describe(row(value=29.44, unit="percentage points")) == "29,44 điểm phần trăm"
    assert describe(row(value=76.42, unit="per 100 inhabitants")) == "76,42 trên 100 dân"
    assert describe(row(value=661.0, unit="thousand")) == "661 nghìn"
    assert describe(row(value=77254.0, unit="tonnes")) == "77.254 tấn"
    assert describe(row(value=25.0, unit="rank")) == "25"


@pytest.mark.usefixtures("en")
def test_english_describe_unchanged() -> None:
    describe = prose.describe
    assert describe(row(value=97.8, unit="USD billion", qualifier="about")) == (
        "about US$97.8 billion"
    )
    assert describe(row(value=700.0, value_high=1000.0, qualifier="range")) == "700–1,000"
    assert describe(row(value=2.0, unit="places")) == "2 places"
    assert describe(row(value=2.5, unit="VND million", qualifier="about")) == (
        "about 2.5 VND million"
    )
    assert describe(row(value=10000.0, unit="VND billion", qualifier="up_to_nearly")) == (
        "up to nearly 10,000 billion dong"
    )


def data_values(column: str) -> set[str]:
    values: set[str] = set()
    for table in ("figures", "targets"):
        frame = load_table(table)
        if column in frame.columns:
            values |= set(frame[column].dropna().astype(str))
    return values


@pytest.mark.usefixtures("vi")
def test_every_unit_and_qualifier_of_the_data_is_vietnamese() -> None:
    units, qualifiers = data_values("unit"), data_values("qualifier")
    assert units and qualifiers
    assert all(has_word(f"number.{slug(unit)}") for unit in units)
    assert all(has_word(f"qualifier.{slug(q)}") for q in qualifiers)
    for unit in units:
        for qualifier in qualifiers:
            text = prose.describe(row(value=1234.5, unit=unit, qualifier=qualifier))
            assert "1.234,5" in text, text
            assert not ENGLISH_WORDS.search(text), f"{unit}/{qualifier}: {text!r}"
            assert "US$" not in text


@pytest.mark.usefixtures("vi")
def test_every_figure_of_the_data_in_vietnamese() -> None:
    table = prose.figures().frame
    for figure_id, figure in table.iterrows():
        if pd.isna(figure["value"]):
            continue
        for text in (
            prose.describe(figure),
            prose.period_words(figure),
            prose.period_phrase(figure),
        ):
            assert not ENGLISH_WORDS.search(text), f"{figure_id}: {text!r}"
    assert set(table["field_name"]) <= set(theme.FIELDS.in_language("vi").values())
    assert set(table["kind_name"]) <= set(theme.KINDS.in_language("vi").values())


def test_unknown_unit_is_an_error_in_vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICTSTORY_LANG", "en")
    assert prose.describe(row(value=3.0, unit="furlongs")) == "3 furlongs"
    monkeypatch.setenv("ICTSTORY_LANG", "vi")
    with pytest.raises(KeyError, match="furlongs"):
        prose.describe(row(value=3.0, unit="furlongs"))


# periods ----------------------------------------------------------------------------------

PERIODS = [
    # period_type, start, end, English words, Vietnamese words, Vietnamese phrase
    ("year", "2021-01-01", "2021-12-31", "2021", "năm 2021", "vào năm 2021"),
    (
        "half",
        "2021-01-01",
        "2021-06-30",
        "the first half of 2021",
        "6 tháng đầu năm 2021",
        "trong 6 tháng đầu năm 2021",
    ),
    (
        "half",
        "2021-07-01",
        "2021-12-31",
        "the second half of 2021",
        "6 tháng cuối năm 2021",
        "trong 6 tháng cuối năm 2021",
    ),
    (
        "quarter",
        "2021-07-01",
        "2021-09-30",
        "the third quarter of 2021",
        "quý III/2021",
        "trong quý III/2021",
    ),
    (
        "ytd",
        "2021-01-01",
        "2021-09-30",
        "the first nine months of 2021",
        "9 tháng đầu năm 2021",
        "trong 9 tháng đầu năm 2021",
    ),
    ("month", "2021-07-01", "2021-07-31", "July 2021", "tháng 7/2021", "trong tháng 7/2021"),
    ("date", "2021-07-16", "2021-07-16", "16 July 2021", "ngày 16/07/2021", "ngày 16/07/2021"),
    (
        "span",
        "2016-01-01",
        "2020-12-31",
        "2016–2020",
        "giai đoạn 2016–2020",
        "trong giai đoạn 2016–2020",
    ),
    (
        "span",
        "2021-10-12",
        "2021-10-14",
        "12 October 2021 to 14 October 2021",
        "từ ngày 12/10/2021 đến ngày 14/10/2021",
        "từ ngày 12/10/2021 đến ngày 14/10/2021",
    ),
]


@pytest.mark.parametrize(("kind", "start", "end", "english", "words", "phrase"), PERIODS)
def test_periods(
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    start: str,
    end: str,
    english: str,
    words: str,
    phrase: str,
) -> None:
    figure = row(period_type=kind, period_start=start, period_end=end)
    monkeypatch.setenv("ICTSTORY_LANG", "en")
    assert prose.period_words(figure) == english
    monkeypatch.setenv("ICTSTORY_LANG", "vi")
    assert prose.period_words(figure) == words
    assert prose.period_phrase(figure) == phrase


def test_every_period_type_of_the_data_is_covered() -> None:
    assert data_values("period_type") <= {kind for kind, *_ in PERIODS}


@pytest.mark.usefixtures("vi")
def test_period_codes_in_charts() -> None:
    label = charts.period_label
    assert label("2021") == "2021"
    assert label("2021-Q3") == "quý III/2021"
    assert label("2020-H1") == "6 tháng đầu năm 2020"
    assert label("2021-9M") == "9 tháng đầu năm 2021"
    assert label("2021-10") == "tháng 10/2021"
    assert label("2021-08-18") == "18/08/2021"
    assert label("2016/2020") == "2016–2020"
    assert label("Tháng 10/2021") == "Tháng 10/2021"  # a timeline date, already in words


# glue -------------------------------------------------------------------------------------


def test_glue_records_the_same_number_in_both_editions(monkeypatch: pytest.MonkeyPatch) -> None:
    records: dict[str, dict[str, tuple[str, float | None]]] = {}
    for language in ("en", "vi"):
        monkeypatch.setenv("ICTSTORY_LANG", language)
        seen: dict[str, tuple[str, float | None]] = {}
        monkeypatch.setattr(
            deps,
            "record_glue",
            lambda name, text, value=None, seen=seen: seen.update({name: (text, value)}),
        )
        prose.glue_figure("revenue", "F029")
        prose.glue_figure("revenue_printed", "F029", stated=True)
        prose.glue_number("trillion", 2263.0, unit="VND trillion")
        prose.glue_count("components", "F001")
        claims.glue_rank("gci", "F026")
        prose.glue_latest("upu", "upu_postal_rank")
        prose.glue_text("plain", "text")
        records[language] = seen
    en, vi = records["en"], records["vi"]
    assert {k: v[1] for k, v in en.items()} == {k: v[1] for k, v in vi.items()}
    assert en["revenue"] == ("2,263,000 billion dong", 2263000.0)
    assert vi["revenue"] == ("2.263 nghìn tỷ đồng", 2263000.0)  # not "2.263.000 tỷ"
    assert vi["revenue_printed"] == ("2.263 tỷ đồng", 2263.0)
    assert en["trillion"] == ("2,263 trillion dong", 2263.0)
    assert vi["trillion"] == ("2.263 nghìn tỷ đồng", 2263.0)
    assert vi["components"] == ("bốn", 4.0)
    assert vi["gci"] == ("thứ 25", 25.0)
    assert vi["upu_when"][1] is None and vi["plain"] == ("text", None)


# charts -----------------------------------------------------------------------------------


def sample_chart() -> alt.LayerChart:
    rows = prose.figures().loc[["F005", "F007"]].reset_index(drop=True)  # one measure per axis
    return forms.labelled_bars(rows, title="Goods moved by postal firms", x_title="t")


def test_chart_in_vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICTSTORY_LANG", "vi")
    recorded: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(deps, "record_chart", lambda cid, ids: recorded.append((cid, ids)))
    shown = charts.show(sample_chart(), alt_text="Ba thanh: hàng hóa do doanh nghiệp chuyển.")
    spec, markup = shown.spec, shown.markup
    assert spec["config"]["locale"]["number"] == theme.VI_LOCALE["number"]
    assert spec["config"]["locale"]["time"]["months"][6] == "tháng 7"
    # the static SVG uses the locale: 77.254 tonnes, axis ticks with "." for thousands
    svg_text = re.findall(r"<text[^>]*>([^<]+)</text>", markup)
    assert "77.254" in svg_text and "77,254" not in svg_text
    assert any(re.fullmatch(r"\d{1,3}(\.\d{3})+", t) for t in svg_text)
    # labels, tooltips, data table and source line are Vietnamese
    assert "hàng hóa thiết yếu cung cấp" in svg_text
    layers = spec["layer"][0]["encoding"]["tooltip"]
    tooltips = {t["title"]: t["field"] for t in layers}
    assert tooltips["Chỉ tiêu"] == "label_vi" and tooltips["Loại số liệu"] == "kind_vi"
    assert "Indicator" not in tooltips
    dataset = next(iter(spec["datasets"].values()))
    assert {r["kind_vi"] for r in dataset} == {"Báo cáo"}
    assert {r["unit_vi"] for r in dataset} == {"tấn"}
    assert "quý III/2021" in {r["period_vi"] for r in dataset}
    assert (
        'Nguồn: <a href="sources.html#src-000_4f4ee2cd52f97149">Bộ Thông tin và Truyền thông, '
        "Giao ban quý III/2021 (báo cáo hội nghị, tháng 10/2021)</a>." in markup
    )
    assert "<th scope='col'>Chỉ tiêu</th>" in markup and "label en" not in markup
    assert "<td>77.254</td>" in markup and "<td>tấn</td>" in markup
    assert "Mô tả bằng lời và dữ liệu" in markup
    anchor = re.search(r'<figure class="ictstory-chart" id="([^"]+)"', markup)
    assert anchor and recorded == [(anchor[1], ["F005", "F007"])]


def test_chart_in_english_has_no_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICTSTORY_LANG", "en")
    monkeypatch.setattr(deps, "record_chart", lambda cid, ids: None)
    shown = charts.show(sample_chart(), alt_text="Three bars: goods moved by postal firms.")
    assert "locale" not in shown.spec["config"]
    assert "77,254" in shown.markup and "Source: " in shown.markup
    assert "<th scope='col'>Indicator</th>" in shown.markup and "label en" not in shown.markup
    assert "unit_vi" not in charts.spec_json(shown.spec)


def test_display_names_follow_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICTSTORY_LANG", "en")
    assert theme.FIELDS["postal"] == "Postal services"
    assert pd.Series(["telecom"]).map(theme.FIELDS).tolist() == ["Telecommunications"]
    assert theme.kind_encodings()["strokeDash"].to_dict()["title"] == "Kind of value"
    monkeypatch.setenv("ICTSTORY_LANG", "vi")
    assert theme.FIELDS["postal"] == "Bưu chính"
    assert pd.Series(["telecom"]).map(theme.FIELDS).tolist() == ["Viễn thông"]
    assert list(theme.FIELDS) == list(theme.FIELD_KEYS)
    assert theme.kind_encodings()["strokeDash"].to_dict()["title"] == "Loại số liệu"
    assert theme.field_colour().to_dict()["title"] == "Lĩnh vực"
    assert "'Báo cáo'" in theme._label_expr(theme.KINDS)


# tables -----------------------------------------------------------------------------------


def test_data_page_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICTSTORY_LANG", "en")
    assert list(reference.counts_by_field().columns)[-1] == "all kinds"
    assert "document" in reference.counts_by_source().columns
    monkeypatch.setenv("ICTSTORY_LANG", "vi")
    by_field = reference.counts_by_field()
    assert by_field.columns[0] == "lĩnh vực" and by_field.columns[-1] == "tất cả các loại"
    assert "Bưu chính" in set(by_field["lĩnh vực"])
    by_source = reference.counts_by_source()
    assert list(by_source.columns[:3]) == ["mã văn bản", "văn bản", "ngày văn bản"]
    assert {"số liệu (dòng)", "sự kiện (dòng)", "mục tiêu (dòng)"} <= set(by_source.columns)
    dates = dict(zip(by_source["mã văn bản"], by_source["ngày văn bản"], strict=True))
    assert dates["000_4f4ee2cd52f97149"] == "tháng 10/2021"  # undated: the month, from its text
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", dates["001_7ba5a83b6a8c4d36"])
    fields = reference.fields_table("figures").markup
    assert '<th scope="col">ý nghĩa</th>' in fields and ">meaning<" not in fields
    assert "Mỗi dòng được xác định bởi figure_id." in reference.keys_text("figures")
    from ictstory.story.datapage import download_table

    downloads = download_table().markup
    assert "dung lượng" in downloads and "what it holds" not in downloads


# glossary ---------------------------------------------------------------------------------


def test_glossary_entry_in_the_vietnamese_build() -> None:
    from types import SimpleNamespace

    from ictstory.site.glossary import DataGlossary, is_vi

    assert is_vi(SimpleNamespace(language="vi")) and is_vi(SimpleNamespace(language="vi_VN"))
    assert not is_vi(SimpleNamespace(language="en")) and not is_vi(SimpleNamespace())
    entry = SimpleNamespace(
        term="CĐS",
        expansion_vi="chuyển đổi số",
        english="digital transformation",
        explanation="The ministry's programme.",
        explanation_vi="Chương trình của Bộ.",
        see_also="TT&TT",
    )
    text = DataGlossary._meaning_vi(entry).astext()
    assert text == "chuyển đổi số (tiếng Anh: digital transformation). Chương trình của Bộ."
    entry.explanation_vi = None  # not yet translated: the English explanation
    assert DataGlossary._meaning_vi(entry).astext().endswith("). The ministry's programme.")
    directive = SimpleNamespace(config=SimpleNamespace(language="vi"))
    links = DataGlossary._see_also(directive, entry, {"TT&TT"}, "glossary.csv", 2)  # type: ignore[arg-type]
    assert links is not None and links.astext() == "Xem thêm: TT&TT"
    directive.config.language = "en"
    links = DataGlossary._see_also(directive, entry, {"TT&TT"}, "glossary.csv", 2)  # type: ignore[arg-type]
    assert links is not None and links.astext() == "See also: TT&TT"


def test_glued_table_in_vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    from ictstory.story.notebook import GluedTable

    monkeypatch.setenv("ICTSTORY_LANG", "vi")
    markup = GluedTable({"a": "1.234,5"})._repr_html_()
    assert "<th scope='col'>tên</th>" in markup and "giá trị đã gắn" in markup
    monkeypatch.setenv("ICTSTORY_LANG", "en")
    assert "Values glued so far: 1" in GluedTable({"a": "1"})._repr_html_()


def test_localized_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = pd.DataFrame({"label_en": ["one", "two"], "label_vi": ["một", None]})
    monkeypatch.setenv("ICTSTORY_LANG", "en")
    assert prose.lang_column("label") == "label_en"
    assert prose.localized_column(frame, "label").tolist() == ["one", "two"]
    monkeypatch.setenv("ICTSTORY_LANG", "vi")
    assert prose.lang_column("description") == "description_vi"
    assert prose.localized_column(frame, "label").tolist() == ["một", "two"]
    assert prose.localized_column(frame[["label_en"]], "label").tolist() == ["one", "two"]
