"""Build the book strictly, in a staging folder, and publish it only when it succeeds.

``python -m ictstory.build`` validates ``data/``, runs ``jupyter-book build``
with warnings as errors into ``_build/stage``, and on success swaps the new
site into ``_build/html``. A failed build leaves ``_build/html`` as it was and
forgets the staging environment, so the next build reports the same errors
instead of skipping the pages that caused them.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

from ictstory.data import DataValidationError, find_problems
from ictstory.paths import project_root


def stage_dir(root: Path) -> Path:
    """Where jupyter-book writes (it adds its own ``_build`` folder)."""
    return root / "_build" / "stage"


def staged_html(root: Path) -> Path:
    return stage_dir(root) / "_build" / "html"


def publish(root: Path) -> Path:
    """Swap the staged site into ``_build/html`` (rename, so readers never see half a site)."""
    final = root / "_build" / "html"
    incoming = root / "_build" / "html.incoming"
    old = root / "_build" / "html.old"
    for path in (incoming, old):
        shutil.rmtree(path, ignore_errors=True)
    shutil.copytree(staged_html(root), incoming)
    if final.exists():
        final.rename(old)
    incoming.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    return final


def forget_environment(root: Path) -> None:
    """Drop Sphinx's saved environment so every page is read (and checked) again."""
    pickle = stage_dir(root) / "_build" / ".doctrees" / "environment.pickle"
    pickle.unlink(missing_ok=True)


def run_jupyter_book(root: Path, full: bool = False, strict: bool = True) -> int:
    """Run ``jupyter-book build`` (strict: warnings are errors); returns its exit code."""
    command = [
        str(Path(sys.executable).with_name("jupyter-book")),
        "build",
        str(root),
        "--path-output",
        str(stage_dir(root)),
    ]
    if strict:
        command += ["--warningiserror", "--nitpick", "--keep-going"]
    if full:
        command.append("--all")
    return subprocess.call(command, cwd=root)


def main(argv: list[str] | None = None) -> int:
    """Validate, build, publish; print where the site is."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--all", action="store_true", help="re-read every page")
    parser.add_argument(
        "--lenient", action="store_true", help="previews only: warnings do not fail the build"
    )
    args = parser.parse_args(argv)
    root = project_root()
    started = time.perf_counter()

    print("==> Checking data/ against data/datapackage.json", flush=True)
    problems = find_problems(root / "data" / "datapackage.json")
    if problems:
        print(DataValidationError(problems), file=sys.stderr)
        print(
            "!!! Data check failed: the site was not rebuilt; _build/html is unchanged.",
            file=sys.stderr,
        )
        return 1

    mode = "lenient preview" if args.lenient else "strict: warnings are errors"
    print(f"==> Executing chapters and building the site ({mode})", flush=True)
    code = run_jupyter_book(root, full=args.all, strict=not args.lenient)
    if code != 0:
        forget_environment(root)
        print(
            f"!!! Build failed (exit code {code}); see the messages above. "
            "_build/html is unchanged.",
            file=sys.stderr,
        )
        return code

    final = publish(root)
    seconds = time.perf_counter() - started
    print(
        f"==> Done in {seconds:.1f} s. The site is in {final.relative_to(root)}/ "
        f"(open {final.relative_to(root)}/index.html, or run `make serve`)."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
