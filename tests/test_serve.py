"""`make serve` (ictstory.build.serve): the room keeps its book, and every error is one clear line.

* data with a mistake: the data check's first lines are shown and the last good
  site is served (a fake published site in a temporary checkout, so no build);
* a busy port (bound here first): one line naming the port and ``make serve
  PORT=...``, at once (before the data check or a build), no traceback, no
  participants' address;
* ``HOST=0.0.0.0`` with no network interface: said plainly (the address lookup
  runs in a network namespace of its own; the message in-process).
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from ictstory.build import serve

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"


def fake_site(root: Path) -> None:
    """A published site ``good-1`` in ``root/_build`` (the shape the build leaves)."""
    site = root / "_build" / "sites" / "good-1"
    for language in ("en", "vi"):
        (site / language).mkdir(parents=True)
        (site / language / "index.html").write_text(f"last good {language}", encoding="utf-8")
    (site / "index.html").write_text("root page", encoding="utf-8")
    (root / "_build" / "html").symlink_to("sites/good-1")


def start(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ictstory.build.serve", *args],
        cwd=root,
        env={
            **os.environ,
            "ICTSTORY_ROOT": str(root),
            "PYTHONPATH": str(SRC),
            "PYTHONUNBUFFERED": "1",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def read_until(process: subprocess.Popen[str], start: str, timeout: float = 180) -> list[str]:
    """The lines printed up to and including the first that starts with ``start``."""
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.rstrip("\n"))
            if line.startswith(start):
                break
        else:
            lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            pytest.fail(f"no line {start!r} in {timeout} s: {seen}")
        if line is None:
            pytest.fail(f"serve ended before {start!r}: {seen}")
        seen.append(line)
        if line.startswith(start):
            return seen


def test_a_data_mistake_keeps_the_last_good_site_online(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    fake_site(tmp_path)
    figures = tmp_path / "data" / "figures.csv"
    rows = figures.read_text(encoding="utf-8").splitlines()
    head = rows[0].split(",")
    cells = rows[1].split(",")
    cells[head.index("period_start")] = "2021-13-45"  # no such date: a trainer's typo
    rows[1] = ",".join(cells)
    figures.write_text("\n".join(rows) + "\n", encoding="utf-8")
    port = free_port()
    process = start(tmp_path, "--port", str(port))
    try:
        seen = read_until(process, "==> Serving")
        text = "\n".join(seen)
        assert seen[0] == "!!! The data has a problem, so the book was not rebuilt:", text
        assert "figures.csv" in text and "line 2" in text, text
        assert "last good site is served" in text
        assert "Traceback" not in text
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/en/index.html", timeout=30) as page:
            assert page.read().decode() == "last good en"
        process.send_signal(signal.SIGINT)
        rest = process.communicate(timeout=60)[0]
        assert "Stopped serving" in rest and "Traceback" not in rest
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0"])
def test_a_busy_port_is_one_clear_line(tmp_path: Path, host: str) -> None:
    fake_site(tmp_path)
    with socket.socket() as busy:
        busy.bind((host, 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            # No --no-build and no data/ here: the port is checked before the data.
            [sys.executable, "-m", "ictstory.build.serve", "--host", host, "--port", str(port)],
            env={**os.environ, "ICTSTORY_ROOT": str(tmp_path), "PYTHONPATH": str(SRC)},
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1
    assert result.stdout == ""  # nothing before: no address handed to participants
    assert result.stderr.splitlines() == [
        f"!!! Port {port} is already in use on this machine (another `make serve`?): "
        f"choose another one, for example `make serve PORT={port + 1}`."
    ]


def test_no_site_yet_is_said(tmp_path: Path) -> None:
    (tmp_path / "_build").mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "ictstory.build.serve", "--no-build", "--port", str(free_port())],
        env={**os.environ, "ICTSTORY_ROOT": str(tmp_path), "PYTHONPATH": str(SRC)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "No site has been built yet" in result.stdout and "Traceback" not in result.stderr


def _no_network() -> list[str]:
    for prefix in (["unshare", "--net"], ["unshare", "--net", "--map-root-user"]):
        try:
            if subprocess.run([*prefix, "true"], capture_output=True).returncode == 0:
                return prefix
        except FileNotFoundError:
            break
    pytest.fail("cannot make a network namespace (unshare --net): run as root or enable them")


def test_the_addresses_are_found_and_none_without_a_network() -> None:
    probe = "from ictstory.build.serve import interface_addresses; print(interface_addresses())"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    outside = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    inside = subprocess.run(
        [*_no_network(), sys.executable, "-c", probe],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert inside.stdout.strip() == "[]"
    assert "127.0.0.1" not in outside.stdout
    if Path("/sys/class/net").is_dir():  # every IPv4 address hostname -I knows, loopback aside
        known = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
        assert sorted(eval(outside.stdout)) == sorted(a for a in known if "." in a)  # noqa: S307


def test_host_0000_without_a_network_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_site(tmp_path)
    monkeypatch.setenv("ICTSTORY_ROOT", str(tmp_path))
    monkeypatch.setattr(serve, "interface_addresses", lambda: [])

    def stop(self: object, *args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(serve.http.server.ThreadingHTTPServer, "serve_forever", stop)
    port = free_port()
    assert serve.main(["--no-build", "--host", "0.0.0.0", "--port", str(port)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"==> Serving _build/html (good-1) on http://0.0.0.0:{port}/ (Ctrl-C to stop)"
    assert out[1].startswith("!!! HOST=0.0.0.0, but this machine has no network address")
    assert "participants cannot reach it" in out[1]
    assert out[3] == f"    on this machine the book is at http://127.0.0.1:{port}/"
    assert not any("Participants on this network open" in line for line in out)
    monkeypatch.setattr(serve, "interface_addresses", lambda: ["10.1.2.3"])
    assert serve.main(["--no-build", "--host", "0.0.0.0", "--port", str(port)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:3] == ["==> Participants on this network open:", f"      http://10.1.2.3:{port}/"]
