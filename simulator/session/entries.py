"""Journal entries and their checks: the typed records a session journal holds.

Nothing here touches SQLite: these are the values rows are written from and read back into, and
the checks every row read back must pass (a journal is untrusted input).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Final

from simulator.engine.events import JSONValue
from simulator.engine.streams import SeedRecord, is_count
from simulator.scenario.common import control_character


class JournalError(Exception):
    """A journal cannot be used as it stands; `complete` holds every intact entry before the fault.

    The message is one line naming the file and what is wrong with it.
    """

    def __init__(
        self,
        path: str | Path,
        message: str,
        complete: list[Entry] | None = None,
        damaged_at: int | None = None,
        header: Header | None = None,
    ):
        self.path = str(path)
        self.complete: list[Entry] = complete or []
        self.damaged_at = damaged_at
        """Sequence number of the first damaged entry, when the header itself is intact."""
        self.header = header
        """The journal's header when it could be read, so the complete entries can be saved."""
        super().__init__(f"{path}: {message}")


class EntryKind(StrEnum):
    """What a journal row records."""

    DECISION = "decision"
    """The room chose an option: decision, option, note, opened (hours), opened_wall (ISO/None)."""
    UNDO = "undo"
    """The room took back its last decision: retracts (seq of that decision row)."""
    NOTE = "note"
    """An observation: text, objective (id or None), inject (id or None)."""
    CHECKPOINT = "checkpoint"
    """Where the facilitator was: pending ({decision id: ISO wall time it opened})."""


@dataclass(frozen=True, slots=True)
class Header:
    """The journal's one meta row: what to replay and with which randomness."""

    format_version: int
    scenario_hash: str
    scenario_path: str
    scenario_title: str
    seed: SeedRecord
    created: dt.datetime


@dataclass(frozen=True, slots=True)
class Entry:
    """One journal row: its order, the exercise time and engine position it was taken at."""

    seq: int
    kind: EntryKind
    time: float
    position: int
    wall: dt.datetime
    payload: Mapping[str, JSONValue]

    def text(self, key: str) -> str:
        value = self.payload[key]
        assert isinstance(value, str)
        return value

    def optional_text(self, key: str) -> str | None:
        value = self.payload[key]
        assert value is None or isinstance(value, str)
        return value


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def format_wall(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def row_checksum(*parts: object) -> str:
    text = "\x1f".join(repr(p) if isinstance(p, float) else str(p) for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def parse_seed(text: str) -> SeedRecord | None:
    """The header's seed column read back (None when it is not a seed record)."""
    return SeedRecord.from_json(text)


def parse_wall(text: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _is_str(value: object) -> bool:
    return isinstance(value, str)


def _is_text(value: object) -> bool:
    """What a person typed: no control characters but tab and newline, as in scenario text
    (a hand-edited journal must not carry terminal escape sequences into the console)."""
    return isinstance(value, str) and control_character(value) is None


def _is_optional_str(value: object) -> bool:
    return value is None or isinstance(value, str)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_wall_or_none(value: object) -> bool:
    return value is None or (isinstance(value, str) and parse_wall(value) is not None)


def _is_pending_map(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) and parse_wall(v) is not None
        for k, v in value.items()
    )


_PAYLOAD_FIELDS: Final[dict[EntryKind, dict[str, Callable[[object], bool]]]] = {
    EntryKind.DECISION: {
        "decision": _is_str,
        "option": _is_str,
        "note": _is_text,
        "opened": _is_number,
        "opened_wall": _is_wall_or_none,
    },
    EntryKind.UNDO: {"retracts": is_count},
    EntryKind.NOTE: {"text": _is_text, "objective": _is_optional_str, "inject": _is_optional_str},
    EntryKind.CHECKPOINT: {"pending": _is_pending_map},
}


def payload_problem(kind: EntryKind, payload: Mapping[str, object]) -> str | None:
    fields = _PAYLOAD_FIELDS[kind]
    if set(payload) != set(fields):
        return f"a {kind.value} payload needs exactly the keys {sorted(fields)}"
    for key, check in fields.items():
        if not check(payload[key]):
            if check is _is_text and isinstance(payload[key], str):
                return f"the {kind.value} payload's {key!r} holds a control character"
            return f"the {kind.value} payload's {key!r} has the wrong type"
    return None


def active_decisions(entries: list[Entry]) -> list[Entry]:
    """The decision rows still in force: undo rows retract the most recent one each."""
    active: list[Entry] = []
    for entry in entries:
        if entry.kind is EntryKind.DECISION:
            active.append(entry)
        elif entry.kind is EntryKind.UNDO:
            active.pop()
    return active


def order_problem(
    kind: EntryKind, payload: Mapping[str, object], before: list[Entry]
) -> str | None:
    if kind is EntryKind.UNDO:
        active = active_decisions(before)
        if not active or active[-1].seq != payload["retracts"]:
            return "the undo does not retract the most recent decision in force"
    return None
