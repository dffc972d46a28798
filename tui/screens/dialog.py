"""What the dialogs share: the bordered frame with its title and keys, and a typed answer."""

from __future__ import annotations

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


def typed(screen: Widget, event: Input.Submitted) -> str | None:
    """The text submitted in a dialog's field, stripped; None (and the bell) when empty."""
    event.stop()
    text = event.value.strip()
    if not text:
        screen.app.bell()
        return None
    return text
