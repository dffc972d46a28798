"""Rebuild a live simulation from the scenario, the seed and the journal's decisions.

The engine is deterministic given the scenario, the seed and where each choice was applied, so
replay builds a fresh `Simulation`, steps it to each decision's recorded engine position, applies
the choice, and finally steps to the position of the journal's last entry: the point where the
facilitator was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from simulator.engine.simulation import Simulation, SimulationError
from simulator.engine.streams import SeedRecord
from simulator.scenario.compiled import CompiledScenario
from simulator.session.entries import Entry, EntryKind, JournalError
from simulator.session.records import RecordedDecision, decisions_in_force


@dataclass(frozen=True, slots=True)
class ReplayPlan:
    """The decisions to apply, where to stop, and when each still-open decision was put."""

    decisions: tuple[RecordedDecision, ...]
    target: int
    """Engine position of the journal's last entry."""
    opened_walls: dict[str, dt.datetime]
    """Wall-clock time each decision point was put to the room, as far as the journal knows."""


def plan_replay(entries: list[Entry]) -> ReplayPlan:
    opened_walls: dict[str, dt.datetime] = {}
    for entry in entries:
        if entry.kind is EntryKind.CHECKPOINT:
            pending = entry.payload["pending"]
            assert isinstance(pending, dict)
            opened_walls.update(
                {k: dt.datetime.fromisoformat(str(v)) for k, v in sorted(pending.items())}
            )
        elif entry.kind is EntryKind.DECISION:
            recorded = RecordedDecision.of(entry)
            if recorded.opened_wall is not None:
                opened_walls[recorded.decision] = recorded.opened_wall
    target = entries[-1].position if entries else 0
    return ReplayPlan(tuple(decisions_in_force(entries)), target, opened_walls)


def replay(
    compiled: CompiledScenario, seed: SeedRecord, plan: ReplayPlan, journal_path: str | Path
) -> Simulation:
    """A live simulation in exactly the state the journal describes; `JournalError` if it cannot
    be reached (a journal that does not fit this scenario)."""
    sim = Simulation(compiled, seed.sequence(), live=True, trace=True)
    for recorded in plan.decisions:
        _advance(sim, recorded.position, recorded.seq, journal_path)
        try:
            sim.choose(recorded.decision, recorded.option, by=recorded.by)
        except SimulationError as error:
            raise JournalError(
                journal_path,
                f"entry {recorded.seq} cannot be replayed: {error} at engine step "
                f"{recorded.position}; the journal does not fit this scenario as this version of "
                "ttx plays it (recorded with another scenario, or by a version whose timing of "
                "clock and readiness conditions differed)",
            ) from error
    _advance(sim, plan.target, None, journal_path)
    return sim


def _advance(sim: Simulation, position: int, seq: int | None, journal_path: str | Path) -> None:
    where = "its last entry" if seq is None else f"entry {seq}"
    if position < sim.position:
        raise JournalError(
            journal_path,
            f"{where} is at engine step {position}, before the previous decision "
            f"(step {sim.position}): the entries are out of order",
        )
    try:
        sim.advance_to(position)
    except SimulationError as error:
        raise JournalError(journal_path, f"{where} cannot be replayed: {error}") from error
    if sim.position != position:
        raise JournalError(
            journal_path,
            f"{where} is at engine step {position}, but the exercise ended at step "
            f"{sim.position}: the journal does not fit this scenario",
        )
