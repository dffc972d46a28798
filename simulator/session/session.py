"""A live exercise session: the simulation the room plays and the journal that makes it safe.

Every choice and note is written to the journal before it takes effect, so closing the lid or
killing the process loses nothing the room decided; `Session.resume` rebuilds the same state by
replaying the journal, and `undo` retracts the last choice the same way.

The engine is not thread-safe: a UI that steps `sim` on a worker thread holds `session.lock`
while it does, and every `Session` method takes the same lock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from simulator.engine.events import DecisionOpened, Event
from simulator.engine.simulation import Simulation
from simulator.engine.streams import SeedRecord
from simulator.scenario.compiled import CompiledScenario
from simulator.scenario.loader import load_scenario
from simulator.session.entries import (
    Entry,
    EntryKind,
    Header,
    JournalError,
    format_wall,
    utc_now,
)
from simulator.session.journal import Journal
from simulator.session.records import (
    Observation,
    RecordedDecision,
    decisions_in_force,
    observations,
)
from simulator.session.replay import plan_replay, replay

Clock = Callable[[], dt.datetime]


class ScenarioChanged(Exception):
    """The scenario file no longer has the content the session was recorded with."""

    def __init__(self, scenario_path: str, recorded: str, current: str) -> None:
        self.scenario_path = scenario_path
        self.recorded = recorded
        self.current = current
        super().__init__(
            f"{scenario_path}: the scenario has changed since the session was recorded "
            f"(journal sha256 {recorded}, file sha256 {current})"
        )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def load_recorded_scenario(
    journal_path: str | Path,
    header: Header,
    scenario_path: str | Path | None = None,
    allow_changed: bool = False,
) -> CompiledScenario:
    """The scenario a journal was recorded with, from its recorded path or the one given,
    refused with `ScenarioChanged` when its bytes differ from the recorded hash."""
    scenario_file = Path(scenario_path or header.scenario_path)
    if not scenario_file.is_file():
        raise JournalError(
            journal_path, f"its scenario {scenario_file} cannot be found; give the scenario's path"
        )
    current = file_sha256(scenario_file)
    if current != header.scenario_hash and not allow_changed:
        raise ScenarioChanged(str(scenario_file), header.scenario_hash, current)
    return load_scenario(scenario_file)


class Session:
    """One exercise being played: `sim` is the live engine, the journal its durable record."""

    def __init__(
        self,
        journal: Journal,
        compiled: CompiledScenario,
        sim: Simulation,
        opened_walls: dict[str, dt.datetime],
        clock: Clock,
    ) -> None:
        self.compiled = compiled
        self.seed: SeedRecord = journal.header.seed
        self.recorded_hash = journal.header.scenario_hash
        """The scenario hash in the journal (differs from `compiled.source_hash` only when a
        changed scenario was explicitly allowed)."""
        self.lock = threading.RLock()
        self.generation = 0
        """Incremented whenever `sim` is replaced by a rebuilt one (undo): views re-read it."""
        self._journal = journal
        self._clock = clock
        self._opened_walls = dict(opened_walls)
        self._subscribers: list[Callable[[Event], None]] = []
        self.sim = self._attach(sim)
        self._journalled = self._state()
        """The (position, pending wall times) the journal already brings a resume back to."""

    # ----------------------------------------------------------------------------- opening

    @classmethod
    def create(
        cls,
        journal_path: str | Path,
        compiled: CompiledScenario,
        seed: int | np.random.SeedSequence,
        *,
        clock: Clock = utc_now,
    ) -> Session:
        """Start a new session in a new journal file (an existing file is never overwritten)."""
        record = SeedRecord.of(seed)
        scenario_file = Path(compiled.path)
        recorded_path = str(scenario_file.resolve()) if scenario_file.is_file() else compiled.path
        sim = Simulation(compiled, record.sequence(), live=True, trace=True)
        journal = Journal.create(
            journal_path,
            scenario_hash=compiled.source_hash,
            scenario_path=recorded_path,
            scenario_title=compiled.scenario.meta.title,
            seed=record,
            created=clock(),
        )
        return cls(journal, compiled, sim, {}, clock)

    @classmethod
    def resume(
        cls,
        journal_path: str | Path,
        scenario_path: str | Path | None = None,
        allow_changed: bool = False,
        *,
        clock: Clock = utc_now,
    ) -> Session:
        """Reopen a session where it was left, rebuilt by replaying its journal.

        Raises `JournalError` for a missing, damaged or unreplayable journal, `ScenarioChanged`
        when the scenario's bytes differ from the recorded hash (unless `allow_changed`), and the
        loader's `ScenarioError` when the scenario no longer loads.
        """
        journal = Journal.open(journal_path)
        try:
            compiled = load_recorded_scenario(
                journal_path, journal.header, scenario_path, allow_changed
            )
            plan = plan_replay(journal.entries)
            sim = replay(compiled, journal.header.seed, plan, journal_path)
        except BaseException:
            journal.close()
            raise
        return cls(journal, compiled, sim, plan.opened_walls, clock)

    def close(self) -> None:
        """Checkpoint where the engine is, then close the journal file."""
        with self.lock:
            self.checkpoint()
            self._journal.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------------------- reading

    @property
    def path(self) -> Path:
        return self._journal.path

    @property
    def journal_header(self) -> Header:
        return self._journal.header

    @property
    def entries(self) -> list[Entry]:
        """Every journal entry so far, oldest first."""
        return self._journal.entries

    @property
    def decisions(self) -> list[RecordedDecision]:
        """The room's decisions still in force, oldest first."""
        return decisions_in_force(self._journal.entries)

    @property
    def notes(self) -> list[Observation]:
        """Every observation recorded, oldest first."""
        return observations(self._journal.entries)

    def opened_wall(self, decision_id: str) -> dt.datetime | None:
        """When the decision point was last put to the room, in wall-clock time."""
        return self._opened_walls.get(decision_id)

    def subscribe(self, callback: Callable[[Event], None]) -> None:
        """Call `callback` with each new live record, also after `sim` is rebuilt by undo.

        Records regenerated by replay are not sent again: after a rebuild, read `sim.records`.
        """
        self._subscribers.append(callback)

    # ----------------------------------------------------------------------------- recording

    def choose(self, decision_id: str, option_id: str, note: str = "") -> list[Event]:
        """Journal the room's choice durably, then apply it; returns the new records."""
        with self.lock:
            pending = {p.decision_id: p for p in self.sim.pending}
            if decision_id not in pending:
                raise ValueError(f"decision {decision_id!r} is not open")
            options = [o.id for o in self.compiled.scenario.decision(decision_id).options]
            if option_id not in options:
                raise ValueError(
                    f"decision {decision_id!r} has no option {option_id!r} "
                    f"(options: {', '.join(options)})"
                )
            opened_wall = self._opened_walls.get(decision_id)
            self._journal.append(
                EntryKind.DECISION,
                time=self.sim.now,
                position=self.sim.position,
                payload={
                    "decision": decision_id,
                    "option": option_id,
                    "note": note,
                    "opened": pending[decision_id].opened,
                    "opened_wall": None if opened_wall is None else format_wall(opened_wall),
                },
                wall=self._clock(),
            )
            position, walls = self._state()
            walls.pop(decision_id, None)
            self._journalled = (position, walls)
            return self.sim.choose(decision_id, option_id, by="room")

    def note(
        self, text: str, objective: str | None = None, inject: str | None = None
    ) -> Observation:
        """Journal an observation stamped with the exercise time and the wall time."""
        if not text.strip():
            raise ValueError("an observation needs some text")
        scenario = self.compiled.scenario
        if objective is not None and objective not in {o.id for o in scenario.meta.objectives}:
            raise ValueError(f"the scenario has no objective {objective!r}")
        if inject is not None and inject not in {i.id for i in scenario.injects}:
            raise ValueError(f"the scenario has no inject {inject!r}")
        with self.lock:
            entry = self._journal.append(
                EntryKind.NOTE,
                time=self.sim.now,
                position=self.sim.position,
                payload={"text": text, "objective": objective, "inject": inject},
                wall=self._clock(),
            )
            self._journalled = self._state()
        return Observation.of(entry)

    def undo(self) -> RecordedDecision:
        """Retract the room's last decision: journal it, then rebuild `sim` by replay to the
        moment just before that choice (the decision is open again)."""
        with self.lock:
            in_force = self.decisions
            if not in_force:
                raise ValueError("there is no decision to undo")
            last = in_force[-1]
            self._journal.append(
                EntryKind.UNDO,
                time=last.time,
                position=last.position,
                payload={"retracts": last.seq},
                wall=self._clock(),
            )
            plan = plan_replay(self._journal.entries)
            self._opened_walls.update(plan.opened_walls)
            self.sim = self._attach(replay(self.compiled, self.seed, plan, self.path))
            self.generation += 1
            self._journalled = self._state()
            return last

    def checkpoint(self) -> bool:
        """Journal where the engine is, so resume returns here; False when nothing moved since."""
        with self.lock:
            state = self._state()
            if state == self._journalled:
                return False
            self._journal.append(
                EntryKind.CHECKPOINT,
                time=self.sim.now,
                position=self.sim.position,
                payload={"pending": dict(state[1])},
                wall=self._clock(),
            )
            self._journalled = state
            return True

    def save_as(self, new_path: str | Path, *, overwrite: bool = False) -> Path:
        """Copy the journal to `new_path` and carry on recording there (Save As).

        The old file stays a complete record of the session up to this moment.
        """
        target = Path(new_path)
        with self.lock:
            if target.resolve() == self.path.resolve():
                return self.path
            if target.exists():
                if not overwrite:
                    raise JournalError(target, "already exists; choose another session file")
                for suffix in ("", "-wal", "-shm"):
                    target.with_name(target.name + suffix).unlink(missing_ok=True)
            self._journal.backup_to(target)
            self._journal.close()
            self._journal = Journal.open(target)
            return target

    # ----------------------------------------------------------------------------- internals

    def _attach(self, sim: Simulation) -> Simulation:
        sim.subscribe(self._on_event)
        return sim

    def _on_event(self, event: Event) -> None:
        if isinstance(event.payload, DecisionOpened):
            self._opened_walls[event.payload.decision] = self._clock()
        for callback in self._subscribers:
            callback(event)

    def _state(self) -> tuple[int, dict[str, str]]:
        return self.sim.position, self._pending_walls()

    def _pending_walls(self) -> dict[str, str]:
        return {
            p.decision_id: format_wall(self._opened_walls[p.decision_id])
            for p in self.sim.pending
            if p.decision_id in self._opened_walls
        }
