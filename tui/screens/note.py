"""The observation note: typed from anywhere, stamped, linked to an inject and an objective."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

from simulator.scenario.durations import exercise_time
from simulator.scenario.models import Inject, Objective
from tui.screens.dialog import dialog, typed


@dataclass(frozen=True, slots=True)
class NoteContext:
    """Where the note is taken: the exercise time, the wall time and the inject on screen."""

    hours: float
    wall: str
    inject: Inject | None
    objectives: tuple[Objective, ...]


@dataclass(frozen=True, slots=True)
class NoteDraft:
    """A finished note, ready for the journal."""

    text: str
    objective: str | None
    inject: str | None


class NoteScreen(ModalScreen[NoteDraft | None]):
    """Enter saves, escape discards."""

    AUTO_FOCUS = "#note-text"

    BINDINGS = [Binding("escape", "discard", "Discard")]

    def __init__(self, context: NoteContext) -> None:
        super().__init__()
        self.context = context

    def compose(self) -> ComposeResult:
        context = self.context
        with dialog("note-dialog", "Observation", "enter save · esc discard"):
            stamp = Text()
            stamp.append(exercise_time(context.hours), style="bold")
            stamp.append(f" · wall {context.wall}", style="dim")
            if context.inject is not None:
                stamp.append(" · inject ", style="dim")
                stamp.append(context.inject.title, style="italic")
            yield Static(stamp, id="note-stamp")
            yield Select(
                [(Text(f"{o.id}: {o.text.strip()}"), o.id) for o in context.objectives],
                prompt="no objective",
                id="note-objective",
            )
            yield Input(placeholder="What did you observe?", id="note-text")

    @on(Input.Submitted, "#note-text")
    def _save(self, event: Input.Submitted) -> None:
        text = typed(self, event)
        if text is None:
            self.notify("Type the observation first; escape discards it", severity="warning")
            return
        objective = self.query_one("#note-objective", Select).value
        inject = self.context.inject
        self.dismiss(
            NoteDraft(
                text,
                objective if isinstance(objective, str) else None,
                inject.id if inject is not None else None,
            )
        )

    @on(Select.Changed, "#note-objective")
    def _objective_chosen(self) -> None:
        # Enter on the objective list chooses; the next Enter belongs to the note, not the list.
        self.query_one("#note-text", Input).focus()

    def action_discard(self) -> None:
        self.dismiss(None)
