"""What the room contributed, read from journal entries: its decisions and its observations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from simulator.engine.events import DecidedBy
from simulator.session.entries import Entry, EntryKind, active_decisions


@dataclass(frozen=True, slots=True)
class RecordedDecision:
    """A choice the room made and has not taken back."""

    seq: int
    """The journal entry that records it."""
    decision: str
    option: str
    note: str
    opened: float
    """Exercise hours when the decision point opened."""
    time: float
    """Exercise hours when the room chose."""
    position: int
    """Engine steps processed when the room chose (where replay applies it)."""
    wall: dt.datetime
    """Wall-clock time (UTC) of the choice."""
    opened_wall: dt.datetime | None
    """Wall-clock time (UTC) the decision was put to the room, when the session saw it open."""
    by: DecidedBy = "room"

    @property
    def exercise_taken(self) -> float:
        """Exercise hours between the decision point opening and the room's choice."""
        return self.time - self.opened

    @property
    def wall_taken(self) -> dt.timedelta | None:
        """How long the room deliberated, in real time."""
        return None if self.opened_wall is None else self.wall - self.opened_wall

    @classmethod
    def of(cls, entry: Entry) -> RecordedDecision:
        opened_wall = entry.optional_text("opened_wall")
        opened = entry.payload["opened"]
        assert isinstance(opened, int | float)
        return cls(
            seq=entry.seq,
            decision=entry.text("decision"),
            option=entry.text("option"),
            note=entry.text("note"),
            opened=float(opened),
            time=entry.time,
            position=entry.position,
            wall=entry.wall,
            opened_wall=None if opened_wall is None else dt.datetime.fromisoformat(opened_wall),
        )


@dataclass(frozen=True, slots=True)
class Observation:
    """A facilitator's or evaluator's note, stamped with exercise and wall time."""

    seq: int
    text: str
    time: float
    """Exercise hours when it was written."""
    wall: dt.datetime
    objective: str | None
    """The objective it evidences, if linked."""
    inject: str | None
    """The inject it responds to, if linked."""

    @classmethod
    def of(cls, entry: Entry) -> Observation:
        return cls(
            seq=entry.seq,
            text=entry.text("text"),
            time=entry.time,
            wall=entry.wall,
            objective=entry.optional_text("objective"),
            inject=entry.optional_text("inject"),
        )


def decisions_in_force(entries: list[Entry]) -> list[RecordedDecision]:
    return [RecordedDecision.of(e) for e in active_decisions(entries)]


def observations(entries: list[Entry]) -> list[Observation]:
    return [Observation.of(e) for e in entries if e.kind is EntryKind.NOTE]


def retracted_decisions(entries: list[Entry]) -> list[RecordedDecision]:
    """Decisions the room took back with undo, in the order they were made."""
    kept = {e.seq for e in active_decisions(entries)}
    return [
        RecordedDecision.of(e)
        for e in entries
        if e.kind is EntryKind.DECISION and e.seq not in kept
    ]
