"""Pages that fit a phone, print well and have enough contrast.

- Contrast (pure computation): every field colour, and the theme's default mark
  colour, is at least 3:1 (WCAG 2.x, non-text contrast) against the light and (as
  dark mode swaps it, tests/test_palette.py) the dark page background of pydata-sphinx-theme.
- Phones (browser): no page of either edition scrolls sideways at 320 and 375 px.
- The "⋯" menu of every chart is at least 3:1 against what is behind it, in both modes.
- Print (browser): the A4 PDF of a chapter has no nearly empty page but the last.
- The page (issue 9): one h1 and one viewport <meta>, no empty top bar, a description
  in the edition's language, hreflang links only with the site's address, no English
  theme words on Vietnamese pages, the sidebar not scrolled on load.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pydata_sphinx_theme
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, book_pages, next_frame, serve, wait_for_charts, wait_for_scripts
from docutils import nodes
from docutils.utils import new_document
from playwright.sync_api import Browser

from ictstory.site.cssprune import merged_sources, prune, required_names
from ictstory.site.sphinx_ext import (
    _add_description,
    _set_site_url,
    hreflang_links,
    page_description,
    tidy_page,
)
from ictstory.story.theme import FIELD_COLOURS, dark_colours, theme_config

#: WCAG 2.x: graphical objects that carry meaning need 3:1 against what is next to them.
MIN_CONTRAST = 3.0
PHONE_WIDTHS = (320, 375)


def _theme_backgrounds() -> dict[str, str]:
    """``--pst-color-background`` of the theme's light and dark mode, from its own CSS."""
    css = (
        Path(pydata_sphinx_theme.__file__).parent
        / "theme/pydata_sphinx_theme/static/styles/pydata-sphinx-theme.css"
    ).read_text(encoding="utf-8")
    found = {}
    for mode in ("light", "dark"):
        block = re.search(r"html\[data-theme=" + mode + r"\]\{([^}]*)\}", css)
        assert block, f"no {mode} block in the theme's CSS"
        colour = re.search(r"--pst-color-background:(#[0-9a-fA-F]{3,6})", block.group(1))
        assert colour, f"no page background in the theme's {mode} mode"
        found[mode] = colour.group(1)
    return found


def _rgb(colour: str) -> tuple[float, float, float]:
    text = colour.lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    r, g, b = (int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


def _css_rgb(colour: str) -> tuple[float, float, float]:
    """``rgb(1, 2, 3)`` or ``rgba(1, 2, 3, 1)`` as computed by the browser."""
    parts = [float(x) for x in re.findall(r"[\d.]+", colour)[:3]]
    return parts[0] / 255, parts[1] / 255, parts[2] / 255


def _over(
    colour: tuple[float, float, float], behind: tuple[float, float, float], opacity: float
) -> tuple[float, float, float]:
    """``colour`` drawn at ``opacity`` over ``behind``."""
    r, g, b = (opacity * c + (1 - opacity) * d for c, d in zip(colour, behind, strict=True))
    return r, g, b


def luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2.x relative luminance."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula() -> None:
    assert contrast(_rgb("#000"), _rgb("#fff")) == pytest.approx(21.0)
    assert contrast(_rgb("#777777"), _rgb("#ffffff")) == pytest.approx(4.48, abs=0.01)


def test_theme_backgrounds_are_read() -> None:
    backgrounds = _theme_backgrounds()
    assert luminance(_rgb(backgrounds["light"])) > 0.9
    assert luminance(_rgb(backgrounds["dark"])) < 0.05


def test_every_mark_colour_stands_out_in_light_and_dark_mode() -> None:
    colours = {f"field {k}": v for k, v in FIELD_COLOURS.items()}
    config = theme_config()["config"]
    colours["default mark"] = config["mark"]["color"]
    colours |= {f"category {i}": c for i, c in enumerate(config["range"]["category"])}
    dark = dark_colours()  # the interactive chart's swap in dark mode (tests/test_palette.py)
    weak = [
        f"{name} {drawn}: {contrast(_rgb(drawn), _rgb(bg)):.2f}:1 on {mode} {bg}"
        for name, colour in colours.items()
        for mode, bg in _theme_backgrounds().items()
        for drawn in [dark.get(colour.upper(), colour) if mode == "dark" else colour]
        if contrast(_rgb(drawn), _rgb(bg)) < MIN_CONTRAST
    ]
    assert weak == []


# --- In the browser ------------------------------------------------------------------


@pytest.fixture(scope="module")
def both_editions(site_root: Path) -> Iterator[tuple[str, list[str]]]:
    """The published site served, and every page of both editions."""
    pages = [
        p.relative_to(site_root).as_posix()
        for edition in ("en", "vi")
        for p in book_pages(site_root / edition)
    ]
    with serve(site_root) as url:
        yield url, pages


OVERFLOW_CULPRITS = """() => {
  const width = document.documentElement.clientWidth, out = [];
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1) continue;
    let p = e.parentElement, clipped = false;
    for (; p; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) {
        clipped = true; break;
      }
    }
    if (!clipped) out.push(`${e.tagName}.${e.className}: right edge ${Math.round(r.right)}`);
  }
  return out.slice(0, 3);
}"""


@pytest.mark.browser
@pytest.mark.parametrize("width", PHONE_WIDTHS)
def test_no_page_scrolls_sideways_on_a_phone(
    browser: Browser, both_editions: tuple[str, list[str]], width: int
) -> None:
    url, pages = both_editions
    context = browser.new_context(viewport={"width": width, "height": 740})
    page = context.new_page()
    wide = []
    for path in pages:
        page.goto(f"{url}/{path}", wait_until="load")
        wait_for_charts(page)
        scroll, inner = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        if scroll > inner:
            wide.append(f"{path}: {scroll} px wide at {inner}: {page.evaluate(OVERFLOW_CULPRITS)}")
    context.close()
    assert wide == []


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chart_actions_stand_out(
    browser: Browser, both_editions: tuple[str, list[str]], scheme: str
) -> None:
    """A chart's own actions (link, CSV, PNG, SVG) are text with 4.5:1 contrast against
    the page, and Vega-Embed's faint "⋯" menu is not shown."""
    url, _ = both_editions
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{url}/en/chapters/telecom.html", wait_until="load")
    wait_for_charts(page)
    found = page.evaluate(
        """() => {
          const page = getComputedStyle(document.body).backgroundColor;
          const items = [...document.querySelectorAll(
            '.ictstory-chart__actions a, .ictstory-chart__actions button')];
          return {
            menus: document.querySelectorAll('.vega-embed details summary').length,
            page,
            items: items.map(e => [e.textContent.trim(), getComputedStyle(e).color,
                                   getComputedStyle(e).backgroundColor]),
          };
        }"""
    )
    context.close()
    assert found["menus"] == 0
    assert len(found["items"]) >= 3
    page_colour = _css_rgb(found["page"])
    for text, colour, face in found["items"]:
        alpha = re.findall(r"[\d.]+", face)
        behind = page_colour if len(alpha) == 4 and float(alpha[3]) == 0 else _css_rgb(face)
        assert contrast(_css_rgb(colour), behind) >= 4.5, (text, colour, face, found["page"])


def _page_words(pdf: Path) -> list[int]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]
    return [
        len(
            subprocess.run(
                ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
        )
        for n in range(1, pages + 1)
    ]


@pytest.mark.browser
@pytest.mark.parametrize("path", ["en/chapters/telecom.html", "vi/chapters/telecom.html"])
def test_printed_chapter_has_no_nearly_empty_page(
    browser: Browser, both_editions: tuple[str, list[str]], path: str, tmp_path: Path
) -> None:
    if not (shutil.which("pdftotext") and shutil.which("pdfinfo")):
        pytest.fail("pdftotext not installed: run `make browser` (Debian: poppler-utils)")
    url, _ = both_editions
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{url}/{path}", wait_until="load")
    wait_for_charts(page)
    pdf = tmp_path / "chapter.pdf"
    page.pdf(path=str(pdf), format="A4")
    context.close()
    words = _page_words(pdf)
    average = sum(words) / len(words)
    sparse = [n + 1 for n, count in enumerate(words[:-1]) if count < 0.2 * average]
    assert sparse == [], f"words per page: {words}"


# --- The page's head and the theme's faults (issue 9) ----------------------------------------

#: The theme's English words that must not reach a Vietnamese page.
THEME_ENGLISH = (
    "Toggle primary sidebar",
    "Toggle secondary sidebar",
    'aria-label="Main"',
    'aria-label="Page"',
    "Version warning",
    "Link to this heading",
    'title="Index"',
    'placeholder="Search',
    ">Search<",
    'title="Search"',
)
#: Letters only Vietnamese uses (English descriptions may name a Vietnamese body).
VIETNAMESE_LETTERS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


def _every_page(site_root: Path) -> list[tuple[str, str]]:
    return [
        (p.relative_to(site_root).as_posix(), p.read_text(encoding="utf-8"))
        for edition in ("en", "vi")
        for p in book_pages(site_root / edition)
    ]


def _head(text: str) -> str:
    return text[: text.index("</head>")]


def test_one_h1_and_one_viewport_meta_per_page(site_root: Path) -> None:
    pages = _every_page(site_root)
    assert len(pages) >= 20
    viewport = 'name="viewport"'
    counts = {path: (text.count("<h1"), text.count(viewport)) for path, text in pages}
    assert {path: n for path, n in counts.items() if n != (1, 1)} == {}


def test_no_top_bar_and_one_search_field(site_root: Path) -> None:
    """The theme's top bar (empty but for a second search box) is gone; the sidebar
    keeps one search field, the article header its search button."""
    for path, text in _every_page(site_root):
        assert (
            text.count('<div id="pst-header" class="bd-header" style="display: none"></div>') == 1
        )
        assert "bd-header__inner" not in text, path
        assert text.count("search-button-field") == 1, path


def test_no_english_theme_words_on_vietnamese_pages(site_root: Path) -> None:
    found = [
        f"{path}: {words}"
        for path, text in _every_page(site_root)
        if path.startswith("vi/")
        for words in THEME_ENGLISH
        if words in text
    ]
    assert found == []
    english = (site_root / "en" / "chapters" / "postal.html").read_text(encoding="utf-8")
    assert "Toggle primary sidebar" in english  # the check looks for words that exist


def test_every_page_describes_itself(site_root: Path) -> None:
    """One ``<meta name="description">`` per page with prose: plain text, at most 160
    characters, in the edition's language (the Vietnamese one differs from its twin)."""
    descriptions = {}
    for path, text in _every_page(site_root):
        if path.rsplit("/", 1)[-1] in ("search.html", "genindex.html"):
            continue
        metas = BeautifulSoup(_head(text), "html.parser").find_all(
            "meta", attrs={"name": "description"}
        )
        assert len(metas) == 1, path
        content = metas[0]["content"]
        assert 20 <= len(content) <= 160, (path, content)
        assert "<" not in content and "\n" not in content, (path, content)
        descriptions[path] = content
    for path, content in descriptions.items():
        if path.startswith("vi/"):
            assert VIETNAMESE_LETTERS.search(content), (path, content)
            assert content != descriptions["en/" + path[3:]], path
    assert len(descriptions) >= 20


def test_hreflang_links_only_with_the_site_address(site_root: Path) -> None:
    """Absolute alternates when ``html.baseurl`` is set, none otherwise; the language
    button is on every page either way."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    site_url = (config.get("html") or {}).get("baseurl") or ""
    for path, text in _every_page(site_root):
        links = re.findall(r'<link rel="alternate" hreflang="[^"]+" href="([^"]+)"', _head(text))
        if site_url:
            assert len(links) == 3 and all(h.startswith(site_url) for h in links), path
        else:
            assert links == [], path
        assert 'class="btn ictstory-language"' in text, path


def test_hreflang_links_are_absolute() -> None:
    links = hreflang_links("https://example.org/story/", "vi", "chapters/postal")
    assert re.findall(r'hreflang="([^"]+)" href="([^"]+)"', links) == [
        ("vi", "https://example.org/story/vi/chapters/postal.html"),
        ("en", "https://example.org/story/en/chapters/postal.html"),
        ("x-default", "https://example.org/story/"),
    ]
    assert hreflang_links("https://example.org/story", "en", "index").count("/story/en/") == 1
    assert hreflang_links("", "en", "index") == ""


def test_site_url_gives_each_edition_its_own_base() -> None:
    class Config:
        html_baseurl = "https://example.org/story"
        language = "vi"

    app = SimpleNamespace(config=Config)
    _set_site_url(app, Config)  # type: ignore[arg-type]
    assert app.ictstory_site_url == "https://example.org/story"  # type: ignore[attr-defined]
    assert Config.html_baseurl == "https://example.org/story/vi/"
    Config.html_baseurl = ""
    _set_site_url(app, Config)  # type: ignore[arg-type]
    assert Config.html_baseurl == "" and app.ictstory_site_url == ""  # type: ignore[attr-defined]


def _doctree(*children: nodes.Node) -> nodes.document:
    document = new_document("test")
    document += children
    return document


def test_description_from_front_matter_or_first_paragraph() -> None:
    note = nodes.note("", nodes.paragraph(text="A note, not the page's summary."))
    prose = nodes.paragraph(text="The  first\nparagraph of prose.")
    doctree = _doctree(nodes.section("", nodes.title(text="Title"), note, prose))
    assert page_description(doctree, {}) == "The first paragraph of prose."
    assert page_description(doctree, {"description": "From front matter."}) == (
        "From front matter."
    )
    long = nodes.paragraph(text="word " * 60)
    cut = page_description(_doctree(long), None)
    assert len(cut) <= 160 and cut.endswith("word…")
    assert page_description(_doctree(), None) == ""


def test_description_is_escaped() -> None:
    doctree = _doctree(nodes.paragraph(text='A "quoted" <script>alert(1)</script> & more'))
    context: dict[str, object] = {"metatags": ""}
    _add_description(None, "x", "page.html", context, doctree)  # type: ignore[arg-type]
    assert context["metatags"] == (
        '\n<meta name="description" content="A &quot;quoted&quot; '
        '&lt;script&gt;alert(1)&lt;/script&gt; &amp; more">'
    )


def test_tidy_page() -> None:
    head, body = tidy_page(
        '<meta name="viewport" content="width=device-width, initial-scale=1" />\n<meta name="x">',
        '<pre id="a">a</pre><pre>b</pre><pre tabindex="-1">c</pre><prefix>'
        '<div class="ictstory-table"><table></table></div><div class="other">',
    )
    assert head == '<meta name="x">'
    assert body == (
        '<pre tabindex="0" id="a">a</pre><pre tabindex="0">b</pre>'
        '<pre tabindex="-1">c</pre><prefix>'
        '<div class="ictstory-table" tabindex="0"><table></table></div><div class="other">'
    )


HEADER_FACTS = """() => {
  const sidebar = document.querySelector('#pst-primary-sidebar');
  const language = document.querySelector('a.ictstory-language');
  const prose = document.querySelector('article p');
  return {
    sidebarScroll: sidebar ? sidebar.scrollTop : null,
    languageFont: parseFloat(getComputedStyle(language).fontSize),
    proseFont: parseFloat(getComputedStyle(prose).fontSize),
    searchFields: [...document.querySelectorAll('.search-button-field')]
      .filter(e => e.getBoundingClientRect().width > 0).length,
  };
}"""


@pytest.mark.browser
@pytest.mark.parametrize("size", [(1280, 720), (375, 740)])
def test_header_and_sidebar_on_load(
    browser: Browser, both_editions: tuple[str, list[str]], size: tuple[int, int]
) -> None:
    """On every page: no script fails (the themes' scripts look for the top bar), the
    primary sidebar is not scrolled on load, the language link is no larger than the
    prose, and at most one search field shows."""
    url, pages = both_editions
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    wrong: list[str] = []
    page.on("pageerror", lambda e: wrong.append(f"{page.url}: {e}"))
    for path in pages:
        if path.rsplit("/", 1)[-1] in ("search.html", "genindex.html"):
            continue
        page.goto(f"{url}/{path}", wait_until="load")
        wait_for_scripts(page)
        next_frame(page)
        facts = page.evaluate(HEADER_FACTS)
        if (
            facts["sidebarScroll"]
            or facts["languageFont"] > facts["proseFont"]
            or facts["searchFields"] > 1
        ):
            wrong.append(f"{path}: {facts}")
    context.close()
    assert wrong == []


# --- The theme's stylesheet, merged and pruned (ictstory.site.cssprune) -------------------


def test_prune_keeps_what_can_match() -> None:
    css = (
        "/* .gone{x:y} */@charset 'utf-8';/*! licence */"
        "@media (min-width:960px){.gone{a:b}.used,.gone b{c:d}}"
        "@font-face{font-family:x;src:url(x.woff2)}"
        "@keyframes spin{from{a:b}to{a:c}}"
        ".used:hover{e:f}html[data-theme=dark] .used::before{g:h}"
        ".used:not(.gone){i:j}#gone{k:l}#here>p{m:n}"
        'a[href$=".gone"]{o:p}.gone{content:"}"}.bs-tooltip-top{q:r}'
    )
    assert prune(css, {"used", "here"}) == (
        "@charset 'utf-8';/*! licence */@media (min-width:960px){.used{c:d}}"
        "@font-face{font-family:x;src:url(x.woff2)}"
        "@keyframes spin{from{a:b}to{a:c}}"
        ".used:hover{e:f}html[data-theme=dark] .used::before{g:h}"
        ".used:not(.gone){i:j}#here>p{m:n}"
        'a[href$=".gone"]{o:p}.bs-tooltip-top{q:r}'
    )


def test_required_names() -> None:
    assert required_names("html[data-theme=dark] .a:not(.b) > #c[href$='.d']::before") == {
        "a",
        "c",
    }
    assert required_names(".x:is(.y, .z) .w") == {"x", "w"}


def _uncommented(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def test_theme_css_is_pruned_and_styles_every_class_the_pages_use(site_root: Path) -> None:
    """The published stylesheet is a fraction of the theme's, and every selector of the
    theme's that could match a class or id the pages use is still there."""
    original = (
        Path(pydata_sphinx_theme.__file__).parent
        / "theme/pydata_sphinx_theme/static/styles/pydata-sphinx-theme.css"
    ).read_text(encoding="utf-8")
    for edition in ("en", "vi"):
        site = site_root / edition
        # the one stylesheet the pages link (tests/test_first_paint.py), the theme's in it
        href = re.search(
            r'<link rel="stylesheet" href="([^"]+)"', (site / "index.html").read_text()
        )
        assert href, edition
        published = (site / href.group(1)).read_text(encoding="utf-8")
        sources = merged_sources(published)
        assert "_static/styles/pydata-sphinx-theme.css" in sources
        assert len(published) < 0.5 * sum((site / s).stat().st_size for s in sources)
        used = set()
        for page in book_pages(site):
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            for tag in soup.find_all(True):
                used.update(tag.get("class") or [])
                if tag.get("id"):
                    used.add(tag["id"])
        assert {"bd-sidebar-primary", "bd-article", "bd-header-article"} <= used
        needed = {
            selector
            for prelude in re.findall(r"([^{}]+)\{[^{}]*\}", _uncommented(prune(original, used)))
            if not prelude.lstrip().startswith("@")
            for selector in prelude.split(",")
        }
        kept = set(re.findall(r"([^{}]+)\{[^{}]*\}", _uncommented(published)))
        kept_selectors = {s for prelude in kept for s in prelude.split(",")}
        assert needed <= kept_selectors
