"""Lighthouse (mobile) and page weight of the built site, served with gzip.

``python tools/lighthouse.py [SITE ...] [--pages index.html,chapters/covid.html] [--runs 3]
[--why] [--no-lighthouse]``

* Installs Lighthouse 12 from npm once, into ``~/.cache/ictstory/lighthouse``.
* Serves each edition (``_build/html/en`` and ``_build/html/vi`` unless SITEs are
  given) on 127.0.0.1 with a small server that gzips text responses, as any real
  host does: offline, nothing is asked of another host.
* Runs Lighthouse with its mobile preset in Debian's Chromium on every page of each
  edition (the index and every chapter; ``--pages`` chooses), and prints one table:
  edition and page, performance, LCP, FCP, TBT, CLS, accessibility, best practices,
  SEO and bytes transferred; then the pages that miss a target (issue 21:
  performance ≥ 95 and LCP ≤ 1.5 s on every page of both editions).
* The preset's 4x CPU slowdown assumes a high-end desktop (Lighthouse's benchmark
  index 1500 or more). On a slower or busy machine each page is loaded once, the
  index Lighthouse measured then sets the slowdown (4 x index / 1500, at least 1)
  and the load is audited with it, so other work on the machine is not counted as
  the page's; ``--preset-cpu`` keeps 4x. The table shows index and slowdown.
* Prints what a first visit transfers (a chart chapter, empty cache) and what a
  second page then transfers with the cache warm; issue 9's targets are
  ≤ 450 KiB and ≤ 60 KiB.

``make bench`` runs it at its end (``tools/bench.py``).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ictstory" / "lighthouse"
LIGHTHOUSE_SPEC = "lighthouse@12"
CHROME = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHART_MARKER = 'class="ictstory-chart"'
#: Text responses the server compresses.
COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".csv", ".txt", ".map", ".xml")
FIRST_VISIT_BUDGET = 450 * 1024
#: Issue 21's targets for every page of both editions (mobile preset).
TARGET_PERFORMANCE = 95
TARGET_LCP = 1.5
SECOND_PAGE_BUDGET = 60 * 1024


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; text gzipped when the client accepts it; cached for ten minutes
    (like GitHub Pages), so a second page reuses what the first one fetched. HTTP/1.1
    with keep-alive, as every real host: the browser reuses its connections, where
    HTTP/1.0 would make Lighthouse's simulation pay a new connection per file."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self) -> io.BytesIO | BinaryIO | None:  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
        self.end_headers()
        return io.BytesIO(body)


class QuietServer(http.server.ThreadingHTTPServer):
    """Says nothing when a browser drops a kept-alive connection (it may, at any time)."""

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextlib.contextmanager
def serve_gzip(directory: Path) -> Iterator[str]:
    """Serve ``directory`` with gzip on 127.0.0.1 while the block runs; yields the base URL."""
    handler = functools.partial(GzipHandler, directory=str(directory))
    httpd = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


def lighthouse_cli() -> Path:
    """Lighthouse's command line, installed from npm into the cache folder once."""
    cli = CACHE / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.is_file():
        if not shutil.which("npm"):
            sys.exit("lighthouse: npm not found (install nodejs and npm)")
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"lighthouse: installing {LIGHTHOUSE_SPEC} into {CACHE} ...", flush=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(CACHE), "--no-audit", "--no-fund", LIGHTHOUSE_SPEC],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return cli


def all_pages(site: Path) -> list[str]:
    """The index and every chapter page, relative to the edition."""
    return ["index.html"] + [
        p.relative_to(site).as_posix() for p in sorted(site.glob("chapters/*.html"))
    ]


def chart_pages(site: Path) -> list[str]:
    """The index and every page that holds a chart, relative to the edition."""
    pages = sorted(site.glob("chapters/*.html"))
    return ["index.html"] + [
        p.relative_to(site).as_posix() for p in pages if CHART_MARKER in p.read_text("utf-8")
    ]


#: Lighthouse's 4x CPU slowdown is meant for a high-end desktop, benchmark index
#: 1500-2000 (Lighthouse's docs/throttling.md); the lower end is taken as reference.
REFERENCE_BENCHMARK_INDEX = 1500
DEFAULT_CPU_SLOWDOWN = 4.0


def cpu_slowdown(benchmark_index: float) -> float:
    """The CPU slowdown that simulates Lighthouse's mobile device on a host that
    scored ``benchmark_index`` (4x on a high-end desktop; less on a slower or busy
    host, never below 1: the host's own speed)."""
    scaled = DEFAULT_CPU_SLOWDOWN * benchmark_index / REFERENCE_BENCHMARK_INDEX
    return round(min(DEFAULT_CPU_SLOWDOWN, max(1.0, scaled)), 2)


def run_lighthouse(url: str, out: Path, calibrate: bool = True) -> dict[str, float]:
    """One Lighthouse mobile run (simulated throttling); the numbers of the table.

    ``calibrate``: the page is loaded once (Lighthouse's gather mode, which also
    measures the host's benchmark index), then audited with the CPU slowdown that
    index calls for (:func:`cpu_slowdown`), so a busy 2-core host does not count its
    other work as the page's. Without it, the preset's 4x."""
    env = dict(os.environ, CHROME_PATH=CHROME)
    common = [
        "node",
        str(lighthouse_cli()),
        url,
        "--quiet",
        "--chrome-flags=--headless --no-sandbox --disable-gpu",
        "--only-categories=performance,accessibility,best-practices,seo",
    ]
    report_args = ["--output=json", f"--output-path={out}"]
    if not calibrate:
        subprocess.run([*common, *report_args], check=True, env=env)
    else:
        artifacts = out.with_suffix(".artifacts")
        shutil.rmtree(artifacts, ignore_errors=True)
        subprocess.run([*common, f"--gather-mode={artifacts}"], check=True, env=env)
        saved = artifacts / "artifacts.json"
        data = json.loads(saved.read_text(encoding="utf-8"))
        slowdown = cpu_slowdown(float(data["BenchmarkIndex"]))
        # simulated throttling applies the CPU slowdown only when auditing
        data["settings"]["throttling"]["cpuSlowdownMultiplier"] = slowdown
        saved.write_text(json.dumps(data), encoding="utf-8")
        subprocess.run(
            [
                *common,
                *report_args,
                f"--audit-mode={artifacts}",
                f"--throttling.cpuSlowdownMultiplier={slowdown}",
            ],
            check=True,
            env=env,
        )
        shutil.rmtree(artifacts, ignore_errors=True)
    report = json.loads(out.read_text(encoding="utf-8"))
    cats, audits = report["categories"], report["audits"]
    if os.environ.get("ICTSTORY_LH_WHY"):
        print(f"  {why_lcp(report)}", flush=True)
    return {
        "performance": round(cats["performance"]["score"] * 100),
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "accessibility": round(cats["accessibility"]["score"] * 100),
        "best": round(cats["best-practices"]["score"] * 100),
        "seo": round(cats["seo"]["score"] * 100),
        "bytes": audits["total-byte-weight"]["numericValue"],
        "index": report["environment"]["benchmarkIndex"],
        "cpu": report["configSettings"]["throttling"]["cpuSlowdownMultiplier"],
    }


def why_lcp(report: dict) -> str:
    """The LCP element, its phases and the render-blocking resources, in one line."""
    audits = report["audits"]
    items = (audits.get("largest-contentful-paint-element") or {}).get("details", {}).get("items")
    element, phases = "?", ""
    for item in items or []:
        for sub in item.get("items", []):
            if "node" in sub:
                element = sub["node"].get("selector", "?")
            elif "phase" in sub:
                phases += f" {sub['phase']} {sub.get('timing', 0):.0f} ms;"
    blocking = (audits.get("render-blocking-resources") or {}).get("details", {}).get("items", [])
    names = ", ".join(
        f"{b['url'].rsplit('/', 1)[-1].split('?')[0]} ({b.get('wastedMs', 0):.0f} ms)"
        for b in blocking
    )
    return f"LCP element {element};{phases} render-blocking: {names or 'none'}"


def median_run(url: str, out: Path, runs: int, calibrate: bool = True) -> dict[str, float]:
    """The median of each number over ``runs`` Lighthouse runs."""
    import statistics

    results = [run_lighthouse(url, out, calibrate) for _ in range(runs)]
    return {key: statistics.median(r[key] for r in results) for key in results[0]}


def lighthouse_rows(
    site: Path, pages: list[str], runs: int = 1, calibrate: bool = True
) -> list[dict[str, object]]:
    """One row of numbers a page of the edition in ``site``."""
    rows = []
    edition = site.name
    with serve_gzip(site) as base, tempfile.TemporaryDirectory(prefix="ictstory-lh-") as tmp:
        for number, path in enumerate(pages):
            print(f"lighthouse: {edition}/{path} ...", flush=True)
            out = Path(tmp) / f"{number}.json"
            row = median_run(f"{base}/{path}", out, runs, calibrate)
            rows.append({"page": f"{edition}/{path}", **row})
            print(
                f"  performance {row['performance']}, LCP {row['lcp']:.2f} s, "
                f"FCP {row['fcp']:.2f} s, TBT {row['tbt']:.0f} ms, CLS {row['cls']:.3f}",
                flush=True,
            )
    return rows


def print_table(rows: list[dict[str, object]], runs: int = 1) -> list[str]:
    """The table of ``rows``; returns the pages that miss issue 21's targets."""
    print(
        "\n| page | performance | LCP | FCP | TBT | CLS | accessibility | best practices "
        "| SEO | transferred | host index | CPU slowdown |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['page']} | {r['performance']} | {r['lcp']:.2f} s | {r['fcp']:.2f} s "
            f"| {r['tbt']:.0f} ms | {r['cls']:.3f} | {r['accessibility']} | {r['best']} "
            f"| {r['seo']} | {r['bytes'] / 1024:,.0f} KiB | {r['index']:.0f} | {r['cpu']:g}x |"
        )
    if runs > 1:
        print(f"(median of {runs} runs per page)")
    print(
        "host index: Lighthouse's benchmark index of this machine during the run; CPU "
        f"slowdown: 4x at index {REFERENCE_BENCHMARK_INDEX} or more, less on a slower or "
        "busy host (--preset-cpu: always 4x)"
    )
    missed = [
        str(r["page"])
        for r in rows
        if float(r["performance"]) < TARGET_PERFORMANCE or float(r["lcp"]) > TARGET_LCP  # type: ignore[arg-type]
    ]
    print(
        f"targets: performance ≥ {TARGET_PERFORMANCE} and LCP ≤ {TARGET_LCP} s on every page "
        "(issue 21), TBT ≤ 150 ms, CLS ≤ 0.02, the others 100"
    )
    worst = min(rows, key=lambda r: (r["performance"], -float(r["lcp"])))  # type: ignore[arg-type]
    print(
        f"{len(rows) - len(missed)} of {len(rows)} pages meet performance and LCP; "
        f"worst: {worst['page']} ({worst['performance']}, LCP {worst['lcp']:.2f} s)"
    )
    if missed:
        print("MISSED: " + ", ".join(missed))
    return missed


def lighthouse_table(
    sites: list[Path], pages: list[str] | None = None, runs: int = 1, calibrate: bool = True
) -> list[dict[str, object]]:
    """Lighthouse on ``pages`` (default: every page) of each edition, one table."""
    rows: list[dict[str, object]] = []
    for site in sites:
        rows += lighthouse_rows(site, pages or all_pages(site), runs, calibrate)
    print_table(rows, runs)
    return rows


def visit_weights(site: Path, first: str, second: str) -> tuple[int, int, list[str]]:
    """Bytes a first visit to ``first`` transfers (empty cache, gzip), then ``second``
    in the same browser (cache warm); and the URLs the first visit fetched."""
    from playwright.sync_api import sync_playwright

    from ictstory.site.paint_first import CHARTS_READY, SCRIPTS_READY

    totals: list[int] = []
    fetched: list[str] = []
    with serve_gzip(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROME,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_context(viewport={"width": 412, "height": 823}).new_page()
        for path in (first, second):
            page.goto(f"{base}/{path}", wait_until="networkidle")
            page.wait_for_function(SCRIPTS_READY)  # they come after the first paint
            page.mouse.wheel(0, 60)  # a reader's first act: a phone then fetches chart code
            page.wait_for_function(CHARTS_READY)
            page.wait_for_load_state("networkidle")
            entries = page.evaluate(
                """() => [performance.getEntriesByType('navigation')[0],
                          ...performance.getEntriesByType('resource')]
                         .map(e => [e.name, e.transferSize])"""
            )
            totals.append(sum(size for _, size in entries))
            if not fetched:
                fetched = [name for name, size in entries if size > 0]
        browser.close()
    return totals[0], totals[1], fetched


def weight_table(site: Path) -> tuple[int, int]:
    pages = chart_pages(site)
    first = pages[1] if len(pages) > 1 else pages[0]
    second = pages[2] if len(pages) > 2 else pages[0]
    first_bytes, second_bytes, _ = visit_weights(site, first, second)
    print("\n| page weight (gzip, 412 px phone) | transferred | target |")
    print("|---|---|---|")
    ok = "ok" if first_bytes <= FIRST_VISIT_BUDGET else "MISSED"
    print(f"| first visit: {first} | {first_bytes / 1024:,.0f} KiB | ≤ 450 KiB {ok} |")
    ok = "ok" if second_bytes <= SECOND_PAGE_BUDGET else "MISSED"
    print(f"| then {second}, cache warm | {second_bytes / 1024:,.0f} KiB | ≤ 60 KiB {ok} |")
    return first_bytes, second_bytes


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "sites",
        nargs="*",
        type=Path,
        help="editions to measure (default: _build/html/en and _build/html/vi)",
    )
    parser.add_argument("--pages", help="comma-separated pages (default: index + every chapter)")
    parser.add_argument("--no-lighthouse", action="store_true", help="page weights only")
    parser.add_argument(
        "--preset-cpu",
        action="store_true",
        help="the preset's 4x CPU slowdown whatever the host (default: calibrated to the "
        "host's benchmark index, measured in each run)",
    )
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is shown")
    parser.add_argument(
        "--why", action="store_true", help="print each run's LCP element and blocking resources"
    )
    args = parser.parse_args(argv)
    sites = args.sites or [ROOT / "_build" / "html" / "en", ROOT / "_build" / "html" / "vi"]
    for site in sites:
        if not (site / "index.html").is_file():
            sys.exit(f"lighthouse: no built site in {site}: run `make book` first")
    if not args.no_lighthouse:
        if args.why:
            os.environ["ICTSTORY_LH_WHY"] = "1"
        pages = args.pages.split(",") if args.pages else None
        lighthouse_table(sites, pages, args.runs, not args.preset_cpu)
    for site in sites:
        print(f"\npage weight, {site.name}:")
        weight_table(site)


if __name__ == "__main__":
    main()
