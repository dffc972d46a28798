"""`--set PATH=VALUE` and `--sweep PATH=...`: edits to a scenario's YAML data before validation.

A path is dotted keys into the scenario file's data, for example `chemical_use.probability` or
`variables.tension.initial`. A list item is addressed by its `id` (`units.bg_estonia.strength`)
or by its 0-based index (`injects.0.probability`). Values are read as YAML scalars or flow
collections, so `0.05`, `true`, `36h` and `{dist: fixed, value: 12h}` all mean what they do in
the file. The edited data is validated again by the scenario loader, so an override can never
produce a scenario the loader would refuse.
"""

from __future__ import annotations

import copy
import io
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

Value = Any
"""A YAML value: scalar, list or mapping of those."""

_RANGE = re.compile(
    r"^\s*(?P<lo>[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)\s*:"
    r"\s*(?P<hi>[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)\s*:\s*(?P<steps>\d+)\s*$"
)
_SEGMENT = re.compile(r"^[A-Za-z0-9_-]+$")
MAX_SWEEP_POINTS = 10_000


class OverrideError(ValueError):
    """An override argument is malformed or names nothing in the scenario."""


@dataclass(frozen=True, slots=True)
class Assignment:
    """One `PATH=VALUE`: the path as written and the value as YAML read it."""

    path: str
    value: Value
    text: str
    """The value exactly as the user typed it (labels, manifests)."""


@dataclass(frozen=True, slots=True)
class Sweep:
    """One swept path and the values it takes, in the order given."""

    path: str
    values: tuple[Value, ...]
    texts: tuple[str, ...]


def _read_value(text: str) -> Value:
    try:
        value = YAML(typ="safe", pure=True).load(text)
    except YAMLError as error:
        # The parser's own message spans several lines (with a caret); errors are one line.
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise OverrideError(f"cannot read value {text!r}: {problem}") from error
    return "" if value is None and text.strip() == "" else value


def _split(argument: str, option: str) -> tuple[str, str]:
    path, sep, value = argument.partition("=")
    path = path.strip()
    if not sep or not path:
        raise OverrideError(f"{option} expects PATH=VALUE, got {argument!r}")
    if not all(_SEGMENT.match(part) for part in path.split(".")):
        raise OverrideError(f"{option}: invalid path {path!r} (dotted keys, ids or indexes)")
    return path, value


def parse_assignment(argument: str) -> Assignment:
    """Read `PATH=VALUE` as given to `--set`."""
    path, text = _split(argument, "--set")
    return Assignment(path, _read_value(text), text.strip())


def _tidy(value: float) -> float | int:
    """12 significant digits, so `0.1:0.3:3` gives 0.2 and not 0.20000000000000004."""
    rounded = float(f"{value:.12g}")
    return int(rounded) if rounded.is_integer() and abs(rounded) < 2**53 else rounded


def parse_sweep(argument: str) -> Sweep:
    """Read `PATH=V1,V2,...` or `PATH=LO:HI:STEPS` (STEPS evenly spaced values, ends included).

    A sweep must give at least two distinct values: one step, an empty range or a single value
    would silently run a single point, which is what `--set` is for.
    """
    path, text = _split(argument, "--sweep")
    written = f"--sweep {path}={text.strip()}"
    span = _RANGE.match(text)
    if span:
        lo, hi, steps = float(span["lo"]), float(span["hi"]), int(span["steps"])
        if steps == 1:
            raise OverrideError(
                f"{written}: STEPS is the number of values, ends included, so 1 gives only "
                f"{_tidy(lo)}; give at least 2, or use --set {path}={_tidy(lo)} for one value"
            )
        if not 2 <= steps <= MAX_SWEEP_POINTS:
            raise OverrideError(f"--sweep {path}: STEPS must be between 2 and {MAX_SWEEP_POINTS}")
        if lo == hi:
            raise OverrideError(
                f"{written}: LO equals HI, so every step is the same value; "
                f"use --set {path}={_tidy(lo)} for one value"
            )
        values: list[Value] = [_tidy(lo + (hi - lo) * k / (steps - 1)) for k in range(steps)]
        texts = [repr(v) for v in values]
    else:
        texts = [part.strip() for part in text.split(",")]
        if any(not part for part in texts):
            raise OverrideError(f"--sweep {path}: empty value in {text!r}")
        if len(texts) == 1:
            raise OverrideError(
                f"{written}: a single value is not a sweep (give V1,V2,... or LO:HI:STEPS); "
                f"use --set {path}={texts[0]} for one value"
            )
        values = [_read_value(part) for part in texts]
    if len(set(texts)) != len(texts):
        raise OverrideError(f"--sweep {path}: repeated value")
    return Sweep(path, tuple(values), tuple(texts))


def sweep_points(sweeps: Sequence[Sweep]) -> list[tuple[Assignment, ...]]:
    """Every combination of the swept values (first sweep slowest); one empty point if none."""
    paths = [s.path for s in sweeps]
    if len(set(paths)) != len(paths):
        raise OverrideError("each path can be swept only once")
    axes = [
        [Assignment(s.path, v, t) for v, t in zip(s.values, s.texts, strict=True)] for s in sweeps
    ]
    points = [tuple(p) for p in itertools.product(*axes)]
    if len(points) > MAX_SWEEP_POINTS:
        raise OverrideError(f"the sweeps give {len(points)} points; at most {MAX_SWEEP_POINTS}")
    return points


def _child(node: Value, segment: str, where: str) -> tuple[Value, str | int]:
    """The container key (mapping key or list index) that `segment` names inside `node`."""
    if isinstance(node, dict):
        return node, segment
    if isinstance(node, list):
        for index, item in enumerate(node):
            if isinstance(item, dict) and item.get("id") == segment:
                return node, index
        if segment.isdigit() and int(segment) < len(node):
            return node, int(segment)
        ids = [str(i["id"]) for i in node if isinstance(i, dict) and "id" in i]
        known = f" (ids: {', '.join(ids)})" if ids else f" ({len(node)} items)"
        raise OverrideError(f"{where} has no item {segment!r}{known}")
    raise OverrideError(f"{where} is a value, not a mapping or list")


def apply(data: Value, assignments: Sequence[Assignment]) -> Value:
    """A deep copy of `data` with each assignment made, in order."""
    result = copy.deepcopy(data)
    for assignment in assignments:
        segments = assignment.path.split(".")
        node = result
        where = "the scenario"
        for depth, segment in enumerate(segments):
            try:
                container, key = _child(node, segment, where)
            except OverrideError as error:
                raise OverrideError(f"{assignment.path}: {error}") from None
            last = depth == len(segments) - 1
            if isinstance(container, dict) and key not in container and not last:
                raise OverrideError(f"{assignment.path}: {where} has no field {segment!r}")
            if last:
                container[key] = copy.deepcopy(assignment.value)
            else:
                node = container[key]
                where = f"'{'.'.join(segments[: depth + 1])}'"
    return result


def dump_yaml(data: Value) -> str:
    """Scenario data back to YAML text, keys in their original order."""
    stream = io.StringIO()
    writer = YAML(typ="safe", pure=True)
    writer.default_flow_style = False
    writer.representer.sort_base_mapping_type_on_output = False
    writer.dump(data, stream)
    return stream.getvalue()


def describe(assignments: Sequence[Assignment]) -> str:
    """`a=1, b=2`: a short label for a sweep point or a set of overrides."""
    return ", ".join(f"{a.path}={a.text}" for a in assignments)
