"""What the dialogs share: the bordered frame with its title and keys, and a typed answer."""

from __future__ import annotations

import unicodedata

from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input


def dialog(dialog_id: str, title: str, keys: str, *, scroll: bool = False) -> Widget:
    """The frame a dialog composes into (`with dialog(...):`): its title on the top border, the
    keys that work in it on the bottom one. Borders read strings as markup, and a title can
    carry the scenario's words, so both are set as plain content."""
    frame = (VerticalScroll if scroll else Vertical)(id=dialog_id, classes="dialog")
    frame.border_title = Content(title)
    frame.border_subtitle = Content(keys)
    return frame


def answer(value: str) -> str:
    """What a field holds, stripped and without control characters: a paste can carry an
    escape sequence, and the console would write it to the terminal each time it shows the
    note."""
    return "".join(c for c in value if unicodedata.category(c) != "Cc").strip()


def typed(screen: Widget, event: Input.Submitted) -> str | None:
    """The text submitted in a dialog's field (see `answer`); None (and the bell) when empty."""
    event.stop()
    text = answer(event.value)
    if not text:
        screen.app.bell()
        return None
    return text
