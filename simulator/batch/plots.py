"""Briefing charts of a finished batch: timing of use, alert occupancy and fan charts.

Every group is drawn: time charts overlay a few groups per page and take as many pages as the
groups need, and each group has its own occupancy chart, up to `MAX_DRAWN_GROUPS`; past that,
each chart names the groups it leaves out. Comparison charts (several courses of action or
sweep points) live in `comparison_plots`; the banner, margins, colours and paging every chart
shares in `chart_style`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np
import numpy.typing as npt
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from simulator.batch.cells import SeriesSpec
from simulator.batch.chart_style import (
    drawn_groups,
    finish_panels,
    frame,
    grid_shape,
    group_pages,
    left_out_note,
    legend_headroom,
    margins,
    overlay_style,
    page_name,
    page_title,
    save,
    side_legend,
    to_days,
)
from simulator.batch.comparison_plots import comparison, numeric_sweep, sweep_chart
from simulator.batch.results import read_column
from simulator.batch.runner import Outcome
from simulator.batch.stats import wilson_interval
from simulator.scenario.palette import SHADES, shade

_TIMING_AXES_HEIGHT = 3.6
"""Inches: the timing chart is 5.6 in tall with 1 in margins above and below its axes."""


def day_bar_centres(days: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Each use at the centre of its day's bar, the bars being (d - 1, d] (hour zero in the first).

    Scheduled evaluations fall exactly on day boundaries, and left-closed bins would put a use at
    24 h in the second bar and, numpy's last bin being closed, lump the uses at the end instant in
    with the day before: the last bar looked twice as tall.
    """
    return np.maximum(np.ceil(days), 1.0) - 0.5


def chem_timing(outcome: Outcome, drawn: list[int], subtitle: str = "", note: str = "") -> Figure:
    """Histogram of the day of use (runs with use) and the cumulative chance of use by day."""
    groups = outcome.layout.groups
    runs = outcome.summary.runs_per_group
    times = read_column(outcome.runs_path, "chem_time")
    hours = np.asarray(times.to_numpy(), dtype=np.float64).reshape(len(groups), runs)
    duration = float(outcome.layout.grid[-1])
    days = max(1, math.ceil(duration / 24.0))
    fig = Figure(figsize=(12, 1.0 + _TIMING_AXES_HEIGHT + 1.0))
    hist, cumulative = fig.subplots(1, 2)
    edges = np.arange(days + 1, dtype=np.float64)
    for position, k in enumerate(drawn):
        group = groups[k]
        used = to_days(hours[k][np.isfinite(hours[k])])
        style = overlay_style(position, len(drawn))
        colour = str(style["color"])
        hist.hist(
            day_bar_centres(used),
            bins=edges,
            histtype="step" if len(drawn) > 1 else "stepfilled",
            alpha=1.0 if len(drawn) > 1 else 0.75,
            label=group.label,
            **style,
        )
        counts = np.array([np.count_nonzero(used <= d) for d in edges])
        n = runs - outcome.summary.groups[k].failures
        bands = np.array([wilson_interval(int(c), n) for c in counts])
        share = counts / n if n else counts * 0.0
        cumulative.step(
            edges,
            share * 100,
            where="post",
            label=f"{group.label}: {share[-1] * 100:.1f} % "
            f"[{bands[-1][0] * 100:.1f}–{bands[-1][1] * 100:.1f}]",
            **style,
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
    hist.set_xlabel("day of the first chemical use (a use at the end of a day counts in it)")
    hist.set_ylabel("runs")
    hist.set_title("When the first use happened (runs with use)", fontsize=10)
    cumulative.set_xlabel("days since the start")
    cumulative.set_ylabel("runs with use by that day (%)")
    cumulative.set_title("Cumulative chance of use, 95 % Wilson band", fontsize=10)
    cumulative.set_ylim(bottom=0)
    cumulative.legend(
        fontsize=8,
        loc="upper left",
        title="P(use) by the end [95 % CI]",
        title_fontsize=8,
        handlelength=3,
    )
    legend_headroom(cumulative, len(drawn) + 1, _TIMING_AXES_HEIGHT)
    if len(drawn) > 1:
        hist.legend(fontsize=8, loc="upper right", handlelength=3)
        legend_headroom(hist, len(drawn), _TIMING_AXES_HEIGHT)
    for axis in (hist, cumulative):
        axis.set_xlim(0, days)
        axis.grid(alpha=0.3)
    title = "Adversary chemical-use decision point: timing (hypothetical)" + subtitle
    extra = frame(fig, outcome, title, note)
    margins(fig, top=1.0, bottom=1.0 + extra, left=0.8, right=0.25, wspace=0.22)
    return fig


def alert_occupancy(outcome: Outcome, group: int, note: str = "") -> Figure:
    """For each scope, the share of runs at each alert level over time (stacked)."""
    layout = outcome.layout
    levels, scopes = layout.info.levels, layout.info.scopes
    specs = [s for s in layout.series if s.discrete]
    rows, cols = grid_shape(len(specs), 3)
    legend_width = 1.5
    fig = Figure(figsize=(max(9.0, 4.2 * cols + 0.8 + legend_width), 2.5 * rows + 2.2))
    axes = fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False)
    days = to_days(np.asarray(layout.grid, dtype=np.float64))
    for axis, spec in zip(axes.flat, specs, strict=False):
        fractions = outcome.series.occupancy(group, spec) * 100
        colours = [
            shade(levels[r].colour) if r < len(levels) else SHADES["grey"]
            for r in range(spec.rungs)
        ]
        labels = [levels[r].label if r < len(levels) else str(r) for r in range(spec.rungs)]
        axis.stackplot(days, fractions.T, colors=colours, labels=labels, alpha=0.9, step=None)
        scope = spec.name.removeprefix("alert.")
        axis.set_title(scopes.get(scope, scope), fontsize=9)
        axis.set_ylim(0, 100)
        axis.set_xlim(days[0], days[-1])
        axis.grid(alpha=0.25)
    finish_panels(axes, len(specs), "days since the start")
    for axis in axes[:, 0]:
        axis.set_ylabel("% of runs")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    side_legend(fig, handles[::-1], labels[::-1], "Alert level")
    title = "Alert-level occupancy: share of runs at each level over time"
    if len(layout.groups) > 1:
        title += f" — {layout.groups[group].label}"
    extra = frame(fig, outcome, title, note)
    margins(
        fig, top=1.15, bottom=0.9 + extra, left=0.8, right=legend_width, hspace=0.35, wspace=0.08
    )
    return fig


def fan_chart(
    outcome: Outcome,
    prefix: str,
    title: str,
    names: Mapping[str, str],
    drawn: list[int],
    note: str = "",
) -> Figure:
    """Median and 10–90 % band over time of each series starting with `prefix`, per group."""
    layout = outcome.layout
    specs: list[SeriesSpec] = [s for s in layout.series if s.name.startswith(prefix)]
    rows, cols = grid_shape(len(specs), 4)
    legend_width = max(1.9, 0.6 + 0.075 * max(len(layout.groups[k].label) for k in drawn))
    fig = Figure(figsize=(max(9.0, 3.4 * cols + 0.8 + legend_width), 2.3 * rows + 2.2))
    axes = fig.subplots(rows, cols, sharex=True, squeeze=False)
    days = to_days(np.asarray(layout.grid, dtype=np.float64))
    for axis, spec in zip(axes.flat, specs, strict=False):
        for position, k in enumerate(drawn):
            quantiles = outcome.series.quantiles(k, spec).values
            style = overlay_style(position, len(drawn))
            axis.fill_between(
                days,
                quantiles[:, 0],
                quantiles[:, 2],
                color=str(style["color"]),
                alpha=0.2,
                linewidth=0,
            )
            axis.plot(days, quantiles[:, 1], label=layout.groups[k].label, **style)
        key = spec.name.removeprefix(prefix)
        axis.set_title(names.get(key, key), fontsize=9)
        axis.set_ylim(spec.low, spec.high)
        axis.set_xlim(days[0], days[-1])
        axis.grid(alpha=0.25)
        if prefix == "readiness.":
            axis.yaxis.set_major_formatter(PercentFormatter(1.0))
    finish_panels(axes, len(specs), "days since the start")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    side_legend(fig, handles, labels, "line: median\nband: 10–90 % of runs", handlelength=3)
    extra = frame(fig, outcome, title, note)
    margins(
        fig, top=1.15, bottom=0.9 + extra, left=0.7, right=legend_width, hspace=0.45, wspace=0.25
    )
    return fig


def charts(outcome: Outcome) -> Iterator[tuple[str, Figure]]:
    """Every chart for this batch as (file name, figure), built one at a time."""
    layout = outcome.layout
    drawn, left_out = drawn_groups(layout)
    note = left_out_note(layout, left_out)
    pages = group_pages(layout)
    for page in pages:
        subtitle = page_title(layout, page, len(pages))
        yield page_name("chem-timing", page, len(pages)), chem_timing(outcome, page, subtitle, note)
    for k in drawn:
        name = "alert-occupancy.png" if len(layout.groups) == 1 else f"alert-occupancy-{k}.png"
        yield name, alert_occupancy(outcome, k, note)
    fans = (
        ("readiness.", "readiness-fan", "Unit readiness", layout.info.units),
        ("vars.", "variables-fan", "Crisis variables", layout.info.variables),
    )
    for prefix, stem, what, names in fans:
        if not any(s.name.startswith(prefix) for s in layout.series):
            continue
        for page in pages:
            title = f"{what}: median and 10–90 % of runs{page_title(layout, page, len(pages))}"
            figure = fan_chart(outcome, prefix, title, names, page, note)
            yield page_name(stem, page, len(pages)), figure
    if len(layout.groups) > 1:
        yield "comparison.png", comparison(outcome, note)
    swept = numeric_sweep(outcome)
    if swept is not None:
        yield "sweep.png", sweep_chart(outcome, swept)


def write_plots(outcome: Outcome, directory: Path) -> list[Path]:
    """Every chart for this batch; returns the files written.

    Titles, labels and legends come from the scenario and policy files: text, never mathtext,
    so `$5 or $x` is drawn as written instead of as a formula (or a parse error).
    """
    directory.mkdir(parents=True, exist_ok=True)
    with rc_context({"text.parse_math": False}):
        return [save(figure, directory / name) for name, figure in charts(outcome)]
