"""The built site loads nothing from another host: a static scan of every file."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import site_pages

OFFSITE = r"(?:https?:)?//(?!127\.0\.0\.1|localhost)[^\s\"')]+"

HTML_RULES = {
    "script src": re.compile(rf"<script\b[^>]*\bsrc=[\"']({OFFSITE})", re.I),
    "img/iframe/media src": re.compile(
        rf"<(?:img|iframe|audio|video|source|embed)\b[^>]*\bsrc=[\"']({OFFSITE})", re.I
    ),
    "link href (stylesheet, font, icon, preload)": re.compile(
        rf"<link\b(?=[^>]*\brel=[\"'][^\"']*(?:stylesheet|preload|prefetch|icon|modulepreload|"
        rf"preconnect|dns-prefetch|manifest))[^>]*\bhref=[\"']({OFFSITE})",
        re.I,
    ),
}
CSS_RULES = {
    "css url()": re.compile(rf"url\(\s*[\"']?({OFFSITE})", re.I),
    "css @import": re.compile(rf"@import\s+(?:url\()?\s*[\"']?({OFFSITE})", re.I),
}
JS_RULES = {
    "js import of a remote module": re.compile(rf"import\s*\(?\s*[\"']({OFFSITE})", re.I),
    "js remote script or stylesheet URL": re.compile(
        rf"[\"']({OFFSITE}\.(?:js|mjs|css|woff2?|ttf|otf)(?:\?[^\"']*)?)[\"']", re.I
    ),
    "analytics": re.compile(r"(googletagmanager|google-analytics|gtag\()", re.I),
}


def _scan(path: Path, rules: dict[str, re.Pattern[str]]) -> list[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    return [
        f"{path.name}: {name}: {m.group(1)}"
        for name, rule in rules.items()
        for m in rule.finditer(text)
    ]


def test_no_offsite_loads_in_html(site: Path) -> None:
    found = [hit for page in site_pages(site) for hit in _scan(page, HTML_RULES | CSS_RULES)]
    found += [hit for page in site_pages(site) for hit in _scan(page, JS_RULES)]
    assert found == []


def test_no_offsite_loads_in_css_and_js(site: Path) -> None:
    css = sorted(site.rglob("*.css"))
    js = sorted(site.rglob("*.js"))
    assert css and js
    found = [hit for f in css for hit in _scan(f, CSS_RULES)]
    found += [hit for f in js for hit in _scan(f, JS_RULES)]
    assert found == []


def test_scanner_catches_offsite_references(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(
        '<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>'
        '<link rel="stylesheet" href="//fonts.googleapis.com/css2?family=Inter">'
        '<a href="https://mic.gov.vn/">a source, fine</a>'
        "<style>@import url('https://fonts.example.org/x.css');"
        "body{background:url(https://x.example/y.png)}</style>"
    )
    urls = {hit.rsplit(": ", 1)[1] for hit in _scan(page, HTML_RULES | CSS_RULES)}
    assert urls == {
        "https://cdn.jsdelivr.net/npm/vega@5",
        "//fonts.googleapis.com/css2?family=Inter",
        "https://fonts.example.org/x.css",
        "https://x.example/y.png",
    }


def test_vega_libraries_ship_with_the_site(site: Path) -> None:
    bundle = site / "_static" / "vendor" / "vega-bundle.js"
    assert bundle.is_file()
    assert bundle.stat().st_size < 1_000_000
    chart_pages = [p for p in site_pages(site) if 'class="ictstory-chart"' in p.read_text()]
    assert chart_pages, "no page holds a chart"
    for page in chart_pages:
        assert page.read_text().count("vendor/vega-bundle.js") == 1, page.name
