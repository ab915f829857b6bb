"""Fuzz the data check: whatever a file of data/ holds, no traceback.

For every table of the descriptor (and the descriptor and a source text), a
seeded random generator makes broken versions of the file: random bytes,
truncations, flipped bytes, a huge field, stray quotes and separators, other
encodings (UTF-16 with and without a byte-order mark, UTF-32, Latin-1,
Windows-1258, UTF-8 with a BOM; three a file, taking turns), an empty file, the
header alone. Each is checked in a copy of data/ as
``make data`` checks it; the input must be either accepted (and then every
table loads, derived figures included, as a build loads them) or refused with
problems that each name a file. Any exception is a failure.

``ICTSTORY_FUZZ_CASES`` (default 1) is the number of cases per file and random
kind (above 1, every encoding for every file); ``ICTSTORY_FUZZ_SEED`` changes
the seed. About 100 checks by default.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import ROOT

from ictstory.data import _read_table, find_problems, load_figures

CASES = int(os.environ.get("ICTSTORY_FUZZ_CASES", "1"))
SEED = int(os.environ.get("ICTSTORY_FUZZ_SEED", "18"))
DESCRIPTOR = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
TABLES = [r["path"] for r in DESCRIPTOR["resources"]]
SOURCE_TEXT = "sources/" + sorted(p.name for p in (ROOT / "data" / "sources").glob("*.txt"))[0]

FILES = [*TABLES, "datapackage.json", SOURCE_TEXT]

Mutation = Callable[[random.Random, bytes], bytes]


def random_bytes(rng: random.Random, raw: bytes) -> bytes:
    return rng.randbytes(rng.randint(0, 3000))


def truncated(rng: random.Random, raw: bytes) -> bytes:
    return raw[: rng.randint(0, len(raw))]


def flipped(rng: random.Random, raw: bytes) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 8)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def structural(rng: random.Random, raw: bytes) -> bytes:
    """Quotes, separators, line breaks and NULs at random places."""
    data = bytearray(raw)
    for _ in range(rng.randint(1, 6)):
        data[rng.randrange(len(data)) : rng.randrange(len(data))] = rng.choice(
            [b'"', b",", b";", b"\n", b"\r", b"\x00", b'""', b",,,", b"\n\n", b"\xef\xbb\xbf"]
        )
    return bytes(data)


def huge_field(rng: random.Random, raw: bytes) -> bytes:
    """One cell (or the end of the file) replaced by a field of up to a million characters."""
    filler = rng.choice(["9", "-", "a", "ệ", "(", "F001+", '"', "1e", " "])
    field = (filler * (rng.randint(100_000, 1_000_000) // len(filler))).encode()
    lines = raw.split(b"\n")
    line = rng.randrange(len(lines))
    cells = lines[line].split(b",")
    cells[rng.randrange(len(cells))] = field
    lines[line] = b",".join(cells)
    return b"\n".join(lines)


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


ENCODINGS: dict[str, Mutation] = {
    "utf-16": lambda rng, raw: _text(raw).encode("utf-16"),
    "utf-16-le": lambda rng, raw: _text(raw).encode("utf-16-le"),
    "utf-32": lambda rng, raw: _text(raw).encode("utf-32"),
    "latin-1": lambda rng, raw: _text(raw).encode("latin-1", errors="replace"),
    "cp1258": lambda rng, raw: _text(raw).encode("cp1258", errors="replace"),
    "utf-8-bom": lambda rng, raw: b"\xef\xbb\xbf" + raw,
    "empty": lambda rng, raw: b"",
    "header only": lambda rng, raw: raw.split(b"\n")[0],
}
RANDOM: dict[str, Mutation] = {
    "random bytes": random_bytes,
    "truncated": truncated,
    "flipped bytes": flipped,
    "structural": structural,
    "huge field": huge_field,
}


def cases(path: str) -> Iterator[tuple[str, Mutation, int]]:
    """Three encodings a file (all with more cases), taking turns; each random kind."""
    turn = FILES.index(path) * 3
    names = list(ENCODINGS)
    chosen = names if CASES > 1 else [names[(turn + i) % len(names)] for i in range(3)]
    for name in chosen:
        yield name, ENCODINGS[name], 0
    for name, mutation in RANDOM.items():
        for number in range(CASES):
            yield name, mutation, number


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of data/ for the module; each case restores the file it broke."""
    target = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def check(descriptor: Path) -> list[str]:
    """What ``make data`` and a build do: the problems, or every table loaded."""
    problems = find_problems(descriptor)
    if not problems:
        for resource in DESCRIPTOR["resources"]:
            _read_table(resource["name"], descriptor)
        load_figures(descriptor)
    return [str(p) for p in problems]


def names(message: str, path: str) -> bool:
    """Whether a problem names the file: as its place, or as the table a key looks up."""
    stem = Path(path).stem
    return f"data/{path}" in message or f'lookup table "{stem}"' in message


@pytest.mark.parametrize("path", FILES)
def test_no_input_gives_a_traceback(
    path: str, data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    target = data / path
    original = (ROOT / "data" / path).read_bytes()
    failures: list[str] = []
    seen: set[bytes] = set()
    try:
        for name, mutation, number in cases(path):
            rng = random.Random(f"{SEED} {path} {name} {number}")
            broken = mutation(rng, original)
            if broken in seen:
                continue
            seen.add(broken)
            target.write_bytes(broken)
            label = f"{path}, {name} #{number} (seed {SEED})"
            try:
                messages = check(data / "datapackage.json")
            except Exception as exc:  # noqa: BLE001 - the point of the test
                failures.append(f"{label}: {type(exc).__name__}: {str(exc)[:300]}")
                continue
            unnamed = [m for m in messages if not m.startswith("data/")]
            if unnamed:
                failures.append(f"{label}: a problem names no file: {unnamed[0][:300]}")
            if messages and not any(names(m, path) for m in messages):
                failures.append(f"{label}: refused without naming it: {messages[0][:300]}")
    finally:
        target.write_bytes(original)
    assert failures == []
