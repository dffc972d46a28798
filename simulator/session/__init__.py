"""Crash-safe sessions: an append-only journal of the room's choices, replayed on resume.

The names imported below load on first use (`simulator.lazy_names`), so the submodules stay
light: `simulator.session.catalog` alone loads no engine.
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

# Hidden from mypy, which would otherwise type every misspelt name as `object`.
if not TYPE_CHECKING:
    __getattr__ = lazy_names(__name__, __file__)
