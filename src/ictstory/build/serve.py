"""``make serve``: serve the last good site, to this machine or to the room.

``python -m ictstory.build.serve [--host HOST] [--port PORT] [--no-build]``:

1. opens the port first, so a busy port is one clear line at once (``make serve
   PORT=8001``), before any address is given to participants;
2. checks ``data/``; when the data has a mistake (say, a trainer's edit in the
   middle of a session) it prints where, the first lines of the data check, and
   goes on with the last good site instead of leaving the room without a book;
   otherwise it builds (``make book``; a failed build also keeps the last site);
3. with ``HOST=0.0.0.0``, prints the addresses participants open, or says
   plainly that this machine has no network address they could reach;
4. serves ``_build/html`` (the link, so a later ``make book`` is picked up).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import fcntl
import functools
import http.server
import ipaddress
import signal
import socket
import struct
import sys
from pathlib import Path

from ictstory.build import book as build
from ictstory.paths import project_root

#: Lines of the data check shown before serving the last good site.
DATA_LINES = 8
SIOCGIFADDR = 0x8915


class ServeError(Exception):
    """A problem that stops ``make serve``, said in one line."""


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # a room of browsers would flood the trainer's terminal


def data_report(root: Path) -> list[str]:
    """The first lines of the data check when ``data/`` has a problem; empty when fine."""
    from ictstory.data import DataValidationError, find_problems

    try:
        problems = find_problems(root / "data" / "datapackage.json")
    except Exception as error:  # noqa: BLE001 - any failure of the check is a data problem here
        return [f"the data check stopped: {type(error).__name__}: {error}"[:300]]
    if not problems:
        return []
    lines = str(DataValidationError(problems)).splitlines()
    shown = [line[:300] for line in lines[:DATA_LINES]]
    if len(lines) > DATA_LINES:
        shown.append(f"  ... ({len(problems)} problems in all: run `make data` for every one)")
    return shown


def interface_addresses() -> list[str]:
    """This machine's IPv4 addresses on its network interfaces, loopback left out."""
    found: list[str] = []
    try:
        names = [name for _, name in socket.if_nameindex()]
    except OSError:
        names = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        for name in names:
            request = struct.pack("256s", name.encode()[:15])
            try:
                answer = fcntl.ioctl(probe.fileno(), SIOCGIFADDR, request)
            except OSError:  # no IPv4 address on it (or not Linux)
                continue
            address = socket.inet_ntoa(answer[20:24])
            if not ipaddress.ip_address(address).is_loopback and address not in found:
                found.append(address)
    return found


def open_server(host: str, port: int, directory: Path) -> http.server.ThreadingHTTPServer:
    """Bind ``host:port`` serving ``directory``; a :class:`ServeError` that says what to do."""
    handler = functools.partial(_Handler, directory=str(directory))
    try:
        return http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise ServeError(
                f"Port {port} is already in use on this machine (another `make serve`?): "
                f"choose another one, for example `make serve PORT={port + 1}`."
            ) from None
        if error.errno == errno.EACCES:
            raise ServeError(
                f"Port {port} needs administrator rights: choose a port above 1023, "
                "for example `make serve PORT=8000`."
            ) from None
        if error.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT) or isinstance(
            error, socket.gaierror
        ):
            raise ServeError(
                f"HOST={host} is not an address of this machine: use HOST=127.0.0.1 "
                "(this machine only) or HOST=0.0.0.0 (the room's network too)."
            ) from None
        raise ServeError(f"Cannot serve on {host}:{port}: {error.strerror or error}.") from None


def room_lines(host: str, port: int, addresses: list[str]) -> list[str]:
    """What participants are told to open (``HOST=0.0.0.0``), or why they cannot."""
    if host not in ("0.0.0.0", ""):
        return []
    if not addresses:
        return [
            "!!! HOST=0.0.0.0, but this machine has no network address besides 127.0.0.1 "
            "(no network interface is connected): participants cannot reach it.",
            "    Connect it to the room's network (Wi-Fi or cable) and start `make serve` again;",
            f"    on this machine the book is at http://127.0.0.1:{port}/",
        ]
    return ["==> Participants on this network open:"] + [
        f"      http://{address}:{port}/" for address in addresses
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-build", action="store_true", help="serve the site as it is")
    args = parser.parse_args(argv)
    # Ctrl-C (SIGINT) and SIGTERM stop serving, even when this was started from a
    # shell's background job, which would otherwise pass SIGINT on as ignored
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    root = project_root()
    try:  # first: a busy port is said at once, not after a build
        server = open_server(args.host, args.port, build.published_link(root))
    except ServeError as error:
        print(f"!!! {error}", file=sys.stderr)
        return 1
    if not args.no_build:
        report = data_report(root)
        if report:
            print("!!! The data has a problem, so the book was not rebuilt:", file=sys.stderr)
            print("\n".join(f"    {line}" for line in report), file=sys.stderr)
            print(
                "    Fix it, then run `make book` (the room gets the new site at once); "
                "until then the last good site is served.",
                file=sys.stderr,
            )
        elif build.main([]) != 0:
            print("!!! The build failed (see above): serving the last good site.", file=sys.stderr)
    site = build.published_site(root)
    if site is None:
        server.server_close()
        print("!!! No site has been built yet: fix what is said above and run `make book`.")
        return 1
    with server:
        print(
            f"==> Serving _build/html ({site.name}) on http://{args.host}:{args.port}/ "
            "(Ctrl-C to stop)",
            flush=True,
        )
        for line in room_lines(args.host, args.port, interface_addresses()):
            print(line, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    print("==> Stopped serving.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
