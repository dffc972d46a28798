"""Each scope's rung on the alert ladder, in the level's own colour."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from simulator.scenario.models import AlertLevel
from simulator.scenario.palette import shade


class AlertLadder(Widget):
    """One line per scope: its name, the rungs climbed so far and the current level's label; when
    `compact`, one group per level instead: the rungs, then every scope at that level."""

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
        """Scopes listed before the others (the alliances), in this order."""
        self._current: dict[str, str] = {}
        self.compact = False
        """Set by the screen when one line per scope would push other panels out of view."""
        self.border_title = "Alert levels"

    def show(self, current: Mapping[str, str]) -> None:
        # Relayout only when something moved: repaints stay cheap at full speed.
        if dict(current) != self._current:
            self._current = dict(current)
            self.redraw()

    def redraw(self) -> None:
        """Lay out again, after a change of level or of the terminal's size."""
        legend = None
        if self.compact:
            legend = Text(" ").join(
                Text(self._levels[r].label, style=f"bold {shade(self._levels[r].colour)}")
                for r in self._rungs_shown()
            )
        self.border_subtitle = legend
        self.refresh(layout=True)

    def _rungs_shown(self) -> list[int]:
        return sorted({self._rung(s) for s in self._current}, reverse=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self._lines(width)))

    def render(self) -> Text:
        return Text("\n").join(self._lines(self.content_size.width))

    def _order(self) -> list[str]:
        return sorted(
            self._current,
            key=lambda s: (
                self._first.index(s) if s in self._first else len(self._first),
                self._names.get(s, s),
            ),
        )

    def _rung(self, scope: str) -> int:
        rung_of = {level.id: i for i, level in enumerate(self._levels)}
        return rung_of.get(self._current[scope], 0)

    def _rungs(self, rung: int) -> Text:
        text = Text()
        for i, step in enumerate(self._levels):
            text.append(
                "■" if i <= rung else "□", style=shade(step.colour) if i <= rung else "#444c56"
            )
        return text

    def _lines(self, width: int) -> list[Text]:
        order = self._order()
        if self.compact and width > len(self._levels) + 8:
            return self._grouped(order, width)
        name_width = min(max((len(self._names.get(s, s)) for s in order), default=0), 18)
        lines = []
        for scope in order:
            level = self._levels[self._rung(scope)]
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append(_cut(self._names.get(scope, scope), name_width).ljust(name_width) + " ")
            line.append(self._rungs(self._rung(scope)))
            line.append(" ")
            line.append(f" {level.label} ", style=f"bold black on {shade(level.colour)}")
            lines.append(line)
        return lines

    def _grouped(self, order: list[str], width: int) -> list[Text]:
        """Highest level first; names wrap under the names, never under the rungs. The labels of
        the levels shown go in the bottom border, where they take no row."""
        indent = len(self._levels) + 1
        lines: list[Text] = []
        for rung in self._rungs_shown():
            line = self._rungs(rung)
            line.append(" ")
            words = [
                Text(self._names.get(s, s), style="bold" if s in self._first else "")
                for s in order
                if self._rung(s) == rung
            ]
            used = indent
            for n, word in enumerate(words):
                if n and used + 1 + len(word) > width:
                    lines.append(line)
                    line = Text(" " * indent)
                    used = indent
                elif n:
                    line.append(" ")
                    used += 1
                line.append(word)
                used += len(word)
            lines.append(line)
        for line in lines:
            line.no_wrap = True
            line.overflow = "ellipsis"
        return lines


def _cut(name: str, width: int) -> str:
    return name if len(name) <= width else name[: max(0, width - 1)] + "…"
