"""Only what the descriptor declares is published, as regular files, and nothing is fetched.

Issue 18: a symbolic link in data/ published the file it pointed to; hidden
files, editor backups and spreadsheet lock files were published; an ``.html`` or
``.svg`` file in data/ ran its script on the book's address; a resource path
that is a URL was fetched by ``make data`` and ``make book``, which then crashed.
Each case here fails the data check naming the path, and the downloads writer
itself refuses to publish anything but the declared regular files.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import ROOT, build_env

from ictstory.data import datafiles, find_problems
from ictstory.site.downloads import write_downloads
from ictstory.story.datapage import ZIP_NAME

SECRET = "SECRET-18-not-for-publishing"


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    """A writable copy of data/."""
    target = tmp_path / "project" / "data"
    shutil.copytree(ROOT / "data", target)
    return target


@pytest.fixture()
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "outside" / "id_rsa"
    path.parent.mkdir()
    path.write_text(SECRET, encoding="utf-8")
    return path


def _problems(data: Path) -> dict[str, str]:
    return {p.path: f"{p.kind}: {p.detail}" for p in find_problems(data / "datapackage.json")}


def _declared(data: Path) -> set[str]:
    descriptor = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    return set(datafiles.declared(descriptor, data))


def test_real_data_publishes_exactly_the_declared_files(data: Path, tmp_path: Path) -> None:
    declared = _declared(data)
    assert "datapackage.json" in declared and "figures.csv" in declared
    assert any(p.startswith("sources/") for p in declared)
    site = write_downloads(tmp_path / "site", data) / "downloads"
    published = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert published == declared | {ZIP_NAME}
    assert all(not p.is_symlink() for p in site.rglob("*"))
    with zipfile.ZipFile(site / ZIP_NAME) as archive:
        assert set(archive.namelist()) == {f"data/{p}" for p in declared}
    for rel in declared:
        assert (site / rel).read_bytes() == (data / rel).read_bytes()


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("secret.csv", "symbolic link"),  # a link to a file outside the project
        ("linked", "symbolic link"),  # a link to a folder
        (".env", "hidden file"),
        (".private/notes.csv", "hidden folder"),
        ("figures.csv~", "backup or lock file"),
        ("~$figures.csv", "backup or lock file"),
        ("#figures.csv#", "backup or lock file"),
        ("sources/.~lock.sources.csv#", "hidden file"),
        ("extra.csv", "undeclared file"),
        ("notes/more.json", "undeclared file"),
        ("page.html", "not a data format"),
        ("logo.svg", "not a data format"),
        ("sources/readme.md", "not a data format"),
    ],
)
def test_unpublishable_file_is_refused_and_never_published(
    data: Path, secret: Path, tmp_path: Path, name: str, kind: str
) -> None:
    path = data / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "symbolic link":
        path.symlink_to(secret.parent if name == "linked" else secret)
    else:
        path.write_text(f"<script>alert(1)</script>{SECRET}", encoding="utf-8")
    top = "data/" + (".private" if name.startswith(".private") else name)
    problems = _problems(data)
    assert top in problems, problems
    assert problems[top].startswith(kind)
    with pytest.raises(ValueError, match="nothing published"):
        write_downloads(tmp_path / "site", data)
    assert not (tmp_path / "site" / "downloads").exists()


def test_declared_file_that_is_a_link_is_refused(data: Path, secret: Path, tmp_path: Path) -> None:
    """A table replaced by a link: refused before Frictionless reads it; never published."""
    (data / "glossary.csv").unlink()
    (data / "glossary.csv").symlink_to(secret)
    problems = _problems(data)
    assert list(problems) == ["data/glossary.csv"]
    assert problems["data/glossary.csv"].startswith("symbolic link")
    with pytest.raises(ValueError, match="glossary.csv"):
        datafiles.regular_file(data, "glossary.csv")
    with pytest.raises(ValueError):
        write_downloads(tmp_path / "site", data)


def test_data_folder_inside_a_linked_folder_is_not_followed(data: Path, secret: Path) -> None:
    """A linked sources/ folder: its texts are not read through the link."""
    shutil.rmtree(data / "sources")
    (data / "sources").symlink_to(secret.parent)
    problems = _problems(data)
    assert problems.get("data/sources", "").startswith("symbolic link")


def test_git_attributes_are_kept_but_not_published(data: Path, tmp_path: Path) -> None:
    (data / "sources" / ".gitignore").write_text("*.bak\n", encoding="utf-8")
    assert _problems(data) == {}
    site = write_downloads(tmp_path / "site", data) / "downloads"
    assert not list(site.rglob(".git*"))


class _Counter(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        type(self).hits.append(self.path)
        body = (ROOT / "data" / "figures.csv").read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextmanager
def counting_server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that serves figures.csv for any path and counts requests."""
    hits: list[str] = []
    handler = type("Handler", (_Counter,), {"hits": hits})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def _set_resource(data: Path, name: str, **props: object) -> None:
    path = data / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == name)
    resource.update(props)
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")


def _make_data(project: Path) -> subprocess.CompletedProcess[str]:
    """``make data`` in ``project`` (``python -m ictstory.data`` with its data)."""
    (project / "_config.yml").touch()
    return subprocess.run(
        [sys.executable, "-m", "ictstory.data"],
        cwd=project,
        env=build_env(project, XDG_CACHE_HOME=str(project / "cache")) | {"PYTHONPATH": ""},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"path": "{url}/figures.csv"}, "is a URL"),
        ({"path": "//127.0.0.1:1/figures.csv"}, "is a URL"),
        ({"path": "file:///etc/passwd"}, "is a URL"),
        ({"path": "/etc/passwd.csv"}, "absolute path"),
        ({"path": "C:\\data\\figures.csv"}, "Windows path"),
        ({"path": "C:/data/figures.csv"}, "Windows path"),
        ({"path": "../outside.csv"}, "leaves data/"),
        ({"path": "sources/../../outside.csv"}, "leaves data/"),
        ({"path": ["figures.csv", "{url}/more.csv"]}, "one file name"),
        ({"path": "figures.html"}, "not a data format"),
        ({"schema": "{url}/schema.json"}, "inline"),
        ({"dialect": "{url}/dialect.json"}, "inline"),
        ({"profile": "{url}/profile.json"}, "tabular-data-resource"),
    ],
)
def test_resource_path_is_refused_without_any_request(
    data: Path, change: dict[str, object], said: str
) -> None:
    with counting_server() as (url, hits):
        filled = {
            k: [v.format(url=url) for v in value]
            if isinstance(value, list)
            else str(value).format(url=url)
            for k, value in change.items()
        }
        _set_resource(data, "figures", **filled)
        problems = find_problems(data / "datapackage.json")
        result = _make_data(data.parent) if url in str(filled) else None
    assert hits == [], f"the data check fetched {hits}"
    messages = [str(p) for p in problems]
    assert any(said in m and "resource 'figures'" in m for m in messages), messages
    assert all(m.startswith("data/datapackage.json") for m in messages), messages
    if result is not None:  # make data itself: no request, no traceback, the reason
        assert result.returncode == 1
        assert "Traceback" not in result.stderr and said in result.stderr, result.stderr[-2000:]


def test_build_stops_on_a_link_before_publishing(
    tmp_path: Path, secret: Path, project_copy: Callable[..., Path]
) -> None:
    """``make book``'s own data check: the build stops, naming the link, and no site appears."""
    project = project_copy(with_cache=False)
    (project / "data" / "key.csv").symlink_to(secret)
    result = subprocess.run(
        [sys.executable, "-m", "ictstory.build"],
        cwd=project,
        env=build_env(project, XDG_CACHE_HOME=str(tmp_path / "cache")),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode != 0
    out = result.stdout + result.stderr
    assert "data/key.csv" in out and "symbolic link" in out and "Traceback" not in out
    site = project / "_build" / "html"
    leaked = [p for p in site.rglob("*") if p.is_file() and SECRET.encode() in p.read_bytes()]
    assert leaked == []


def test_build_fetches_no_url_path(tmp_path: Path, project_copy: Callable[..., Path]) -> None:
    project = project_copy(with_cache=False)
    with counting_server() as (url, hits):
        _set_resource(project / "data", "glossary", path=f"{url}/glossary.csv")
        result = subprocess.run(
            [sys.executable, "-m", "ictstory.build"],
            cwd=project,
            env=build_env(project, XDG_CACHE_HOME=str(tmp_path / "cache")),
            capture_output=True,
            text=True,
            timeout=600,
        )
    assert hits == []
    out = result.stdout + result.stderr
    assert result.returncode != 0 and "is a URL" in out and "Traceback" not in out


@pytest.mark.parametrize(
    "text",
    [
        "",
        "[" * 100_000,  # deeper than the JSON parser goes
        '{"x": ' + "9" * 5000 + "}",  # found by the fuzz test: a ValueError traceback
        '{"resources": 5}',
        '{"profile": "tabular-data-package", "resources": [{"name": "x", "path": "figures.csv",'
        ' "schema": {"fields": 3}}]}',
    ],
)
def test_broken_descriptor_is_named(data: Path, text: str) -> None:
    """Before: FrictionlessException or ValueError tracebacks."""
    (data / "datapackage.json").write_text(text, encoding="utf-8")
    problems = find_problems(data / "datapackage.json")
    assert any(p.path == "data/datapackage.json" for p in problems), problems
