"""One figure numbering for site, slides and handouts: "Figure <chapter>.<n>".

A chart is drawn in its chapter's kernel, which numbers it on its page only
(:func:`ictstory.story.charts.show`: "Figure 2."). When Sphinx writes a page, the number
of the page's chapter in the table of contents (the front page not counted, as in
the handouts) is put before it: "Figure 3.2." ("Hình 3.2."). The slides and the
handouts are made from the built pages, so they read the same number.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

#: A chart's number as :func:`ictstory.story.charts.show` writes it, not yet with its chapter.
_NUMBER = re.compile(r'(<span class="ictstory-chart__number">(?:Figure|Hình) )(\d+)(\.</span>)')
#: The name of a chart's data-table region ("Data of figure 2").
_REGION = re.compile(r'(aria-label="(?:Data of figure|Dữ liệu của hình) )(\d+)(")')


@cache
def _numbers(root: Path) -> dict[str, int]:
    from ictstory.editions import twins

    pages = [t.en.with_suffix("").as_posix() for t in twins(root) if t.en.name != "index.md"]
    return {page: number for number, page in enumerate(pages, 1)}


def chapter_numbers(root: Path | None = None) -> dict[str, int]:
    """Each chapter page's number in the book: ``{"chapters/postal": 3, ...}``."""
    from ictstory.paths import project_root

    return dict(_numbers((root or project_root()).resolve()))


def number_figures(body: str, chapter: int) -> str:
    """``body`` with every chart's "Figure n." as "Figure <chapter>.n." (idempotent)."""
    body = _NUMBER.sub(lambda m: f"{m[1]}{chapter}.{m[2]}{m[3]}", body)
    return _REGION.sub(lambda m: f"{m[1]}{chapter}.{m[2]}{m[3]}", body)


def html_page_context(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Sphinx hook: number the charts of a chapter page with its chapter."""
    chapter = chapter_numbers().get(pagename)
    if chapter is not None and context.get("body"):
        context["body"] = number_figures(context["body"], chapter)
