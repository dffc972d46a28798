"""The report's arrangement, once: its sections, tables, cards and paragraphs as plain text.

Both renderers walk these blocks, so the Markdown and HTML reports cannot drift apart, and
neither builds markup from text: every string here is data that `markdown.py` escapes for
Markdown and the HTML template escapes by autoescape. A `Mark` only names a role (bold, muted,
a level badge); what a role looks like belongs to the renderer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from simulator.report import text as t
from simulator.report.aar import Report
from simulator.scenario.durations import exercise_time
from simulator.scenario.palette import shade


@dataclass(frozen=True, slots=True)
class Mark:
    """Text with a role: Markdown shows `strong` in bold and `em` in italics, the rest as is;
    HTML gives it the role as CSS class."""

    text: str
    role: str
    """`strong`, `em`, `muted`, `nowrap`, `use`, `code`, `level`, `swatch`, `blank`, or
    `kind kind-<x>`; space-separated roles combine."""
    colour: str = ""
    """Background `#rrggbb` of a level badge or swatch (from the palette); empty otherwise."""


Part = str | Mark
Line = tuple[Part, ...]
Cell = tuple[Line, ...]
"""A table cell or card value: lines (Markdown joins them with `; `, HTML with `<br>`)."""
CellInput = Part | Line | list[Line]
"""What a row is written with: one part, one line of parts, or several lines."""


def cell(value: CellInput) -> Cell:
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, tuple):
        return (value,)
    return ((value,),)


@dataclass(frozen=True, slots=True)
class Paragraph:
    block: ClassVar[str] = "paragraph"
    line: Line


@dataclass(frozen=True, slots=True)
class Table:
    block: ClassVar[str] = "table"
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True, slots=True)
class Card:
    label: str
    value: Cell
    css: str = ""
    """`warn`, `chem`, `wide` or empty: how HTML frames it."""


@dataclass(frozen=True, slots=True)
class Cards:
    block: ClassVar[str] = "cards"
    cards: tuple[Card, ...]


@dataclass(frozen=True, slots=True)
class Figure:
    """The chart; each renderer supplies the image (a file beside the `.md`, or inline data)."""

    block: ClassVar[str] = "figure"
    alt: str
    caption: str


Block = Paragraph | Table | Cards | Figure


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    """The section's CSS class."""
    title: str
    blocks: tuple[Block, ...]


def table(headers: tuple[str, ...], rows: list[list[CellInput]]) -> Table:
    return Table(headers, tuple(tuple(cell(c) for c in row) for row in rows))


def level_badge(report: Report, level_id: str) -> Mark:
    found = next((lv for lv in report.levels if lv[0] == level_id), None)
    label, colour = (level_id, "grey") if found is None else (found[1], found[2])
    return Mark(label, "level", shade(colour))


def stamp(r: Report, hours: float) -> Line:
    """`D+0 03:00 (2031-05-01 09:00Z)`, as `text.stamp`; HTML wraps it only between the two."""
    return (
        Mark(exercise_time(hours), "nowrap"),
        " ",
        Mark(f"({t.calendar(r, hours)})", "muted nowrap"),
    )


def cover_table(r: Report) -> Table:
    hash_cell: Line = (Mark(r.scenario_hash, "code"),)
    if r.changed_scenario:
        hash_cell += (
            " ",
            Mark("Changed since play;", "use"),
            " the session recorded ",
            Mark(r.recorded_hash, "code"),
        )
    return table(
        ("", ""),
        [
            ["Scenario", (r.scenario_id, " ", Mark(f"({r.scenario_path})", "muted"))],
            ["Scenario hash (SHA-256)", hash_cell],
            ["Seed", r.seed],
            ["Session journal", r.journal],
            ["Session started", t.wall(r.created)],
            ["Last recorded activity", t.wall(r.last_activity)],
            ["Report generated", t.wall(r.generated)],
            ["Scenario clock", f"starts {t.wall(r.clock_start)}, runs {t.hours_span(r.duration)}"],
        ],
    )


def footer(r: Report) -> Line:
    return (
        Mark(r.banner, "strong"),
        f" · {r.title} · report generated {t.wall(r.generated)} from {r.journal}",
    )


def sections(r: Report) -> list[Section]:
    return [
        _summary(r),
        _chart(r),
        _timeline(r),
        _decisions(r),
        _chemical(r),
        _objectives(r),
        _improvement_plan(r),
    ]


def _summary(r: Report) -> Section:
    final = [(f"{scope}: ", level_badge(r, level)) for scope, level, _ in r.final_alert]
    real = f"{t.span(r.last_activity - r.created)} from session start to last entry"
    cards = (
        Card("Outcome", cell(t.outcome(r)), "" if r.finished else "warn"),
        Card("Exercise time played", cell(t.played(r))),
        Card("Real time", cell(real)),
        Card("Chemical-use outcome", cell(t.chem_outcome(r)), "chem" if r.chem_use else ""),
        Card("Decisions", cell(t.decisions_summary(r))),
        Card("Observations", cell(t.observations_summary(r))),
        Card("Alert levels when play stopped", cell(list(final)), "wide"),
    )
    return Section("summary", "Summary", (Cards(cards),))


def _chart(r: Report) -> Section:
    caption = (
        "Readiness of each unit (top) and alert level of each scope (bottom). Dotted lines D1, "
        "D2, … are the decisions in the order of the decisions table; coloured lines and "
        "triangles mark alert changes"
    )
    if r.chem_use is not None:
        caption += "; the red dashed line is the reported chemical use"
    readiness = table(
        ("Unit", "At start", "When play stopped", "Peak"),
        [list(row) for row in t.readiness_rows(r)],
    )
    figure = Figure("Readiness and alert levels over the exercise", caption + ".")
    return Section("chart", "Readiness and alert levels", (figure, readiness))


def _timeline(r: Report) -> Section:
    rows: list[list[CellInput]] = []
    for row in r.timeline:
        event: Line = (row.text,)
        if row.colour:
            event = (Mark("", "swatch", shade(row.colour)), row.text)
        kind = Mark(row.category, "kind kind-" + row.category.replace(" ", "-"))
        rows.append([exercise_time(row.time), t.calendar(r, row.time), kind, event, row.detail])
    headers = ("Exercise time", "Calendar (UTC)", "Kind", "Event", "Detail")
    return Section("timeline", "Timeline", (table(headers, rows),))


def _decisions(r: Report) -> Section:
    rows: list[list[CellInput]] = [
        [
            f"D{i}",
            row.title,
            stamp(r, row.opened),
            "—" if row.chosen_at is None else stamp(r, row.chosen_at),
            Mark(row.option_label, "strong") if row.option_label else "—",
            t.decided_by(row),
            t.hours_span(row.exercise_taken),
            t.span(row.wall_taken) if row.by == "room" else "—",
            row.note or "—",
        ]
        for i, row in enumerate(r.decisions, start=1)
    ]
    headers = (
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
    blocks: list[Block] = [table(headers, rows)]
    if r.retracted:
        retracted: list[list[CellInput]] = [
            [
                r.decision_titles.get(d.decision, d.decision),
                r.option_labels.get((d.decision, d.option), d.option),
                stamp(r, d.time),
                t.wall(d.wall),
                d.note or "—",
            ]
            for d in r.retracted
        ]
        blocks += [
            Paragraph((Mark("Taken back with undo", "strong"), " (replayed without them):")),
            table(
                ("Decision", "Option", "Exercise time", "Chosen at (real time)", "Note"), retracted
            ),
        ]
    return Section("decisions", "The room's decisions", tuple(blocks))


def _chemical(r: Report) -> Section:
    title = "Adversary chemical-use decision point"
    if r.chem_label is None:
        return Section("chemical", title, (Paragraph((t.chem_outcome(r),)),))
    rows: list[list[CellInput]] = [
        [
            str(e.index + 1),
            stamp(r, e.time),
            f"{e.probability:.1%}",
            Mark("USE", "use") if e.outcome == "use" else "no use",
            e.cause,
        ]
        for e in r.chem_evaluations
    ]
    intro = Paragraph((Mark(r.chem_label, "em"), ": ", t.chem_outcome(r)))
    headers = ("#", "Exercise time", "Probability", "Outcome", "Evaluated on")
    return Section("chemical", title, (intro, table(headers, rows)))


def _objectives(r: Report) -> Section:
    rows: list[list[CellInput]] = []
    for o in r.objectives:
        injects: list[Line] = [
            (title,) if fired else (title, " ", Mark("(not delivered)", "muted"))
            for title, fired in o.injects
        ]
        notes: list[Line] = [
            (Mark(exercise_time(n.time), "muted"), " ", n.text) for n in o.observations
        ]
        decisions: list[Line] = [(d,) for d in o.decisions]
        rows.append([o.text, o.capability, injects or "—", decisions or "—", notes or "—"])
    headers = ("Objective", "Core capability", "Injects", "Decisions", "Observations")
    title = "Objectives (exercise evaluation guide)"
    return Section("objectives", title, (table(headers, rows),))


def _improvement_plan(r: Report) -> Section:
    rows: list[list[CellInput]] = []
    for i, n in enumerate(r.observations, start=1):
        recorded: list[Line] = [stamp(r, n.time)]
        if n.inject:
            recorded.append((Mark(r.inject_titles.get(n.inject, n.inject), "muted"),))
        blank = Mark("", "blank")
        rows.append(
            [
                str(i),
                t.capability(r, n.objective),
                t.objective_label(r, n.objective),
                n.text,
                recorded,
                blank,
                blank,
            ]
        )
    intro = Paragraph(
        (
            "Every observation recorded during play; corrective actions and owners are agreed "
            "after the hot wash.",
        )
    )
    headers = ("#", "Capability", "Objective", "Observation", "Recorded", "Corrective action")
    return Section("ip", "Improvement plan", (intro, table((*headers, "Owner"), rows)))
