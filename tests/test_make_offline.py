"""`make handouts` needs only what printing needs: Chromium and poppler, never npm.

axe-core (npm) is for the accessibility tests alone (`make axe`, which `make test` runs);
a trainer printing handouts on a machine without npm or network must not need it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT


def _make(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_dry_run_of_handouts_never_calls_npm() -> None:
    handouts = _make("-n", "handouts")
    assert handouts.returncode == 0, handouts.stderr
    assert "-m ictstory.trainers.handouts" in handouts.stdout  # the dry run reaches the print step
    assert "npm" not in handouts.stdout
    # the accessibility tests still get axe-core: `make test` runs `npm ci` when needed
    assert "npm ci" in _make("-n", "test").stdout


def test_print_tools_install_with_npm_unavailable(tmp_path: Path) -> None:
    """`make browser` (what `make handouts` adds to `make book`) with an `npm` first on
    PATH that fails and leaves a trace when called: it succeeds and never calls it."""
    if not shutil.which("make"):
        raise AssertionError("make is not installed")
    stubs = tmp_path / "bin"
    stubs.mkdir()
    called = tmp_path / "npm-called"
    npm = stubs / "npm"
    npm.write_text(f'#!/bin/sh\necho "$@" >> {called}\nexit 127\n')
    npm.chmod(0o755)
    env = {**os.environ, "PATH": f"{stubs}:{os.environ['PATH']}"}
    done = _make("browser", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not called.exists(), called.read_text()
    # the stub is the npm make would find: the check above could fail
    found = subprocess.run(
        ["sh", "-c", "command -v npm"], env=env, capture_output=True, text=True
    ).stdout.strip()
    assert found == str(npm)
