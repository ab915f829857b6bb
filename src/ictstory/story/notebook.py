"""Glued numbers readable in a notebook (JupyterLab itself: :mod:`ictstory.build.lab`).

In the book a glued value appears in the prose through ``{glue:text}`name```;
in JupyterLab the prose is Markdown and shows only the name. Every value glued
through :mod:`ictstory.story.prose` is recorded here, and each chapter's setup cell
(removed from the book) ends with :func:`glued_table`, which shows them::

    from ictstory.story.notebook import glued_table; glued_table()
"""

from __future__ import annotations

import html

import pandas as pd

#: Every value glued in this kernel so far, by name, in the order first glued.
_GLUED: dict[str, str] = {}


def record_glue(name: str, text: str) -> None:
    """Remember a glued value (called by :func:`ictstory.story.prose.glue_text`)."""
    _GLUED[name] = text


def glued() -> dict[str, str]:
    """A copy of the values glued so far, by name."""
    return dict(_GLUED)


class GluedTable:
    """The glued values as a small table: HTML in Jupyter, plain text in a terminal."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values

    @property
    def frame(self) -> pd.DataFrame:
        """The values as a DataFrame (columns ``name`` and ``text``)."""
        return pd.DataFrame({"name": list(self.values), "text": list(self.values.values())})

    def __len__(self) -> int:
        return len(self.values)

    def _repr_html_(self) -> str:
        from ictstory.story.words import word

        name_word = html.escape(word("ui.glued-name"))
        caption = (
            html.escape(word("ui.glued-caption", count=len(self.values)))
            + f" <code>{{glue:text}}`{name_word}`</code>"
        )
        heads = (name_word, html.escape(word("ui.glued-text")))
        rows = "".join(
            f"<tr><td><code>{html.escape(name)}</code></td><td>{html.escape(text)}</td></tr>"
            for name, text in self.values.items()
        )
        return (
            '<table class="ictstory-glued">'
            f'<caption style="caption-side:top;text-align:left">{caption}</caption>'
            f"<thead><tr><th scope='col'>{heads[0]}</th>"
            f"<th scope='col'>{heads[1]}</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )

    def __repr__(self) -> str:
        if not self.values:
            from ictstory.story.words import word

            return word("ui.nothing-glued")
        width = max(len(name) for name in self.values)
        return "\n".join(f"{name:<{width}}  {text}" for name, text in self.values.items())


def glued_table() -> GluedTable:
    """The values glued so far in this kernel, to read beside the chapter's prose."""
    return GluedTable(glued())
