"""The build's chapter kernels (:mod:`ictstory.site.kernels`): Unix sockets of their own, so
kernels started at the same moment in parallel processes never share a port; and a
kernel that fails to start becomes a failed execution of its chapter."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import nbformat
import pytest

from ictstory.site import kernels

#: One parallel reader: executes a notebook as the build does and prints what its
#: kernel was connected with, as the kernel itself saw it.
READER = textwrap.dedent(
    """
    import json, sys
    import nbformat
    from nbclient import NotebookClient
    from ictstory.site import kernels

    kernels.install()
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(
        "import json\\nfrom ipykernel.connect import get_connection_info\\n"
        "info = get_connection_info(unpack=True)\\n"
        "print(json.dumps({k: info[k] for k in ('transport', 'ip', 'shell_port')}))"
    ))
    client = NotebookClient(nb, timeout=120, startup_timeout=120, kernel_name="python3")
    client.execute()
    print(nb.cells[0].outputs[0]["text"].strip())
    """
)


@pytest.mark.kernel  # four kernels, in subprocesses
def test_parallel_kernels_use_sockets_of_their_own() -> None:
    runtime = Path(tempfile.mkdtemp(prefix="ictk-"))  # short: a socket path has 107 bytes
    try:
        _parallel_kernels(runtime)
    finally:
        shutil.rmtree(runtime, ignore_errors=True)


def _parallel_kernels(runtime: Path) -> None:
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime)}
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", READER],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(4)
    ]
    seen = []
    for reader in readers:
        out, err = reader.communicate(timeout=300)
        assert reader.returncode == 0, err[-2000:]
        seen.append(json.loads(out.strip().splitlines()[-1]))
    assert {info["transport"] for info in seen} == {"ipc"}
    assert len({info["ip"] for info in seen}) == 4, seen
    assert all(info["ip"].startswith(str(runtime)) for info in seen)
    # each kernel's sockets are removed when it shuts down
    assert not [p for p in runtime.iterdir() if "-ipc-" in p.name]


def test_ipc_names_differ_and_fit_a_socket_path() -> None:
    names = {kernels.ipc_name() for _ in range(50)}
    assert len(names) == 50
    assert all(len(f"{name}-65535") < 108 for name in names)


def test_a_kernel_that_does_not_start_fails_its_chapter_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import jupyter_cache.executors.utils as utils
    from myst_nb.core.execute import cache as client

    def no_kernel(*args: object, **kwargs: object) -> None:
        raise RuntimeError("Kernel didn't respond in 60 seconds")

    monkeypatch.setattr(client, "single_nb_execution", utils.single_nb_execution)
    monkeypatch.setattr(utils, "executenb", no_kernel)
    kernels._kernel_failures_name_their_chapter()
    nb = nbformat.v4.new_notebook()

    result = client.single_nb_execution(nb, cwd=None, timeout=10, allow_errors=False)

    assert isinstance(result.err, RuntimeError)
    assert "Kernel didn't respond in 60 seconds" in result.exc_string
    assert result.exc_string.startswith("Traceback")


@pytest.mark.kernel  # one kernel
def test_an_exercise_kernel_uses_sockets_of_its_own(tmp_path: Path) -> None:
    """The exercises' kernels (kernel tier, answer keys) are started by the test process,
    beside the build's and another test worker's: they talk over Unix sockets too."""
    from ictstory.trainers import exercises

    chapter = tmp_path / "chapters" / "demo.md"
    chapter.parent.mkdir(parents=True)
    chapter.write_text("# Demo\n\nNo code above the exercise.\n", encoding="utf-8")
    probe = (
        "import json\nfrom ipykernel.connect import get_connection_info\n"
        "info = get_connection_info(unpack=True)\n"
        "print(json.dumps({k: info[k] for k in ('transport', 'ip')}))"
    )
    exercise = exercises.Exercise(Path("chapters/demo.md"), 1, 1, probe)
    outputs = exercises.run(exercise, tmp_path, timeout=120)
    info = json.loads(outputs[0]["text"].strip().splitlines()[-1])
    assert info["transport"] == "ipc"
    assert info["ip"].endswith("-ipc") or "/ik" in info["ip"], info
