"""Publishing the built site (src/ictstory/build/publish.py, ``make publish``).

* To a folder: a copy with real files (``_build/html`` is a symbolic link), put in
  place by a rename, so a failed copy leaves the previous folder whole; a folder
  that is not a published site is never replaced.
* To a git branch, pushed to a local bare repository: the branch holds the site's
  files and ``.nojekyll``; publishing again makes a second commit on top.
* The 404 pages (site root and each edition) and, only when ``html.baseurl`` is
  set, the sitemaps: written over the built site's own pages.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT

from ictstory.build import publish

NS = {"s": publish.SITEMAP_NS, "x": publish.XHTML_NS}
BASE = "https://example.org/ict-story/"


def site_listing(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


# -- 404 pages and sitemaps --------------------------------------------------------


def test_the_built_site_has_404_pages_and_no_sitemap_without_baseurl(site_root: Path) -> None:
    assert publish.site_url(ROOT) == "", "the tests expect the default: no html.baseurl"
    for page, home_en in (
        ("404.html", "en/index.html"),
        ("en/404.html", "../en/index.html"),
        ("vi/404.html", "../en/index.html"),
    ):
        soup = BeautifulSoup((site_root / page).read_text(encoding="utf-8"), "html.parser")
        links = {a["hreflang"]: a["href"] for a in soup.find_all("a")}
        assert links["en"] == home_en and links["vi"] == home_en.replace("en/", "vi/")
        base = (site_root / page).parent
        assert all((base / href).resolve().is_file() for href in links.values()), page
        assert len(soup.find_all("h1")) == 1
        assert {s["lang"] for s in soup.h1.find_all("span")} == {"en", "vi"}
        assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert not re.search(r"(src|href)=\"(https?:)?//", str(soup)), f"{page}: absolute link"
    assert not list(site_root.rglob("sitemap.xml"))
    for page in (site_root / "en" / "chapters").glob("*.html"):
        assert 'rel="canonical"' not in page.read_text(encoding="utf-8"), page


def test_sitemaps_list_every_content_page_of_both_editions(site_root: Path) -> None:
    for language, other in (("en", "vi"), ("vi", "en")):
        tree = ET.fromstring(publish.sitemap(site_root, language, BASE))
        urls = [loc.text for loc in tree.findall("s:url/s:loc", NS)]
        expected = {
            f"{BASE}{language}/{p.relative_to(site_root / language).as_posix()}"
            for p in (site_root / language).rglob("*.html")
            if not p.relative_to(site_root / language).parts[0].startswith("_")
            and p.relative_to(site_root / language).parts[0] != "embed"  # noindex pages
            and p.name not in ("404.html", "search.html", "genindex.html")
        }
        assert set(urls) == expected and len(urls) == len(expected)
        assert (site_root / language / "embed").is_dir() and "/embed/" not in str(urls)
        assert f"{BASE}{language}/chapters/postal.html" in urls
        assert f"{BASE}{language}/index.html" in urls
        postal = next(
            u
            for u in tree.findall("s:url", NS)
            if u.find("s:loc", NS).text.endswith("/chapters/postal.html")
        )
        alternates = {a.get("hreflang"): a.get("href") for a in postal.findall("x:link", NS)}
        assert alternates == {
            language: f"{BASE}{language}/chapters/postal.html",
            other: f"{BASE}{other}/chapters/postal.html",
        }
    index = ET.fromstring(publish.sitemap_index(BASE))
    assert [loc.text for loc in index.findall("s:sitemap/s:loc", NS)] == [
        f"{BASE}{language}/sitemap.xml" for language in ("en", "vi")
    ]


def test_extras_with_a_baseurl(site_root: Path, tmp_path: Path) -> None:
    """The build's hook on a skeleton of the site (its pages' names): sitemaps at the
    root and per edition, and 404 links to the absolute home pages."""
    skeleton = tmp_path / "site"
    for page in site_root.rglob("*.html"):
        target = skeleton / page.relative_to(site_root)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("<p>page</p>", encoding="utf-8")
    written = publish.write_site_extras(skeleton, base=BASE.rstrip("/"))
    assert {p.relative_to(skeleton).as_posix() for p in written} == {
        "404.html",
        "en/404.html",
        "vi/404.html",
        "sitemap.xml",
        "en/sitemap.xml",
        "vi/sitemap.xml",
    }
    assert (skeleton / "en/sitemap.xml").read_text(encoding="utf-8") == publish.sitemap(
        site_root, "en", BASE
    )
    soup = BeautifulSoup((skeleton / "vi/404.html").read_text(encoding="utf-8"), "html.parser")
    homes = {f"{BASE}en/index.html", f"{BASE}vi/index.html"}
    assert {a["href"] for a in soup.find_all("a")} == homes
    assert soup.html["lang"] == "vi" and soup.h1.span["lang"] == "vi"


def test_baseurl_is_read_from_the_config(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text('html:\n  baseurl: "https://a.example/x"\n')
    assert publish.site_url(tmp_path) == "https://a.example/x/"
    (tmp_path / "_config.yml").write_text('html:\n  baseurl: ""\n')
    assert publish.site_url(tmp_path) == ""
    (tmp_path / "_config.yml").unlink()
    assert publish.site_url(tmp_path) == ""


# -- to a folder -------------------------------------------------------------------


def test_publish_to_a_folder_copies_real_files(site_root: Path, tmp_path: Path) -> None:
    assert (ROOT / "_build" / "html").is_symlink()
    dest = tmp_path / "www" / "ict"
    result = subprocess.run(
        [sys.executable, "-m", "ictstory.build.publish", "--dest", str(dest)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Published" in result.stdout
    assert site_listing(dest) == site_listing(site_root.resolve())
    assert not any(p.is_symlink() for p in dest.rglob("*"))
    assert (dest / "404.html").is_file() and (dest / "en" / "index.html").is_file()
    assert sorted(p.name for p in dest.parent.iterdir()) == ["ict"], "no scratch left beside it"


def test_publish_again_replaces_and_a_failed_copy_keeps_the_old(
    site_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "ict"
    publish.publish_folder(site_root, dest)
    (dest / "stale.html").write_text("old page")
    publish.publish_folder(site_root, dest)
    assert not (dest / "stale.html").exists()
    (dest / "stale.html").write_text("old page")

    def half_copy(src: Path, dst: Path, **kwargs: object) -> None:
        Path(dst).mkdir()
        (Path(dst) / "index.html").write_text("half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(publish.shutil, "copytree", half_copy)
    with pytest.raises(OSError):
        publish.publish_folder(site_root, dest)
    assert (dest / "stale.html").read_text() == "old page"
    assert (dest / "index.html").read_bytes() == (site_root / "index.html").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ict"]


def test_a_folder_that_is_not_a_site_is_never_replaced(site_root: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.tex").write_text("years of work")
    with pytest.raises(SystemExit, match="neither empty nor a published site"):
        publish.publish_folder(site_root, home)
    assert [p.name for p in home.iterdir()] == ["thesis.tex"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert (publish.publish_folder(site_root, empty) / "index.html").is_file()


def test_make_publish_without_a_target_says_how() -> None:
    result = subprocess.run(
        ["make", "--no-print-directory", "publish"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "MAKEFLAGS": ""},
        check=False,
    )
    assert result.returncode != 0
    assert "make publish DEST=" in result.stdout + result.stderr


# -- to a git branch ---------------------------------------------------------------


@pytest.fixture
def repos(tmp_path: Path) -> tuple[Path, Path]:
    """A working repository with one commit and an empty bare repository."""
    work, remote = tmp_path / "work", tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    (work / "README.md").write_text("project\n")
    git(work, "add", "README.md")
    git(work, "-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "-qm", "start")
    return work, remote


def test_publish_to_a_branch_twice(site_root: Path, repos: tuple[Path, Path]) -> None:
    work, remote = repos
    head = git(work, "rev-parse", "HEAD")
    first = publish.publish_branch(site_root, work, "gh-pages", str(remote))
    files = set(git(remote, "ls-tree", "-r", "--name-only", "gh-pages").splitlines())
    expected = set(site_listing(site_root.resolve())) | {".nojekyll"}
    assert files == expected
    blob = subprocess.run(
        ["git", "-C", str(remote), "cat-file", "blob", "gh-pages:en/index.html"],
        capture_output=True,
        check=True,
    ).stdout
    assert blob == (site_root / "en" / "index.html").read_bytes()
    assert git(remote, "rev-parse", "gh-pages") == first
    second = publish.publish_branch(site_root, work, "gh-pages", str(remote))
    assert second != first
    assert git(remote, "rev-list", "gh-pages").splitlines() == [second, first]
    trees = {git(remote, "rev-parse", f"{commit}^{{tree}}") for commit in (first, second)}
    assert len(trees) == 1, "the same site, the same tree"
    # the working repository's own branch, index and files are untouched
    assert git(work, "rev-parse", "HEAD") == head
    assert git(work, "status", "--porcelain") == ""


def test_a_fresh_clone_publishes_on_top_of_the_remote(
    site_root: Path, repos: tuple[Path, Path], tmp_path: Path
) -> None:
    work, remote = repos
    first = publish.publish_branch(site_root, work, "gh-pages", str(remote))
    other = tmp_path / "other"
    subprocess.run(["git", "clone", "-q", str(work), str(other)], check=True)
    second = publish.publish_branch(site_root, other, "gh-pages", str(remote))
    assert git(remote, "rev-list", "gh-pages").splitlines() == [second, first]


def test_a_local_branch_without_a_remote(site_root: Path, repos: tuple[Path, Path]) -> None:
    work, _ = repos
    commit = publish.publish_branch(site_root, work, "gh-pages")
    assert git(work, "rev-parse", "gh-pages") == commit
    assert git(work, "cat-file", "-s", "gh-pages:.nojekyll") == "0"
    with pytest.raises(SystemExit):
        publish.publish_branch(site_root, work, "no..good")
    assert shutil.which("git")
