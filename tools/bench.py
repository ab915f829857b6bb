"""Benchmark: setup and build times, memory, page weight. ``make bench`` prints a table.

Works on temporary copies of the project, so the working tree and its
``_build`` are left alone. Targets (2-core machine): clean build < 60 s,
no-change rebuild < 10 s, a chapter page's own HTML < 150 KB, shipped chart
libraries < 1 MB and loaded once per page.

A second table measures the data checks on a large fact base (figures.csv grown
to 50,000 rows by ``tools/largedata.py``): ``make data`` < 10 s, and the true
count of problems in a copy with 200,000 broken cells. ``python tools/bench.py
--data`` prints that table alone.

A third (``--dist``) reads the workshop bundle ``make dist`` left in _build/dist:
its size, and the time an offline install from it takes (no network).

The last (``--lighthouse``, alone) is Lighthouse's mobile table over every page of
both editions of the built site (``tools/lighthouse.py``).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import http.server
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns(
    ".venv", ".git", "_build", ".pytest_cache", ".ruff_cache", "__pycache__", "*.egg-info"
)


def _timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(
            f"command failed: {' '.join(command)}\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    return time.perf_counter() - started


def _build(project: Path) -> float:
    env = {
        "ICTSTORY_ROOT": str(project),
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": str(Path.home()),
    }
    return _timed([sys.executable, "-m", "ictstory.build"], project, env)


def _figure_read_by_fewest_chapters(project: Path) -> tuple[str, list[str]]:
    """A stated figure that the fewest chapters read (from the build's records), and
    those chapters: the ones that read it by id and the ones that read every figure."""
    readers: dict[str, list[str]] = {}
    everything: list[str] = []
    for record in sorted((project / "_build" / "deps" / "en").glob("*.json")):
        doc = record.stem.replace("__", "/")
        deps = json.loads(record.read_text(encoding="utf-8"))["deps"]
        if "table:figures" in deps:
            everything.append(doc)
        for dep in deps:
            if dep.startswith("figure:"):
                readers.setdefault(dep[7:], []).append(doc)
    rows = {r["figure_id"]: r for r in csv.DictReader((project / "data" / "figures.csv").open())}
    stated = [fid for fid in readers if rows[fid]["kind"] != "derived"]
    fid = min(stated, key=lambda f: (len(set(readers[f]) | set(everything)), f))
    return fid, sorted(set(readers[fid]) | set(everything))


def _edit_one_value(project: Path, figure_id: str) -> None:
    """Correct one figure as an analyst would: value_corrected (its value plus one), a note."""
    path = project / "data" / "figures.csv"
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    header = rows[0]
    row = next(r for r in rows if r[0] == figure_id)
    stated = row[header.index("value")] or "0"
    row[header.index("value_corrected")] = str(float(stated) + 1)
    row[header.index("note")] = "Benchmark: a corrected value."
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _site_hashes(html: Path) -> dict[str, str]:
    return {
        p.relative_to(html).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in html.rglob("*")
        if p.is_file()
    }


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def _download_bytes(html: Path, first: str, second: str) -> tuple[int, int, int]:
    """Bytes transferred for a first page, then a second one in the same browser."""
    from playwright.sync_api import sync_playwright

    from ictstory.site.paint_first import CHARTS_READY, SCRIPTS_READY

    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(html))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    totals: list[int] = []
    bundle_loads = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context()
        page = context.new_page()
        for path in (first, second):
            sizes: list[int] = []

            def on_finished(request: object, sizes: list[int] = sizes) -> None:
                nonlocal bundle_loads
                response = request.response()  # type: ignore[attr-defined]
                if response is None or response.from_service_worker:
                    return
                info = request.sizes()  # type: ignore[attr-defined]
                transferred = info["responseBodySize"] + info["responseHeadersSize"]
                if response.status != 304 and transferred > 0:
                    sizes.append(transferred)
                    if "vega-bundle" in request.url:  # type: ignore[attr-defined]
                        bundle_loads += 1

            page.on("requestfinished", on_finished)
            page.goto(f"{base}/{path}", wait_until="networkidle")
            page.wait_for_function(SCRIPTS_READY)  # they come after the first paint
            page.mouse.wheel(0, 60)  # a reader's first act: a phone then fetches chart code
            page.wait_for_function(CHARTS_READY)
            page.wait_for_load_state("networkidle")
            page.remove_listener("requestfinished", on_finished)
            totals.append(sum(sizes))
        browser.close()
    httpd.shutdown()
    return totals[0], totals[1], bundle_loads


def _kb(n: float) -> str:
    return f"{n / 1024:,.0f} KB"


def _print_table(rows: list[tuple[str, str, str]], title: str = "measure") -> None:
    width = max(len(r[0]) for r in rows + [(title, "", "")])
    print(f"\n| {title.ljust(width)} | value | target |")
    print(f"|{'-' * (width + 2)}|-------|--------|")
    for name, value, target in rows:
        print(f"| {name.ljust(width)} | {value} | {target} |")


def _since(started: float) -> float:
    return time.perf_counter() - started


def large_data(figures: int = 50_000, broken: int = 200_000) -> None:
    """Time the data checks on a large copy of data/ and print a table."""
    from largedata import break_cells, large_copy

    from ictstory import data

    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="ictstory-bench-data-") as tmp:
        tmpdir = Path(tmp)
        os.environ["XDG_CACHE_HOME"] = str(tmpdir / "cache")  # no record of valid data yet
        print(f"bench: data checks on {figures:,} figure rows ...", flush=True)
        descriptor = large_copy(tmpdir / "big" / "data", figures)
        size = (descriptor.parent / "figures.csv").stat().st_size
        started = time.perf_counter()
        problems = data.find_problems(descriptor)
        seconds = _since(started)
        assert not problems, problems[:3]
        rows.append(
            (
                f"find_problems, {figures:,} valid rows ({size / 1e6:.0f} MB)",
                f"{seconds:.1f} s",
                "< 10 s " + ("ok" if seconds < 10 else "MISSED"),
            )
        )
        env = {**os.environ, "ICTSTORY_ROOT": str(descriptor.parent.parent)}
        command = _timed([sys.executable, "-m", "ictstory.data"], ROOT, env)
        rows.append(
            (
                "python -m ictstory.data (make data), whole command",
                f"{command:.1f} s",
                "< 10 s " + ("ok" if command < 10 else "MISSED"),
            )
        )
        started = time.perf_counter()
        table = data.load_table("figures", descriptor)
        warm = _since(started)
        rows.append(("load_table('figures'), data validated before", f"{warm:.2f} s", "-"))
        shutil.rmtree(tmpdir / "cache")  # as in a fresh process on data not yet validated
        data._validated.cache_clear()
        started = time.perf_counter()
        table = data.load_table("figures", descriptor)
        cold = _since(started)
        rows.append(("load_table('figures'), data not validated before", f"{cold:.1f} s", "-"))
        assert len(table) == figures

        print(f"bench: {broken:,} broken cells ...", flush=True)
        descriptor = large_copy(tmpdir / "broken" / "data", figures)
        break_cells(descriptor, broken)
        started = time.perf_counter()
        problems = data.find_problems(descriptor)
        seconds = _since(started)
        first_line = str(data.DataValidationError(problems)).splitlines()[0]
        rows.append((f"find_problems, {broken:,} broken cells", f"{seconds:.1f} s", "-"))
        rows.append(
            (
                "problems reported",
                first_line.split(" in data/")[0],
                f"{broken} " + ("ok" if len(problems) == broken else "MISSED"),
            )
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rows.append(("peak memory of the data checks", f"{peak / 1024:,.0f} MB", "-"))
    _print_table(rows, "large data")


def large_book(figures: int = 50_000) -> None:
    """Build the whole book on a fact base grown to ``figures`` rows; print a table."""
    import re

    from largedata import large_copy

    with tempfile.TemporaryDirectory(prefix="ictstory-bench-book-") as tmp:
        project = Path(tmp) / "book"
        shutil.copytree(ROOT, project, ignore=IGNORE)
        shutil.rmtree(project / "data")
        large_copy(project / "data", figures, new_series=True)
        print(f"bench: whole book on {figures:,} figure rows ...", flush=True)
        seconds = _build(project)
        html = project / "_build" / "html"
        pages = sorted(html.rglob("*.html"))
        biggest = max(pages, key=lambda p: p.stat().st_size)
        most_rows = 0
        for page in pages:
            for spec in re.findall(
                r'class="ictstory-chart__spec">(.*?)</script>', page.read_text("utf-8")
            ):
                datasets = json.loads(spec).get("datasets", {})
                most_rows = max([most_rows, *(len(v) for v in datasets.values())])
        size = biggest.stat().st_size
        name = biggest.relative_to(html)
    rows = [
        (f"clean build with {figures:,} figures", f"{seconds:.1f} s", "completes"),
        (
            f"largest page ({name})",
            _kb(size),
            "< 150 KB " + ("ok" if size < 150 * 1024 else "MISSED"),
        ),
        ("most rows in one chart's data", f"{most_rows:,}", "< 5,000 (Altair's limit)"),
    ]
    _print_table(rows, "large fact base, whole book")


def workshop_bundle() -> None:
    """The participants' bundle ``make dist`` left in _build/dist: its size and contents,
    and the time a laptop takes to install from it with no network (Python 3.11)."""
    import zipfile

    from dist import latest_archive, no_network_prefix, offline_room, python_for

    archive = latest_archive()
    if archive is None:
        print("bench: no archive in _build/dist; run `make dist` for the workshop bundle table")
        return
    with zipfile.ZipFile(archive) as bundle:
        names = bundle.namelist()
    wheels = sum(1 for n in names if "/wheelhouse/" in n and n.endswith(".whl"))
    handouts = any("/handouts/" in n for n in names)
    rows = [
        (f"archive ({archive.name})", f"{archive.stat().st_size / 1e6:,.0f} MB", "-"),
        (
            "  files; wheels; handouts",
            f"{len(names):,}; {wheels}; {'yes' if handouts else 'no'}",
            "-",
        ),
    ]
    python = python_for("3.11")
    if python is None or no_network_prefix() is None:
        rows.append(("offline install", "not measured (no python3.11 or no unshare --net)", "-"))
    else:
        print("bench: offline install from the workshop bundle (no network) ...", flush=True)
        with tempfile.TemporaryDirectory(prefix="ictstory-bench-room-") as tmp:
            run = offline_room(archive, Path(tmp), python)
        if run.returncode != 0:
            sys.exit(f"offline install failed:\n{run.output[-3000:]}")
        rows.append(("unpack the archive", f"{run.seconds['unpack']:.0f} s", "-"))
        rows.append(
            (
                "offline install (python install.py, Python 3.11, no network)",
                f"{run.seconds['offline install']:.0f} s",
                "-",
            )
        )
    _print_table(rows, "workshop bundle (make dist)")


def main() -> None:
    """Run every measurement and print the table."""
    if "--data" in sys.argv[1:]:
        large_data()
        return
    if "--large-book" in sys.argv[1:]:
        large_book()
        return
    if "--dist" in sys.argv[1:]:
        workshop_bundle()
        return
    if "--lighthouse" in sys.argv[1:]:
        phone_speed()
        return
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="ictstory-bench-") as tmp:
        tmpdir = Path(tmp)
        print("bench: fresh setup (new venv, pinned requirements, package) ...", flush=True)
        venv = tmpdir / "venv"
        started = time.perf_counter()
        _timed([sys.executable, "-m", "venv", str(venv)], ROOT)
        _timed([str(venv / "bin" / "pip"), "install", "--quiet", "-r", "requirements.txt"], ROOT)
        _timed(
            [
                str(venv / "bin" / "pip"),
                "install",
                "--quiet",
                "--no-deps",
                "--no-build-isolation",
                "-e",
                ".",
            ],
            ROOT,
        )
        rows.append(("fresh setup (pip cache warm)", f"{time.perf_counter() - started:.1f} s", "-"))

        project = tmpdir / "book"
        shutil.copytree(ROOT, project, ignore=IGNORE)
        print("bench: clean build ...", flush=True)
        clean = _build(project)
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        rows.append(
            (
                "clean build (both editions)",
                f"{clean:.1f} s",
                "≤ 60 s " + ("ok" if clean <= 60 else "MISSED"),
            )
        )
        print("bench: no-change rebuild ...", flush=True)
        same = _build(project)
        rows.append(
            ("no-change rebuild", f"{same:.1f} s", "≤ 8 s " + ("ok" if same <= 8 else "MISSED"))
        )
        figure_id, readers = _figure_read_by_fewest_chapters(project)
        print(f"bench: rebuild after correcting {figure_id} ...", flush=True)
        _edit_one_value(project, figure_id)
        edited = _build(project)
        ratio = edited / clean
        rows.append(
            (
                f"rebuild after correcting one figure ({figure_id}; "
                f"re-executes {len(readers)}: {', '.join(r.split('/')[-1] for r in readers)})",
                f"{edited:.1f} s",
                "-",
            )
        )
        rows.append(
            (
                "  that rebuild / clean build",
                f"{ratio:.0%}",
                "< 40% " + ("ok" if ratio < 0.4 else "MISSED"),
            )
        )
        rows.append(("peak memory (largest build process)", f"{peak_kb / 1024:,.0f} MB", "-"))

        print("bench: second clean build, for reproducibility ...", flush=True)
        twin = tmpdir / "twin"
        shutil.copytree(ROOT, twin, ignore=IGNORE)
        _build(twin)
        a = _site_hashes(twin / "_build" / "html")
        fresh = tmpdir / "fresh"
        shutil.copytree(ROOT, fresh, ignore=IGNORE)
        _build(fresh)
        b = _site_hashes(fresh / "_build" / "html")
        differing = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
        rows.append(
            (
                "identical output of two clean builds",
                "yes" if not differing else f"no: {', '.join(differing[:5])}",
                "yes",
            )
        )

        site = fresh / "_build" / "html"
        total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        rows.append(
            ("total size of _build/html (both editions)", f"{total / 1024 / 1024:.1f} MB", "-")
        )
        bundle = site / "en" / "_static" / "vendor" / "vega-bundle.js"
        rows.append(
            (
                "shipped chart libraries (vega-bundle.js)",
                _kb(bundle.stat().st_size),
                "< 1 MB " + ("ok" if bundle.stat().st_size < 1_000_000 else "MISSED"),
            )
        )
        for language in ("en", "vi"):
            html = site / language
            pages = sorted((html / "chapters").glob("*.html"))
            biggest = max(pages, key=lambda p: p.stat().st_size)
            rows.append(
                (
                    f"[{language}] largest chapter page HTML ({biggest.name})",
                    _kb(biggest.stat().st_size),
                    "< 150 KB " + ("ok" if biggest.stat().st_size < 150 * 1024 else "MISSED"),
                )
            )
            chart_pages = [p for p in pages if 'class="ictstory-chart"' in p.read_text()]
            first = chart_pages[0].relative_to(html).as_posix()
            second = (
                (chart_pages[1] if len(chart_pages) > 1 else pages[-1]).relative_to(html).as_posix()
            )
            print(f"bench: page weight in Chromium ({language}) ...", flush=True)
            first_bytes, second_bytes, loads = _download_bytes(html, first, second)
            rows.append((f"[{language}] download, first page ({first})", _kb(first_bytes), "-"))
            rows.append(
                (
                    f"[{language}] download, second page ({second}), cache warm",
                    _kb(second_bytes),
                    "-",
                )
            )
            rows.append((f"[{language}] chart library downloads over both pages", str(loads), "1"))

    _print_table(rows)
    # In a process of its own, so that its peak memory is its own.
    subprocess.run([sys.executable, __file__, "--data"], check=True)
    subprocess.run([sys.executable, __file__, "--large-book"], check=True)
    subprocess.run([sys.executable, __file__, "--dist"], check=True)
    phone_speed()


def phone_speed() -> None:
    """Lighthouse (mobile) on every page of both editions (index and chapters), served
    offline with gzip, and the gzip weight of a first visit and a second page
    (``tools/lighthouse.py``), on the checkout's built site."""
    html = ROOT / "_build" / "html"
    sites = [html / "en", html / "vi"]
    if not all((site / "index.html").is_file() for site in sites):
        print("bench: no built site in _build/html; run `make book` for the Lighthouse table")
        return
    print("bench: Lighthouse, mobile preset, both editions served with gzip ...", flush=True)
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "lighthouse.py"), *map(str, sites)], check=True
    )


if __name__ == "__main__":
    main()
