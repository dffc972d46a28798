"""The one palette: what each scenario colour name looks like in the console, reports and charts.

Scenario files name alert-level colours in plain words (or `#rrggbb`). The shades are mid-tones
chosen to read both on a dark terminal and on white paper, so a level has the same colour on
the projector, in the after-action report and in a batch chart.
"""

from __future__ import annotations

from typing import Final

SHADES: Final = {
    "green": "#2e9d48",
    "blue": "#3d7fe0",
    "yellow": "#d4a017",
    "orange": "#e8710a",
    "red": "#d93025",
    "purple": "#8e44c9",
    "magenta": "#c2347e",
    "cyan": "#1a9aa6",
    "white": "#c8cdd2",
    "grey": "#8b949e",
}
"""Every colour name a scenario may use (`models.Colour`), as `#rrggbb`."""

CHEMICAL_USE: Final = "#b00020"
"""Marks hypothetical chemical use in charts and reports."""

WARNING: Final = CHEMICAL_USE
"""The EXERCISE banner on charts and their notes of what was not drawn: the one red a reader
already takes as a warning."""

SERIES: Final = (
    "#1f4e79",
    "#c55a11",
    "#548235",
    "#7030a0",
    "#bf9000",
    "#2f5597",
    "#843c0c",
    "#00707a",
)
"""Lines that are not alert levels (units, courses of action), in order; after the last colour,
charts repeat them with another line style."""


def shade(colour: str) -> str:
    """A scenario colour (a name or `#rrggbb`) as `#rrggbb`."""
    return SHADES.get(colour, colour)


def ink_on(background: str) -> str:
    """Black or white text, whichever reads better on `background` (#rrggbb)."""
    if not (background.startswith("#") and len(background) == 7):
        return "#000000"
    r, g, b = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"


def readiness_shade(value: float) -> str:
    """Red below half, orange below three quarters, green from there."""
    if value < 0.5:
        return SHADES["red"]
    if value < 0.75:
        return SHADES["orange"]
    return SHADES["green"]
