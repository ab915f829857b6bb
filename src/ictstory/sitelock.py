"""One lock for every job that reads or writes the built site (``_build/``).

``make book`` (:mod:`ictstory.build`, which also writes the slide decks),
``make handouts`` (:mod:`ictstory.trainers.handouts`) and ``make dist`` (``tools/dist.py``)
each run inside :func:`site_lock`, so two of them at once run one after the
other: the second says whom it waits for (``waiting for make handouts (pid 812)``)
and then sees exactly what the first left, as if they had been run in turn.

A lock rather than readers pinning a snapshot of the site: the readers publish
too (``_build/handouts``, the bundle), and two of those must be serialized
anyway; one lock also keeps the rule simple enough to hold for jobs added later.

The lock is an ``flock`` on ``_build/.site.lock`` and it covers the holder's
children, not just the holder:

* a writer started with :func:`popen` (the build's ``jupyter-book``) inherits
  the locked file descriptor, so the lock stays held while any of its
  processes, or the worker processes they fork, still run;
* it runs in a session of its own (Ctrl-C reaches the holder only), and the
  holder stops that whole process group when it leaves the lock, whether it
  returns, fails, or is stopped by Ctrl-C, ``SIGTERM`` or ``SIGHUP``;
* it is killed by the kernel when the holder dies (``PR_SET_PDEATHSIG``), even
  by ``SIGKILL``; and a job that finds the lock still held by the processes of
  a holder that died stops them before it goes on (their work was orphaned).

A process started by a holder (``ICTSTORY_SITE_LOCK`` names the holder) gets
the lock at once: a job may run another one (``make dist`` printing handouts)
without waiting for itself. Within one process the lock is re-entrant.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from ictstory.paths import project_root

#: Set for the holder's children: the holder's process id.
HELD_ENV = "ICTSTORY_SITE_LOCK"
POLL_SECONDS = 0.2
#: How long the processes of a writer get to stop on SIGTERM before SIGKILL.
STOP_GRACE_SECONDS = 5.0


def lock_path(root: Path) -> Path:
    return root / "_build" / ".site.lock"


class _Held:
    """The lock as held by this process (``handle`` None: passed down by an ancestor)."""

    def __init__(self, handle: Any, path: Path) -> None:
        self.handle = handle
        self.path = path
        self.depth = 1
        self.children: list[subprocess.Popen[Any]] = []


_HELD: dict[Path, _Held] = {}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError):  # a zombie is not alive
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def _ancestors() -> set[int]:
    found, pid = set(), os.getppid()
    while pid > 1 and pid not in found:
        found.add(pid)
        pid = _parent(pid)
    return found


def _holder(path: Path) -> tuple[int, str]:
    """The holder's process id and reason, as it wrote them into the lock file."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        return 0, "another job"
    pid, _, reason = text.partition(" ")
    return (int(pid), reason or "another job") if pid.isdigit() else (0, "another job")


def _kernel_locker(path: Path) -> int | None:
    """The process id the kernel records for the lock on ``path`` (``/proc/locks``):
    the process that took it, even after it died and its children hold it on."""
    try:
        stat = path.stat()
        key = f"{os.major(stat.st_dev):02x}:{os.minor(stat.st_dev):02x}:{stat.st_ino} "
        for line in Path("/proc/locks").read_text().splitlines():
            if " FLOCK " in line and key in line:
                return int(line.split()[4])
    except (OSError, ValueError, IndexError):
        return None
    return None


def _processes_holding(path: Path) -> list[int]:
    """Processes whose open file holds the lock on ``path`` (``/proc/<pid>/fdinfo``)."""
    try:
        inode = path.stat().st_ino
    except OSError:
        return []
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            for fd in (entry / "fd").iterdir():
                with contextlib.suppress(OSError):
                    if os.stat(fd).st_ino != inode or os.readlink(fd) != str(path):
                        continue
                    if "\nlock:" in (entry / "fdinfo" / fd.name).read_text():
                        found.append(int(entry.name))
                        break
    return found


def _stop_orphans(path: Path) -> bool:
    """Kill what a dead holder's children still run under the lock; True if any."""
    locker = _kernel_locker(path)
    if locker is None or _alive(locker):
        return False
    orphans = _processes_holding(path)
    if not orphans:
        return False
    pid, reason = _holder(path)
    print(
        f"==> {reason} (pid {pid}) was killed but left processes running "
        f"({', '.join(map(str, orphans))}); stopping them.",
        flush=True,
    )
    for orphan in orphans:
        with contextlib.suppress(ProcessLookupError):
            os.kill(orphan, signal.SIGKILL)
    return True


def _acquire(handle: Any, path: Path) -> None:
    """Take the lock; while another job has it, say whom we wait for, once per holder."""
    announced: tuple[int, str] | None = None
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        if _stop_orphans(path):
            continue
        holder = _holder(path)
        if holder != announced:
            who = f"{holder[1]} (pid {holder[0]})" if holder[0] else "another job on _build/"
            print(f"==> waiting for {who} to finish …", flush=True)
            announced = holder
        time.sleep(POLL_SECONDS)


def _inherited(path: Path) -> bool:
    """Whether an ancestor of this process holds the lock and passed it down."""
    held = os.environ.get(HELD_ENV, "")
    if not held.isdigit():
        return False
    pid = int(held)
    return pid in _ancestors() and _holder(path)[0] == pid and _kernel_locker(path) is not None


def _stop_group(process: subprocess.Popen[Any]) -> None:
    """Stop the process group of a writer started by :func:`popen`: TERM, then KILL."""
    for sig, grace in ((signal.SIGTERM, STOP_GRACE_SECONDS), (signal.SIGKILL, 30.0)):
        try:
            os.killpg(process.pid, sig)
        except (ProcessLookupError, PermissionError):
            break
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:  # its forked workers, too
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=1)


def _raise_exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def site_lock(reason: str, root: Path | None = None) -> Iterator[None]:
    """Hold the site lock of the checkout ``root`` (default: the project) for ``reason``
    (``"make handouts"``): shown to a job that has to wait."""
    path = lock_path(root or project_root()).absolute()
    held = _HELD.get(path)
    if held is not None:
        held.depth += 1
        try:
            yield
        finally:
            held.depth -= 1
        return
    if _inherited(path):  # an ancestor holds it: no flock, but writers are still tracked
        held = _HELD[path] = _Held(None, path)
        try:
            yield
        finally:
            for child in held.children:
                _stop_group(child)
            del _HELD[path]
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 (closed below)
    try:
        _acquire(handle, path)
        with contextlib.suppress(OSError):  # who holds it, for a waiter (a full disk: unsaid)
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()} {reason}\n")
            handle.flush()
        held = _HELD[path] = _Held(handle, path)
        before_env = os.environ.get(HELD_ENV)
        os.environ[HELD_ENV] = str(os.getpid())
        handlers: dict[int, Any] = {}
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGHUP):
                if signal.getsignal(sig) == signal.SIG_DFL:
                    handlers[sig] = signal.signal(sig, _raise_exit)
        try:
            yield
        finally:
            for child in held.children:
                _stop_group(child)
            for sig, previous in handlers.items():
                signal.signal(sig, previous)
            if before_env is None:
                os.environ.pop(HELD_ENV, None)
            else:
                os.environ[HELD_ENV] = before_env
            del _HELD[path]
    finally:
        handle.close()  # releases the lock unless a running child still holds it


def is_held(root: Path | None = None) -> bool:
    """Whether this process holds the site lock of ``root`` (or got it from its holder)."""
    path = lock_path(root or project_root()).absolute()
    return path in _HELD or _inherited(path)


def _die_with_parent(libc: Any, parent: int) -> None:
    """In the child before exec: be killed when the lock holder dies (Linux)."""
    with contextlib.suppress(AttributeError):
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it died before the line above
        os._exit(1)


def popen(command: list[str], root: Path | None = None, **kwargs: Any) -> subprocess.Popen[Any]:
    """Start a writer under the held lock (see the module's notes): it inherits the
    lock, runs in a session of its own and is stopped when the holder leaves or dies."""
    path = lock_path(root or project_root()).absolute()
    held = _HELD.get(path)
    if held is None:
        raise RuntimeError(f"popen needs the site lock ({path}) held by this process")
    parent = os.getpid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        libc = None
    process = subprocess.Popen(
        command,
        pass_fds=(*([held.handle.fileno()] if held.handle else []), *kwargs.pop("pass_fds", ())),
        start_new_session=True,
        preexec_fn=lambda: _die_with_parent(libc, parent),
        **kwargs,
    )
    held.children.append(process)
    return process


if __name__ == "__main__":  # pragma: no cover - a manual check
    with site_lock(" ".join(sys.argv[1:]) or "a manual check"):
        print(f"holding {lock_path(project_root())}; Enter to release")
        sys.stdin.readline()
