"""The build's chapter kernels: no port collisions, and a kernel failure names its chapter.

**Ports.** jupyter_client picks a kernel's five TCP ports by binding free ones and
releasing them; the kernel binds them again only once it runs. Two chapters that
start their kernels at the same moment in two of Sphinx's parallel readers can pick
the same ports, and one kernel then never answers ("Kernel didn't respond in 60
seconds"). :func:`install` makes every kernel the build starts (through nbclient)
talk over Unix sockets instead (``transport="ipc"``), named after a random id of
its own (:func:`ipc_name`): no two kernels can share one.

**Failures.** jupyter-cache catches only a failing or timed-out cell; a kernel that
does not start or dies raised through myst-nb and Sphinx, which printed the error
without the chapter. :func:`install` turns any such error into a failed execution
of that chapter, which myst-nb reports as ``<chapter>: WARNING: Executing notebook
failed: <error>`` with its traceback (and :mod:`ictstory.build.buildlog` summarises).
"""

from __future__ import annotations

import traceback
from typing import Any

from ictstory.kernelsockets import MAX_NAME, ipc_name, use_ipc

__all__ = ["MAX_NAME", "install", "ipc_name", "use_ipc"]

def _kernels_over_files() -> None:
    from nbclient import NotebookClient

    create = NotebookClient.create_kernel_manager
    if getattr(create, "ictstory", False):
        return

    def create_kernel_manager(self: NotebookClient) -> Any:
        return use_ipc(create(self))

    create_kernel_manager.ictstory = True  # type: ignore[attr-defined]
    NotebookClient.create_kernel_manager = create_kernel_manager  # type: ignore[method-assign]


def _kernel_failures_name_their_chapter() -> None:
    from jupyter_cache.executors.utils import ExecutionResult
    from myst_nb.core.execute import cache as client

    run = client.single_nb_execution
    if getattr(run, "ictstory", False):
        return

    def single_nb_execution(nb: Any, cwd: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return run(nb, cwd, *args, **kwargs)
        except Exception as error:  # a kernel that did not start or died: a failed run
            return ExecutionResult(nb, cwd, 0.0, error, traceback.format_exc())

    single_nb_execution.ictstory = True  # type: ignore[attr-defined]
    client.single_nb_execution = single_nb_execution


def install() -> None:
    """Patch nbclient and myst-nb in this process (before Sphinx forks its readers)."""
    _kernels_over_files()
    _kernel_failures_name_their_chapter()
