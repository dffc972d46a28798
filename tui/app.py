"""The facilitator console: the Textual app and the factory shared by `ttx play` and the tests."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from simulator.engine.describe import count
from simulator.scenario.durations import exercise_time
from tui.exercise import LiveSession, local_now, sessions_dir
from tui.screens.dashboard import DashboardScreen
from tui.screens.decision import DecisionScreen
from tui.screens.help import HelpScreen
from tui.screens.hotwash import HotwashScreen
from tui.screens.note import NoteContext, NoteDraft, NoteScreen
from tui.screens.picker import Pick, PickerScreen

Clock = Callable[[], dt.datetime]
SHIPPED = Path(__file__).resolve().parent.parent / "scenarios"
"""Scenarios shipped with the source tree (present in a checkout or an editable install)."""


@dataclass(frozen=True, slots=True)
class Launch:
    """What `ttx play` was asked to open."""

    scenario: Path | None = None
    seed: int | None = None
    resume: Path | None = None
    journal: Path | None = None
    allow_changed: bool = False


class OpenError(Exception):
    """A scenario or journal could not be opened; `lines` are the messages to show."""

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)


class SessionOpener:
    """Starts and resumes journaled sessions in a sessions directory."""

    def __init__(self, directory: Path, clock: Clock, shipped: Path = SHIPPED) -> None:
        self.directory = directory
        self.clock = clock
        self.shipped = shipped

    def _utc(self) -> dt.datetime:
        return self.clock().astimezone(dt.UTC)

    def start(self, scenario: Path, seed: int | None, journal: Path | None) -> LiveSession:
        from simulator.scenario.errors import ScenarioError
        from simulator.scenario.loader import load_scenario
        from simulator.session import JournalError, Session, new_session_path

        try:
            compiled = load_scenario(scenario)
        except ScenarioError as error:
            raise OpenError([str(issue) for issue in error.issues]) from error
        except OSError as error:
            raise OpenError([f"ttx: error: {scenario}: {error.strerror or error}"]) from error
        chosen_seed = seed if seed is not None else secrets.randbelow(2**31)
        try:
            if journal is None:
                journal = new_session_path(self.directory, compiled.scenario.meta.id, self.clock())
            journal.parent.mkdir(parents=True, exist_ok=True)
            return Session.create(journal, compiled, chosen_seed, clock=self._utc)
        except (JournalError, OSError) as error:
            raise OpenError([f"ttx: error: {error}"]) from error

    def resume(
        self, journal: Path, allow_changed: bool, scenario: Path | None = None
    ) -> LiveSession:
        from simulator.scenario.errors import ScenarioError
        from simulator.session import JournalError, ScenarioChanged, Session

        try:
            return Session.resume(
                journal, scenario_path=scenario, allow_changed=allow_changed, clock=self._utc
            )
        except ScenarioError as error:
            raise OpenError([str(issue) for issue in error.issues]) from error
        except ScenarioChanged as error:
            raise OpenError(
                [f"ttx: error: {error}; resume with --allow-changed to replay it anyway"]
            ) from error
        except (JournalError, OSError) as error:
            raise OpenError([f"ttx: error: {error}"]) from error

    def picks(self, given: Path | None, journal: Path | None = None) -> list[Pick]:
        """Shipped scenarios and `given`, then recent sessions and `journal` (a session that
        failed to resume is listed even when it lies outside the sessions directory)."""
        from simulator.session import list_recent_sessions

        shipped = self.shipped
        scenarios = sorted(shipped.glob("*.yaml")) if shipped.is_dir() else []
        if given is not None and given.resolve() not in [s.resolve() for s in scenarios]:
            scenarios.insert(0, given)
        picks = [Pick("scenario", path, path.stem) for path in scenarios]
        zone = self.clock().tzinfo
        for info in list_recent_sessions(self.directory):
            detail = (
                f"{info.title}\nlast saved {info.modified.astimezone(zone):%Y-%m-%d %H:%M} at "
                f"{exercise_time(info.time)} · {count(info.decisions, 'decision')} · "
                f"{count(info.notes, 'note')}"
            )
            if info.problem:
                detail += f"\n{info.problem}"
            picks.append(Pick("session", info.path, info.path.stem, detail))
        if journal is not None and not any(_same(p.path, journal) for p in picks):
            picks.insert(len(scenarios), Pick("session", journal, journal.stem))
        return picks


class TTXApp(App[None]):
    """Opens the dashboard on the session `launch` names, or the picker when it names none or
    cannot be opened."""

    CSS_PATH = "ttx.tcss"
    TITLE = "cbrn-ttx"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [
        Binding("n", "note", "Note", tooltip="Write an observation, stamped and linked"),
        Binding("question_mark,f1", "help", "Keys", key_display="?", tooltip="Show every key"),
        Binding("q", "quit", "Quit", tooltip="Quit; the session is already saved"),
    ]

    def __init__(
        self,
        launch: Launch,
        *,
        opener: SessionOpener,
        clock: Clock = local_now,
    ) -> None:
        super().__init__()
        self.launch = launch
        self.opener = opener
        self.session: LiveSession | None = None
        self.clock = clock

    def wall(self) -> str:
        return self.clock().strftime("%H:%M:%S")

    def resume_launch(self) -> None:
        """Resume the journal named by `launch.resume`, if any; raises `OpenError` when it cannot
        be resumed (`ttx play` calls this before the app starts, to fail in one line)."""
        launch = self.launch
        if launch.resume is not None and self.session is None:
            self.session = self.opener.resume(launch.resume, launch.allow_changed, launch.scenario)

    def on_mount(self) -> None:
        launch = self.launch
        try:
            self.resume_launch()
            if self.session is not None:
                self._play(self.session)
                return
            if launch.scenario is not None:
                self._play(self.opener.start(launch.scenario, launch.seed, launch.journal))
                return
        except OpenError as error:
            failed = launch.resume or launch.scenario
            picks = self.opener.picks(launch.scenario, launch.resume)
            self.push_screen(PickerScreen(picks, error.lines, failed))
            return
        self.push_screen(PickerScreen(self.opener.picks(None)))

    def _play(self, session: LiveSession) -> None:
        self.session = session
        self.sub_title = session.compiled.scenario.meta.title
        self.push_screen(DashboardScreen(session, self.clock))

    def on_picker_screen_picked(self, message: PickerScreen.Picked) -> None:
        pick = message.pick
        launch = self.launch
        try:
            if pick.kind == "scenario":
                session = self.opener.start(pick.path, launch.seed, None)
            else:
                session = self.opener.resume(pick.path, launch.allow_changed)
        except OpenError as error:
            if isinstance(self.screen, PickerScreen):
                self.screen.show_errors(error.lines)
            return
        self.pop_screen()
        self._play(session)

    @property
    def dashboard(self) -> DashboardScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, DashboardScreen)), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Note only where there is an exercise to observe (not in the picker)."""
        if action == "note":
            return self.dashboard is not None
        return True

    def action_note(self) -> None:
        dashboard = self.dashboard
        if dashboard is None or isinstance(self.screen, NoteScreen):
            self.bell()
            return
        was_running = dashboard.running
        dashboard.action_pause()
        current = dashboard.current_inject
        context = NoteContext(
            hours=dashboard.cursor,
            wall=self.wall(),
            inject=current.inject if current else None,
            objectives=tuple(dashboard.scenario.meta.objectives),
        )

        def save(draft: NoteDraft | None) -> None:
            if draft is not None:
                dashboard.session.note(draft.text, objective=draft.objective, inject=draft.inject)
                self.notify("Observation recorded")
                for screen in self.screen_stack:
                    if isinstance(screen, HotwashScreen):
                        screen.show_observations()
            if was_running:
                dashboard.action_toggle_run()

        self.push_screen(NoteScreen(context), save)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        groups = [
            ("Anywhere", self.BINDINGS),
            ("Dashboard", DashboardScreen.BINDINGS),
            ("Decision dialog", DecisionScreen.BINDINGS),
            ("Hot wash", HotwashScreen.BINDINGS),
        ]
        self.push_screen(HelpScreen(groups))

    async def action_quit(self) -> None:
        if self.session is not None:
            self.session.checkpoint()
        self.exit()

    def close_session(self) -> None:
        """Close the journal once the app has stopped (SQLite folds its write-ahead log in)."""
        if self.session is not None:
            self.session.close()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every action by name: the app's, the dashboard's and those of the screen in front."""
        # Textual's own Quit and Keys are replaced by the console's, which say what they do here.
        for command in super().get_system_commands(screen):
            if command.title not in ("Quit", "Keys"):
                yield command
        yield SystemCommand("Quit", "Quit; the session is already saved", self.action_quit)
        yield SystemCommand("Keys", "Show every key binding", self.action_help)
        dashboard = self.dashboard
        if dashboard is not None:
            yield SystemCommand("Note", "Write an observation", self.action_note)
            yield from _commands(self, dashboard, DashboardScreen.BINDINGS)
        if isinstance(screen, DecisionScreen):
            # Its options come from `decision.OptionCommands`: they are the scenario's words.
            yield from _commands(self, screen, screen.BINDINGS, skip=("choose(", "app."))
        elif isinstance(screen, HotwashScreen):
            yield from _commands(self, screen, screen.BINDINGS)


def _commands(
    app: App[None],
    target: Screen[Any],
    bindings: Iterable[BindingType],
    skip: tuple[str, ...] = (),
) -> Iterator[SystemCommand]:
    for binding in bindings:
        if isinstance(binding, Binding) and not binding.action.startswith(skip):
            run = partial(app.call_later, target.run_action, binding.action)
            yield SystemCommand(binding.description, binding.tooltip or "", run)


def _same(path: Path, other: Path) -> bool:
    return path.resolve() == other.resolve()


def make_app(
    launch: Launch | None = None,
    *,
    clock: Clock = local_now,
    directory: Path | None = None,
    shipped: Path = SHIPPED,
) -> TTXApp:
    """The console as `ttx play` runs it; tests pass a fixed clock and their own directories."""
    opener = SessionOpener(directory or sessions_dir(), clock, shipped)
    return TTXApp(launch or Launch(), opener=opener, clock=clock)
