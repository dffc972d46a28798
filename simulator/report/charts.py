"""The report's chart: unit readiness over the exercise, with the alert ladder beneath it.

Drawn with matplotlib's object API on an Agg canvas (no pyplot global state, no display), and
imported lazily so that loading the report package stays cheap for the terminal UI.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from simulator.report.aar import Report
from simulator.scenario.palette import CHEMICAL_USE, SERIES, ink_on, shade

_LEGEND: dict[str, Any] = {
    "loc": "upper left",
    "bbox_to_anchor": (1.01, 1.0),
    "fontsize": 7.5,
    "frameon": False,
    "title_fontsize": 8,
    "alignment": "left",
}
"""Both panels' legends: outside the plot on the right, small, unframed."""


def readiness_chart_png(report: Report) -> bytes:
    """The chart as PNG bytes at 150 dpi: readiness lines above, one alert lane per scope below.

    Titles, names and labels come from the scenario: text, never mathtext, so `$5 or $x` is
    drawn as written instead of as a formula (or a parse error).
    """
    from matplotlib import rc_context

    with rc_context({"text.parse_math": False}):
        return _draw(report)


def _draw(report: Report) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    lanes = max(1, len(report.alerts))
    lane_height = 0.32 * lanes + 0.6
    figure = Figure(figsize=(11, 4.6 + lane_height), dpi=150, layout="constrained")
    FigureCanvasAgg(figure)
    top, bottom = figure.subplots(
        2, 1, sharex=True, gridspec_kw={"height_ratios": [4.6, lane_height]}
    )
    _readiness_panel(top, report)
    _alert_lanes(bottom, report)
    for axes, labelled in ((top, True), (bottom, False)):
        _markers(axes, report, labelled)
        _unplayed(axes, report)
    _time_axis(bottom, report)
    figure.suptitle(
        f"{report.banner}\n{report.title}: readiness and alert levels",
        fontsize=11,
        fontweight="bold",
    )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _x(report: Report, hours: float) -> dt.datetime:
    return report.at(hours).replace(tzinfo=None)


def _readiness_panel(axes: Any, report: Report) -> None:
    for i, series in enumerate(report.readiness):
        xs = [_x(report, t) for t, _ in series.points]
        ys = [100 * r for _, r in series.points]
        axes.plot(
            xs,
            ys,
            color=SERIES[i % len(SERIES)],
            linestyle=("-", "--", "-.")[(i // len(SERIES)) % 3],
            linewidth=1.8,
            label=series.name,
        )
    axes.set_ylim(0, 105)
    axes.set_ylabel("Readiness (%)")
    axes.grid(True, axis="y", color="#dddddd", linewidth=0.8)
    axes.spines[["top", "right"]].set_visible(False)
    if report.readiness:
        axes.legend(title="Units", **_LEGEND)
    for change in report.alert_changes:
        axes.axvline(_x(report, change.time), color=shade(change.colour), linewidth=1, alpha=0.5)


def _alert_lanes(axes: Any, report: Report) -> None:
    """One horizontal lane per scope, coloured by its level; a triangle at each change."""
    from matplotlib.patches import Patch

    colours = {level_id: shade(colour) for level_id, _, colour in report.levels}
    labels = {level_id: label for level_id, label, _ in report.levels}
    by_rung = [level_id for level_id, _, _ in report.levels]
    end = report.played
    span = max(report.duration, 1e-9)
    for lane, series in enumerate(report.alerts):
        y = len(report.alerts) - 1 - lane
        bounds = [*(t for t, _ in series.steps[1:]), end]
        for (start, rung), stop in zip(series.steps, bounds, strict=True):
            if stop <= start:
                continue
            level = by_rung[rung]
            left = _x(report, start)
            axes.barh(
                y,
                _x(report, stop) - left,
                left=left,
                height=0.72,
                color=colours[level],
                edgecolor="white",
                linewidth=0.6,
            )
            if (stop - start) / span > 0.08:
                axes.text(
                    _x(report, (start + stop) / 2),
                    y,
                    labels[level],
                    ha="center",
                    va="center",
                    fontsize=7,
                    color=ink_on(colours[level]),
                )
    lane_of = {s.scope: len(report.alerts) - 1 - i for i, s in enumerate(report.alerts)}
    for change in report.alert_changes:
        axes.plot(
            _x(report, change.time),
            lane_of[change.scope] + 0.42,
            marker="v",
            color="#222222",
            markersize=4,
            linestyle="none",
        )
    axes.set_yticks(
        [lane_of[s.scope] for s in report.alerts], [s.name for s in report.alerts], fontsize=8
    )
    axes.set_ylim(-0.6, len(report.alerts) - 0.4 + 0.2)
    axes.set_ylabel("Alert level")
    axes.spines[["top", "right", "left"]].set_visible(False)
    axes.tick_params(axis="y", length=0)
    handles = [Patch(color=colours[level_id], label=labels[level_id]) for level_id in by_rung]
    axes.legend(handles=handles, title="Alert levels", **_LEGEND)


def _decision_labels(report: Report) -> list[tuple[float, str]]:
    """Labels D1, D2, … for the chosen decisions; those too close to read apart share one."""
    chosen = [
        (row.chosen_at, n)
        for n, row in enumerate(report.decisions, start=1)
        if row.chosen_at is not None
    ]
    gap = 0.025 * max(report.duration, 1e-9)
    groups: list[list[tuple[float, int]]] = []
    for time, number in chosen:
        if groups and time - groups[-1][0][0] < gap:
            groups[-1].append((time, number))
        else:
            groups.append([(time, number)])
    return [(g[0][0], f"D{g[0][1]}" if len(g) == 1 else f"D{g[0][1]}–{g[-1][1]}") for g in groups]


def _markers(axes: Any, report: Report, labelled: bool) -> None:
    """Room decisions as dotted lines labelled D1, D2, …; chemical use as a red dashed line."""
    for row in report.decisions:
        if row.chosen_at is not None:
            axes.axvline(_x(report, row.chosen_at), color="#555555", linestyle=":", linewidth=1)
    if labelled:
        for time, label in _decision_labels(report):
            axes.annotate(
                label,
                (_x(report, time), 101),
                fontsize=7,
                ha="left",
                va="bottom",
                color="#333333",
            )
    if report.chem_use is not None:
        axes.axvline(
            _x(report, report.chem_use.time), color=CHEMICAL_USE, linestyle="--", linewidth=1.6
        )
        if labelled:
            axes.annotate(
                "Chemical use",
                (_x(report, report.chem_use.time), 4),
                fontsize=8,
                color=CHEMICAL_USE,
                rotation=90,
                ha="right",
                va="bottom",
            )


def _unplayed(axes: Any, report: Report) -> None:
    if report.played < report.duration and not report.finished:
        axes.axvspan(
            _x(report, report.played),
            _x(report, report.duration),
            color="#eeeeee",
            linewidth=0,
        )


def _time_axis(axes: Any, report: Report) -> None:
    from matplotlib import dates

    end = report.duration if not report.finished else max(report.played, 1e-3)
    axes.set_xlim(_x(report, 0.0), _x(report, end))
    # matplotlib.dates is not annotated; going through Any keeps mypy strict elsewhere.
    module: Any = dates
    axes.xaxis.set_major_locator(module.AutoDateLocator(minticks=4, maxticks=10))
    axes.xaxis.set_major_formatter(module.DateFormatter("%d %b\n%H:%M"))
    axes.set_xlabel(f"Scenario time (UTC), from {report.clock_start:%d %b %Y %H:%M}")
