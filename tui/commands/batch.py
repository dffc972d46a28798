"""`ttx batch`: seeded Monte Carlo replications with streamed results, statistics and plots.

The work is done by `simulator.batch.run_batch`; this module parses arguments, shows progress
(a Rich bar on a terminal, plain periodic lines otherwise) and prints the summary table.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tui.commands.errors import fail, fail_with_issues
from tui.commands.model_options import Overrides

if TYPE_CHECKING:
    from rich.console import Console

    from simulator.batch import BatchResult
    from simulator.batch.runner import Progress, ProgressCallback
    from simulator.batch.summary_format import BatchSummary, Difference, GroupStats

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_FAILED_RUNS = 1
"""Exit status when some replications failed: the files are written, but look before using them."""
PLAIN_PROGRESS_SECONDS = 5.0


def _count(text: str, option: str, *, low: int, high: int) -> int:
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        fail(f"{option} expects a whole number, got {text!r}", EXIT_USAGE)
    if not low <= value <= high:
        fail(f"{option} must be between {low:,} and {high:,}, got {value:,}", EXIT_USAGE)
    return value


def _jobs(text: str) -> int | None:
    if text.strip().lower() == "auto":
        return None
    return _count(text, "--jobs", low=1, high=4096)


class _PlainProgress:
    """Periodic one-line reports for logs and pipes."""

    def __init__(self) -> None:
        self._started = time.monotonic()
        self._last = 0.0
        self._first_done: int | None = None

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        if self._first_done is None:
            self._first_done = progress.done
        finished = progress.chunks_done == progress.chunks
        if not finished and now - self._last < PLAIN_PROGRESS_SECONDS:
            return
        self._last = now
        elapsed = max(now - self._started, 1e-9)
        rate = (progress.done - self._first_done) / elapsed
        remaining = (progress.total - progress.done) / rate if rate > 0 else float("nan")
        eta = f", ETA {remaining:,.0f} s" if rate > 0 and not finished else ""
        sys.stderr.write(
            f"ttx batch: {progress.done:,}/{progress.total:,} runs "
            f"({100 * progress.done / progress.total:.0f} %), {rate:,.0f} runs/s{eta}, "
            f"{progress.failures} failed\n"
        )
        sys.stderr.flush()


class _RichProgress:
    """A Rich bar with rate and ETA, for a terminal."""

    def __init__(self, console: Console) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as Bar

        self._bar = Bar(
            TextColumn("[bold]ttx batch[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[rate]} runs/s"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[failed]} failed"),
            console=console,
        )
        self._task = self._bar.add_task("runs", total=None, rate="–", failed=0)
        self._started = time.monotonic()
        self._first_done: int | None = None
        self._bar.start()

    def __call__(self, progress: Progress) -> None:
        if self._first_done is None:
            self._first_done = progress.done
        rate = (progress.done - self._first_done) / max(time.monotonic() - self._started, 1e-9)
        self._bar.update(
            self._task,
            completed=progress.done,
            total=progress.total,
            rate=f"{rate:,.0f}",
            failed=progress.failures,
        )

    def stop(self) -> None:
        self._bar.stop()


_HEADLINE = {
    "chem_used": "Chemical use (share of runs)",
    "chem_time": "Days to first use (runs with use)",
}


def _warn_failures(summary: BatchSummary) -> None:
    """Failed runs are rarely a random sample (they fail where the scenario goes somewhere
    particular), so estimates over the rest can be badly biased: say so where it is seen."""
    group, where = next((g, g.first_failure) for g in summary.groups if g.first_failure)
    sys.stderr.write(
        f"ttx: error: {summary.failures:,} of {summary.replications:,} runs failed; the "
        "estimates above cover only the runs that completed and may be biased. First failure "
        f"({group.label}, replication {where.replication}): {where.error}. Every "
        "failure is in runs.parquet, column 'error'.\n"
    )


def _scale(name: str) -> float:
    """The time of use in days (the summary keeps hours), everything else as recorded."""
    return 1 / 24 if name == "chem_time" else 1.0


def _cell(stats: GroupStats, name: str) -> str:
    """`estimate [low, high]` of one metric in one group."""
    if stats.kind == "proportion":
        p, (lo, hi) = stats.proportion, stats.ci95
        return "–" if p is None else f"{p:.1%} [{lo:.1%}, {hi:.1%}]"
    if stats.kind == "categorical" or stats.mean is None:
        return "–"
    k = _scale(name)
    lo, hi = stats.ci95 or (stats.mean, stats.mean)
    return f"{stats.mean * k:.3g} [{lo * k:.3g}, {hi * k:.3g}]"


def _difference(diff: Difference, name: str) -> str:
    """A significant paired difference and its interval (both exist when it is significant)."""
    from simulator.batch.summary_format import PAIRED_T

    value, (lo, hi) = diff.difference or 0.0, diff.ci95 or (0.0, 0.0)
    if diff.method != PAIRED_T:
        value, lo, hi = (100 * v for v in (value, lo, hi))
        return f"{value:+.1f} points [{lo:+.1f}, {hi:+.1f}]"
    k = _scale(name)
    return f"{value * k:+.3g} [{lo * k:+.3g}, {hi * k:+.3g}]"


def _p_text(value: float | None) -> str:
    # Two significant digits are enough to compare with 0.05. Below 1e-300 a float has lost
    # digits or underflowed to 0, and "0" would claim a certainty no sample gives.
    if value is None:
        return "–"
    return "< 1e-300" if value < 1e-300 else f"{value:.2g}"


def _tests(diff: Difference) -> str:
    text = f"p {_p_text(diff.p_value)}, Holm {_p_text(diff.p_holm)}"
    return text if diff.significant_holm else f"{text}: not significant after Holm"


def _summary_table(result: BatchResult, console: Console) -> None:
    """Key metrics per group with 95 % intervals, then the significant paired differences with
    their raw and Holm-adjusted p-values."""
    from rich.table import Table

    summary = result.summary
    metrics = summary.metrics
    labels = summary.labels | _HEADLINE
    banner = summary.scenario.banner or "EXERCISE EXERCISE EXERCISE"
    table = Table(title=f"{banner}\nBatch summary: estimate [95 % interval]", title_justify="left")
    table.add_column("metric")
    for group in summary.groups:
        table.add_column(group.label, justify="right")

    def show(line: str, tail: str) -> None:
        # On a narrow terminal the p-values get a line of their own instead of wrapping mid-phrase.
        if len(line) + 2 + len(tail) <= console.width:
            console.print(f"{line}  {tail}")
        else:
            console.print(line)
            console.print(f"      {tail}")

    names = summary.headline
    for name in names:
        table.add_row(labels.get(name, name), *(_cell(s, name) for s in metrics[name]))
    table.add_row("Failed runs", *(str(g.failures) for g in summary.groups))
    console.print(table)
    any_shown = False
    for comparison in summary.comparisons:
        shown = [m for m in names if m in comparison.significant]
        any_shown = any_shown or bool(shown)
        pair = f"{comparison.other} vs {comparison.baseline}"
        if not shown:
            console.print(f"{pair}: no significant difference in the metrics above")
            continue
        console.print(f"{pair}, paired on the same seeds (significant at 95 %):")
        for name in shown:
            diff = comparison.metrics[name]
            show(f"  {labels.get(name, name)}: {_difference(diff, name)}", _tests(diff))
    if any_shown:
        family = summary.multiple_comparisons.family_size
        console.print(
            f"p: raw p-value; Holm: Holm-adjusted over all {family:,} tests in summary.json"
        )


def batch(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.", show_default=False)],
    *,
    runs: Annotated[
        str, typer.Option("--runs", "-n", metavar="N", help="Replications per group.")
    ] = "1000",
    seed: Annotated[
        str,
        typer.Option(
            "--seed",
            "-s",
            metavar="S",
            help="Root seed: run i uses SeedSequence(S, spawn_key=(i,)).",
        ),
    ] = "0",
    jobs: Annotated[
        str, typer.Option("--jobs", "-j", metavar="auto|K", help="Worker processes.")
    ] = "auto",
    policy: Annotated[
        list[Path] | None,
        typer.Option(
            "--policy",
            "-p",
            metavar="FILE",
            help="Course of action YAML; repeat to compare on the same seeds.",
        ),
    ] = None,
    set_: Overrides = None,
    sweep: Annotated[
        list[str] | None,
        typer.Option(
            "--sweep",
            metavar="PATH=V1,V2|PATH=LO:HI:STEPS",
            help="Run each value of a scenario field (repeat for a full grid).",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Output directory (default: batch-out/SCENARIO-sSEED)."),
    ] = None,
    dask: Annotated[
        str | None,
        typer.Option(
            metavar="ADDRESS|local",
            help="Run on Dask: 'local' for a LocalCluster, or a scheduler tcp://host:8786.",
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option("--resume", help="Finish an interrupted batch in --out (same arguments)."),
    ] = False,
    chunk_size: Annotated[
        str | None, typer.Option(metavar="K", help="Replications per task (default: automatic).")
    ] = None,
    plots: Annotated[bool, typer.Option(help="Draw the PNG charts.")] = True,
) -> None:
    """Run SCENARIO many times with reproducible seeds; write runs.parquet, summary.json,
    manifest.json and plots/ to --out, and print a summary."""
    from rich.console import Console

    from simulator.batch import BatchError, run_batch
    from simulator.batch.api import MAX_RUNS
    from simulator.engine.seed_range import MAX_SEED

    count = _count(runs, "--runs", low=1, high=MAX_RUNS)
    root = _count(seed, "--seed", low=0, high=MAX_SEED)
    workers = _jobs(jobs)
    size = None if chunk_size is None else _count(chunk_size, "--chunk-size", low=1, high=10**6)
    if dask is not None and not (dask == "local" or "://" in dask):
        fail(f"--dask expects 'local' or a scheduler address like tcp://host:8786, got {dask!r}", 2)
    directory = out or Path("batch-out") / f"{scenario.stem}-s{root}"
    console = Console(stderr=True)
    display = _RichProgress(console) if console.is_terminal else None
    callback: ProgressCallback = display or _PlainProgress()
    try:
        result = run_batch(
            scenario,
            runs=count,
            seed=root,
            policies=policy or (),
            sets=set_ or (),
            sweeps=sweep or (),
            jobs=workers,
            dask=dask,
            out=directory,
            resume=resume,
            chunk_size=size,
            plots=plots,
            progress=callback,
        )
    except BatchError as error:
        if display is not None:
            display.stop()
        if error.issues:
            fail_with_issues(error.issues)
        fail(str(error), EXIT_USAGE)
    except KeyboardInterrupt:
        if display is not None:
            display.stop()
        sys.stderr.write(
            f"ttx: interrupted: finished chunks are saved in {directory}; run the same command "
            "with --resume to finish\n"
        )
        raise typer.Exit(EXIT_INTERRUPTED) from None
    if display is not None:
        display.stop()
    # Labels, group names and the banner come from the scenario and policy files: data, never
    # Rich markup (a label holding `[/]` would otherwise crash the summary after the runs).
    width = None if sys.stdout.isatty() else 110
    stdout = Console(width=width, markup=False, highlight=False)
    _summary_table(result, stdout)
    manifest = result.manifest
    replications = manifest.replications
    stdout.print(
        f"{replications:,} run{'' if replications == 1 else 's'} in "
        f"{manifest.total_wall_seconds:.1f} s "
        f"({manifest.executor}); results in {directory}/: runs.parquet, summary.json, "
        f"manifest.json" + (", plots/" if result.plots else "")
    )
    if result.summary.failures:
        _warn_failures(result.summary)
        raise typer.Exit(EXIT_FAILED_RUNS)
