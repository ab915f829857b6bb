"""Licence record of the direct dependencies: ``make pins`` writes LICENSES.csv with it.

``python tools/licences.py requirements.in > LICENSES.csv``, run by the Python of a
venv into which requirements.txt was installed, prints one CSV row per package
named in requirements.in: name, pinned (installed) version, licence and homepage,
read from the installed package metadata (importlib.metadata).
"""

from __future__ import annotations

import csv
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

# Trove classifiers and free-text licence names, as SPDX identifiers.
SPDX = {
    "apache software license": "Apache-2.0",
    "apache 2.0": "Apache-2.0",
    "apache-2.0": "Apache-2.0",
    "apache license 2.0": "Apache-2.0",
    "apache license, version 2.0": "Apache-2.0",
    "new bsd": "BSD-3-Clause",
    "new bsd license": "BSD-3-Clause",
    "bsd 3-clause license": "BSD-3-Clause",
    "bsd-3-clause": "BSD-3-Clause",
    "3-clause bsd license": "BSD-3-Clause",
    "modified bsd license": "BSD-3-Clause",
    "mit license": "MIT",
    "mit": "MIT",
    "python software foundation license": "PSF-2.0",
    "mozilla public license 2.0 (mpl 2.0)": "MPL-2.0",
    "isc license (iscl)": "ISC",
}


def direct_dependencies(requirements_in: Path) -> list[str]:
    """The package names of requirements.in, in file order."""
    names = []
    for line in requirements_in.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(Requirement(line).name)
    return names


def licence(meta: metadata.PackageMetadata) -> str:
    """An SPDX-style licence: License-Expression, else a short License field, else classifiers."""
    expression = (meta.get("License-Expression") or "").strip()
    if expression:
        return expression
    text = (meta.get("License") or "").strip()
    if text and "\n" not in text and len(text) <= 60 and text.upper() != "UNKNOWN":
        return SPDX.get(text.lower(), text)
    classifiers = [
        c.split("::")[-1].strip()
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::") and c != "License :: OSI Approved"
    ]
    if classifiers:
        names = [_bsd(c, text) if "BSD" in c else SPDX.get(c.lower(), c) for c in classifiers]
        return " OR ".join(names)
    if text:  # the licence's full text: its first line names it
        first = text.splitlines()[0].strip()
        return SPDX.get(first.lower(), first)
    return ""


def _bsd(classifier: str, text: str) -> str:
    """The classifier says only BSD: the licence text, when shipped, tells which clauses."""
    if "Neither the name" in text:
        return "BSD-3-Clause"
    if "Redistribution and use" in text:
        return "BSD-2-Clause"
    return classifier


def homepage(meta: metadata.PackageMetadata) -> str:
    """Home-page, else the first of the Homepage/Source/Repository/Documentation URLs."""
    if (meta.get("Home-page") or "").strip():
        return meta["Home-page"].strip()
    urls = {}
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        urls.setdefault(label.strip().lower().replace(" ", "").replace("-", ""), url.strip())
    for label in ("homepage", "home", "source", "sourcecode", "repository", "documentation"):
        if urls.get(label):
            return urls[label]
    return next(iter(urls.values()), "")


def main() -> None:
    """Print LICENSES.csv for the requirements.in named on the command line."""
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["name", "version", "licence", "homepage"])
    for name in sorted(direct_dependencies(Path(sys.argv[1])), key=canonicalize_name):
        meta = metadata.metadata(name)
        found = licence(meta)
        if not found:
            sys.exit(f"licences: no licence in the metadata of {name}: add it to tools/licences.py")
        writer.writerow([canonicalize_name(name), meta["Version"], found, homepage(meta)])


if __name__ == "__main__":
    main()
