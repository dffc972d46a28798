"""The session journal: an append-only SQLite file holding what only the room can supply.

A session is rebuilt by replaying the scenario with its seed and the journalled decisions, so the
journal stores the scenario's hash and path, the seed, and one row per decision, undo, note and
checkpoint; the engine regenerates everything else. Each row is its own durable transaction
(WAL, `synchronous=FULL`), so a crash loses at most the row being written.

A journal is untrusted input when read back: every row is checked (schema, contiguous sequence
numbers, known kinds, typed payloads, a per-row checksum), and reading stops at the first damaged
row with a `JournalError` that keeps every complete row before it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Final

import numpy as np

from simulator.engine.events import JSONValue

FORMAT_VERSION: Final = 1
APPLICATION_ID: Final = 0x54545831
"""`PRAGMA application_id` of every journal ("TTX1"), so other SQLite files are told apart."""

SQLITE_MAGIC: Final = b"SQLite format 3\x00"

_SCHEMA: Final = """
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
_META_COLUMNS: Final = (
    "format_version",
    "scenario_hash",
    "scenario_path",
    "scenario_title",
    "seed",
    "created",
    "crc",
)
_ENTRY_COLUMNS: Final = ("seq", "kind", "time", "position", "wall", "payload", "crc")


class JournalError(Exception):
    """A journal cannot be used as it stands; `complete` holds every intact entry before the fault.

    The message is one line naming the file and what is wrong with it.
    """

    def __init__(
        self,
        path: str | Path,
        message: str,
        complete: list[Entry] | None = None,
        damaged_at: int | None = None,
        header: Header | None = None,
    ):
        self.path = str(path)
        self.complete: list[Entry] = complete or []
        self.damaged_at = damaged_at
        """Sequence number of the first damaged entry, when the header itself is intact."""
        self.header = header
        """The journal's header when it could be read, so the complete entries can be saved."""
        super().__init__(f"{path}: {message}")


class EntryKind(StrEnum):
    """What a journal row records."""

    DECISION = "decision"
    """The room chose an option: decision, option, note, opened (hours), opened_wall (ISO/None)."""
    UNDO = "undo"
    """The room took back its last decision: retracts (seq of that decision row)."""
    NOTE = "note"
    """An observation: text, objective (id or None), inject (id or None)."""
    CHECKPOINT = "checkpoint"
    """Where the facilitator was: pending ({decision id: ISO wall time it opened})."""


@dataclass(frozen=True, slots=True)
class SeedRecord:
    """Everything needed to rebuild the exact `numpy.random.SeedSequence` a session started with."""

    entropy: int | tuple[int, ...]
    spawn_key: tuple[int, ...] = ()
    pool_size: int = 4
    n_children_spawned: int = 0

    @classmethod
    def of(cls, seed: int | np.random.SeedSequence) -> SeedRecord:
        sequence = seed if isinstance(seed, np.random.SeedSequence) else _sequence_of_int(seed)
        entropy = sequence.entropy
        if entropy is None:
            raise ValueError("a SeedSequence without entropy cannot be journalled")
        return cls(
            entropy=int(entropy) if isinstance(entropy, int) else tuple(int(e) for e in entropy),
            spawn_key=tuple(int(k) for k in sequence.spawn_key),
            pool_size=int(sequence.pool_size),
            n_children_spawned=int(sequence.n_children_spawned),
        )

    def sequence(self) -> np.random.SeedSequence:
        """A fresh SeedSequence per call: spawning mutates one, and each replay must start clean."""
        entropy = self.entropy if isinstance(self.entropy, int) else list(self.entropy)
        return np.random.SeedSequence(
            entropy,
            spawn_key=self.spawn_key,
            pool_size=self.pool_size,
            n_children_spawned=self.n_children_spawned,
        )

    def to_json(self) -> str:
        entropy: JSONValue = self.entropy if isinstance(self.entropy, int) else list(self.entropy)
        return _canonical(
            {
                "entropy": entropy,
                "spawn_key": list(self.spawn_key),
                "pool_size": self.pool_size,
                "n_children_spawned": self.n_children_spawned,
            }
        )

    def describe(self) -> str:
        """Short text for people: the entropy, and the spawn key when there is one."""
        base = str(self.entropy) if isinstance(self.entropy, int) else str(list(self.entropy))
        return f"{base} / spawn {list(self.spawn_key)}" if self.spawn_key else base


def _sequence_of_int(seed: int) -> np.random.SeedSequence:
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"a seed must be a non-negative integer or a SeedSequence, not {seed!r}")
    return np.random.SeedSequence(seed)


@dataclass(frozen=True, slots=True)
class Header:
    """The journal's one meta row: what to replay and with which randomness."""

    format_version: int
    scenario_hash: str
    scenario_path: str
    scenario_title: str
    seed: SeedRecord
    created: dt.datetime


@dataclass(frozen=True, slots=True)
class Entry:
    """One journal row: its order, the exercise time and engine position it was taken at."""

    seq: int
    kind: EntryKind
    time: float
    position: int
    wall: dt.datetime
    payload: Mapping[str, JSONValue]

    def text(self, key: str) -> str:
        value = self.payload[key]
        assert isinstance(value, str)
        return value

    def optional_text(self, key: str) -> str | None:
        value = self.payload[key]
        assert value is None or isinstance(value, str)
        return value


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def format_wall(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _canonical(value: JSONValue) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)


def _crc(*parts: object) -> str:
    text = "\x1f".join(repr(p) if isinstance(p, float) else str(p) for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


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
        conn = _connect(target, "rwc")
        try:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {FORMAT_VERSION}")
            conn.executescript(f"BEGIN;{_SCHEMA}COMMIT;")
            conn.execute(
                f"INSERT INTO meta ({', '.join(_META_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                _header_row(header),
            )
        except sqlite3.Error as error:
            conn.close()
            raise JournalError(target, f"cannot be written: {error}") from error
        return cls(target, conn, header, [])

    @classmethod
    def open(cls, path: str | Path) -> Journal:
        """Open an existing journal for appending, after checking every row."""
        target = Path(path)
        header, entries = read_journal(target)
        return cls(target, _connect(target, "rw"), header, entries)

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
        problem = _payload_problem(kind, payload)
        if problem:
            raise ValueError(f"invalid {kind.value} entry: {problem}")
        with self._lock:
            seq = len(self._entries) + 1
            entry = Entry(seq, kind, float(time), int(position), wall, dict(payload))
            try:
                self._conn.execute(
                    f"INSERT INTO entries ({', '.join(_ENTRY_COLUMNS)}) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    _entry_row(entry),
                )
            except sqlite3.Error as error:
                raise JournalError(self.path, f"cannot be written: {error}") from error
            self._entries.append(entry)
            return entry

    def backup_to(self, destination: str | Path) -> None:
        """Copy the whole journal with SQLite's online backup (consistent even mid-session)."""
        target = Path(destination)
        target.parent.mkdir(parents=True, exist_ok=True)
        dest = _connect(target, "rwc")
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


def _connect(path: Path, mode: str, *, writer: bool = True) -> sqlite3.Connection:
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        if writer:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.Error as error:
        raise JournalError(path, f"cannot be opened: {error}") from error
    return conn


def _header_row(h: Header) -> tuple[int, str, str, str, str, str, str]:
    seed = h.seed.to_json()
    created = format_wall(h.created)
    crc = _crc(h.format_version, h.scenario_hash, h.scenario_path, h.scenario_title, seed, created)
    return (
        h.format_version,
        h.scenario_hash,
        h.scenario_path,
        h.scenario_title,
        seed,
        created,
        crc,
    )


def _entry_row(e: Entry) -> tuple[int, str, float, int, str, str, str]:
    payload = _canonical(dict(e.payload))
    wall = format_wall(e.wall)
    crc = _crc(e.seq, e.kind.value, e.time, e.position, wall, payload)
    return (e.seq, e.kind.value, e.time, e.position, wall, payload, crc)


def read_journal(path: str | Path) -> tuple[Header, list[Entry]]:
    """Read and check a journal; `JournalError` at the first fault keeps every entry before it."""
    target = Path(path)
    if not target.is_file():
        raise JournalError(target, "no such session journal")
    try:
        with target.open("rb") as handle:
            first_page = handle.read(100)
    except OSError as error:
        raise JournalError(target, f"cannot be read: {error.strerror}") from error
    if not first_page:
        raise JournalError(target, "is empty (the session was never written)")
    if not first_page.startswith(SQLITE_MAGIC):
        raise JournalError(target, "is not a session journal (not an SQLite file)")
    expected, actual = _declared_size(first_page), target.stat().st_size
    wal = target.with_name(target.name + "-wal")
    if expected > actual and not wal.exists():
        return _read_truncated(target, expected, actual)
    try:
        return _read_file(target, target)
    except _Unreadable as unreadable:
        raise JournalError(target, f"is damaged and unreadable ({unreadable})") from None


class _Unreadable(Exception):
    """SQLite cannot read the file's schema or header row."""


_MAX_SALVAGE_BYTES: Final = 1 << 30


def _declared_size(first_page: bytes) -> int:
    """The file size SQLite's own header announces (page size times page count), 0 if unknown.

    SQLite trusts the page count only while the change counter equals its version-valid-for
    number; a damaged header that breaks that, or announces an absurd size, counts as unknown.
    """
    if len(first_page) < 100 or first_page[24:28] != first_page[92:96]:
        return 0
    page_size = int.from_bytes(first_page[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return 0
    size = page_size * int.from_bytes(first_page[28:32], "big")
    return size if size <= _MAX_SALVAGE_BYTES else 0


def _read_truncated(target: Path, expected: int, actual: int) -> tuple[Header, list[Entry]]:
    """Read a cut-short file from a zero-padded copy, so the pages that survive can be read."""
    with tempfile.TemporaryDirectory(prefix="ttx-salvage-") as scratch:
        copy = Path(scratch) / "journal"
        with target.open("rb") as source, copy.open("wb") as padded:
            shutil.copyfileobj(source, padded)
            padded.truncate(expected)
        try:
            header, entries = _read_file(target, copy)
        except _Unreadable as unreadable:
            raise JournalError(
                target, f"is truncated ({actual} of {expected} bytes) and unreadable ({unreadable})"
            ) from None
        except JournalError as error:
            if error.header is None:
                raise JournalError(
                    target, f"is truncated ({actual} of {expected} bytes); its header is lost"
                ) from None
            header, entries = error.header, error.complete
    kept = len(entries)
    noun = "entry" if kept == 1 else "entries"
    raise JournalError(
        target,
        f"is truncated ({actual} of {expected} bytes); "
        f"the {kept} complete {noun} before the cut can be recovered",
        entries,
        kept + 1,
        header,
    )


def _read_file(display: Path, file: Path) -> tuple[Header, list[Entry]]:
    """Read one SQLite file; damaged bytes surface as DatabaseError, or as UnicodeDecodeError
    when they fall inside a text value."""
    # A read-only connection cannot fold the WAL back in on close and leaves -wal and -shm
    # files behind, so read through a read-write one whenever the file allows it.
    writable = os.access(file, os.W_OK) and os.access(file.parent, os.W_OK)
    conn = _connect(file, "rw" if writable else "ro", writer=False)
    try:
        header = _read_header(display, conn)
        entries: list[Entry] = []
        try:
            for row in _rows(conn):
                entries.append(_parse_entry(display, row, len(entries) + 1, entries, header))
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            why = f"unreadable ({error})"
            raise _damaged(display, len(entries) + 1, why, entries, header) from error
        return header, entries
    finally:
        conn.close()


def _rows(conn: sqlite3.Connection) -> Iterator[tuple[Any, ...]]:
    yield from conn.execute(f"SELECT {', '.join(_ENTRY_COLUMNS)} FROM entries ORDER BY seq")


def _damaged(path: Path, seq: int, why: str, complete: list[Entry], header: Header) -> JournalError:
    kept = len(complete)
    noun = "entry" if kept == 1 else "entries"
    return JournalError(
        path,
        f"damaged at entry {seq}: {why}; the {kept} complete {noun} before it can be recovered",
        complete,
        seq,
        header,
    )


def _read_header(path: Path, conn: sqlite3.Connection) -> Header:
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise JournalError(path, "is not a session journal (unknown SQLite file)")
        for table, columns in (("meta", _META_COLUMNS), ("entries", _ENTRY_COLUMNS)):
            found = tuple(r[1] for r in conn.execute(f"PRAGMA table_info({table})"))
            if found != columns:
                raise JournalError(path, f"is damaged: table {table!r} is missing or altered")
        rows = conn.execute(f"SELECT {', '.join(_META_COLUMNS)} FROM meta").fetchall()
    except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
        raise _Unreadable(str(error)) from error
    if len(rows) != 1:
        raise JournalError(path, f"is damaged: expected one header row, found {len(rows)}")
    return _parse_header(path, rows[0])


def _parse_header(path: Path, row: tuple[Any, ...]) -> Header:
    version, scenario_hash, scenario_path, title, seed_json, created, crc = row
    if not all(isinstance(v, str) for v in (scenario_hash, scenario_path, title, seed_json)):
        raise JournalError(path, "is damaged: header fields have the wrong types")
    if not isinstance(version, int) or not isinstance(created, str) or not isinstance(crc, str):
        raise JournalError(path, "is damaged: header fields have the wrong types")
    if version != FORMAT_VERSION:
        raise JournalError(
            path, f"has journal format {version}; this version of ttx reads format {FORMAT_VERSION}"
        )
    if crc != _crc(version, scenario_hash, scenario_path, title, seed_json, created):
        raise JournalError(path, "is damaged: the header checksum does not match")
    seed = _parse_seed(seed_json)
    created_at = _parse_wall(created)
    if seed is None or created_at is None:
        raise JournalError(path, "is damaged: the header's seed or creation time is invalid")
    return Header(version, scenario_hash, scenario_path, title, seed, created_at)


def _non_negative_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _parse_seed(text: str) -> SeedRecord | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or set(data) != {
        "entropy",
        "spawn_key",
        "pool_size",
        "n_children_spawned",
    }:
        return None
    entropy, spawn_key = data["entropy"], data["spawn_key"]
    if isinstance(entropy, list):
        if not entropy or not all(_non_negative_int(e) for e in entropy):
            return None
        entropy = tuple(entropy)
    elif not _non_negative_int(entropy):
        return None
    if not isinstance(spawn_key, list) or not all(_non_negative_int(k) for k in spawn_key):
        return None
    pool_size, spawned = data["pool_size"], data["n_children_spawned"]
    if not _non_negative_int(pool_size) or pool_size < 4 or not _non_negative_int(spawned):
        return None
    return SeedRecord(entropy, tuple(spawn_key), pool_size, spawned)


def _parse_wall(text: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _parse_entry(
    path: Path, row: tuple[Any, ...], expected_seq: int, before: list[Entry], header: Header
) -> Entry:
    seq, kind, time, position, wall, payload_text, crc = row

    def damaged(why: str) -> JournalError:
        return _damaged(path, expected_seq, why, before, header)

    if seq != expected_seq:
        raise damaged(f"sequence number {seq!r} breaks the order (a row is missing)")
    if not all(isinstance(v, str) for v in (kind, wall, payload_text, crc)):
        raise damaged("fields have the wrong types")
    if not isinstance(time, float) or not math.isfinite(time) or time < 0:
        raise damaged("the exercise time is not a finite non-negative number")
    if not _non_negative_int(position):
        raise damaged("the engine position is not a non-negative integer")
    if crc != _crc(seq, kind, time, position, wall, payload_text):
        raise damaged("checksum mismatch (the row was altered or only partly written)")
    try:
        entry_kind = EntryKind(kind)
    except ValueError:
        raise damaged(f"unknown kind {kind!r}") from None
    moment = _parse_wall(wall)
    if moment is None:
        raise damaged(f"invalid wall-clock time {wall!r}")
    try:
        payload = json.loads(payload_text)
    except ValueError:
        raise damaged("the payload is not valid JSON") from None
    if not isinstance(payload, dict):
        raise damaged("the payload is not a JSON object")
    problem = _payload_problem(entry_kind, payload) or _order_problem(entry_kind, payload, before)
    if problem:
        raise damaged(problem)
    return Entry(seq, entry_kind, time, position, moment, payload)


def _is_str(value: object) -> bool:
    return isinstance(value, str)


def _is_optional_str(value: object) -> bool:
    return value is None or isinstance(value, str)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_wall_or_none(value: object) -> bool:
    return value is None or (isinstance(value, str) and _parse_wall(value) is not None)


def _is_pending_map(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) and _parse_wall(v) is not None
        for k, v in value.items()
    )


_PAYLOAD_FIELDS: Final[dict[EntryKind, dict[str, Callable[[object], bool]]]] = {
    EntryKind.DECISION: {
        "decision": _is_str,
        "option": _is_str,
        "note": _is_str,
        "opened": _is_number,
        "opened_wall": _is_wall_or_none,
    },
    EntryKind.UNDO: {"retracts": _non_negative_int},
    EntryKind.NOTE: {"text": _is_str, "objective": _is_optional_str, "inject": _is_optional_str},
    EntryKind.CHECKPOINT: {"pending": _is_pending_map},
}


def _payload_problem(kind: EntryKind, payload: Mapping[str, object]) -> str | None:
    fields = _PAYLOAD_FIELDS[kind]
    if set(payload) != set(fields):
        return f"a {kind.value} payload needs exactly the keys {sorted(fields)}"
    for key, check in fields.items():
        if not check(payload[key]):
            return f"the {kind.value} payload's {key!r} has the wrong type"
    return None


def active_decisions(entries: list[Entry]) -> list[Entry]:
    """The decision rows still in force: undo rows retract the most recent one each."""
    active: list[Entry] = []
    for entry in entries:
        if entry.kind is EntryKind.DECISION:
            active.append(entry)
        elif entry.kind is EntryKind.UNDO:
            active.pop()
    return active


def _order_problem(
    kind: EntryKind, payload: Mapping[str, object], before: list[Entry]
) -> str | None:
    if kind is EntryKind.UNDO:
        active = active_decisions(before)
        if not active or active[-1].seq != payload["retracts"]:
            return "the undo does not retract the most recent decision in force"
    return None


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
