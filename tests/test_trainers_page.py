"""The "For trainers" page, both editions: its copy command gives a working copy of
the site, session plan B's data step is one the data checks accept, and it links
every slide deck of its edition."""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from ictstory.data import find_problems, load_figures

ROOT = Path(__file__).resolve().parents[1]
PAGES = {"en": ROOT / "chapters" / "trainers.md", "vi": ROOT / "vi" / "chapters" / "trainers.md"}


def _copy_commands() -> dict[str, str]:
    found = {}
    for edition, page in PAGES.items():
        lines = re.findall(r"^\s*(cp -\S+ _build/html \S+)\s*$", page.read_text("utf-8"), re.M)
        assert len(lines) == 1, f"{page}: one copy command expected, found {lines}"
        found[edition] = lines[0]
    return found


def test_the_documented_copy_command_gives_a_working_copy(tmp_path: Path, site_root: Path) -> None:
    """Copies the built site (``site_root``: a built-site test, not of the fast tier)."""
    commands = _copy_commands()
    assert commands["en"] == commands["vi"]
    link = ROOT / "_build" / "html"
    assert link.is_symlink(), "the premise: _build/html is a link to the latest build"
    site = link.resolve()
    command = commands["en"].split()
    target = tmp_path / "usb" / "ictstory-site"
    target.parent.mkdir()
    subprocess.run([*command[:-1], str(target)], cwd=ROOT, check=True)
    copied = {p.relative_to(target).as_posix() for p in target.rglob("*")}
    assert not [p for p in target.rglob("*") if p.is_symlink()]
    expected = {p.relative_to(site).as_posix() for p in site.rglob("*")}
    assert copied == expected
    for name in ("index.html", "en/index.html", "vi/chapters/trainers.html"):
        assert (target / name).read_bytes() == (site / name).read_bytes(), name
    # and the plain `cp -r` the page warns about copies only a link
    plain = tmp_path / "plain"
    subprocess.run(["cp", "-r", "_build/html", str(plain)], cwd=ROOT, check=True)
    assert plain.is_symlink()


@pytest.fixture()
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import shutil

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path / "data" / "datapackage.json"


def _plan_b_step(edition: str) -> str:
    text = PAGES[edition].read_text("utf-8")
    plan_b = text[
        text.index("## Session plan B" if edition == "en" else "## Kế hoạch buổi học B") :
    ]
    rows = [line for line in plan_b.splitlines() if "`value_corrected`" in line]
    assert len(rows) == 1, f"{edition}: plan B has no step that uses value_corrected"
    return rows[0]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_plan_b_corrects_a_figure_the_way_the_data_checks_accept(data_copy: Path) -> None:
    """The step as written: a reported figure keeps ``value`` and ``excerpt``, gets
    ``value_corrected`` and a ``note``: accepted, and the effective value moves. The
    deliberate mistake it then asks for (the correction typed over ``value``) is
    refused with a message."""
    for edition in PAGES:
        step = _plan_b_step(edition)
        assert "`note`" in step and "`value`" in step and "`excerpt`" in step
        assert "make book" not in step  # participants have no book builder
    assert "python -m ictstory.data" in _plan_b_step("en")
    assert "python -m ictstory.data" in _plan_b_step("vi")
    table = data_copy.parent / "figures.csv"
    rows = _rows(table)
    row = next(
        r
        for r in rows
        if r["kind"] == "reported"
        and r["value"]
        and not r["value_corrected"]
        and not r["value_high"]
    )
    stated = float(row["value"])
    corrected = f"{stated * 1.1 + 1:g}"
    row["value_corrected"] = corrected
    row["note"] = (row["note"] + " " if row["note"] else "") + "Corrected in the workshop."
    _write(table, rows)
    assert find_problems(data_copy) == []
    effective = load_figures(data_copy).set_index("figure_id").loc[row["figure_id"], "value"]
    assert effective == pytest.approx(float(corrected))
    # the mistake: typed over value
    row["value"], row["value_corrected"] = corrected, ""
    _write(table, rows)
    line = next(i for i, r in enumerate(rows, start=2) if r is row)
    problems = [str(p) for p in find_problems(data_copy)]
    assert [p for p in problems if f"line {line}, column 'value'" in p], problems


@pytest.mark.parametrize("edition", ["en", "vi"])
def test_the_trainers_page_links_every_deck(site_root: Path, edition: str) -> None:
    page = site_root / edition / "chapters" / "trainers.html"
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    linked = set()
    for anchor in soup.select("article a[href]"):
        href = str(anchor["href"]).split("#")[0]
        if "slides/" in href:
            target = (page.parent / href).resolve()
            assert target.is_file(), f"{edition}: {href} does not resolve"
            chapter = site_root / edition / "chapters" / target.name
            heading = BeautifulSoup(chapter.read_text("utf-8"), "html.parser").h1
            assert heading and anchor.get_text() == heading.get_text().strip("#¶ \n")
            linked.add(target)
    decks = {p.resolve() for p in (site_root / edition / "slides").glob("*.html")}
    assert decks, "no decks built"
    assert linked == decks
