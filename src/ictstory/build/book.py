"""Build the book strictly and publish it atomically: a whole new site or none.

``python -m ictstory.build`` (``make book``):

1. takes the site lock of the checkout (:mod:`ictstory.sitelock`): another build,
   ``make handouts`` or ``make dist`` waits, and so does this build for them;
2. validates ``data/`` (every problem named by file, line and column) and refuses
   twins whose code cells (or labels, glued names, references, charts) differ
   (:func:`ictstory.editions.problems`);
3. skips the build when the published site was made from exactly the current
   inputs (chapters, configuration, data, the package and the pinned
   requirements: :func:`inputs_fingerprint`);
4. otherwise runs ``jupyter-book build`` with warnings as errors into an empty
   staging folder: every page is read and written afresh, so the result is the
   same as a clean build; only notebook execution is reused from
   jupyter-cache, keyed on each chapter's code and the data it reads;
5. moves the finished site to ``_build/sites/<fingerprint>-<stamp>`` and points
   the symbolic link ``_build/html`` at it with one atomic rename.

A build that fails or is killed at any point leaves ``_build/html`` pointing at
the previous complete site; the next build starts from an empty staging folder,
so it needs no repair. The full jupyter-book log of the last build is kept in
``_build/logs/``.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from ictstory import editions
from ictstory.build import buildlog
from ictstory.build import publish as site_extras
from ictstory.data import DataValidationError, find_problems
from ictstory.i18n import LANGUAGES
from ictstory.paths import project_root
from ictstory.site import bilingual
from ictstory.sitelock import popen, site_lock
from ictstory.story import deps
from ictstory.trainers import slides

#: Files and folders whose content decides what the site looks like.
INPUT_PATHS = (
    "_config.yml",
    "_toc.yml",
    "index.md",
    "chapters",
    "vi",
    "data",
    "src/ictstory",
    "requirements.txt",
    "pyproject.toml",
)
IGNORED_INPUTS = re.compile(r"(__pycache__|\.ipynb_checkpoints|\.ipynb$|\.pyc$|~$|\.swp$)")

#: Test hook: pause (print a marker and sleep) just before a publishing step.
PAUSE_ENV = "ICTSTORY_BUILD_PAUSE_AT"


def build_dir(root: Path) -> Path:
    return root / "_build"


def stage_dir(root: Path, language: str = "en") -> Path:
    """Where jupyter-book writes one edition (it adds its own ``_build`` folder)."""
    return build_dir(root) / "stage" / language


def staged_html(root: Path, language: str = "en") -> Path:
    return stage_dir(root, language) / "_build" / "html"


def sites_dir(root: Path) -> Path:
    return build_dir(root) / "sites"


def published_link(root: Path) -> Path:
    return build_dir(root) / "html"


def input_files(root: Path) -> list[Path]:
    """Every file that the site is built from (see :data:`INPUT_PATHS`)."""
    files: list[Path] = []
    for name in INPUT_PATHS:
        path = root / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(
                p
                for p in path.rglob("*")
                if p.is_file() and not IGNORED_INPUTS.search(p.relative_to(root).as_posix())
            )
    return sorted(files)


def inputs_fingerprint(root: Path) -> str:
    """A hash of the names and contents of :func:`input_files` and the Python version."""
    digest = hashlib.sha256(f"python {sys.version_info[:2]}".encode())
    for path in input_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def published_site(root: Path) -> Path | None:
    """The site folder ``_build/html`` points at, when there is one."""
    link = published_link(root)
    target = link.resolve() if link.is_symlink() else None
    return target if target is not None and (target / "index.html").is_file() else None


def build_lock(root: Path) -> contextlib.AbstractContextManager[None]:
    """The site lock (:func:`ictstory.sitelock.site_lock`) as ``make book`` holds it."""
    return site_lock("make book", root)


def tidy(root: Path) -> None:
    """Remove what an interrupted build may have left: stray links and unpublished sites.

    A ``_build/html`` that is a plain folder (made by an older version of this
    module) becomes a published site folder, so it stays what readers see.
    """
    link = published_link(root)
    sites = sites_dir(root)
    sites.mkdir(parents=True, exist_ok=True)
    if link.is_dir() and not link.is_symlink():
        legacy = sites / f"legacy-{time.strftime('%Y%m%d%H%M%S')}"
        link.rename(legacy)
        _point(root, legacy)
    for stray in (build_dir(root) / "html.incoming", build_dir(root) / "html.old"):
        shutil.rmtree(stray, ignore_errors=True)
    (build_dir(root) / "html.next").unlink(missing_ok=True)
    current = published_site(root)
    for site in sites.iterdir():
        if current is None or site.resolve() != current:
            shutil.rmtree(site, ignore_errors=True) if site.is_dir() else site.unlink()


def prepare_cache(root: Path, language: str = "en") -> None:
    """Create jupyter-cache's folder and database before the parallel readers start.

    Two readers that find no cache both try to create it, and one fails with
    ``FileExistsError``; made here first, it already exists for both.
    """
    from jupyter_cache import get_cache

    cache = get_cache(str(stage_dir(root, language) / "_build" / ".jupyter_cache"))
    cache.list_cache_records()


def environment_key(root: Path, language: str = "en") -> str:
    """What Sphinx's kept environment was made under: the package code, the book's
    configuration and the Python version. Sphinx does not see changes to an
    extension's code, so a change to any of these starts a fresh environment."""
    digest = hashlib.sha256(f"python {sys.version_info[:2]}".encode())
    digest.update(deps.package_hash().encode())
    for name in ("_config.yml", "_toc.yml", *bilingual.edition_files(language)):
        path = root / name
        digest.update(path.read_bytes() if path.is_file() else b"missing")
    return digest.hexdigest()[:20]


def _environment_key_path(root: Path, language: str = "en") -> Path:
    return stage_dir(root, language) / "_build" / ".environment-key"


def clear_stage(root: Path, language: str = "en") -> None:
    """Empty the staging folder but keep jupyter-cache's executed notebooks and,
    while :func:`environment_key` is unchanged, Sphinx's environment (``.doctrees``),
    so only changed pages are read again."""
    inner = stage_dir(root, language) / "_build"
    key = environment_key(root, language)
    key_path = _environment_key_path(root, language)
    same_environment = key_path.is_file() and key_path.read_text(encoding="utf-8") == key
    if inner.is_dir():
        keep = {".jupyter_cache", ".environment-key", "ictstory_static"} | (
            {".doctrees"} if same_environment else set()
        )
        for child in inner.iterdir():
            if child.name in keep:
                continue
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    inner.mkdir(parents=True, exist_ok=True)
    key_path.write_text(key, encoding="utf-8")


def forget_environment(root: Path) -> None:
    """After a failed build the next one starts from fresh Sphinx environments."""
    for language in LANGUAGES:
        shutil.rmtree(stage_dir(root, language) / "_build" / ".doctrees", ignore_errors=True)
        _environment_key_path(root, language).unlink(missing_ok=True)


def _pause(step: str) -> None:
    """Test hook (see :data:`PAUSE_ENV`): stop here for a while so a test can kill us."""
    if os.environ.get(PAUSE_ENV) == step:
        print(f"==> paused before {step}", flush=True)
        time.sleep(120)


def _point(root: Path, site: Path) -> None:
    """Make ``_build/html`` point at ``site`` with one atomic rename."""
    nxt = build_dir(root) / "html.next"
    nxt.unlink(missing_ok=True)
    nxt.symlink_to(site.relative_to(build_dir(root)))
    _pause("swap")
    os.replace(nxt, published_link(root))


def publish(root: Path, fingerprint: str) -> Path:
    """Move the staged editions into ``_build/sites/<fingerprint>-<stamp>/<language>/``
    beside the root page, and point ``_build/html`` at that folder.

    Any error before the final rename (a full disk, say) removes the new folder and
    leaves ``_build/html`` as it was."""
    _pause("move")
    site = sites_dir(root) / f"{fingerprint}-{time.time_ns()}"
    try:
        site.mkdir(parents=True)
        for language in LANGUAGES:
            staged_html(root, language).rename(site / language)
        slides.write_decks(site, LANGUAGES)
        bilingual.write_root_page(site)
        site_extras.write_site_extras(site, root)  # 404 pages; sitemaps when baseurl is set
        old = published_site(root)
        _point(root, site)
    except BaseException:
        if published_site(root) != site.resolve():
            shutil.rmtree(site, ignore_errors=True)
        raise
    _pause("cleanup")
    if old is not None and old != site.resolve():
        shutil.rmtree(old, ignore_errors=True)
    return published_link(root)


def log_path(root: Path) -> Path:
    return build_dir(root) / "logs" / "jupyter-book.log"


def run_jupyter_book(root: Path, strict: bool = True, language: str = "en") -> int:
    """Run ``jupyter-book build`` for one edition into its staging folder; returns its
    exit code.

    The whole output goes to :func:`log_path` (both editions, one after the other);
    the console gets progress and warnings (:func:`ictstory.build.buildlog.for_console`).
    """
    source, config = bilingual.book_source(root, language, stage_dir(root, language))
    command = [
        sys.executable,
        "-m",
        "ictstory.site.jupyterbook",
        "build",
        str(source),
        "--path-output",
        str(stage_dir(root, language)),
    ]
    if config is not None:
        command += ["--config", str(config)]
    if strict:
        command += ["--warningiserror", "--nitpick", "--keep-going"]
    log = log_path(root)
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "ICTSTORY_LANG": language, "ICTSTORY_BUILD": "1"}
    with log.open("a", encoding="utf-8") as sink:
        sink.write(f"==> edition: {language}\n")
        process = popen(
            command,
            root=root,
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
        assert process.stdout is not None
        for line in process.stdout:
            sink.write(line)
            sink.flush()
            shown = buildlog.for_console(line)
            if shown is not None:
                print(shown, flush=True)
        return process.wait()


def _still_published(root: Path) -> str:
    """The line every failure ends with: what ``_build/html`` shows now."""
    site = published_site(root)
    if site is None:
        return "Nothing was published; no site has been published yet."
    return (
        "Nothing was published; the previous site is kept "
        f"(_build/html still holds the previous site, {site.name})."
    )


def describe_os_error(error: OSError, root: Path) -> str:
    """One line for an I/O error: what failed, where, and what to do about a full disk."""
    where = ""
    if error.filename:
        name = Path(str(error.filename))
        with contextlib.suppress(ValueError):
            name = name.relative_to(root)
        where = f" ({name})"
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return (
            f"The disk is full{where}: free some space (for example remove _build/stage, "
            "which the next build makes again) and run `make book` again."
        )
    reason = error.strerror or type(error).__name__
    return f"Could not read or write a file{where}: {reason}."


def main(argv: list[str] | None = None) -> int:
    """Validate, build, publish; print where the site is."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--all", action="store_true", help="build even when the inputs have not changed"
    )
    parser.add_argument(
        "--lenient", action="store_true", help="previews only: warnings do not fail the build"
    )
    args = parser.parse_args(argv)
    root = project_root()
    started = time.perf_counter()
    try:
        with build_lock(root):
            return _build(root, args, started)
    except OSError as error:
        with contextlib.suppress(OSError):
            forget_environment(root)
        print(f"!!! {describe_os_error(error, root)} {_still_published(root)}", file=sys.stderr)
        return 1


def _build(root: Path, args: argparse.Namespace, started: float) -> int:
    """What :func:`main` does under the lock."""
    tidy(root)
    print("==> Checking data/ against data/datapackage.json", flush=True)
    problems = find_problems(root / "data" / "datapackage.json")
    if problems:
        print(DataValidationError(problems), file=sys.stderr)
        print(f"!!! Data check failed. {_still_published(root)}", file=sys.stderr)
        return 1

    print("==> Checking that the two editions share their code", flush=True)
    differences = editions.problems(root)
    if differences:
        for line in differences:
            print(f"  - {line}", file=sys.stderr)
        print(
            f"!!! The editions differ ({len(differences)} problem(s)). {_still_published(root)}",
            file=sys.stderr,
        )
        return 1

    fingerprint = inputs_fingerprint(root)
    current = published_site(root)
    if not args.all and current is not None and current.name.startswith(fingerprint + "-"):
        print("==> Nothing changed since the published site was built: nothing to do.")
        return 0

    log_path(root).unlink(missing_ok=True)
    mode = "lenient preview" if args.lenient else "strict: warnings are errors"
    for language in LANGUAGES:
        clear_stage(root, language)
        prepare_cache(root, language)
        name = bilingual.EDITION_NAMES[language]
        print(f"==> {name} edition: executing chapters and building ({mode})", flush=True)
        code = run_jupyter_book(root, strict=not args.lenient, language=language)
        if code != 0 or not (staged_html(root, language) / "index.html").is_file():
            forget_environment(root)
            log = log_path(root).read_text("utf-8", "replace")
            summary = buildlog.failure_summary(log, root)
            if "No space left on device" in log:
                summary.append("The disk is full: free some space and run `make book` again.")
            print("\n".join(["", *summary]), file=sys.stderr)
            print(
                f"!!! Build of the {name} edition failed (exit code {code}). Full log: "
                f"{log_path(root).relative_to(root)}. {_still_published(root)}",
                file=sys.stderr,
            )
            return code or 1
    if inputs_fingerprint(root) != fingerprint:
        forget_environment(root)
        print(
            "!!! The inputs changed while the site was being built: not published. "
            f"Run the build again. {_still_published(root)}",
            file=sys.stderr,
        )
        return 1
    final = publish(root, fingerprint)
    seconds = time.perf_counter() - started
    print(
        f"==> Done in {seconds:.1f} s. The site is in {final.relative_to(root)}/ "
        f"(open {final.relative_to(root)}/index.html, or run `make serve`)."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
