"""Event records: the one account of what happened in a run.

The TUI feed, the session journal, the after-action report, `ttx run` and batch metrics all read
these records; nobody reaches into SimPy. Each kind of happening has one typed payload class
below, so every consumer reads fields (`event.payload.scope`) that mypy checks, instead of
string keys. Consumers take names and labels from the scenario through `describe.Describer`
(the few titles a payload carries are kept for the trace format), and records serialise
byte-identically.

Frozen, slotted dataclasses: stdlib only, cheap to build on the engine's tracing path (one
`__init__`, no validation: the engine is the only producer), immutable once emitted, and
`match`-able by class. The JSON Lines form (`Event.to_json`) is the trace format of version 1:
`seq`, `time`, `kind` and the payload's fields at the top level, tuples written as lists.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import ClassVar, Literal

JSONValue = str | int | float | bool | None | list["JSONValue"] | dict[str, "JSONValue"]


def canonical_json(value: JSONValue) -> str:
    """The one byte form of JSON the project writes (traces, journal payloads and seeds): keys
    sorted, no spaces, no NaN, so identical values give identical bytes on any machine."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)


class EventKind(StrEnum):
    """What sort of happening a record is; each has one payload class."""

    START = "start"
    INJECT = "inject"
    INJECT_SKIPPED = "inject_skipped"
    ALERT = "alert"
    READINESS_TARGET = "readiness_target"
    READINESS = "readiness"
    POSTURE = "posture"
    VARIABLE = "variable"
    DECISION_OPEN = "decision_open"
    DECISION = "decision"
    CHEM_EVALUATION = "chem_evaluation"
    CHEM_USE = "chem_use"
    RULE = "rule"
    END = "end"


DecidedBy = Literal["room", "policy", "deadline"]
Direction = Literal["up", "down"]
Outcome = Literal["use", "no_use"]


@dataclass(frozen=True, slots=True)
class Started:
    """The run begins."""

    kind: ClassVar[EventKind] = EventKind.START
    scenario: str
    """The scenario's id."""
    title: str
    seed: tuple[int, ...]
    """The SeedSequence entropy then its spawn key: enough to rebuild every stream."""


@dataclass(frozen=True, slots=True)
class InjectDelivered:
    """An inject reaches its audience."""

    kind: ClassVar[EventKind] = EventKind.INJECT
    inject: str
    title: str
    channel: str
    source: str
    cause: str
    """What set it off: `schedule`, `condition`, `inject:<id>`, `decision:<id>=<option>`, ..."""


@dataclass(frozen=True, slots=True)
class InjectSkipped:
    """An inject's trigger fired but its probability draw said no."""

    kind: ClassVar[EventKind] = EventKind.INJECT_SKIPPED
    inject: str
    cause: str
    reason: Literal["probability"]


@dataclass(frozen=True, slots=True)
class AlertChanged:
    """An alert scope moves to another level."""

    kind: ClassVar[EventKind] = EventKind.ALERT
    scope: str
    old: str
    """Level id before."""
    new: str
    """Level id after."""
    cause: str


@dataclass(frozen=True, slots=True)
class ReadinessTargeted:
    """A unit starts moving toward a new readiness target."""

    kind: ClassVar[EventKind] = EventKind.READINESS_TARGET
    unit: str
    target: float
    readiness: float
    """Readiness now, where the straight-line movement starts."""
    arrives: float
    """Exercise hours at which the target will be reached."""
    cause: str


@dataclass(frozen=True, slots=True)
class ReadinessCrossed:
    """A unit's readiness crosses one of its announced marks."""

    kind: ClassVar[EventKind] = EventKind.READINESS
    unit: str
    mark: float
    direction: Direction
    readiness: float


@dataclass(frozen=True, slots=True)
class PostureChanged:
    """A unit's posture changes."""

    kind: ClassVar[EventKind] = EventKind.POSTURE
    unit: str
    old: str
    new: str
    cause: str


@dataclass(frozen=True, slots=True)
class VariableChanged:
    """A scenario variable takes a new value (after clamping to its bounds)."""

    kind: ClassVar[EventKind] = EventKind.VARIABLE
    variable: str
    old: float
    new: float
    cause: str


@dataclass(frozen=True, slots=True)
class DecisionOpened:
    """A decision point opens."""

    kind: ClassVar[EventKind] = EventKind.DECISION_OPEN
    decision: str
    title: str
    deadline: float | None
    """Absolute exercise hours at which the default option applies, or None."""
    cause: str


@dataclass(frozen=True, slots=True)
class DecisionTaken:
    """An option is chosen at an open decision point."""

    kind: ClassVar[EventKind] = EventKind.DECISION
    decision: str
    option: str
    by: DecidedBy
    opened: float
    """Exercise hours at which the decision point opened."""


@dataclass(frozen=True, slots=True)
class ChemEvaluated:
    """The adversary's chemical-use decision point is evaluated."""

    kind: ClassVar[EventKind] = EventKind.CHEM_EVALUATION
    index: int
    """0-based count of evaluations before this one."""
    probability: float
    """The probability used, clamped to [0, 1]."""
    raw: float | None
    """The expression's own value before clamping (None when not finite)."""
    outcome: Outcome
    cause: str
    """`schedule` or the trigger's description."""


@dataclass(frozen=True, slots=True)
class ChemUsed:
    """Hypothetical chemical use, with the author-set consequence band drawn for it."""

    kind: ClassVar[EventKind] = EventKind.CHEM_USE
    band: str
    label: str
    affected: tuple[str, ...]
    """Nation ids."""
    displaced: int


@dataclass(frozen=True, slots=True)
class RuleApplied:
    """A rule's condition held and its effects were applied."""

    kind: ClassVar[EventKind] = EventKind.RULE
    rule: str


@dataclass(frozen=True, slots=True)
class Ended:
    """The exercise ends."""

    kind: ClassVar[EventKind] = EventKind.END
    reason: str
    cause: str


Payload = (
    Started
    | InjectDelivered
    | InjectSkipped
    | AlertChanged
    | ReadinessTargeted
    | ReadinessCrossed
    | PostureChanged
    | VariableChanged
    | DecisionOpened
    | DecisionTaken
    | ChemEvaluated
    | ChemUsed
    | RuleApplied
    | Ended
)


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in fields(cls))
    return names


def _json(value: object) -> JSONValue:
    if isinstance(value, tuple):
        return [_json(v) for v in value]
    assert value is None or isinstance(value, str | int | float | bool)
    return value


@dataclass(frozen=True, slots=True)
class Event:
    """One happening: its order in the run, exercise time in hours, and its typed payload."""

    seq: int
    time: float
    payload: Payload

    @property
    def kind(self) -> EventKind:
        return self.payload.kind

    def as_dict(self) -> dict[str, JSONValue]:
        payload = self.payload
        out: dict[str, JSONValue] = {"seq": self.seq, "time": self.time, "kind": payload.kind.value}
        for name in _field_names(type(payload)):
            out[name] = _json(getattr(payload, name))
        return out

    def to_json(self) -> str:
        """One JSON line; identical bytes for identical records on any machine."""
        return canonical_json(self.as_dict())
