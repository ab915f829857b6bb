"""Charts people can share (issue 20, point 5): link previews on every page, downloads
that carry a white background, the title and the source line, stable chart ids the
language link carries over, and a page per chart to embed.

The site tests read the built editions (cheap: files and a few regular expressions);
the browser tests open two pages and one embed page."""

from __future__ import annotations

import base64
import html
import posixpath
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, open_page, serve, site_pages, wait_for_charts, wait_for_scripts
from playwright.sync_api import Browser, Locator, Page

from ictstory.build import publish
from ictstory.site import embed, previews

# ---------------------------------------------------------------- the fast tier

BODY = (
    '<p>prose</p><figure class="ictstory-chart" id="chart-postal-goods" data-slug="x">'
    '<figcaption><span class="ictstory-chart__title">Post &amp; parcels &lt;b&gt;grew'
    "</span></figcaption>"
    '<div class="ictstory-chart__view" role="img" aria-label="Bars of &quot;goods&quot;">'
    '<svg class="ictstory-chart__static" viewBox="0 0 640 300" aria-hidden="true">'
    '<rect width="640" height="300" fill="#0072B2"/></svg></div>'
    '<p class="ictstory-chart__source">Source: <a href="sources.html#src-1">Report</a>.</p>'
    "</figure>"
)


def test_charts_are_read_from_a_page_as_text() -> None:
    (chart,) = previews.charts_in(BODY)
    assert chart.chart_id == "postal-goods"
    assert chart.title == "Post & parcels <b>grew"
    assert chart.source == "Source: Report."
    assert chart.alt == 'Bars of "goods"'
    assert previews.charts_in(BODY.replace("ictstory-chart__static", "other")) == []


def test_a_card_is_1200_by_630_with_text_escaped() -> None:
    (chart,) = previews.charts_in(BODY)
    svg = previews.chart_card_svg(chart, "Book & co")
    assert "<b>" not in svg and "&lt;b&gt;grew" in svg
    data = previews.png(svg)
    assert previews.png_size(data) == (previews.CARD_WIDTH, previews.CARD_HEIGHT)
    # recompressing keeps the pixels: the same image data, deflated smaller
    raw = previews.vl_convert.svg_to_png(svg, scale=1.0)
    assert _pixels(data) == _pixels(bytes(raw)) and len(data) < len(raw)


def test_long_titles_are_cut_to_their_lines() -> None:
    lines = previews.wrap("word " * 80, 38, 1104, 2, bold=True)
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert all(previews.text_width(line, 38, bold=True) <= 1104 for line in lines)


def test_embed_page_links_lead_back_and_text_stays_text() -> None:
    (chart,) = previews.charts_in(BODY)
    page = embed.embed_page(
        chart,
        pagename="chapters/postal",
        page_title="Postal <i>",
        site_name="Book",
        language="en",
    )
    soup = BeautifulSoup(page, "html.parser")
    assert soup.select_one("figcaption").get_text() == "Post & parcels <b>grew"
    assert not soup.select("b, i, script, link")
    hrefs = [a["href"] for a in soup.select("a")]
    assert hrefs == ["../chapters/sources.html#src-1", "../chapters/postal.html#chart-postal-goods"]
    assert all(a["target"] == "_blank" for a in soup.select("a"))
    assert embed.rebase("#x", "index") == "../index.html#x"
    assert embed.rebase("https://example.org/a", "index") == "https://example.org/a"


def test_picture_address_is_relative_without_the_site_address() -> None:
    from types import SimpleNamespace

    def app(url: str) -> SimpleNamespace:
        return SimpleNamespace(config=SimpleNamespace(ogp_site_url=url))

    picture = previews.preview_name("chapters/postal")
    relative = previews.image_url(app(""), "chapters/postal", picture)
    assert relative == "../_previews/chapters/postal.png"
    assert previews.image_url(app(""), "index", "book.png") == "_previews/book.png"
    # from the site root: sphinxext-opengraph joins it to ogp_site_url, the edition's address
    rooted = previews.image_url(app("https://example.org/s/en/"), "chapters/postal", picture)
    assert rooted == "_previews/chapters/postal.png"


def _pixels(png: bytes) -> bytes:
    """The image data of a PNG, inflated (its chunks' order as written)."""
    data, pos = b"", 8
    while pos < len(png):
        size = int.from_bytes(png[pos : pos + 4], "big")
        if png[pos + 4 : pos + 8] == b"IDAT":
            data += png[pos + 8 : pos + 8 + size]
        pos += 12 + size
    return zlib.decompress(data)


# ---------------------------------------------------------------- the built site

EDITIONS = ["site", "site_vi"]


def shared_pages(edition: Path) -> list[Path]:
    """Pages someone would share: every page of the book but search and the slide decks."""
    return [
        p
        for p in site_pages(edition)
        if p.name not in ("search.html", "genindex.html") and "slides" not in p.parts
    ]


def _meta(soup: BeautifulSoup) -> dict[str, str]:
    tags = soup.select("meta[property], meta[name]")
    return {str(t.get("property") or t.get("name")): str(t.get("content", "")) for t in tags}


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_page_has_link_preview_tags_and_its_picture(
    edition: str, request: pytest.FixtureRequest
) -> None:
    site = request.getfixturevalue(edition)
    base = publish.site_url(ROOT)
    problems: list[str] = []
    pictures: dict[str, str] = {}
    pages = shared_pages(site)
    assert len(pages) >= 14
    for path in pages:
        name = path.relative_to(site).as_posix()
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        meta = _meta(soup)
        for key in ("og:title", "og:description", "og:image", "og:image:alt"):
            if not meta.get(key, "").strip():
                problems.append(f"{name}: no {key}")
        if meta.get("twitter:card") != "summary_large_image":
            problems.append(f"{name}: twitter:card is {meta.get('twitter:card')!r}")
        if meta.get("og:description") != meta.get("description"):
            problems.append(f"{name}: og:description is not the page's description")
        if (meta.get("og:image:width"), meta.get("og:image:height")) != ("1200", "630"):
            problems.append(f"{name}: picture size not declared 1200x630")
        if base:  # absolute addresses when the site's address is set
            if not meta.get("og:url", "").startswith(base):
                problems.append(f"{name}: og:url {meta.get('og:url')!r} not under {base}")
        elif "og:url" in meta:
            problems.append(f"{name}: og:url {meta['og:url']!r} without a site address")
        image = meta.get("og:image", "")
        local = (
            urlparse(image).path
            if base
            else posixpath.normpath(posixpath.join(posixpath.dirname(name), image))
        )
        if base:
            local = local.removeprefix(urlparse(base).path).split("/", 1)[-1]
        picture = site / local
        if not picture.is_file():
            problems.append(f"{name}: picture {image} missing")
            continue
        if previews.png_size(picture.read_bytes()) != (1200, 630):
            problems.append(f"{name}: picture {image} not 1200x630")
        pictures[name] = picture.relative_to(site).as_posix()
        # the picture of a page with a chart is its lead chart's; the home page's and
        # chartless pages' is the edition's card
        charts = soup.select("figure.ictstory-chart")
        card = f"{previews.PREVIEW_DIR}/{previews.BOOK_CARD}"
        wanted = card if not charts or name == "index.html" else None
        if wanted and pictures[name] != wanted:
            problems.append(f"{name}: picture {pictures[name]}, not the edition's card")
        if not wanted:
            title = charts[0].select_one(".ictstory-chart__title").get_text()
            if pictures[name] == card or title not in meta.get("og:image:alt", ""):
                problems.append(f"{name}: picture is not of the lead chart {title!r}")
    assert problems == []
    # the pictures of chart pages differ from each other (each its own chart)
    drawn = [site / p for n, p in pictures.items() if not p.endswith(previews.BOOK_CARD)]
    assert len(drawn) >= 8
    assert len({p.read_bytes() for p in drawn}) == len(drawn)


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_chart_has_an_embed_page_that_loads_nothing(
    edition: str, request: pytest.FixtureRequest
) -> None:
    site = request.getfixturevalue(edition)
    problems: list[str] = []
    expected: set[str] = set()
    for path in site_pages(site):
        name = path.relative_to(site).as_posix()
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for figure in soup.select("figure.ictstory-chart"):
            chart_id = figure["id"].removeprefix("chart-")
            target = site / "embed" / f"{chart_id}.html"
            expected.add(target.name)
            if not target.is_file():
                problems.append(f"{name}: no embed page for {figure['id']}")
                continue
            page = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
            title = figure.select_one(".ictstory-chart__title").get_text()
            source = figure.select_one(".ictstory-chart__source").get_text()
            if page.select_one("figcaption").get_text() != title:
                problems.append(f"{target.name}: title is not {title!r}")
            if page.select_one(".ictstory-embed__source").get_text() != source:
                problems.append(f"{target.name}: source line differs from the chapter's")
            if not page.select_one("div[role=img][aria-label] svg"):
                problems.append(f"{target.name}: no drawing with a text alternative")
            back = page.select_one(".ictstory-embed__more a")["href"]
            if urljoin(f"embed/{target.name}", back) != f"{name}#{figure['id']}":
                problems.append(f"{target.name}: links back to {back}, not {name}")
            for link in page.select("[href], [src]"):
                url = str(link.get("href") or link.get("src"))
                if urlparse(url).scheme or url.startswith("//"):
                    problems.append(f"{target.name}: links to another host: {url}")
                elif not (site / "embed" / url.split("#")[0]).resolve().is_file():
                    problems.append(f"{target.name}: broken link {url}")
            if page.select("script, link, img, iframe, object"):
                problems.append(f"{target.name}: loads something")
    assert problems == []
    assert len(expected) >= 20
    assert {p.name for p in (site / "embed").glob("*.html")} == expected  # none left over


def _chart_ids(path: Path) -> list[str]:
    return re.findall(r'<figure class="ictstory-chart"[^>]*\sid="(chart-[^"]+)"', path.read_text())


def test_chart_ids_are_the_same_in_both_editions(site: Path, site_vi: Path) -> None:
    pages = [p.relative_to(site) for p in shared_pages(site)]
    ids = {str(p): _chart_ids(site / p) for p in pages}
    assert sum(map(len, ids.values())) >= 20
    assert ids == {str(p): _chart_ids(site_vi / p) for p in pages}


# ---------------------------------------------------------------- in the browser

PAGE = "chapters/telecom.html"


@pytest.fixture(scope="module")
def both(site_root: Path) -> Iterator[str]:
    with serve(site_root) as url:
        yield url


def _download(page: Page, figure: Locator, kind: str) -> bytes:
    with page.expect_download() as info:
        figure.locator(f"button.ictstory-chart__image[data-type='{kind}']").click()
    return Path(info.value.path()).read_bytes()


#: Size and the pixels that are not opaque white of a PNG, drawn in the page.
_INSPECT = """async (data) => {
  const image = new Image();
  image.src = 'data:image/png;base64,' + data;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.naturalWidth; canvas.height = image.naturalHeight;
  const g = canvas.getContext('2d');
  g.drawImage(image, 0, 0);
  const px = g.getImageData(0, 0, canvas.width, canvas.height).data;
  let transparent = 0;
  for (let i = 3; i < px.length; i += 4) { if (px[i] < 255) transparent++; }
  const corner = [...g.getImageData(1, 1, 1, 1).data];
  return {width: canvas.width, height: canvas.height, transparent, corner};
}"""


@pytest.mark.browser
def test_downloads_carry_background_title_and_source_in_either_mode(
    browser: Browser, both: str
) -> None:
    page, log = open_page(browser, both, f"en/{PAGE}", accept_downloads=True,
                          color_scheme="dark")  # fmt: skip
    wait_for_charts(page)
    assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    figure = page.locator("figure.ictstory-chart").first
    title = figure.locator(".ictstory-chart__title").inner_text()
    source = figure.locator(".ictstory-chart__source").inner_text()
    bare = figure.locator(".ictstory-chart__view svg").bounding_box()
    dark = _download(page, figure, "png")
    seen = page.evaluate(_INSPECT, base64.b64encode(dark).decode())
    assert seen["transparent"] == 0 and seen["corner"] == [255, 255, 255, 255]
    # drawn at twice the size; title and source line make it taller than the chart
    assert seen["height"] > 2 * bare["height"] + 2 * 40
    svg = _download(page, figure, "svg").decode()
    words = html.unescape(" ".join(re.sub(r"<[^>]+>", " ", svg).split()))
    assert title in words and source in words
    assert '<rect width="100%" height="100%" fill="#ffffff"/>' in svg
    assert "#e6edf3" not in svg  # no text of the dark theme
    # the same picture in light mode
    page.evaluate("() => { document.documentElement.dataset.theme = 'light'; }")
    page.wait_for_function(
        "() => document.querySelector('.ictstory-chart')._ictstorySpec.config.text.color"
        " !== '#e6edf3'"
    )
    wait_for_charts(page)
    light = _download(page, figure, "png")
    assert page.evaluate(_INSPECT, base64.b64encode(light).decode()) == seen
    assert light == dark
    assert log.errors == [] and log.offsite == []
    page.context.close()


@pytest.mark.browser
def test_share_panel_permalink_and_language_link(browser: Browser, both: str) -> None:
    page, log = open_page(browser, both, f"en/{PAGE}")
    wait_for_charts(page)
    figure = page.locator("figure.ictstory-chart").nth(1)
    anchor = figure.get_attribute("id")
    figure.locator(".ictstory-chart__share-toggle").click()
    link = figure.locator(".ictstory-chart__share input").input_value()
    code = figure.locator(".ictstory-chart__share textarea").input_value()
    assert link == f"{both}/en/{PAGE}#{anchor}"
    embed_url = f"{both}/en/embed/{anchor.removeprefix('chart-')}.html"
    assert f'src="{embed_url}"' in code and code.startswith("<iframe ")
    # the permalink: the chart's title lands below the sticky header
    page.goto(link)
    wait_for_scripts(page)
    page.wait_for_function("(id) => location.hash === '#' + id", arg=anchor)
    next_top = page.evaluate(
        """(id) => {
          const title = document.querySelector('#' + id + ' .ictstory-chart__title');
          const header = document.querySelector('.bd-header-article');
          return [title.getBoundingClientRect().top, header.getBoundingClientRect().bottom];
        }""",
        anchor,
    )
    assert next_top[0] >= next_top[1], next_top
    # the language link carries the place over (the chart has the same id in the other
    # edition: test_chart_ids_are_the_same_in_both_editions)
    language = page.locator("a.ictstory-language")
    assert language.get_attribute("href").endswith(f"#{anchor}")
    language.click()
    page.wait_for_url(f"**/vi/{PAGE}#{anchor}")
    # the embed page draws its chart with nothing from elsewhere
    embed_page, embed_log = open_page(browser, both, embed_url.removeprefix(both + "/"))
    assert embed_page.locator("figcaption").inner_text()
    assert embed_page.locator("svg").first.bounding_box()["width"] > 200
    assert embed_log.errors == [] and embed_log.failed == [] and embed_log.offsite == []
    embed_page.context.close()
    assert log.errors == [] and log.offsite == []
    page.context.close()
