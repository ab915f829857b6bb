"""The test tiers follow from the fixtures a test uses, so they cannot drift.

A made-up suite beside a copy of ``tests/conftest.py`` is run with the fast tier's
marker expression, as ``make check`` runs it: a test that needs the built site
(directly or through another fixture), a browser, a Jupyter kernel or a copy of the
project is never selected, and a fast test that copies the project or starts a kernel
anyway (or asks for the site by name) fails with the reason.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import FAST, ROOT

SUITE = """
import pytest
from conftest import copy_project


@pytest.fixture(scope="module")
def pages(site_root):
    return site_root


def test_plain():
    assert 1 + 1 == 2


def test_site(site):
    pass


def test_site_vi(site_vi):
    pass


def test_site_through_the_server(server):
    pass


def test_site_through_a_fixture_of_the_module(pages):
    pass


def test_browser(browser):
    pass


def test_project_copy(project_copy):
    pass


def test_kernel(kernel):
    pass


def test_site_by_name_in_the_fast_tier(request):
    request.getfixturevalue("site")


def test_starts_a_kernel_in_the_fast_tier():
    from jupyter_client.manager import KernelManager

    KernelManager().start_kernel()


@pytest.mark.slow
def test_marked_by_hand():
    pass


def test_copies_the_project_in_the_fast_tier(tmp_path):
    copy_project(tmp_path / "book")
"""


def test_make_check_runs_the_fast_tier_expression() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    target = re.search(r"^check:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert target, "no check target in the Makefile"
    assert f'-m "{FAST}"' in target.group(1)


def test_the_fast_tier_selects_no_test_that_needs_a_build_or_a_browser(tmp_path: Path) -> None:
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "conftest.py").write_text(
        (ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tests / "test_made_up.py").write_text(SUITE, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        (ROOT / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-m", FAST, "-rA", "-p", "no:cacheprovider", "tests"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={
            "ICTSTORY_SITE": str(tmp_path / "no-site"),
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
        },
    )
    outcomes = dict(
        (name, outcome)
        for outcome, name in re.findall(
            r"^(PASSED|FAILED|ERROR) tests/test_made_up\.py::(\w+)", result.stdout, re.M
        )
    )
    assert outcomes == {
        "test_plain": "PASSED",
        "test_copies_the_project_in_the_fast_tier": "FAILED",
        "test_starts_a_kernel_in_the_fast_tier": "FAILED",
        "test_site_by_name_in_the_fast_tier": "FAILED",
    }, result.stdout[-3000:]
    assert "but is in the fast tier: request the `project_copy` fixture" in result.stdout
    for what, fixture in [("a Jupyter kernel", "kernel"), ("the built site", "site")]:
        assert f"{what} but is in the fast tier: request the `{fixture}` fixture" in result.stdout
    assert "8 deselected" in result.stdout
    assert not (tmp_path / "book").exists()


PER_FILE = """
import os

import pytest


@pytest.mark.parametrize("n", range(8))
def test_where(n):
    with open(os.environ["RAN_LOG"], "a") as log:
        log.write(f"{__name__} {os.environ['PYTEST_XDIST_WORKER']}\\n")
"""


def test_a_parallel_run_gives_each_worker_whole_files(tmp_path: Path) -> None:
    """``make test``'s ``-n auto``: a file's tests run on one worker (its module fixtures,
    such as a build in a copy of the project, are made once), and the files that
    share work (the exercises and the handouts) on the same one."""
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "conftest.py").write_text(
        (ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"), encoding="utf-8"
    )
    names = ["test_one.py", "test_two.py", "test_three.py", "test_exercises.py", "test_handouts.py"]
    for name in names:
        (tests / name).write_text(PER_FILE, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        (ROOT / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    dist = re.search(r"^test:.*\n(?:\t.*\n)*?\t.*pytest .*(--dist \w+)", makefile, re.M)
    assert dist, "make test runs pytest without --dist"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-n",
            "2",
            *dist.group(1).split(),
            "-s",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "RAN_LOG": str(tmp_path / "ran")},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    workers: dict[str, set[str]] = {}
    ran = (tmp_path / "ran").read_text(encoding="utf-8")
    for module, worker in re.findall(r"^(\w+) (gw\d+)$", ran, re.M):
        workers.setdefault(module, set()).add(worker)
    assert set(workers) == {n.removesuffix(".py") for n in names}, result.stdout[-2000:]
    assert all(len(w) == 1 for w in workers.values()), workers
    assert workers["test_exercises"] == workers["test_handouts"], workers
    assert len(set().union(*workers.values())) == 2, "both workers should get files"
