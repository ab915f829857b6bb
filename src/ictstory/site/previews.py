"""Link previews: what a shared link of the book shows (issue 20).

Every page gets Open Graph tags (``og:title``, ``og:description``, ``og:image``,
``og:url`` when the site's address is set) and a Twitter card, written by
sphinxext-opengraph from the values set here. The picture is a 1200×630 PNG of the
page's lead chart (its first chart: the static SVG the page already holds, with its
title, its source line and a white background), drawn while the page is written,
offline, by vl-convert (``svg_to_png``); the home page and pages without a chart
show the edition's card (the book's title). Pictures ship with the site, under
``_previews/``.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import io
import os
import posixpath
import re
import struct
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import vl_convert

from ictstory.story.theme import FIELD_COLOURS, FONT
from ictstory.story.words import word

#: Size of a link preview picture (px): what Facebook, LinkedIn, Slack and X show large.
CARD_WIDTH, CARD_HEIGHT = 1200, 630
#: Folder of the pictures in each edition.
PREVIEW_DIR = "_previews"
#: The edition's card: the home page and pages without a chart.
BOOK_CARD = "book.png"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Margin around the card's content (px).
MARGIN = 48
TEXT, MUTED, BACKGROUND = "#1f2328", "#57606a", "#ffffff"
#: The band along the card's top, in the fields' colours.
BAND = [FIELD_COLOURS[k] for k in list(FIELD_COLOURS)[:6]]

_FIGURE = re.compile(
    r'<figure class="ictstory-chart"[^>]*\sid="(?P<id>[^"]+)"[^>]*>(?P<inner>.*?)</figure>', re.S
)
_TITLE = re.compile(r'<span class="ictstory-chart__title">(.*?)</span>', re.S)
_SOURCE = re.compile(r'<p class="ictstory-chart__source">(.*?)</p>', re.S)
_STATIC = re.compile(
    r'<svg class="ictstory-chart__static"(?P<attrs>[^>]*)>(?P<body>.*?)</svg>', re.S
)
_ALT = re.compile(r'<div class="ictstory-chart__view"[^>]*\saria-label="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Chart:
    """One chart of a page, as its HTML holds it."""

    anchor: str  #: ``chart-<id>``
    title: str  #: plain text
    source: str  #: the source line, plain text
    source_html: str  #: the source line as the page has it (escaped text and links)
    alt: str  #: the text alternative, plain text
    svg_attrs: str  #: attributes of the static SVG's root
    svg_body: str  #: what the static SVG's root holds

    @property
    def chart_id(self) -> str:
        return self.anchor.removeprefix("chart-")


def plain(fragment: str) -> str:
    """HTML as plain text, whitespace folded."""
    return " ".join(html.unescape(_TAG.sub("", fragment)).split())


def charts_in(body: str) -> list[Chart]:
    """Every chart block of a page's body, in order (blocks without a static SVG are left out)."""
    found = []
    for match in _FIGURE.finditer(body):
        inner = match["inner"]
        svg = _STATIC.search(inner)
        if svg is None:
            continue
        title = _TITLE.search(inner)
        source = _SOURCE.search(inner)
        alt = _ALT.search(inner)
        found.append(
            Chart(
                anchor=match["id"],
                title=plain(title.group(1)) if title else "",
                source=plain(source.group(1)) if source else "",
                source_html=source.group(1) if source else "",
                alt=html.unescape(alt.group(1)) if alt else "",
                svg_attrs=svg["attrs"],
                svg_body=svg["body"],
            )
        )
    return found


# -- drawing ---------------------------------------------------------------

#: Width of characters relative to the font size (a sans-serif's, rounded up): text is
#: wrapped by this estimate, since the drawing has nothing to measure with.
_NARROW, _WIDE = set("ijlft.,:;'!|()[] "), set("mwMW@%")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """An upper estimate of the width (px) of ``text`` at ``size`` px."""
    total = 0.0
    for char in text:
        if char in _NARROW:
            total += 0.32
        elif char in _WIDE:
            total += 0.9
        elif char.isupper() or char.isdigit():
            total += 0.66
        else:
            total += 0.56
    return total * size * (1.06 if bold else 1.0)


def wrap(text: str, size: float, width: float, max_lines: int, bold: bool = False) -> list[str]:
    """``text`` in lines no wider than ``width``; past ``max_lines`` the last ends in "…"."""
    lines: list[str] = []
    for token in text.split():
        if lines and text_width(f"{lines[-1]} {token}", size, bold) <= width:
            lines[-1] = f"{lines[-1]} {token}"
        else:
            lines.append(token)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last + " …", size, bold) > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines = [*lines[: max_lines - 1], last + " …"]
    return lines


def _text(lines: list[str], x: float, y: float, size: float, colour: str, weight: int = 400) -> str:
    """SVG ``<text>`` of ``lines`` with the first baseline at ``y``."""
    step = round(size * 1.25, 1)
    return "".join(
        f'<text x="{x}" y="{y + i * step}" font-size="{size}" font-weight="{weight}" '
        f'fill="{colour}">{html.escape(line)}</text>'
        for i, line in enumerate(lines)
    )


def _band() -> str:
    step = CARD_WIDTH / len(BAND)
    return "".join(
        f'<rect x="{i * step}" y="0" width="{step + 1}" height="10" fill="{c}"/>'
        for i, c in enumerate(BAND)
    )


def _card(content: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{CARD_WIDTH}" height="{CARD_HEIGHT}" '
        f'viewBox="0 0 {CARD_WIDTH} {CARD_HEIGHT}" font-family="{html.escape(FONT)}">'
        f'<rect width="{CARD_WIDTH}" height="{CARD_HEIGHT}" fill="{BACKGROUND}"/>'
        f"{_band()}{content}</svg>"
    )


def _viewbox(attrs: str) -> tuple[float, float, float, float] | None:
    match = re.search(r'viewBox="([-\d.\s]+)"', attrs)
    if not match:
        return None
    parts = [float(p) for p in match.group(1).split()]
    return (parts[0], parts[1], parts[2], parts[3]) if len(parts) == 4 else None


def chart_card_svg(chart: Chart, site_name: str) -> str:
    """The picture of a chart as SVG: title, the chart fitted below it, source line, book title."""
    inner = CARD_WIDTH - 2 * MARGIN
    title = wrap(chart.title, 38, inner, 2, bold=True)
    source = wrap(chart.source, 19, inner, 2)
    top = MARGIN + 20 + 38
    parts = [_text(title, MARGIN, top, 38, TEXT, 600)]
    chart_top = top + (len(title) - 1) * 47.5 + 24
    footer = CARD_HEIGHT - MARGIN + 8
    source_top = footer - 34 - (len(source) - 1) * 23.75
    parts.append(_text(source, MARGIN, source_top, 19, MUTED))
    parts.append(_text(wrap(site_name, 17, inner, 1), MARGIN, footer, 17, MUTED, 600))
    box = _viewbox(chart.svg_attrs)
    height = source_top - 19 - 18 - chart_top
    if box and height > 40:
        parts.append(
            f'<svg x="{MARGIN}" y="{chart_top}" width="{inner}" height="{height}" '
            f'viewBox="{" ".join(f"{v:g}" for v in box)}" preserveAspectRatio="xMidYMid meet">'
            f"{chart.svg_body}</svg>"
        )
    return _card("".join(parts))


def book_card_svg(title: str, tagline: str) -> str:
    """The edition's card: the book's title and a line saying what it is."""
    inner = CARD_WIDTH - 2 * MARGIN
    lines = wrap(title, 60, inner, 4, bold=True)
    top = (CARD_HEIGHT - len(lines) * 75 - 60) / 2 + 60
    body = _text(lines, MARGIN, top, 60, TEXT, 700)
    body += _text([tagline], MARGIN, top + len(lines) * 75 + 24, 28, MUTED)
    return _card(body)


def png(svg: str) -> bytes:
    """An SVG drawn as PNG, offline (an SVG names no file or URL to load), compressed
    fully (vl-convert compresses fast: a card is a fourth of the bytes it writes)."""
    return recompress(bytes(vl_convert.svg_to_png(svg, scale=1.0)))


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def recompress(data: bytes) -> bytes:
    """A PNG with its image data deflated at the best level (pixels unchanged)."""
    if data[:8] != PNG_SIGNATURE:
        raise ValueError("not a PNG")
    chunks: list[tuple[bytes, bytes]] = []
    pixels, pos = b"", 8
    while pos < len(data):
        (size,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + size]
        pos += 12 + size
        if kind != b"IDAT":
            chunks.append((kind, body))
        elif not pixels:  # where the image data goes: at its first chunk
            chunks.append((kind, b""))
        pixels += body if kind == b"IDAT" else b""
    deflated = zlib.compress(zlib.decompress(pixels), 9)
    return PNG_SIGNATURE + b"".join(
        _chunk(kind, deflated if kind == b"IDAT" else body) for kind, body in chunks
    )


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG (its header)."""
    if data[:8] != PNG_SIGNATURE or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def cached_png(svg: str, cache: Path | None) -> bytes:
    """:func:`png` of ``svg``, from ``cache`` (a folder) when drawn before; a file used is
    touched, so :func:`prune_cache` keeps it."""
    if cache is None:
        return png(svg)
    path = cache / f"{hashlib.sha256(svg.encode()).hexdigest()[:32]}.png"
    if path.is_file():
        os.utime(path)
        return path.read_bytes()
    data = png(svg)
    write_if_changed(path, data)
    return data


def prune_cache(cache: Path, since: float) -> None:
    """Remove the pictures of ``cache`` that no page used since ``since`` (a time)."""
    for path in cache.glob("*.png"):
        if path.stat().st_mtime < since:
            path.unlink(missing_ok=True)


def write_if_changed(path: Path, data: bytes) -> None:
    """Write ``data`` unless the file holds it already (safe from parallel writers)."""
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{hashlib.sha1(data).hexdigest()[:8]}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


# -- Sphinx ----------------------------------------------------------------



def preview_name(pagename: str) -> str:
    """The picture of a page: ``chapters/postal`` → ``chapters/postal.png``."""
    return f"{pagename}.png"


def edition(app: Any) -> str:
    return "vi" if (app.config.language or "en").startswith("vi") else "en"


def site_name(app: Any) -> str:
    return str(app.config.html_title or app.config.project or "")


def image_url(app: Any, pagename: str, picture: str) -> str:
    """``og:image`` of a page: from the site root when the address is known
    (sphinxext-opengraph makes it absolute), else relative to the page."""
    path = f"{PREVIEW_DIR}/{picture}"
    if app.config.ogp_site_url:
        return path
    return posixpath.relpath(path, posixpath.dirname(pagename) or ".")


def _cache(app: Any) -> Path:
    """Pictures drawn by earlier builds, beside the edition's output (kept between builds)."""
    return Path(app.outdir).parent / "ictstory_previews"


def _write_book_card(app: Any) -> None:
    if app.builder.format != "html":
        return
    app.ictstory_previews_since = time.time() - 1
    svg = book_card_svg(site_name(app), word("preview.tagline", edition(app)))
    write_if_changed(Path(app.outdir) / PREVIEW_DIR / BOOK_CARD, cached_png(svg, _cache(app)))


def _prune(app: Any, exception: Exception | None) -> None:
    since = getattr(app, "ictstory_previews_since", None)
    if exception is None and since is not None and _cache(app).is_dir():
        prune_cache(_cache(app), since)


def _set_preview(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Before sphinxext-opengraph writes its tags: the page's picture, drawn, and its
    description (the page's own, :func:`ictstory.site.sphinx_ext.page_description`)."""
    if doctree is None:
        return
    from ictstory.site.sphinx_ext import page_description

    meta = dict(context.get("meta") or {})  # a copy: the environment's stays as it was
    meta["og:title"] = plain(str(context.get("title") or ""))
    description = page_description(doctree, context.get("meta"))
    if description:
        meta["og:description"] = description
    lead = charts_in(context.get("body") or "")[:1] if pagename != app.config.root_doc else []
    if lead:
        picture = preview_name(pagename)
        svg = chart_card_svg(lead[0], site_name(app))
        write_if_changed(Path(app.outdir) / PREVIEW_DIR / picture, cached_png(svg, _cache(app)))
        meta["og:image:alt"] = f"{lead[0].title} {lead[0].source}".strip()
    else:
        picture = BOOK_CARD
        meta["og:image:alt"] = site_name(app)
    meta["og:image"] = image_url(app, pagename, picture)
    meta["og:image:width"] = str(CARD_WIDTH)
    meta["og:image:height"] = str(CARD_HEIGHT)
    # sphinxext-opengraph escapes only quotes: the text is escaped here (data is never code)
    for key in ("og:title", "og:description", "og:image:alt"):
        if key in meta:
            meta[key] = html.escape(str(meta[key]), quote=False)
    context["meta"] = meta


_OG_URL = re.compile(r'<meta property="og:url" content="[^"]*" />\n?')


def _drop_relative_url(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """No ``og:url`` without the site's address: a relative one means nothing to a reader's app."""
    if not app.config.ogp_site_url:
        context["metatags"] = _OG_URL.sub("", context.get("metatags") or "")


def _set_site_url(app: Any, config: Any) -> None:
    """``ogp_site_url``: the edition's own address (``html_baseurl``, which
    :mod:`ictstory.site.sphinx_ext` has made the edition's), unless set; ``ogp_site_name``:
    the book's title."""
    if not config.ogp_site_url and config.html_baseurl:
        config.ogp_site_url = config.html_baseurl
    if config.ogp_site_name is None:  # jupyter-book sets the book's title, not Sphinx's project
        config.ogp_site_name = config.html_title or config.project


def setup(app: Any) -> dict[str, Any]:
    """Load sphinxext-opengraph (quietly: without matplotlib it prints that it draws no
    cards of its own, which is what this module is for) and hook the pictures in."""
    with contextlib.redirect_stdout(io.StringIO()):
        app.setup_extension("sphinxext.opengraph")
    app.connect("config-inited", _set_site_url, priority=800)
    app.connect("builder-inited", _write_book_card)
    app.connect("build-finished", _prune)
    app.connect("html-page-context", _set_preview, priority=400)
    app.connect("html-page-context", _drop_relative_url, priority=600)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
