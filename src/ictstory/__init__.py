"""Shared code for the Vietnam ICT 2016-2021 data story, one sub-package per process.

Lowest first; a module imports only from its own layer or below
(``tests/test_import_directions.py``): the basics here (:mod:`ictstory.paths`,
:mod:`ictstory.i18n`, :mod:`ictstory.editions`, :mod:`ictstory.sitelock`),
:mod:`ictstory.data` (the validated fact base), :mod:`ictstory.story` (a chapter's
kernel: ``import ictstory.story as st``), :mod:`ictstory.trainers`,
:mod:`ictstory.site` (inside jupyter-book) and :mod:`ictstory.build` (``make book``).
"""

import sys

# jsonschema (imported by Altair) compiles 38 Lark grammars at import time when
# rfc3987-syntax is installed, which JupyterLab's jupyter-events pulls in: 1 s in
# a plain process and about 6 s in a chapter's kernel, for IRI format checks that
# nothing here uses. Without the module jsonschema skips those checks.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
