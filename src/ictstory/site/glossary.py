"""The glossary page, built as docutils nodes straight from ``data/glossary.csv``.

The ``data-glossary`` directive makes one Sphinx glossary entry per row, so
chapters can link a term with ``{term}`...```. Every cell becomes a text node:
whatever a cell holds (markup, roles, HTML, templates) is shown as typed and
never parsed. Links between entries come from the ``see_also`` column (term
names separated by ``;``), never from markup inside a cell.

The Vietnamese build (Sphinx ``language = "vi"``) shows each term with its
Vietnamese expansion, the English name in parentheses and ``explanation_vi``
(``explanation`` where a row has none yet); "See also" becomes "Xem thêm".
"""

from __future__ import annotations

import unicodedata

import pandas as pd
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains.std import make_glossary_term
from sphinx.util.docutils import SphinxDirective

from ictstory.data import load_table
from ictstory.paths import data_dir
from ictstory.story.words import word

SEE_ALSO_SEPARATOR = ";"


def _text(value: object) -> str:
    """A cell as plain text; blank for a missing value."""
    return "" if value is None or pd.isna(value) else str(value)


def sort_key(term: str) -> str:
    """Sphinx's own glossary order: case-insensitive, diacritics after their letter."""
    return unicodedata.normalize("NFD", term.lower())


def is_vi(config: object) -> bool:
    """Whether a Sphinx build writes Vietnamese: its ``language`` is ``vi`` (or ``vi_VN``)."""
    language = str(getattr(config, "language", "") or "")
    return language.replace("-", "_").split("_")[0].lower() == "vi"


def see_also_terms(cell: object) -> list[str]:
    """The term names listed in one ``see_also`` cell."""
    return [t.strip() for t in _text(cell).split(SEE_ALSO_SEPARATOR) if t.strip()]


class DataGlossary(SphinxDirective):
    """``:::{data-glossary}``: every row of the glossary table as a glossary entry."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        path = data_dir() / "glossary.csv"
        self.env.note_dependency(str(path))
        self.env.note_dependency(str(data_dir() / "figures.csv"))  # [[F123]] in the text
        table = load_table("glossary")
        known = set(table["term"].astype(str))
        glossary = addnodes.glossary()
        glossary["sorted"] = False  # the rows are sorted here, as Sphinx would
        entries = nodes.definition_list(classes=["glossary"])
        glossary += entries
        rows = sorted(
            ((line, row) for line, row in enumerate(table.itertuples(index=False), start=2)),
            key=lambda item: sort_key(str(item[1].term)),
        )
        for line, row in rows:
            term = make_glossary_term(
                self.env,
                [nodes.Text(str(row.term))],
                None,
                str(path),
                line,
                None,
                self.state.document,
            )
            definition = nodes.definition()
            definition += self._meaning_vi(row) if is_vi(self.config) else self._meaning(row)
            links = self._see_also(row, known, path, line)
            if links is not None:
                definition += links
            entries += nodes.definition_list_item("", term, definition)
        return [glossary]

    @staticmethod
    def _meaning(row: object) -> nodes.paragraph:
        """ "*expansion* — **english**. explanation", every part a text node."""
        para = nodes.paragraph()
        vietnamese = _text(getattr(row, "expansion_vi", None))
        if vietnamese:
            para += nodes.emphasis(text=vietnamese)
            para += nodes.Text(" — ")
        para += nodes.strong(text=_text(getattr(row, "english", None)))
        para += nodes.Text(". " + _text(getattr(row, "explanation", None)))
        return para

    @staticmethod
    def _meaning_vi(row: object) -> nodes.paragraph:
        """ "*expansion* (tiếng Anh: **english**). explanation_vi", every part a text node.

        The expansion is left out where it only repeats the term; the explanation
        is the English one where the row has no ``explanation_vi``."""
        para = nodes.paragraph()
        vietnamese = _text(getattr(row, "expansion_vi", None))
        english = _text(getattr(row, "english", None))
        if vietnamese and vietnamese != _text(getattr(row, "term", None)):
            para += nodes.emphasis(text=vietnamese)
            para += nodes.Text(" ")
        para += nodes.Text("(" + word("glossary.in-english", "vi") + ": ")
        para += nodes.strong(text=english)
        explanation = _text(getattr(row, "explanation_vi", None)) or _text(
            getattr(row, "explanation", None)
        )
        para += nodes.Text("). " + explanation)
        return para

    def _see_also(
        self, row: object, known: set[str], path: object, line: int
    ) -> nodes.paragraph | None:
        """ "See also: a, b" as term references; an unknown term stops the build."""
        names = see_also_terms(getattr(row, "see_also", None))
        if not names:
            return None
        unknown = [n for n in names if n not in known]
        if unknown:
            raise self.error(
                f"{path}, line {line}, column 'see_also': unknown term(s) "
                f"{', '.join(map(repr, unknown))}; list existing terms separated by ';'"
            )
        para = nodes.paragraph(classes=["glossary-see-also"])
        language = "vi" if is_vi(self.config) else "en"
        para += nodes.Text(word("glossary.see-also", language) + " ")
        for index, name in enumerate(names):
            if index:
                para += nodes.Text(", ")
            ref = addnodes.pending_xref(
                "", refdomain="std", reftype="term", reftarget=name, refexplicit=True
            )
            ref += nodes.inline(text=name, classes=["xref", "std", "std-term"])
            para += ref
        return para


def setup(app: Sphinx) -> None:
    """Register the directive (called from :mod:`ictstory.site.sphinx_ext`)."""
    app.add_directive("data-glossary", DataGlossary)
