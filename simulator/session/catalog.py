"""Finding session journals on disk for the picker, and naming new ones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from simulator.session.entries import Entry, JournalError
from simulator.session.reading import read_journal
from simulator.session.records import decisions_in_force, observations
from simulator.session.storage import APPLICATION_ID, SQLITE_MAGIC

SESSION_SUFFIX = ".ttxsession"


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """One journal as the recent-sessions list shows it."""

    path: Path
    title: str
    """The scenario's title, or the file name when the header cannot be read."""
    modified: dt.datetime
    """Last write to the file (UTC)."""
    time: float
    """Exercise hours of the journal's last entry."""
    scenario_path: str
    decisions: int
    notes: int
    problem: str | None = None
    """Why it cannot be resumed as it stands (damaged, truncated), else None."""


def default_sessions_dir() -> Path:
    """Where sessions are kept unless told otherwise: `sessions` in the platform's user data
    folder (`$XDG_DATA_HOME/cbrn-ttx/sessions`, by default `~/.local/share/...`, on Linux)."""
    return platformdirs.user_data_path("cbrn-ttx", appauthor=False) / "sessions"


def new_session_path(directory: str | Path, scenario_id: str, now: dt.datetime) -> Path:
    """A fresh journal name such as `eastern-flank-20261125-1402.ttxsession` (never an existing
    file: a counter is added when needed)."""
    folder = Path(directory)
    stem = f"{scenario_id}-{now.astimezone(dt.UTC):%Y%m%d-%H%M}"
    candidate = folder / f"{stem}{SESSION_SUFFIX}"
    counter = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{counter}{SESSION_SUFFIX}"
        counter += 1
    return candidate


def list_recent_sessions(directory: str | Path) -> list[SessionInfo]:
    """Every session journal directly in `directory`, most recently written first.

    Other files are skipped; damaged journals are listed with their `problem` so the picker can
    say why they will not open.
    """
    folder = Path(directory)
    if not folder.is_dir():
        return []
    found = [info for p in sorted(folder.iterdir()) if (info := _describe(p)) is not None]
    return sorted(found, key=lambda i: (i.modified, str(i.path)), reverse=True)


def _modified(path: Path) -> dt.datetime:
    times = [path.stat().st_mtime]
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        times.append(wal.stat().st_mtime)
    return dt.datetime.fromtimestamp(max(times), dt.UTC)


def _is_journal_file(path: Path) -> bool:
    if not path.is_file() or path.name.endswith(("-wal", "-shm")):
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(100)
    except OSError:
        return False
    if not head.startswith(SQLITE_MAGIC):
        return False
    application_id = int.from_bytes(head[68:72], "big")
    # A journal written before its first checkpoint still has 0 here, its header being in the
    # -wal file beside it; reading it (which checks every row) decides.
    return application_id == APPLICATION_ID or (
        application_id == 0 and path.with_name(f"{path.name}-wal").is_file()
    )


def _describe(path: Path) -> SessionInfo | None:
    if not _is_journal_file(path):
        return None
    problem: str | None = None
    entries: list[Entry]
    try:
        header, entries = read_journal(path)
    except JournalError as error:
        if error.header is None:
            return SessionInfo(path, path.name, _modified(path), 0.0, "", 0, 0, str(error))
        header, entries, problem = error.header, error.complete, str(error)
    return SessionInfo(
        path=path,
        title=header.scenario_title,
        modified=_modified(path),
        time=entries[-1].time if entries else 0.0,
        scenario_path=header.scenario_path,
        decisions=len(decisions_in_force(entries)),
        notes=len(observations(entries)),
        problem=problem,
    )
