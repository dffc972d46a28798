"""Briefing charts of a finished batch, drawn with matplotlib's Agg backend (no display needed).

Figures are built with the object API (`Figure`, never `pyplot`), which renders through Agg
without touching global state, so plotting is safe in notebooks, threads and headless servers.
Every chart carries the scenario's banner (`EXERCISE EXERCISE EXERCISE` for fictional
exercises) at top and bottom, its title, the number of runs, and the seed, so a slide cut from
it still says what it is.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from simulator.batch.results import read_column
from simulator.batch.runner import Outcome
from simulator.batch.stats import wilson_interval
from simulator.batch.workload import Layout, SeriesSpec

_NAMED = {
    "green": "#2e7d32",
    "blue": "#1565c0",
    "yellow": "#f9c825",
    "orange": "#ef6c00",
    "red": "#c62828",
    "purple": "#6a1b9a",
    "magenta": "#ad1457",
    "cyan": "#00838f",
    "white": "#eeeeee",
    "grey": "#9e9e9e",
}
_GROUP_COLOURS = ("#1f4e79", "#c55a11", "#548235", "#7030a0", "#bf9000", "#2f5597", "#843c0c")
DPI = 150
MAX_COMPARED_METRICS = 9
MAX_DRAWN_GROUPS = 4


def shown_groups(layout: Layout) -> list[int]:
    """The groups drawn in per-group charts: all if few, else spread over policies and points.

    Time-series charts of more than a handful of groups are unreadable; `series.parquet` and
    `occupancy.parquet` keep every group.
    """
    groups = layout.groups
    if len(groups) <= MAX_DRAWN_GROUPS:
        return list(range(len(groups)))
    policies = list(dict.fromkeys(g.policy for g in groups))[:MAX_DRAWN_GROUPS]
    points = sorted({g.point for g in groups})
    quota = max(1, MAX_DRAWN_GROUPS // len(policies))
    picked = sorted({points[round(i)] for i in np.linspace(0, len(points) - 1, quota)})
    index = {(g.policy, g.point): k for k, g in enumerate(groups)}
    return sorted(index[(policy, point)] for policy in policies for point in picked)


def _colour(name: str) -> str:
    return _NAMED.get(name, name)


def _group_colour(k: int) -> str:
    return _GROUP_COLOURS[k % len(_GROUP_COLOURS)]


def _frame(fig: Figure, outcome: Outcome, title: str) -> None:
    """Banner top and bottom, chart title, and a footer saying what was run."""
    info = outcome.layout.info
    banner = str(info.get("banner", "EXERCISE EXERCISE EXERCISE"))
    for y, va in ((0.995, "top"), (0.005, "bottom")):
        fig.text(
            0.5,
            y,
            banner,
            ha="center",
            va=va,
            fontsize=10,
            fontweight="bold",
            color="#b00020",
            family="monospace",
        )
    fig.suptitle(f"{info.get('title', '')}\n{title}", y=0.965, fontsize=12)
    summary = outcome.summary
    footer = (
        f"{summary['runs_per_group']:,} runs per group, {len(outcome.layout.groups)} group(s), "
        f"{summary['failures']} failed · scenario {str(info.get('source_hash', ''))[:12]}"
    )
    fig.text(
        0.99,
        0.3 / fig.get_figheight(),
        footer,
        ha="right",
        va="bottom",
        fontsize=7,
        color="#555555",
    )


def _save(fig: Figure, path: Path) -> Path:
    fig.savefig(path, dpi=DPI, metadata={"Software": None})
    return path


def _margins(
    fig: Figure,
    *,
    top: float,
    bottom: float,
    left: float,
    right: float,
    hspace: float = 0.4,
    wspace: float = 0.2,
) -> None:
    """Place the axes grid with margins given in inches, whatever the figure size."""
    width, height = fig.get_figwidth(), fig.get_figheight()
    fig.subplots_adjust(
        top=1 - top / height,
        bottom=bottom / height,
        left=left / width,
        right=1 - right / width,
        hspace=hspace,
        wspace=wspace,
    )


def _grid_shape(count: int, columns: int) -> tuple[int, int]:
    cols = min(columns, count)
    return math.ceil(count / cols), cols


def _days(hours: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return hours / 24.0


def chem_timing(outcome: Outcome, path: Path) -> Path:
    """Histogram of the day of use (runs with use) and the cumulative chance of use by day."""
    groups = outcome.layout.groups
    runs = outcome.summary["runs_per_group"]
    times = read_column(outcome.runs_path, "chem_time")
    hours = np.asarray(times.to_numpy(), dtype=np.float64).reshape(len(groups), runs)
    duration = float(outcome.layout.grid[-1])
    days = max(1, math.ceil(duration / 24.0))
    fig = Figure(figsize=(12, 5.6))
    hist, cumulative = fig.subplots(1, 2)
    edges = np.arange(days + 1, dtype=np.float64)
    drawn = shown_groups(outcome.layout)
    for position, k in enumerate(drawn):
        group = groups[k]
        used = _days(hours[k][np.isfinite(hours[k])])
        colour = _group_colour(position)
        hist.hist(
            used,
            bins=edges,
            histtype="step" if len(drawn) > 1 else "stepfilled",
            color=colour,
            alpha=1.0 if len(drawn) > 1 else 0.75,
            linewidth=1.6,
            label=group.label,
        )
        counts = np.array([np.count_nonzero(used <= d) for d in edges])
        n = runs - int(outcome.summary["groups"][k]["failures"])
        bands = np.array([wilson_interval(int(c), n) for c in counts])
        share = counts / n if n else counts * 0.0
        cumulative.step(
            edges,
            share * 100,
            where="post",
            color=colour,
            linewidth=1.8,
            label=f"{group.label}: {share[-1] * 100:.1f} % "
            f"[{bands[-1][0] * 100:.1f}–{bands[-1][1] * 100:.1f}]",
        )
        cumulative.fill_between(
            edges,
            bands[:, 0] * 100,
            bands[:, 1] * 100,
            step="post",
            color=colour,
            alpha=0.15,
            linewidth=0,
        )
    hist.set_xlabel("exercise day of chemical use")
    hist.set_ylabel("runs")
    hist.set_title("When use happened (runs with use)", fontsize=10)
    cumulative.set_xlabel("exercise day")
    cumulative.set_ylabel("runs with use by that day (%)")
    cumulative.set_title("Cumulative chance of use, 95 % Wilson band", fontsize=10)
    cumulative.legend(
        fontsize=8, loc="upper left", title="P(use) by the end [95 % CI]", title_fontsize=8
    )
    if len(drawn) > 1:
        hist.legend(fontsize=8, loc="upper right")
    for axis in (hist, cumulative):
        axis.set_xlim(0, days)
        axis.grid(alpha=0.3)
    cumulative.set_ylim(bottom=0)
    _frame(fig, outcome, "Adversary chemical-use decision point: timing (hypothetical)")
    _margins(fig, top=1.0, bottom=0.8, left=0.8, right=0.25, wspace=0.22)
    return _save(fig, path)


def alert_occupancy(outcome: Outcome, group: int, path: Path) -> Path:
    """For each scope, the share of runs at each alert level over time (stacked)."""
    layout = outcome.layout
    info = layout.info
    levels: list[dict[str, str]] = list(info.get("levels", []))  # type: ignore[call-overload]
    scopes: dict[str, str] = dict(info.get("scopes", {}))  # type: ignore[call-overload]
    specs = [s for s in layout.series if s.discrete]
    rows, cols = _grid_shape(len(specs), 3)
    legend_width = 1.5
    fig = Figure(figsize=(max(9.0, 4.2 * cols + 0.8 + legend_width), 2.5 * rows + 2.2))
    axes = fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False)
    days = _days(np.asarray(layout.grid, dtype=np.float64))
    for axis, spec in zip(axes.flat, specs, strict=False):
        fractions = outcome.series.occupancy(group, spec) * 100
        colours = [
            _colour(levels[r]["colour"]) if r < len(levels) else "grey" for r in range(spec.bins)
        ]
        labels = [levels[r]["label"] if r < len(levels) else str(r) for r in range(spec.bins)]
        axis.stackplot(days, fractions.T, colors=colours, labels=labels, alpha=0.9, step=None)
        scope = spec.name.removeprefix("alert.")
        axis.set_title(scopes.get(scope, scope), fontsize=9)
        axis.set_ylim(0, 100)
        axis.set_xlim(days[0], days[-1])
        axis.grid(alpha=0.25)
    for axis in axes.flat[len(specs) :]:
        axis.set_visible(False)
    for axis in axes[:, 0]:
        axis.set_ylabel("% of runs")
    for axis in axes[-1, :]:
        axis.set_xlabel("exercise day")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(
        handles[::-1],
        labels[::-1],
        loc="upper right",
        fontsize=8,
        title="Alert level",
        title_fontsize=8,
        bbox_to_anchor=(0.995, 1 - 1.15 / fig.get_figheight()),
    )
    title = "Alert-level occupancy: share of runs at each level over time"
    if len(layout.groups) > 1:
        title += f" — {layout.groups[group].label}"
    _frame(fig, outcome, title)
    _margins(fig, top=1.15, bottom=0.9, left=0.8, right=legend_width, hspace=0.35, wspace=0.08)
    return _save(fig, path)


def fan_chart(outcome: Outcome, prefix: str, title: str, names: dict[str, str], path: Path) -> Path:
    """Median and 10–90 % band over time of each series starting with `prefix`, per group."""
    layout = outcome.layout
    specs: list[SeriesSpec] = [s for s in layout.series if s.name.startswith(prefix)]
    rows, cols = _grid_shape(len(specs), 4)
    drawn = shown_groups(layout)
    legend_width = 0.6 + 0.075 * max(len(layout.groups[k].label) for k in drawn)
    fig = Figure(figsize=(max(9.0, 3.4 * cols + 0.8 + legend_width), 2.3 * rows + 2.2))
    axes = fig.subplots(rows, cols, sharex=True, squeeze=False)
    days = _days(np.asarray(layout.grid, dtype=np.float64))
    for axis, spec in zip(axes.flat, specs, strict=False):
        for position, k in enumerate(drawn):
            quantiles = outcome.series.quantiles(k, spec)
            colour = _group_colour(position)
            axis.fill_between(
                days, quantiles[:, 0], quantiles[:, 2], color=colour, alpha=0.2, linewidth=0
            )
            axis.plot(
                days, quantiles[:, 1], color=colour, linewidth=1.6, label=layout.groups[k].label
            )
        key = spec.name.removeprefix(prefix)
        axis.set_title(names.get(key, key), fontsize=9)
        axis.set_ylim(spec.low, spec.high)
        axis.set_xlim(days[0], days[-1])
        axis.grid(alpha=0.25)
        if prefix == "readiness.":
            axis.yaxis.set_major_formatter(PercentFormatter(1.0))
    for axis in axes.flat[len(specs) :]:
        axis.set_visible(False)
    for axis in axes[-1, :]:
        axis.set_xlabel("exercise day")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(
        handles,
        labels,
        loc="upper right",
        fontsize=8,
        title="line: median\nband: 10–90 % of runs",
        title_fontsize=8,
        bbox_to_anchor=(0.995, 1 - 1.15 / fig.get_figheight()),
    )
    _frame(fig, outcome, title)
    _margins(fig, top=1.15, bottom=0.9, left=0.7, right=legend_width, hspace=0.45, wspace=0.25)
    return _save(fig, path)


def _compared_metrics(summary: dict[str, Any]) -> list[str]:
    """The summary's headline metrics, as many as fit a briefing slide."""
    return list(summary["headline"])[:MAX_COMPARED_METRICS]


def _estimate(stats: dict[str, Any]) -> tuple[float, float, float]:
    value = stats.get("proportion") if stats["kind"] == "proportion" else stats.get("mean")
    ci = stats.get("ci95") or [math.nan, math.nan]
    if value is None:
        return math.nan, math.nan, math.nan
    return float(value), float(ci[0]), float(ci[1])


def _metric_title(name: str, labels: dict[str, str]) -> str:
    key = name.removeprefix("metric.")
    headline = {"chem_used": "Chemical use (% of runs)", "chem_time": "Day of use, if any"}
    return headline.get(name, labels.get(key, key))


def _scale(name: str, kind: str) -> float:
    """Proportions in percent, the time of use in days, everything else as recorded."""
    if kind == "proportion":
        return 100.0
    return 1 / 24.0 if name == "chem_time" else 1.0


def numeric_sweep(outcome: Outcome) -> str | None:
    """The swept path when there is exactly one and all its values are numbers."""
    layout = outcome.layout
    if len(layout.sweep_paths) != 1:
        return None
    values = [g.params[0][1] for g in layout.groups]
    numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
    return layout.sweep_paths[0] if numeric and len(set(values)) > 1 else None


def sweep_chart(outcome: Outcome, swept: str, path: Path) -> Path:
    """Each key metric against the swept value, one line and 95 % band per course of action."""
    summary = outcome.summary
    groups = outcome.layout.groups
    metrics = _compared_metrics(summary)
    labels: dict[str, str] = dict(outcome.layout.info.get("metrics", {}))  # type: ignore[call-overload]
    rows, cols = _grid_shape(len(metrics), 3)
    fig = Figure(figsize=(max(9.0, 3.8 * cols + 0.9), 2.7 * rows + 2.0))
    axes = fig.subplots(rows, cols, sharex=True, squeeze=False)
    policies = list(dict.fromkeys(g.policy for g in groups))
    for axis, name in zip(axes.flat, metrics, strict=False):
        stats = summary["metrics"][name]
        scale = _scale(name, stats[0]["kind"])
        for p, policy in enumerate(policies):
            members = [k for k, g in enumerate(groups) if g.policy == policy]
            xs = np.array([float(groups[k].params[0][1] or 0.0) for k in members])
            estimates = np.array([_estimate(stats[k]) for k in members]) * scale
            colour = _group_colour(p)
            axis.fill_between(
                xs, estimates[:, 1], estimates[:, 2], color=colour, alpha=0.18, linewidth=0
            )
            axis.plot(
                xs, estimates[:, 0], "o-", color=colour, markersize=4, linewidth=1.5, label=policy
            )
        axis.set_title(_metric_title(name, labels), fontsize=9)
        axis.grid(alpha=0.3)
    for axis in axes.flat[len(metrics) :]:
        axis.set_visible(False)
    for axis in axes[-1, :]:
        axis.set_xlabel(swept)
    if len(policies) > 1:
        handles, names = axes.flat[0].get_legend_handles_labels()
        fig.legend(
            handles,
            names,
            loc="upper right",
            fontsize=8,
            title="Course of action",
            title_fontsize=8,
            bbox_to_anchor=(0.995, 1 - 0.2 / fig.get_figheight()),
        )
    _frame(fig, outcome, f"Sweep of {swept}: estimate and 95 % interval at each value")
    _margins(fig, top=1.15, bottom=0.9, left=0.7, right=0.3, hspace=0.5, wspace=0.25)
    return _save(fig, path)


def comparison(outcome: Outcome, path: Path) -> Path:
    """Each key metric per group with its 95 % interval; paired-significant groups starred."""
    summary = outcome.summary
    groups = outcome.layout.groups
    metrics = _compared_metrics(summary)
    labels: dict[str, str] = dict(outcome.layout.info.get("metrics", {}))  # type: ignore[call-overload]
    rows, cols = _grid_shape(len(metrics), 3)
    label_width = min(4.5, 0.3 + 0.065 * max(len(g.label) for g in groups))
    height = max(1.6, 0.45 * len(groups) + 1.2) * rows + 2.2
    width = 3.8 * cols + label_width + 0.3
    fig = Figure(figsize=(width, height))
    axes = fig.subplots(rows, cols, sharey=True, squeeze=False)
    positions = np.arange(len(groups))[::-1]
    policies = list(dict.fromkeys(g.policy for g in groups))
    significant: dict[tuple[str, int], bool] = {}
    for entry in summary["comparisons"]:
        if entry["baseline_group"] != 0:
            continue
        for name in entry["significant"]:
            significant[(name, entry["other_group"])] = True
    for axis, name in zip(axes.flat, metrics, strict=False):
        stats = summary["metrics"][name]
        scale = _scale(name, stats[0]["kind"])
        for k, y in enumerate(positions):
            value, lo, hi = (v * scale for v in _estimate(stats[k]))
            colour = _group_colour(policies.index(groups[k].policy))
            axis.errorbar(
                [value],
                [y],
                xerr=[[value - lo], [hi - value]],
                fmt="o",
                color=colour,
                capsize=3,
                markersize=5,
            )
            if significant.get((name, k)):
                axis.annotate(
                    "*",
                    (hi, y),
                    xytext=(3, -2),
                    textcoords="offset points",
                    fontsize=12,
                    color=colour,
                    fontweight="bold",
                )
        axis.set_title(_metric_title(name, labels), fontsize=9)
        axis.grid(axis="x", alpha=0.3)
        axis.margins(x=0.25)
    for axis in axes.flat[len(metrics) :]:
        axis.set_visible(False)
    for axis in axes[:, 0]:
        axis.set_yticks(positions, [g.label for g in groups], fontsize=8)
    axis0 = axes[0, 0]
    axis0.set_ylim(-0.7, len(groups) - 0.3)
    _frame(
        fig,
        outcome,
        "Groups compared: estimate and 95 % interval "
        f"(* differs significantly from {groups[0].label}, paired on the same seeds)",
    )
    _margins(fig, top=1.15, bottom=0.8, left=label_width, right=0.3, hspace=0.55, wspace=0.12)
    return _save(fig, path)


def write_plots(outcome: Outcome, directory: Path) -> list[Path]:
    """Every chart for this batch; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    info = outcome.layout.info
    layout = outcome.layout
    files = [chem_timing(outcome, directory / "chem-timing.png")]
    for k in shown_groups(layout):
        suffix = "" if len(layout.groups) == 1 else f"-{k}"
        files.append(alert_occupancy(outcome, k, directory / f"alert-occupancy{suffix}.png"))
    units: dict[str, str] = dict(info.get("units", {}))  # type: ignore[call-overload]
    variables: dict[str, str] = dict(info.get("variables", {}))  # type: ignore[call-overload]
    if any(s.name.startswith("readiness.") for s in layout.series):
        files.append(
            fan_chart(
                outcome,
                "readiness.",
                "Unit readiness: median and 10–90 % of runs",
                units,
                directory / "readiness-fan.png",
            )
        )
    if any(s.name.startswith("vars.") for s in layout.series):
        files.append(
            fan_chart(
                outcome,
                "vars.",
                "Crisis variables: median and 10–90 % of runs",
                variables,
                directory / "variables-fan.png",
            )
        )
    if len(layout.groups) > 1:
        files.append(comparison(outcome, directory / "comparison.png"))
    swept = numeric_sweep(outcome)
    if swept is not None:
        files.append(sweep_chart(outcome, swept, directory / "sweep.png"))
    return files
