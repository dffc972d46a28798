"""The hot wash: what happened, the room's decisions and their timing, the adversary's
evaluations, the observations, and the after-action report export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from simulator.engine.describe import relative_time
from simulator.engine.events import Event, EventKind
from simulator.scenario.models import Scenario
from tui.exercise import LiveSession, local_now, span
from tui.widgets.header import Banner


def _count(number: int, noun: str, after: str = "") -> str:
    words = f"{number} {noun}{'' if number == 1 else 's'}"
    return f"{words} {after}" if after else words


def summary(scenario: Scenario, records: Sequence[Event], now: float, ended: str | None) -> Text:
    """A few lines a facilitator reads out to open the hot wash."""
    kinds = [e.kind for e in records]
    levels = {level.id: level.label for level in scenario.alert.levels}
    text = Text()
    text.append(scenario.meta.title + "\n", style="bold")
    if ended:
        text.append(f"Ended at {relative_time(now)}: {ended}\n")
    else:
        text.append(f"In progress at {relative_time(now)} (not ended)\n", style="#e3c414")
    counts = [
        _count(kinds.count(EventKind.INJECT), "inject", "delivered"),
        _count(kinds.count(EventKind.ALERT), "alert change"),
        _count(kinds.count(EventKind.DECISION), "decision"),
        _count(kinds.count(EventKind.CHEM_EVALUATION), "adversary evaluation"),
    ]
    text.append(" · ".join(counts) + "\n")
    highest: dict[str, str] = {}
    rung = {level.id: i for i, level in enumerate(scenario.alert.levels)}
    for event in records:
        if event.kind is EventKind.ALERT:
            scope, new = str(event.payload["scope"]), str(event.payload["new"])
            if rung.get(new, 0) > rung.get(highest.get(scope, ""), -1):
                highest[scope] = new
    if highest:
        actors = scenario.actors
        names = {a.id: a.name for a in actors.alliances}
        names |= {n.id: n.name for n in [*actors.nations, *actors.partners]}
        peaks = ", ".join(
            f"{names.get(s, s)} {levels.get(v, v)}"
            for s, v in sorted(highest.items(), key=lambda item: names.get(item[0], item[0]))
        )
        text.append(f"Highest alert reached: {peaks}\n")
    uses = [e for e in records if e.kind is EventKind.CHEM_USE]
    if uses:
        use = uses[0]
        text.append(
            f"Chemical use at {relative_time(use.time)}: band {use.payload['label']}, "
            f"{use.payload['displaced']:,} displaced (exercise figures)\n",
            style="bold #f85149",
        )
    else:
        text.append("No chemical use in this run.", style="#3fb950")
    text.rstrip()
    return text


def export_report(journal: Path, fmt: str, now: dt.datetime) -> Path:
    """Write the after-action report beside the journal (`.md` with its chart PNG, or `.html`).

    The report is rebuilt from the journal alone, so it shows exactly what was recorded.
    """
    from simulator.report.aar import build_report
    from simulator.report.html import to_html
    from simulator.report.markdown import to_markdown

    # The live session already accepted this scenario; the report says so if it changed.
    built = build_report(journal, allow_changed=True, now=now)
    target = journal.with_suffix(f".{fmt}")
    if fmt == "md":
        chart = f"{target.stem}-readiness.png"
        target.write_text(to_markdown(built, target.parent, chart_file=chart), encoding="utf-8")
    else:
        target.write_text(to_html(built), encoding="utf-8")
    return target


WRAPPED = 18
"""Least width of the table columns whose text wraps (decision titles, choices, notes)."""
TIMING = 52
"""Room left on wide terminals for the decisions' timing columns, besides the wrapped ones."""


def _table(table_id: str, title: str) -> DataTable[str]:
    table = DataTable[str](id=table_id, classes="panel", cursor_type="row")
    table.border_title = title
    return table


def _minutes(taken: dt.timedelta) -> str:
    seconds = round(taken.total_seconds())
    return f"{seconds // 60}m {seconds % 60:02d}s (wall)"


class HotwashScreen(Screen[None]):
    """Read-only review; `m` and `h` write the after-action report beside the journal."""

    BINDINGS = [
        Binding("m", "export('md')", "Report .md", tooltip="Write the report as Markdown"),
        Binding("h", "export('html')", "Report .html", tooltip="Write the report as HTML"),
        Binding("escape,b", "back", "Back", tooltip="Back to the dashboard"),
    ]

    def __init__(self, session: LiveSession, clock: Callable[[], dt.datetime] = local_now) -> None:
        super().__init__()
        self.session = session
        self.clock = clock
        self.zone = clock().tzinfo
        """Time zone of the wall clock shown elsewhere in the console."""
        self.exported: list[Path] = []

    def compose(self) -> ComposeResult:
        session = self.session
        scenario = session.compiled.scenario
        sim = session.sim
        yield Banner(scenario.meta.banner)
        with VerticalScroll(id="hotwash"):
            yield Static(
                summary(scenario, sim.records, sim.now, sim.end_reason),
                id="hotwash-summary",
                classes="panel",
            )
            yield self._decisions()
            yield self._evaluations()
            yield self._observations()
            export = Static(self._export_text(), id="hotwash-export", classes="panel")
            export.border_title = "After-action report"
            yield export
        yield Footer()

    @property
    def _wrapped(self) -> int:
        return max(WRAPPED, (self.app.size.width - TIMING) // 3)

    def _decisions(self) -> DataTable[str]:
        scenario = self.session.compiled.scenario
        table = _table("hotwash-decisions", "Decisions")
        # What was chosen and why first, in columns that wrap long text: on 80 columns the timing
        # columns are the ones left off to the right.
        table.add_column("Decision", width=self._wrapped)
        table.add_column("Choice", width=self._wrapped)
        table.add_column("Note", width=self._wrapped)
        table.add_columns("By", "Decided", "Room took", "Opened")
        journaled = {d.decision: d for d in self.session.decisions}
        for event in self.session.sim.records:
            if event.kind is not EventKind.DECISION:
                continue
            decision = scenario.decision(str(event.payload["decision"]))
            option = next(o.label for o in decision.options if o.id == event.payload["option"])
            opened = event.payload["opened"]
            opened_at = float(opened) if isinstance(opened, int | float) else event.time
            record = journaled.get(decision.id) if event.payload["by"] == "room" else None
            taken = record.wall_taken if record is not None else None
            table.add_row(
                decision.title,
                option,
                record.note if record is not None else "",
                str(event.payload["by"]),
                relative_time(event.time),
                _minutes(taken) if taken is not None else span(event.time - opened_at),
                relative_time(opened_at),
                height=None,
            )
        if not table.row_count:
            table.add_row("none yet", "", "", "", "", "", "")
        return table

    def _evaluations(self) -> DataTable[str]:
        table = _table("hotwash-chem", "Adversary decision point")
        table.add_columns("#", "Time", "Probability", "Outcome", "Cause")
        for event in self.session.sim.records:
            if event.kind is EventKind.CHEM_EVALUATION:
                probability = event.payload["probability"]
                table.add_row(
                    str(int(str(event.payload["index"])) + 1),
                    relative_time(event.time),
                    f"{probability:.1%}" if isinstance(probability, float) else str(probability),
                    str(event.payload["outcome"]).replace("_", " "),
                    str(event.payload["cause"]),
                )
        if not table.row_count:
            table.add_row("", "", "", "no evaluation yet", "")
        return table

    def _observations(self) -> DataTable[str]:
        table = _table("hotwash-notes", "Observations")
        table.add_column("Observation", width=2 * self._wrapped)
        table.add_columns("Time", "Objective", "Inject", "Wall")
        self._fill_observations(table)
        return table

    def _fill_observations(self, table: DataTable[str]) -> None:
        scenario = self.session.compiled.scenario
        for note in self.session.notes:
            table.add_row(
                note.text,
                relative_time(note.time),
                note.objective or "",
                scenario.inject(note.inject).title if note.inject else "",
                note.wall.astimezone(self.zone).strftime("%H:%M"),
                height=None,
            )
        if not table.row_count:
            table.add_row("no observation recorded", "", "", "", "")

    def show_observations(self) -> None:
        """Read the observations again (one was just written over this screen)."""
        table = self.query_one("#hotwash-notes", DataTable)
        table.clear()
        self._fill_observations(table)

    def _export_text(self) -> Text:
        lines = Text(f"Journal: {self.session.path}\n")
        lines.append("m writes Markdown, h writes HTML, beside the journal.", style="dim")
        for path in self.exported:
            lines.append(f"\nWritten {path}", style="#3fb950")
        return lines

    def action_export(self, fmt: str) -> None:
        self.session.checkpoint()
        self.notify(f"Writing the {fmt.upper()} report…")
        self._export(fmt, self.clock())

    @work(thread=True, group="report")
    def _export(self, fmt: str, now: dt.datetime) -> None:
        from simulator.scenario.errors import ScenarioError
        from simulator.session import JournalError

        try:
            path = export_report(self.session.path, fmt, now)
        except (JournalError, ScenarioError, OSError) as error:
            self.app.call_from_thread(
                self.notify, f"Could not write the report: {error}", severity="error"
            )
            return
        self.app.call_from_thread(self._written, path)

    def _written(self, path: Path) -> None:
        self.exported.append(path)
        self.query_one("#hotwash-export", Static).update(self._export_text())
        self.notify(f"Report written to {path}")

    def action_back(self) -> None:
        self.dismiss(None)
