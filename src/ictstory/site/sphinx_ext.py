"""Sphinx extension: offline chart libraries, data-aware re-execution, site assets.

* Ships the Vega, Vega-Lite and Vega-Embed libraries (from the pinned
  ``vl-convert-python``) as one local file, added only to pages that hold a
  chart, once per page.
* Opens every notebook chapter with a hidden cell that records what it reads
  from ``data/`` (:mod:`ictstory.story.deps`); its token changes only when something
  the chapter read changed, so only those chapters execute again.
* Adds the site's CSS, the chart renderer script and the favicon, and the
  ``data-glossary`` directive (:mod:`ictstory.site.glossary`).
* Keeps pages light on a phone (issue 9): no icon font (``templates/layout.html``
  drops the theme's Font Awesome; ``ictstory-icons.css`` draws its few icons),
  search assets only on the search page, and the chart libraries fetched by
  ``ictstory-charts-loader.js`` when a chart nears the viewport, never blocking
  the first paint.
* Fixes what the theme gets wrong (issue 9): one viewport ``<meta>``, one ``<h1>``,
  no empty top bar (``templates/``), a ``<meta name="description">`` on every page,
  ``hreflang`` alternates only when the site's address (``html.baseurl``) is set,
  and scrolling code blocks reachable by keyboard; one stylesheet a page, merged
  from all it links and pruned of rules no page uses (:mod:`ictstory.site.cssprune`);
  the page's deferred scripts fetched only after its first paint
  (:mod:`ictstory.site.paint_first`).
* Publishes every chapter as a notebook and as its source, with a "Run this
  chapter" box on its page, and lets the theme's repository and launch buttons
  appear only when ``repository.url`` is set (:mod:`ictstory.site.notebooks_download`).
* The ``{chart}`` directive: a chart glued by a chapter's code under a stable id,
  titled in each edition's Markdown (:mod:`ictstory.site.chartdirective`).
* Refuses to build a page that carries trainer-only text, a note or a solution
  kept in ``trainer/`` (:mod:`ictstory.trainers.trainer`).
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from ictstory.site import (
    bilingual,
    chartdirective,
    cssprune,
    downloads,
    figures,
    front,
    glossary,
    notebooks_download,
    paint_first,
)
from ictstory.site.search_vi import SearchVietnamese
from ictstory.story import deps
from ictstory.story.theme import dark_colours, theme_config
from ictstory.story.words import word
from ictstory.trainers import trainer

STATIC = Path(__file__).parent / "static"
BUNDLE_NAME = "vega-bundle.js"
THEME_SCRIPT = "ictstory-theme.js"
CHARTS_SCRIPT = "ictstory-charts.js"
LOADER_SCRIPT = "ictstory-charts-loader.js"
ICONS_CSS = "ictstory-icons.css"
CHART_MARKER = 'class="ictstory-chart"'
NOTEBOOK_MARKER = "jupytext:"


def vega_bundle_text() -> str:
    """Vega + Vega-Lite + Vega-Embed in one classic script that defines only globals."""
    import vl_convert

    versions = (
        f"vega {vl_convert.get_vega_version()}, vega-embed {vl_convert.get_vega_embed_version()}"
    )
    body = vl_convert.javascript_bundle()
    return f"/* {versions}; bundled by vl-convert-python */\n(function () {{\n{body}\n}})();\n"


def theme_script_text() -> str:
    """The site's chart theme as a script; chart specs carry only their differences."""
    config = json.dumps(theme_config()["config"], sort_keys=True, ensure_ascii=False)
    dark = json.dumps(dark_colours(), sort_keys=True)
    return (
        f"/* generated from ictstory.story.theme */\nwindow.ICTSTORY_THEME = {config};\n"
        f"window.ICTSTORY_DARK_COLOURS = {dark};\n"
    )


def _write_if_changed(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _write_vega_bundle(path: Path) -> None:
    """Write :func:`vega_bundle_text` unless ``path`` holds it for this vl-convert already
    (bundling takes over a second; the staging folder keeps it between builds)."""
    from importlib.metadata import version

    stamp = path.with_name(path.name + ".version")
    wanted = f"vl-convert-python {version('vl-convert-python')}"
    if path.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
        return
    _write_if_changed(path, vega_bundle_text())
    stamp.write_text(wanted, encoding="utf-8")


def _versioned(path: Path, name: str) -> str:
    """``name?v=<hash of the file>``: a new version is fetched anew, an old one cached."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return f"{name}?v={digest}"


def _write_bundle(app: Sphinx) -> None:
    """Write the library bundle and the theme into a generated static folder, and
    note the chart scripts the loader fetches, in order, relative to ``_static``."""
    target_dir = Path(app.outdir).parent / "ictstory_static"
    _write_vega_bundle(target_dir / "vendor" / BUNDLE_NAME)
    _write_if_changed(target_dir / THEME_SCRIPT, theme_script_text())
    app.config.html_static_path.append(_relative(target_dir, app.confdir))
    app.ictstory_chart_libs = " ".join(  # type: ignore[attr-defined]
        [
            _versioned(target_dir / "vendor" / BUNDLE_NAME, f"vendor/{BUNDLE_NAME}"),
            _versioned(target_dir / THEME_SCRIPT, THEME_SCRIPT),
            _versioned(STATIC / CHARTS_SCRIPT, CHARTS_SCRIPT),
        ]
    )


def chapter_code(text: str) -> str:
    """The code cells of a MyST notebook, joined: what decides its execution."""
    import jupytext

    notebook = jupytext.reads(text, fmt="md:myst")
    return "\n\x1e\n".join(c.source for c in notebook.cells if c.cell_type == "code")


def _mark_data_dependency(app: Sphinx, docname: str, source: list[str]) -> None:
    """Open each notebook chapter with a hidden cell that records what it reads.

    The cell carries the chapter's token (:func:`ictstory.story.deps.token_for`): it
    stays the same while nothing the chapter read last time has changed, so
    jupyter-cache reuses the executed notebook; otherwise it changes and the
    chapter executes again.
    """
    text = source[0]
    if not text.lstrip().startswith("---") or NOTEBOOK_MARKER not in text[:2000]:
        return
    token = deps.token_for(docname, chapter_code(text))
    head_end = text.index("\n---", text.index("---") + 3) + len("\n---\n")
    cell = (
        "\n```{code-cell} ipython3\n:tags: [remove-cell]\n\n"
        "# added by ictstory.site.sphinx_ext: records what this chapter reads from data/\n"
        f"from ictstory.story import deps as _deps\n_deps.start({docname!r}, {token!r})\n```\n\n"
    )
    source[0] = text[:head_end] + cell + text[head_end:]


def recorded_token(docname: str) -> str | None:
    """The token the chapter last executed under (its record in ``_build/deps``)."""
    path = deps.deps_dir() / (docname.replace("/", "__") + ".json")
    try:
        return json.loads(path.read_text(encoding="utf-8"))["token"]
    except (OSError, ValueError, KeyError):
        return None


def _data_outdated(
    app: Sphinx, env: Any, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Notebook chapters whose inputs in ``data/`` changed since they were read.

    Sphinx keeps its environment between builds (see :func:`ictstory.build.book.clear_stage`)
    and re-reads a page when its source file changes; a chapter must also be re-read
    when its token changes (something it read changed), so it executes again.
    """
    outdated = []
    for docname in sorted(env.found_docs - added - changed - removed):
        path = Path(env.doc2path(docname))
        if path.suffix != ".md":
            continue
        text = path.read_text(encoding="utf-8")
        if not text.lstrip().startswith("---") or NOTEBOOK_MARKER not in text[:2000]:
            continue
        if deps.token_for(docname, chapter_code(text)) != recorded_token(docname):
            outdated.append(docname)
    return outdated


def _add_page_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Load the chart libraries only on pages that hold a chart, the search page's
    file:// fallback on the search pages, and the Vietnamese search summary only on
    the Vietnamese search page.

    The libraries never block rendering: a small deferred loader fetches them when
    a chart nears the viewport (each chart shows its static SVG until then)."""
    if pagename == "search":
        app.add_js_file("ictstory-search.js", priority=600)  # file:// copies: no extracts
    if pagename == "search" and _edition(app) == "vi":
        app.add_js_file("ictstory-search-vi.js", priority=600)
    if CHART_MARKER in (context.get("body") or ""):
        libs = getattr(app, "ictstory_chart_libs", "")
        app.add_js_file(
            LOADER_SCRIPT, priority=600, loading_method="defer", **{"data-ictstory-libs": libs}
        )


#: Scripts of Sphinx and its extensions that only act once the page has been parsed
#: (on DOMContentLoaded) and that no inline script calls while the page loads: they
#: may wait (``defer``, in their order) instead of holding up the first paint.
#: ``documentation_options.js`` stays: inline scripts set its object at once.
DEFERRABLE_SCRIPTS = frozenset(
    {
        "_static/doctools.js",
        "_static/translations.js",  # the Vietnamese edition's; it calls doctools.js
        "_static/sphinx_highlight.js",
        "_static/clipboard.min.js",
        "_static/copybutton.js",
        "_static/scripts/sphinx-book-theme.js",
        "_static/togglebutton.js",
        "_static/design-tabs.js",
    }
)


def _defer_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Give the scripts in :data:`DEFERRABLE_SCRIPTS` the ``defer`` attribute, except on
    the search page, whose search tools (loaded by the theme) use doctools.js at once."""
    from sphinx.builders.html._assets import _JavaScript

    scripts = context.get("script_files")
    if pagename == "search" or not isinstance(scripts, list):
        return
    for i, script in enumerate(scripts):
        name = str(getattr(script, "filename", script))
        if name in DEFERRABLE_SCRIPTS and isinstance(script, _JavaScript):
            attributes = {k: v for k, v in script.attributes.items() if k != "async"}
            attributes["defer"] = "defer"
            scripts[i] = _JavaScript(script.filename, priority=script.priority, **attributes)


TEMPLATES = Path(__file__).parent / "templates"
#: "Read this page in English / in Vietnamese", in the language of the link's page.


def _edition(app: Sphinx) -> str:
    return "vi" if (app.config.language or "en").startswith("vi") else "en"


def _add_language_links(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Link every page to its twin in the other edition: a button in the page header
    (template ``ictstory-language.html``) and, when the site's address is known
    (``html.baseurl``), absolute ``hreflang`` alternates in ``<head>``."""
    language = _edition(app)
    other, href = bilingual.other_edition_href(language, pagename)
    context["ictstory_other_lang"] = other
    context["ictstory_other_href"] = href
    context["ictstory_other_name"] = bilingual.EDITION_NAMES[other]
    context["ictstory_other_title"] = word("ui.other-edition-title", other)
    context["metatags"] = context.get("metatags", "") + hreflang_links(
        getattr(app, "ictstory_site_url", ""), language, pagename
    )


def hreflang_links(site_url: str, language: str, pagename: str) -> str:
    """``<link rel="alternate" hreflang>`` to a page in both editions and to the site's
    language chooser, absolute (search engines ignore relative ones); nothing when
    the site's address is not set."""
    if not site_url:
        return ""
    root = site_url.rstrip("/") + "/"
    other = "vi" if language == "en" else "en"
    links = [
        (language, f"{root}{language}/{pagename}.html"),
        (other, f"{root}{other}/{pagename}.html"),
        ("x-default", root),
    ]
    return "".join(
        f'\n<link rel="alternate" hreflang="{lang}" href="{html.escape(url)}">'
        for lang, url in links
    )


def _set_site_url(app: Sphinx, config: Any) -> None:
    """``html.baseurl`` (Sphinx's ``html_baseurl``) is the address of the published
    site, the folder that holds ``en/`` and ``vi/``: keep it for the hreflang links
    and give Sphinx the edition's own address, so its canonical links are right."""
    site_url = (config.html_baseurl or "").strip()
    app.ictstory_site_url = site_url  # type: ignore[attr-defined]
    if site_url:
        config.html_baseurl = f"{site_url.rstrip('/')}/{_edition(app)}/"


#: A page's description for search engines, at most this many characters.
DESCRIPTION_LENGTH = 160


def page_description(doctree: Any, metadata: dict[str, Any] | None) -> str:
    """The page's ``description`` from its front matter, else its first paragraph of
    prose (not a caption, note, table or cell output), as plain text of at most
    :data:`DESCRIPTION_LENGTH` characters, cut at a word with "…"."""
    from docutils import nodes

    text = str((metadata or {}).get("description") or "")
    if not text and doctree is not None:
        skip = (nodes.Admonition, nodes.table, nodes.figure, nodes.sidebar, nodes.topic)
        for paragraph in doctree.findall(nodes.paragraph):
            ancestors = []
            parent = paragraph.parent
            while parent is not None:
                ancestors.append(parent)
                parent = parent.parent
            if any(isinstance(a, skip) for a in ancestors) or any(
                "cell_output" in a.get("classes", []) for a in ancestors if hasattr(a, "get")
            ):
                continue
            text = paragraph.astext()
            if text.strip():
                break
    text = " ".join(text.split())
    if len(text) <= DESCRIPTION_LENGTH:
        return text
    cut = text[: DESCRIPTION_LENGTH - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:–—-") + "…"


#: docutils' viewport ``<meta>``: Sphinx's basic layout writes one already.
DOCUTILS_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>\s*')
#: A ``<pre>`` or a table's scroll box without ``tabindex``: on a phone they scroll
#: sideways inside their box, and a scrolling region must take the keyboard's focus
#: (axe: scrollable-region-focusable).
SCROLL_BOX = re.compile(r'<(pre|div class="ictstory-table")(?![^>]*\btabindex=)(?=[\s>])')


def tidy_page(metatags: str, body: str) -> tuple[str, str]:
    """``(metatags, body)`` with docutils' second viewport ``<meta>`` left out and every
    code block and data table's scroll box reachable by keyboard (``tabindex="0"``)."""
    return DOCUTILS_VIEWPORT.sub("", metatags), SCROLL_BOX.sub(r'<\1 tabindex="0"', body)


def _tidy_page(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    context["metatags"], context["body"] = tidy_page(
        context.get("metatags", ""), context.get("body") or ""
    )


def _add_description(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``<meta name="description">`` on every page that has prose (escaped text)."""
    if 'name="description"' in context.get("metatags", ""):
        return
    description = page_description(doctree, context.get("meta"))
    if description:
        context["metatags"] = context.get("metatags", "") + (
            f'\n<meta name="description" content="{html.escape(description)}">'
        )


def _add_templates(app: Sphinx, config: Any) -> None:
    """The project's templates (``templates/``), and the language button at the end of
    every page's header."""
    # first: the project's templates replace the themes' components of the same name
    config.templates_path.insert(0, _relative(TEMPLATES, app.confdir))
    options = config.html_theme_options
    buttons = list(options.get("article_header_end") or ["article-header-buttons.html"])
    options["article_header_end"] = [*buttons, "ictstory-language.html"]


def _relative(path: Path, start: str | Path) -> str:
    """A path relative to the project, so the build does not depend on where it lives."""
    return os.path.relpath(path, start)


def _write_downloads(app: Sphinx) -> None:
    """Publish data/ and its zip under <site>/downloads/ (see :mod:`ictstory.site.downloads`)."""
    folder = Path(app.outdir).parent / "ictstory_downloads"
    downloads.write_downloads(folder)
    app.config.html_extra_path.append(_relative(folder, app.confdir))


def _write_chapter_files(app: Sphinx, exception: Exception | None) -> None:
    """Publish every chapter's ``.ipynb`` and ``.md`` (:mod:`ictstory.site.notebooks_download`)
    into the finished site (not through ``html_extra_path``, which applies the
    ``exclude_patterns`` that keep ``.ipynb`` files out of the book)."""
    if exception is None and app.builder.format == "html":
        notebooks_download.write_chapter_files(Path(app.srcdir), Path(app.outdir))


def _add_run_box(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """The "Run this chapter" box at the top of every chapter page."""
    if doctree is None or not notebooks_download.is_chapter(
        pagename, Path(app.env.doc2path(pagename))
    ):
        return
    to_root = "../" * pagename.count("/")
    box = notebooks_download.run_box(_edition(app), pagename.rsplit("/", 1)[-1], to_root)
    context["body"] = notebooks_download.add_run_box(context.get("body") or "", box)


def _switch_repository_buttons(app: Sphinx, config: Any) -> None:
    """Repository, issue and launch buttons only when ``repository.url`` is set."""
    config.html_theme_options = notebooks_download.repository_buttons(
        config.html_theme_options or {}
    )


def _merge_stylesheets(app: Sphinx, exception: Exception | None) -> None:
    """Give every page one stylesheet, merged from the ones it links and pruned of
    the rules no page or script of the edition can use (:mod:`ictstory.site.cssprune`):
    stylesheets block the first paint (issues 9 and 21)."""
    if exception is not None or app.builder.format != "html":
        return
    cssprune.merge_site(Path(app.outdir))
    # a 400-byte script the parser waits for before the first paint: written inline
    cssprune.inline_head_script(Path(app.outdir), "_static/documentation_options.js")


def _paint_first(app: Sphinx, exception: Exception | None) -> None:
    """Every page's deferred scripts wait for its first paint (:mod:`.paint_first`)."""
    if exception is None and app.builder.format == "html":
        paint_first.paint_first_site(Path(app.outdir))


def _add_static_path(app: Sphinx, config: Any) -> None:
    config.html_static_path.append(_relative(STATIC, app.confdir))


def _refuse_trainer_text(app: Sphinx, doctree: Any, docname: str) -> None:
    """Fail the build when a page holds text of ``trainer/`` (issue 17)."""
    found = trainer.leaks(doctree.astext())
    if found:
        from sphinx.errors import ExtensionError

        raise ExtensionError(
            f"{docname}: trainer-only text must stay in trainer/, not in a page: {found[:3]}"
        )


#: The theme's head script leaves ``data-theme="auto"`` until its deferred script runs,
#: and the theme defines its colours (``--pst-color-*``) only for "light" and "dark":
#: until then borders drawn with them have no width, and the page shifts when they
#: appear (layout shift 0.12-0.14 on a phone, issue 21). Resolved at once, inline.
THEME_AT_ONCE = (
    'if (document.documentElement.dataset.theme === "auto") '
    "document.documentElement.dataset.theme = "
    'matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";'
)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension."""
    app.add_js_file(None, body=THEME_AT_ONCE, priority=1)
    app.connect("builder-inited", _write_bundle)
    app.connect("builder-inited", _write_downloads)
    app.connect("build-finished", _write_chapter_files)
    app.connect("config-inited", _switch_repository_buttons)
    app.connect("html-page-context", _add_run_box)
    app.connect("source-read", _mark_data_dependency)
    app.connect("env-get-outdated", _data_outdated)
    app.connect("html-page-context", _add_page_assets)
    app.connect("config-inited", _add_static_path)
    app.connect("config-inited", _add_templates)
    app.connect("html-page-context", _add_language_links)
    app.connect("html-page-context", _add_description)
    app.connect("html-page-context", _tidy_page)
    app.connect("html-page-context", figures.html_page_context)  # "Figure <chapter>.<n>"
    app.connect("config-inited", _set_site_url)
    # after the theme's own build-finished step, which rewrites pygments.css (dark mode)
    app.connect("build-finished", _merge_stylesheets, priority=900)
    app.connect("build-finished", _paint_first, priority=910)
    app.connect("doctree-resolved", _refuse_trainer_text)
    app.connect("html-page-context", _defer_scripts, priority=900)
    app.add_search_language(SearchVietnamese)
    glossary.setup(app)
    chartdirective.setup(app)
    front.setup(app)  # code behind a toggle, objectives folded (issue 20)
    app.add_css_file(ICONS_CSS)
    app.add_css_file("ictstory.css")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
