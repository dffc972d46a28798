"""The report's tables as plain text: one definition, rendered by both Markdown and HTML."""

from __future__ import annotations

from simulator.report import text as t
from simulator.report.aar import Report

TIMELINE_HEADERS = ("Scenario time", "Elapsed", "Kind", "Event", "Detail")
DECISION_HEADERS = (
    "#",
    "Decision",
    "Opened",
    "Chosen",
    "Option",
    "By",
    "Open for (exercise)",
    "Room deliberation (real time)",
    "Note",
)
DECISION_OPTION = DECISION_HEADERS.index("Option")
RETRACTED_HEADERS = ("Decision", "Option", "Scenario time", "Chosen at (real time)", "Note")
CHEMICAL_HEADERS = ("#", "Scenario time", "Elapsed", "Probability", "Outcome", "Evaluated on")
CHEMICAL_OUTCOME = CHEMICAL_HEADERS.index("Outcome")
OBJECTIVE_HEADERS = ("Objective", "Core capability", "Injects", "Decisions", "Observations")
PLAN_HEADERS = (
    "#",
    "Capability",
    "Objective",
    "Observation",
    "Recorded",
    "Corrective action",
    "Owner",
)


def decision_rows(r: Report) -> list[list[str]]:
    return [
        [
            f"D{i}",
            row.title,
            t.when(r, row.opened),
            "—" if row.chosen_at is None else t.when(r, row.chosen_at),
            row.option_label or "—",
            t.decided_by(row),
            t.hours_span(row.exercise_taken),
            t.span(row.wall_taken) if row.by == "room" else "—",
            row.note or "—",
        ]
        for i, row in enumerate(r.decisions, start=1)
    ]


def retracted_rows(r: Report) -> list[list[str]]:
    return [
        [
            r.decision_titles.get(d.decision, d.decision),
            d.option,
            t.when(r, d.time),
            t.wall(d.wall),
            d.note or "—",
        ]
        for d in r.retracted
    ]


def chemical_rows(r: Report) -> list[list[str]]:
    return [
        [
            str(e.index + 1),
            t.when(r, e.time),
            t.offset(e.time),
            f"{e.probability:.1%}",
            "USE" if e.outcome == "use" else "no use",
            e.cause,
        ]
        for e in r.chem_evaluations
    ]
