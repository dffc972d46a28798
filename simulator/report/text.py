"""Wording shared by the Markdown and HTML reports: times, durations and summary sentences."""

from __future__ import annotations

import datetime as dt

from simulator.report.aar import DecisionRow, Report
from simulator.scenario.durations import format_duration


def when(report: Report, hours: float) -> str:
    """Scenario date-time, e.g. `Thu 01 May 14:30Z`."""
    return f"{report.at(hours):%a %d %b %H:%M}Z"


def offset(hours: float) -> str:
    """Exercise time since start, e.g. `H+1d 2h`."""
    return f"H+{format_duration(hours)}"


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
        return f"ENDEX at {when(report, report.played)} ({offset(report.played)}): " + (
            report.end_reason or "end of exercise"
        )
    return (
        f"Play stopped at {when(report, report.played)} ({offset(report.played)}), "
        "before the exercise ended"
    )


def played(report: Report) -> str:
    return (
        f"{format_duration(report.played)} of {format_duration(report.duration)} "
        f"({when(report, 0.0)} to {when(report, report.played)})"
    )


def chem_outcome(report: Report) -> str:
    evaluations = report.chem_evaluations
    if report.chem_label is None:
        return "The scenario has no adversary chemical-use decision point."
    if not evaluations:
        return "The adversary decision point was not evaluated before play stopped."
    peak = max(e.probability for e in evaluations)
    count = f"{len(evaluations)} evaluation{'s' if len(evaluations) != 1 else ''}"
    use = report.chem_use
    if use is None:
        return f"No use in {count} (highest modelled probability {peak:.1%})."
    reach = f"; nations affected: {', '.join(use.affected)}" if use.affected else ""
    return (
        f"Use at {when(report, use.time)} ({offset(use.time)}) after {count}; "
        f"consequence band “{use.label}” (displaced {use.displaced:,}{reach})."
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
    return {"room": "Room", "deadline": "Deadline (default)", "": "Still open"}.get(row.by, row.by)


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
            f"{s.points[0][1]:.0%}",
            f"{s.points[-1][1]:.0%}",
            f"{max(r for _, r in s.points):.0%}",
        )
        for s in report.readiness
    ]
