"""Save as: copy the session journal to a path the facilitator types."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class SaveAsScreen(ModalScreen[Path | None]):
    """Enter saves to the typed path, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: Path) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="save-dialog", classes="dialog") as dialog:
            dialog.border_title = "Save session as"
            dialog.border_subtitle = "enter save · esc cancel"
            yield Static(f"The session is already safe in {self.current}", classes="dim")
            yield Input(
                value=str(self.current.with_name(f"{self.current.stem}-copy{self.current.suffix}")),
                id="save-path",
            )

    @on(Input.Submitted, "#save-path")
    def _save(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.app.bell()
            return
        self.dismiss(Path(text).expanduser())

    def action_cancel(self) -> None:
        self.dismiss(None)
