"""Crash-safe sessions: an append-only journal of the room's choices, replayed on resume."""

from simulator.session.catalog import SessionInfo, list_recent_sessions, new_session_path
from simulator.session.entries import JournalError
from simulator.session.journal import recover_journal
from simulator.session.records import Observation, RecordedDecision
from simulator.session.session import ScenarioChanged, Session

__all__ = [
    "JournalError",
    "Observation",
    "RecordedDecision",
    "ScenarioChanged",
    "Session",
    "SessionInfo",
    "list_recent_sessions",
    "new_session_path",
    "recover_journal",
]
