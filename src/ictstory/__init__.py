"""Shared code for the Vietnam ICT 2016-2021 data story.

Chapters import from here: validated data (:mod:`ictstory.data`), the chart
theme (:mod:`ictstory.story.theme`), chart output (:mod:`ictstory.story.charts`) and numbers
for the prose (:mod:`ictstory.story.prose`).
"""

import sys

# jsonschema (imported by Altair) compiles 38 Lark grammars at import time when
# rfc3987-syntax is installed, which JupyterLab's jupyter-events pulls in: 1 s in
# a plain process and about 6 s in a chapter's kernel, for IRI format checks that
# nothing here uses. Without the module jsonschema skips those checks.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
