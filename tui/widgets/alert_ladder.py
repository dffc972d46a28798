"""Each scope's rung on the alert ladder, in the level's own colour."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.widgets import Static

from simulator.scenario.models import AlertLevel
from tui.widgets.glyphs import colour


class AlertLadder(Static):
    """One line per scope: its name, the rungs climbed so far, and the current level's label."""

    DEFAULT_CLASSES = "panel"

    def __init__(
        self,
        levels: Sequence[AlertLevel],
        scope_names: Mapping[str, str],
        *,
        first: Sequence[str] = (),
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._levels = list(levels)
        self._names = dict(scope_names)
        self._first = list(first)
        self._lines = 0
        """Scopes listed before the others (the alliances), in this order."""
        self.border_title = "Alert levels"

    def show(self, current: Mapping[str, str]) -> None:
        rung_of = {level.id: i for i, level in enumerate(self._levels)}
        width = max((len(self._names.get(s, s)) for s in current), default=0)
        width = min(width, 18)
        text = Text(no_wrap=True, overflow="ellipsis")
        order = sorted(
            current,
            key=lambda s: (
                self._first.index(s) if s in self._first else len(self._first),
                self._names.get(s, s),
            ),
        )
        for n, scope in enumerate(order):
            if n:
                text.append("\n")
            rung = rung_of.get(current[scope], 0)
            level = self._levels[rung]
            text.append(self._names.get(scope, scope)[:width].ljust(width) + " ")
            for i, step in enumerate(self._levels):
                style = colour(step.colour) if i <= rung else "#444c56"
                text.append("■" if i <= rung else "□", style=style)
            text.append(" ")
            text.append(f" {level.label} ", style=f"bold black on {colour(level.colour)}")
        # Relayout only when the number of scopes changes: repaints stay cheap at full speed.
        self.update(text, layout=len(order) != self._lines)
        self._lines = len(order)
