"""Kernels over Unix sockets of their own (``transport="ipc"``), never TCP ports.

jupyter_client picks a kernel's five TCP ports by binding free ones and releasing them;
the kernel binds them again only once it runs, so two kernels started at the same
moment (the build's parallel readers, or two test workers) can pick the same ports and
one never answers. A kernel given :func:`use_ipc` talks over socket files named after a
random id of its own (:func:`ipc_name`): no two kernels can share one. The build's
kernels (:mod:`ictstory.site.kernels`) and the exercises' (:mod:`ictstory.trainers.exercises`)
both use it.
"""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from typing import Any

#: A Unix socket's path has at most 107 bytes; ``-<port>`` is added to this name.
MAX_NAME = 90


def ipc_name() -> str:
    """A socket name prefix no other kernel uses: Jupyter's runtime folder (else the
    temporary folder, when that path would be too long), a random id."""
    from jupyter_core.paths import jupyter_runtime_dir

    name = f"ictstory-{uuid.uuid4().hex[:20]}-ipc"
    for folder in (Path(jupyter_runtime_dir()), Path(tempfile.gettempdir())):
        if len(str(folder / name)) <= MAX_NAME:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError:
                continue
            return str(folder / name)
    return str(Path(tempfile.mkdtemp(prefix="ik")) / "k")


def use_ipc(manager: Any) -> Any:
    """Set a kernel manager (before its kernel starts) to Unix sockets of its own."""
    manager.transport = "ipc"
    manager.ip = ipc_name()
    return manager
