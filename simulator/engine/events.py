"""Event records: the one account of what happened in a run.

The TUI feed, the session journal, the after-action report, `ttx run` and batch metrics all read
these records; nobody reaches into SimPy. Payloads hold only JSON-safe values (str, int, float,
bool, None, lists and dicts of those), with ids rather than texts, so records are small and
serialise byte-identically.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

JSONValue = str | int | float | bool | None | list[Any] | dict[str, Any]


class EventKind(StrEnum):
    """What sort of happening a record is; the payload keys for each are listed."""

    START = "start"
    """scenario, title, seed (list of ints: the SeedSequence entropy and spawn key)."""
    INJECT = "inject"
    """inject, title, channel, source, cause."""
    INJECT_SKIPPED = "inject_skipped"
    """inject, cause, reason ("probability")."""
    ALERT = "alert"
    """scope, old, new (level ids), cause."""
    READINESS_TARGET = "readiness_target"
    """unit, target, readiness (now), arrives (hours: when the target will be reached), cause."""
    READINESS = "readiness"
    """unit, mark (threshold crossed), direction ("up" or "down"), readiness."""
    POSTURE = "posture"
    """unit, old, new, cause."""
    VARIABLE = "variable"
    """variable, old, new, cause."""
    DECISION_OPEN = "decision_open"
    """decision, title, deadline (absolute hours or None), cause."""
    DECISION = "decision"
    """decision, option, by ("room", "policy" or "deadline"), opened (hours)."""
    CHEM_EVALUATION = "chem_evaluation"
    """index (0-based), probability (clamped), raw (expression value), outcome ("use" or
    "no_use"), cause ("schedule" or the trigger's description)."""
    CHEM_USE = "chem_use"
    """band, label, affected (nation ids), displaced."""
    RULE = "rule"
    """rule."""
    END = "end"
    """reason, cause."""


@dataclass(frozen=True, slots=True)
class Event:
    """One happening: its order in the run, exercise time in hours, kind and payload."""

    seq: int
    time: float
    kind: EventKind
    payload: dict[str, JSONValue]

    def as_dict(self) -> dict[str, JSONValue]:
        return {"seq": self.seq, "time": self.time, "kind": self.kind.value, **self.payload}

    def to_json(self) -> str:
        """One JSON line; identical bytes for identical records on any machine."""
        return json.dumps(self.as_dict(), sort_keys=True, separators=(",", ":"), allow_nan=False)
