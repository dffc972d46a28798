"""Regenerate the field tables of docs/scenario-format.md from the scenario models.

The models' field docstrings are the reference; this script writes them into the tables between
`<!-- fields: ModelName -->` and `<!-- /fields -->` markers, so the written reference cannot
drift from the code. Run it after changing a model:

    python docs/scenario_tables.py          # rewrite the tables in place
    python docs/scenario_tables.py --check  # exit 1 if a table is out of date
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import types
import typing
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types
from pydantic import BaseModel, StringConstraints
from pydantic.fields import FieldInfo

from simulator.scenario.common import Id, Text
from simulator.scenario.distributions import Distribution, Probability, Quantity
from simulator.scenario.durations import Duration, format_duration
from simulator.scenario.effects import Effect, Effects
from simulator.scenario.models import Colour, Name, Scenario
from simulator.scenario.triggers import Delay, Expr, Trigger

DOC = Path(__file__).with_name("scenario-format.md")
BLOCK = re.compile(r"(<!-- fields: (\w+) -->\n)(.*?)(<!-- /fields -->)", re.S)

# Named types as a trainer knows them, most specific first: an annotation whose metadata starts
# with one of these aliases' metadata is shown by the alias's name.
ALIASES: tuple[tuple[Any, str], ...] = (
    (Effects, "list of effects"),
    (Effect, "effect"),
    (Trigger, "trigger"),
    (Distribution, "distribution"),
    (Delay, "duration or distribution"),
    (Duration, "duration"),
    (Quantity, "number or duration"),
    (Probability, "probability (0 to 1)"),
    (Expr, "expression"),
    (Colour, "colour"),
    (Id, "id"),
    (Name, "text (1 to 200 characters)"),
    (Text, "text"),
)
TIME_TYPES = (Duration, Delay)
PLAIN = {str: "text", float: "number", int: "integer", bool: "boolean", dt.datetime: "date-time"}


def model_tree(root: type[BaseModel] = Scenario) -> dict[str, type[BaseModel]]:
    """Every model reachable from `root`, by class name, in first-seen order."""
    found: dict[str, type[BaseModel]] = {}
    pending = [root]
    while pending:
        model = pending.pop(0)
        if model.__name__ in found:
            continue
        found[model.__name__] = model
        for hint in typing.get_type_hints(model, include_extras=True).values():
            pending.extend(_models_in(hint))
    return found


def _models_in(hint: Any) -> list[type[BaseModel]]:
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return [hint]
    return [m for arg in get_args(hint) for m in _models_in(arg)]


def field_name(name: str, info: FieldInfo) -> str:
    """The key a scenario file uses for a field."""
    return info.alias or name


def field_rows(model: type[BaseModel]) -> list[tuple[str, str, str, str]]:
    """(key, type, default, meaning) for each field of `model`, in declaration order."""
    hints = typing.get_type_hints(model, include_extras=True)
    rows = []
    for name, info in model.model_fields.items():
        hint = hints[name]
        rows.append(
            (
                f"`{field_name(name, info)}`",
                render_type(hint),
                render_default(info, hint),
                _meaning(info, hint),
            )
        )
    return rows


def render_table(model: type[BaseModel]) -> str:
    """The generated block for one model: its summary line and its field table."""
    summary = " ".join((model.__doc__ or "").strip().split("\n\n")[0].split())
    lines = [f"*{_cell(summary)}*", "", "| key | type | default | meaning |", "|---|---|---|---|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in field_rows(model)]
    return "\n".join(lines) + "\n"


def render_type(hint: Any) -> str:
    """A trainer's name for a type annotation."""
    for alias, label in ALIASES:
        if hint == alias:
            return label
        extra = _extra_metadata(hint, alias)
        if extra is not None:
            return label + _constraints(extra)
    origin = get_origin(hint)
    if origin is Annotated:
        base, *meta = get_args(hint)
        return render_type(base) + _constraints(meta)
    if origin in (Union, types.UnionType):
        args = get_args(hint)
        shown = [render_type(a) for a in args if a is not type(None)]
        nullable = " or `null`" if type(None) in args else ""
        return ", or ".join(shown) + nullable
    if origin is list:
        return f"list of {_plural(render_type(get_args(hint)[0]))}"
    if origin is dict:
        key, value = get_args(hint)
        return f"mapping of {render_type(key)} to {render_type(value)}"
    if origin is Literal:
        return "one of " + ", ".join(f"`{v}`" for v in get_args(hint))
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return f"`{hint.__name__}` mapping"
    if hint in PLAIN:
        return PLAIN[hint]
    raise TypeError(f"no documentation name for the type {hint!r}: add it to ALIASES")


def _extra_metadata(hint: Any, alias: Any) -> list[Any] | None:
    """The metadata `hint` adds to `alias` when it is the alias with more constraints."""
    if get_origin(hint) is not Annotated or get_origin(alias) is not Annotated:
        return None
    base, *meta = get_args(hint)
    alias_base, *alias_meta = get_args(alias)
    if base != alias_base or len(meta) <= len(alias_meta):
        return None
    if not all(a is b for a, b in zip(alias_meta, meta, strict=False)):
        return None
    return meta[len(alias_meta) :]


def _is_time(hint: Any) -> bool:
    return any(hint == t or _extra_metadata(hint, t) is not None for t in TIME_TYPES)


def _constraints(meta: list[Any]) -> str:
    parts: list[str] = []
    for item in meta:
        bounds = item.metadata if isinstance(item, FieldInfo) else [item]
        for bound in bounds:
            parts.extend(_bound(bound))
    return f" ({', '.join(parts)})" if parts else ""


def _bound(bound: Any) -> list[str]:
    if isinstance(bound, annotated_types.Gt):
        return [f"> {bound.gt}"]
    if isinstance(bound, annotated_types.Ge):
        return [f">= {bound.ge}"]
    if isinstance(bound, annotated_types.Lt):
        return [f"< {bound.lt}"]
    if isinstance(bound, annotated_types.Le):
        return [f"<= {bound.le:_}".replace("_", ",")]
    if isinstance(bound, annotated_types.MinLen):
        return [f"at least {bound.min_length}"]
    if isinstance(bound, annotated_types.MaxLen):
        return [f"at most {bound.max_length:,}"]
    if isinstance(bound, StringConstraints) and bound.pattern:
        return [f"matching `{bound.pattern}`"]
    return []


def _plural(label: str) -> str:
    head, _, rest = label.partition(" (")
    if head.endswith("s") or head.startswith("mapping"):
        plural = head
    elif head.endswith("y"):
        plural = head[:-1] + "ies"
    else:
        plural = head + "s"
    return plural + (f" ({rest}" if rest else "")


def render_default(info: FieldInfo, hint: Any) -> str:
    """The default as YAML, or `required`."""
    if info.is_required():
        return "required"
    value = info.get_default(call_default_factory=True)
    if value is None:
        return "`null`"
    if isinstance(value, BaseModel):
        return "`{}`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, float) and _is_time(hint):
        return f"`{format_duration(value)}`"
    if isinstance(value, float):
        return f"`{value:g}`"
    return f"`{json.dumps(value, ensure_ascii=False)}`"


def _meaning(info: FieldInfo, hint: Any) -> str:
    if info.description:
        return " ".join(info.description.split())
    if get_origin(hint) is Literal and len(get_args(hint)) == 1:
        return f"Always `{get_args(hint)[0]}`: says which kind this is."
    raise ValueError("a field without a docstring cannot be documented")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def refresh(text: str) -> str:
    """`text` with every marked table regenerated from the models."""
    tree = model_tree()

    def block(match: re.Match[str]) -> str:
        name = match.group(2)
        if name not in tree:
            raise KeyError(f"docs mark a table for {name!r}, which is not a scenario model")
        return match.group(1) + render_table(tree[name]) + match.group(4)

    return BLOCK.sub(block, text)


def documented_models(text: str) -> list[str]:
    """Model names that have a marked table in `text`, in order."""
    return [m.group(2) for m in BLOCK.finditer(text)]


def main(argv: list[str]) -> int:
    text = DOC.read_text(encoding="utf-8")
    fresh = refresh(text)
    if "--check" in argv:
        if fresh != text:
            sys.stderr.write(f"{DOC}: field tables are out of date; run {sys.argv[0]}\n")
            return 1
        return 0
    DOC.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
