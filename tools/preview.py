"""Preview some chapters without touching the main build (for parallel work).

``python tools/preview.py chapters/telecom.md [chapters/x.md ...]`` copies the
project to /tmp/ictstory-preview/<name>/, keeps only the index, the appendices
and the given chapters in its table of contents, builds it (warnings shown but
not fatal, since references to chapters left out cannot resolve), runs the
browser and offline tests on it, and writes screenshots (desktop and phone,
light and dark) to its _build/screenshots/.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns(
    ".venv", ".git", "_build", ".pytest_cache", ".ruff_cache", "__pycache__", "*.egg-info"
)
APPENDICES = ["chapters/data", "chapters/glossary"]


def main() -> int:
    """Build, test and screenshot a preview of the given chapters."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("chapters", nargs="+")
    parser.add_argument("--no-shots", action="store_true")
    args = parser.parse_args()
    docs = [c.removesuffix(".md") for c in args.chapters]
    name = "-".join(Path(d).name for d in docs)
    target = Path("/tmp/ictstory-preview") / name
    stage = target / "_build" / "stage"
    keep = target.parent / f".{name}-stage"
    if stage.is_dir():
        shutil.rmtree(keep, ignore_errors=True)
        stage.rename(keep)
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(ROOT, target, ignore=IGNORE)
    if keep.is_dir():
        (target / "_build").mkdir(exist_ok=True)
        keep.rename(stage)
    wanted = docs + [a for a in APPENDICES if a not in docs]
    entries = "\n".join(f"      - file: {d}" for d in wanted)
    (target / "_toc.yml").write_text(
        "format: jb-book\nroot: index\nparts:\n  - caption: Preview\n    chapters:\n"
        + entries
        + "\n",
        encoding="utf-8",
    )
    env = {**os.environ, "ICTSTORY_ROOT": str(target)}
    build = subprocess.run(
        [sys.executable, "-m", "ictstory.build", "--lenient"],
        cwd=target,
        env=env,
        capture_output=True,
        text=True,
    )
    log = build.stdout + build.stderr
    warnings = [line for line in log.splitlines() if "WARNING" in line or "ERROR" in line]
    print("\n".join(warnings) or "no warnings")
    if build.returncode != 0:
        print(log[-6000:])
        return build.returncode
    site = target / "_build" / "html"
    tests = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(ROOT / "tests" / "test_browser.py"),
            str(ROOT / "tests" / "test_site_offline.py"),
        ],
        cwd=ROOT,
        env={**env, "ICTSTORY_SITE": str(site)},
        capture_output=True,
        text=True,
    )
    print(tests.stdout[-4000:])
    if not args.no_shots:
        pages = [f"{d}.html" for d in docs]
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "tools" / "screenshot.py"),
                *pages,
                "--full",
                "--site",
                str(site),
                "--out",
                str(target / "_build" / "screenshots"),
            ],
            check=False,
        )
    print(f"preview site: {site}")
    return tests.returncode


if __name__ == "__main__":
    raise SystemExit(main())
