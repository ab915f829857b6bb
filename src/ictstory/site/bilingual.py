"""The two editions on the site: their names, the links between twins, the Vietnamese
edition's configuration (``vi/edition.yml`` over ``_config.yml``) and the root page that
lets a reader choose a language. The twins themselves are :mod:`ictstory.editions`."""

from __future__ import annotations

from pathlib import Path

from ictstory.editions import VI_FOLDER
from ictstory.site import search_vi

#: Each edition's name in its own language.
EDITION_NAMES = {"en": "English", "vi": "Tiếng Việt"}
#: The Vietnamese edition's settings, merged over ``_config.yml`` by the build.
VI_SETTINGS = f"{VI_FOLDER}/edition.yml"


def edition_files(language: str) -> tuple[str, ...]:
    """The files besides the pages that configure an edition (relative to the project)."""
    return (VI_SETTINGS, f"{VI_FOLDER}/_toc.yml") if language == "vi" else ()


def _merge(base: dict, extra: dict) -> dict:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def book_source(root: Path, language: str, stage: Path) -> tuple[Path, Path | None]:
    """The folder jupyter-book builds an edition from, and its configuration file
    (``None``: the folder's own ``_config.yml``).

    The Vietnamese edition is built from ``vi/`` with ``_config.yml`` and
    ``vi/edition.yml`` merged into ``<stage>/edition-config.yml``; paths in the
    configuration are relative to the project, so they are made relative to ``vi/``.
    """
    if language == "en":
        return root, None
    import yaml

    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    settings = yaml.safe_load((root / VI_SETTINGS).read_text(encoding="utf-8")) or {}
    merged = _merge(config, settings)
    sphinx = merged.setdefault("sphinx", {}).setdefault("config", {})
    if sphinx.get("html_favicon"):
        sphinx["html_favicon"] = f"../{sphinx['html_favicon']}"
    stage.mkdir(parents=True, exist_ok=True)
    # Vietnamese for the theme's and the search page's words (ictstory.site.search_vi);
    # absolute, as Sphinx reads the JavaScript catalogue relative to the working folder
    locale = stage / "locale"
    search_vi.write_translations(locale)
    sphinx["locale_dirs"] = [str(locale.resolve())]
    target = stage / "edition-config.yml"
    text = "# made by ictstory.site.bilingual from _config.yml and vi/edition.yml\n"
    text += yaml.safe_dump(merged, allow_unicode=True, sort_keys=False)
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return root / VI_FOLDER, target


def other_edition_href(language: str, pagename: str) -> tuple[str, str]:
    """(language, relative link) of a page's twin in the other edition."""
    other = "vi" if language == "en" else "en"
    return other, "../" * (pagename.count("/") + 1) + f"{other}/{pagename}.html"


ROOT_PAGE = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kết nối qua khủng hoảng · Connected through a crisis</title>
<meta name="description" content="Ngành thông tin và truyền thông Việt Nam 2016–2021, \
kể từ báo cáo của Bộ. Vietnam's information and communications sector, 2016–2021.">
<link rel="alternate" hreflang="vi" href="vi/index.html">
<link rel="alternate" hreflang="en" href="en/index.html">
<style>
body{font-family:system-ui,"Noto Sans",sans-serif;max-width:34rem;margin:3rem auto;
padding:0 1rem;line-height:1.5;color:#1a1a1a;background:#fff}
a{display:block;margin:1rem 0;padding:1rem;border:2px solid #1f5fa8;border-radius:.5rem;
color:#1f5fa8;font-size:1.25rem;text-decoration:none}
a:hover,a:focus{background:#1f5fa8;color:#fff}
@media (prefers-color-scheme:dark){body{background:#121212;color:#eee}
a{border-color:#8ab4f8;color:#8ab4f8}a:hover,a:focus{background:#8ab4f8;color:#121212}}
</style>
<script>
try {
  var chosen = localStorage.getItem("ictstory-language");
  if ((chosen === "en" || chosen === "vi") && !/[?&]choose/.test(location.search)) {
    location.replace(chosen + "/index.html");
  }
} catch (e) {}
function remember(language) {
  try { localStorage.setItem("ictstory-language", language); } catch (e) {}
}
</script>
</head>
<body>
<main>
<h1><span lang="vi">Kết nối qua khủng hoảng</span> ·
<span lang="en">Connected through a crisis</span></h1>
<p>Chọn ngôn ngữ · <span lang="en">Choose a language</span></p>
<a href="vi/index.html" hreflang="vi" lang="vi" onclick="remember('vi')">Tiếng Việt</a>
<a href="en/index.html" hreflang="en" lang="en" onclick="remember('en')">English</a>
</main>
</body>
</html>
"""


def write_root_page(site: Path) -> Path:
    """The site's root ``index.html``: choose an edition (the choice is remembered)."""
    page = site / "index.html"
    page.write_text(ROOT_PAGE, encoding="utf-8")
    return page
