"""The hot wash: what happened, the room's decisions and their timing, the adversary's
evaluations, the observations, and the after-action report export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from simulator.engine.describe import DECIDED_BY, Describer, count
from simulator.engine.events import (
    AlertChanged,
    ChemEvaluated,
    ChemUsed,
    DecisionTaken,
    Event,
    EventKind,
)
from simulator.scenario.durations import format_duration
from simulator.scenario.palette import SHADES
from tui.exercise import LiveSession, local_now
from tui.widgets.header import Banner

if TYPE_CHECKING:
    from simulator.report.export import ReportFormat


def _count(number: int, noun: str, after: str = "") -> str:
    words = count(number, noun)
    return f"{words} {after}" if after else words


def summary(describer: Describer, records: Sequence[Event], now: float, ended: str | None) -> Text:
    """A few lines a facilitator reads out to open the hot wash."""
    scenario = describer.scenario
    kinds = [e.kind for e in records]
    text = Text()
    text.append(scenario.meta.title + "\n", style="bold")
    if ended:
        text.append(f"Ended at {describer.when(now)}: {ended}\n")
    else:
        text.append(f"In progress at {describer.when(now)} (not ended)\n", style=SHADES["yellow"])
    counts = [
        _count(kinds.count(EventKind.INJECT), "inject", "delivered"),
        _count(kinds.count(EventKind.ALERT), "alert change"),
        _count(kinds.count(EventKind.DECISION), "decision"),
        _count(kinds.count(EventKind.CHEM_EVALUATION), "adversary evaluation"),
    ]
    text.append(" · ".join(counts) + "\n")
    highest: dict[str, str] = {}
    rung = {level.id: i for i, level in enumerate(scenario.alert.levels)}
    for change in (e.payload for e in records if isinstance(e.payload, AlertChanged)):
        if rung.get(change.new, 0) > rung.get(highest.get(change.scope, ""), -1):
            highest[change.scope] = change.new
    if highest:
        peaks = ", ".join(
            f"{describer.name(scope)} {describer.level(level)}"
            for scope, level in sorted(highest.items(), key=lambda item: describer.name(item[0]))
        )
        text.append(f"Highest alert reached: {peaks}\n")
    use = next((e for e in records if isinstance(e.payload, ChemUsed)), None)
    if use is not None:
        text.append(
            f"{describer.describe(use)} at {describer.when(use.time)}: "
            f"{describer.detail(use)} (exercise figures)\n",
            style=f"bold {SHADES['red']}",
        )
    else:
        text.append("No chemical use in this run.", style=SHADES["green"])
    text.rstrip()
    return text


def export_report(journal: Path, fmt: ReportFormat, now: dt.datetime) -> Path:
    """Write the after-action report beside the journal (`.md` with its chart PNG, or `.html`).

    The report is rebuilt from the journal alone, so it shows exactly what was recorded.
    """
    from simulator.report.aar import build_report
    from simulator.report.export import write_report

    # The live session already accepted this scenario; the report says so if it changed.
    built = build_report(journal, allow_changed=True, now=now)
    return write_report(built, journal.with_suffix(f".{fmt}"), fmt)


WRAPPED = 18
"""Least width of the table columns whose text wraps (decision titles, choices, notes)."""
TIMING = 52
"""Room left on wide terminals for the decisions' timing columns, besides the wrapped ones."""


def _table(table_id: str, title: str) -> DataTable[Text]:
    # Cells are `Text`: a table reads plain strings as markup, and these hold journal and
    # scenario words.
    table = DataTable[Text](id=table_id, classes="panel", cursor_type="row")
    table.border_title = title
    return table


def _row(table: DataTable[Text], *cells: str, wrap: bool = False) -> None:
    table.add_row(*(Text(cell) for cell in cells), height=None if wrap else 1)


def _took(wall: dt.timedelta | None, hours: float) -> str:
    """How long the room took: the wall time the journal kept for its choice, else (a policy or
    a deadline chose) the exercise time the decision stood open."""
    from simulator.report.text import span  # the report's wall-time wording, loaded on demand

    return format_duration(hours) if wall is None else f"{span(wall)} (wall)"


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
        self.describer = Describer(session.compiled.scenario)
        self.exported: list[Path] = []

    def compose(self) -> ComposeResult:
        sim = self.session.sim
        yield Banner(self.describer.scenario.meta.banner)
        with VerticalScroll(id="hotwash"):
            yield Static(
                summary(self.describer, sim.records, sim.now, sim.end_reason),
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

    def _decisions(self) -> DataTable[Text]:
        describer = self.describer
        table = _table("hotwash-decisions", "Decisions")
        # What was chosen and why first, in columns that wrap long text: on 80 columns the timing
        # columns are the ones left off to the right.
        table.add_column("Decision", width=self._wrapped)
        table.add_column("Choice", width=self._wrapped)
        table.add_column("Note", width=self._wrapped)
        table.add_columns("By", "Decided", "Room took", "Opened")
        journaled = {d.decision: d for d in self.session.decisions}
        for event in self.session.sim.records:
            taken = event.payload
            if not isinstance(taken, DecisionTaken):
                continue
            record = journaled.get(taken.decision) if taken.by == "room" else None
            wall = record.wall_taken if record is not None else None
            _row(
                table,
                describer.decision_title(taken.decision),
                describer.option(taken.decision, taken.option),
                record.note if record is not None else "",
                DECIDED_BY[taken.by],
                describer.when(event.time),
                _took(wall, event.time - taken.opened),
                describer.when(taken.opened),
                wrap=True,
            )
        if not table.row_count:
            _row(table, "none yet", "", "", "", "", "", "")
        return table

    def _evaluations(self) -> DataTable[Text]:
        describer = self.describer
        table = _table("hotwash-chem", "Adversary decision point")
        table.add_columns("#", "Time", "Probability", "Outcome", "Cause")
        for event in self.session.sim.records:
            evaluation = event.payload
            if isinstance(evaluation, ChemEvaluated):
                _row(
                    table,
                    str(evaluation.index + 1),
                    describer.when(event.time),
                    f"{evaluation.probability:.1%}",
                    "use" if evaluation.outcome == "use" else "no use",
                    describer.cause(evaluation.cause),
                )
        if not table.row_count:
            _row(table, "", "", "", "no evaluation yet", "")
        return table

    def _observations(self) -> DataTable[Text]:
        table = _table("hotwash-notes", "Observations")
        table.add_column("Observation", width=2 * self._wrapped)
        table.add_columns("Time", "Objective", "Inject", "Wall")
        self._fill_observations(table)
        return table

    def _fill_observations(self, table: DataTable[Text]) -> None:
        describer = self.describer
        for note in self.session.notes:
            _row(
                table,
                note.text,
                describer.when(note.time),
                note.objective or "",
                describer.inject_title(note.inject) if note.inject else "",
                note.wall.astimezone(self.zone).strftime("%H:%M"),
                wrap=True,
            )
        if not table.row_count:
            _row(table, "no observation recorded", "", "", "", "")

    def show_observations(self) -> None:
        """Read the observations again (one was just written over this screen)."""
        table: DataTable[Text] = self.query_one("#hotwash-notes", DataTable)
        table.clear()
        self._fill_observations(table)

    def _export_text(self) -> Text:
        lines = Text(f"Journal: {self.session.path}\n")
        lines.append("m writes Markdown, h writes HTML, beside the journal.", style="dim")
        for path in self.exported:
            lines.append(f"\nWritten {path}", style=SHADES["green"])
        return lines

    def action_export(self, fmt: str) -> None:
        self.session.checkpoint()
        self.notify(f"Writing the {fmt.upper()} report…")
        self._export("md" if fmt == "md" else "html", self.clock())

    @work(thread=True, group="report")
    def _export(self, fmt: ReportFormat, now: dt.datetime) -> None:
        from simulator.scenario.errors import ScenarioError
        from simulator.session import JournalError

        try:
            path = export_report(self.session.path, fmt, now)
        except (JournalError, ScenarioError, OSError) as error:
            self.app.call_from_thread(
                partial(self.notify, markup=False),
                f"Could not write the report: {error}",
                severity="error",
            )
            return
        self.app.call_from_thread(self._written, path)

    def _written(self, path: Path) -> None:
        self.exported.append(path)
        self.query_one("#hotwash-export", Static).update(self._export_text())
        self.notify(f"Report written to {path}", markup=False)

    def action_back(self) -> None:
        self.dismiss(None)
