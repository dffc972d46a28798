"""Reading a journal back: every row checked, and damage reported with what can be saved.

Reading stops at the first damaged row with a `JournalError` that keeps every complete entry
before it; a file cut short is read from a zero-padded copy so its surviving pages still count.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

from simulator.engine.streams import is_count
from simulator.scenario.common import control_character
from simulator.session.entries import (
    Entry,
    EntryKind,
    Header,
    JournalError,
    order_problem,
    parse_seed,
    parse_wall,
    payload_problem,
    row_checksum,
)
from simulator.session.storage import (
    APPLICATION_ID,
    ENTRY_COLUMNS,
    FORMAT_VERSION,
    META_COLUMNS,
    SQLITE_MAGIC,
    connect,
)


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
    conn = connect(file, "rw" if writable else "ro", writer=False)
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
    yield from conn.execute(f"SELECT {', '.join(ENTRY_COLUMNS)} FROM entries ORDER BY seq")


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
        for table, columns in (("meta", META_COLUMNS), ("entries", ENTRY_COLUMNS)):
            found = tuple(r[1] for r in conn.execute(f"PRAGMA table_info({table})"))
            if found != columns:
                raise JournalError(path, f"is damaged: table {table!r} is missing or altered")
        rows = conn.execute(f"SELECT {', '.join(META_COLUMNS)} FROM meta").fetchall()
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
    if crc != row_checksum(version, scenario_hash, scenario_path, title, seed_json, created):
        raise JournalError(path, "is damaged: the header checksum does not match")
    if control_character(scenario_path) or control_character(title):
        # The picker and the reports show these: no terminal escapes from a hand-made file.
        raise JournalError(path, "is damaged: the header holds a control character")
    seed = parse_seed(seed_json)
    created_at = parse_wall(created)
    if seed is None or created_at is None:
        raise JournalError(path, "is damaged: the header's seed or creation time is invalid")
    return Header(version, scenario_hash, scenario_path, title, seed, created_at)


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
    if not is_count(position):
        raise damaged("the engine position is not a non-negative integer")
    if crc != row_checksum(seq, kind, time, position, wall, payload_text):
        raise damaged("checksum mismatch (the row was altered or only partly written)")
    try:
        entry_kind = EntryKind(kind)
    except ValueError:
        raise damaged(f"unknown kind {kind!r}") from None
    moment = parse_wall(wall)
    if moment is None:
        raise damaged(f"invalid wall-clock time {wall!r}")
    try:
        payload = json.loads(payload_text)
    except ValueError:
        raise damaged("the payload is not valid JSON") from None
    if not isinstance(payload, dict):
        raise damaged("the payload is not a JSON object")
    problem = payload_problem(entry_kind, payload) or order_problem(entry_kind, payload, before)
    if problem:
        raise damaged(problem)
    return Entry(seq, entry_kind, time, position, moment, payload)
