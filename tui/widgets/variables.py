"""State variables: label, current value and a sparkline of its course since hour zero."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from simulator.engine.describe import variable_value
from simulator.engine.events import Event, VariableChanged
from simulator.scenario.models import Variable
from simulator.scenario.palette import SHADES
from tui.widgets.glyphs import sparkline


class VariableHistory:
    """Each variable's value over exercise time, rebuilt from `variable` event records."""

    def __init__(self, variables: Sequence[Variable]) -> None:
        self._initial = {v.id: v.initial for v in variables}
        self._times: dict[str, list[float]] = {v.id: [] for v in variables}
        self._values: dict[str, list[float]] = {v.id: [] for v in variables}

    def reset(self, events: Iterable[Event]) -> None:
        for times in self._times.values():
            times.clear()
        for values in self._values.values():
            values.clear()
        self.add(events)

    def add(self, events: Iterable[Event]) -> None:
        for event in events:
            change = event.payload
            if isinstance(change, VariableChanged) and change.variable in self._times:
                self._times[change.variable].append(event.time)
                self._values[change.variable].append(change.new)

    def sample(self, variable: str, until: float, count: int) -> list[float]:
        """The value at `count` evenly spaced times from hour zero to `until`."""
        times, values = self._times[variable], self._values[variable]
        samples = []
        for k in range(count):
            moment = until * (k + 1) / count
            i = bisect.bisect_right(times, moment)
            samples.append(values[i - 1] if i else self._initial[variable])
        return samples


class VariablesPanel(Widget):
    """One line per variable; the sparkline takes whatever width is left."""

    DEFAULT_CLASSES = "panel"

    def __init__(
        self, variables: Sequence[Variable], history: VariableHistory, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._variables = list(variables)
        self.history = history
        self._values: dict[str, float] = {v.id: v.initial for v in variables}
        self._now = 0.0
        self.border_title = "Variables"

    def show(self, values: Mapping[str, float], now: float) -> None:
        self._values = dict(values)
        self._now = now
        self.refresh()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self._variables))

    def render(self) -> Text:
        width = self.content_size.width
        label_width = min(max((len(v.label) for v in self._variables), default=4), width // 2)
        spark_width = max(0, width - label_width - 9)
        text = Text(no_wrap=True, overflow="ellipsis")
        for n, variable in enumerate(self._variables):
            if n:
                text.append("\n")
            value = self._values.get(variable.id, variable.initial)
            label = variable.label
            if len(label) > label_width:
                label = label[: max(0, label_width - 1)] + "…"
            text.append(label.ljust(label_width))
            text.append(f" {variable_value(variable, value):>7} ", style="bold")
            if spark_width and self._now > 0:
                points = self.history.sample(variable.id, self._now, spark_width)
                low, high = _scale(points, variable)
                text.append(sparkline(points, low, high), style=SHADES["cyan"])
        return text


def _scale(points: Sequence[float], variable: Variable) -> tuple[float, float]:
    """The sparkline's vertical range: the course's own, but never under a tenth of the
    variable's bounds, so that noise does not look like a swing."""
    low, high = min(points), max(points)
    least = (variable.max - variable.min) / 10
    if high - low < least:
        middle = (high + low) / 2
        low, high = middle - least / 2, middle + least / 2
    return low, high
