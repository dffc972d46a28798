"""The session journal: an append-only SQLite file holding what only the room can supply.

A session is rebuilt by replaying the scenario with its seed and the journalled decisions, so the
journal stores the scenario's hash and path, the seed, and one row per decision, undo, note and
checkpoint; the engine regenerates everything else. Each row is its own durable transaction
(WAL, `synchronous=FULL`), so a crash loses at most the row being written.

This module writes journals; `entries` holds the record types and their checks, `storage` the
SQLite layout, and `reading` reads a journal back as the untrusted input it is.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Mapping
from pathlib import Path

from simulator.engine.events import JSONValue
from simulator.engine.streams import SeedRecord
from simulator.session.entries import (
    Entry,
    EntryKind,
    Header,
    JournalError,
    payload_problem,
)
from simulator.session.reading import read_journal
from simulator.session.storage import (
    APPLICATION_ID,
    ENTRY_COLUMNS,
    FORMAT_VERSION,
    META_COLUMNS,
    SCHEMA,
    connect,
    entry_row,
    header_row,
)


class Journal:
    """An open journal file that rows are appended to; safe to share between threads."""

    def __init__(self, path: Path, conn: sqlite3.Connection, header: Header, entries: list[Entry]):
        self.path = path
        self.header = header
        self._conn = conn
        self._entries = entries
        self._lock = threading.Lock()

    @property
    def entries(self) -> list[Entry]:
        return list(self._entries)

    @classmethod
    def create(
        cls,
        path: str | Path,
        *,
        scenario_hash: str,
        scenario_path: str,
        scenario_title: str,
        seed: SeedRecord,
        created: dt.datetime,
    ) -> Journal:
        """Write a new journal; refuses to overwrite an existing file."""
        target = Path(path)
        if target.exists():
            raise JournalError(target, "already exists; choose another session file")
        target.parent.mkdir(parents=True, exist_ok=True)
        header = Header(FORMAT_VERSION, scenario_hash, scenario_path, scenario_title, seed, created)
        conn = connect(target, "rwc")
        try:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {FORMAT_VERSION}")
            conn.executescript(f"BEGIN;{SCHEMA}COMMIT;")
            conn.execute(
                f"INSERT INTO meta ({', '.join(META_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                header_row(header),
            )
            # Copy the header into the main file now: until a checkpoint it lives only in the
            # -wal file, and a session killed before then would not look like a journal to
            # the recent-sessions list, which reads the main file's application id.
            conn.execute("PRAGMA wal_checkpoint(FULL)")
        except sqlite3.Error as error:
            conn.close()
            raise JournalError(target, f"cannot be written: {error}") from error
        return cls(target, conn, header, [])

    @classmethod
    def open(cls, path: str | Path) -> Journal:
        """Open an existing journal for appending, after checking every row."""
        target = Path(path)
        header, entries = read_journal(target)
        return cls(target, connect(target, "rw"), header, entries)

    def append(
        self,
        kind: EntryKind,
        *,
        time: float,
        position: int,
        payload: Mapping[str, JSONValue],
        wall: dt.datetime,
    ) -> Entry:
        """Write one row durably and return it; the row is on disk when this returns."""
        problem = payload_problem(kind, payload)
        if problem:
            raise ValueError(f"invalid {kind.value} entry: {problem}")
        with self._lock:
            seq = len(self._entries) + 1
            entry = Entry(seq, kind, float(time), int(position), wall, dict(payload))
            try:
                self._conn.execute(
                    f"INSERT INTO entries ({', '.join(ENTRY_COLUMNS)}) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    entry_row(entry),
                )
            except sqlite3.Error as error:
                raise JournalError(self.path, f"cannot be written: {error}") from error
            self._entries.append(entry)
            return entry

    def backup_to(self, destination: str | Path) -> None:
        """Copy the whole journal with SQLite's online backup (consistent even mid-session)."""
        target = Path(destination)
        target.parent.mkdir(parents=True, exist_ok=True)
        dest = connect(target, "rwc")
        try:
            with self._lock:
                self._conn.backup(dest)
        except sqlite3.Error as error:
            raise JournalError(target, f"cannot be written: {error}") from error
        finally:
            dest.close()

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def recover_journal(source: str | Path, destination: str | Path) -> int:
    """Write a new journal holding the header and every complete entry of a damaged one.

    Returns the number of entries kept. The damaged file is left untouched.
    """
    try:
        header, entries = read_journal(source)
    except JournalError as error:
        if error.header is None:
            raise
        header, entries = error.header, error.complete
    journal = Journal.create(
        destination,
        scenario_hash=header.scenario_hash,
        scenario_path=header.scenario_path,
        scenario_title=header.scenario_title,
        seed=header.seed,
        created=header.created,
    )
    try:
        for entry in entries:
            journal.append(
                entry.kind,
                time=entry.time,
                position=entry.position,
                payload=entry.payload,
                wall=entry.wall,
            )
    finally:
        journal.close()
    return len(entries)
