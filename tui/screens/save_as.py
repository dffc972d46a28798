"""Save as: copy the session journal to a path the facilitator types."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.screens.dialog import dialog, typed


class SaveAsScreen(ModalScreen[Path | None]):
    """Enter saves to the typed path, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: Path) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with dialog("save-dialog", "Save session as", "enter save · esc cancel"):
            yield Static(Content(f"The session is already safe in {self.current}"), classes="dim")
            yield Input(
                value=str(self.current.with_name(f"{self.current.stem}-copy{self.current.suffix}")),
                id="save-path",
            )

    @on(Input.Submitted, "#save-path")
    def _save(self, event: Input.Submitted) -> None:
        text = typed(self, event)
        if text is not None:
            self.dismiss(Path(text).expanduser())

    def action_cancel(self) -> None:
        self.dismiss(None)
