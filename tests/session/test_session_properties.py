"""Properties over many histories: any mix of play, choices, undos and notes resumes exactly, and
no damage to a journal file ever escapes as anything but a one-line `JournalError`."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from session_test_play import MINI, trace

from simulator.scenario.compiled import CompiledScenario
from simulator.scenario.loader import load_scenario
from simulator.session import JournalError, Session
from simulator.session.reading import read_journal

ACTIONS = ("run", "step", "choose_first", "choose_last", "undo", "note", "checkpoint")


@cache
def _mini() -> CompiledScenario:
    return load_scenario(MINI)


def _apply(session: Session, action: str, horizon: float) -> float:
    sim = session.sim
    if action == "run":
        horizon = max(horizon, sim.now) + 3.0
        sim.run_until(horizon)
    elif action == "step":
        sim.step()
    elif action.startswith("choose") and sim.pending:
        decision = _mini().scenario.decision(sim.pending[0].decision_id)
        option = decision.options[0 if action == "choose_first" else -1]
        session.choose(decision.id, option.id, note=action)
    elif action == "undo" and session.decisions:
        session.undo()
    elif action == "note":
        session.note(f"note at {sim.now:.3f}", objective="coordination")
    elif action == "checkpoint":
        session.checkpoint()
    return horizon


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    actions=st.lists(st.sampled_from(ACTIONS), max_size=30),
)
def test_any_history_resumes_to_the_same_state(seed: int, actions: list[str]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "s.ttxsession"
        session = Session.create(path, _mini(), seed)
        horizon = 0.0
        for action in actions:
            horizon = _apply(session, action, horizon)
        live = (trace(session.sim), session.decisions, session.notes, session.sim.pending)
        session.close()
        with Session.resume(path) as resumed:
            again = (trace(resumed.sim), resumed.decisions, resumed.notes, resumed.sim.pending)
        assert again == live


@cache
def _sample_journal() -> bytes:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "s.ttxsession"
        session = Session.create(path, _mini(), 3)
        horizon = 0.0
        for action in ("run", "note", "run", "run", "choose_first", "note", "run") * 4:
            horizon = _apply(session, action, horizon)
        session.close()
        return path.read_bytes()


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_garbled_bytes_give_a_journal_error_or_an_intact_prefix(data: st.DataObject) -> None:
    original = _sample_journal()
    garbled = bytearray(original)
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(garbled) - 1))
        garbled[at] = data.draw(st.integers(0, 255))
    with tempfile.TemporaryDirectory() as scratch:
        reference = Path(scratch) / "reference.ttxsession"
        reference.write_bytes(original)
        _, intact = read_journal(reference)
        path = Path(scratch) / "garbled.ttxsession"
        path.write_bytes(bytes(garbled))
        try:
            _, entries = read_journal(path)
        except JournalError as error:
            assert "\n" not in str(error)
            entries = error.complete
        assert entries == intact[: len(entries)]
