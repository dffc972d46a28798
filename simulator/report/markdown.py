"""The after-action report as Markdown, with its chart written as a PNG beside it."""

from __future__ import annotations

from pathlib import Path

from simulator.report import text as t
from simulator.report.aar import Report
from simulator.report.charts import readiness_chart_png
from simulator.report.tables import (
    CHEMICAL_HEADERS,
    DECISION_HEADERS,
    OBJECTIVE_HEADERS,
    PLAN_HEADERS,
    RETRACTED_HEADERS,
    TIMELINE_HEADERS,
    chemical_rows,
    decision_rows,
    retracted_rows,
)


def to_markdown(report: Report, assets_dir: str | Path, *, chart_file: str | None = None) -> str:
    """The report as Markdown; writes the chart PNG into `assets_dir` and links it by name.

    `chart_file` names the PNG (default: `<session>-readiness.png`).
    """
    folder = Path(assets_dir)
    folder.mkdir(parents=True, exist_ok=True)
    chart = chart_file or f"{report.slug}-readiness.png"
    (folder / chart).write_bytes(readiness_chart_png(report))
    sections = [
        _cover(report),
        _summary(report),
        _chart(report, chart),
        _timeline(report),
        _decisions(report),
        _chemical(report),
        _objectives(report),
        _improvement_plan(report),
        f"---\n\n**{_cell(report.banner)}**\n",
    ]
    return "\n".join(sections)


def _cell(value: object) -> str:
    """Text safe inside a table cell: one line, no pipes, no raw HTML."""
    text = " ".join(str(value).split())
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def _table(headers: list[str], rows: list[list[str]]) -> str:
    if not rows:
        return "_None._\n"
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---" for _ in headers) + "|",
    ]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _cover(r: Report) -> str:
    hash_line = f"`{r.scenario_hash}`"
    if r.changed_scenario:
        hash_line += f" (changed since play; the session recorded `{r.recorded_hash}`)"
    rows = [
        ["Scenario", f"{r.scenario_id} ({r.scenario_path})"],
        ["Scenario hash (SHA-256)", hash_line],
        ["Seed", r.seed],
        ["Session journal", r.journal],
        ["Session started", t.wall(r.created)],
        ["Last recorded activity", t.wall(r.last_activity)],
        ["Report generated", t.wall(r.generated)],
        ["Scenario clock", f"starts {t.wall(r.clock_start)}, runs {t.hours_span(r.duration)}"],
    ]
    meta = "| | |\n|---|---|\n" + "\n".join(f"| {k} | {_cell(v)} |" for k, v in rows)
    description = f"\n{' '.join(r.description.split())}\n" if r.description.strip() else ""
    return (
        f"**{_cell(r.banner)}**\n\n# After-action report: {_cell(r.title)}\n{description}\n{meta}\n"
    )


def _summary(r: Report) -> str:
    final = "; ".join(f"{scope}: {label}" for scope, _, label in r.final_alert)
    items = [
        ("Outcome", t.outcome(r)),
        ("Exercise time played", t.played(r)),
        ("Real time", t.span(r.last_activity - r.created) + " from session start to last entry"),
        ("Chemical-use outcome", t.chem_outcome(r)),
        ("Decisions", t.decisions_summary(r)),
        ("Observations", t.observations_summary(r)),
        ("Alert levels when play stopped", final),
    ]
    return "## Summary\n\n" + "\n".join(f"- **{k}:** {_cell(v)}" for k, v in items) + "\n"


def _chart(r: Report, chart: str) -> str:
    marks = (
        "Dotted lines D1, D2, … are the decisions in the order of the decisions table; "
        "coloured lines and triangles mark alert changes"
    )
    if r.chem_use is not None:
        marks += "; the red dashed line is the reported chemical use"
    table = _table(
        ["Unit", "At start", "When play stopped", "Peak"],
        [list(row) for row in t.readiness_rows(r)],
    )
    return (
        "## Readiness and alert levels\n\n"
        f"![Readiness of each unit and alert level of each scope over the exercise]"
        f"({chart})\n\n_{marks}._\n\n{table}"
    )


def _timeline(r: Report) -> str:
    rows = [
        [t.when(r, row.time), t.offset(row.time), row.kind, row.text, row.detail]
        for row in r.timeline
    ]
    return "## Timeline\n\n" + _table(list(TIMELINE_HEADERS), rows)


def _decisions(r: Report) -> str:
    out = "## The room's decisions\n\n" + _table(list(DECISION_HEADERS), decision_rows(r))
    if r.retracted:
        out += "\n**Taken back with undo** (replayed without them):\n\n" + _table(
            list(RETRACTED_HEADERS), retracted_rows(r)
        )
    return out


def _chemical(r: Report) -> str:
    if r.chem_label is None:
        return "## Adversary chemical-use decision point\n\n" + t.chem_outcome(r) + "\n"
    table = _table(list(CHEMICAL_HEADERS), chemical_rows(r))
    return (
        f"## Adversary chemical-use decision point\n\n_{_cell(r.chem_label)}_: "
        f"{_cell(t.chem_outcome(r))}\n\n{table}"
    )


def _objectives(r: Report) -> str:
    rows = []
    for o in r.objectives:
        injects = "; ".join(
            f"{title}{'' if fired else ' (not delivered)'}" for title, fired in o.injects
        )
        notes = "; ".join(f"{t.when(r, n.time)}: {n.text}" for n in o.observations)
        rows.append(
            [o.text, o.capability, injects or "—", "; ".join(o.decisions) or "—", notes or "—"]
        )
    return "## Objectives (exercise evaluation guide)\n\n" + _table(list(OBJECTIVE_HEADERS), rows)


def _improvement_plan(r: Report) -> str:
    rows = [
        [
            str(i),
            t.capability(r, n.objective),
            t.objective_label(r, n.objective),
            n.text,
            f"{t.when(r, n.time)} ({r.inject_titles.get(n.inject, n.inject)})"
            if n.inject
            else t.when(r, n.time),
            "",
            "",
        ]
        for i, n in enumerate(r.observations, start=1)
    ]
    headers = list(PLAN_HEADERS)
    return (
        "## Improvement plan\n\nEvery observation recorded during play; corrective actions and "
        "owners are agreed after the hot wash.\n\n" + _table(headers, rows)
    )
