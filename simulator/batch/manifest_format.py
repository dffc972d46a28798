"""The `manifest.json` format: what was run, with what, where, and how long it took.

Like `summary.json`, a file other people read: these models build it, read it back and
generate its JSON Schema (`manifest.schema.json`, beside this module).
"""

from __future__ import annotations

from typing import Final, Literal

from simulator.batch.summary_format import Document

MANIFEST_FORMAT: Final = "ttx-batch-manifest/1"
SEEDING: Final = "replication i uses numpy SeedSequence(entropy=seed, spawn_key=(i,))"


class ScenarioFile(Document):
    """The scenario file a batch read."""

    path: str
    """As given on the command line."""
    sha256: str
    """Of the file's bytes, before any `--set` or `--sweep`."""


class PolicyFile(Document):
    """A course-of-action file a batch read."""

    name: str
    """The policy's own name: the `policy` column of `runs.parquet`."""
    sha256: str
    """Of the file's bytes."""
    path: str
    """As given on the command line."""


class BatchSpec(Document):
    """What a batch computes: the same spec gives the same rows, whatever runs it or where.

    Kept in the progress record while the batch runs; `--resume` refuses a different one."""

    scenario: ScenarioFile
    """The scenario file and its digest."""
    policies: list[PolicyFile]
    """In the order given; none for the scenario's own default behaviour."""
    sets: list[str]
    """`--set PATH=VALUE` arguments, as typed."""
    sweeps: list[str]
    """`--sweep` arguments, as typed."""
    grid_hours: list[float]
    """Times (hours from the start) at which the series are sampled."""
    runs: int
    """Replications per group."""
    seed: int
    """Root seed."""

    def same_work(self, other: BatchSpec) -> bool:
        """Whether two specs describe the same work: file contents count, not path spellings."""
        return self._contents() == other._contents()

    def _contents(self) -> BatchSpec:
        """This spec with its paths blanked."""
        return self.model_copy(
            update={
                "scenario": self.scenario.model_copy(update={"path": ""}),
                "policies": [p.model_copy(update={"path": ""}) for p in self.policies],
            }
        )


class ManifestScenario(Document):
    """The scenario: its file and what it calls itself."""

    path: str
    """As given on the command line."""
    sha256: str
    """Of the file's bytes, before any `--set` or `--sweep`."""
    id: str
    """The scenario's `meta.id`."""
    title: str
    """The scenario's `meta.title`."""


class Arguments(Document):
    """The arguments `run_batch` was called with (the command line's options)."""

    scenario: str
    """The scenario file."""
    runs: int
    """Replications per group."""
    seed: int
    """Root seed."""
    policies: list[str]
    """Course-of-action files."""
    sets: list[str]
    """`--set` arguments."""
    sweeps: list[str]
    """`--sweep` arguments."""
    jobs: int | None
    """Worker processes; null for every core."""
    dask: str | None
    """`local` or a scheduler address; null when not on Dask."""
    out: str
    """Output directory."""
    resume: bool
    """Whether an interrupted batch was resumed."""
    chunk_size: int | None
    """Replications per task; null for automatic."""
    plots: bool
    """Whether charts were drawn."""


class BatchManifest(Document):
    """`manifest.json`: how to run the batch again and get the same bytes, and what it cost."""

    format: Literal["ttx-batch-manifest/1"] = MANIFEST_FORMAT
    """Name and version of this format."""
    created: str
    """When the batch finished, ISO 8601 in UTC."""
    scenario: ManifestScenario
    """The scenario file, its digest and what it calls itself."""
    seed: int
    """Root seed."""
    seeding: str = SEEDING
    """How each replication's random stream derives from the root seed."""
    runs: int
    """Replications per group."""
    groups: list[str]
    """Group labels, in the order of `summary.json`'s groups."""
    replications: int
    """runs times the number of groups."""
    failures: int
    """Replications that raised."""
    policies: list[PolicyFile]
    """Course-of-action files, with their names and digests."""
    sets: list[str]
    """`--set PATH=VALUE` arguments, as typed."""
    sweeps: list[str]
    """`--sweep` arguments, as typed."""
    grid_hours: list[float]
    """Times (hours) at which the series are sampled."""
    series_quantiles: str
    """How the series' quantiles are computed, and their error bound."""
    chunk_size: int
    """Replications per task."""
    executor: str
    """Where the chunks ran: serial, a process pool, or Dask."""
    workers: int
    """Workers the executor used."""
    wall_seconds: float
    """Wall time of the replications run by this invocation, merging and summary included."""
    replications_run_now: int
    """Replications run by this invocation (fewer than `replications` after `--resume`)."""
    wall_seconds_per_run: float | None
    """`wall_seconds / replications_run_now`; null when none ran now."""
    cpu_seconds_per_run: float | None
    """Worker CPU seconds per replication run now; null when none ran now."""
    python: str
    """Python version."""
    platform: str
    """Operating system and machine, as `platform.platform()` says."""
    packages: dict[str, str]
    """Installed version of this tool (`cbrn-ttx`) and of the packages results depend on."""
    arguments: Arguments
    """How the batch was asked for."""
    resumed: bool
    """Whether this invocation finished an interrupted batch."""
    total_wall_seconds: float
    """Wall time of the whole invocation, plots included."""
    files: list[str]
    """The files of the output directory, sorted."""
