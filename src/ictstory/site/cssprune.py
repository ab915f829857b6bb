"""One small stylesheet a page: merged, and without the rules no page can use.

Issue 21: the first paragraph waited on eleven render-blocking stylesheets (the
theme's, Sphinx's, each extension's and ours). After the build,
:func:`merge_site` concatenates the stylesheets a page links, in their order (so
the cascade is unchanged; relative ``url()``s rewritten for the new place), prunes
the result and writes it once as ``_static/ictstory-site.<hash>.css``, named by its
content; every page then links that one file instead.

Issue 9: pydata-sphinx-theme's stylesheet (400 KB, 66 KB gzip) is mostly
Bootstrap rules for classes the book never uses. A rule is
kept unless one of its selectors' required classes or ids appears nowhere in the
built pages or their scripts (so classes that scripts add, ``:hover`` and dark-mode
rules stay); a rule with no selector left is dropped. Classes inside ``:not()``,
``:is()``, ``:has()`` and other functional pseudo-classes are not required, so
those rules stay too; at-rules other than ``@media``, ``@supports``, ``@layer`` and
``@container`` (``@font-face``, ``@keyframes``) stay whole, and so do ``/*!`` licence
comments; other comments go.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

#: Blocks whose content is a list of rules, pruned in turn.
NESTING_AT_RULES = ("@media", "@supports", "@layer", "@container")
#: Class prefixes that scripts build from parts ("bs-tooltip-" + placement): always kept.
KEPT_PREFIXES = ("bs-", "tooltip", "popover", "modal", "fade", "show", "collaps", "offcanvas")
WORD = re.compile(r"[A-Za-z_][\w-]*")
_FUNCTIONAL = re.compile(r":[\w-]+\(")
_CLASS_OR_ID = re.compile(r"([.#])(-?[_A-Za-z][\w-]*)")


def _skip_string(css: str, i: int) -> int:
    """The index after the string that starts at ``css[i]``."""
    quote, i = css[i], i + 1
    while i < len(css) and css[i] != quote:
        i += 2 if css[i] == "\\" else 1
    return i + 1


def _without_comments(css: str) -> str:
    out, i = [], 0
    while i < len(css):
        if css[i] in "\"'":
            end = _skip_string(css, i)
            out.append(css[i:end])
            i = end
        elif css.startswith("/*", i):
            end = css.find("*/", i + 2)
            end = len(css) if end < 0 else end + 2
            if css.startswith("/*!", i):  # a licence notice stays
                out.append(css[i:end])
            i = end
        else:
            out.append(css[i])
            i += 1
    return "".join(out)


def _blocks(css: str) -> Iterable[tuple[str, str | None]]:
    """``(prelude, body)`` of each top-level statement; ``body`` is ``None`` for a
    statement that ends in ``;`` (``@import``, ``@charset``)."""
    i, start = 0, 0
    while i < len(css):
        c = css[i]
        if c in "\"'":
            i = _skip_string(css, i)
        elif c == ";":
            yield css[start:i].strip(), None
            i = start = i + 1
        elif c == "{":
            depth, j = 1, i + 1
            while j < len(css) and depth:
                if css[j] in "\"'":
                    j = _skip_string(css, j)
                    continue
                depth += {"{": 1, "}": -1}.get(css[j], 0)
                j += 1
            yield css[start:i].strip(), css[i + 1 : j - 1]
            i = start = j
        else:
            i += 1


def _split_selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(prelude):
        c = prelude[i]
        if c in "\"'":
            i = _skip_string(prelude, i)
            continue
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
        i += 1
    parts.append(prelude[start:])
    return [p.strip() for p in parts if p.strip()]


def required_names(selector: str) -> set[str]:
    """The classes and ids an element must have somewhere for ``selector`` to match
    (not those in attribute values, strings or functional pseudo-classes)."""
    out, depth, i = [], 0, 0
    while i < len(selector):
        c = selector[i]
        if c in "\"'":
            i = _skip_string(selector, i)
            continue
        match = _FUNCTIONAL.match(selector, i) if depth == 0 else None
        if match:
            depth, i = 1, match.end()
            continue
        if c == "[" or (c == "(" and depth):
            depth += 1
        elif c in "])" and depth:
            depth -= 1
        elif depth == 0:
            out.append(c)
        i += 1
    return {name for _, name in _CLASS_OR_ID.findall("".join(out))}


def _needed(selector: str, present: set[str]) -> bool:
    return all(
        name in present or name.startswith(KEPT_PREFIXES) for name in required_names(selector)
    )


def prune(css: str, present: set[str]) -> str:
    """``css`` without the rules whose every selector needs a name not in ``present``."""
    out = []
    for prelude, body in _blocks(_without_comments(css)):
        while prelude.startswith("/*!"):  # a licence notice before the statement
            end = prelude.index("*/") + 2
            out.append(prelude[:end])
            prelude = prelude[end:].strip()
        if not prelude and body is None:
            continue
        if body is None:
            out.append(prelude + ";")
        elif prelude.startswith(NESTING_AT_RULES):
            inner = prune(body, present)
            if inner:
                out.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):
            out.append(f"{prelude}{{{body}}}")
        else:
            kept = [s for s in _split_selectors(prelude) if _needed(s, present)]
            if kept:
                out.append(f"{','.join(kept)}{{{body}}}")
    return "".join(out)


def present_names(files: Iterable[Path]) -> set[str]:
    """Every word of the site's pages and scripts: class names and ids among them."""
    names: set[str] = set()
    for path in files:
        names.update(WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    return names


def prune_site(site: Path, stylesheets: dict[str, Path]) -> dict[str, tuple[int, int]]:
    """Write each stylesheet of ``stylesheets`` (``{path in site: original}``), pruned
    against the site's HTML pages and scripts; ``{path: (bytes before, after)}``.
    Pruning starts from the original, so a class a page takes up again comes back."""
    sources = [p for p in site.rglob("*") if p.suffix in (".html", ".js") and p.is_file()]
    present = present_names(sources)
    sizes = {}
    for name, original in stylesheets.items():
        target = site / name
        if not (target.is_file() and original.is_file()):
            continue
        before = original.read_text(encoding="utf-8")
        after = prune(before, present)
        target.write_text(after, encoding="utf-8")
        sizes[name] = (len(before.encode()), len(after.encode()))
    return sizes


#: The merged stylesheet, under ``_static/`` (``<hash>``: the first 16 hex digits of
#: its content's SHA-256, so a new content is a new address and hosts may cache it).
MERGED_NAME = "ictstory-site.{}.css"
MERGED_PATTERN = re.compile(r"ictstory-site\.[0-9a-f]{16}\.css$")
_STYLESHEET_LINK = re.compile(r"[ \t]*<link\b[^>]*\brel=[\"']stylesheet[\"'][^>]*>[ \t]*\n?", re.I)
_HREF = re.compile(r"\bhref=[\"']([^\"']+)[\"']", re.I)
_URL = re.compile(r"url\(\s*([\"']?)([^\"')]+)\1\s*\)", re.I)
_IMPORT = re.compile(r"@import\b", re.I)
#: The merged file's first line: where its rules come from, in order.
_HEADER = "/* merged by ictstory.site.cssprune from: {} */\n"
_HEADER_PATTERN = re.compile(r"/\* merged by ictstory\.site\.cssprune from: (.*?) \*/")
_CHARSET = re.compile(r"@charset\s+[\"'][^\"']*[\"']\s*;", re.I)


def head_stylesheets(page_html: str) -> list[str]:
    """The ``href`` of every ``<link rel="stylesheet">`` in the page's ``<head>``, in order."""
    head = page_html.split("</head>", 1)[0]
    return [
        m.group(1) for link in _STYLESHEET_LINK.finditer(head) if (m := _HREF.search(link.group(0)))
    ]


def _rebase_urls(css: str, source: str, target: str) -> str:
    """``css`` of the file at ``source`` (a path in the site) with its relative
    ``url()``s pointing at the same files from ``target``."""

    def rebase(match: re.Match[str]) -> str:
        quote, url = match.group(1), match.group(2).strip()
        parts = urlsplit(url)
        if parts.scheme or url.startswith(("/", "#")) or not parts.path:
            return match.group(0)
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), parts.path))
        moved = posixpath.relpath(resolved, posixpath.dirname(target))
        rest = url[len(parts.path) :]
        return f"url({quote}{moved}{rest}{quote})"

    return _URL.sub(rebase, css)


def merge(site: Path, stylesheets: list[str], target: str) -> str:
    """The stylesheets (paths in ``site``), in order, as one text for ``target``."""
    parts = []
    for name in stylesheets:
        css = (site / name).read_text(encoding="utf-8")
        if _IMPORT.search(_without_comments(css)):
            raise ValueError(f"{name}: @import cannot be merged; link the imported file instead")
        parts.append(_rebase_urls(_CHARSET.sub("", css), name, target))
    return "\n".join(parts)


def _site_path(page: Path, site: Path, href: str) -> str | None:
    """The path in ``site`` of a stylesheet a page links; ``None`` for another host's."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("/"):
        return None
    path = posixpath.normpath(posixpath.join(page.parent.relative_to(site).as_posix(), parts.path))
    return None if path.startswith("../") else path


def merge_site(site: Path) -> dict[str, tuple[int, int]]:
    """Give every page of ``site`` (not the theme's templates in ``_static/``) one
    stylesheet: the ones its ``<head>`` links,
    merged in order and pruned against the site's pages and scripts
    (:func:`prune`). Pages that link the same list share one file.
    ``{merged file: (bytes before, after)}``."""
    pages = sorted(
        p
        for p in site.rglob("*.html")
        if p.is_file() and "_static" not in p.relative_to(site).parts
    )
    texts = {page: page.read_text(encoding="utf-8") for page in pages}
    lists: dict[tuple[str, ...], list[Path]] = {}
    for page, text in texts.items():
        names = [_site_path(page, site, href) for href in head_stylesheets(text)]
        if len(names) > 1 and all(names) and not any(MERGED_PATTERN.search(n or "") for n in names):
            lists.setdefault(tuple(n for n in names if n), []).append(page)
    if not lists:
        return {}
    sources = [p for p in site.rglob("*") if p.suffix in (".html", ".js") and p.is_file()]
    present = present_names(sources)
    sizes = {}
    for stylesheets, linking in lists.items():
        whole = merge(site, list(stylesheets), "_static/" + MERGED_NAME.format("0" * 16))
        pruned = _HEADER.format(" ".join(stylesheets)) + prune(whole, present)
        digest = hashlib.sha256(pruned.encode()).hexdigest()[:16]
        name = "_static/" + MERGED_NAME.format(digest)
        (site / name).write_text(pruned, encoding="utf-8")
        sizes[name] = (len(whole.encode()), len(pruned.encode()))
        for page in linking:
            href = posixpath.relpath(name, page.parent.relative_to(site).as_posix())
            page.write_text(_relink(texts[page], href), encoding="utf-8")
    return sizes


def merged_sources(css: str) -> list[str]:
    """The stylesheets (paths in the site) a merged stylesheet was made of, in order."""
    match = _HEADER_PATTERN.match(css)
    return match.group(1).split() if match else []


def inline_head_script(site: Path, name: str) -> int:
    """Write the script ``name`` (a path in ``site``) into every page whose ``<head>``
    loads it from its own file: a tiny script the parser would otherwise wait for
    (a request of its own before the first paint). The number of pages changed."""
    script = site / name
    if not script.is_file():
        return 0
    code = script.read_text(encoding="utf-8")
    if "</script" in code.lower() or "<!--" in code:
        raise ValueError(f"{name} cannot be written inline")
    changed = 0
    for page in sorted(site.rglob("*.html")):
        if "_static" in page.relative_to(site).parts:
            continue
        text = page.read_text(encoding="utf-8")
        head, sep, body = text.partition("</head>")
        href = posixpath.relpath(name, page.parent.relative_to(site).as_posix())
        tag = re.compile(rf"<script src=[\"']{re.escape(href)}(?:\?[^\"']*)?[\"']></script>", re.I)
        new_head, count = tag.subn(lambda _: f"<script>{code.strip()}</script>", head)
        if count:
            page.write_text(new_head + sep + body, encoding="utf-8")
            changed += 1
    return changed


def _relink(page_html: str, href: str) -> str:
    """The page with its head's stylesheet links replaced by one link to ``href``."""
    head, sep, body = page_html.partition("</head>")
    links = list(_STYLESHEET_LINK.finditer(head))
    first, last = links[0], links[-1]
    between = head[first.end() : last.start()]
    kept = _STYLESHEET_LINK.sub("", between)  # anything between the links stays
    link = f'    <link rel="stylesheet" href="{href}" />\n'
    return head[: first.start()] + link + kept + head[last.end() :] + sep + body
