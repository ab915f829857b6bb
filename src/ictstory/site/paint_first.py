"""The page paints first; its scripts come after (issue 21: largest paint on a phone).

Sphinx, its extensions and the theme give every page about ten scripts (copy
buttons, toggles, tabs, the theme's menus, the chart loader), all ``defer``: they do
not stop the parser, but the browser fetches every one of them before its first
paint, and on a phone's connection those requests delay the largest paint by about
half a second. None of them draws what a reader sees first.

:func:`paint_first` moves a page's deferred scripts, unchanged and in their order,
into an inert ``<template id="ictstory-later">`` (nothing in a template is fetched)
and writes :data:`LATER` inline after it: once the page is parsed and painted, it
adds them to the page (in order, like ``defer``), marks the page
``data-ictstory-scripts="ready"`` when the last has run (the browser tests and the
measuring tools wait for that), and runs at once any ``DOMContentLoaded`` listener they add (that
event has passed; sphinx-design's tab script waits for it unconditionally). The
search page keeps its scripts as they are: its search tools need doctools.js at once.
"""

from __future__ import annotations

import re
from pathlib import Path

#: A deferred external script of the page, with nothing between its tags.
DEFERRED = re.compile(r"<script\b(?=[^>]*\sdefer\b)(?=[^>]*\ssrc=)[^>]*>\s*</script>\s*", re.I)
#: A preload of a script (fetched before the first paint like the script itself).
PRELOAD = re.compile(
    r"<link\b(?=[^>]*\srel=[\"']?preload)(?=[^>]*\sas=[\"']?script)[^>]*>\s*", re.I
)
TEMPLATE_ID = "ictstory-later"
#: A browser-side test (JavaScript) that is true once a page's scripts have run, for
#: the tests and tools that drive a browser: they may come after the load event.
SCRIPTS_READY = (
    f"() => !document.getElementById('{TEMPLATE_ID}')"
    " || document.documentElement.dataset.ictstoryScripts === 'ready'"
)
#: ... and once its charts' code has loaded (on a phone, after the reader's first act).
CHARTS_READY = "() => !document.querySelector('.ictstory-chart') || !!window.ictstoryCharts"
#: Pages (relative to an edition) whose scripts stay as they are.
KEEP = frozenset({"search.html"})

#: Adds the template's scripts (in order, as ``defer`` would run them) once the page is
#: parsed and its first contentful paint has been presented (the Paint Timing entry;
#: two animation frames where a browser has none), or after 10 s whatever happens (a
#: safety net: a page opened in a background tab paints, and so loads them, when
#: shown). Written compact: it is inline in every page.
LATER = """(function(){var d=document,go=0;
function start(){if(go++)return;
var all=d.getElementById("ictstory-later").content.querySelectorAll("script"),left=all.length;
d.addEventListener=function(t,f,o){if(t!=="DOMContentLoaded")
return EventTarget.prototype.addEventListener.call(this,t,f,o);
setTimeout(function(){var e=new Event(t);f.handleEvent?f.handleEvent(e):f.call(d,e)})};
function done(){if(--left)return;delete d.addEventListener;
d.documentElement.dataset.ictstoryScripts="ready"}
all.forEach(function(old){var s=d.createElement("script");
[].forEach.call(old.attributes,function(a){a.name!=="defer"&&s.setAttribute(a.name,a.value)});
s.async=false;s.onload=s.onerror=done;d.head.appendChild(s)})}
function parsed(){var P=window.PerformanceObserver,raf=requestAnimationFrame;
if(P&&(P.supportedEntryTypes||[]).indexOf("paint")>=0)new P(function(l,o){
if(l.getEntriesByName("first-contentful-paint").length){o.disconnect();setTimeout(start)}
}).observe({type:"paint",buffered:true});
else raf(function(){raf(function(){setTimeout(start)})});
setTimeout(start,10000)}
d.readyState==="loading"?d.addEventListener("DOMContentLoaded",parsed):parsed()})();"""


def paint_first(page_html: str) -> str:
    """The page with its deferred scripts (and preloads of scripts) moved into the
    template that :data:`LATER` loads after the first paint; unchanged when the page
    has none or has been through this already."""
    if f'id="{TEMPLATE_ID}"' in page_html:
        return page_html
    scripts = [match.group(0).strip() for match in DEFERRED.finditer(page_html)]
    if not scripts:
        return page_html
    head, sep, body = page_html.partition("</head>")
    first = DEFERRED.search(head)
    at = first.start() if first else len(head)
    block = (
        f'<template id="{TEMPLATE_ID}">{"".join(scripts)}</template>\n'
        f"    <script>{LATER}</script>\n    "
    )
    head = PRELOAD.sub("", head[:at]) + block + PRELOAD.sub("", DEFERRED.sub("", head[at:]))
    return head + sep + DEFERRED.sub("", body)


def paint_first_site(site: Path) -> int:
    """Apply :func:`paint_first` to every page of a built edition but the
    :data:`KEEP` ones; the number of pages changed."""
    changed = 0
    for page in sorted(site.rglob("*.html")):
        relative = page.relative_to(site)
        if "_static" in relative.parts or relative.as_posix() in KEEP:
            continue
        text = page.read_text(encoding="utf-8")
        new = paint_first(text)
        if new != text:
            page.write_text(new, encoding="utf-8")
            changed += 1
    return changed
