"""Shared by the session tests and their crash child: the tiny scenario and a scripted room."""

from __future__ import annotations

from pathlib import Path

from simulator.engine.simulation import Simulation
from simulator.session import Session

MINI = Path(__file__).parent / "data" / "mini_exercise.yaml"
ROOM = {"raise": "raise", "reinforce": "yes", "statement": "brief"}
"""The options the scripted room picks."""


def trace(sim: Simulation) -> list[str]:
    return [e.to_json() for e in sim.records]


def answer_pending(session: Session, room: dict[str, str] = ROOM) -> int:
    """Choose for every open decision, as a room would the moment it opens."""
    answered = 0
    while session.sim.pending:
        decision = session.sim.pending[0].decision_id
        session.choose(decision, room[decision], note=f"room chose {room[decision]}")
        answered += 1
    return answered


def play_to_end(session: Session, room: dict[str, str] = ROOM) -> None:
    while True:
        answer_pending(session, room)
        if session.sim.run_to_decision() is None:
            return
