"""The ``{chart}`` directive: a chart glued by a chapter's code, titled in the Markdown.

A chapter's code glues a chart under a stable id (:func:`ictstory.story.charts.chart`);
each edition's Markdown places it and gives its title, the words a translator
owns::

    ```{chart} postal-goods
    Postal firms moved tens of thousands of tonnes of essentials in 2021
    ```

The body is inline MyST (a glued number may sit in it);
the title reaches the page as escaped plain text. An id is one chart in the whole
edition: a second page that places the same id fails the build, as does a
``{chart}`` without a title or with an id its chapter never glued.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from myst_nb.core.variables import RetrievalError
from myst_nb.ext.glue.utils import retrieve_glue_data
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

from ictstory.story.charts import CHART_ID, with_title

ENV_KEY = "ictstory_chart_pages"


class ChartDirective(SphinxDirective):
    """``{chart} <id>`` with the chart's title as its body."""

    required_arguments = 1
    has_content = True

    def run(self) -> list[nodes.Node]:
        chart_id = self.arguments[0].strip()
        where = f"{self.env.docname}:{self.lineno}"
        if not CHART_ID.fullmatch(chart_id):
            raise self.error(f"{where}: chart id {chart_id!r} is not lower-case words-with-hyphens")
        source = " ".join(line.strip() for line in self.content if line.strip())
        if not source:
            raise self.error(f"{where}: {{chart}} {chart_id} needs its title as its body")
        try:
            glued = retrieve_glue_data(self.state.document, chart_id)
        except RetrievalError as error:
            raise self.error(
                f"{where}: no chart glued as {chart_id!r} by this chapter's code "
                f"(st.chart({chart_id!r}, …)): {error}"
            ) from None
        markup = glued.data.get("text/html")
        if not isinstance(markup, str):
            raise self.error(f"{where}: {chart_id!r} is glued, but not as a chart")
        parsed, messages = self.state.inline_text(source, self.lineno)
        title = "".join(node.astext() for node in parsed)
        pages: dict[str, str] = self.env.__dict__.setdefault(ENV_KEY, {})
        other = pages.get(chart_id)
        if other and other != self.env.docname:
            raise self.error(f"{where}: chart id {chart_id!r} is already placed on {other}")
        pages[chart_id] = self.env.docname
        try:
            block = with_title(markup, title)
        except ValueError as error:
            raise self.error(f"{where}: {chart_id!r}: {error}") from None
        return [nodes.raw("", block, format="html"), *messages]


def _purge(app: Sphinx, env: Any, docname: str) -> None:
    pages: dict[str, str] = env.__dict__.get(ENV_KEY, {})
    for chart_id in [key for key, page in pages.items() if page == docname]:
        del pages[chart_id]


def _merge(app: Sphinx, env: Any, docnames: set[str], other: Any) -> None:
    pages: dict[str, str] = env.__dict__.setdefault(ENV_KEY, {})
    for chart_id, page in other.__dict__.get(ENV_KEY, {}).items():
        if pages.get(chart_id, page) != page:
            raise ExtensionError(f"chart id {chart_id!r} is placed on {pages[chart_id]} and {page}")
        pages[chart_id] = page


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive and keep its ids unique across parallel reads."""
    app.add_directive("chart", ChartDirective)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
