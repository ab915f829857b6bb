"""What ``data/`` may hold, and which of its files are published.

The site's downloads (and ``ictstory-data.zip``) hold exactly the declared
files: the descriptor ``datapackage.json``, the path of every resource, and the
text ``sources/<source_id>.txt`` of every row of ``sources.csv``. They are
copied as regular files, so :func:`descriptor_problems` and
:func:`file_problems` (run by ``make data`` before anything else) refuse, naming
the path:

* a resource ``path`` that is not a plain relative path inside ``data/`` (a URL,
  an absolute path, ``..``, a hidden name, a list) or not a data format
  (:data:`DATA_FORMATS`), and a ``schema``, ``dialect`` or ``profile`` given as a
  path or URL instead of inline: nothing is ever fetched;
* in ``data/``: symbolic links, hidden files and folders (git's own
  :data:`GIT_FILES` excepted: kept, never published), editor backups
  (``figures.csv~``, ``#figures.csv#``) and lock files (``~$figures.csv``), files
  that are not regular files, and any other file the descriptor does not declare.

Text files in ``data/sources/`` without their row are left to
:mod:`ictstory.data.crosscheck`, which names the missing row.
"""

from __future__ import annotations

import csv
import json
import os
import re
import stat
from pathlib import Path, PurePosixPath
from typing import Any

from ictstory.data.problems import DataProblem

DESCRIPTOR = "datapackage.json"
SOURCE_TEXTS = "sources"
#: The only formats published: data, never something a browser runs or renders as a page.
DATA_FORMATS = frozenset({".csv", ".json", ".txt", ".zip"})
#: A source id that is safe as a file name (the descriptor's pattern is stricter).
SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")
URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
#: Git's own files: allowed as regular files, and never published.
GIT_FILES = frozenset({".gitattributes", ".gitignore", ".gitkeep"})
KNOWN_PROFILES = frozenset(
    {"data-package", "tabular-data-package", "data-resource", "tabular-data-resource"}
)
DECLARE_IT = (
    "publish only what the descriptor declares: move the file out of data/, "
    "or declare it as a resource in data/datapackage.json"
)


def path_problem(path: object) -> str | None:
    """Why a resource ``path`` is refused (plain language with the fix), or None."""
    fix = "give a file name inside data/, e.g. figures.csv"
    if not isinstance(path, str) or not path.strip():
        return f"the path must be one file name, not {_short(path)}; {fix}"
    if "\\" in path or re.match(r"^[A-Za-z]:", path):
        return f"{_short(path)} is a Windows path; {fix} (with / between folders)"
    if URL_SCHEME.match(path) or path.startswith("//"):
        return f"{_short(path)} is a URL: data is never fetched; save the file in data/ and {fix}"
    if PurePosixPath(path).is_absolute():
        return f"{_short(path)} is an absolute path; {fix}"
    parts = PurePosixPath(path).parts
    if ".." in parts:
        return f"{_short(path)} leaves data/ (..); {fix}"
    if any(part.startswith(".") for part in parts):
        return f"{_short(path)} is hidden (a name starting with .); {fix}"
    if PurePosixPath(path).suffix.lower() not in DATA_FORMATS:
        return f"{_short(path)} is not a data format; {_formats_fix()}"
    return None


def _formats_fix() -> str:
    return "only CSV, JSON, TXT and ZIP files are published (a page or script never is)"


def _short(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def descriptor_problems(descriptor: dict[str, Any], where: str) -> list[DataProblem]:
    """Resource paths, and schemas, dialects and profiles that would be fetched."""
    problems: list[DataProblem] = []

    def refuse(kind: str, detail: str) -> None:
        problems.append(DataProblem(where, kind, detail))

    profile = descriptor.get("profile", "data-package")
    if not isinstance(profile, str) or profile not in KNOWN_PROFILES:
        refuse("invalid descriptor", f"profile {_short(profile)} is not tabular-data-package")
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        refuse("invalid descriptor", "resources must be a list of the tables")
        return problems
    for number, resource in enumerate(resources, start=1):
        if not isinstance(resource, dict):
            refuse("invalid descriptor", f"resource {number} is not an object")
            continue
        name = resource.get("name", f"number {number}")
        if "data" in resource and "path" not in resource:
            refuse("invalid descriptor", f"resource {_short(name)}: give a path, not inline data")
            continue
        detail = path_problem(resource.get("path"))
        if detail:
            refuse("refused resource path", f"resource {_short(name)}: {detail}")
        for key in ("schema", "dialect"):
            if key in resource and not isinstance(resource[key], dict):
                refuse(
                    "invalid descriptor",
                    f"resource {_short(name)}: {key} must be written inline (an object), "
                    f"not {_short(resource[key])}: nothing outside the descriptor is read",
                )
        rprofile = resource.get("profile", "tabular-data-resource")
        if not isinstance(rprofile, str) or rprofile not in KNOWN_PROFILES:
            refuse(
                "invalid descriptor",
                f"resource {_short(name)}: profile {_short(rprofile)} is not tabular-data-resource",
            )
    return problems


def load_descriptor(path: Path) -> tuple[dict[str, Any] | None, list[DataProblem]]:
    """The descriptor as JSON, or None and the problem (with line and column)."""
    where = "data/" + DESCRIPTOR
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, [DataProblem(where, "not UTF-8", "save the descriptor as UTF-8")]
    except json.JSONDecodeError as exc:
        detail = f"{exc.msg} at character {exc.colno}; fix the JSON (a validator shows where)"
        return None, [DataProblem(where, "invalid descriptor", detail, exc.lineno)]
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        detail = f"{_short(str(exc), 200)}; fix the JSON"
        return None, [DataProblem(where, "invalid descriptor", detail)]
    except (OSError, RecursionError) as exc:
        return None, [DataProblem(where, "unreadable file", _short(str(exc), 200))]
    if not isinstance(data, dict):
        return None, [DataProblem(where, "invalid descriptor", "the descriptor is not an object")]
    problems = descriptor_problems(data, where)
    return (None if problems else data), problems


def source_ids(descriptor: dict[str, Any], base: Path) -> list[str]:
    """The source ids of ``sources.csv`` that are safe file names (others fail the schema)."""
    spec = next((r for r in descriptor.get("resources", []) if r.get("name") == "sources"), None)
    if spec is None:
        return []
    try:
        with (base / spec["path"]).open(encoding="utf-8-sig", newline="") as handle:
            ids = [row.get("source_id") or "" for row in csv.DictReader(handle)]
    except (OSError, UnicodeDecodeError, csv.Error, KeyError, TypeError):
        return []
    return [i for i in ids if SAFE_ID.fullmatch(i)]


def declared(descriptor: dict[str, Any], base: Path) -> list[str]:
    """Relative paths of every published file: descriptor, resources, source texts."""
    paths = [DESCRIPTOR]
    paths += [r["path"] for r in descriptor["resources"] if isinstance(r.get("path"), str)]
    paths += [f"{SOURCE_TEXTS}/{sid}.txt" for sid in source_ids(descriptor, base)]
    return sorted(set(paths))


def _kind_of(name: str, mode: int) -> tuple[str, str] | None:
    """(kind, fix) for an entry that is never published, judged by its name and type."""
    if stat.S_ISLNK(mode):
        return "symbolic link", "copy the file itself into data/ (a link is never followed)"
    if name in GIT_FILES and stat.S_ISREG(mode):
        return None
    if name.startswith("."):
        return "hidden file", "delete it or move it out of data/ (it is never published)"
    if name.endswith("~") or name.startswith("~$") or re.fullmatch(r"#.*#", name):
        return (
            "backup or lock file",
            "an editor or spreadsheet left it: close the program and delete the file",
        )
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return "not a regular file", "data/ holds plain files only: delete it"
    return None


def file_problems(descriptor: dict[str, Any], base: Path) -> list[DataProblem]:
    """Every entry of ``data/`` that would not be published as it is, by path."""
    wanted = set(declared(descriptor, base))
    problems: list[DataProblem] = []
    for folder, dirs, files in os.walk(base, followlinks=False):
        here = Path(folder)
        for name in sorted(dirs + files):
            path = here / name
            rel = path.relative_to(base).as_posix()
            where = f"data/{rel}"
            try:
                mode = os.lstat(path).st_mode
            except OSError as exc:
                problems.append(DataProblem(where, "unreadable file", _short(str(exc), 200)))
                continue
            found = _kind_of(name, mode)
            if found:
                kind, fix = found
                if stat.S_ISDIR(mode) and kind == "hidden file":
                    kind = "hidden folder"
                problems.append(DataProblem(where, kind, fix))
                if name in dirs:
                    dirs.remove(name)  # never look inside
                continue
            if stat.S_ISDIR(mode) or rel in wanted or name in GIT_FILES:
                continue
            if rel.startswith(f"{SOURCE_TEXTS}/") and rel.count("/") == 1 and rel.endswith(".txt"):
                continue  # a text without its row: crosscheck names the row it needs
            if PurePosixPath(name).suffix.lower() not in DATA_FORMATS:
                problems.append(DataProblem(where, "not a data format", _formats_fix()))
            else:
                problems.append(DataProblem(where, "undeclared file", DECLARE_IT))
    return problems


def regular_file(base: Path, rel: str) -> Path:
    """``base/rel`` after checking it is a regular file inside ``base`` (never a link).

    Raises :class:`ValueError` naming the path otherwise: nothing else is published.
    """
    detail = path_problem(rel) if rel != DESCRIPTOR else None
    path = base / rel
    if detail is None:
        for part in (base / p for p in _prefixes(rel)):
            if part.is_symlink():
                detail = "a symbolic link is never published"
                break
    if detail is None:
        try:
            mode = os.lstat(path).st_mode
        except OSError as exc:
            raise ValueError(f"data/{rel}: cannot be published: {exc.strerror}") from None
        if not stat.S_ISREG(mode):
            detail = "not a regular file"
    if detail is None and not path.resolve().is_relative_to(base.resolve()):
        detail = "outside data/"
    if detail:
        raise ValueError(f"data/{rel}: not published: {detail}")
    return path


def _prefixes(rel: str) -> list[str]:
    parts = PurePosixPath(rel).parts
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]
