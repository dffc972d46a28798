"""Text-cell drawings shared by the panels: bars, sparklines and the scenario's colours."""

from __future__ import annotations

from collections.abc import Sequence

# Scenario files name colours in plain words; Rich's palette spells some differently.
COLOURS = {
    "green": "#3fb950",
    "blue": "#4c8df6",
    "yellow": "#e3c414",
    "orange": "#f0883e",
    "red": "#f85149",
    "purple": "#a371f7",
    "magenta": "#db61a2",
    "cyan": "#39c5cf",
    "white": "#e6edf3",
    "grey": "#8b949e",
}

_EIGHTHS = " ▏▎▍▌▋▊▉"
_SPARKS = "▁▂▃▄▅▆▇█"


def colour(name: str) -> str:
    """A scenario colour (name or `#rrggbb`) as a hex colour."""
    return COLOURS.get(name, name)


def bar(fraction: float, width: int) -> str:
    """A horizontal bar `width` cells wide, filled to `fraction` with eighth-cell precision."""
    if width <= 0:
        return ""
    eighths = round(min(max(fraction, 0.0), 1.0) * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (_EIGHTHS[part] if part else "")
    return text.ljust(width)


def sparkline(values: Sequence[float], low: float, high: float) -> str:
    """One character per value, scaled between `low` and `high`."""
    scale = high - low
    if scale <= 0:
        return _SPARKS[0] * len(values)
    top = len(_SPARKS) - 1
    return "".join(_SPARKS[min(top, max(0, round((v - low) / scale * top)))] for v in values)


def readiness_colour(value: float) -> str:
    """Red below half, amber below three quarters, green above."""
    if value < 0.5:
        return COLOURS["red"]
    if value < 0.75:
        return COLOURS["orange"]
    return COLOURS["green"]
