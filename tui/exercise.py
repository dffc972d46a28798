"""What the console needs from a live session, and where it keeps sessions.

The console is written against these protocols rather than the engine's classes, so the screens
state exactly which parts of `simulator.session.Session` and `Simulation` they read, and tests
can drive every control with a small scripted double.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from simulator.engine.events import Event
from simulator.scenario.compiled import CompiledScenario

SESSIONS_ENV = "TTX_SESSIONS_DIR"


class PendingView(Protocol):
    """A decision point waiting for the room."""

    @property
    def decision_id(self) -> str: ...
    @property
    def opened(self) -> float: ...
    @property
    def deadline(self) -> float | None: ...


class SnapshotView(Protocol):
    """The state of the crisis at one moment, as the dashboard shows it."""

    @property
    def time(self) -> float: ...
    @property
    def alert(self) -> Mapping[str, str]: ...
    @property
    def readiness(self) -> Mapping[str, float]: ...
    @property
    def targets(self) -> Mapping[str, float]: ...
    @property
    def posture(self) -> Mapping[str, str]: ...
    @property
    def variables(self) -> Mapping[str, float]: ...
    @property
    def chem_used(self) -> bool: ...
    @property
    def chem_evaluations(self) -> int: ...
    @property
    def finished(self) -> bool: ...
    @property
    def end_reason(self) -> str | None: ...


class LiveSimulation(Protocol):
    """The running engine, stepped in small slices by the dashboard."""

    @property
    def now(self) -> float: ...
    @property
    def finished(self) -> bool: ...
    @property
    def end_reason(self) -> str | None: ...
    @property
    def records(self) -> Sequence[Event]: ...
    @property
    def next_time(self) -> float | None: ...
    @property
    def pending(self) -> Sequence[PendingView]: ...
    def step(self) -> Sequence[Event]: ...
    def snapshot(self) -> SnapshotView: ...


class SeedView(Protocol):
    """The session's recorded seed."""

    def describe(self) -> str: ...


class ObservationView(Protocol):
    """An observation as the journal holds it."""

    @property
    def text(self) -> str: ...
    @property
    def time(self) -> float: ...
    @property
    def wall(self) -> dt.datetime: ...
    @property
    def objective(self) -> str | None: ...
    @property
    def inject(self) -> str | None: ...


class DecisionRecordView(Protocol):
    """A choice the room made, as the journal holds it."""

    @property
    def decision(self) -> str: ...
    @property
    def option(self) -> str: ...
    @property
    def note(self) -> str: ...
    @property
    def wall_taken(self) -> dt.timedelta | None: ...


class LiveSession(Protocol):
    """A journaled session: every choice and note is on disk before the screen shows it."""

    @property
    def sim(self) -> LiveSimulation: ...
    @property
    def compiled(self) -> CompiledScenario: ...
    @property
    def seed(self) -> SeedView: ...
    @property
    def path(self) -> Path: ...
    @property
    def notes(self) -> Sequence[ObservationView]: ...
    @property
    def decisions(self) -> Sequence[DecisionRecordView]: ...
    def choose(self, decision_id: str, option_id: str, note: str = "") -> Any: ...
    def note(self, text: str, objective: str | None = None, inject: str | None = None) -> Any: ...
    def undo(self) -> Any: ...
    def checkpoint(self) -> Any: ...
    def save_as(self, new_path: Path) -> Any: ...
    def close(self) -> None: ...


def local_now() -> dt.datetime:
    """The wall clock in the machine's time zone."""
    return dt.datetime.now().astimezone()


def sessions_dir() -> Path:
    """Where journals go: `$TTX_SESSIONS_DIR`, else the session package's default directory."""
    from simulator.session.catalog import default_sessions_dir

    override = os.environ.get(SESSIONS_ENV)
    return Path(override) if override else default_sessions_dir()
