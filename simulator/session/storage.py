"""The journal's SQLite layout: schema, connection settings and how records become rows.

Every table is append-only (triggers refuse UPDATE and DELETE) and each row carries a checksum, so
a row altered or only partly written is recognised when read back.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Final

from simulator.engine.events import canonical_json
from simulator.session.entries import (
    Entry,
    Header,
    JournalError,
    format_wall,
    row_checksum,
)

FORMAT_VERSION: Final = 1
APPLICATION_ID: Final = 0x54545831
"""`PRAGMA application_id` of every journal ("TTX1"), so other SQLite files are told apart."""

SQLITE_MAGIC: Final = b"SQLite format 3\x00"

SCHEMA: Final = """
CREATE TABLE meta (
    format_version INTEGER NOT NULL,
    scenario_hash TEXT NOT NULL,
    scenario_path TEXT NOT NULL,
    scenario_title TEXT NOT NULL,
    seed TEXT NOT NULL,
    created TEXT NOT NULL,
    crc TEXT NOT NULL
);
CREATE TABLE entries (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    time REAL NOT NULL,
    position INTEGER NOT NULL,
    wall TEXT NOT NULL,
    payload TEXT NOT NULL,
    crc TEXT NOT NULL
);
CREATE TRIGGER meta_is_append_only_u BEFORE UPDATE ON meta
    BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER meta_is_append_only_d BEFORE DELETE ON meta
    BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER entries_are_append_only_u BEFORE UPDATE ON entries
    BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER entries_are_append_only_d BEFORE DELETE ON entries
    BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
"""
META_COLUMNS: Final = (
    "format_version",
    "scenario_hash",
    "scenario_path",
    "scenario_title",
    "seed",
    "created",
    "crc",
)
ENTRY_COLUMNS: Final = ("seq", "kind", "time", "position", "wall", "payload", "crc")


def connect(path: Path, mode: str, *, writer: bool = True) -> sqlite3.Connection:
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        if writer:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.Error as error:
        raise JournalError(path, f"cannot be opened: {error}") from error
    return conn


def header_row(h: Header) -> tuple[int, str, str, str, str, str, str]:
    seed = h.seed.to_json()
    created = format_wall(h.created)
    crc = row_checksum(
        h.format_version, h.scenario_hash, h.scenario_path, h.scenario_title, seed, created
    )
    return (
        h.format_version,
        h.scenario_hash,
        h.scenario_path,
        h.scenario_title,
        seed,
        created,
        crc,
    )


def entry_row(e: Entry) -> tuple[int, str, float, int, str, str, str]:
    payload = canonical_json(dict(e.payload))
    wall = format_wall(e.wall)
    crc = row_checksum(e.seq, e.kind.value, e.time, e.position, wall, payload)
    return (e.seq, e.kind.value, e.time, e.position, wall, payload, crc)
