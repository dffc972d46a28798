"""The two top lines of every play screen: the exercise banner, then title, clocks and run state."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static

from simulator.engine.describe import relative_time


class Banner(Static):
    """The exercise label (`EXERCISE EXERCISE EXERCISE`), always visible."""

    DEFAULT_CLASSES = "banner"


@dataclass(frozen=True, slots=True)
class RunStatus:
    """What the status line says."""

    title: str
    hours: float
    story_time: str
    state: str
    """`PAUSED`, `RUNNING`, `DECISION` or `ENDED`."""
    speed: str
    wall: str
    seed: str = ""


_STATE_STYLES = {
    "PAUSED": "bold black on #e3c414",
    "RUNNING": "bold black on #3fb950",
    "DECISION": "bold white on #a371f7",
    "ENDED": "bold white on #8b949e",
}


class StatusLine(Static):
    """Run state, speed, exercise clock (relative and story time), seed, wall clock, title."""

    DEFAULT_CLASSES = "status-line"

    def show(self, status: RunStatus) -> None:
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f" {status.state} ", style=_STATE_STYLES.get(status.state, "reverse"))
        line.append(f" {status.speed}", style="bold")
        line.append(" │ ", style="dim")
        line.append(relative_time(status.hours), style="bold")
        line.append(f" {status.story_time}", style="dim")
        # The title goes last: it is the part the facilitator can best do without on 80 columns.
        if status.seed:
            line.append(f" │ seed {status.seed}", style="dim")
        line.append(f" │ wall {status.wall}", style="dim")
        line.append(" │ ", style="dim")
        line.append(status.title, style="italic")
        self.update(line, layout=False)
