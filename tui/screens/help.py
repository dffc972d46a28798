"""Every key binding, read from the screens themselves so the list cannot drift."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Static

from simulator.scenario.palette import SHADES
from tui.screens.dialog import dialog

_KEY_NAMES = {
    "question_mark": "?",
    "escape": "esc",
    "equals_sign": "=",
    "plus": "+",
    "minus": "-",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
}


def key_label(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    return " ".join(_KEY_NAMES.get(k, k) for k in binding.key.split(","))


def bindings_table(groups: Sequence[tuple[str, Sequence[BindingType]]]) -> Text:
    text = Text()
    for n, (title, bindings) in enumerate(groups):
        if n:
            text.append("\n")
        text.append(f"{title}\n", style=f"bold {SHADES['cyan']}")
        seen: set[tuple[str, str]] = set()
        for binding in bindings:
            if not isinstance(binding, Binding):
                continue
            line = (key_label(binding), binding.tooltip or binding.description)
            if line in seen:
                continue
            seen.add(line)
            text.append(f"  {line[0]:<10}", style="bold")
            text.append(f"{line[1]}\n")
    text.rstrip()
    return text


class HelpScreen(ModalScreen[None]):
    """Any key listed here works from the screen named above it."""

    BINDINGS = [Binding("escape,question_mark,f1,q", "close", "Close")]

    def __init__(self, groups: Sequence[tuple[str, Sequence[BindingType]]]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with dialog("help-dialog", "Keys", "esc close · ctrl+p command palette", scroll=True):
            yield Static(bindings_table(self.groups), id="help-keys")

    def action_close(self) -> None:
        self.dismiss(None)
