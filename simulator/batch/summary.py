"""`summary.json`: per metric and group, descriptive statistics with 95 % intervals, and paired
differences between courses of action (and between sweep points) run on the same seeds.

Statistics are computed from `runs.parquet` one column at a time: rows are sorted by group and
replication, so a column reshaped to (groups, runs) lines up the same seeds across groups.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
from simulator.batch.workload import BASE_COLUMNS, Layout

SUMMARY_FORMAT = "ttx-batch-summary/1"


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


def headline(metrics: dict[str, list[dict[str, Any]]]) -> list[str]:
    """The metrics a reader looks at first: the chance and time of use, then the scenario's own
    metrics in file order, leaving out categories and exact duplicates (a `chem.used` metric)."""
    names = ["chem_used", "chem_time", *(m for m in metrics if m.startswith("metric."))]
    kept: list[str] = []
    for name in names:
        stats = metrics.get(name)
        if stats is None or stats[0]["kind"] == "categorical":
            continue
        if any(stats == metrics[other] for other in kept):
            continue
        kept.append(name)
    return kept


def labels(layout: Layout, columns: list[str]) -> dict[str, str]:
    """A readable label per metric column: the scenario's own metric labels, names for the rest."""
    info = layout.info
    metric_labels: dict[str, str] = dict(info.get("metrics", {}))  # type: ignore[call-overload]
    decisions: dict[str, str] = dict(info.get("decisions", {}))  # type: ignore[call-overload]
    units: dict[str, str] = dict(info.get("units", {}))  # type: ignore[call-overload]
    scopes: dict[str, str] = dict(info.get("scopes", {}))  # type: ignore[call-overload]
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


def _describe_text(column: pa.ChunkedArray[Any]) -> dict[str, Any]:
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


HOLM_ALPHA = 0.05
"""The level `significant_holm` uses, matching the 95 % intervals behind `significant`."""


def _adjust_for_multiplicity(differences: list[dict[str, Any]]) -> int:
    """Add `p_holm` and `significant_holm` to every paired difference, Holm-adjusting over the
    family of every test in the summary (each metric of each comparison that has a p-value): a
    reader scanning all of them for a star is making that many tests. Returns the family size."""
    family = [diff for entry in differences for diff in entry["metrics"].values()]
    raw = [diff["p_value"] for diff in family if diff["p_value"] is not None]
    adjusted = iter(holm_adjust(raw))
    for diff in family:
        diff["p_holm"] = None if diff["p_value"] is None else next(adjusted)
        diff["significant_holm"] = diff["p_holm"] is not None and diff["p_holm"] < HOLM_ALPHA
    for entry in differences:
        entry["significant_holm"] = [
            name for name, diff in entry["metrics"].items() if diff["significant_holm"]
        ]
    return len(raw)


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


def _first_failure(errors: Any, failed: np.ndarray[Any, Any], offset: int) -> dict[str, Any] | None:
    """The group's first failed replication and its error, so a summary can say why."""
    if not failed.any():
        return None
    replication = int(np.argmax(failed))
    return {"replication": replication, "error": str(errors[offset + replication])}


def summarize(runs_path: Path, layout: Layout, runs: int, seed: int) -> dict[str, Any]:
    """The summary document (see the module docstring)."""
    types = column_types(runs_path)
    n_groups = len(layout.groups)
    source = pq.ParquetFile(runs_path)
    errors = read_column(source, "error")
    failed = np.asarray(errors.is_valid().to_numpy(), dtype=bool).reshape(n_groups, runs)
    groups = [
        {
            "group": k,
            "label": g.label,
            "policy": g.policy,
            "point": g.point,
            "params": dict(g.params),
            "runs": runs,
            "failures": int(failed[k].sum()),
            "first_failure": _first_failure(errors, failed[k], k * runs),
        }
        for k, g in enumerate(layout.groups)
    ]
    metrics: dict[str, list[dict[str, Any]]] = {}
    pairs = comparisons(layout)
    differences: list[dict[str, Any]] = [
        {
            "baseline": layout.groups[a].label,
            "other": layout.groups[b].label,
            "baseline_group": a,
            "other_group": b,
            "metrics": {},
            "significant": [],
        }
        for a, b in pairs
    ]
    for name, kind in metric_columns(types).items():
        column = read_column(source, name)
        if kind == "categorical":
            metrics[name] = [_describe_text(column.slice(k * runs, runs)) for k in range(n_groups)]
            continue
        array = _as_float(column).reshape(n_groups, runs)
        proportion = kind == "proportion"
        describe = describe_boolean if proportion else describe_numeric
        compare = paired_proportion_difference if proportion else paired_difference
        metrics[name] = [describe(array[k]) for k in range(n_groups)]
        for entry, (a, b) in zip(differences, pairs, strict=True):
            diff = compare(array[a], array[b])
            entry["metrics"][name] = diff
            if diff["significant"]:
                entry["significant"].append(name)
    family_size = _adjust_for_multiplicity(differences)
    return {
        "format": SUMMARY_FORMAT,
        "scenario": {key: layout.info.get(key) for key in ("id", "title", "banner")},
        "labels": labels(layout, list(metrics)),
        "headline": headline(metrics),
        "seed": seed,
        "runs_per_group": runs,
        "replications": runs * n_groups,
        "failures": int(failed.sum()),
        "groups": groups,
        "metrics": metrics,
        "comparisons": differences,
        "confidence": CONFIDENCE,
        "multiple_comparisons": {
            "method": "holm",
            "family_size": family_size,
            "alpha": HOLM_ALPHA,
        },
        "notes": NOTES,
    }
