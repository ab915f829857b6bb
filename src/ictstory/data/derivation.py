"""Derived figures: arithmetic over other figures, computed whenever data is loaded.

A derived row of ``data/figures.csv`` (``kind`` = ``derived``) stores no value,
only a ``derivation`` such as ``F026 + F028`` or ``F016 / F017 / 1000``: numbers,
figure ids, ``+ - * /`` and parentheses. :func:`parse` reads one safely (an
``ast`` walk, never ``eval``); :func:`compute` evaluates all of them over the
effective values of the other figures, derived figures of derived figures in
dependency order, and reports every derivation that does not parse, names a
missing figure, is circular, divides by zero or overflows to infinity.
:func:`display_round` gives a
computed value the precision it is shown with.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

#: A figure id as the descriptor's pattern has it: F001 ... F999, F1000 ...
FIGURE_ID = re.compile(r"F(?:[0-9]{3}|[1-9][0-9]{3,})")
#: Significant digits of a derived value whose row gives no ``decimals``.
SIGNIFICANT = 3
#: The longest derivation accepted (real ones are a few figure ids long).
MAX_LENGTH = 500
ALLOWED = "figure ids, numbers, + - * / and parentheses"

_OPERATORS: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_SYMBOLS = {ast.Pow: "**", ast.FloorDiv: "//", ast.Mod: "%"}


class DerivationError(ValueError):
    """A derivation that cannot be computed; ``offset`` is its 0-based character, if known."""

    def __init__(self, message: str, offset: int | None = None) -> None:
        self.offset = offset
        where = f"at character {offset + 1}: " if offset is not None else ""
        super().__init__(where + message)


def parse(expression: str) -> ast.Expression:
    """The syntax tree of a derivation; :class:`DerivationError` unless it is plain arithmetic.

    Offsets in errors count characters of ``expression`` as written (spaces included).
    """
    text = expression.strip()
    lead = len(expression) - len(expression.lstrip())
    if not text:
        raise DerivationError(f"the derivation is empty; write it with {ALLOWED}")
    if len(text) > MAX_LENGTH:
        raise DerivationError(
            f"the derivation is {len(text):,} characters long; keep it under {MAX_LENGTH} "
            "(split it into derived figures that use each other)"
        )
    try:
        tree = ast.parse(text, mode="eval")
    except (RecursionError, MemoryError):
        raise DerivationError(
            "nested too deeply; write it with fewer parentheses and signs"
        ) from None
    except SyntaxError as exc:
        offset = min(exc.offset - 1, len(text) - 1) + lead if exc.offset else None
        raise DerivationError(
            f"not an arithmetic expression ({exc.msg}); write it with {ALLOWED}", offset
        ) from None
    for node in ast.walk(tree.body):
        _check_node(node, text, lead)
    return tree


def _check_node(node: ast.AST, text: str, lead: int) -> None:
    """Raise unless ``node`` is allowed in a derivation."""
    offset = getattr(node, "col_offset", None)
    offset = offset + lead if offset is not None else None
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _OPERATORS:
            symbol = _SYMBOLS.get(type(node.op), type(node.op).__name__)
            gap = text[node.left.end_col_offset or 0 : node.right.col_offset]
            at = (node.left.end_col_offset or 0) + max(gap.find(symbol), 0) + lead
            raise DerivationError(f"{symbol!r} is not allowed; use {ALLOWED}", at)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.USub | ast.UAdd):
            raise DerivationError(f"this operator is not allowed; use {ALLOWED}", offset)
    elif isinstance(node, ast.Constant):
        if type(node.value) not in (int, float):
            raise DerivationError(f"{node.value!r} is not a number", offset)
        if not math.isfinite(_as_float(node.value)):
            raise DerivationError(
                "this number is too large (it would be read as infinity); "
                "check for a few zeros too many",
                offset,
            )
    elif isinstance(node, ast.Name):
        if not FIGURE_ID.fullmatch(node.id):
            raise DerivationError(f"{node.id!r} is not a figure id (F001, F1000, ...)", offset)
    elif not isinstance(node, ast.operator | ast.unaryop | ast.expr_context):
        raise DerivationError(f"{type(node).__name__} is not allowed; use {ALLOWED}", offset)


def _as_float(value: float) -> float:
    """``float(value)``, infinity for an integer too large for a float."""
    try:
        return float(value)
    except OverflowError:
        return math.inf


def references(expression: str) -> list[tuple[str, int]]:
    """(figure id, 0-based character) of every figure a derivation uses, in order."""
    lead = len(expression) - len(expression.lstrip())
    names = [n for n in ast.walk(parse(expression)) if isinstance(n, ast.Name)]
    return sorted(((n.id, n.col_offset + lead) for n in names), key=lambda item: item[1])


def evaluate(expression: str, values: Mapping[str, float]) -> float:
    """The value of a derivation over ``values``; :class:`DerivationError` on a bad
    expression, a missing figure, a division by zero or a result too large for a float."""
    text = expression.strip()
    lead = len(expression) - len(expression.lstrip())

    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.BinOp):
            left, right = walk(node.left), walk(node.right)
            if isinstance(node.op, ast.Div) and right == 0:
                divisor = ast.get_source_segment(text, node.right) or "the divisor"
                raise DerivationError(
                    f"division by zero: {divisor} is 0", node.right.col_offset + lead
                )
            result = _OPERATORS[type(node.op)](left, right)
            if not math.isfinite(result):
                raise DerivationError(
                    f"the result overflows to infinity ({left:.6g} and {right:.6g}); "
                    "check the figures it uses for a wrong unit or a few zeros too many",
                    node.col_offset + lead,
                )
            return result
        if isinstance(node, ast.UnaryOp):
            value = walk(node.operand)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.Constant):
            return _as_float(node.value)
        if isinstance(node, ast.Name):
            if node.id not in values:
                raise DerivationError(
                    f"{node.id} is not a figure_id in data/figures.csv", node.col_offset + lead
                )
            return float(values[node.id])
        raise DerivationError(f"{type(node).__name__} is not allowed; use {ALLOWED}")

    return walk(parse(expression).body)


@dataclass(frozen=True)
class Failure:
    """Why one derived figure could not be computed."""

    figure_id: str
    error: DerivationError


def _cycle_text(cycle: list[str], start: str) -> str:
    """``["A", "B"]`` from ``"B"`` -> "B → A → B"."""
    i = cycle.index(start)
    turn = cycle[i:] + cycle[:i]
    return " → ".join([*turn, start])


def compute(
    derivations: Mapping[str, str], values: Mapping[str, float]
) -> tuple[dict[str, float], list[Failure]]:
    """Every derived figure computed from ``values`` (the effective values of the others).

    Derived figures may use derived figures: each is computed after what it
    uses. Returns the computed values (full precision) and a :class:`Failure`
    for each derivation that does not parse, names an unknown figure, is part of
    a cycle, divides by zero or uses a figure that failed.
    """
    uses: dict[str, list[tuple[str, int]]] = {}
    failures: dict[str, DerivationError] = {}
    for fid, expression in derivations.items():
        try:
            uses[fid] = references(expression)
        except DerivationError as exc:
            failures[fid] = exc
    known = set(values) | set(derivations)
    computed: dict[str, float] = {}
    resolved = dict(values)  # the values, and each derived one once it is computed
    state: dict[str, str] = {}  # "active" while on the stack, then "done"

    def visit(fid: str, path: list[str]) -> None:
        if state.get(fid) == "done":
            return
        if state.get(fid) == "active":
            cycle = path[path.index(fid) :]
            for member in cycle:
                failures.setdefault(
                    member,
                    DerivationError(
                        f"circular derivation: {_cycle_text(cycle, member)}; "
                        "a derived figure cannot depend on itself"
                    ),
                )
            return
        state[fid] = "active"
        for ref, offset in uses.get(fid, []):
            if ref not in known:
                failures.setdefault(
                    fid, DerivationError(f"{ref} is not a figure_id in data/figures.csv", offset)
                )
            elif ref in derivations:
                visit(ref, [*path, fid])
                if ref in failures and fid not in failures:
                    failures[fid] = DerivationError(
                        f"it uses {ref}, whose derivation fails (see that row)", offset
                    )
        if fid not in failures:
            try:
                computed[fid] = resolved[fid] = evaluate(derivations[fid], resolved)
            except DerivationError as exc:
                failures[fid] = exc
        state[fid] = "done"

    for fid in derivations:
        visit(fid, [])
    return (
        {fid: v for fid, v in computed.items() if fid not in failures},
        [Failure(fid, failures[fid]) for fid in derivations if fid in failures],
    )


def display_round(value: float, decimals: int | None = None) -> float:
    """A computed value at the precision it is shown with.

    ``decimals`` places when given; otherwise :data:`SIGNIFICANT` significant
    digits, never fewer than the whole units (``23.5818`` -> 23.6, ``0.058462`` ->
    0.0585, ``1234.5`` -> 1234.0). Never ``-0.0``.
    """
    if decimals is None:
        if value == 0 or not math.isfinite(value):
            return value + 0.0
        decimals = max(0, SIGNIFICANT - 1 - math.floor(math.log10(abs(value))))
    return round(value, decimals) + 0.0
