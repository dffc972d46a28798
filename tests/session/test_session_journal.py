"""The journal file on its own: round trip, append-only, and damaged files read back safely."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.engine.streams import SeedRecord
from simulator.session.entries import Entry, EntryKind, JournalError, active_decisions
from simulator.session.journal import Journal, recover_journal
from simulator.session.reading import read_journal

T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def _new(path: Path, seed: int | np.random.SeedSequence = 7) -> Journal:
    return Journal.create(
        path,
        scenario_hash="ab" * 32,
        scenario_path="/scenarios/x.yaml",
        scenario_title="Test",
        seed=SeedRecord.of(seed),
        created=T0,
    )


def _fill(journal: Journal, notes: int = 3) -> list[Entry]:
    written = [
        journal.append(
            EntryKind.DECISION,
            time=1.5,
            position=4,
            payload={
                "decision": "d1",
                "option": "a",
                "note": "",
                "opened": 1.0,
                "opened_wall": None,
            },
            wall=T0,
        )
    ]
    for i in range(notes):
        written.append(
            journal.append(
                EntryKind.NOTE,
                time=2.0 + i,
                position=5 + i,
                payload={"text": f"observation number {i}", "objective": None, "inject": "i1"},
                wall=T0 + dt.timedelta(seconds=i),
            )
        )
    written.append(
        journal.append(
            EntryKind.CHECKPOINT, time=9.0, position=20, payload={"pending": {}}, wall=T0
        )
    )
    return written


def test_round_trip_keeps_header_and_every_entry(tmp_path: Path) -> None:
    journal = _new(tmp_path / "s.ttxsession")
    written = _fill(journal)
    journal.close()
    header, entries = read_journal(tmp_path / "s.ttxsession")
    assert header.scenario_hash == "ab" * 32
    assert header.scenario_path == "/scenarios/x.yaml"
    assert header.created == T0
    assert header.seed == SeedRecord(7)
    assert entries == written


def test_reopened_journal_continues_the_sequence(tmp_path: Path) -> None:
    journal = _new(tmp_path / "s.ttxsession")
    _fill(journal, notes=1)
    journal.close()
    again = Journal.open(tmp_path / "s.ttxsession")
    entry = again.append(EntryKind.UNDO, time=9.0, position=4, payload={"retracts": 1}, wall=T0)
    again.close()
    assert entry.seq == 4
    assert active_decisions(read_journal(tmp_path / "s.ttxsession")[1]) == []


@given(
    entropy=st.integers(min_value=0, max_value=2**128)
    | st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=4),
    spawn_key=st.lists(st.integers(0, 1000), max_size=3),
)
def test_seed_record_rebuilds_the_same_sequence(
    entropy: int | list[int], spawn_key: list[int]
) -> None:
    original = np.random.SeedSequence(entropy, spawn_key=spawn_key)
    record = SeedRecord.of(original)
    rebuilt = record.sequence()
    assert rebuilt.generate_state(4).tolist() == original.generate_state(4).tolist()
    assert (
        rebuilt.spawn(1)[0].generate_state(2).tolist()
        == original.spawn(1)[0].generate_state(2).tolist()
    )


def test_invalid_payloads_are_refused_before_writing(tmp_path: Path) -> None:
    journal = _new(tmp_path / "s.ttxsession")
    with pytest.raises(ValueError, match="note"):
        journal.append(EntryKind.NOTE, time=0.0, position=0, payload={"text": 3}, wall=T0)
    journal.close()
    assert read_journal(tmp_path / "s.ttxsession")[1] == []


def test_creating_over_an_existing_file_is_refused(tmp_path: Path) -> None:
    _new(tmp_path / "s.ttxsession").close()
    with pytest.raises(JournalError, match="already exists"):
        _new(tmp_path / "s.ttxsession")


def test_the_database_refuses_updates_and_deletes(tmp_path: Path) -> None:
    journal = _new(tmp_path / "s.ttxsession")
    _fill(journal)
    journal.close()
    conn = sqlite3.connect(tmp_path / "s.ttxsession")
    for statement in (
        "UPDATE entries SET kind = 'note'",
        "DELETE FROM entries",
        "DELETE FROM meta",
    ):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(statement)
    conn.close()


def test_missing_and_foreign_files_give_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(JournalError, match="no such session journal"):
        read_journal(tmp_path / "nothing.ttxsession")
    (tmp_path / "text.ttxsession").write_text("hello")
    with pytest.raises(JournalError, match="not a session journal"):
        read_journal(tmp_path / "text.ttxsession")
    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("CREATE TABLE t (x)")
    other.close()
    with pytest.raises(JournalError, match="not a session journal") as caught:
        read_journal(tmp_path / "other.db")
    assert "\n" not in str(caught.value)


def _raw_insert(path: Path, row: tuple[object, ...]) -> None:
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)", row)
    conn.commit()
    conn.close()


def test_a_half_written_row_keeps_every_complete_entry(tmp_path: Path) -> None:
    path = tmp_path / "s.ttxsession"
    journal = _new(path)
    written = _fill(journal)
    journal.close()
    _raw_insert(path, (len(written) + 1, "note", 9.0, 21, T0.isoformat(), '{"text": "cut', "0"))
    with pytest.raises(JournalError, match=f"damaged at entry {len(written) + 1}") as caught:
        read_journal(path)
    assert caught.value.complete == written
    assert "5 complete entries" in str(caught.value)
    recovered = tmp_path / "recovered.ttxsession"
    assert recover_journal(path, recovered) == len(written)
    assert read_journal(recovered)[1] == written


def test_garbled_bytes_inside_a_row_are_detected(tmp_path: Path) -> None:
    path = tmp_path / "s.ttxsession"
    journal = _new(path)
    written = _fill(journal)
    journal.close()
    data = bytearray(path.read_bytes())
    at = data.index(b"observation number 1")
    data[at : at + 11] = b"OBSERVATIOn"
    path.write_bytes(bytes(data))
    with pytest.raises(JournalError, match="damaged at entry 3: checksum") as caught:
        read_journal(path)
    assert caught.value.complete == written[:2]


def test_a_gap_in_the_sequence_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "s.ttxsession"
    journal = _new(path)
    written = _fill(journal)
    journal.close()
    _raw_insert(path, (len(written) + 2, "checkpoint", 9.0, 21, T0.isoformat(), "{}", "0"))
    with pytest.raises(JournalError, match="a row is missing") as caught:
        read_journal(path)
    assert caught.value.complete == written


@pytest.fixture(scope="module")
def long_journal(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Entry]]:
    path = tmp_path_factory.mktemp("long") / "s.ttxsession"
    journal = _new(path)
    written = [e for _ in range(12) for e in _fill(journal, notes=20)]
    journal.close()
    return path, written


@pytest.mark.parametrize("keep", [0.5, 0.75, 0.9, 0.99])
def test_a_truncated_file_keeps_the_entries_before_the_cut(
    tmp_path: Path, keep: float, long_journal: tuple[Path, list[Entry]]
) -> None:
    source, written = long_journal
    data = source.read_bytes()
    path = tmp_path / "s.ttxsession"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(JournalError, match="is truncated") as caught:
        read_journal(path)
    assert "\n" not in str(caught.value)
    kept = caught.value.complete
    assert 0 < len(kept) < len(written)
    assert kept == written[: len(kept)]
    assert recover_journal(path, tmp_path / "r.ttxsession") == len(kept)
    assert read_journal(tmp_path / "r.ttxsession")[1] == kept


def test_an_empty_file_is_reported_as_such(tmp_path: Path) -> None:
    (tmp_path / "s.ttxsession").write_bytes(b"")
    with pytest.raises(JournalError, match="is empty"):
        read_journal(tmp_path / "s.ttxsession")


def test_an_altered_header_or_a_newer_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.ttxsession"
    _new(path).close()
    data = path.read_bytes()
    path.write_bytes(data.replace(b"/scenarios/x.yaml", b"/scenarios/y.yaml"))
    with pytest.raises(JournalError, match="header checksum"):
        read_journal(path)
    conn = sqlite3.connect(tmp_path / "v2.ttxsession")
    conn.execute(f"PRAGMA application_id = {0x54545831}")
    conn.execute(
        "CREATE TABLE meta (format_version, scenario_hash, scenario_path, "
        "scenario_title, seed, created, crc)"
    )
    conn.execute("CREATE TABLE entries (seq, kind, time, position, wall, payload, crc)")
    conn.execute("INSERT INTO meta VALUES (2, 'h', 'p', 't', '{}', 'c', 'x')")
    conn.commit()
    conn.close()
    with pytest.raises(JournalError, match="journal format 2; this version of ttx reads format 1"):
        read_journal(tmp_path / "v2.ttxsession")


def test_a_second_writer_on_the_same_journal_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.ttxsession"
    _new(path).close()
    first, second = Journal.open(path), Journal.open(path)
    first.append(EntryKind.CHECKPOINT, time=1.0, position=1, payload={"pending": {}}, wall=T0)
    with pytest.raises(JournalError, match="cannot be written"):
        second.append(EntryKind.CHECKPOINT, time=2.0, position=2, payload={"pending": {}}, wall=T0)
    first.close()
    second.close()
    assert len(read_journal(path)[1]) == 1


def test_a_note_with_a_terminal_escape_is_refused_on_writing_and_on_reading(
    tmp_path: Path,
) -> None:
    from simulator.session.storage import ENTRY_COLUMNS, entry_row

    path = tmp_path / "s.ttxsession"
    journal = _new(path)
    written = _fill(journal, notes=1)
    note = {"text": "\x1b]0;pwned\x07", "objective": None, "inject": None}
    with pytest.raises(ValueError, match="control character"):
        journal.append(EntryKind.NOTE, time=1.0, position=1, payload=note, wall=T0)
    journal.close()
    # A hand-made row with a valid checksum: the reader applies the same rule.
    forged = Entry(written[-1].seq + 1, EntryKind.NOTE, 1.0, 1, T0, note)
    conn = sqlite3.connect(path)
    marks = ", ".join("?" for _ in ENTRY_COLUMNS)
    conn.execute(
        f"INSERT INTO entries ({', '.join(ENTRY_COLUMNS)}) VALUES ({marks})", entry_row(forged)
    )
    conn.commit()
    conn.close()
    with pytest.raises(JournalError, match="control character"):
        read_journal(path)


def test_a_header_with_a_terminal_escape_is_refused_on_reading(tmp_path: Path) -> None:
    # The picker shows a journal's title and scenario path: a made-up file must not carry escapes.
    path = tmp_path / "s.ttxsession"
    Journal.create(
        path,
        scenario_hash="ab" * 32,
        scenario_path="/scenarios/x.yaml",
        scenario_title="T\x1b]0;pwned\x07",
        seed=SeedRecord.of(7),
        created=T0,
    ).close()
    with pytest.raises(JournalError, match="control character"):
        read_journal(path)
