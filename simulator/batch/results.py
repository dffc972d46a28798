"""The output directory: chunk parts while running, then `runs.parquet` in a fixed layout.

Each finished chunk is written at once as `parts/chunk-NNNNNN.arrow` (its rows, an Arrow IPC
file: quick to write and to read back) beside `parts/chunk-NNNNNN.npz` (its series cells), each
through a temporary name and an atomic rename, so whatever stops the batch, the parts on disk are
whole and `progress.json` says what the batch is. The rows are written last: they are the mark
that a chunk is done.

When every chunk is done, the parts are merged in chunk order into `runs.parquet`, one part at a
time, in row groups of a fixed number of rows. The file's bytes therefore depend only on the rows,
never on the number of workers, the chunk size or the order chunks finished in.
"""

from __future__ import annotations

import json
import operator
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc
import pyarrow.parquet as pq
from pydantic import JsonValue, ValidationError

from simulator.batch.cells import CellSummary
from simulator.batch.summary_format import Document, first_problem
from simulator.batch.workload import ChunkResult, SeriesCells

ROW_GROUP_ROWS = 1024
COMPRESSION: Final = "zstd"
PROGRESS_FORMAT: Final = "ttx-batch-progress/2"
"""Version 2: series parts hold cells (count, least and greatest value), not histograms."""
_CELL_ARRAYS = ("where", "count", "low", "high")
_PART = re.compile(r"^chunk-(\d{6})\.arrow$")
_PART_OPTIONS = ipc.IpcWriteOptions(compression="lz4")


class ResultsError(Exception):
    """The output directory cannot be used as asked (exists, or holds another batch)."""


def write_json(path: Path, data: object) -> None:
    """Sorted keys, two-space indent, no NaN: identical bytes for identical data."""
    temporary = path.with_name(path.name + ".tmp")
    text = json.dumps(data, indent=2, sort_keys=True, allow_nan=False, ensure_ascii=False)
    temporary.write_text(text + "\n", encoding="utf-8")
    temporary.replace(path)


class ProgressRecord(Document):
    """`progress.json`: what an unfinished batch is and how far it got, for `--resume`."""

    format: Literal["ttx-batch-progress/2"] = PROGRESS_FORMAT
    """Name and version of this record: parts of another version cannot be merged."""
    spec: JsonValue
    """What the batch computes (the caller's; a resumed batch must have the same)."""
    chunk_size: int
    """Replications per chunk: a resumed batch keeps it, so its chunks line up."""
    chunks: int
    """Chunks in the whole batch."""
    completed_chunks: int = 0
    """Chunks whose parts are on disk."""


class ResultStore:
    """Parts, progress record and final files of one batch in one directory."""

    def __init__(
        self, out: Path, same_spec: Callable[[object, object], bool] = operator.eq
    ) -> None:
        self.out = out
        self.same_spec = same_spec
        """Whether a stored spec and a new one describe the same batch (for resuming)."""
        self.parts = out / "parts"
        self.progress = out / "progress.json"
        self.runs = out / "runs.parquet"
        self.manifest = out / "manifest.json"

    def start(self, record: ProgressRecord, *, resume: bool) -> set[int]:
        """Prepare the directory; return the chunks already done (none unless resuming).

        A resumed batch must describe the same work as the interrupted one: same scenario bytes,
        overrides, policies, seed, runs and chunking.
        """
        if resume:
            if not self.progress.exists():
                if self.manifest.exists():
                    raise ResultsError(f"{self.out} holds a finished batch: nothing to resume")
                raise ResultsError(f"{self.out} has no interrupted batch to resume")
            previous = self.record()
            if not self.same_spec(previous.spec, record.spec):
                raise ResultsError(
                    f"{self.out} holds a different batch; resume it with the arguments it was "
                    "started with, or choose another --out"
                )
            return self.completed()
        if self.progress.exists() or self.manifest.exists() or self.runs.exists():
            raise ResultsError(
                f"{self.out} already holds batch results; pass --resume to finish an "
                "interrupted batch, or choose another --out"
            )
        self.parts.mkdir(parents=True, exist_ok=True)
        write_json(self.progress, record.model_dump(mode="json"))
        return set()

    def record(self) -> ProgressRecord:
        """The progress record: the batch's spec, its chunking and how far it got."""
        try:
            text = self.progress.read_text(encoding="utf-8")
            stored = json.loads(text)
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise ResultsError(f"{self.progress}: unreadable progress record ({error})") from None
        found = stored.get("format") if isinstance(stored, dict) else None
        if found != PROGRESS_FORMAT:
            # Its parts hold series in an older layout that cannot be merged with new ones.
            raise ResultsError(
                f"{self.out} holds a batch started by another version of ttx "
                f"({found}, not {PROGRESS_FORMAT}): it cannot be resumed; "
                "start it afresh with another --out"
            )
        try:
            return ProgressRecord.model_validate(stored)
        except ValidationError as error:
            raise ResultsError(
                f"{self.progress}: unreadable progress record ({first_problem(error)})"
            ) from None

    def completed(self) -> set[int]:
        """Indexes of chunks whose parts are on disk."""
        if not self.parts.is_dir():
            return set()
        return {int(match[1]) for p in self.parts.iterdir() if (match := _PART.match(p.name))}

    def _part(self, index: int, suffix: str) -> Path:
        return self.parts / f"chunk-{index:06d}{suffix}"

    def write_chunk(self, result: ChunkResult, completed: int) -> None:
        """Write a finished chunk durably; `completed` is the count now done, for the record."""
        cells = self._part(result.index, ".npz.tmp")
        arrays: dict[str, Any] = {}
        for name, summary in result.counts.items():
            for field in _CELL_ARRAYS:
                arrays[f"{name}|{field}"] = getattr(summary, field)
        with cells.open("wb") as stream:
            np.savez(stream, **arrays)
        cells.replace(self._part(result.index, ".npz"))
        rows = self._part(result.index, ".arrow.tmp")
        with (
            pa.OSFile(str(rows), "wb") as sink,
            ipc.new_file(sink, result.table.schema, options=_PART_OPTIONS) as writer,
        ):
            writer.write_table(result.table)
        rows.replace(self._part(result.index, ".arrow"))
        record = self.record().model_copy(update={"completed_chunks": completed})
        write_json(self.progress, record.model_dump(mode="json"))

    def failures(self, index: int) -> int:
        """Replications of a finished chunk that raised."""
        table = _read_part(self._part(index, ".arrow"))
        if "error" not in table.column_names:
            return 0
        column = table["error"]
        return len(column) - column.null_count

    def counts(self, index: int) -> SeriesCells:
        """Series cells (counts, least and greatest values) of a finished chunk."""
        with np.load(self._part(index, ".npz"), allow_pickle=False) as data:
            names = sorted({key.rpartition("|")[0] for key in data.files})
            return {
                name: CellSummary(
                    np.asarray(data[f"{name}|where"], dtype=np.int32),
                    np.asarray(data[f"{name}|count"], dtype=np.int32),
                    np.asarray(data[f"{name}|low"], dtype=np.float64),
                    np.asarray(data[f"{name}|high"], dtype=np.float64),
                )
                for name in names
            }

    def merge(self, chunks: int) -> Path:
        """Merge the parts of chunks 0..chunks-1 into `runs.parquet` (see the module docstring)."""
        paths = [self._part(i, ".arrow") for i in range(chunks)]
        schema = unified_schema([_read_part(p).schema for p in paths])
        temporary = self.runs.with_name("runs.parquet.tmp")
        with pq.ParquetWriter(temporary, schema, compression=COMPRESSION) as writer:
            for group in _row_groups(paths, schema):
                writer.write_table(group, row_group_size=ROW_GROUP_ROWS)
        temporary.replace(self.runs)
        return self.runs

    def finish(self) -> None:
        """Remove parts and progress record once every final file is written."""
        shutil.rmtree(self.parts, ignore_errors=True)
        self.progress.unlink(missing_ok=True)


def _unify(types: list[pa.DataType]) -> pa.DataType:
    known = [t for t in types if not pa.types.is_null(t)]
    if not known:
        return pa.null()
    if all(t == known[0] for t in known):
        return known[0]
    if all(pa.types.is_integer(t) or pa.types.is_floating(t) for t in known):
        return pa.float64()
    if all(pa.types.is_string(t) or pa.types.is_large_string(t) for t in known):
        return pa.string()
    raise ValueError(f"a column holds incompatible types: {sorted({str(t) for t in known})}")


def unified_schema(schemas: list[pa.Schema]) -> pa.Schema:
    """Columns in order of first appearance across the parts, each with one common type."""
    names: dict[str, list[pa.DataType]] = {}
    for schema in schemas:
        for column in schema:
            names.setdefault(column.name, []).append(column.type)
    return pa.schema([pa.field(name, _unify(types)) for name, types in names.items()])


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """`table` with `schema`'s columns, in order: missing ones null, others cast."""
    if table.schema.equals(schema):
        return table
    present = set(table.column_names)
    columns = []
    for field in schema:
        if field.name not in present:
            columns.append(pa.nulls(table.num_rows, field.type))
        elif table.schema.field(field.name).type != field.type:
            columns.append(table[field.name].cast(field.type))
        else:
            columns.append(table[field.name])
    return pa.Table.from_arrays(columns, schema=schema)


def _read_part(path: Path) -> pa.Table:
    with pa.memory_map(str(path)) as source:
        return ipc.open_file(source).read_all()


def _row_groups(paths: list[Path], schema: pa.Schema) -> Iterator[pa.Table]:
    """Tables of exactly ROW_GROUP_ROWS rows (the last one shorter), each contiguous in memory."""
    pending: list[pa.Table] = []
    size = 0
    for path in paths:
        table = conform(_read_part(path), schema)
        pending.append(table)
        size += table.num_rows
        while size >= ROW_GROUP_ROWS:
            joined = pa.concat_tables(pending)
            yield joined.slice(0, ROW_GROUP_ROWS).combine_chunks()
            rest = joined.slice(ROW_GROUP_ROWS)
            pending, size = [rest], rest.num_rows
    if size:
        yield pa.concat_tables(pending).combine_chunks()


def read_column(source: Path | pq.ParquetFile, name: str) -> pa.ChunkedArray[Any]:
    """One column of `runs.parquet`: statistics read a column at a time to keep memory flat.

    Pass an open `ParquetFile` when reading many columns, so its footer is parsed once.
    """
    opened = source if isinstance(source, pq.ParquetFile) else pq.ParquetFile(source)
    return opened.read(columns=[name], use_threads=False)[name]


def column_types(path: Path) -> dict[str, pa.DataType]:
    """Name and type of every column of a results file."""
    return {field.name: field.type for field in pq.read_schema(path)}
