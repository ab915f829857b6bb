"""The package shows the pipeline: its imports point one way (issue 19, point 3).

Sub-packages by the process they run in, lowest first: the basics at the top
(``paths``, ``i18n``, ``editions``, ``sitelock``), ``data``, ``story`` (a chapter's
kernel), ``trainers``, ``site`` (Sphinx), ``build``. A module imports only from its
own layer or from below. Read with :mod:`ast` from the sources (no import, no build):
every ``import``, top-level or inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
LAYERS = ["(top)", "data", "story", "trainers", "site", "build"]
#: Outside libraries a layer never imports.
FORBIDDEN_LIBRARIES = {
    "data": {"altair", "vl_convert", "sphinx", "docutils", "myst_nb", "jupyter_book"},
    "story": {"sphinx", "docutils", "jupyter_book"},  # myst_nb.glue runs in the kernel
}
#: Imports that point the wrong way today, each with its reason. Keep this short.
KNOWN_UPWARDS = {
    # [[F209]] in data text is worded as a glued number is; that wording lives in
    # prose, which is being reworked (chapter API) and is split out of it after that.
    ("ictstory.data.textrefs", "ictstory.story.prose"),
}


def module_name(path: Path, src: Path) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, name: str, modules: set[str]) -> set[str]:
    """Every module this file imports (``from pkg import sub`` is the module ``pkg.sub``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            subs = {f"{base}.{alias.name}" for alias in node.names} & modules
            found.update(subs or {base})
    return found


def graph(src: Path = SRC) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(module -> the package's modules it imports, module -> outside top-level packages)."""
    files = {module_name(p, src): p for p in sorted((src / "ictstory").rglob("*.py"))}
    inside: dict[str, set[str]] = {}
    outside: dict[str, set[str]] = {}
    for name, path in files.items():
        found = imports(path, name, set(files))
        inside[name] = {m for m in found if m in files and m != name and m != "ictstory"}
        outside[name] = {m.split(".")[0] for m in found if not m.startswith("ictstory")}
    return inside, outside


def layer(module: str) -> str:
    part = module.split(".")[1] if module.count(".") else ""
    return part if part in LAYERS else "(top)"


def upward_imports(inside: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{a} imports {b}"
        for a, targets in inside.items()
        for b in targets
        if LAYERS.index(layer(b)) > LAYERS.index(layer(a)) and (a, b) not in KNOWN_UPWARDS
    )


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def without_known(inside: dict[str, set[str]]) -> dict[str, set[str]]:
    return {a: {b for b in bs if (a, b) not in KNOWN_UPWARDS} for a, bs in inside.items()}


@pytest.fixture(scope="module")
def package() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    return graph()


def test_imports_point_down_the_pipeline(package: tuple) -> None:
    inside, _ = package
    assert upward_imports(inside) == []


def test_known_upward_imports_still_exist(package: tuple) -> None:
    """An exception that is no longer needed is removed from the list."""
    inside, _ = package
    assert all(b in inside.get(a, set()) for a, b in KNOWN_UPWARDS)


@pytest.mark.parametrize("low", sorted(FORBIDDEN_LIBRARIES))
def test_lower_layers_do_not_import_charts_or_sphinx(package: tuple, low: str) -> None:
    _, outside = package
    wrong = {m: outside[m] & FORBIDDEN_LIBRARIES[low] for m in outside if layer(m) == low}
    assert {m: libs for m, libs in wrong.items() if libs} == {}


def test_nothing_in_the_package_imports_tools(package: tuple) -> None:
    _, outside = package
    assert [m for m, libs in outside.items() if "tools" in libs] == []


def test_no_import_cycles_between_modules(package: tuple) -> None:
    inside, _ = package
    assert cycles(without_known(inside)) == []


def test_no_import_cycles_between_sub_packages(package: tuple) -> None:
    inside, _ = package
    edges: dict[str, set[str]] = {}
    for a, targets in without_known(inside).items():
        edges.setdefault(layer(a), set()).update(layer(b) for b in targets if layer(b) != layer(a))
    assert cycles(edges) == []


def test_the_check_catches_a_planted_import(tmp_path: Path) -> None:
    """data importing a chart module, and a cycle, are both found."""
    pkg = tmp_path / "ictstory"
    for folder in ("data", "story"):
        (pkg / folder).mkdir(parents=True)
        (pkg / folder / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "data" / "tables.py").write_text("def f():\n    from ictstory.story import charts\n")
    (pkg / "story" / "charts.py").write_text("import altair\nfrom ictstory.data import tables\n")
    inside, outside = graph(tmp_path)
    assert upward_imports(inside) == ["ictstory.data.tables imports ictstory.story.charts"]
    assert cycles(inside) == [["ictstory.data.tables", "ictstory.story.charts"]]
    assert outside["ictstory.story.charts"] == {"altair"}
