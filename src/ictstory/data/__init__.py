"""Load the tables of ``data/`` as typed DataFrames, after validating them.

The Frictionless descriptor ``data/datapackage.json`` is the single description
of every table: field names and types, required cells, enums, unique and
foreign keys; :mod:`ictstory.data.cellcheck` adds clean text (no control or invisible
characters, NFC; line breaks only in fields marked ``"multiline": true``) and
finite numbers; :mod:`ictstory.data.crosscheck` checks across tables and against the
source texts in ``data/sources/`` (excerpts verbatim, stated values read back,
derivations compute). :func:`validate_package` checks the whole package and
raises :class:`DataValidationError` listing every problem by file, line and
column; :func:`load_table` returns one table with the types the descriptor
declares, and :func:`load_figures` the figures with their effective values.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import json
import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import frictionless
import pandas as pd
from frictionless import FrictionlessException, Package

from ictstory.data import textrefs
from ictstory.data.cellcheck import scan_table, short
from ictstory.data.problems import DataProblem, DataValidationError
from ictstory.data.reads import notify_read
from ictstory.paths import descriptor_path

#: Frictionless type -> pandas dtype used by :func:`load_table`.
PANDAS_DTYPES = {
    "string": "string",
    "number": "Float64",
    "integer": "Int64",
    "boolean": "boolean",
}

ERROR_TITLES = {
    "type-error": "wrong type",
    "constraint-error": "rule broken",
    "primary-key": "duplicate key",
    "unique-error": "duplicate value",
    "foreign-key": "unknown reference",
    "missing-label": "missing column",
    "extra-label": "unknown extra column",
    "incorrect-label": "unexpected column name",
    "duplicate-label": "duplicate column",
    "blank-label": "blank column name",
    "extra-cell": "extra cell (row longer than the header)",
    "missing-cell": "missing cell (row shorter than the header)",
    "blank-row": "blank row",
    "source-error": "unreadable file",
    "encoding-error": "not UTF-8",
    "scheme-error": "file not found",
    "format-error": "not a CSV file",
}
#: Frictionless errors after which a file is not scanned for cell problems.
UNREADABLE = {"source-error", "encoding-error", "scheme-error", "format-error"}


def _encoding_line(path: Path) -> int | None:
    """The 1-based line of the first byte sequence that is not UTF-8."""
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return raw[: exc.start].count(b"\n") + 1
    return None


#: Separators that spreadsheets write instead of the comma (``;`` where ``,`` is the decimal mark).
OTHER_SEPARATORS = {";": "semicolon", "\t": "tab", "|": "vertical bar"}


def _separator_problem(path: Path, dialect: dict, fields: int) -> DataProblem | None:
    """One problem when the header is split by another separator than the declared one."""
    delimiter = dialect.get("delimiter", ",")
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
            header = handle.readline(1_000_000)
    except OSError:
        return None
    if fields < 2 or header.count(delimiter) > 0:
        return None
    counts = {sep: header.count(sep) for sep in OTHER_SEPARATORS if sep != delimiter}
    sep, count = max(counts.items(), key=lambda item: item[1])
    if count < 1:
        return None
    return DataProblem(
        f"data/{path.name}",
        "wrong separator",
        f"the columns are separated by {OTHER_SEPARATORS[sep]}s ({sep!r}), not by {delimiter!r}; "
        "save the file again as CSV with commas (Excel: CSV UTF-8 (Comma delimited); "
        "LibreOffice: field delimiter ',')",
        1,
    )


@dataclass(frozen=True)
class QuoteFault:
    """Where a CSV file breaks quoting: the line, the cell's column (0-based) and what."""

    line: int
    field: int
    unclosed: bool  # a quote never closed; else text right after a closing quote


def quote_fault(text: str, delimiter: str = ",", quote: str = '"') -> QuoteFault | None:
    """The first place ``text`` (a whole CSV file) breaks quoting, or None.

    A cell that starts with ``quote`` must end with it before the next delimiter or
    line end; a quote inside it is doubled. Reports the line where an unclosed quote
    opened (not where the file or the record ends) and the column it is in, also when
    a later cell's quote closed it and text follows."""
    line, field, i, n = 1, 0, 0, len(text)
    at_start = True
    while i < n:
        char = text[i]
        if at_start and char == quote:
            opened, open_field = line, field
            i += 1
            while True:
                if i >= n:
                    return QuoteFault(opened, open_field, True)
                char = text[i]
                if char == quote:
                    if i + 1 < n and text[i + 1] == quote:
                        i += 2
                        continue
                    i += 1
                    break
                if char == "\n":
                    line += 1
                i += 1
            if i < n and text[i] not in (delimiter, "\r", "\n"):
                # a cell that ran over lines up to a later cell's quote: the quote that
                # opened it is the one never closed
                return QuoteFault(opened, open_field, unclosed=line != opened)
            at_start = False
            continue
        if char == delimiter:
            field, at_start = field + 1, True
        elif char == "\n":
            line, field, at_start = line + 1, 0, True
        elif char != "\r":
            at_start = False
        i += 1
    return None


def _quote_problem(path: Path, dialect: dict) -> DataProblem | None:
    """One problem when the CSV breaks quoting (a quote never closed, text after one),
    naming the line where the quote opened, the column and the fix."""
    delimiter = dialect.get("delimiter", ",")
    quote = dialect.get("quoteChar", '"')
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
            reader = csv.reader(
                handle,
                delimiter=delimiter,
                quotechar=quote,
                doublequote=dialect.get("doubleQuote", True),
                strict=True,
            )
            record, start = 0, 1
            for _ in reader:
                record, start = record + 1, reader.line_num + 1
    except csv.Error as exc:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        fault = quote_fault(text, delimiter, quote)
        header = next(csv.reader([text.split("\n", 1)[0]], delimiter=delimiter), [])
        twice = f"a {quote} inside a cell is written twice ({quote * 2})"
        if fault is None:  # the scan and the csv module disagree: say what the parser said
            detail = (
                f"{exc} (in the record that starts on line {start} of the file); a cell that "
                f"starts with {quote} must end with {quote}, and {twice}; "
                "re-save the file from a spreadsheet as CSV"
            )
            return DataProblem(f"data/{path.name}", "broken quoting", detail, record + 1)
        column = header[fault.field] if fault.field < len(header) else None
        where = f"column {column!r}" if column else f"cell {fault.field + 1} of its row"
        if fault.unclosed:
            detail = (
                f"a quote ({quote}) opened at line {fault.line} in {where} is never closed, "
                f"so the rest of the file reads as that one cell; end the cell with {quote} "
                f"(and {twice}), or re-save the file from a spreadsheet as CSV"
            )
        else:
            detail = (
                f"text follows the closing quote ({quote}) of a cell at line {fault.line} in "
                f"{where}; {twice}, or the whole cell is quoted: re-save the file from a "
                "spreadsheet as CSV"
            )
        return DataProblem(f"data/{path.name}", "broken quoting", detail, fault.line, column)
    except (OSError, ValueError):
        return None
    return None


#: How many of the nearest valid values a message names.
NEAREST = 3


def nearest(value: str, known: list[str], count: int = NEAREST) -> list[str]:
    """The known values most like ``value`` (at most ``count``), most alike first."""
    close = difflib.get_close_matches(value, known, n=count, cutoff=0.0)
    return sorted(close, key=lambda k: -difflib.SequenceMatcher(None, value, k).ratio())


def _choices(value: str, known: list[str], limit: int = 20) -> str:
    """``one of 'a', 'b' (nearest: 'a')``: what would be valid instead of ``value``."""
    close = nearest(value, known)
    listed = ", ".join(repr(k) for k in known[:limit])
    more = f" and {len(known) - limit} more" if len(known) > limit else ""
    return f"nearest: {', '.join(repr(c) for c in close)}; valid: {listed}{more}"


#: The values of some columns of a resource, and its path:
#: ``lookup(resource name, fields) -> (values, "data/<path>")``.
Lookup = Callable[[str, list[str]], tuple[list[str], str]]


def _foreign_key_detail(
    error: object, schema: dict, lookup: Lookup | None
) -> tuple[str | None, str]:
    """An unknown reference: which value of which column, and the nearest known ones."""
    note = getattr(error, "note", "") or ""
    named = list(getattr(error, "field_names", None) or [])
    fks = schema.get("foreignKeys", [])
    fk = next((f for f in fks if list(f.get("fields", [])) == named), None)
    if fk is None and len(fks) == 1:
        fk = fks[0]
    cells = list(getattr(error, "cells", None) or [])
    names = [f["name"] for f in schema.get("fields", [])]
    if fk is None or lookup is None or not cells:
        cols = ", ".join(named or [f for fk in fks for f in fk.get("fields", [])])
        return cols or None, note
    fields = list(fk["fields"])
    value = ", ".join(
        str(cells[names.index(f)]) if f in names and names.index(f) < len(cells) else ""
        for f in fields
    )
    reference = fk.get("reference", {})
    target, target_fields = reference.get("resource") or "", list(reference.get("fields", []))
    known, path = lookup(target, target_fields)
    if not known:
        return ", ".join(
            fields
        ), f"{value!r} is not a {'/'.join(target_fields)} of {path}: it has no row"
    close = ", ".join(repr(k) for k in nearest(value, known))
    return ", ".join(fields), (
        f"{value!r} is not a {'/'.join(target_fields)} of {path}; the nearest known: {close}. "
        f"Correct the id, or add its row to {path} first"
    )


def _describe(
    error: object, schema: dict, expected: dict[str, str], lookup: Lookup | None = None
) -> tuple[str | None, str]:
    """Column name and a plain-language detail for one Frictionless error; ``lookup``
    gives the values an unknown reference could have named."""
    etype = getattr(error, "type", "")
    column = getattr(error, "field_name", None) or None
    cell = getattr(error, "cell", None)
    note = getattr(error, "note", "") or ""
    if etype == "type-error":
        return column, f"expected {expected.get(column or '', 'a valid value')}, got {short(cell)}"
    if etype == "constraint-error":
        enum = _enum(schema, column)
        if enum and note.startswith('constraint "enum"'):
            return (
                column,
                f"{short(cell)} is not an allowed value "
                f"(the descriptor's enum; {_choices(str(cell), enum)})",
            )
        return column, f"value {short(cell)} breaks the rule: {note}"
    if etype == "primary-key":
        keys = ", ".join(schema.get("primaryKey", []))
        return keys or None, f"key value already used ({note})"
    if etype == "foreign-key":
        return _foreign_key_detail(error, schema, lookup)
    if etype == "missing-label":
        return column, "the header lacks this column, which the descriptor requires"
    if etype == "extra-label":
        label = getattr(error, "label", "")
        return label or None, "the header has a column the descriptor does not define"
    if etype == "incorrect-label":
        label = getattr(error, "label", "")
        return column, f"expected column {column!r} here, found {label!r}"
    if etype == "extra-cell":
        return None, f"the row has more cells than the header ({short(cell)} is extra)"
    if etype == "missing-cell":
        return column, "the row ends before this column"
    return column, note or getattr(error, "message", str(error))


def _enum(schema: dict, column: str | None) -> list[str]:
    """The allowed values of a column with an ``enum`` constraint (else empty)."""
    for field in schema.get("fields", []):
        if field.get("name") == column:
            return [str(v) for v in (field.get("constraints") or {}).get("enum") or []]
    return []


def _lookup(package: Package, base: Path, own: str) -> Lookup:
    """Reads the values of a resource's columns (``""`` is ``own``), once each."""
    cache: dict[tuple[str, tuple[str, ...]], tuple[list[str], str]] = {}

    def values(name: str, fields: list[str]) -> tuple[list[str], str]:
        key = (name or own, tuple(fields))
        if key not in cache:
            path, rows = key[0], []
            try:
                path = package.get_resource(key[0]).path
                rows = [row for _, row in _csv_rows(base / path)]
            except (OSError, ValueError, csv.Error, FrictionlessException):
                pass  # the message then only names the table
            found = {", ".join(row.get(f) or "" for f in fields) for row in rows}
            cache[key] = (sorted(v for v in found if v.strip(", ")), f"data/{path}")
        return cache[key]

    return values


def _expected_types(schema: dict) -> dict[str, str]:
    """Human wording of what each field expects."""
    words = {
        "number": "a number (use . for decimals, no thousands separator)",
        "integer": "a whole number",
        "date": "a date as YYYY-MM-DD",
        "boolean": "true or false",
    }
    return {
        f["name"]: words.get(f.get("type", "string"), f.get("type", "")) for f in schema["fields"]
    }


def find_problems(descriptor: Path | None = None) -> list[DataProblem]:
    """Every problem in the data package, in file order; empty when valid.

    Frictionless checks types, constraints and keys (with no cap on the number
    of errors, so the count is true); :mod:`ictstory.data.cellcheck` adds clean text
    and finite numbers.
    """
    from ictstory.data import datafiles  # it uses DataProblem from here

    descriptor = descriptor or descriptor_path()
    if not descriptor.is_file():
        return [DataProblem(str(descriptor), "missing descriptor", "file not found")]
    fingerprint = _fingerprint(descriptor)
    raw, problems = datafiles.load_descriptor(descriptor)
    if raw is None:
        return problems  # nothing else is read: a path could be a URL or leave data/
    problems = datafiles.file_problems(raw, descriptor.parent)
    declared = {f"data/{p}" for p in datafiles.declared(raw, descriptor.parent)}
    if any(p.path in declared for p in problems):
        return problems  # a declared file is a link or no file: Frictionless must not read it
    try:
        problems += _check(descriptor)
    except FrictionlessException as exc:
        detail = getattr(exc, "error", None)
        message = getattr(detail, "message", None) or str(exc)
        problems.append(DataProblem("data/datapackage.json", "invalid descriptor", message))
    if not problems:
        _remember_valid(fingerprint)
    return problems


def _check(descriptor: Path) -> list[DataProblem]:
    """Frictionless validation plus the cell checks, as :class:`DataProblem` s."""
    package = Package(str(descriptor))
    base = descriptor.parent
    report = package.validate(limit_errors=0)
    problems: list[DataProblem] = []
    for task in report.tasks:
        resource = package.get_resource(task.name)
        schema = resource.schema.to_descriptor() if resource.schema else {"fields": []}
        expected = _expected_types(schema)
        lookup = _lookup(package, base, resource.name)
        rel = f"data/{resource.path}"
        dialect = resource.dialect.to_descriptor() if resource.dialect else {}
        wrong = _separator_problem(
            base / resource.path, dialect, len(schema["fields"])
        ) or _quote_problem(base / resource.path, dialect)
        if wrong:
            problems.append(DataProblem(rel, wrong.kind, wrong.detail, wrong.line, wrong.column))
            continue  # one line, not one error a row
        found: list[DataProblem] = []
        unreadable = False
        for error in task.errors:
            etype = error.type
            line = getattr(error, "row_number", None)
            if etype in UNREADABLE:
                unreadable = True
            if etype == "encoding-error":
                line = _encoding_line(base / resource.path)
                detail = "the file is not valid UTF-8; save it as UTF-8 (CSV UTF-8 in Excel)"
                found.append(DataProblem(rel, ERROR_TITLES[etype], detail, line))
                continue
            if etype == "source-error" and (base / resource.path).is_file():
                if (base / resource.path).stat().st_size == 0:
                    found.append(
                        DataProblem(rel, "empty file", "the file has no header and no rows")
                    )
                    continue
            column, detail = _describe(error, schema, expected, lookup)
            kind = ERROR_TITLES.get(etype, etype)
            found.append(DataProblem(rel, kind, detail, line, column))
        if not unreadable and resource.path:
            found += [
                DataProblem(rel, p.kind, p.detail, p.line, p.column)
                for p in scan_table(base / resource.path, schema, dialect)
            ]
            found.sort(key=lambda p: p.line or 0)  # stable: file order, Frictionless first
        problems += found
    for error in report.errors:
        problems.append(DataProblem("data/datapackage.json", "invalid descriptor", error.message))
    if not problems:
        from ictstory.data import chapterrefs, glosses, measures, peers, vocabulary
        from ictstory.data.crosscheck import package_problems  # it uses DataProblem from here

        problems = package_problems(package.to_descriptor(), base)
        problems += outside_problems(package.to_descriptor(), base)
        problems += peers.problems(package.to_descriptor(), base)
        problems += glosses.problems(package.to_descriptor(), base)  # excerpt_en
        problems += textrefs.text_problems(package.to_descriptor(), base)
        problems += chapterrefs.problems(descriptor)  # ids the chapters use
        problems += vocabulary.problems(base)  # one name per word, no markup
        problems += measures.problems(base)  # every indicator says what it measures
    return problems


def _csv_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line, row) of every record of a CSV file; line 1 is the header."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(enumerate(csv.DictReader(handle), start=2))


def outside_problems(descriptor: dict, base: Path) -> list[DataProblem]:
    """Rules of the outside tables that the descriptor cannot express.

    A source is either a web page (``url``) or a data file in a repository
    (``repository``, ``repository_path`` and ``commit``), never both or
    neither; a series row has its indicator's unit; ``superseded_by`` names
    another row of the same indicator and year that is not itself superseded.
    """
    paths = {r["name"]: r["path"] for r in descriptor["resources"]}
    if not {"outside_sources", "outside_indicators", "outside_series"} <= paths.keys():
        return []
    problems: list[DataProblem] = []
    src_path = f"data/{paths['outside_sources']}"
    for line, row in _csv_rows(base / paths["outside_sources"]):
        repo = [row.get(c, "") for c in ("repository", "repository_path", "commit")]
        if bool(row.get("url")) == any(repo):
            problems.append(
                DataProblem(
                    src_path,
                    "rule broken",
                    "give either a url or a "
                    "repository with its path and commit, not both or neither",
                    line,
                    "url",
                )
            )
        elif any(repo) and not all(repo):
            problems.append(
                DataProblem(
                    src_path,
                    "rule broken",
                    "a data file needs repository, repository_path and commit",
                    line,
                    "repository",
                )
            )
        if (row.get("page_kind") == "data_file") != any(repo):
            problems.append(
                DataProblem(
                    src_path,
                    "rule broken",
                    "page_kind is data_file exactly when the source is a file in a repository",
                    line,
                    "page_kind",
                )
            )
    units = {r["indicator"]: r["unit"] for _, r in _csv_rows(base / paths["outside_indicators"])}
    series_path = f"data/{paths['outside_series']}"
    rows = _csv_rows(base / paths["outside_series"])
    by_id = {r["series_id"]: r for _, r in rows}
    for line, row in rows:
        expected = units.get(row["indicator"])
        if expected is not None and row["unit"] != expected:
            problems.append(
                DataProblem(
                    series_path,
                    "rule broken",
                    f"unit {row['unit']!r} is not "
                    f"the unit of indicator {row['indicator']!r} ({expected!r})",
                    line,
                    "unit",
                )
            )
        newer = by_id.get(row.get("superseded_by") or "")
        if not row.get("superseded_by") or newer is None:
            continue  # blank, or an unknown id (the foreign key reports it)
        if newer is row:
            detail = "a row cannot supersede itself"
        elif (newer["indicator"], newer["year"]) != (row["indicator"], row["year"]):
            detail = (
                f"{newer['series_id']} is {newer['indicator']} {newer['year']}, "
                f"not {row['indicator']} {row['year']}"
            )
        elif newer.get("superseded_by"):
            detail = f"{newer['series_id']} is itself superseded; name the newest row"
        else:
            continue
        problems.append(DataProblem(series_path, "rule broken", detail, line, "superseded_by"))
    return problems


def _fingerprint(descriptor: Path) -> str:
    """Hash of the descriptor and every file under its folder, source texts included
    (invalidates caches)."""
    digest = hashlib.sha256()
    base = descriptor.parent
    for folder, dirs, files in os.walk(base):  # never follows a link: it is hashed as a link
        dirs.sort()
        for name in sorted(files + [d for d in dirs if Path(folder, d).is_symlink()]):
            path = Path(folder, name)
            digest.update(path.relative_to(base).as_posix().encode() + b"\0")
            if path.is_symlink():
                digest.update(b"link\0" + os.fsencode(os.readlink(path)))
            elif path.is_file():
                digest.update(path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _checker_version() -> str:
    """Hash of what decides validity besides the data: this code, Frictionless, Unicode."""
    digest = hashlib.sha256()
    for name in (
        "__init__",
        "datafiles",
        "cellcheck",
        "crosscheck",
        "derivation",
        "vnnumber",
        "textrefs",
        "peers",
        "measures",
        "glosses",
    ):
        digest.update((Path(__file__).parent / f"{name}.py").read_bytes())
    digest.update(f"{frictionless.__version__} {unicodedata.unidata_version}".encode())
    return digest.hexdigest()


def _valid_marker(fingerprint: str) -> Path:
    """The cache file whose presence says: data with this fingerprint is valid."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    key = hashlib.sha256(f"{_checker_version()} {fingerprint}".encode()).hexdigest()
    return cache / "ictstory" / "valid-data" / key


def _remember_valid(fingerprint: str, keep: int = 64) -> None:
    """Record a valid fingerprint for other processes; keep the newest ``keep`` records."""
    marker = _valid_marker(fingerprint)
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
        records = sorted(marker.parent.iterdir(), key=lambda p: p.stat().st_mtime)
        for old in records[:-keep]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home only costs time


@lru_cache(maxsize=8)
def _validated(descriptor: str, fingerprint: str) -> bool:
    if _valid_marker(fingerprint).is_file():
        return True  # validated before, by this process or another (a chapter kernel)
    problems = find_problems(Path(descriptor))
    if problems:
        raise DataValidationError(problems)
    return True


def validate_package(descriptor: Path | None = None) -> str:
    """Raise :class:`DataValidationError` unless every table matches the descriptor;
    return the data's fingerprint (:func:`_fingerprint`).

    Data found valid once, with the same descriptor, files and checking code, is
    not checked again: the result is kept per process and, for valid data, in
    ``~/.cache/ictstory/valid-data`` (``$XDG_CACHE_HOME``), so that every chapter
    kernel of a build need not validate a large package anew.
    """
    descriptor = (descriptor or descriptor_path()).resolve()
    fingerprint = _fingerprint(descriptor)
    _validated(str(descriptor), fingerprint)
    return fingerprint


def load_table(name: str, descriptor: Path | None = None) -> pd.DataFrame:
    """One validated table as a DataFrame typed from its schema.

    Dates become datetimes, ``-0`` becomes ``0.0`` (so no chart or text shows
    "-0") and ``\\r\\n`` inside a multiline cell becomes ``\\n``. Each call returns
    a frame of its own; the parsed table is kept per process while no file of the
    data changes (its fingerprint is the key), since parsing the descriptor costs
    more than a chapter's own work.
    """
    descriptor = (descriptor or descriptor_path()).resolve()
    fingerprint = validate_package(descriptor)
    notify_read("table", name)
    table = _parsed_table(name, str(descriptor), fingerprint).copy()
    return textrefs.resolve_table(name, table, descriptor, load_figures)


@lru_cache(maxsize=64)
def _parsed_table(name: str, descriptor: str, fingerprint: str) -> pd.DataFrame:
    """:func:`_read_table` kept per table and data fingerprint (callers copy it)."""
    return _read_table(name, Path(descriptor))


def _resource(name: str, descriptor: Path) -> dict:
    """The descriptor's entry of table ``name``, read as JSON: the package has been
    validated (its schemas are inline), and Frictionless's parse of the whole
    descriptor costs more than reading the table."""
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    for resource in package["resources"]:
        if resource["name"] == name:
            return resource
    raise KeyError(f"no table {name!r} in {descriptor}")


def _read_table(name: str, descriptor: Path) -> pd.DataFrame:
    """One table typed from its schema, without validating it first."""
    resource = _resource(name, descriptor)
    fields = resource["schema"]["fields"]
    frame = pd.read_csv(
        descriptor.parent / resource["path"],
        dtype=str,
        keep_default_na=False,
        encoding="utf-8",
    )
    for field in fields:
        column, ftype = field["name"], field.get("type", "string")
        values = frame[column].replace("", pd.NA)
        if ftype in ("date", "datetime"):
            frame[column] = pd.to_datetime(values, format="ISO8601")
        elif ftype == "number":
            frame[column] = pd.to_numeric(values).astype(PANDAS_DTYPES[ftype]) + 0.0
        elif ftype == "integer":
            frame[column] = pd.to_numeric(values).astype(PANDAS_DTYPES[ftype])
        elif ftype == "boolean":
            frame[column] = values.map({"true": True, "false": False}).astype("boolean")
        else:
            frame[column] = values.astype("string").str.replace("\r\n", "\n", regex=False)
    return frame


def load_figures(descriptor: Path | None = None) -> pd.DataFrame:
    """The validated figures table with every figure's effective value in ``value``.

    ``value_stated`` keeps the number as the source states it; ``value`` is
    ``value_corrected`` where there is one, else the stated value, and for
    derived figures the result of their derivation over the effective values of
    the others, computed now and rounded to the row's ``decimals`` (blank:
    :data:`ictstory.data.derivation.SIGNIFICANT` significant digits).
    """
    from ictstory.data.derivation import compute, display_round

    table = load_table("figures", descriptor)
    table.insert(table.columns.get_loc("value") + 1, "value_stated", table["value"])
    effective = table["value_corrected"].fillna(table["value"])
    derived = table["kind"] == "derived"
    values = dict(zip(table["figure_id"][~derived], effective[~derived], strict=True))
    derivations = dict(zip(table["figure_id"][derived], table["derivation"][derived], strict=True))
    computed, failures = compute(derivations, {k: float(v) for k, v in values.items()})
    if failures:  # validation reports these first; reaching here means the data changed
        raise ValueError(f"{failures[0].figure_id}: {failures[0].error}")
    decimals = dict(zip(table["figure_id"], table["decimals"], strict=True))
    for fid, value in computed.items():
        places = decimals[fid]
        computed[fid] = display_round(value, None if pd.isna(places) else int(places))
    table["value"] = (
        effective.where(~derived, table["figure_id"].map(computed)).astype("Float64") + 0.0
    )
    return table


def main() -> int:
    """Command line: validate ``data/`` and print a one-line summary or every problem."""
    import sys

    descriptor = descriptor_path().resolve()
    problems = find_problems(descriptor)
    if problems:
        print(DataValidationError(problems), file=sys.stderr)
        return 1
    package = Package(str(descriptor))
    # Just validated: read each table without validating the package again.
    counts = ", ".join(
        f"{r.name} {len(_read_table(r.name, descriptor))}" for r in package.resources
    )
    print(f"data/ is valid ({counts} rows)")
    return 0
