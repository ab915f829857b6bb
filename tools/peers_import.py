"""Import ../shared/external/peers.csv into data/peers_*.csv (run once; kept as provenance).

Usage: python tools/peers_import.py PATH/TO/peers.csv

Writes data/peers_areas.csv (countries and aggregates), data/peers_sources.csv (one row
per page or data file) and data/peers_series.csv (one row per value, as the compiler
gave it). Older vintages flagged "[revised …]" name the newest row in superseded_by.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"

INDICATORS = {
    "Individuals using the Internet (ITU/WB IT.NET.USER.ZS)": "internet_users",
    "Mobile-cellular subscriptions per 100 people (ITU/WB IT.CEL.SETS.P2)": (
        "mobile_subscriptions_per_100"
    ),
    "Fixed broadband subscriptions per 100 people (ITU/WB IT.NET.BBND.P2)": (
        "fixed_broadband_per_100"
    ),
    "UN E-Government Development Index (EGDI) rank": "egdi_rank",
    "UN E-Government Development Index (EGDI) score": "egdi_score",
    "WIPO Global Innovation Index rank": "gii_rank",
}

AREAS = [  # area, iso3, name_en, name_vi, kind
    ("VNM", "VNM", "Vietnam", "Việt Nam", "country"),
    ("THA", "THA", "Thailand", "Thái Lan", "country"),
    ("IDN", "IDN", "Indonesia", "Indonesia", "country"),
    ("PHL", "PHL", "Philippines", "Philippines", "country"),
    ("MYS", "MYS", "Malaysia", "Malaysia", "country"),
    ("KHM", "KHM", "Cambodia", "Campuchia", "country"),
    ("LAO", "LAO", "Lao PDR", "Lào", "country"),
    ("MMR", "MMR", "Myanmar", "Myanmar", "country"),
    ("SGP", "SGP", "Singapore", "Singapore", "country"),
    ("WLD", "WLD", "World", "Thế giới", "aggregate"),
    ("EAS", "EAS", "East Asia & Pacific", "Đông Á – Thái Bình Dương", "aggregate"),
    ("UN_WORLD_AVG", "", "World (UN average)", "Thế giới (bình quân của LHQ)", "aggregate"),
    ("UN_ASIA_AVG", "", "Asia (UN average)", "Châu Á (bình quân của LHQ)", "aggregate"),
    (
        "UN_SEA_AVG",
        "",
        "South-Eastern Asia (UN average)",
        "Đông Nam Á (bình quân của LHQ)",
        "aggregate",
    ),
]
AREA_OF_COUNTRY = {
    "World (UN member-state average)": "UN_WORLD_AVG",
    "Asia (UN regional average)": "UN_ASIA_AVG",
    "South-Eastern Asia (UN sub-regional average)": "UN_SEA_AVG",
    "East Asia & Pacific (World Bank region)": "EAS",
}

#: Publisher of a page or file, by a piece of its address: (English, Vietnamese, kind).
PUBLISHERS = [
    (
        "Youssif-Alashry/",
        "Our World in Data (ITU via World Bank WDI), copy on GitHub",
        "Our World in Data (số liệu ITU qua WDI của Ngân hàng Thế giới), bản sao trên GitHub",
    ),
    (
        "sberkayuguz/",
        "Our World in Data (ITU via World Bank WDI), copy on GitHub",
        "Our World in Data (số liệu ITU qua WDI của Ngân hàng Thế giới), bản sao trên GitHub",
    ),
    (
        "byronmorara59-prog/",
        "Our World in Data (ITU via World Bank WDI), copy on GitHub",
        "Our World in Data (số liệu ITU qua WDI của Ngân hàng Thế giới), bản sao trên GitHub",
    ),
    (
        "vicho-bece/",
        "Our World in Data (ITU via World Bank WDI), copy on GitHub",
        "Our World in Data (số liệu ITU qua WDI của Ngân hàng Thế giới), bản sao trên GitHub",
    ),
    (
        "lisamalani/",
        "Our World in Data (ITU via World Bank WDI), older copy on GitHub",
        "Our World in Data (số liệu ITU qua WDI của Ngân hàng Thế giới), "
        "bản sao cũ hơn trên GitHub",
    ),
    (
        "samarthRathi/",
        "Our World in Data (ITU via World Bank WDI), older copy on GitHub",
        "Our World in Data (số liệu ITU qua WDI của Ngân hàng Thế giới), "
        "bản sao cũ hơn trên GitHub",
    ),
    (
        "UNU-EGOV/",
        "UN DESA E-Government Survey data, copy by UNU-EGOV on GitHub",
        "Dữ liệu Khảo sát Chính phủ điện tử của UN DESA, bản sao của UNU-EGOV trên GitHub",
    ),
    (
        "pluralitybook/",
        "UN DESA E-Government Survey 2022 data file, copy on GitHub",
        "Tệp dữ liệu Khảo sát Chính phủ điện tử 2022 của UN DESA, bản sao trên GitHub",
    ),
    (
        "blavatnik-index/",
        "ITU GCI 2020 scores extracted by the Blavatnik Index, copy on GitHub",
        "Điểm GCI 2020 của ITU do Chỉ số Blavatnik trích xuất, bản sao trên GitHub",
    ),
    ("hanoitimes.vn", "Hanoi Times", "Hanoi Times"),
    ("bworldonline.com", "BusinessWorld", "BusinessWorld"),
    ("thainewsroom.com", "Thai Newsroom", "Thai Newsroom"),
    ("rmco.id", "RMco.id (Rakyat Merdeka)", "RMco.id (Rakyat Merdeka)"),
    (
        "english.mic.gov.vn",
        "Ministry of Information and Communications (news page)",
        "Bộ Thông tin và Truyền thông (trang tin)",
    ),
    ("sevenmediatech.co.id", "Seven Media Technology (blog)", "Seven Media Technology (blog)"),
    ("vietnamnet.vn", "VietnamNet", "VietnamNet"),
    ("thaivisa.com", "Thaivisa (Reuters)", "Thaivisa (Reuters)"),
    ("bangkokpost.com", "Bangkok Post", "Bangkok Post"),
    ("outsourceaccelerator.com", "Outsource Accelerator", "Outsource Accelerator"),
    ("manilatimes.net", "The Manila Times", "The Manila Times"),
    (
        "thaiembdc.org",
        "Royal Thai Embassy, Washington DC",
        "Đại sứ quán Thái Lan tại Washington DC",
    ),
    ("blog.reconz.my", "Blog reprint of The Star", "Blog đăng lại bài của The Star"),
    ("gunadarma.ac.id", "Gunadarma University news", "Tin của Đại học Gunadarma"),
    ("nationthailand.com", "The Nation (Thailand)", "The Nation (Thái Lan)"),
    ("techcollectivesea.com", "Tech Collective SEA", "Tech Collective SEA"),
    ("pna.gov.ph", "Philippine News Agency", "Thông tấn xã Philippines (PNA)"),
    (
        "competitive.org.ph",
        "Philippine National Competitiveness Council",
        "Hội đồng Năng lực cạnh tranh quốc gia Philippines",
    ),
    ("investvine.com", "Investvine", "Investvine"),
    ("ipkomododragon.blogspot.com", "IP Komodo Dragon (blog)", "IP Komodo Dragon (blog)"),
    ("dlit.co", "dlit.co (news reprint)", "dlit.co (tin đăng lại)"),
    ("humanresourcesonline.net", "Human Resources Online", "Human Resources Online"),
    ("embiggengroup.com", "Embiggen Group", "Embiggen Group"),
    ("bisnis.com", "Bisnis.com", "Bisnis.com"),
    ("indonesiawindow.com", "Indonesia Window", "Indonesia Window"),
    ("canadianinquirer.net", "Canadian Inquirer (PNA wire)", "Canadian Inquirer (tin PNA)"),
    ("philstar.com", "The Philippine Star", "The Philippine Star"),
    ("theborneopost.com", "The Borneo Post", "The Borneo Post"),
    (
        "mastic.mosti.gov.my",
        "MASTIC, Malaysia's Ministry of Science, Technology and Innovation",
        "MASTIC, Bộ Khoa học, Công nghệ và Đổi mới Malaysia",
    ),
    ("businesstimes.com.sg", "The Business Times (Singapore)", "The Business Times (Singapore)"),
]
OFFICIAL = ("english.mic.gov.vn", "thaiembdc.org", "competitive.org.ph", "mastic.mosti.gov.my")
GITHUB = re.compile(r"^github:(?P<repo>\S+) path (?P<path>\S+) commit (?P<commit>[0-9a-f]{40})$")


def indicator(name: str, unit: str) -> str:
    """The outside indicator key of a peers.csv indicator name."""
    if name in INDICATORS:
        return INDICATORS[name]
    if name.startswith("ITU Global Cybersecurity Index rank"):
        return "gci_rank"
    if name.startswith("ITU Global Cybersecurity Index score"):
        return "gci_score_100" if "0-100" in unit else "gci_score"
    raise KeyError(name)


def unit(stated: str) -> str:
    """The indicator unit of a unit as stated."""
    for prefix, key in (
        ("% of population", "percent"),
        ("per 100 people", "per 100 inhabitants"),
        ("rank", "rank"),
        ("index 0-1", "index 0-1"),
        ("score", "score 0-100"),
    ):
        if stated.startswith(prefix):
            return key
    raise KeyError(stated)


def publisher(url: str) -> tuple[str, str]:
    for piece, en, vi in PUBLISHERS:
        if piece in url:
            return en, vi
    raise KeyError(url)


def main(path: Path) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    sources: dict[str, dict[str, str]] = {}
    for row in rows:
        if row["url"] in sources:
            continue
        en, vi = publisher(row["url"])
        found = GITHUB.match(row["url"])
        kind = (
            "data_file"
            if found
            else "official_page"
            if any(o in row["url"] for o in OFFICIAL)
            else "news_page"
        )
        sources[row["url"]] = {
            "peers_source_id": f"PS{len(sources) + 1:02d}",
            "publisher": en,
            "publisher_vi": vi,
            "title": row["source"],
            "page_kind": kind,
            "url": "" if found else row["url"],
            "repository": found["repo"] if found else "",
            "repository_path": found["path"] if found else "",
            "commit": found["commit"] if found else "",
            "note": "",
        }
    series = []
    for number, row in enumerate(rows, start=1):
        area = AREA_OF_COUNTRY.get(row["country"], row["iso3"])
        series.append(
            {
                "peer_id": f"P{number:03d}",
                "indicator": indicator(row["indicator"], row["unit"]),
                "indicator_stated": row["indicator"],
                "area": area,
                "country_stated": row["country"],
                "year": row["year"],
                "value": row["value"],
                "unit": unit(row["unit"]),
                "unit_stated": row["unit"],
                "hedge": "exact",
                "peers_source_id": sources[row["url"]]["peers_source_id"],
                "source_stated": row["source"],
                "excerpt": row["excerpt"],
                "confidence": row["confidence"],
                "superseded_by": "",
                "note": "",
            }
        )
    for row in series:
        if "[revised" not in row["unit_stated"]:
            continue
        newest = [
            r
            for r in series
            if (r["indicator"], r["area"], r["year"])
            == (row["indicator"], row["area"], row["year"])
            and "[" not in r["unit_stated"]
        ]
        if len(newest) != 1:
            raise ValueError(f"{row['peer_id']}: {len(newest)} newest rows")
        row["superseded_by"] = newest[0]["peer_id"]
        row["note"] = "An older vintage of the series, revised since; the newer vintage is charted."
    for name, table in (
        (
            "peers_areas.csv",
            [
                dict(zip(("area", "iso3", "name_en", "name_vi", "kind"), a, strict=True))
                for a in AREAS
            ],
        ),
        ("peers_sources.csv", list(sources.values())),
        ("peers_series.csv", series),
    ):
        with (DATA / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(table[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(table)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
