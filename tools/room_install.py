"""Install the workshop offline: ``python install.py`` in the unpacked bundle.

Shipped as ``install.py`` at the top of both bundles (``make dist``); needs only
Python 3.11, 3.12 or 3.13 (no make, no bash, no network). It makes ``project/.venv``
and installs into it, from ``wheelhouse/`` alone and checked against the hashes:

* participants: ``project/requirements-room.txt`` (JupyterLab, jupytext, the chart
  stack, frictionless);
* ``--trainer``: ``requirements-trainer.txt`` (also what builds the book).

The ictstory package is put on the venv's path with a ``.pth`` file pointing at
``project/src`` (what an editable install does; no build step). Then:

    python install.py lab        # JupyterLab on the chapters, 127.0.0.1 only
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE / "project"
WHEELHOUSE = HERE / "wheelhouse"
VENV = PROJECT / ".venv"
SUPPORTED = ((3, 11), (3, 12), (3, 13))


def venv_python(root: Path = VENV) -> Path:
    """The venv's interpreter (``Scripts\\python.exe`` on Windows)."""
    if os.name == "nt":
        return root / "Scripts" / "python.exe"
    return root / "bin" / "python"


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def fail(message: str) -> None:
    sys.exit(f"!!! {message}")


def run(*command: str | Path) -> None:
    """Run a command; stop with its exit code when it fails."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull  # this laptop's pip settings play no part
    result = subprocess.run([str(c) for c in command], env=env)
    if result.returncode != 0:
        fail(f"this step failed (exit code {result.returncode}): {' '.join(map(str, command))}")


def install(trainer: bool) -> None:
    """Make the venv and install the pinned wheels into it."""
    if sys.version_info[:2] not in SUPPORTED:
        fail(
            f"this is Python {sys.version.split()[0]}; the workshop needs 3.11, 3.12 or 3.13."
            " Run this script with one of them (Windows: py -3.12 install.py)."
        )
    requirements = (
        HERE / "requirements-trainer.txt" if trainer else PROJECT / "requirements-room.txt"
    )
    for needed in (requirements, WHEELHOUSE, PROJECT / "src" / "ictstory"):
        if not needed.exists():
            fail(f"{needed} is missing: unpack the whole bundle and run install.py from it")
    python = venv_python()
    if not python.exists():
        say(f"Creating {VENV} with Python {sys.version.split()[0]}")
        try:
            venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        except Exception as error:  # noqa: BLE001 - the message is for a person
            fail(
                f"cannot create {VENV}: {error}. On Debian or Ubuntu install python3-venv"
                " first (sudo apt install python3-venv)."
            )
    say(f"Installing {requirements.name} from {WHEELHOUSE.name}/ only (hash-checked, offline)")
    run(
        python, "-m", "pip", "--isolated", "--disable-pip-version-check", "install",
        "--no-index", "--find-links", WHEELHOUSE, "--only-binary=:all:",
        "--require-hashes", "-r", requirements,
    )  # fmt: skip
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(site) / "ictstory-project.pth").write_text(str(PROJECT / "src") + "\n", encoding="utf-8")
    say("Checking the install")
    run(python, "-m", "pip", "--isolated", "--disable-pip-version-check", "check")
    run(
        python, "-c",
        "import altair, jupyterlab, jupytext, pandas, vl_convert, ictstory.story.charts,"
        " ictstory.data;"
        " from ictstory.build.lab import write_lab_settings; write_lab_settings()",
    )  # fmt: skip
    again = "py install.py lab" if os.name == "nt" else "python3 install.py lab"
    say(f"Installed in {VENV}.")
    say(f"Start JupyterLab with:  {again}")
    say("(or: " + f"{python} -m ictstory.build.lab); stop it with Ctrl-C.")


def lab(extra: list[str]) -> None:
    """Start JupyterLab on the chapters with the venv's Python."""
    python = venv_python()
    if not python.exists():
        fail(f"no {VENV} yet: run  python install.py  first")
    os.chdir(PROJECT)
    command = [str(python), "-m", "ictstory.build.lab", *extra]
    if os.name == "nt":  # Windows' execv does not replace the process: wait for it
        sys.exit(subprocess.run(command).returncode)
    os.execv(command[0], command)


def main(argv: list[str]) -> None:
    """``install.py [--trainer]`` or ``install.py lab [--port N]``."""
    if argv[:1] == ["lab"]:
        lab(argv[1:])
    elif argv in ([], ["--trainer"]):
        install(trainer=argv == ["--trainer"])
    else:
        fail("usage: python install.py [--trainer]  |  python install.py lab [--port N]")


if __name__ == "__main__":
    main(sys.argv[1:])
