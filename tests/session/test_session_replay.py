"""Sessions: resume and undo rebuild exactly the state an uninterrupted session would have."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from session_test_play import MINI, ROOM, answer_pending, play_to_end, trace

from simulator.engine.simulation import Simulation
from simulator.scenario.loader import load_scenario
from simulator.session import (
    JournalError,
    ScenarioChanged,
    Session,
    list_recent_sessions,
    new_session_path,
)

SEED = 20261125


def _uninterrupted(seed: int = SEED, room: dict[str, str] = ROOM) -> list[str]:
    sim = Simulation(load_scenario(MINI), seed, live=True)
    while (pending := sim.run_to_decision()) is not None:
        sim.choose(pending.decision_id, room[pending.decision_id])
    return trace(sim)


class FakeClock:
    """Wall time that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def test_a_played_session_matches_the_headless_engine(tmp_path: Path) -> None:
    with Session.create(tmp_path / "s.ttxsession", load_scenario(MINI), SEED) as session:
        play_to_end(session)
        assert trace(session.sim) == _uninterrupted()
        assert [d.decision for d in session.decisions] == ["raise", "reinforce", "statement"]


def test_resume_mid_exercise_rebuilds_the_same_state(tmp_path: Path) -> None:
    path = tmp_path / "s.ttxsession"
    session = Session.create(path, load_scenario(MINI), SEED)
    session.sim.run_to_decision()
    answer_pending(session)
    session.sim.run_until(15.5)
    session.note("the room hesitated", objective="coordination", inject="buildup")
    session.sim.run_until(19.0)
    assert session.checkpoint()
    assert not session.checkpoint()
    before = trace(session.sim)
    position = session.sim.position
    session.close()

    resumed = Session.resume(path)
    assert resumed.sim.position == position
    assert trace(resumed.sim) == before
    assert resumed.sim.snapshot() == _snapshot_at(before, resumed)
    assert [n.text for n in resumed.notes] == ["the room hesitated"]
    assert resumed.notes[0].objective == "coordination"
    assert resumed.notes[0].inject == "buildup"
    play_to_end(resumed)
    assert trace(resumed.sim) == _uninterrupted()
    resumed.close()


def _snapshot_at(records: list[str], resumed: Session) -> Any:
    """The snapshot of an uninterrupted run stopped at the same step."""
    sim = Simulation(load_scenario(MINI), SEED, live=True)
    for decision in resumed.decisions:
        sim.advance_to(decision.position)
        sim.choose(decision.decision, decision.option)
    sim.advance_to(resumed.sim.position)
    assert trace(sim) == records
    return sim.snapshot()


def test_undo_then_the_same_choice_gives_the_identical_trace(tmp_path: Path) -> None:
    session = Session.create(tmp_path / "s.ttxsession", load_scenario(MINI), SEED)
    session.sim.run_to_decision()
    answer_pending(session)
    pending = session.sim.run_to_decision()
    assert pending is not None and pending.decision_id == "reinforce"
    at_open = trace(session.sim)
    position = session.sim.position
    session.choose("reinforce", "no", note="first thoughts")
    session.sim.run_until(40.0)

    retracted = session.undo()
    assert (retracted.decision, retracted.option) == ("reinforce", "no")
    assert session.generation == 1
    assert session.sim.position == position
    assert trace(session.sim) == at_open
    assert [p.decision_id for p in session.sim.pending] == ["reinforce"]
    assert [d.decision for d in session.decisions] == ["raise"]

    play_to_end(session)
    assert trace(session.sim) == _uninterrupted()
    session.close()
    resumed = Session.resume(session.path)
    assert trace(resumed.sim) == _uninterrupted()
    resumed.close()


def test_undo_with_nothing_decided_is_refused(tmp_path: Path) -> None:
    session = Session.create(tmp_path / "s.ttxsession", load_scenario(MINI), SEED)
    with pytest.raises(ValueError, match="no decision to undo"):
        session.undo()
    session.close()


def test_invalid_choices_are_refused_and_not_journalled(tmp_path: Path) -> None:
    session = Session.create(tmp_path / "s.ttxsession", load_scenario(MINI), SEED)
    with pytest.raises(ValueError, match="not open"):
        session.choose("raise", "raise")
    session.sim.run_to_decision()
    with pytest.raises(ValueError, match="no option 'maybe'"):
        session.choose("raise", "maybe")
    with pytest.raises(ValueError, match="no objective"):
        session.note("x", objective="nonsense")
    with pytest.raises(ValueError, match="needs some text"):
        session.note("   ")
    assert session.decisions == [] and session.notes == []
    session.close()


def test_wall_time_taken_is_kept_across_resume(tmp_path: Path) -> None:
    clock = FakeClock()
    path = tmp_path / "s.ttxsession"
    session = Session.create(path, load_scenario(MINI), SEED, clock=clock)
    session.sim.run_to_decision()
    clock.advance(90)
    session.choose("raise", "raise")
    session.sim.run_to_decision()
    clock.advance(30)
    session.checkpoint()
    session.close()

    clock.advance(600)
    resumed = Session.resume(path, clock=clock)
    clock.advance(15)
    resumed.choose("reinforce", "yes")
    first, second = resumed.decisions
    assert first.wall_taken == dt.timedelta(seconds=90)
    assert second.wall_taken == dt.timedelta(seconds=645)
    assert second.exercise_taken == pytest.approx(0.0)
    resumed.close()


def test_a_changed_scenario_is_refused_naming_both_hashes(tmp_path: Path) -> None:
    scenario = tmp_path / "mini.yaml"
    shutil.copy(MINI, scenario)
    path = tmp_path / "s.ttxsession"
    compiled = load_scenario(scenario)
    session = Session.create(path, compiled, SEED)
    play_to_end(session)
    session.close()
    scenario.write_text(scenario.read_text() + "# edited after the exercise\n")
    changed = load_scenario(scenario)

    with pytest.raises(ScenarioChanged) as caught:
        Session.resume(path)
    message = str(caught.value)
    assert compiled.source_hash in message and changed.source_hash in message
    assert "\n" not in message

    allowed = Session.resume(path, allow_changed=True)
    assert allowed.recorded_hash == compiled.source_hash
    assert allowed.compiled.source_hash == changed.source_hash
    assert trace(allowed.sim) == _uninterrupted()
    allowed.close()


def test_a_journal_that_no_longer_fits_the_scenario_is_a_journal_error(tmp_path: Path) -> None:
    scenario = tmp_path / "mini.yaml"
    shutil.copy(MINI, scenario)
    path = tmp_path / "s.ttxsession"
    session = Session.create(path, load_scenario(scenario), SEED)
    play_to_end(session)
    session.close()
    scenario.write_text(scenario.read_text().replace("trigger: { at: 8h }", "trigger: { at: 30h }"))
    with pytest.raises(JournalError, match="cannot be replayed"):
        Session.resume(path, allow_changed=True)


def test_resume_with_a_moved_scenario(tmp_path: Path) -> None:
    scenario = tmp_path / "first" / "mini.yaml"
    scenario.parent.mkdir()
    shutil.copy(MINI, scenario)
    path = tmp_path / "s.ttxsession"
    Session.create(path, load_scenario(scenario), SEED).close()
    moved = tmp_path / "moved.yaml"
    scenario.rename(moved)
    with pytest.raises(JournalError, match="cannot be found"):
        Session.resume(path)
    Session.resume(path, scenario_path=moved).close()


def test_save_as_copies_and_carries_on_in_the_new_file(tmp_path: Path) -> None:
    old = tmp_path / "old.ttxsession"
    session = Session.create(old, load_scenario(MINI), SEED)
    session.sim.run_to_decision()
    answer_pending(session)
    new = session.save_as(tmp_path / "copies" / "new.ttxsession")
    assert session.path == new
    session.note("after save as")
    session.close()
    assert [n.text for n in Session.resume(new).notes] == ["after save as"]
    with Session.resume(old) as original:
        assert original.notes == [] and len(original.decisions) == 1
        with pytest.raises(JournalError, match="already exists"):
            original.save_as(new)


@pytest.fixture
def sql_statements(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    statements: list[str] = []
    connect = sqlite3.connect

    def traced(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = connect(*args, **kwargs)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(sqlite3, "connect", traced)
    yield statements


def test_sessions_only_ever_insert(tmp_path: Path, sql_statements: list[str]) -> None:
    session = Session.create(tmp_path / "s.ttxsession", load_scenario(MINI), SEED)
    session.sim.run_to_decision()
    answer_pending(session)
    session.note("a note")
    session.checkpoint()
    session.undo()
    play_to_end(session)
    session.save_as(tmp_path / "t.ttxsession")
    session.close()
    Session.resume(tmp_path / "t.ttxsession").close()
    list_recent_sessions(tmp_path)
    verbs = {s.split()[0].upper() for s in sql_statements}
    assert "INSERT" in verbs
    assert verbs.isdisjoint({"UPDATE", "DELETE", "REPLACE", "DROP", "ALTER"})
    assert not any("OR REPLACE" in s.upper() for s in sql_statements)


def test_recent_sessions_lists_journals_newest_first(tmp_path: Path) -> None:
    now = dt.datetime(2026, 11, 25, 14, 2, tzinfo=dt.UTC)
    first = new_session_path(tmp_path, "mini_exercise", now)
    assert first.name == "mini_exercise-20261125-1402.ttxsession"
    with Session.create(first, load_scenario(MINI), SEED) as session:
        session.sim.run_to_decision()
        answer_pending(session)
        session.note("n")
    second = new_session_path(tmp_path, "mini_exercise", now)
    assert second.name == "mini_exercise-20261125-1402-2.ttxsession"
    Session.create(second, load_scenario(MINI), SEED).close()
    os.utime(first, (time.time() - 100, time.time() - 100))
    (tmp_path / "notes.txt").write_text("not a journal")
    sqlite3.connect(tmp_path / "other.db").execute("CREATE TABLE t (x)").connection.close()
    damaged = tmp_path / "damaged.ttxsession"
    shutil.copy(first, damaged)
    damaged.write_bytes(damaged.read_bytes()[:6000])

    listed = list_recent_sessions(tmp_path)
    assert [i.path.name for i in listed][:2] == [damaged.name, second.name]
    assert listed[-1].path == first
    assert (listed[-1].decisions, listed[-1].notes) == (1, 1)
    assert listed[-1].title == "Mini exercise: Grey Harbour"
    assert listed[-1].time == pytest.approx(8.0)
    assert listed[0].problem is not None and "truncated" in listed[0].problem
    assert all(i.problem is None for i in listed[1:])


CHILD = Path(__file__).parent / "crash_child.py"


@pytest.mark.parametrize("run", range(2))
def test_a_session_killed_mid_run_resumes_to_the_same_trace(tmp_path: Path, run: int) -> None:
    path = tmp_path / "killed.ttxsession"
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(path), str(SEED)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parent,
    )
    assert child.stdout is not None
    reported: list[str] = []
    try:
        for line in child.stdout:
            reported.append(line.strip())
            if line.startswith("decided 2"):
                break
        time.sleep(random.Random(run).uniform(0.0, 0.05))
        child.send_signal(signal.SIGKILL)
        reported += [line.strip() for line in child.stdout]
    finally:
        child.kill()
        child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    assert "finished" not in reported, "the child ended before it could be killed"
    # The picker must offer the killed session for recovery.
    assert [info.path for info in list_recent_sessions(tmp_path)] == [path]

    resumed = Session.resume(path)
    decided = sum(line.startswith("decided") for line in reported)
    noted = [line.removeprefix("noted ") for line in reported if line.startswith("noted")]
    assert len(resumed.decisions) >= decided >= 2
    kept = [n.text for n in resumed.notes]
    assert kept[: len(noted)] == noted and len(kept) - len(noted) <= 1
    play_to_end(resumed)
    assert trace(resumed.sim) == _uninterrupted()
    resumed.close()


def test_a_journal_whose_header_is_still_in_the_wal_is_listed(tmp_path: Path) -> None:
    path = tmp_path / "fresh.ttxsession"
    Session.create(path, load_scenario(MINI), SEED).close()
    main = path.read_bytes()
    # As a killed session can leave it: the main file's header not yet checkpointed.
    path.write_bytes(main[:68] + bytes(4) + main[72:])
    (tmp_path / "fresh.ttxsession-wal").write_bytes(b"")
    assert [info.path for info in list_recent_sessions(tmp_path)] == [path]
    path.with_name("fresh.ttxsession-wal").unlink(missing_ok=True)
    assert list_recent_sessions(tmp_path) == []
