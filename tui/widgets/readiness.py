"""Units: a readiness bar with the target marked, the percentage and the posture."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from simulator.scenario.models import Unit
from simulator.scenario.palette import SHADES, readiness_shade
from tui.widgets.glyphs import bar

_POSTURE_STYLES = {
    "garrison": "dim",
    "alert": SHADES["yellow"],
    "deployed": SHADES["green"],
    "reinforced": f"bold {SHADES['green']}",
    "withdrawn": SHADES["red"],
}


_SHORT = (
    ("Battlegroup", "BG"),
    ("Brigade", "Bde"),
    ("Division", "Div"),
    ("Battalion", "Bn"),
    ("battalion", "bn"),
    ("Company", "Coy"),
    ("defence", "def"),
    ("Multinational", "MN"),
    ("task force", "TF"),
)
"""Military abbreviations used when a unit's full name does not fit."""


def fit(name: str, width: int) -> str:
    """The name, abbreviated the way staff officers write it if needed, then cut with `…`."""
    for long, short in _SHORT:
        if len(name) <= width:
            break
        name = name.replace(long, short)
    if len(name) > width:
        name = name[: max(0, width - 1)] + "…"
    return name.ljust(width)


@dataclass(frozen=True, slots=True)
class UnitRow:
    """One unit's line."""

    name: str
    readiness: float
    target: float
    posture: str


class ReadinessBars(Widget):
    """One line per unit; the bar widens with the terminal."""

    DEFAULT_CLASSES = "panel"

    def __init__(self, units: Sequence[Unit], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._units = list(units)
        self._rows: list[UnitRow] = []
        self.border_title = "Readiness"

    def show(
        self,
        readiness: Mapping[str, float],
        targets: Mapping[str, float],
        posture: Mapping[str, str],
    ) -> None:
        before = len(self._rows)
        self._rows = [
            UnitRow(
                unit.name,
                readiness.get(unit.id, 0.0),
                targets.get(unit.id, readiness.get(unit.id, 0.0)),
                posture.get(unit.id, unit.posture),
            )
            for unit in self._units
        ]
        self.refresh(layout=len(self._rows) != before)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self._rows))

    def render(self) -> Text:
        width = self.content_size.width
        longest = min(max((len(r.name) for r in self._rows), default=4), 24)
        # The posture column only appears when the names and an 8-cell bar still fit beside it.
        posture_width = 10 if width >= longest + 13 + 8 + 10 else 0
        name_width = max(4, min(longest, width - 13 - posture_width - 8))
        bar_width = max(4, width - name_width - 13 - posture_width)
        text = Text(no_wrap=True, overflow="ellipsis")
        for n, row in enumerate(self._rows):
            if n:
                text.append("\n")
            text.append(fit(row.name, name_width) + " ")
            cells = bar(row.readiness, bar_width)
            marker = min(bar_width - 1, round(row.target * bar_width))
            hue = readiness_shade(row.readiness)
            moving = abs(row.target - row.readiness) > 0.005
            for i, cell in enumerate(cells):
                if moving and i == marker and cell == " ":
                    text.append("│", style="bold white on #30363d")
                else:
                    text.append(cell, style=f"{hue} on #30363d")
            text.append(f" {row.readiness:4.0%}", style=f"bold {hue}")
            arrow = " "
            if row.target > row.readiness + 0.005:
                arrow = "↑"
            elif row.target < row.readiness - 0.005:
                arrow = "↓"
            text.append(f" {arrow}{row.target:4.0%}", style="dim")
            if posture_width:
                style = _POSTURE_STYLES.get(row.posture, "")
                text.append(f" {row.posture[: posture_width - 1]}", style=style)
        return text
