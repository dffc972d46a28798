"""Conditions and probabilities: CEL expressions compiled and type-checked at load time.

CEL (the Common Expression Language) is not Turing-complete, has no I/O and cannot reach
Python objects, so a scenario file cannot make the program do anything but compute a value.

The names an expression can read (the exercise state) are:

| name                 | type   | meaning                                                  |
|----------------------|--------|----------------------------------------------------------|
| `t`                  | double | hours since the exercise start                           |
| `day`                | int    | exercise day, 1 on the first day                          |
| `vars.<id>`          | double | a state variable                                         |
| `alert.<scope>`      | int    | a scope's alert level, as its rung (0 = lowest)          |
| `level.<id>`         | int    | the rung of a level, for comparisons: `alert.nato >= level.high` |
| `readiness.<unit>`   | double | a unit's readiness, 0 to 1                               |
| `fired.<inject>`     | bool   | whether the inject has been delivered                    |
| `chosen.<decision>`  | string | the option chosen at a decision point, `""` before       |
| `chem.used`          | bool   | whether the adversary has used chemical weapons          |
| `chem.evaluations`   | int    | how many times its decision point was evaluated          |
| `chem.uses`          | int    | how many evaluations came out as use (`once: false`)     |
| `chem.band`          | string | the consequence band of the latest use, `""` before      |
| `chem.displaced`     | int    | the displaced count of that band, 0 before               |
| `chem.affected`      | list   | nation ids that band affects: `'poland' in chem.affected` |

CEL does not mix int and double in arithmetic: write `vars.tension * 2.0`, or `double(day)`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Literal

from simulator.scenario.cel_runtime import cel
from simulator.scenario.crossings import NO_MOVING_READS, MovingReads, analyse
from simulator.scenario.models import Scenario
from simulator.scenario.suggest import did_you_mean

Expect = Literal["bool", "number", "number_or_bool", "string"]

NAMESPACES = ("vars", "alert", "level", "readiness", "fired", "chosen", "chem")
SCALARS = ("t", "day")
CHEM_FIELDS: dict[str, bool | int | str | list[str]] = {
    "used": False,
    "evaluations": 0,
    "uses": 0,
    "band": "",
    "displaced": 0,
    "affected": [],
}

_MEMBER = re.compile(r"(?<![\w.])([a-z_][a-z0-9_]*)\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)")
_PARSE_ERROR = re.compile(r"<input>:\d+:(\d+): (?:Syntax error: )?(.*?)(?: expecting \{.*)?$")
_MACRO_OR_PAREN = re.compile(r"\.\s*(?:all|exists_one|exists|map|filter)\s*\(|[()]")
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


_LITERAL = r"""['"](?P<literal>[a-z][a-z0-9_]*)['"]"""
_LITERAL_PATTERNS = (
    (re.compile(rf"chosen\.(?P<decision>[a-z][a-z0-9_]*)\s*(?:==|!=)\s*{_LITERAL}"), "option"),
    (re.compile(rf"{_LITERAL}\s*(?:==|!=)\s*chosen\.(?P<decision>[a-z][a-z0-9_]*)"), "option"),
    (re.compile(rf"chem\.band\s*(?:==|!=)\s*{_LITERAL}"), "band"),
    (re.compile(rf"{_LITERAL}\s*(?:==|!=)\s*chem\.band"), "band"),
    (re.compile(rf"{_LITERAL}\s+in\s+chem\.affected"), "nation"),
)


def _literal_ids(scenario: Scenario) -> dict[str, tuple[str, ...]]:
    ids: dict[str, tuple[str, ...]] = {
        d.id: tuple(o.id for o in d.options) for d in scenario.decisions
    }
    ids["band"] = tuple(b.id for b in scenario.chemical_use.bands) if scenario.chemical_use else ()
    ids["nation"] = tuple(n.id for n in [*scenario.actors.nations, *scenario.actors.partners])
    return ids


def _type_problem(error: BaseException) -> str:
    """CEL's type error, with the fix a scenario author needs first."""
    message = _first_line(error)
    if ("float" in message and "int" in message) or "No such overload" in message:
        return (
            "values of different types meet (CEL does not mix whole numbers and decimals, or "
            "numbers and text): write 2.0 rather than 2, or convert with double(...)"
        )
    return message


class ExpressionError(ValueError):
    """An expression does not compile, names something unknown, or has the wrong type."""


@dataclass(frozen=True, slots=True)
class CompiledExpression:
    """A compiled CEL program and the state keys (`vars.tension`, `t`, ...) it reads.

    `source` is the expression as written; `program` reads flat scalars (see `flat_name`).
    """

    source: str
    program: Any
    reads: frozenset[str]
    expect: Expect
    readiness_units: tuple[str, ...] = ()
    """Units whose readiness it reads: readiness moves continuously, so these are refreshed at
    every evaluation."""
    names: tuple[str, ...] = ()
    """The flat scalar names the program reads. Each evaluation passes just these: a CEL
    context re-converts every variable it holds after any change, which costs ~0.1 µs per name
    per evaluation, while a small mapping of what is read costs about 1 µs in all."""
    moving: MovingReads = NO_MOVING_READS
    """Its comparisons of readiness and the clock with constants, and other reads of them:
    what the engine needs to wake the condition at the exact instant it flips."""

    def evaluate(self, context: Any) -> Any:
        return self.program.execute(context)


def names_of(scenario: Scenario) -> dict[str, tuple[str, ...]]:
    """The ids available in each namespace, in file order."""
    return {
        "vars": tuple(v.id for v in scenario.variables),
        "alert": tuple(scenario.alert.initial),
        "level": tuple(lv.id for lv in scenario.alert.levels),
        "readiness": tuple(u.id for u in scenario.units),
        "fired": tuple(i.id for i in scenario.injects),
        "chosen": tuple(d.id for d in scenario.decisions),
        "chem": tuple(CHEM_FIELDS),
    }


def flat_name(namespace: str, member: str) -> str:
    """The scalar a `namespace.member` reference reads once compiled (`vars__tension`).

    Expressions are rewritten to read flat scalars because updating one scalar in a CEL context
    costs a fraction of a microsecond, while re-sending a whole namespace map costs ~1 µs per
    entry on every change.
    """
    return f"{namespace}__{member}"


def sample_state(scenario: Scenario) -> dict[str, Any]:
    """The state at hour zero, flat (see `flat_name`): the engine starts from it."""
    return _flat(_nested_state(scenario, "initial"))


def sample_states(scenario: Scenario) -> list[dict[str, Any]]:
    """Typed states that drive every branch of `&&`, `||` and `? :` one way and the other.

    A type mistake hidden behind a condition that is false at hour zero would otherwise pass
    the load-time check and stop a run later: every expression is evaluated in each of these.
    """
    return [
        _flat(_nested_state(scenario, how)) for how in ("initial", "low", "high", "odd", "even")
    ]


SampleKind = Literal["initial", "low", "high", "odd", "even"]


def _nested_state(scenario: Scenario, how: SampleKind) -> dict[str, dict[str, Any]]:
    top = len(scenario.alert.levels) - 1
    nations = [n.id for n in [*scenario.actors.nations, *scenario.actors.partners]]
    bands = [b.id for b in scenario.chemical_use.bands] if scenario.chemical_use else []

    def pick(index: int) -> bool:
        return {"low": False, "high": True, "odd": index % 2 == 1, "even": index % 2 == 0}.get(
            how, False
        )

    def between(index: int, low: float, high: float, initial: float) -> float:
        if how == "initial":
            return initial
        return high if pick(index) else low

    used = how in ("high", "odd")
    return {
        "vars": {
            v.id: between(i, v.min, v.max, v.initial) for i, v in enumerate(scenario.variables)
        },
        "alert": {scope: top if pick(i) else 0 for i, scope in enumerate(scenario.alert.initial)},
        "level": {lv.id: i for i, lv in enumerate(scenario.alert.levels)},
        "readiness": {
            u.id: between(i, 0.0, 1.0, u.readiness.initial) for i, u in enumerate(scenario.units)
        },
        "fired": {inject.id: pick(i) for i, inject in enumerate(scenario.injects)},
        "chosen": {
            d.id: d.options[i % len(d.options)].id if pick(i) else ""
            for i, d in enumerate(scenario.decisions)
        },
        "chem": {
            "used": used,
            "evaluations": 30 if used else 0,
            "uses": 2 if used else 0,
            "band": bands[0] if used and bands else "",
            "displaced": 1000 if used else 0,
            "affected": nations[:2] if used else [],
        },
        "scalars": {"t": 0.0 if how in ("initial", "low") else 500.0},
    }


def _flat(nested: dict[str, dict[str, Any]]) -> dict[str, Any]:
    scalars = nested.pop("scalars")
    flat: dict[str, Any] = {"t": scalars["t"], "day": int(scalars["t"] // 24) + 1}
    for namespace, members in nested.items():
        for member, value in members.items():
            flat[flat_name(namespace, member)] = value
    return flat


def _flatten(source: str) -> str:
    """Rewrite `ns.member` outside string literals to the flat scalar name."""
    parts: list[str] = []
    position = 0
    for literal in _STRING.finditer(source):
        parts.append(_flatten_code(source[position : literal.start()]))
        parts.append(literal.group())
        position = literal.end()
    parts.append(_flatten_code(source[position:]))
    return "".join(parts)


def _flatten_code(code: str) -> str:
    def replace(match: re.Match[str]) -> str:
        namespace, member = match.group(1), match.group(2)
        return flat_name(namespace, member) if namespace in NAMESPACES else match.group()

    return _MEMBER.sub(replace, code)


def evaluation_problem(source: str, error: Exception) -> str:
    """One line for an expression that failed on values (an index out of range, an integer
    overflow, ...). The CEL runtime raises whatever its Rust core maps an error to (IndexError,
    OverflowError, ...) and documents no list, so every exception of an evaluation is the
    scenario's problem, said in one line, never an internal error."""
    detail = _first_line(error) or type(error).__name__
    return f"expression {source!r} failed: {detail}"


def _parse_problem(error: BaseException) -> str:
    # CEL's parser lists every token it would accept; the position and the culprit suffice.
    first = _first_line(error)
    match = _PARSE_ERROR.search(first)
    return f"at character {match[1]}: {match[2]}" if match else f": {first}"


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    first = text[0] if text else type(error).__name__
    return first.removeprefix("ERROR: ").strip()


class ExpressionCompiler:
    """Compiles a scenario's expressions against its own names and a typed sample state."""

    def __init__(self, scenario: Scenario) -> None:
        self._names = names_of(scenario)
        # Did-you-mean comparisons left: thousands of unknown names against thousands of ids
        # would otherwise take minutes on a hostile file.
        self._suggestions = 20_000
        states = sample_states(scenario)
        self._samples = [cel.Context(variables=state) for state in states]
        self._sample_names = frozenset(states[0])
        self._literals = _literal_ids(scenario)

    def compile(self, source: str, expect: Expect) -> CompiledExpression:
        _check_macro_nesting(source)
        try:
            parsed = cel.compile(source)
        except (ValueError, RuntimeError) as error:
            raise ExpressionError(f"expression does not parse {_parse_problem(error)}") from None
        reads = self._check_names(source, parsed)
        program = cel.compile(_flatten(source))
        for name in program.variables():
            if name in NAMESPACES:
                raise ExpressionError(
                    f"'{name}' is not a value on its own: write {name}.<id>, e.g. "
                    f"{name}.{(self._names[name] or ('x',))[0]}"
                )
        for sample in self._samples:
            try:
                value = program.execute(sample)
            except ZeroDivisionError:
                continue  # depends on state values, not on types; runtime guards handle it
            except (TypeError, ValueError, RuntimeError, KeyError) as error:
                raise ExpressionError(
                    f"expression {source!r} cannot be evaluated: {_type_problem(error)}"
                ) from None
            except Exception as error:  # any failure on values: see `evaluation_problem`
                raise ExpressionError(evaluation_problem(source, error)) from None
            _check_type(source, value, expect)
        readiness_units = tuple(
            sorted(key.split(".", 1)[1] for key in reads if key.startswith("readiness."))
        )
        names = tuple(sorted(n for n in program.variables() if n in self._sample_names))
        moving = analyse(source, cel.evaluate)
        return CompiledExpression(
            source, program, frozenset(reads), expect, readiness_units, names, moving
        )

    def _check_names(self, source: str, program: Any) -> set[str]:
        reads: set[str] = set()
        top = list(NAMESPACES) + list(SCALARS)
        for name in program.variables():
            if "__" in name:
                # The engine's own flat names (`vars__tension`) are spelled this way.
                raise ExpressionError(f"names containing '__' are reserved: {name!r}")
            if name in SCALARS:
                reads.add(name)
            elif name not in NAMESPACES and not _bound_by_macro(source, name):
                owner = next((ns for ns in NAMESPACES if name in self._names[ns]), None)
                hint = f"; did you mean '{owner}.{name}'?" if owner else did_you_mean(name, top)
                raise ExpressionError(f"unknown name {name!r}{hint}")
        for namespace, member in _MEMBER.findall(_STRING.sub("''", source)):
            if namespace not in NAMESPACES:
                continue
            known = self._names[namespace]
            if member not in known:
                self._suggestions -= len(known)
                hint = (
                    did_you_mean(member, known, f"{namespace}.") if self._suggestions >= 0 else ""
                )
                raise ExpressionError(f"unknown name '{namespace}.{member}'{hint}")
            if namespace != "level":
                reads.add(f"{namespace}.{member}")
        self._check_literals(source)
        return reads

    def _check_literals(self, source: str) -> None:
        """Ids written as text (`chosen.aid == 'send'`, `'poland' in chem.affected`) must exist."""
        for pattern, kind in _LITERAL_PATTERNS:
            for match in pattern.finditer(source):
                groups = match.groupdict()
                key = groups.get("decision") or kind
                literal = groups["literal"]
                known = self._literals.get(key, ())
                if literal not in known:
                    what = {"band": "band", "nation": "nation"}.get(kind, f"option of {key!r}")
                    raise ExpressionError(
                        f"unknown {what} '{literal}'{did_you_mean(literal, known)}"
                    )


def _check_macro_nesting(source: str) -> None:
    # Each nested comprehension multiplies the work: six levels over a ten-element list take
    # ten seconds to evaluate once, so a hostile condition could hang loading and every run.
    depth = 0
    macros: list[int] = []
    for token in _MACRO_OR_PAREN.findall(_STRING.sub("''", source)):
        if token == ")":
            if macros and macros[-1] == depth:
                macros.pop()
            depth -= 1
            continue
        depth += 1
        if token != "(":
            macros.append(depth)
            if len(macros) > 1:
                raise ExpressionError(
                    "comprehensions (all, exists, exists_one, map, filter) cannot be nested"
                )


def _bound_by_macro(source: str, name: str) -> bool:
    # Comprehension macros (`exists`, `all`, `map`, `filter`) bind their own variable names.
    return (
        re.search(rf"\.\s*(all|exists|exists_one|map|filter)\s*\(\s*{re.escape(name)}\s*,", source)
        is not None
    )


def _check_type(source: str, value: Any, expect: Expect) -> None:
    is_bool = isinstance(value, bool)
    is_number = isinstance(value, int | float) and not is_bool
    if expect == "bool" and not is_bool:
        raise ExpressionError(
            f"condition {source!r} must be true or false, not {type(value).__name__}"
        )
    if expect == "number" and not is_number:
        raise ExpressionError(
            f"expression {source!r} must give a number, not {type(value).__name__}"
        )
    if expect == "string" and not isinstance(value, str):
        raise ExpressionError(
            f"expression {source!r} must give a string, not {type(value).__name__}"
        )
    if expect == "number_or_bool" and not (is_bool or is_number):
        raise ExpressionError(
            f"expression {source!r} must give a number or a boolean, not {type(value).__name__}"
        )


def as_probability(value: Any) -> tuple[float, float]:
    """Return (clamped, raw) for a probability expression result; NaN counts as 0."""
    raw = float(value)
    if math.isnan(raw):
        return 0.0, raw
    return min(1.0, max(0.0, raw)), raw
