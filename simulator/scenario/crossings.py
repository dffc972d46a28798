"""Which comparisons of a moving quantity with a constant a condition makes, and when they flip.

Readiness moves continuously and the clock runs, so a condition such as `readiness.bg >= 0.9`
or `day >= 3` changes value without any event. The engine therefore schedules a wake-up at each
instant such a comparison flips, computed here from the expression's syntax tree:

- a **crossing** is a relation (`<`, `<=`, `>=`, `>`, `==`, `!=`) between a moving quantity
  (`t`, `day`, `readiness.<unit>`, or `double(...)` of one) and a constant sub-expression (one
  that reads no state, such as `0.9`, `-1` or `24.0 * 3.0`), anywhere in the expression;
- a **loose read** is any other read of a moving quantity (`readiness.a + readiness.b > 1.2`,
  `t >= vars.deadline`): no instant can be computed for it, so the condition is re-checked only
  when something else it reads changes (for `day`, at every day boundary, which is exact).

A value reaches a constant *at* an instant and passes it just after: at the instant a unit
rising to 0.9 reaches it, `>= 0.9` and `== 0.9` hold; at the next representable instant
(`math.nextafter`), `> 0.9` holds and `== 0.9` no longer does. The engine makes the state at
both instants exact, so no floating-point round trip can put a value on the wrong side.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from simulator.scenario.cel_syntax import (
    Binary,
    Call,
    CelSyntaxError,
    Name,
    Node,
    Select,
    bound_name,
    children,
    parse,
)

COMPARISONS = ("<", "<=", ">=", ">", "==", "!=")
_FLIPPED = {"<": ">", "<=": ">=", ">=": "<=", ">": "<", "==": "==", "!=": "!="}
CLOCK = ("t", "day")
HOURS_PER_DAY = 24.0


@dataclass(frozen=True, slots=True, order=True)
class Crossing:
    """`quantity op value`, written with the moving quantity on the left."""

    quantity: str
    """`t`, `day` or `readiness.<unit>`."""
    op: str
    value: float


@dataclass(frozen=True, slots=True)
class MovingReads:
    """How an expression reads the quantities that change without events."""

    crossings: tuple[Crossing, ...] = ()
    loose: frozenset[str] = frozenset()
    """Moving quantities read other than in a crossing (`t`, `day`, `readiness.<unit>`)."""


NO_MOVING_READS = MovingReads()


def truth(op: str, relation: int) -> bool:
    """Whether `x op c` holds when x is below (-1), at (0) or above (+1) the constant c."""
    if op == "<":
        return relation < 0
    if op == "<=":
        return relation <= 0
    if op == ">=":
        return relation >= 0
    if op == ">":
        return relation > 0
    if op == "==":
        return relation == 0
    return relation != 0


def changes_on_reaching(ops: frozenset[str], before: int) -> bool:
    """Whether some comparison flips when the value arrives at the constant from `before`."""
    return any(truth(op, before) != truth(op, 0) for op in ops)


def changes_on_passing(ops: frozenset[str], after: int) -> bool:
    """Whether some comparison flips when the value leaves the constant toward `after`."""
    return any(truth(op, 0) != truth(op, after) for op in ops)


ConstantValue = Callable[[str], object]
"""Evaluates a sub-expression that reads no state (the CEL runtime, so values match runs)."""


def analyse(source: str, constant: ConstantValue) -> MovingReads:
    """The crossings and loose reads of an expression that the CEL runtime accepted.

    An expression this parser cannot read counts every moving name it mentions as loose, which
    is the cautious reading (no wake-ups are scheduled for it, and `ttx validate` says so).
    """
    try:
        tree = parse(source)
    except CelSyntaxError:
        return MovingReads(loose=_mentions(source))
    found: list[Crossing] = []
    loose: set[str] = set()
    _walk(tree, source, frozenset(), constant, found, loose)
    return MovingReads(tuple(sorted(set(found))), frozenset(loose))


def _mentions(source: str) -> frozenset[str]:
    names = set(re.findall(r"(?<![\w.])(t|day)(?![\w])", source))
    names |= {f"readiness.{u}" for u in re.findall(r"readiness\s*\.\s*([a-z][a-z0-9_]*)", source)}
    return frozenset(names)


def _walk(
    node: Node,
    source: str,
    bound: frozenset[str],
    constant: ConstantValue,
    found: list[Crossing],
    loose: set[str],
) -> None:
    if isinstance(node, Binary) and node.op in COMPARISONS:
        crossing = _crossing(node, source, bound, constant)
        if crossing is not None:
            found.append(crossing)
            return
    quantity = _moving(node, bound)
    if quantity is not None:
        loose.add(quantity)
        return
    variable = bound_name(node)
    if variable is not None and isinstance(node, Call) and node.target is not None:
        _walk(node.target, source, bound, constant, found, loose)
        for arg in node.args[1:]:
            _walk(arg, source, bound | {variable}, constant, found, loose)
        return
    for child in children(node):
        _walk(child, source, bound, constant, found, loose)


def _crossing(
    node: Binary, source: str, bound: frozenset[str], constant: ConstantValue
) -> Crossing | None:
    left, right = _moving(node.left, bound), _moving(node.right, bound)
    if left is not None and right is None:
        value = _constant(node.right, source, constant)
        return None if value is None else Crossing(left, node.op, value)
    if right is not None and left is None:
        value = _constant(node.left, source, constant)
        return None if value is None else Crossing(right, _FLIPPED[node.op], value)
    return None


def _moving(node: Node, bound: frozenset[str]) -> str | None:
    """The moving quantity a node is, if it is exactly one (possibly converted to double)."""
    if isinstance(node, Name) and node.name in CLOCK and node.name not in bound:
        return node.name
    if (
        isinstance(node, Select)
        and isinstance(node.operand, Name)
        and node.operand.name == "readiness"
        and "readiness" not in bound
    ):
        return f"readiness.{node.field}"
    if isinstance(node, Call) and node.target is None and len(node.args) == 1:
        inner = _moving(node.args[0], bound)
        if node.function == "double" or (node.function == "int" and inner == "day"):
            return inner
    return None


def _constant(node: Node, source: str, constant: ConstantValue) -> float | None:
    """The value of a sub-expression that reads nothing, when it is a finite number."""
    if _reads_anything(node):
        return None
    try:
        value = constant(source[node.start : node.end])
    except (ValueError, TypeError, RuntimeError, ZeroDivisionError, OverflowError):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _reads_anything(node: Node) -> bool:
    if isinstance(node, Name):
        return True
    return any(_reads_anything(child) for child in children(node))


def clock_times(reads: MovingReads, duration: float) -> tuple[float, ...]:
    """Every instant in (0, duration] at which the expression's clock reads may change value.

    At hour zero every condition is evaluated anyway, so only later instants are listed.
    """
    times: set[float] = set()
    for crossing in reads.crossings:
        if crossing.quantity == "t":
            times |= _t_times(crossing, duration)
        elif crossing.quantity == "day":
            times |= _day_times(crossing, duration)
    if "day" in reads.loose:
        boundaries = math.floor(duration / HOURS_PER_DAY)
        times |= {HOURS_PER_DAY * k for k in range(1, boundaries + 1)}
    return tuple(sorted(t for t in times if 0.0 < t <= duration))


def _t_times(crossing: Crossing, duration: float) -> set[float]:
    c = crossing.value
    if c > duration:
        return set()
    ops = frozenset({crossing.op})
    times = set()
    if changes_on_reaching(ops, -1):
        times.add(c)
    passed = math.nextafter(c, math.inf)
    if changes_on_passing(ops, +1):
        times.add(passed)
    return times


def _day_times(crossing: Crossing, duration: float) -> set[float]:
    """Day d begins at 24 (d - 1) h; the comparison can only flip where d reaches or passes c."""
    c = crossing.value
    last_day = math.floor(duration / HOURS_PER_DAY) + 1
    if c > last_day + 1:
        return set()
    reach = max(2, math.ceil(c))
    passing = max(2, math.floor(c) + 1)
    times = set()
    for day in {reach, passing}:
        before = truth(crossing.op, _relation(day - 1, c))
        if before != truth(crossing.op, _relation(day, c)):
            times.add(HOURS_PER_DAY * (day - 1))
    return times


def _relation(value: float, constant: float) -> int:
    return (value > constant) - (value < constant)
