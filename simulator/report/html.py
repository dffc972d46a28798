"""The after-action report as one self-contained HTML file: inline CSS, the chart embedded as a
base64 PNG, no scripts and no external references, so it can be mailed or archived as is.

Every text from the scenario or the journal is escaped: both are untrusted input.
"""

from __future__ import annotations

import base64
from html import escape

from simulator.report import text as t
from simulator.report.aar import Report
from simulator.report.charts import CHEM_COLOUR, level_colour, readiness_chart_png
from simulator.report.tables import (
    CHEMICAL_HEADERS,
    CHEMICAL_OUTCOME,
    DECISION_HEADERS,
    DECISION_OPTION,
    OBJECTIVE_HEADERS,
    PLAN_HEADERS,
    RETRACTED_HEADERS,
    TIMELINE_HEADERS,
    chemical_rows,
    decision_rows,
    retracted_rows,
)

_CSS = """
:root { --ink: #1d2733; --muted: #5b6775; --rule: #d5dbe1; --band: #f3f5f7;
        --accent: #1f4e79; --exercise: #0b6e3a; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
       font: 10.5pt/1.45 "Segoe UI", "Helvetica Neue", Arial, sans-serif; }
.banner { background: var(--exercise); color: #fff; text-align: center; font-weight: 700;
          letter-spacing: .25em; padding: 6px 0; font-size: 10pt; }
main { max-width: 1100px; margin: 0 auto; padding: 18px 32px 32px; }
header.cover { border-bottom: 3px solid var(--accent); padding: 18px 0 14px; margin-bottom: 8px; }
header.cover .kicker { color: var(--muted); text-transform: uppercase; letter-spacing: .12em;
                       font-size: 9pt; margin: 0; }
header.cover h1 { margin: 4px 0 6px; font-size: 22pt; color: var(--accent); }
header.cover p.description { margin: 0 0 10px; max-width: 80ch; color: var(--muted); }
h2 { font-size: 14pt; color: var(--accent); border-bottom: 1px solid var(--rule);
     padding-bottom: 3px; margin: 26px 0 10px; break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 9.5pt; }
th, td { border: 1px solid var(--rule); padding: 4px 7px; text-align: left; vertical-align: top; }
th { background: var(--band); font-weight: 600; }
tr { break-inside: avoid; }
table.meta { width: auto; }
table.meta th { width: 14em; }
code { font: 8.5pt/1.3 "SFMono-Regular", Consolas, monospace; word-break: break-all; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(230px, 1fr)); gap: 10px; }
.card { border: 1px solid var(--rule); border-left: 4px solid var(--accent); padding: 8px 10px;
        background: #fbfcfd; }
.card .label { color: var(--muted); font-size: 8.5pt; text-transform: uppercase;
               letter-spacing: .08em; }
.card .value { font-weight: 600; margin-top: 2px; }
.card.chem { border-left-color: var(--chem); }
.card.warn { border-left-color: #b26a00; }
.card.wide { grid-column: 1 / -1; }
.card .scope { display: inline-block; margin: 2px 14px 2px 0; white-space: nowrap; }
figure { margin: 8px 0; }
figure img { width: 100%; border: 1px solid var(--rule); }
figcaption { color: var(--muted); font-size: 9pt; margin-top: 4px; }
.kind { display: inline-block; min-width: 7.5em; font-size: 8.5pt; font-weight: 600;
        text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.kind-alert { color: #8a5a00; } .kind-decision, .kind-decision-open { color: var(--accent); }
.kind-chemical { color: var(--chem); } .kind-end { color: var(--ink); }
.level { display: inline-block; padding: 0 6px; border-radius: 3px; color: #fff;
         font-weight: 600; font-size: 9pt; }
.use { color: var(--chem); font-weight: 700; }
.muted { color: var(--muted); }
.blank { display: inline-block; min-width: 9em; }
section.timeline td:nth-child(-n+3), section.decisions td:nth-child(3),
section.decisions td:nth-child(4), section.chemical td:nth-child(-n+3) { white-space: nowrap; }
footer { margin-top: 28px; color: var(--muted); font-size: 8.5pt; }
@media print {
  body { font-size: 9.5pt; }
  .banner { position: fixed; left: 0; right: 0; -webkit-print-color-adjust: exact;
            print-color-adjust: exact; }
  .banner.top { top: 0; } .banner.bottom { bottom: 0; }
  main { padding: 36px 0; max-width: none; }
  th, .level, .card { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-before: auto; }
  section.chart, section.decisions, section.objectives, section.ip { break-inside: avoid-page; }
}
"""


def to_html(report: Report) -> str:
    """The whole report as one HTML document."""
    chart = base64.b64encode(readiness_chart_png(report)).decode("ascii")
    banner = escape(report.banner)
    body = "\n".join(
        [
            _cover(report),
            _summary(report),
            _chart(report, chart),
            _timeline(report),
            _decisions(report),
            _chemical(report),
            _objectives(report),
            _improvement_plan(report),
            f"<footer>{banner} · {escape(report.title)} · report generated "
            f"{escape(t.wall(report.generated))} from {escape(report.journal)}</footer>",
        ]
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{banner} · After-action report · {escape(report.title)}</title>\n"
        f"<style>{_CSS.replace('var(--chem)', CHEM_COLOUR)}</style>\n</head>\n<body>\n"
        f'<div class="banner top">{banner}</div>\n<main>\n{body}\n</main>\n'
        f'<div class="banner bottom">{banner}</div>\n</body>\n</html>\n'
    )


def _table(headers: list[str], rows: list[list[str]], css: str = "") -> str:
    """Rows are already-escaped HTML fragments."""
    if not rows:
        return '<p class="muted">None.</p>'
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "\n".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    cls = f' class="{css}"' if css else ""
    return f"<table{cls}>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def _level(report: Report, level_id: str) -> str:
    found = next((lv for lv in report.levels if lv[0] == level_id), None)
    label, colour = (level_id, "grey") if found is None else (found[1], found[2])
    return f'<span class="level" style="background:{level_colour(colour)}">{escape(label)}</span>'


def _cover(r: Report) -> str:
    hash_cell = f"<code>{escape(r.scenario_hash)}</code>"
    if r.changed_scenario:
        hash_cell += (
            '<br><span class="use">Changed since play;</span> the session recorded '
            f"<code>{escape(r.recorded_hash)}</code>"
        )
    rows = [
        (
            "Scenario",
            f"{escape(r.scenario_id)} <span class='muted'>({escape(r.scenario_path)})</span>",
        ),
        ("Scenario hash (SHA-256)", hash_cell),
        ("Seed", escape(r.seed)),
        ("Session journal", escape(r.journal)),
        ("Session started", escape(t.wall(r.created))),
        ("Last recorded activity", escape(t.wall(r.last_activity))),
        ("Report generated", escape(t.wall(r.generated))),
        (
            "Scenario clock",
            escape(f"starts {t.wall(r.clock_start)}, runs {t.hours_span(r.duration)}"),
        ),
    ]
    meta = "\n".join(f"<tr><th>{escape(k)}</th><td>{v}</td></tr>" for k, v in rows)
    description = (
        f'<p class="description">{escape(r.description)}</p>' if r.description.strip() else ""
    )
    return (
        '<header class="cover">\n<p class="kicker">After-action report</p>\n'
        f"<h1>{escape(r.title)}</h1>\n{description}\n"
        f'<table class="meta">\n{meta}\n</table>\n</header>'
    )


def _card(label: str, value: str, css: str = "") -> str:
    return (
        f'<div class="card {css}"><div class="label">{escape(label)}</div>'
        f'<div class="value">{value}</div></div>'
    )


def _summary(r: Report) -> str:
    final = " ".join(
        f'<span class="scope">{escape(scope)} {_level(r, level)}</span>'
        for scope, level, _ in r.final_alert
    )
    chem_css = "chem" if r.chem_use is not None else ""
    cards = [
        _card("Outcome", escape(t.outcome(r)), "" if r.finished else "warn"),
        _card("Exercise time played", escape(t.played(r))),
        _card("Real time", escape(t.span(r.last_activity - r.created))),
        _card("Chemical-use outcome", escape(t.chem_outcome(r)), chem_css),
        _card("Decisions", escape(t.decisions_summary(r))),
        _card("Observations", escape(t.observations_summary(r))),
        _card("Alert levels when play stopped", final, "wide"),
    ]
    return (
        '<section class="summary">\n<h2>Summary</h2>\n<div class="cards">\n'
        + "\n".join(cards)
        + "\n</div>\n</section>"
    )


def _chart(r: Report, png_base64: str) -> str:
    caption = (
        "Readiness of each unit (top) and alert level of each scope (bottom). Dotted lines D1, "
        "D2, … are the decisions in the order of the decisions table; coloured lines and "
        "triangles mark alert changes"
    )
    if r.chem_use is not None:
        caption += "; the red dashed line is the reported chemical use"
    rows = [[escape(c) for c in row] for row in t.readiness_rows(r)]
    return (
        '<section class="chart">\n<h2>Readiness and alert levels</h2>\n<figure>'
        f'<img alt="Readiness and alert levels over the exercise" '
        f'src="data:image/png;base64,{png_base64}">'
        f"<figcaption>{escape(caption)}.</figcaption></figure>\n"
        + _table(["Unit", "At start", "When play stopped", "Peak"], rows)
        + "\n</section>"
    )


def _timeline(r: Report) -> str:
    changes = iter(r.alert_changes)
    rows = []
    for row in r.timeline:
        event = escape(row.text)
        if row.kind == "alert":
            change = next(changes)
            event = (
                f"{escape(change.scope_name)}: {_level(r, change.old)} → {_level(r, change.new)}"
            )
        kind = f'<span class="kind kind-{row.kind.replace(" ", "-")}">{escape(row.kind)}</span>'
        rows.append(
            [
                escape(t.when(r, row.time)),
                escape(t.offset(row.time)),
                kind,
                event,
                escape(row.detail),
            ]
        )
    return (
        '<section class="timeline">\n<h2>Timeline</h2>\n'
        + _table(list(TIMELINE_HEADERS), rows)
        + "\n</section>"
    )


def _escaped(rows: list[list[str]]) -> list[list[str]]:
    return [[escape(cell) for cell in row] for row in rows]


def _decisions(r: Report) -> str:
    rows = _escaped(decision_rows(r))
    for row in rows:
        if row[DECISION_OPTION] != "—":
            row[DECISION_OPTION] = f"<strong>{row[DECISION_OPTION]}</strong>"
    out = '<section class="decisions">\n<h2>The room\'s decisions</h2>\n' + _table(
        list(DECISION_HEADERS), rows
    )
    if r.retracted:
        out += "\n<p><strong>Taken back with undo</strong> (replayed without them):</p>\n"
        out += _table(list(RETRACTED_HEADERS), _escaped(retracted_rows(r)))
    return out + "\n</section>"


def _chemical(r: Report) -> str:
    head = '<section class="chemical">\n<h2>Adversary chemical-use decision point</h2>\n'
    if r.chem_label is None:
        return head + f"<p>{escape(t.chem_outcome(r))}</p>\n</section>"
    rows = _escaped(chemical_rows(r))
    for row in rows:
        if row[CHEMICAL_OUTCOME] == "USE":
            row[CHEMICAL_OUTCOME] = '<span class="use">USE</span>'
    return (
        f"{head}<p><em>{escape(r.chem_label)}</em>: {escape(t.chem_outcome(r))}</p>\n"
        f"{_table(list(CHEMICAL_HEADERS), rows)}\n</section>"
    )


def _objectives(r: Report) -> str:
    rows = []
    for o in r.objectives:
        injects = "<br>".join(
            escape(title) + ("" if fired else ' <span class="muted">(not delivered)</span>')
            for title, fired in o.injects
        )
        notes = "<br>".join(
            f'<span class="muted">{escape(t.when(r, n.time))}</span> {escape(n.text)}'
            for n in o.observations
        )
        rows.append(
            [
                escape(o.text),
                escape(o.capability),
                injects or "—",
                "<br>".join(escape(d) for d in o.decisions) or "—",
                notes or "—",
            ]
        )
    headers = list(OBJECTIVE_HEADERS)
    return (
        '<section class="objectives">\n<h2>Objectives (exercise evaluation guide)</h2>\n'
        + _table(headers, rows)
        + "\n</section>"
    )


def _improvement_plan(r: Report) -> str:
    rows = []
    for i, n in enumerate(r.observations, start=1):
        recorded = escape(t.when(r, n.time))
        if n.inject:
            recorded += (
                f'<br><span class="muted">{escape(r.inject_titles.get(n.inject, n.inject))}</span>'
            )
        rows.append(
            [
                str(i),
                escape(t.capability(r, n.objective)),
                escape(t.objective_label(r, n.objective)),
                escape(n.text),
                recorded,
                '<span class="blank"></span>',
                '<span class="blank"></span>',
            ]
        )
    headers = list(PLAN_HEADERS)
    return (
        '<section class="ip">\n<h2>Improvement plan</h2>\n<p>Every observation recorded during '
        "play; corrective actions and owners are agreed after the hot wash.</p>\n"
        + _table(headers, rows)
        + "\n</section>"
    )
