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
from pathlib import Path

from sphinx.search import SearchLanguage

#: The same folding in the reader's browser (``Stemmer`` is what Sphinx's search calls).
FOLD_JS = r"""
/* ictstory.site.search_vi: fold Vietnamese words to letters without diacritics */
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


#: The theme's words that neither Sphinx nor the theme translate into Vietnamese
#: (pydata-sphinx-theme has no Vietnamese catalogue), for the pages' templates.
TEMPLATE_MESSAGES = {
    "Skip to main content": "Chuyển đến nội dung chính",
    "Back to top": "Lên đầu trang",
    "Search": "Tìm kiếm",
    "Click to expand": "Bấm để mở rộng",
    "Click to collapse": "Bấm để thu gọn",
    "Breadcrumb": "Đường dẫn",
    "Home": "Trang chủ",
    "On this page": "Trên trang này",
    "previous page": "trang trước",
    "previous": "trước",
    "next page": "trang sau",
    "next": "tiếp",
    "Collapse Sidebar": "Thu gọn thanh bên",
    "Expand Sidebar": "Mở rộng thanh bên",
    "Section Navigation": "Điều hướng trong phần",
    "Color mode": "Chế độ màu",
    "Light": "Sáng",
    "Dark": "Tối",
    "System Settings": "Theo cài đặt hệ thống",
    "Site navigation": "Điều hướng trang",
    "Announcement": "Thông báo",
    "Version warning": "Cảnh báo phiên bản",
    "Main": "Mục lục sách",
    "Toggle primary sidebar": "Ẩn/hiện mục lục sách",
    "Toggle secondary sidebar": "Ẩn/hiện mục lục của trang",
    "Link to this heading": "Liên kết đến đề mục này",
    "Index": "Chỉ mục",
    "Error": "Lỗi",
    "Please activate JavaScript to enable the search functionality.": (
        "Hãy bật JavaScript để dùng chức năng tìm kiếm."
    ),
}

#: The search page's words, in Vietnamese. Sphinx's own Vietnamese catalogue leaves
#: these empty, and its JavaScript then shows nothing at all ("Search Results" -> "").
MESSAGES = {
    ", in ": ", trong ",
    "Collapse sidebar": "Thu gọn thanh bên",
    "Expand sidebar": "Mở rộng thanh bên",
    "Hide Search Matches": "Bỏ tô sáng kết quả tìm kiếm",
    "Index": "Chỉ mục",
    "Preparing search...": "Đang chuẩn bị tìm kiếm…",
    "Quick search": "Tìm nhanh",
    "Search Page": "Trang tìm kiếm",
    "Search Results": "Kết quả tìm kiếm",
    "Search finished, found ${resultCount} page(s) matching the search query.": (
        "Đã tìm xong: ${resultCount} trang khớp với từ khóa."
    ),
    "Searching": "Đang tìm",
    "Searching for multiple words only shows matches that contain\n    all words.": (
        "Khi tìm nhiều từ, chỉ những trang có đủ mọi từ mới hiện ra."
    ),
    "Table of Contents": "Mục lục",
    "This Page": "Trang này",
    "Your search did not match any documents. Please make sure that all words are spelled "
    "correctly and that you've selected enough categories.": (
        "Không tìm thấy trang nào. Hãy kiểm tra chính tả hoặc thử từ khác "
        "(gõ có dấu hay không dấu đều được)."
    ),
}


def write_translations(locale_dir: Path) -> Path:
    """Write the Vietnamese catalogues into ``<locale_dir>/vi/LC_MESSAGES/`` (the build
    lists ``locale_dir`` in ``locale_dirs``): ``sphinx.mo`` with
    :data:`TEMPLATE_MESSAGES` (Sphinx's own catalogue stays behind it as a fallback)
    and ``sphinx.js``, Sphinx's JavaScript catalogue with :data:`MESSAGES` filled in."""
    import io
    import json

    import sphinx
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    folder = locale_dir / "vi" / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    catalog = Catalog(locale="vi", domain="sphinx")
    for key, value in TEMPLATE_MESSAGES.items():
        catalog.add(key, value)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    _write_if_changed(folder / "sphinx.mo", buffer.getvalue())

    source = Path(sphinx.__file__).parent / "locale" / "vi" / "LC_MESSAGES" / "sphinx.js"
    text = source.read_text(encoding="utf-8")
    start, end = text.index("{"), text.rindex("}") + 1
    js_catalogue = json.loads(text[start:end])
    messages = js_catalogue.setdefault("messages", {})
    for key, value in MESSAGES.items():
        if not messages.get(key):
            messages[key] = value
    payload = json.dumps(js_catalogue, ensure_ascii=False, indent=1)
    _write_if_changed(folder / "sphinx.js", f"Documentation.addTranslations({payload});\n".encode())
    return folder


def _write_if_changed(path: Path, body: bytes) -> None:
    if not path.is_file() or path.read_bytes() != body:
        path.write_bytes(body)
