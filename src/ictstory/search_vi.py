"""Sphinx search for the Vietnamese edition: words match with or without diacritics.

Sphinx has no Vietnamese search language; the English one would stem Vietnamese
syllables with Porter's rules. Here a word's "stem" is the word without its tone
and vowel marks, ``đ`` read as ``d``: "bưu chính", "Bưu Chính" and "buu chinh"
all become ``buu chinh``. The index is built with :func:`fold` and the search page
folds the reader's query with the same rule in JavaScript, so both spellings find
the same pages, offline and from a ``file://`` copy (the index is a script).
"""

from __future__ import annotations

import unicodedata

from sphinx.search import SearchLanguage

#: The same folding in the reader's browser (``Stemmer`` is what Sphinx's search calls).
FOLD_JS = r"""
/* ictstory.search_vi: fold Vietnamese words to letters without diacritics */
var Stemmer = function () {
  this.stemWord = function (word) {
    return word
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .toLowerCase();
  };
};
"""


def fold(word: str) -> str:
    """``"Bưu"`` -> ``"buu"``, ``"đồng"`` -> ``"dong"``: lower case, no diacritics."""
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


class SearchVietnamese(SearchLanguage):
    """Vietnamese: no stemming (words do not inflect), diacritics folded."""

    lang = "vi"
    language_name = "Vietnamese"
    js_stemmer_code = FOLD_JS
    # No stop words: folded, many function words collide with content words
    # ("có" and "cơ" both fold to "co").

    def stem(self, word: str) -> str:
        return fold(word)
