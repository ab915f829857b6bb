"""The site lock (ictstory.sitelock) with fake jobs standing in for builds and printers.

Each fake job is a small Python process in a temporary "checkout": it takes the
lock, says so, and holds it until told to go (a file appears), or starts a
writer the way the build starts jupyter-book (``sitelock.popen``), whose forked
worker keeps writing, as Sphinx's workers do. No fixed sleeps: every step waits
for a condition with a deadline.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ictstory import sitelock

SRC = Path(__file__).resolve().parents[1] / "src"

JOB = r"""
import os, sys, time
from pathlib import Path
from ictstory.sitelock import popen, site_lock
root, reason, mode = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
with site_lock(reason, root):
    print(f"locked {os.getpid()}", flush=True)
    if mode == "writer":
        # A writer in its own session whose forked worker keeps writing, as jupyter-book's do.
        writer = popen([sys.executable, "-c", WRITER, str(root / "out")], root=root)
        print(f"writer {writer.pid}", flush=True)
    elif mode == "nested":
        import subprocess
        inner = "import sys\nfrom pathlib import Path\n" \
            "from ictstory.sitelock import popen, site_lock\n" \
            f"with site_lock('inner', Path({str(root)!r})):\n" \
            "    print('inner locked', flush=True)\n" \
            f"    popen([sys.executable, '-c', ''], root=Path({str(root)!r})).wait()\n"
        subprocess.run([sys.executable, "-c", inner], check=True, timeout=60)
        with site_lock("again", root):
            print("re-entered", flush=True)
    while not (root / "release").exists():
        time.sleep(0.05)
print("released", flush=True)
"""

WRITER = r"""
import os, sys, time
out = sys.argv[1]
pid = os.fork()
role = "worker" if pid == 0 else "main"
with open(f"{out}.{role}.pid", "w") as f:
    f.write(str(os.getpid()))
while True:
    with open(f"{out}.{role}", "a") as f:
        f.write("x")
    time.sleep(0.02)
"""


class Job:
    """A fake job's process and the lines it printed (read in a thread)."""

    def __init__(self, root: Path, reason: str, mode: str = "hold") -> None:
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-c", JOB.replace("WRITER", repr(WRITER)), str(root), reason, mode],
            env={**os.environ, "PYTHONPATH": str(SRC), "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)  # the end of its output

    def expect(self, start: str, timeout: float = 60) -> str:
        """The first line (from now on) starting with ``start``; fails after ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"no line {start!r} within {timeout} s; seen: {self.seen}")
            if line is None:
                pytest.fail(f"the job ended before a line {start!r}; seen: {self.seen}")
            self.seen.append(line)
            if line.startswith(start):
                return line

    def finish(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=30)


def wait_for(condition, what: str, timeout: float = 30) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def alive(pid: int) -> bool:
    return sitelock._alive(pid)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "_build").mkdir()
    return tmp_path


def test_a_second_job_waits_saying_for_whom(root: Path) -> None:
    first = Job(root, "make handouts")
    second = None
    try:
        pid = int(first.expect("locked").split()[1])
        second = Job(root, "make book")
        assert second.expect("==> waiting") == (
            f"==> waiting for make handouts (pid {pid}) to finish …"
        )
        assert first.process.poll() is None and second.lines.empty()  # still waiting
        (root / "release").touch()
        first.expect("released")
        second.expect("locked")
        second.expect("released")
    finally:
        first.finish()
        if second is not None:
            second.finish()


def test_a_job_started_by_the_holder_and_the_holder_again_get_it_at_once(root: Path) -> None:
    job = Job(root, "make dist", mode="nested")
    try:
        job.expect("locked")
        job.expect("inner locked", timeout=60)
        job.expect("re-entered")
        assert not any("waiting" in line for line in job.seen)
        (root / "release").touch()
        job.expect("released")
    finally:
        job.finish()


def _writers(root: Path) -> list[int]:
    """Every live process that can still write the fake writer's files: those whose
    command line names them (the writer and its forked worker; a zombie has none)."""
    out = str(root / "out").encode()
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if out in (proc / "cmdline").read_bytes().split(b"\0"):
                    found.append(int(proc.name))
            except OSError:  # it ended meanwhile
                continue
    return found


def _writer_pids(root: Path) -> tuple[int, int]:
    files = [root / "out.main.pid", root / "out.worker.pid"]
    wait_for(lambda: all(f.is_file() and f.read_text() for f in files), "the writer to start")
    main, worker = int(files[0].read_text()), int(files[1].read_text())
    assert {main, worker} <= set(_writers(root)), "_writers must see the writers it waits for"
    return main, worker


def _stopped_writing(root: Path) -> bool:
    """Nothing writes the files any more: no process that could is left (a condition
    with a deadline, not a guessed pause to see whether they still grow)."""
    wait_for(lambda: not _writers(root), "every process writing the files to end")
    return True


def test_sigterm_to_the_holder_stops_its_whole_writer_group(root: Path) -> None:
    job = Job(root, "make book", mode="writer")
    try:
        job.expect("writer")
        main, worker = _writer_pids(root)
        job.process.send_signal(signal.SIGTERM)
        job.process.wait(timeout=30)
        wait_for(lambda: not alive(main) and not alive(worker), "the writer group to stop")
        assert _stopped_writing(root)
    finally:
        job.finish()


def test_a_killed_holder_leaves_no_writer_behind(root: Path) -> None:
    """SIGKILL to the holder only (not its group): its writer dies with it (pdeathsig);
    the writer's forked worker, which holds the lock on, is stopped by the next job."""
    job = Job(root, "make book", mode="writer")
    nxt = None
    try:
        holder = int(job.expect("locked").split()[1])
        job.expect("writer")
        main, worker = _writer_pids(root)
        job.process.kill()
        job.process.wait(timeout=30)
        wait_for(lambda: not alive(main), "the writer to die with the holder")
        assert alive(worker), "the worker should still run and hold the lock (the case to handle)"
        nxt = Job(root, "make handouts")
        line = nxt.expect("==> make book")
        assert line == (
            f"==> make book (pid {holder}) was killed but left processes running "
            f"({worker}); stopping them."
        )
        nxt.expect("locked")
        # The lock is free once the killed worker's files are closed, a moment before
        # the kernel marks it dead: wait for that with a deadline, never a pause.
        wait_for(lambda: not alive(worker), "the stopped worker to be gone")
        assert _stopped_writing(root)
        (root / "release").touch()
        nxt.expect("released")
    finally:
        job.finish()
        if nxt is not None:
            nxt.finish()
        for name in ("out.main.pid", "out.worker.pid"):
            path = root / name
            if path.is_file() and alive(pid := int(path.read_text())):
                os.kill(pid, signal.SIGKILL)


def test_in_process_reentry_and_is_held(root: Path) -> None:
    assert not sitelock.is_held(root)
    with sitelock.site_lock("outer", root):
        with sitelock.site_lock("inner", root):
            assert sitelock.is_held(root)
        assert sitelock.is_held(root)
        assert os.environ[sitelock.HELD_ENV] == str(os.getpid())
    assert not sitelock.is_held(root)
    assert sitelock.HELD_ENV not in os.environ


def test_popen_needs_the_lock(root: Path) -> None:
    with pytest.raises(RuntimeError, match="needs the site lock"):
        sitelock.popen([sys.executable, "-c", ""], root=root)
