"""Screenshots of built pages, to look at: ``python tools/screenshot.py PAGE [PAGE ...]``.

Writes PNGs to _build/screenshots/ at desktop and phone widths, light and dark.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def main() -> None:
    """Serve _build/html on 127.0.0.1 and screenshot the given pages."""
    parser = argparse.ArgumentParser()
    parser.add_argument("pages", nargs="+", help="paths like chapters/postal.html")
    parser.add_argument("--full", action="store_true", help="whole page, not just the top")
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "screenshots")
    args = parser.parse_args()
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_Quiet, directory=str(args.site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for page_path in args.pages:
            for size, viewport in SIZES.items():
                for scheme in ("light", "dark"):
                    ctx = browser.new_context(viewport=viewport, color_scheme=scheme)
                    page = ctx.new_page()
                    page.goto(f"{base}/{page_path}")
                    page.wait_for_timeout(1500)
                    name = f"{page_path.replace('/', '_')}-{size}-{scheme}.png"
                    page.screenshot(path=str(out / name), full_page=args.full)
                    print(out / name)
                    ctx.close()
        browser.close()
    httpd.shutdown()


if __name__ == "__main__":
    main()
