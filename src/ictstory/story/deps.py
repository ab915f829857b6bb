"""What each chapter read from ``data/``, so that an edit re-executes only the chapters it touches.

While a chapter executes, the data helpers call :func:`record` for what they
hand out: a whole table (``load_table``), one figure (``prose.figure``), the
figures of one indicator (``prose.indicator``), or the figures table when it is
used as a whole. Each record keeps a hash of that content as it was read, in
``_build/deps/<chapter>.json``, with the token the chapter ran under.

Before the next build, :func:`token_for` checks the record: if the chapter's
code, the package code and every recorded piece of data are unchanged, the
chapter keeps its token, so jupyter-cache returns the executed notebook; if
anything it read changed, it gets a fresh token and executes again. A figure's
content includes the figures its derivation names, so editing an input also
re-executes the chapters that show what is derived from it.

Outside a build (a chapter run in JupyterLab) nothing is recorded.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from ictstory.data.derivation import FIGURE_ID
from ictstory.data.reads import READ_HOOKS
from ictstory.paths import project_root

PACKAGE = Path(__file__).parent.parent

_state: dict[str, Any] = {
    "doc": None,
    "token": None,
    "deps": {},
    "glue": {},
    "charts": [],
    "quiet": 0,
    "path": None,  # the record's file, fixed when the chapter starts
}


def deps_dir(root: Path | None = None) -> Path:
    """The records of one edition's chapters (``_build/deps/en``, ``_build/deps/vi``)."""
    from ictstory.i18n import lang

    return (root or project_root()) / "_build" / "deps" / lang()


def _record_path(doc: str, root: Path | None = None) -> Path:
    return deps_dir(root) / (doc.replace("/", "__") + ".json")


def _sha(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part + b"\0")
    return digest.hexdigest()[:24]


def package_hash() -> str:
    """The package's Python code (its static files do not change what a chapter computes)."""
    files = sorted(PACKAGE.rglob("*.py"))
    return _sha(*(p.relative_to(PACKAGE).as_posix().encode() + p.read_bytes() for p in files))


def data_hash(root: Path | None = None) -> str:
    """Every file under ``data/``."""
    data = (root or project_root()) / "data"
    files = sorted(p for p in data.rglob("*") if p.is_file())
    return _sha(*(p.relative_to(data).as_posix().encode() + p.read_bytes() for p in files))


@lru_cache(maxsize=4)
def _figure_rows(path: str, stamp: tuple[int, int]) -> tuple[dict, dict]:
    """figure_id -> (raw row, ids its derivation names); indicator -> figure ids."""
    rows: dict[str, tuple[str, tuple[str, ...]]] = {}
    by_indicator: dict[str, list[str]] = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            fid = row.get("figure_id", "")
            inputs = tuple(FIGURE_ID.findall(row.get("derivation") or ""))  # as derivation.py
            rows[fid] = ("\x1f".join(f"{k}={v}" for k, v in row.items()), inputs)
            by_indicator.setdefault(row.get("indicator", ""), []).append(fid)
    return rows, by_indicator


#: Columns that :func:`ictstory.story.prose.figures` adds, and the CSV column each is made from.
DISPLAY_COLUMNS = {"field_name": "field", "kind_name": "kind"}


@lru_cache(maxsize=16)
def _column_rows(path: str, stamp: tuple[int, int], names: tuple[str, ...]) -> str:
    """A hash of every row's values in the CSV columns behind ``names`` (a name that
    is not a column stands for the whole row)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        wanted = [DISPLAY_COLUMNS.get(n, n) for n in names]
        whole = any(name not in header for name in wanted)
        return _sha(
            *(
                "\x1f".join(row.values() if whole else (row[n] for n in wanted)).encode()
                for row in reader
            )
        )


def _figures(root: Path) -> tuple[dict, dict]:
    path = root / "data" / "figures.csv"
    stat = path.stat()
    return _figure_rows(str(path), (stat.st_mtime_ns, stat.st_size))


def _closure(ids: list[str], rows: dict) -> list[str]:
    """The ids and, recursively, the ids their derivations name."""
    seen: list[str] = []
    todo = list(ids)
    while todo:
        fid = todo.pop()
        if fid in seen:
            continue
        seen.append(fid)
        todo.extend(rows.get(fid, ("", ()))[1])
    return sorted(seen)


def content_hash(dep: str, root: Path | None = None) -> str:
    """The current content of one dependency ("table:figures", "figure:F004", ...)."""
    root = root or project_root()
    kind, _, key = dep.partition(":")
    if kind == "package":
        return package_hash()
    if kind == "table":
        descriptor = root / "data" / "datapackage.json"
        spec = json.loads(descriptor.read_text(encoding="utf-8"))
        path = next((r["path"] for r in spec["resources"] if r["name"] == key), None)
        body = (root / "data" / path).read_bytes() if path else b"missing"
        return _sha(descriptor.read_bytes(), body)
    if kind == "columns":
        path = root / "data" / "figures.csv"
        stat = path.stat()
        return _column_rows(str(path), (stat.st_mtime_ns, stat.st_size), tuple(key.split(",")))
    rows, by_indicator = _figures(root)
    ids = [key] if kind == "figure" else by_indicator.get(key, [])
    closure = _closure(ids, rows)
    return _sha(*(f"{fid}\x1e{rows.get(fid, ('missing',))[0]}".encode() for fid in closure))


def _write_record() -> None:
    """Write the executing chapter's record: its token, what it read, what it glued and charted."""
    # the file named when the chapter started: code that words a text in the other
    # language for a while (ictstory.data.textrefs) must not write into the other
    # edition's records
    path = _state["path"] or _record_path(_state["doc"])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    body = {"token": _state["token"], "deps": _state["deps"]}
    body |= {"glue": _state["glue"], "charts": _state["charts"]}
    tmp.write_text(json.dumps(body, sort_keys=True, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def record(kind: str, key: str) -> None:
    """Note that the executing chapter read this (no-op outside a build).

    The data layer calls it for every table and figure it hands out
    (:data:`ictstory.data.READ_HOOKS`, registered below)."""
    if _state["doc"] is None or _state["quiet"]:
        return
    dep = f"{kind}:{key}"
    if dep in _state["deps"]:
        return
    _state["deps"][dep] = content_hash(dep)
    _write_record()


def _on_read(kind: str, key: str) -> None:
    record(kind, key)  # looked up at each call: a test may replace record


if _on_read.__qualname__ not in {hook.__qualname__ for hook in READ_HOOKS}:
    READ_HOOKS.append(_on_read)


def record_glue(name: str, text: str, value: float | None = None) -> None:
    """Note a glued value: its text and, for a number, the number (no-op outside a build).

    The two editions are compared on these: the same names, the same numbers.
    """
    if _state["doc"] is None:
        return
    number = None if value is None else float(value)
    _state["glue"][name] = {"text": text, "value": number}
    _write_record()


def record_chart(chart_id: str, figure_ids: list[str]) -> None:
    """Note a chart and the figures it draws (no-op outside a build)."""
    if _state["doc"] is None:
        return
    _state["charts"].append({"id": chart_id, "figures": sorted(set(figure_ids))})
    _write_record()


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """The package's own reads inside this block are not recorded."""
    _state["quiet"] += 1
    try:
        yield
    finally:
        _state["quiet"] -= 1


def start(doc: str, token: str) -> None:
    """Called by the first (hidden) cell of a chapter during a build."""
    _state.update(doc=doc, token=token, deps={}, glue={}, charts=[], path=_record_path(doc))
    record("package", "code")  # every chapter depends on the package's code


def token_for(doc: str, code: str, root: Path | None = None) -> str:
    """The token a chapter executes under: its last one while nothing it read changed."""
    root = root or project_root()
    code_hash = _sha(code.encode())
    path = _record_path(doc, root)
    if path.is_file():
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
            token, deps = saved["token"], saved["deps"]
        except (ValueError, KeyError):
            token, deps = None, {}
        unchanged = all(content_hash(dep, root) == value for dep, value in deps.items())
        if token and token.startswith(code_hash[:8]) and "package:code" in deps and unchanged:
            return token
    fresh = _sha(code_hash.encode(), package_hash().encode(), data_hash(root).encode())
    return code_hash[:8] + fresh[:16]


class FigureTable:
    """The figures table as a chapter sees it: ``.loc[ids]`` records just those figures.

    Any other use (a column, a filter, iteration, a method) records the whole
    table, so a chapter that looks at every figure re-executes on every edit.
    ``.frame`` is the DataFrame itself (and records the whole table);
    ``.columns_of(names)`` records only those columns (of every row), and ``len()``
    only the list of ids.
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame

    @property
    def frame(self) -> pd.DataFrame:
        record("table", "figures")
        return self._frame

    def columns_of(self, *names: str) -> pd.DataFrame:
        """These columns of every figure (indexed by id); ties the chapter to them only."""
        record("columns", ",".join(sorted(names)))
        return self._frame[list(names)]

    @property
    def loc(self) -> _TrackedLoc:
        return _TrackedLoc(self)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.frame, name)

    def __getitem__(self, key: Any) -> Any:
        return self.frame[key]

    def __len__(self) -> int:
        record("columns", "figure_id")
        return len(self._frame)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.frame)

    def __repr__(self) -> str:
        return repr(self.frame)

    def _repr_html_(self) -> str | None:
        return self.frame._repr_html_()


class _TrackedLoc:
    """``FigureTable.loc``: labels (one id or a list of ids, optionally with columns)."""

    def __init__(self, table: FigureTable) -> None:
        self._table = table

    def __getitem__(self, key: Any) -> Any:
        rows = key[0] if isinstance(key, tuple) else key
        labels = [rows] if isinstance(rows, str) else rows
        if isinstance(labels, list) and all(isinstance(label, str) for label in labels):
            for label in labels:
                record("figure", label)
            return self._table._frame.loc[key]
        return self._table.frame.loc[key]
