"""The supply chain: hashed pins, consistent build requirements, a licence record.

requirements.txt (written by ``make pins``) pins every package with its hashes,
pip and setuptools included; setuptools satisfies pyproject's [build-system];
every direct dependency of requirements.in is pinned and has a licence in
LICENSES.csv; and the running venv has what requirements.txt pins.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import sys
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
HASH = re.compile(r"--hash=sha256:([0-9a-f]{64})$")


@dataclass(frozen=True)
class Pin:
    """One requirement of requirements.txt: name==version, its marker and hashes."""

    line: str
    requirement: Requirement
    hashes: tuple[str, ...]

    @property
    def name(self) -> str:
        return canonicalize_name(self.requirement.name)

    @property
    def version(self) -> Version:
        (spec,) = self.requirement.specifier
        return Version(spec.version)

    def applies(self) -> bool:
        """Whether pip installs this line on the running Python."""
        marker = self.requirement.marker
        return marker is None or marker.evaluate()


def parse_requirements_txt(text: str) -> list[Pin]:
    """Every requirement of a requirements.txt, continuation lines joined."""
    joined = re.sub(r"\\\n", " ", text)
    pins = []
    for raw in joined.splitlines():
        line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        words = line.split()
        first_option = next((i for i, w in enumerate(words) if w.startswith("-")), len(words))
        requirement = " ".join(words[:first_option])
        options = words[first_option:]
        hashes = tuple(m.group(1) for w in options if (m := HASH.fullmatch(w)))
        assert requirement, f"an option line, not a requirement: {line!r}"
        assert len(hashes) == len(options), f"options other than --hash=sha256: in {line!r}"
        pins.append(Pin(line, Requirement(requirement), hashes))
    return pins


def direct_dependencies() -> list[Requirement]:
    lines = (ROOT / "requirements.in").read_text(encoding="utf-8").splitlines()
    return [Requirement(s) for line in lines if (s := line.split("#", 1)[0].strip())]


@pytest.fixture(scope="module")
def pins() -> list[Pin]:
    return parse_requirements_txt((ROOT / "requirements.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def licences() -> dict[str, dict[str, str]]:
    with (ROOT / "LICENSES.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {canonicalize_name(row["name"]): row for row in rows}


def pinned(pins: list[Pin], name: str) -> list[Pin]:
    return [p for p in pins if p.name == canonicalize_name(name)]


def exact_pin_problems(pin: Pin) -> list[str]:
    """What keeps a requirement from being an exact, hash-checked pin."""
    specs = list(pin.requirement.specifier)
    problems = []
    if len(specs) != 1 or specs[0].operator != "==" or "*" in specs[0].version:
        problems.append(f"not name==version: {pin.line}")
    if pin.requirement.url or pin.requirement.extras:
        problems.append(f"a URL or extras: {pin.line}")
    if not pin.hashes:
        problems.append(f"no --hash=sha256: for {pin.line}")
    return problems


def test_the_checks_catch_unpinned_and_unhashed_lines() -> None:
    good = "six==1.17.0 \\\n    --hash=sha256:" + "a" * 64 + "\n    # via x\n"
    (pin,) = parse_requirements_txt(good)
    assert (pin.name, str(pin.version), exact_pin_problems(pin)) == ("six", "1.17.0", [])
    for bad in ("six>=1.17 --hash=sha256:" + "a" * 64, "six==1.17.0", "six==1.*"):
        (pin,) = parse_requirements_txt(bad + "\n")
        assert exact_pin_problems(pin), bad
    for bad in ("six==1.17.0 --hash=md5:abc", "--index-url https://example.invalid/simple"):
        with pytest.raises(AssertionError):
            parse_requirements_txt(bad + "\n")


def test_every_requirement_is_pinned_exactly_with_hashes(pins: list[Pin]) -> None:
    assert len(pins) > 100, "requirements.txt lost its transitive pins"
    problems = [problem for pin in pins for problem in exact_pin_problems(pin)]
    assert not problems, "\n".join(problems)


def test_one_pin_per_package_and_python(pins: list[Pin]) -> None:
    applying = [p.name for p in pins if p.applies()]
    doubles = sorted({n for n in applying if applying.count(n) > 1})
    assert not doubles, f"two pins apply on this Python for {doubles}"


def test_pip_and_setuptools_are_pinned(pins: list[Pin]) -> None:
    for name in ("pip", "setuptools"):
        assert pinned(pins, name), f"{name} is not pinned in requirements.txt"


def test_pinned_build_requirements_satisfy_pyproject(pins: list[Pin]) -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    requires = [Requirement(r) for r in pyproject["build-system"]["requires"]]
    assert requires, "pyproject.toml has no build-system requires"
    for requirement in requires:
        found = pinned(pins, requirement.name)
        assert found, f"build requirement {requirement} is not pinned in requirements.txt"
        for pin in found:
            assert requirement.specifier.contains(pin.version, prereleases=True), (
                f"requirements.txt: {pin.line.split()[0]}; pyproject.toml: {requirement}"
            )


def test_direct_dependencies_are_pinned_within_requirements_in(pins: list[Pin]) -> None:
    direct = direct_dependencies()
    assert {"jupyterlab", "jupytext", "pip", "setuptools"} <= {
        canonicalize_name(r.name) for r in direct
    }
    for requirement in direct:
        found = pinned(pins, requirement.name)
        assert found, f"{requirement.name} (requirements.in) is not in requirements.txt"
        for pin in found:
            assert requirement.specifier.contains(pin.version, prereleases=True), (
                f"{pin.line.split()[0]} is outside requirements.in's {requirement}"
            )


def test_every_direct_dependency_has_a_licence_record(
    pins: list[Pin], licences: dict[str, dict[str, str]]
) -> None:
    direct = {canonicalize_name(r.name) for r in direct_dependencies()}
    assert set(licences) == direct, "LICENSES.csv and requirements.in name different packages"
    for name, row in licences.items():
        assert row["licence"].strip(), f"no licence recorded for {name}"
        assert row["homepage"].startswith("https://"), f"no homepage recorded for {name}"
        versions = {str(p.version) for p in pinned(pins, name)}
        assert row["version"] in versions, (
            f"LICENSES.csv records {name} {row['version']}, requirements.txt pins {versions}: "
            "run make pins"
        )


def test_running_venv_has_the_pinned_versions(pins: list[Pin]) -> None:
    direct = {canonicalize_name(r.name) for r in direct_dependencies()}
    applying = [p for p in pins if p.applies()]
    assert direct <= {p.name for p in applying}
    wrong = []
    for pin in applying:
        try:
            installed = metadata.version(pin.name)
        except metadata.PackageNotFoundError:
            installed = "not installed"
        if installed == "not installed" or Version(installed) != pin.version:
            wrong.append(f"{pin.name}: pinned {pin.version}, installed {installed}")
    assert not wrong, "the venv differs from requirements.txt (make setup):\n" + "\n".join(wrong)


def test_venv_stamp_names_this_python_and_the_current_inputs() -> None:
    venv = ROOT / ".venv"
    if Path(sys.prefix).resolve() != venv.resolve():
        pytest.skip("not running in the project's .venv")
    stamp = (venv / ".installed").read_text(encoding="utf-8").splitlines()
    data = b"".join((ROOT / f).read_bytes() for f in ("requirements.txt", "pyproject.toml"))
    version = "{}.{}".format(*sys.version_info[:2])
    assert stamp == [
        f"python {version} {os.path.realpath(sys.executable)}",
        "inputs sha256:" + hashlib.sha256(data).hexdigest(),
    ]


def test_makefile_installs_hash_checked() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    pins = (
        "install $(PIP_SOURCE) --require-hashes --progress-bar $(PROGRESS_BAR) -r requirements.txt"  # noqa: E501
    )
    assert pins in makefile
    assert "--no-deps --no-build-isolation -e ." in makefile
    assert "--generate-hashes" in makefile and "--universal" in makefile
