"""A chapter opens with its point (issue 20): code behind a toggle, objectives folded.

- Every code cell's source is put in a closed ``<details class="ictstory-code">``
  whose summary reads "Show the code" / "Hiện mã nguồn" (:data:`WORDS`), so a reader
  meets prose, charts and tables first; the notebook and the downloaded ``.ipynb``
  keep every cell as it is (this changes the page only). Cells that myst-nb
  already hides or removes (``hide-input``, ``remove-input``...) are left to it.
  Print hides the toggles and the code (``ictstory.css``).
- A chapter's learning objectives (``{admonition}`` with class
  ``ictstory-objectives``) become a closed ``<details class="admonition
  ictstory-objectives">`` whose summary is the box's title: folded without a script,
  still an admonition with its title for the slides (:mod:`ictstory.trainers.slides`),
  opened for print by the handouts.

The chapter's "In short" is Markdown (a ``{container} ictstory-inshort`` with a
rubric), styled in ``ictstory.css``.
"""

from __future__ import annotations

import html
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from ictstory.story.words import Wordbook

#: The toggle's words, per edition (``front.show-code`` and ``front.hide-code``).
WORDS = Wordbook("front", ("show-code", "hide-code"))
#: The class of a chapter's learning-objectives box in the Markdown.
OBJECTIVES_CLASS = "ictstory-objectives"
CODE_CLASS = "ictstory-code"


def _edition(app: Sphinx) -> str:
    return "vi" if (app.config.language or "en").startswith("vi") else "en"


class code_toggle(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """A code cell's source behind a "Show the code" summary."""


def _visit_toggle(self: Any, node: code_toggle) -> None:
    show, hide = (html.escape(node[k]) for k in ("show", "hide"))
    self.body.append(
        f'<details class="{CODE_CLASS}"><summary>'
        f'<span class="{CODE_CLASS}__show">{show}</span>'
        f'<span class="{CODE_CLASS}__hide">{hide}</span></summary>\n'
    )


def _depart_toggle(self: Any, node: code_toggle) -> None:
    self.body.append("</details>\n")


class FoldCode(SphinxPostTransform):
    """Put the source of every shown code cell behind the toggle (before myst-nb's own
    ``hide-input`` transform, priority 199, which handles the cells tagged for it)."""

    default_priority = 198
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        words = WORDS[_edition(self.app)]
        for cell in list(self.document.findall(nodes.container)):
            if cell.get("nb_element") != "cell_code" or cell.get("hide_mode"):
                continue
            if not cell.children or cell.children[0].get("nb_element") != "cell_code_source":
                continue
            source = cell.children[0]
            toggle = code_toggle(show=words["show-code"], hide=words["hide-code"])
            cell.replace(source, toggle)
            toggle.append(source)


class FoldObjectives(SphinxPostTransform):
    """The learning-objectives box as a closed ``<details>`` with its title as summary."""

    default_priority = 198
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for box in list(self.document.findall(nodes.admonition)):
            if OBJECTIVES_CLASS not in box.get("classes", []):
                continue
            title = next(iter(box.findall(nodes.title)), None)
            words = html.escape(title.astext()) if title is not None else ""
            body = [child for child in box.children if not isinstance(child, nodes.title)]
            opening = nodes.raw(
                "",
                f'<details class="admonition {OBJECTIVES_CLASS}">'
                f'<summary class="admonition-title">{words}</summary>\n',
                format="html",
            )
            closing = nodes.raw("", "</details>\n", format="html")
            # parent.replace, not replace_self: that would give the opening tag the box's
            # classes, and the writer would wrap it in a <div> of its own
            box.parent.replace(box, [opening, *[child.deepcopy() for child in body], closing])


def setup(app: Sphinx) -> None:
    """Register the toggle node and both transforms (called by ``sphinx_ext.setup``)."""
    app.add_node(code_toggle, html=(_visit_toggle, _depart_toggle))
    app.add_post_transform(FoldCode)
    app.add_post_transform(FoldObjectives)
