"""The book's two editions: which language a chapter runs in, and text in both.

The English chapters are ``chapters/*.md`` and ``index.md``; the Vietnamese ones
are ``vi/chapters/*.md`` and ``vi/index.md``, with the same code cells (see
:mod:`ictstory.editions`). A chapter's code runs once per edition, in the
language :func:`lang` returns:

* ``$ICTSTORY_LANG`` when set (the build sets it for each edition), else
* ``"vi"`` when the kernel runs inside the project's ``vi/`` folder (a Vietnamese
  chapter opened in Jupyter), else ``"en"``.

Code writes no words of either language: words come from the bilingual vocabulary
``data/vocabulary.csv`` (:func:`ictstory.story.words.word`), chart titles from each
edition's Markdown, labels from the data; numbers are never typed: the helpers in
:mod:`ictstory.story.prose` format them from the data in the edition's style.
"""

from __future__ import annotations

import os
from pathlib import Path

LANGUAGES = ("en", "vi")
DEFAULT = "en"
ENV = "ICTSTORY_LANG"


def lang() -> str:
    """The language this process writes in: ``"en"`` or ``"vi"``."""
    wanted = os.environ.get(ENV, "").strip().lower()
    if wanted:
        if wanted not in LANGUAGES:
            raise ValueError(f"${ENV} is {wanted!r}; it must be one of {', '.join(LANGUAGES)}")
        return wanted
    from ictstory.paths import project_root

    try:
        root = project_root()
        relative = Path.cwd().resolve().relative_to(root)
    except (FileNotFoundError, ValueError):
        return DEFAULT
    return "vi" if relative.parts[:1] == ("vi",) else DEFAULT


def is_vi() -> bool:
    """True in the Vietnamese edition."""
    return lang() == "vi"
