"""The scenario picker: shipped scenarios, a path given on the command line, recent sessions.

A scenario that fails validation, or a journal that cannot be resumed, shows its error lines
here (`path:line:col: error: message`) rather than ending the program.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from simulator.scenario.durations import calendar_time, format_duration
from simulator.scenario.palette import SHADES
from tui.widgets.header import Banner


@dataclass(frozen=True, slots=True)
class Pick:
    """A scenario to start or a journal to resume."""

    kind: Literal["scenario", "session"]
    path: Path
    label: str
    detail: str = ""


class PickerScreen(Screen[None]):
    """Enter (or a click) opens the highlighted entry."""

    class Picked(Message):
        """The facilitator chose an entry; the app opens it and reports any errors back."""

        def __init__(self, pick: Pick) -> None:
            super().__init__()
            self.pick = pick
            """The chosen scenario or session."""

    def __init__(
        self, picks: Sequence[Pick], errors: Sequence[str] = (), failed: Path | None = None
    ) -> None:
        super().__init__()
        self.picks = list(picks)
        self.problems: dict[int, list[str]] = {}
        """Error lines of the entries that failed to open, by index in `picks`."""
        self.about: dict[int, Text] = {}
        """What each scenario is about, read in the background when first highlighted."""
        if errors:
            where = [n for n, p in enumerate(self.picks) if _same(p.path, failed)]
            self.problems[where[0] if where else 0] = list(errors)

    def compose(self) -> ComposeResult:
        yield Banner("EXERCISE EXERCISE EXERCISE")
        yield Static(
            Text.assemble(
                ("cbrn-ttx", "bold"), "  choose a scenario to start or a session to resume"
            ),
            classes="status-line",
        )
        with Horizontal(id="picker-body"):
            entries = OptionList(*self._options(), id="picker-list", classes="panel")
            entries.border_title = "Open"
            yield entries
            about = Static(id="picker-about", classes="panel")
            about.border_title = "Details"
            yield about
        yield Footer()

    def on_mount(self) -> None:
        entries = self.query_one("#picker-list", OptionList)
        first = min(self.problems, default=0)
        for index, option in enumerate(entries.options):
            if option.id == str(first):
                entries.highlighted = index
        self._describe(first)

    def _options(self) -> list[Option | None]:
        options: list[Option | None] = []
        last = ""
        for n, pick in enumerate(self.picks):
            heading = "Scenarios" if pick.kind == "scenario" else "Recent sessions"
            if heading != last:
                options.append(Option(Text(heading, style=f"bold {SHADES['cyan']}"), disabled=True))
                last = heading
            label = Text(f"  {pick.label}", no_wrap=True, overflow="ellipsis")
            options.append(Option(label, id=str(n)))
        if not self.picks:
            options.append(Option(Text("No scenario found", style="dim"), disabled=True))
        return options

    def _describe(self, index: int) -> None:
        if not self.picks:
            self.query_one("#picker-about", Static).update(
                Text("Run `ttx play path/to/scenario.yaml` to start one.")
            )
            return
        pick = self.picks[min(index, len(self.picks) - 1)]
        text = Text()
        text.append(pick.label + "\n", style="bold")
        text.append(str(pick.path) + "\n", style="dim")
        # Errors come before the description, so they are in view on the smallest terminal.
        problems = self.problems.get(index, [])
        if problems:
            text.append("Cannot open this entry\n", style=f"bold {SHADES['red']}")
            for line in problems:
                text.append(line + "\n", style=SHADES["red"])
            text.append("\n")
        if pick.detail:
            text.append(pick.detail + "\n")
        known = self.about.get(index)
        if known is not None:
            text.append(known)
        elif pick.kind == "scenario":
            self._read_scenario(index, pick.path)
        text.rstrip()
        about = self.query_one("#picker-about", Static)
        about.update(text)
        about.set_class(bool(problems), "error")

    @work(thread=True, exclusive=True, group="about")
    def _read_scenario(self, index: int, path: Path) -> None:
        about, problems = describe_scenario(path)
        self.app.call_from_thread(self._learned, index, about, problems)

    def _learned(self, index: int, about: Text, problems: list[str]) -> None:
        self.about[index] = about
        if problems:
            self.problems.setdefault(index, problems)
        option = self.query_one("#picker-list", OptionList).highlighted_option
        if option is not None and option.id == str(index):
            self._describe(index)

    def show_errors(self, lines: Sequence[str]) -> None:
        """Show why the highlighted entry could not be opened."""
        option = self.query_one("#picker-list", OptionList).highlighted_option
        if option is not None and option.id is not None:
            self.problems[int(option.id)] = list(lines)
            self._describe(int(option.id))

    @on(OptionList.OptionHighlighted, "#picker-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self._describe(int(event.option.id))

    @on(OptionList.OptionSelected, "#picker-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Picked(self.picks[int(event.option.id)]))


def describe_scenario(path: Path) -> tuple[Text, list[str]]:
    """Title, length, description and objectives of a scenario file, or its error lines."""
    from simulator.scenario.errors import ScenarioError
    from simulator.scenario.loader import load_scenario

    try:
        scenario = load_scenario(path).scenario
    except ScenarioError as error:
        return Text(), [str(issue) for issue in error.issues]
    except OSError as error:
        return Text(), [f"ttx: error: {path}: {error.strerror or error}"]
    text = Text()
    text.append(f"\n{scenario.meta.title}\n", style=f"bold {SHADES['cyan']}")
    text.append(
        f"{format_duration(scenario.clock.duration)} from "
        f"{calendar_time(scenario.clock.start, 0.0)} · "
        f"{len(scenario.injects)} injects · {len(scenario.decisions)} decision points · "
        f"{len(scenario.units)} units\n",
        style="dim",
    )
    if scenario.meta.description:
        text.append(f"\n{scenario.meta.description.strip()}\n")
    if scenario.meta.objectives:
        text.append("\nObjectives\n", style="bold")
        for objective in scenario.meta.objectives:
            text.append(f" • {objective.text.strip()}\n")
    return text, []


def _same(path: Path, other: Path | None) -> bool:
    return other is not None and path.resolve() == other.resolve()
