"""Drop the theme's CSS rules that no page of the site can use (issue 9: LCP).

pydata-sphinx-theme's stylesheet (400 KB, 66 KB gzip) blocks the first paint and is
mostly Bootstrap rules for classes the book never uses. After the build, a rule is
kept unless one of its selectors' required classes or ids appears nowhere in the
built pages or their scripts (so classes that scripts add, ``:hover`` and dark-mode
rules stay); a rule with no selector left is dropped. Classes inside ``:not()``,
``:is()``, ``:has()`` and other functional pseudo-classes are not required, so
those rules stay too; at-rules other than ``@media``, ``@supports``, ``@layer`` and
``@container`` (``@font-face``, ``@keyframes``) stay whole, and so do ``/*!`` licence
comments; other comments go.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

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
