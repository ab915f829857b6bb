"""A page per chart that another site can embed (issue 20): ``<edition>/embed/<id>.html``.

Each holds the chart as drawn at build time (its static SVG, light, on white), its
title, its source line and a link back to the chart in its chapter; nothing else is
loaded (no script, no style sheet, no font: it works from a USB stick and asks no
host for anything). The page's text comes from the chapter's page, escaped there
already; its links are made relative to ``embed/`` and open outside the frame.
The chart script's "Share / embed" panel gives the ``<iframe>`` code.
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path
from typing import Any

from ictstory.site.previews import Chart, charts_in
from ictstory.story.words import word

EMBED_DIR = "embed"
#: "More in <page>", in each edition's language.

STYLE = """
html { background: #fff; color: #1f2328; }
body { margin: 0; padding: 12px 16px; font-family: system-ui, -apple-system, "Segoe UI",
  "Noto Sans", "Helvetica Neue", Arial, "Liberation Sans", sans-serif; line-height: 1.4; }
figure { margin: 0; max-width: 720px; }
figcaption { font-size: 1.1rem; font-weight: 600; margin: 0 0 8px; }
svg { display: block; width: 100%; height: auto; }
p { margin: 6px 0 0; font-size: 0.85rem; color: #57606a; }
a { color: #0b5cad; }
"""

_HREF = re.compile(r'href="([^"]*)"')


def rebase(href: str, pagename: str) -> str:
    """A link of page ``pagename`` as a link of a page in ``embed/``."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I):  # http:, mailto:, data:
        return href
    path, _, fragment = html.unescape(href).partition("#")
    page = f"{posixpath.basename(pagename)}.html"
    target = posixpath.normpath(posixpath.join(posixpath.dirname(pagename), path or page))
    out = posixpath.relpath(target, EMBED_DIR)
    return html.escape(out + (f"#{fragment}" if fragment else ""))


def _links_out(fragment: str, pagename: str) -> str:
    """``fragment``'s links rebased (:func:`rebase`), opening outside the frame."""
    fragment = _HREF.sub(lambda m: f'href="{rebase(m.group(1), pagename)}"', fragment)
    return fragment.replace("<a ", '<a target="_blank" rel="noopener" ')


def embed_page(
    chart: Chart, *, pagename: str, page_title: str, site_name: str, language: str
) -> str:
    """The embeddable page of one chart of page ``pagename``."""
    back = rebase(f"#{chart.anchor}", pagename)
    more = html.escape(word("embed.read-more", language, page=page_title))
    svg = f'<svg class="ictstory-embed__chart"{chart.svg_attrs}>{chart.svg_body}</svg>'
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f"<title>{html.escape(chart.title)} – {html.escape(site_name)}</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n"
        f'<figure id="{html.escape(chart.anchor)}" aria-labelledby="title">\n'
        f'<figcaption id="title">{html.escape(chart.title)}</figcaption>\n'
        f'<div role="img" aria-label="{html.escape(chart.alt)}">{svg}</div>\n'
        f'<p class="ictstory-embed__source">{_links_out(chart.source_html, pagename)}</p>\n'
        f'<p class="ictstory-embed__more"><a href="{back}" target="_blank" rel="noopener">'
        f"{more}</a> · {html.escape(site_name)}</p>\n"
        "</figure>\n</body>\n</html>\n"
    )


def embed_path(outdir: Path, chart: Chart) -> Path:
    return outdir / EMBED_DIR / f"{chart.chart_id}.html"


def write_embed_pages(
    outdir: Path, body: str, *, pagename: str, page_title: str, site_name: str, language: str
) -> list[Path]:
    """Write the embed page of every chart of a page; a chart id met twice is an error
    (the edition's output starts empty, so a file already there is another chart's)."""
    written = []
    for chart in charts_in(body):
        path = embed_path(outdir, chart)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = embed_page(
            chart,
            pagename=pagename,
            page_title=page_title,
            site_name=site_name,
            language=language,
        )
        try:
            with path.open("x", encoding="utf-8") as handle:
                handle.write(text)
        except FileExistsError:
            raise ValueError(
                f"{pagename}: chart id {chart.chart_id!r} is taken by another chart; "
                "each chart needs an id of its own"
            ) from None
        written.append(path)
    return written


def _write(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if doctree is None or app.builder.format != "html":
        return
    from sphinx.errors import ExtensionError

    from ictstory.site.previews import edition, plain, site_name

    try:
        write_embed_pages(
            Path(app.outdir),
            context.get("body") or "",
            pagename=pagename,
            page_title=plain(str(context.get("title") or "")),
            site_name=site_name(app),
            language=edition(app),
        )
    except ValueError as error:
        raise ExtensionError(str(error)) from None


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", _write)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
