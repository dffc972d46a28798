"""Crash-safe sessions: an append-only journal of the room's choices, replayed on resume.

The names below load on first use, so `simulator.session.catalog` alone stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator import lazy_names

if TYPE_CHECKING:
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

_HOMES = {
    "JournalError": "simulator.session.entries",
    "Observation": "simulator.session.records",
    "RecordedDecision": "simulator.session.records",
    "ScenarioChanged": "simulator.session.session",
    "Session": "simulator.session.session",
    "SessionInfo": "simulator.session.catalog",
    "list_recent_sessions": "simulator.session.catalog",
    "new_session_path": "simulator.session.catalog",
    "recover_journal": "simulator.session.journal",
}

# Hidden from mypy, which would otherwise type every misspelt name as `object`.
if not TYPE_CHECKING:
    __getattr__ = lazy_names(__name__, _HOMES)
