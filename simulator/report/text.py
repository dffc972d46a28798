"""Wording shared by the Markdown and HTML reports: times, durations and summary sentences.

Exercise times are the console's notation, `D+1 02:00`, with the story's calendar time
beside them where the report shows one (`durations.exercise_time` and `calendar_time`, the
functions `Describer.when` and `.calendar` use).
"""

from __future__ import annotations

import datetime as dt

from simulator.engine.describe import DECIDED_BY, count, percent
from simulator.report.aar import DecisionRow, Report
from simulator.scenario.durations import calendar_time, exercise_time, format_duration


def calendar(report: Report, hours: float) -> str:
    """The story's date and time of an exercise time, `2031-05-01 09:00Z`."""
    return calendar_time(report.clock_start, hours)


def stamp(report: Report, hours: float) -> str:
    """`D+0 03:00 (2031-05-01 09:00Z)`, like `Describer.stamp`."""
    return f"{exercise_time(hours)} ({calendar(report, hours)})"


def wall(moment: dt.datetime) -> str:
    return f"{moment.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S} UTC"


def span(delta: dt.timedelta | None) -> str:
    """A real-time duration for people: `45 s`, `3 min 20 s`, `1 h 05 min`."""
    if delta is None:
        return "not recorded"
    seconds = max(0, round(delta.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"


def hours_span(hours: float | None) -> str:
    return "—" if hours is None else format_duration(hours)


def outcome(report: Report) -> str:
    if report.finished:
        return f"ENDEX at {stamp(report, report.played)}: " + (
            report.end_reason or "end of exercise"
        )
    return f"Play stopped at {stamp(report, report.played)}, before the exercise ended"


def played(report: Report) -> str:
    return (
        f"{format_duration(report.played)} of {format_duration(report.duration)} "
        f"({calendar(report, 0.0)} to {calendar(report, report.played)})"
    )


def chem_outcome(report: Report) -> str:
    evaluations = report.chem_evaluations
    if report.chem_label is None:
        return "The scenario has no adversary chemical-use decision point."
    if not evaluations:
        return "The adversary decision point was not evaluated before play stopped."
    peak = max(e.probability for e in evaluations)
    evaluated = count(len(evaluations), "evaluation")
    use = report.chem_use
    if use is None:
        return f"No use in {evaluated} (highest modelled probability {peak:.1%})."
    return (
        f"Use at {stamp(report, use.time)} after {evaluated}; "
        f"consequence band “{use.label}” ({use.consequences})."
    )


def decisions_summary(report: Report) -> str:
    rows = report.decisions
    by_room = sum(r.by == "room" for r in rows)
    by_deadline = sum(r.by == "deadline" for r in rows)
    still_open = sum(r.chosen_at is None for r in rows)
    parts = [f"{by_room} taken by the room", f"{by_deadline} by deadline (default option)"]
    if still_open:
        parts.append(f"{still_open} still open when play stopped")
    if report.retracted:
        parts.append(f"{len(report.retracted)} taken back with undo")
    return ", ".join(parts) + "."


def observations_summary(report: Report) -> str:
    total = len(report.observations)
    linked = sum(o.objective is not None for o in report.observations)
    return f"{total} recorded, {linked} linked to an objective."


def decided_by(row: DecisionRow) -> str:
    """`The room`, `Policy`, `Deadline (default option)` or `Still open`."""
    said = "still open" if row.by is None else DECIDED_BY[row.by]
    return said[0].upper() + said[1:]


def objective_label(report: Report, objective: str | None) -> str:
    if objective is None:
        return "—"
    row = next((o for o in report.objectives if o.objective == objective), None)
    return objective if row is None else row.text


def capability(report: Report, objective: str | None) -> str:
    row = next((o for o in report.objectives if o.objective == objective), None)
    return "—" if row is None else row.capability


def readiness_rows(report: Report) -> list[tuple[str, str, str, str]]:
    """(unit, at start, when play stopped, peak) as percentages."""
    return [
        (
            s.name,
            percent(s.points[0][1]),
            percent(s.points[-1][1]),
            percent(max(r for _, r in s.points)),
        )
        for s in report.readiness
    ]
