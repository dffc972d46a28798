"""Pydantic validation errors turned into one short, positioned line each.

Pydantic reports every branch of a union it tried; a trainer needs the one that matches what
they wrote. Errors that only say "this value is the wrong kind for that branch" are dropped when
another branch has something more specific to say, and merged into one line when none has.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from simulator.scenario.common import ID_PATTERN
from simulator.scenario.models import Scenario
from simulator.scenario.suggest import did_you_mean
from simulator.scenario.yaml_safe import DataPath, YamlDocument, show_path

_KIND_ERRORS = {
    "model_attributes_type": "a mapping",
    "model_type": "a mapping",
    "dict_type": "a mapping",
    "list_type": "a list",
    "string_type": "a string",
    "float_type": "a number",
    "float_parsing": "a number",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
}


@dataclass(frozen=True, slots=True)
class Located:
    """A message for one place in the document."""

    line: int
    column: int
    message: str


def pydantic_messages(document: YamlDocument, errors: Sequence[ErrorDetails]) -> list[Located]:
    """One located, readable message per distinct problem in `errors`."""
    resolved = [(document.resolve(e["loc"]), e) for e in errors]
    # Every path at or above a specific error: a kind error there gives way to it.
    overruled = {
        path[:n] for path, e in resolved if not _is_kind_error(e) for n in range(len(path) + 1)
    }
    kept: dict[DataPath, list[ErrorDetails]] = {}
    for path, error in resolved:
        if _is_kind_error(error) and path in overruled:
            continue
        kept.setdefault(path, []).append(error)
    out: set[Located] = set()
    for path, group in kept.items():
        kinds = [e for e in group if _is_kind_error(e)]
        if len(kinds) > 1:
            expected = _join_or(list(dict.fromkeys(_kind_wanted(e) for e in kinds)))
            group = [e for e in group if not _is_kind_error(e)]
            line, column = document.locate(path)
            out.add(
                Located(line, column, f"{show_path(path)}: expected {expected}{_got(kinds[0])}")
            )
        for error in group:
            out.add(_located(document, path, error))
    return sorted(out, key=lambda m: (m.line, m.column, m.message))


def _located(document: YamlDocument, path: DataPath, error: ErrorDetails) -> Located:
    kind = error["type"]
    loc = error["loc"]
    on_key = kind == "extra_forbidden" or (bool(loc) and loc[-1] == "[key]")
    line, column = document.locate(path, key=on_key)
    return Located(line, column, f"{show_path(path)}: {_message(error)}")


def _is_kind_error(error: ErrorDetails) -> bool:
    if error["type"] in _KIND_ERRORS:
        return True
    # A scalar parser (duration, quantity) in a union handed a mapping or list: another branch
    # of the union is the one that fits. Model rules also raise value errors on mappings, but
    # their location does not end in a scalar validator's label.
    last = error["loc"][-1] if error["loc"] else ""
    return (
        error["type"] == "value_error"
        and isinstance(error.get("input"), dict | list)
        and isinstance(last, str)
        and last.startswith(("function-before[", "function-plain[", "function-wrap["))
    )


def _kind_wanted(error: ErrorDetails) -> str:
    if error["type"] in _KIND_ERRORS:
        return _KIND_ERRORS[error["type"]]
    return _plain(error["msg"]).removeprefix("expected ")


def _join_or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _plain(message: str) -> str:
    return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    return repr(value)


def _got(error: ErrorDetails) -> str:
    return f" (got {_describe(error.get('input'))})" if "input" in error else ""


def _quoted(text: str) -> list[str]:
    return re.findall(r"'([^']*)'", text)


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    value = error.get("input")
    if kind == "missing":
        return f"missing required field {error['loc'][-1]!r}"
    if kind == "extra_forbidden":
        field = error["loc"][-1]
        return f"unknown field {field!r}{did_you_mean(field, sorted(_known_fields(error['loc'])))}"
    if kind in _KIND_ERRORS:
        return f"expected {_KIND_ERRORS[kind]}{_got(error)}"
    if kind == "union_tag_invalid":
        key = ctx["discriminator"].strip("'")
        expected = _quoted(ctx["expected_tags"])
        hint = did_you_mean(ctx["tag"], expected)
        return f"unknown {key} {ctx['tag']!r}" + (
            hint or f": expected one of {', '.join(expected)}"
        )
    if kind == "union_tag_not_found":
        return f"missing the {ctx['discriminator']} key that says which kind this is"
    if kind == "literal_error":
        expected = _quoted(ctx["expected"]) or [ctx["expected"]]
        hint = did_you_mean(value, expected)
        return f"must be {_join_or(expected)}{_got(error)}{hint}"
    if kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
        return _bound_message(kind, ctx, error)
    if kind == "string_pattern_mismatch":
        return _pattern_message(ctx["pattern"], value)
    if kind in ("too_short", "string_too_short"):
        if kind == "string_too_short" and ctx.get("min_length") == 1:
            return "must not be empty"
        return f"needs at least {ctx['min_length']} {_unit(kind)}{_got_length(ctx)}"
    if kind in ("too_long", "string_too_long"):
        return f"has more than the {ctx['max_length']} {_unit(kind)} allowed"
    if kind.startswith(("datetime_", "date_")):
        return f"invalid date-time{_got(error)}: write ISO 8601, such as 2030-03-01T08:00:00Z"
    if kind == "finite_number":
        return f"expected a finite number{_got(error)}"
    message = _plain(error["msg"])
    if kind == "value_error" and message.startswith("expected") and isinstance(value, dict | list):
        return message + _got(error)
    return message


def _unit(kind: str) -> str:
    return "characters" if kind.startswith("string") else "items"


def _got_length(ctx: dict[str, Any]) -> str:
    return f" (got {ctx['actual_length']})" if "actual_length" in ctx else ""


def _bound_message(kind: str, ctx: dict[str, Any], error: ErrorDetails) -> str:
    if kind == "less_than_equal" and ctx.get("le") == 1:
        return f"must be between 0 and 1{_got(error)}"
    words = {
        "less_than_equal": ("at most", "le"),
        "greater_than_equal": ("at least", "ge"),
        "less_than": ("below", "lt"),
        "greater_than": ("above", "gt"),
    }[kind]
    return f"must be {words[0]} {_number(ctx[words[1]])}{_got(error)}"


def _pattern_message(pattern: str, value: Any) -> str:
    if pattern == ID_PATTERN:
        return (
            f"invalid id {_describe(value)}: use lower-case letters, digits and underscores, "
            "starting with a letter"
        )
    if "a-z0-9_-" in pattern:
        return (
            f"invalid id {_describe(value)}: use lower-case letters, digits, '_' and '-', "
            "starting with a letter"
        )
    if "#[0-9a-fA-F]{6}" in pattern:
        return (
            f"invalid colour {_describe(value)}: use green, blue, yellow, orange, red, purple, "
            "magenta, cyan, white, grey or #rrggbb"
        )
    return f"{_describe(value)} does not have the expected form ({pattern})"


def _known_fields(loc: Sequence[str | int]) -> set[str]:
    """Field names (as written in files) of the models that could hold the extra key at `loc`."""
    candidates: set[Any] = {Scenario}
    for part in loc[:-1]:
        following: set[Any] = set()
        for kind in candidates:
            following.update(_step(kind, part))
        candidates = following or candidates  # a union label names no field: skip it
    names: set[str] = set()
    for kind in candidates:
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            names.update(f.alias or name for name, f in kind.model_fields.items())
    return names


def _step(kind: Any, part: str | int) -> Iterator[Any]:
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        fields = {f.alias or name: f for name, f in kind.model_fields.items()}
        if part in fields:
            yield from _unwrap(fields[part].annotation)
        if isinstance(part, str) and (part in fields or part in _tags(kind)):
            yield kind  # a union member label or discriminator tag names this model
    elif typing.get_origin(kind) is list and isinstance(part, int):
        yield from _unwrap(typing.get_args(kind)[0])
    elif typing.get_origin(kind) is dict and isinstance(part, str):
        yield from _unwrap(typing.get_args(kind)[1])


def _tags(model: type[BaseModel]) -> set[str]:
    tags = {model.__name__}
    for field in model.model_fields.values():
        if typing.get_origin(field.annotation) is Literal:
            tags.update(str(a) for a in typing.get_args(field.annotation))
    return tags


def _unwrap(annotation: Any) -> Iterator[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _unwrap(typing.get_args(annotation)[0])
    elif origin is typing.Union or origin is types.UnionType:
        for member in typing.get_args(annotation):
            yield from _unwrap(member)
    else:
        yield annotation
