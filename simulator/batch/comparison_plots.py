"""Charts that compare groups: courses of action side by side, and metrics along a sweep."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from simulator.batch.chart_style import (
    OVERLAID_GROUPS,
    drawn_groups,
    finish_panels,
    frame,
    grid_shape,
    group_colour,
    group_line,
    margins,
    side_legend,
)
from simulator.batch.runner import Outcome
from simulator.batch.summary_format import (
    BatchSummary,
    GroupStats,
    NumericStats,
    ProportionStats,
)

MAX_COMPARED_METRICS = 9


def _compared_metrics(summary: BatchSummary) -> list[str]:
    """The summary's headline metrics, as many as fit a briefing slide."""
    return summary.headline[:MAX_COMPARED_METRICS]


def _estimate(stats: GroupStats) -> tuple[float, float, float]:
    """Estimate and 95 % interval (NaN where there is none); categories have no estimate."""
    if isinstance(stats, ProportionStats):
        value, ci = stats.proportion, stats.ci95
    elif isinstance(stats, NumericStats):
        value, ci = stats.mean, stats.ci95 or (math.nan, math.nan)
    else:
        return math.nan, math.nan, math.nan
    if value is None:
        return math.nan, math.nan, math.nan
    return value, *ci


def _metric_title(name: str, labels: Mapping[str, str]) -> str:
    key = name.removeprefix("metric.")
    headline = {
        "chem_used": "Chemical use (% of runs)",
        "chem_time": "Days to first use (runs with use)",
    }
    return headline.get(name, labels.get(key, key))


def _scale(name: str, stats: GroupStats) -> float:
    """Proportions in percent, the time of use in days, everything else as recorded."""
    if isinstance(stats, ProportionStats):
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


def sweep_chart(outcome: Outcome, swept: str) -> Figure:
    """Each key metric against the swept value, one line and 95 % band per course of action
    (every group: a line holds any number of points)."""
    summary = outcome.summary
    groups = outcome.layout.groups
    metrics = _compared_metrics(summary)
    labels = outcome.layout.info.metrics
    rows, cols = grid_shape(len(metrics), 3)
    policies = list(dict.fromkeys(g.policy for g in groups))
    # The legend has a margin of its own: over the panels it would hide a panel's title.
    legend_width = 0.3 if len(policies) == 1 else max(1.5, 0.7 + 0.075 * max(map(len, policies)))
    fig = Figure(figsize=(max(9.0, 3.8 * cols + 0.6 + legend_width), 2.7 * rows + 2.0))
    axes = fig.subplots(rows, cols, sharex=True, squeeze=False)
    for axis, name in zip(axes.flat, metrics, strict=False):
        stats = summary.metrics[name]
        scale = _scale(name, stats[0])
        for p, policy in enumerate(policies):
            members = [k for k, g in enumerate(groups) if g.policy == policy]
            xs = np.array([float(groups[k].params[0][1] or 0.0) for k in members])
            estimates = np.array([_estimate(stats[k]) for k in members]) * scale
            colour = group_colour(p)
            axis.fill_between(
                xs, estimates[:, 1], estimates[:, 2], color=colour, alpha=0.18, linewidth=0
            )
            axis.plot(
                xs,
                estimates[:, 0],
                marker="o",
                linestyle=group_line(p),
                color=colour,
                markersize=4,
                linewidth=1.5,
                label=policy,
            )
        axis.set_title(_metric_title(name, labels), fontsize=9)
        axis.grid(alpha=0.3)
    finish_panels(axes, len(metrics), swept)
    if len(policies) > 1:
        handles, names = axes.flat[0].get_legend_handles_labels()
        side_legend(fig, handles, names, "Course of action")
    frame(fig, outcome, f"Sweep of {swept}: estimate and 95 % interval at each value")
    margins(fig, top=1.15, bottom=0.9, left=0.7, right=legend_width, hspace=0.5, wspace=0.25)
    return fig


def comparison(outcome: Outcome, note: str = "") -> Figure:
    """Each key metric per group with its 95 % interval; paired-significant groups starred."""
    summary = outcome.summary
    groups = outcome.layout.groups
    drawn, _ = drawn_groups(outcome.layout)
    metrics = _compared_metrics(summary)
    labels = outcome.layout.info.metrics
    rows, cols = grid_shape(len(metrics), 3)
    label_width = min(4.5, 0.3 + 0.065 * max(len(groups[k].label) for k in drawn))
    # Roomy rows for a few groups; closer ones for many, so a sweep still fits a screen.
    per_group = 0.45 if len(drawn) <= OVERLAID_GROUPS else 0.28
    panel = max(1.6, per_group * len(drawn) + 0.5)
    height = panel * rows + 0.75 * (rows - 1) + 2.35
    width = max(9.0, 3.8 * cols + label_width + 0.3)
    fig = Figure(figsize=(width, height))
    axes = fig.subplots(rows, cols, sharey=True, squeeze=False)
    positions = np.arange(len(drawn))[::-1]
    policies = list(dict.fromkeys(g.policy for g in groups))
    significant: dict[tuple[str, int], bool] = {}
    for entry in summary.comparisons:
        if entry.baseline_group != 0:
            continue
        for name in entry.significant:
            significant[(name, entry.other_group)] = True
    for axis, name in zip(axes.flat, metrics, strict=False):
        stats = summary.metrics[name]
        scale = _scale(name, stats[0])
        for k, y in zip(drawn, positions, strict=True):
            value, lo, hi = (v * scale for v in _estimate(stats[k]))
            colour = group_colour(policies.index(groups[k].policy))
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
        # Few ticks: values such as 0.8375 side by side would run into each other.
        axis.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
    for axis in axes.flat[len(metrics) :]:
        axis.set_visible(False)
    for axis in axes[:, 0]:
        axis.set_yticks(positions, [groups[k].label for k in drawn], fontsize=8)
    axis0 = axes[0, 0]
    axis0.set_ylim(-0.7, len(drawn) - 0.3)
    # The baseline's label can be long: its line of the title stands apart, and the chart is
    # at least as wide as the others so the line fits.
    extra = frame(
        fig,
        outcome,
        "Groups compared: estimate and 95 % interval\n"
        f"* differs significantly from {groups[0].label}, paired on the same seeds",
        note,
    )
    margins(
        fig,
        top=1.4,
        bottom=0.8 + extra,
        left=label_width,
        right=0.3,
        hspace=0.75 / panel,
        wspace=0.12,
    )
    return fig
