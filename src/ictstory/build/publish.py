"""Put the built site on a static host: a folder or a git branch, a sitemap, 404 pages.

``python -m ictstory.build.publish`` (``make publish``) copies the site that
``_build/html`` points at (a symbolic link: the copy follows it and holds real
files), inside the site lock (:mod:`ictstory.sitelock`), so a build cannot swap
the site halfway through the copy:

* ``--dest DIR`` (``make publish DEST=DIR``): the site is copied beside ``DIR``
  and renamed into place, so ``DIR`` is never a half copy; an existing ``DIR``
  is replaced only when it is empty or holds a published site (``index.html``,
  ``en/``, ``vi/``), never another folder;
* ``--branch NAME`` (``make publish BRANCH=gh-pages [REMOTE=origin]``): one new
  commit on the branch whose tree is the site plus ``.nojekyll`` (what
  ``ghp-import -n`` does), written with git plumbing through a temporary index
  (the work tree and the checkout's index are left alone); with ``--remote`` the
  branch is pushed there, on top of the remote's branch when it has one.

:func:`write_site_extras`, called by the build once the site is assembled,
writes the 404 pages (the site root's and each edition's: both languages, links
to both editions' home, no request to another host) and, only when
``html.baseurl`` is set in ``_config.yml``, ``sitemap.xml`` for each edition and
a sitemap index at the root (:func:`sitemap`). Sphinx writes the canonical
links itself when ``html.baseurl`` is set (:mod:`ictstory.site.sphinx_ext`).
"""

from __future__ import annotations

import argparse
import html
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

from ictstory.i18n import LANGUAGES
from ictstory.paths import project_root
from ictstory.sitelock import site_lock
from ictstory.story.words import Wordbook

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
#: Pages of an edition that are no content of their own (not in the sitemap).
NOT_IN_SITEMAP = {"404.html", "genindex.html", "search.html", "py-modindex.html"}


def site_url(root: Path) -> str:
    """``html.baseurl`` of ``root/_config.yml``, ending in ``/``; ``""`` when unset
    (or when there is no ``_config.yml``, as in the build's own tests)."""
    path = root / "_config.yml"
    config = (yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None) or {}
    url = str(((config.get("html") or {}).get("baseurl")) or "").strip()
    return url.rstrip("/") + "/" if url else ""


def edition_pages(site: Path, language: str) -> list[str]:
    """The content pages of one edition, as paths relative to its folder, sorted."""
    folder = site / language
    pages = []
    for page in folder.rglob("*.html"):
        relative = page.relative_to(folder)
        if relative.parts[0].startswith("_") or relative.parts[0] == "embed":  # ictstory.site.embed
            continue
        if relative.as_posix() in NOT_IN_SITEMAP:
            continue
        pages.append(relative.as_posix())
    return sorted(pages)


def sitemap(site: Path, language: str, base: str) -> str:
    """``sitemap.xml`` of one edition at ``base`` (the address of the folder holding
    ``en/`` and ``vi/``): every content page, with its twin in the other edition as
    an ``hreflang`` alternate when the twin exists."""
    base = base.rstrip("/") + "/"
    other = "vi" if language == "en" else "en"
    twins = set(edition_pages(site, other))
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">',
    ]
    for page in edition_pages(site, language):
        url = escape(f"{base}{language}/{page}", {'"': "&quot;"})
        lines.append(f"  <url><loc>{url}</loc>")
        if page in twins:
            for lang in sorted((language, other)):
                href = escape(f"{base}{lang}/{page}", {'"': "&quot;"})
                lines.append(f'    <xhtml:link rel="alternate" hreflang="{lang}" href="{href}"/>')
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def sitemap_index(base: str) -> str:
    """The root ``sitemap.xml``: the index of the editions' sitemaps."""
    base = base.rstrip("/") + "/"
    items = "".join(
        f"  <sitemap><loc>{escape(base + language)}/sitemap.xml</loc></sitemap>\n"
        for language in LANGUAGES
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n'
        f"{items}</sitemapindex>\n"
    )


NOT_FOUND_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
<style>
body{{font-family:system-ui,"Noto Sans",sans-serif;max-width:34rem;margin:3rem auto;
padding:0 1rem;line-height:1.5;color:#1a1a1a;background:#fff}}
a{{display:block;margin:1rem 0;padding:1rem;border:2px solid #1f5fa8;border-radius:.5rem;
color:#1f5fa8;font-size:1.25rem;text-decoration:none}}
a:hover,a:focus{{background:#1f5fa8;color:#fff}}
@media (prefers-color-scheme:dark){{body{{background:#121212;color:#eee}}
a{{border-color:#8ab4f8;color:#8ab4f8}}a:hover,a:focus{{background:#8ab4f8;color:#121212}}}}
</style>
</head>
<body>
<main>
{blocks}
</main>
</body>
</html>
"""

NOT_FOUND_TEXT = Wordbook("not-found", ("title", "text", "home"))


def not_found_page(language: str, prefix: str) -> str:
    """A 404 page in both languages (``language`` first) linking to both editions'
    home at ``prefix`` + ``en/index.html``: the site's address when known, else a
    path relative to where the page is."""
    order = [language] + [other for other in ("vi", "en") if other != language]
    heading = " · ".join(
        f'<span lang="{lang}">{html.escape(NOT_FOUND_TEXT[lang]["title"])}</span>' for lang in order
    )
    blocks = [f"<h1>{heading}</h1>"]
    blocks += [
        f'<p lang="{lang}">{html.escape(NOT_FOUND_TEXT[lang]["text"])}</p>' for lang in order
    ]
    for lang in order:
        href = html.escape(f"{prefix}{lang}/index.html")
        label = html.escape(NOT_FOUND_TEXT[lang]["home"])
        blocks.append(f'<a href="{href}" hreflang="{lang}" lang="{lang}">{label}</a>')
    title = " · ".join(NOT_FOUND_TEXT[lang]["title"] for lang in order)
    return NOT_FOUND_PAGE.format(lang=language, title=html.escape(title), blocks="\n".join(blocks))


def write_site_extras(site: Path, root: Path | None = None, base: str | None = None) -> list[Path]:
    """Write the 404 pages and, when the site's address is known, the sitemaps.

    ``base`` defaults to ``html.baseurl`` of the project's ``_config.yml``. With an
    address, a 404 page links to the absolute home pages (it is served at any
    missing address, whatever its depth); without one, its links are relative."""
    if base is None:
        base = site_url(root or project_root())
    base = base.rstrip("/") + "/" if base else ""
    written = []
    root_page = site / "404.html"
    root_page.write_text(not_found_page("vi", base or ""), encoding="utf-8")
    written.append(root_page)
    for language in LANGUAGES:
        page = site / language / "404.html"
        page.write_text(not_found_page(language, base or "../"), encoding="utf-8")
        written.append(page)
    if base:
        for language in LANGUAGES:
            path = site / language / "sitemap.xml"
            path.write_text(sitemap(site, language, base), encoding="utf-8")
            written.append(path)
        index = site / "sitemap.xml"
        index.write_text(sitemap_index(base), encoding="utf-8")
        written.append(index)
    return written


def resolved_site(root: Path) -> Path:
    """The folder ``_build/html`` points at; an error that says what to run when none."""
    link = root / "_build" / "html"
    site = link.resolve()
    if not (site / "index.html").is_file():
        raise SystemExit("!!! No built site at _build/html: run `make book` first.")
    return site


def _looks_published(folder: Path) -> bool:
    return (folder / "index.html").is_file() and all((folder / lang).is_dir() for lang in LANGUAGES)


def publish_folder(site: Path, dest: Path) -> Path:
    """Copy ``site`` (links followed) to ``dest``: into a sibling folder first, then
    renamed into place, so ``dest`` is either the old site or the whole new one."""
    dest = dest.absolute()
    if dest.exists() and not dest.is_dir():
        raise SystemExit(f"!!! {dest} is not a folder.")
    if dest.is_dir() and any(dest.iterdir()) and not _looks_published(dest):
        raise SystemExit(
            f"!!! {dest} is neither empty nor a published site (index.html, en/, vi/): "
            "not replaced. Name an empty or new folder."
        )
    if dest.resolve() == site.resolve() or site.resolve() in dest.resolve().parents:
        raise SystemExit(f"!!! {dest} is inside the built site.")
    dest.parent.mkdir(parents=True, exist_ok=True)
    stamp = f"{os.getpid()}-{time.time_ns()}"
    new = dest.with_name(f".{dest.name}.new-{stamp}")
    old = dest.with_name(f".{dest.name}.old-{stamp}")
    try:
        shutil.copytree(site, new, symlinks=False)
        if dest.exists():
            dest.rename(old)
        new.rename(dest)
    except BaseException:
        if old.exists() and not dest.exists():
            old.rename(dest)
        shutil.rmtree(new, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return dest


def _git(repo: Path, *args: str, env: dict[str, str] | None = None, check: bool = True) -> str:
    result = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=False
    )
    if check and result.returncode != 0:
        raise SystemExit(f"!!! git {' '.join(args)} failed:\n{result.stderr.strip()}")
    return result.stdout.strip()


def _identity(repo: Path) -> dict[str, str]:
    """Author and committer for the commit: git's own, else a neutral one."""
    env = dict(os.environ)
    for key, name in (("user.name", "NAME"), ("user.email", "EMAIL")):
        if not _git(repo, "config", key, check=False):
            value = "ictstory publish" if name == "NAME" else "publish@localhost"
            env.setdefault(f"GIT_AUTHOR_{name}", value)
            env.setdefault(f"GIT_COMMITTER_{name}", value)
    return env


def publish_branch(site: Path, repo: Path, branch: str, remote: str | None = None) -> str:
    """Commit ``site`` (links followed, plus ``.nojekyll``) as the new tip of ``branch``
    in the git repository ``repo``, and push it to ``remote`` when given. The parent
    is the remote's branch when it has one, else the local branch (if any).
    Returns the new commit's id."""
    ref = f"refs/heads/{branch}"
    _git(repo, "check-ref-format", ref)
    parent = ""
    if remote:
        fetched = subprocess.run(
            ["git", "-C", str(repo), "fetch", "-q", remote, ref],
            capture_output=True, text=True, check=False,
        )
        if fetched.returncode == 0:
            parent = _git(repo, "rev-parse", "FETCH_HEAD")
    local = _git(repo, "rev-parse", "--verify", "-q", ref, check=False)
    parent = parent or local
    with tempfile.TemporaryDirectory(prefix="ictstory-publish-") as scratch:
        tree_dir = Path(scratch) / "site"
        shutil.copytree(site, tree_dir, symlinks=False)
        (tree_dir / ".nojekyll").write_bytes(b"")
        env = _identity(repo)
        env["GIT_INDEX_FILE"] = str(Path(scratch) / "index")
        _git(repo, f"--work-tree={tree_dir}", "add", "-A", "-f", ".", env=env)
        tree = _git(repo, "write-tree", env=env)
        head = _git(repo, "rev-parse", "--short", "HEAD", check=False) or "no commit"
        message = f"Publish the site {site.name} (built from {head})"
        args = ["commit-tree", tree, "-m", message] + (["-p", parent] if parent else [])
        commit = _git(repo, *args, env=env)
    _git(repo, "update-ref", ref, commit, local or "0" * 40)  # fails if moved meanwhile
    if remote:
        _git(repo, "push", "-q", remote, f"{ref}:{ref}")
    return commit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dest", type=Path, help="copy the site to this folder")
    parser.add_argument("--branch", help="commit the site on this git branch (gh-pages)")
    parser.add_argument("--remote", help="push the branch to this remote (name or URL)")
    args = parser.parse_args(argv)
    if not args.dest and not args.branch:
        parser.error("name a folder (--dest, make publish DEST=...) or a branch (--branch)")
    if args.remote and not args.branch:
        parser.error("--remote needs --branch")
    root = project_root()
    with site_lock("make publish", root):
        site = resolved_site(root)
        if args.dest:
            dest = publish_folder(site, args.dest)
            print(f"==> Published {site.name} to {dest}")
        if args.branch:
            commit = publish_branch(site, root, args.branch, args.remote)
            where = f" and pushed to {args.remote}" if args.remote else ""
            print(f"==> Published {site.name} as {commit[:12]} on {args.branch}{where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
