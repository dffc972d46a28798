"""The two top lines of every play screen: the exercise banner, then title, clocks and run state."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.content import Content
from textual.widgets import Static

from simulator.scenario.palette import SHADES


class Banner(Static):
    """The exercise label (`EXERCISE EXERCISE EXERCISE`), always visible; the scenario's words
    are shown as written, never read as markup."""

    DEFAULT_CLASSES = "banner"

    def __init__(self, text: str) -> None:
        super().__init__(Content(text))


@dataclass(frozen=True, slots=True)
class RunStatus:
    """What the status line says."""

    title: str
    when: str
    """Exercise time, `D+0 00:21`."""
    calendar: str
    """The story's time at the same minute, `2031-04-07 08:21Z`."""
    state: str
    """`PAUSED`, `RUNNING`, `DECISION` or `ENDED`."""
    speed: str
    wall: str
    seed: str = ""


_STATE_STYLES = {
    "PAUSED": f"bold black on {SHADES['yellow']}",
    "RUNNING": f"bold black on {SHADES['green']}",
    "DECISION": f"bold white on {SHADES['purple']}",
    "ENDED": f"bold white on {SHADES['grey']}",
}


class StatusLine(Static):
    """Run state, speed, exercise clock (relative and story time), seed, wall clock, title."""

    DEFAULT_CLASSES = "status-line"

    def show(self, status: RunStatus) -> None:
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f" {status.state} ", style=_STATE_STYLES.get(status.state, "reverse"))
        line.append(f" {status.speed}", style="bold")
        line.append(" │ ", style="dim")
        line.append(status.when, style="bold")
        line.append(f" {status.calendar}", style="dim")
        # The title goes last: it is the part the facilitator can best do without on 80 columns.
        if status.seed:
            line.append(f" │ seed {status.seed}", style="dim")
        line.append(f" │ wall {status.wall}", style="dim")
        line.append(" │ ", style="dim")
        line.append(status.title, style="italic")
        self.update(line, layout=False)
