"""`summary.json`: per metric and group, descriptive statistics with 95 % intervals, and paired
differences between courses of action (and between sweep points) run on the same seeds.

Statistics are computed from `runs.parquet` one column at a time: rows are sorted by group and
replication, so a column reshaped to (groups, runs) lines up the same seeds across groups.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from simulator.batch.results import column_types, read_column
from simulator.batch.stats import (
    CONFIDENCE,
    describe_boolean,
    describe_counts,
    describe_numeric,
    holm_adjust,
    paired_difference,
    paired_proportion_difference,
)
from simulator.batch.summary_format import (
    BatchSummary,
    CategoricalStats,
    Comparison,
    Difference,
    FirstFailure,
    GroupStats,
    GroupSummary,
    MultipleComparisons,
    ScenarioHeading,
)
from simulator.batch.workload import BASE_COLUMNS, Layout


def metric_columns(types: dict[str, pa.DataType]) -> dict[str, str]:
    """Metric columns and their kind: `proportion`, `numeric` or `categorical`."""
    kinds = {}
    for name, kind in types.items():
        if name in BASE_COLUMNS or name.startswith("sweep."):
            continue
        if pa.types.is_boolean(kind):
            kinds[name] = "proportion"
        elif pa.types.is_integer(kind) or pa.types.is_floating(kind):
            kinds[name] = "numeric"
        elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
            kinds[name] = "categorical"
    return kinds


def _as_float(column: pa.ChunkedArray[Any]) -> npt.NDArray[np.float64]:
    """Numbers and booleans as float64, nulls as NaN."""
    cast = pc.cast(column, pa.float64())
    return np.asarray(cast.to_numpy(), dtype=np.float64)


STANDARD_LABELS = {
    "end_time": "End of the run (hours)",
    "end_reason": "Why the run ended",
    "chem_used": "Chemical use occurred",
    "chem_time": "Time of the first chemical use (hours, runs with use)",
    "chem_last_time": "Time of the last chemical use (hours, runs with use)",
    "chem_uses": "Number of chemical uses",
    "chem_band": "Consequence band of the first use",
    "chem_evaluations": "Evaluations of the chemical-use decision point",
    "chem_max_probability": "Highest chance of use at one evaluation",
    "injects_fired": "Injects delivered",
}


def headline(metrics: dict[str, list[GroupStats]]) -> list[str]:
    """The metrics a reader looks at first: the chance and time of use, then the scenario's own
    metrics in file order, leaving out categories and exact duplicates (a `chem.used` metric)."""
    names = ["chem_used", "chem_time", *(m for m in metrics if m.startswith("metric."))]
    kept: list[str] = []
    for name in names:
        stats = metrics.get(name)
        if stats is None or isinstance(stats[0], CategoricalStats):
            continue
        if any(stats == metrics[other] for other in kept):
            continue
        kept.append(name)
    return kept


def labels(layout: Layout, columns: list[str]) -> dict[str, str]:
    """A readable label per metric column: the scenario's own metric labels, names for the rest."""
    info = layout.info
    metric_labels, decisions, units, scopes = info.metrics, info.decisions, info.units, info.scopes
    result = {}
    for column in columns:
        kind, _, rest = column.partition(".")
        if column in STANDARD_LABELS:
            result[column] = STANDARD_LABELS[column]
        elif kind == "metric":
            result[column] = metric_labels.get(rest, rest)
        elif kind == "option":
            result[column] = f"Option taken: {decisions.get(rest, rest)}"
        elif kind == "decided_at":
            result[column] = f"Hour decided: {decisions.get(rest, rest)}"
        elif kind == "alert_max":
            result[column] = f"Highest alert rung: {scopes.get(rest, rest)}"
        elif kind == "alert_first":
            scope, _, level = rest.partition(".")
            result[column] = f"Hour {scopes.get(scope, scope)} first at {level}"
        elif kind == "readiness":
            unit, _, when = rest.rpartition(".")
            result[column] = f"Readiness of {units.get(unit, unit)} at {when.lstrip('t')} h"
    return result


def _describe_text(column: pa.ChunkedArray[Any]) -> CategoricalStats:
    """Categories of a text column, counted by Arrow (no Python string per row)."""
    counts = pc.value_counts(column)
    values = counts.field("values").to_pylist()
    numbers = counts.field("counts").to_pylist()
    known = {str(v): int(c or 0) for v, c in zip(values, numbers, strict=True) if v is not None}
    return describe_counts(known, column.null_count)


def comparisons(layout: Layout) -> list[tuple[int, int]]:
    """(baseline, other) group pairs: each policy against the first at every sweep point, and
    each sweep point against the first for every policy."""
    pairs = []
    index = {(g.policy, g.point): k for k, g in enumerate(layout.groups)}
    policies = list(dict.fromkeys(g.policy for g in layout.groups))
    points = sorted({g.point for g in layout.groups})
    for point in points:
        pairs += [(index[(policies[0], point)], index[(p, point)]) for p in policies[1:]]
    for policy in policies:
        pairs += [(index[(policy, points[0])], index[(policy, p)]) for p in points[1:]]
    return pairs


HOLM_ALPHA: Final = 0.05
"""The level `significant_holm` uses, matching the 95 % intervals behind `significant`."""


def _adjust_for_multiplicity(comparisons: list[Comparison]) -> list[Comparison]:
    """Every paired difference with `p_holm` and `significant_holm`, Holm-adjusted over the
    family of every test in the summary (each metric of each comparison that has a p-value): a
    reader scanning all of them for a star is making that many tests."""
    raw = [d.p_value for c in comparisons for d in c.metrics.values() if d.p_value is not None]
    adjusted = iter(holm_adjust(raw))
    result = []
    for entry in comparisons:
        metrics: dict[str, Difference] = {}
        for name, diff in entry.metrics.items():
            p_holm = None if diff.p_value is None else next(adjusted)
            significant = p_holm is not None and p_holm < HOLM_ALPHA
            metrics[name] = diff.model_copy(
                update={"p_holm": p_holm, "significant_holm": significant}
            )
        holm = [name for name, diff in metrics.items() if diff.significant_holm]
        result.append(entry.model_copy(update={"metrics": metrics, "significant_holm": holm}))
    return result


NOTES = (
    "Proportions: Wilson score intervals. Means: Student-t intervals over finite values "
    "(`missing` counts NaN/null, e.g. the time of a use that never happened); the mean is "
    "math.fsum(values) / n kept within [min, max], so a constant is reported exactly, with sd 0 "
    "and a zero-width interval. Quantiles: the smallest observed value x with F(x) >= q (numpy "
    "method 'inverted_cdf', as in the fan charts). Comparisons: other minus baseline over "
    "replications with the same seed; numbers by a paired t-interval and t-test, booleans by "
    "Newcombe's hybrid score interval for paired proportions (1998, method 10) and the exact "
    "McNemar test on the discordant pairs (`discordant`). p-values are two-sided and computed "
    "from the distribution tails, so small ones stay accurate down to about 1e-308, below which "
    "a double loses digits and finally holds 0. "
    "`significant`: the raw 95 % interval excludes 0. `p_holm`: Holm-Bonferroni adjustment over "
    "every p-value in this summary (`multiple_comparisons` gives the family size); "
    "`significant_holm`: p_holm < 0.05."
)


def _first_failure(
    errors: pa.ChunkedArray[Any], failed: npt.NDArray[np.bool_], offset: int
) -> FirstFailure | None:
    """The group's first failed replication and its error, so a summary can say why."""
    if not failed.any():
        return None
    replication = int(np.argmax(failed))
    return FirstFailure(replication=replication, error=str(errors[offset + replication]))


def summarize(runs_path: Path, layout: Layout, runs: int, seed: int) -> BatchSummary:
    """The summary document (see the module docstring)."""
    types = column_types(runs_path)
    n_groups = len(layout.groups)
    source = pq.ParquetFile(runs_path)
    errors = read_column(source, "error")
    failed = np.asarray(errors.is_valid().to_numpy(), dtype=bool).reshape(n_groups, runs)
    groups = [
        GroupSummary(
            group=k,
            label=g.label,
            policy=g.policy,
            point=g.point,
            params=dict(g.params),
            runs=runs,
            failures=int(failed[k].sum()),
            first_failure=_first_failure(errors, failed[k], k * runs),
        )
        for k, g in enumerate(layout.groups)
    ]
    metrics: dict[str, list[GroupStats]] = {}
    pairs = comparisons(layout)
    differences: list[dict[str, Difference]] = [{} for _ in pairs]
    for name, kind in metric_columns(types).items():
        column = read_column(source, name)
        if kind == "categorical":
            metrics[name] = [_describe_text(column.slice(k * runs, runs)) for k in range(n_groups)]
            continue
        array = _as_float(column).reshape(n_groups, runs)
        if kind == "proportion":
            metrics[name] = [describe_boolean(array[k]) for k in range(n_groups)]
            for entry, (a, b) in zip(differences, pairs, strict=True):
                entry[name] = paired_proportion_difference(array[a], array[b])
        else:
            metrics[name] = [describe_numeric(array[k]) for k in range(n_groups)]
            for entry, (a, b) in zip(differences, pairs, strict=True):
                entry[name] = paired_difference(array[a], array[b])
    compared = [
        Comparison(
            baseline=layout.groups[a].label,
            other=layout.groups[b].label,
            baseline_group=a,
            other_group=b,
            metrics=entry,
            significant=[name for name, diff in entry.items() if diff.significant],
            significant_holm=[],
        )
        for entry, (a, b) in zip(differences, pairs, strict=True)
    ]
    compared = _adjust_for_multiplicity(compared)
    family_size = sum(d.p_value is not None for c in compared for d in c.metrics.values())
    info = layout.info
    return BatchSummary(
        scenario=ScenarioHeading(id=info.id, title=info.title, banner=info.banner),
        labels=labels(layout, list(metrics)),
        headline=headline(metrics),
        seed=seed,
        runs_per_group=runs,
        replications=runs * n_groups,
        failures=int(failed.sum()),
        groups=groups,
        metrics=metrics,
        comparisons=compared,
        confidence=CONFIDENCE,
        multiple_comparisons=MultipleComparisons(family_size=family_size, alpha=HOLM_ALPHA),
        notes=NOTES,
    )
