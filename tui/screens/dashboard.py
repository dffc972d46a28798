"""The exercise dashboard: the state of the crisis at a glance, and the run controls.

The engine advances in bounded slices from a timer: each tick steps the simulation until the
exercise clock catches up with the wall clock at the chosen speed, or until a few milliseconds of
work are spent, then hands the event loop back so keys and repaints are never starved, even at
the fastest speed. The session's journal is only ever touched from this thread.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer

from simulator.engine.describe import Describer
from simulator.engine.events import DecisionTaken, Event, EventKind
from simulator.engine.simulation import SimulationError
from simulator.scenario.models import Scenario
from simulator.session import JournalError
from tui.exercise import LiveSession
from tui.widgets.alert_ladder import AlertLadder
from tui.widgets.header import Banner, RunStatus, StatusLine
from tui.widgets.inject_feed import Delivered, InjectDetail, InjectFeed
from tui.widgets.readiness import ReadinessBars
from tui.widgets.variables import VariableHistory, VariablesPanel

SPEEDS: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 24.0, 72.0, 168.0, math.inf)
"""Exercise hours per wall-clock second; the last is "as fast as possible"."""
DEFAULT_SPEED = 3
TICK_SECONDS = 1 / 30
SLICE_SECONDS = 0.012
"""Engine work allowed per tick before the event loop gets the thread back."""
STEP_LIMIT = 100_000
CHECKPOINT_SECONDS = 5.0
"""While the clock runs, where it stands is journaled this often (a crash loses at most this)."""


def speed_label(speed: float) -> str:
    return "MAX" if math.isinf(speed) else f"{speed:g} h/s"


@dataclass
class RunStats:
    """How the run loop behaved, for the benchmark: ticks, steps, and the longest tick and gap."""

    ticks: int = 0
    steps: int = 0
    slowest_tick: float = 0.0
    slowest_gap: float = 0.0
    last: float = field(default=0.0, repr=False)


class DashboardScreen(Screen[None]):
    """Banner and status on top; alert levels and readiness on the left; variables, the inject
    feed and the highlighted inject on the right."""

    AUTO_FOCUS = "#feed-list"

    BINDINGS = [
        Binding(
            "space",
            "toggle_run",
            "Run/Pause",
            key_display="space",
            tooltip="Start or pause the exercise clock",
            priority=True,
        ),
        Binding("s", "step", "Step", show=False, tooltip="Advance to the next event"),
        Binding("r", "run_to_decision", "To decision", tooltip="Run at full speed to a decision"),
        Binding(
            "plus,equals_sign,right_square_bracket",
            "faster",
            "Faster",
            key_display="+",
            show=False,
            tooltip="Run the exercise clock faster",
        ),
        Binding(
            "minus,left_square_bracket",
            "slower",
            "Slower",
            key_display="-",
            show=False,
            tooltip="Run the exercise clock slower",
        ),
        Binding("d", "open_decision", "Decision", show=False, tooltip="Show the waiting decision"),
        Binding("u", "undo", "Undo", tooltip="Undo the last decision (replay without it)"),
        Binding("w", "hotwash", "Hot wash", show=False, tooltip="Summary and report export"),
        Binding(
            "ctrl+s",
            "save_as",
            "Save as",
            show=False,
            tooltip="Copy the session to a new file and record there",
        ),
        Binding("c", "cycle_channel", "Channel filter", show=False, tooltip="Feed: next channel"),
        Binding(
            "a", "cycle_audience", "Audience filter", show=False, tooltip="Feed: next audience"
        ),
    ]

    def __init__(self, session: LiveSession, clock: Callable[[], dt.datetime]) -> None:
        super().__init__()
        self.session = session
        self.clock = clock
        self.scenario: Scenario = session.compiled.scenario
        self.describer = Describer(self.scenario)
        self.history = VariableHistory(self.scenario.variables)
        self._clock_running = False
        self._ticker: Timer | None = None
        self.speed_index = DEFAULT_SPEED
        self.cursor = session.sim.now
        """Exercise hours shown; runs ahead of the engine between events at the chosen speed."""
        self.to_decision = False
        self._checkpointed = time.monotonic()
        self._speed_before = DEFAULT_SPEED
        self.stats = RunStats()
        self._seen = 0
        self._ended_shown = False
        self.stopped: str | None = None
        """Why the model cannot go on (an expression failed on the state reached), if it can't."""

    # ----------------------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        scenario = self.scenario
        yield Banner(scenario.meta.banner)
        yield StatusLine(id="status")
        with Horizontal(id="body"):
            with Vertical(id="state-column"):
                yield AlertLadder(
                    scenario.alert.levels,
                    self.describer.scope_names,
                    first=[a.id for a in scenario.actors.alliances],
                    id="alerts",
                )
                yield ReadinessBars(scenario.units, id="readiness")
                # Two views of one history: the stylesheet shows this one on wide terminals,
                # the one above the feed on narrow ones.
                yield VariablesPanel(scenario.variables, self.history, id="variables-wide")
            with Vertical(id="feed-column"):
                yield VariablesPanel(scenario.variables, self.history, id="variables-narrow")
                yield InjectFeed(scenario.injects, id="feed")
                yield InjectDetail(scenario.meta.objectives, id="detail")
        yield Footer()

    def on_resize(self, event: events.Resize) -> None:
        # One line per scope and per unit, and two borders each, unless that overflows the body
        # (banner, status line and footer take three rows): then scopes are grouped by level.
        scenario = self.scenario
        needed = len(scenario.alert.initial) + len(scenario.units) + 4
        if self.has_class("-wide"):  # the variables sit under the readiness there
            needed += len(scenario.variables) + 2
        ladder = self.query_one(AlertLadder)
        ladder.compact = needed > event.size.height - 3
        ladder.redraw()

    def on_mount(self) -> None:
        self.resync()
        # The ticker only runs while the clock does, so a paused console costs no CPU.
        self._ticker = self.set_interval(TICK_SECONDS, self._tick, pause=True)
        self.set_interval(1.0, self._show_status)
        # A resumed session comes back to what it was waiting on.
        if self.session.sim.finished:
            self.action_hotwash()
        elif self.session.sim.pending:
            self.action_open_decision()

    # ----------------------------------------------------------------------------- state

    @property
    def running(self) -> bool:
        return self._clock_running

    @running.setter
    def running(self, value: bool) -> None:
        self._clock_running = value
        if self._ticker is not None:
            if value:
                self.stats.last = 0.0
                self._ticker.resume()
            else:
                self._ticker.pause()

    @property
    def speed(self) -> float:
        return SPEEDS[self.speed_index]

    @property
    def current_inject(self) -> Delivered | None:
        return self.query_one(InjectFeed).current

    def run_state(self) -> str:
        if self.session.sim.finished:
            return "ENDED"
        if self.running:
            return "RUNNING"
        return "DECISION" if self.session.sim.pending else "PAUSED"

    def resync(self) -> None:
        """Redraw everything from the whole record list (after start, resume or undo)."""
        sim = self.session.sim
        self.cursor = sim.now
        self._seen = len(sim.records)
        self._ended_shown = sim.finished
        self.history.reset(sim.records)
        self.query_one(InjectFeed).reset(sim.records)
        self._show_state()

    def _absorb(self) -> list[Event]:
        records = self.session.sim.records
        new = list(records[self._seen :])
        self._seen = len(records)
        if new:
            self.history.add(new)
            self.query_one(InjectFeed).add(new)
        return new

    def _show_state(self) -> None:
        snapshot = self.session.sim.snapshot()
        self.query_one(AlertLadder).show(snapshot.alert)
        self.query_one(ReadinessBars).show(snapshot.readiness, snapshot.targets, snapshot.posture)
        for panel in self.query(VariablesPanel):
            panel.show(snapshot.variables, self.cursor)
        self._show_status()

    def _show_status(self) -> None:
        self.query_one(StatusLine).show(
            RunStatus(
                title=self.scenario.meta.title,
                when=self.describer.when(self.cursor),
                calendar=self.describer.calendar(self.cursor),
                state=self.run_state(),
                speed=speed_label(self.speed),
                wall=self.clock().strftime("%H:%M"),
                seed=self.session.seed.describe(),
            )
        )

    # ----------------------------------------------------------------------------- run loop

    def _tick(self) -> None:
        started = time.perf_counter()
        stats = self.stats
        if stats.last and self.running:
            stats.slowest_gap = max(stats.slowest_gap, started - stats.last)
        stats.last = started
        if not self.running:
            return
        sim = self.session.sim
        target = self.cursor + self.speed * TICK_SECONDS
        new: list[Event] = []
        while not sim.finished and time.perf_counter() - started < SLICE_SECONDS:
            upcoming = sim.next_time
            if upcoming is None or upcoming > target:
                break
            try:
                step = sim.step()
            except SimulationError as error:
                self._model_stopped(error)
                break
            stats.steps += 1
            new.extend(step)
            if _opens_decision(step):
                break
        horizon = sim.next_time
        end = self.scenario.clock.duration
        if math.isinf(target) or _opens_decision(new) or sim.finished:
            self.cursor = sim.now
        else:
            self.cursor = min(target, horizon if horizon is not None else end, end)
        stats.ticks += 1
        if time.monotonic() - self._checkpointed > CHECKPOINT_SECONDS:
            self._checkpoint()
        self._after_advance(new)
        stats.slowest_tick = max(stats.slowest_tick, time.perf_counter() - started)

    def _after_advance(self, new: Sequence[Event]) -> None:
        self._absorb()
        self._show_state()
        for event in new:
            taken = event.payload
            if isinstance(taken, DecisionTaken) and taken.by == "deadline":
                title = self.describer.decision_title(taken.decision)
                self.notify(
                    f"Deadline passed: {title} took its default", severity="warning", markup=False
                )
        if self._show_end():
            return
        if _opens_decision(new):
            self._pause()
            self._checkpoint()
            self.action_open_decision()

    def _show_end(self) -> bool:
        """Open the hot wash the first time the exercise is seen finished, whatever finished it
        (the clock, a step, the room's choice, a deadline); True once it has finished."""
        if not self.session.sim.finished:
            return False
        self._pause()
        self._checkpoint()
        if not self._ended_shown:
            self._ended_shown = True
            self.action_hotwash()
        return True

    def _model_stopped(self, error: SimulationError) -> None:
        """The scenario asked something of the model it cannot answer (an expression failing
        on the state reached): stop the clock and say so in one line; the session stays open
        and saved up to the last checkpoint, so the facilitator can note, review or quit, and
        resume after the scenario is fixed."""
        self.stopped = f"The model stopped at {self.describer.when(self.session.sim.now)}: {error}"
        self._pause()
        self._refuse_if_stopped()

    def _refuse_if_stopped(self) -> bool:
        if self.stopped is not None:
            self.notify(self.stopped, severity="error", timeout=30, markup=False)
        return self.stopped is not None

    def _checkpoint(self) -> None:
        self.session.checkpoint()
        self._checkpointed = time.monotonic()

    def _pause(self) -> None:
        if self.to_decision:
            self.to_decision = False
            self.speed_index = self._speed_before
        self.running = False
        self._show_status()

    # ----------------------------------------------------------------------------- actions

    def action_pause(self) -> None:
        if self.running:
            self._pause()
            self._checkpoint()

    def action_toggle_run(self) -> None:
        if self.session.sim.finished:
            self.notify("The exercise has ended: press w for the hot wash")
            return
        if self.running:
            self._pause()
            self._checkpoint()
        elif not self._refuse_if_stopped():
            self.running = True
            self._show_status()

    def action_step(self) -> None:
        sim = self.session.sim
        self._pause()
        new: list[Event] = []
        if self._refuse_if_stopped():
            return
        for _ in range(STEP_LIMIT):
            if sim.finished:
                break
            try:
                new.extend(sim.step())
            except SimulationError as error:
                self._model_stopped(error)
                break
            if new:
                break
        self.cursor = sim.now
        if self.stopped is None:
            self._checkpoint()
        self._after_advance(new)

    def action_faster(self) -> None:
        self.speed_index = min(self.speed_index + 1, len(SPEEDS) - 1)
        self._show_status()

    def action_slower(self) -> None:
        self.speed_index = max(self.speed_index - 1, 0)
        self._show_status()

    def action_run_to_decision(self) -> None:
        if self.session.sim.finished or self.to_decision or self._refuse_if_stopped():
            return
        self._speed_before = self.speed_index
        self.to_decision = True
        self.speed_index = len(SPEEDS) - 1
        self.running = True
        self._show_status()

    def action_open_decision(self) -> None:
        from tui.screens.decision import DecisionRequest, DecisionScreen

        pending = self.session.sim.pending
        if not pending:
            self.notify("No decision is waiting for the room")
            return
        self._pause()
        waiting = pending[0]
        request = DecisionRequest(
            describer=self.describer,
            decision=self.scenario.decision(waiting.decision_id),
            opened=waiting.opened,
            deadline=waiting.deadline,
            now=self.session.sim.now,
            waiting=len(pending),
        )
        self.app.push_screen(DecisionScreen(request), self._decided)

    def _decided(self, choice: object) -> None:
        from tui.screens.decision import DecisionChoice

        if not isinstance(choice, DecisionChoice):
            return
        self.session.choose(choice.decision_id, choice.option_id, note=choice.note)
        label = self.describer.option(choice.decision_id, choice.option_id)
        when = self.describer.when(self.session.sim.now)
        self.notify(f"Recorded at {when}: {label}", markup=False)
        self._absorb()
        self._show_state()
        if not self._show_end() and self.session.sim.pending:
            self.action_open_decision()

    def action_undo(self) -> None:
        self._pause()
        try:
            self.session.undo()
        except ValueError as error:
            message = str(error)
            self.notify(message[:1].upper() + message[1:], severity="warning", markup=False)
            return
        self.resync()
        self.notify(f"Last decision undone; replayed to {self.describer.when(self.cursor)}")
        if self.session.sim.pending:
            self.action_open_decision()

    def action_hotwash(self) -> None:
        from tui.screens.hotwash import HotwashScreen

        self._pause()
        self._checkpoint()
        self.app.push_screen(HotwashScreen(self.session, self.clock))

    def action_save_as(self) -> None:
        from tui.screens.save_as import SaveAsScreen

        self._pause()
        self.app.push_screen(SaveAsScreen(self.session.path), self._save_to)

    def _save_to(self, path: object) -> None:
        if not isinstance(path, Path):
            return
        self._checkpoint()
        try:
            self.session.save_as(path)
        except (OSError, JournalError) as error:
            self.notify(f"Could not save: {error}", severity="error", markup=False)
            return
        self.notify(f"Session saved as {path}", markup=False)

    def action_cycle_channel(self) -> None:
        self.query_one(InjectFeed).cycle("channel")

    def action_cycle_audience(self) -> None:
        self.query_one(InjectFeed).cycle("audience")

    @on(InjectFeed.Highlighted)
    def _show_inject(self, event: InjectFeed.Highlighted) -> None:
        self.query_one(InjectDetail).show(event.delivered)


def _opens_decision(events: Sequence[Event]) -> bool:
    return any(e.kind is EventKind.DECISION_OPEN for e in events)
