"""The batch run as one function call, shared by `ttx batch` and notebooks.

>>> from simulator.batch import run_batch
>>> result = run_batch("scenarios/eastern-flank.yaml", runs=1000, seed=7, jobs=2, out="out/ef")
>>> result.frame.groupby("policy")["chem_used"].mean()
"""

from __future__ import annotations

import hashlib
import platform
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from simulator.batch.executors import Executor, ExecutorError, available_cores, make_executor
from simulator.batch.manifest_format import (
    Arguments,
    BatchManifest,
    BatchSpec,
    ManifestScenario,
    PolicyFile,
    ScenarioFile,
)
from simulator.batch.overrides import (
    Assignment,
    OverrideError,
    apply,
    describe,
    dump_yaml,
    parse_assignment,
    parse_sweep,
    sweep_points,
)
from simulator.batch.results import ResultsError, ResultStore, write_json
from simulator.batch.runner import Outcome, Plan, ProgressCallback, default_chunk_size, execute
from simulator.batch.scenario_workload import ScenarioWorkload, time_grid
from simulator.batch.series import QUANTILE_RULE
from simulator.batch.summary_format import BatchSummary, first_problem
from simulator.engine.policies import load_policy_document
from simulator.engine.seed_range import MAX_SEED
from simulator.scenario.errors import ScenarioError, ScenarioIssue
from simulator.scenario.loader import load_scenario_text
from simulator.scenario.yaml_safe import read_yaml, read_yaml_bytes

if TYPE_CHECKING:
    import pandas as pd

MAX_RUNS = 100_000_000
PACKAGES = (
    "cbrn-ttx",
    "numpy",
    "simpy",
    "pydantic",
    "common-expression-language",
    "ruamel.yaml",
    "pyarrow",
    "pandas",
    "matplotlib",
    "dask",
    "distributed",
)


class BatchError(ValueError):
    """The batch cannot start as asked: a one-line message, or a file's positioned issues."""

    def __init__(self, message: str, issues: Sequence[ScenarioIssue] = ()) -> None:
        super().__init__(message)
        self.issues = list(issues)


@dataclass(frozen=True)
class BatchResult:
    """A finished batch: its summary and manifest, where its files are, and its rows."""

    summary: BatchSummary
    manifest: BatchManifest
    out: Path | None
    """The output directory; None when the batch ran in a temporary one."""
    plots: tuple[Path, ...] = ()
    rows: pd.DataFrame | None = field(default=None, repr=False)
    """The rows, when they had to be read before their directory went away."""

    @cached_property
    def frame(self) -> pd.DataFrame:
        """Every row of `runs.parquet`, read on first use: a million rows take memory, and the
        command line, which never asks, stays flat."""
        if self.rows is not None:
            return self.rows
        if self.out is None:
            raise ValueError("this result has neither rows nor a directory to read them from")
        import pandas as pd

        return pd.read_parquet(self.out / "runs.parquet")


def _sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _scenario_problem(error: ScenarioError) -> BatchError:
    return BatchError(str(error), error.issues)


def build_workload(
    scenario: str | Path,
    policies: Sequence[str | Path] = (),
    sets: Sequence[str] = (),
    sweeps: Sequence[str] = (),
) -> tuple[ScenarioWorkload, BatchSpec]:
    """Read, override and validate everything; return the workload and the batch's spec
    (its `runs` and `seed` are 0: the caller sets them).

    Every problem becomes a BatchError: scenario and policy problems keep their file positions.
    """
    path = Path(scenario)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise BatchError(f"{path}: cannot read scenario: {error.strerror or error}") from None
    try:
        data = read_yaml_bytes(raw, str(path)).data
        assignments = [parse_assignment(a) for a in sets]
        points = sweep_points([parse_sweep(s) for s in sweeps])
    except ScenarioError as error:
        raise _scenario_problem(error) from None
    except OverrideError as error:
        raise BatchError(str(error)) from None
    texts: list[str] = []
    compiled = []
    for point in points:
        edits: list[Assignment] = [*assignments, *point]
        text = raw.decode("utf-8-sig")
        try:
            if edits:
                text = dump_yaml(apply(data, edits))
            compiled.append(load_scenario_text(text, str(path)))
        except OverrideError as error:
            raise BatchError(f"--set/--sweep {error}") from None
        except ScenarioError as error:
            if not edits:
                raise _scenario_problem(error) from None
            label = describe(edits)
            problems = "; ".join(i.message for i in error.issues if i.severity == "error")
            raise BatchError(f"{path} with {label}: {problems}") from None
        texts.append(text)
    policy_entries: list[tuple[str, object]] = []
    policy_spec: list[PolicyFile] = []
    for policy_path in policies:
        try:
            document = read_yaml(policy_path)
            policy = load_policy_document(document, compiled[0])
            # Each sweep point is its own scenario: the policy must fit every one of them.
            for other in compiled[1:]:
                load_policy_document(document, other)
        except ScenarioError as error:
            raise _scenario_problem(error) from None
        if any(name == policy.name for name, _ in policy_entries):
            raise BatchError(f"{policy_path}: another --policy is also named {policy.name!r}")
        policy_entries.append((policy.name, document.data))
        digest = _sha256(document.raw)
        policy_spec.append(PolicyFile(name=policy.name, sha256=digest, path=str(policy_path)))
    if not policy_entries:
        policy_entries.append(("default", None))
    params = tuple(tuple((a.path, a.value) for a in point) for point in points)
    duration = max(c.scenario.clock.duration for c in compiled)
    workload = ScenarioWorkload(
        str(path), tuple(texts), params, tuple(policy_entries), time_grid(duration)
    )
    spec = BatchSpec(
        scenario=ScenarioFile(sha256=_sha256(raw), path=str(path)),
        policies=policy_spec,
        sets=list(sets),
        sweeps=list(sweeps),
        grid_hours=list(workload.grid),
        runs=0,
        seed=0,
    )
    return workload, spec


def same_batch(stored: object, spec: object) -> bool:
    """Whether a progress record's spec and a new one describe the same work (file contents
    count, not how paths are spelled); a record this version cannot read is another batch."""
    try:
        return BatchSpec.model_validate(stored).same_work(BatchSpec.model_validate(spec))
    except ValidationError:
        return False


def package_versions() -> dict[str, str]:
    """Installed versions of the packages a result depends on."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def _manifest(
    outcome: Outcome,
    spec: BatchSpec,
    plan: Plan,
    executor: Executor,
    *,
    arguments: Arguments,
    total_wall_seconds: float,
    files: list[str],
) -> BatchManifest:
    info = outcome.layout.info
    executed = outcome.executed
    return BatchManifest(
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        scenario=ManifestScenario(
            path=spec.scenario.path, sha256=spec.scenario.sha256, id=info.id, title=info.title
        ),
        seed=plan.seed,
        runs=plan.runs,
        groups=[g.label for g in outcome.layout.groups],
        replications=plan.runs * plan.groups,
        failures=outcome.summary.failures,
        policies=spec.policies,
        sets=spec.sets,
        sweeps=spec.sweeps,
        grid_hours=list(outcome.layout.grid),
        series_quantiles=QUANTILE_RULE,
        chunk_size=plan.chunk_size,
        executor=executor.description,
        workers=executor.workers,
        wall_seconds=round(outcome.seconds, 3),
        replications_run_now=executed,
        wall_seconds_per_run=round(outcome.seconds / executed, 6) if executed else None,
        cpu_seconds_per_run=round(outcome.cpu_seconds / executed, 6) if executed else None,
        python=sys.version.split()[0],
        platform=platform.platform(),
        packages=package_versions(),
        arguments=arguments,
        resumed=arguments.resume,
        total_wall_seconds=total_wall_seconds,
        files=files,
    )


def run_batch(
    scenario: str | Path,
    *,
    runs: int,
    seed: int = 0,
    policies: Sequence[str | Path] = (),
    sets: Sequence[str] = (),
    sweeps: Sequence[str] = (),
    jobs: int | None = 1,
    dask: str | None = None,
    out: str | Path | None = None,
    resume: bool = False,
    chunk_size: int | None = None,
    plots: bool = True,
    progress: ProgressCallback | None = None,
    executor: Executor | None = None,
) -> BatchResult:
    """Run `runs` replications of the scenario per course of action and sweep point.

    `jobs=None` uses every core. With `out=None` the batch runs in a temporary directory that
    is removed afterwards (no plots). Ctrl-C (KeyboardInterrupt) propagates after the finished
    chunks are safely on disk; call again with `resume=True` to finish them.
    """
    if not 1 <= runs <= MAX_RUNS:
        raise BatchError(f"--runs must be between 1 and {MAX_RUNS:,}")
    if not 0 <= seed <= MAX_SEED:
        raise BatchError("--seed must be between 0 and 2**63 - 1")
    workers = available_cores() if jobs is None else jobs
    if workers < 1:
        raise BatchError("--jobs must be at least 1")
    if chunk_size is not None and chunk_size < 1:
        raise BatchError("the chunk size must be at least 1")
    workload, read = build_workload(scenario, policies, sets, sweeps)
    spec = read.model_copy(update={"runs": runs, "seed": seed})
    groups = len(workload.texts) * len(workload.policies)
    if out is None:
        with tempfile.TemporaryDirectory(prefix="ttx-batch-") as scratch:
            result = run_batch(
                scenario, runs=runs, seed=seed, policies=policies, sets=sets, sweeps=sweeps,
                jobs=jobs, dask=dask, out=scratch, chunk_size=chunk_size, plots=False,
                progress=progress, executor=executor,
            )  # fmt: skip
            return BatchResult(result.summary, result.manifest, None, rows=result.frame)
    store = ResultStore(Path(out), same_spec=same_batch)
    if resume and store.progress.exists():
        try:
            size = store.record().chunk_size
        except ResultsError as error:
            raise BatchError(str(error)) from None
    else:
        size = chunk_size or default_chunk_size(runs, workers)
    plan = Plan(runs, seed, groups, size)
    chosen = executor or make_executor(workers, dask, preload=(ScenarioWorkload.__module__,))
    started = time.perf_counter()
    try:
        outcome = execute(
            workload, plan, chosen, store, spec.model_dump(mode="json"), resume=resume,
            progress=progress,
        )  # fmt: skip
    except (ResultsError, ExecutorError) as error:
        raise BatchError(str(error)) from None
    plot_files: list[Path] = []
    if plots:
        from simulator.batch.plots import write_plots

        plot_files = write_plots(outcome, store.out / "plots")
    arguments = Arguments(
        scenario=str(scenario),
        runs=runs,
        seed=seed,
        policies=[str(p) for p in policies],
        sets=list(sets),
        sweeps=list(sweeps),
        jobs=jobs,
        dask=dask,
        out=str(out),
        resume=resume,
        chunk_size=chunk_size,
        plots=plots,
    )
    files = [
        p.name
        for p in store.out.iterdir()
        if p.suffix in (".parquet", ".json") and p != store.progress
    ]
    manifest = _manifest(
        outcome,
        spec,
        plan,
        chosen,
        arguments=arguments,
        total_wall_seconds=round(time.perf_counter() - started, 3),
        files=sorted([*files, "manifest.json", *(f"plots/{p.name}" for p in plot_files)]),
    )
    write_json(store.manifest, manifest.model_dump(mode="json"))
    store.finish()
    return BatchResult(outcome.summary, manifest, store.out, tuple(plot_files))


def load_results(out: str | Path) -> BatchResult:
    """A finished batch directory read back: rows as a DataFrame, summary and manifest."""
    directory = Path(out)
    try:
        summary = BatchSummary.model_validate_json((directory / "summary.json").read_bytes())
        manifest = BatchManifest.model_validate_json((directory / "manifest.json").read_bytes())
    except OSError as error:
        raise BatchError(
            f"{directory}: cannot read batch results: {error.strerror or error}"
        ) from None
    except ValidationError as error:
        raise BatchError(
            f"{directory}: not a batch this version can read: {first_problem(error)}"
        ) from None
    plots = tuple(sorted((directory / "plots").glob("*.png")))
    return BatchResult(summary, manifest, directory, plots)
