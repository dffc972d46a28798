"""The decision dialog: the question put to the room, its options, a note and the deadline."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from simulator.engine.describe import Describer
from simulator.scenario.durations import format_duration
from simulator.scenario.models import Decision
from simulator.scenario.palette import SHADES
from tui.screens.dialog import answer, dialog


@dataclass(frozen=True, slots=True)
class DecisionRequest:
    """A decision waiting for the room, as the dialog shows it."""

    describer: Describer
    """The scenario's words and times."""
    decision: Decision
    opened: float
    deadline: float | None
    now: float
    waiting: int = 1
    """How many decisions wait for the room, this one included (it is the oldest)."""


@dataclass(frozen=True, slots=True)
class DecisionChoice:
    """What the room chose, with the facilitator's note."""

    decision_id: str
    option_id: str
    note: str = ""


class OptionCommands(Provider):
    """The dialog's options in the command palette. The palette reads plain strings as markup,
    so each option is offered as `Text`, shown exactly as the scenario spells it."""

    def _choices(self) -> Iterator[tuple[str, Text, partial[None]]]:
        screen = self.screen
        if not isinstance(screen, DecisionScreen):
            return
        for n, option in enumerate(screen.request.decision.options, start=1):
            title = f"Choose {n}: {option.label}"
            shown = Text(title)
            if option.description:
                shown.append("\n" + option.description.strip(), style="dim")
            yield title, shown, partial(screen.action_choose, n)

    async def discover(self) -> Hits:
        for title, shown, choose in self._choices():
            yield DiscoveryHit(shown, choose, text=title)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, shown, choose in self._choices():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, shown, choose, text=title)


class DecisionScreen(ModalScreen[DecisionChoice | None]):
    """Number keys choose; `e` reveals the highlighted option's modelled effects."""

    AUTO_FOCUS = "#decision-options"
    COMMANDS = {OptionCommands}

    BINDINGS = [
        *(
            Binding(
                str(n),
                f"choose({n})",
                "Choose",
                key_display="1-9",
                show=False,
                tooltip="Choose that option (with the note, if any)",
            )
            for n in range(1, 10)
        ),
        Binding(
            "e", "reveal", "Effects", tooltip="Reveal or hide the highlighted option's effects"
        ),
        Binding(
            "E",
            "reveal_all",
            "All effects",
            show=False,
            tooltip="Reveal or hide the effects of every option",
        ),
        Binding("tab", "app.focus_next", "Note", show=False, tooltip="Move to the note field"),
        Binding("escape", "later", "Later", tooltip="Close; press d on the dashboard to return"),
        # A modal screen hides the app's bindings, so the two that work everywhere are repeated.
        Binding("n", "app.note", "Note", tooltip="Write an observation"),
        Binding("question_mark", "app.help", "Keys", key_display="?", tooltip="Show every key"),
    ]

    def __init__(self, request: DecisionRequest) -> None:
        super().__init__()
        self.request = request
        self.revealed: set[str] = set()

    def compose(self) -> ComposeResult:
        request = self.request
        decision = request.decision
        title = f"Decision · opened {request.describer.when(request.opened)}"
        if request.waiting > 1:
            title += f" · 1 of {request.waiting} waiting"
        with dialog("decision-dialog", title, "1-9 choose · e effects · tab note · esc later"):
            yield Static(Text(decision.title, style="bold"), id="decision-title")
            yield Static(Text(decision.prompt.strip()), id="decision-prompt")
            yield Static(self._timing(), id="decision-timing")
            yield OptionList(*self._options(), id="decision-options")
            yield Input(placeholder="Note for the record (optional)", id="decision-note")

    def _timing(self) -> Text:
        request = self.request
        describer = request.describer
        text = Text(no_wrap=False)
        if request.deadline is None:
            text.append("No deadline", style="dim")
        else:
            left = format_duration(max(0.0, request.deadline - request.now))
            text.append("Deadline ", style="dim")
            text.append(describer.when(request.deadline), style=f"bold {SHADES['orange']}")
            text.append(f" ({describer.calendar(request.deadline)}, {left} left)")
        default = describer.option(request.decision.id, request.decision.default)
        text.append(f" · default: {default}", style="dim")
        return text

    def _options(self) -> list[Option]:
        decision = self.request.decision
        options = []
        for n, option in enumerate(decision.options, start=1):
            heading = Text()
            heading.append(f" {n} ", style="bold reverse")
            heading.append(f" {option.label}", style="bold")
            if option.id == decision.default:
                heading.append("  (default)", style="dim")
            # Descriptions and effects wrap under themselves, clear of the option numbers.
            details = Text()
            if option.description:
                details.append(option.description.strip() + "\n")
            if option.id in self.revealed:
                for line in self.request.describer.option_effects(decision, option.id):
                    details.append(f"▸ {line}\n", style=SHADES["cyan"])
            details.rstrip()
            prompt = Group(heading, Padding(details, (0, 0, 0, 4))) if details else heading
            options.append(Option(prompt, id=option.id))
        return options

    def _redraw_options(self) -> None:
        options = self.query_one("#decision-options", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(self._options())
        options.highlighted = highlighted

    def _finish(self, option_id: str) -> None:
        note = answer(self.query_one("#decision-note", Input).value)
        self.dismiss(DecisionChoice(self.request.decision.id, option_id, note))

    def action_choose(self, number: int) -> None:
        options = self.request.decision.options
        if 1 <= number <= len(options):
            self._finish(options[number - 1].id)
        else:
            self.app.bell()

    def action_reveal(self) -> None:
        index = self.query_one("#decision-options", OptionList).highlighted
        if index is None:
            return
        option_id = self.request.decision.options[index].id
        self.revealed ^= {option_id}
        self._redraw_options()

    def action_reveal_all(self) -> None:
        every = {o.id for o in self.request.decision.options}
        self.revealed = set() if self.revealed == every else every
        self._redraw_options()

    def action_later(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected, "#decision-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._finish(event.option.id or "")

    @on(Input.Submitted, "#decision-note")
    def _note_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#decision-options", OptionList).focus()
