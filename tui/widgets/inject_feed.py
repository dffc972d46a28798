"""The inject feed (newest first, filtered by channel and audience) and the inject detail."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import OptionList, Select, Static
from textual.widgets.option_list import Option

from simulator.engine.events import Event, InjectDelivered
from simulator.scenario.durations import exercise_time
from simulator.scenario.models import Inject, Objective
from simulator.scenario.palette import SHADES

ALL = "*"

CHANNEL_LABELS = {
    "news": "NEWS",
    "intel": "INTEL",
    "request": "REQST",
    "report": "REPORT",
    "briefing": "BRIEF",
    "diplomatic": "DIPLO",
    "social": "SOCIAL",
    "phone": "PHONE",
    "other": "OTHER",
}

CHANNEL_STYLES = {
    "news": SHADES["blue"],
    "intel": SHADES["orange"],
    "request": SHADES["yellow"],
    "report": SHADES["green"],
    "briefing": SHADES["cyan"],
    "diplomatic": SHADES["purple"],
    "social": SHADES["magenta"],
    "phone": SHADES["white"],
    "other": SHADES["grey"],
}


@dataclass(frozen=True, slots=True)
class Delivered:
    """An inject as it reached the players: when, and the scripted content."""

    seq: int
    time: float
    inject: Inject


class InjectFeed(Vertical):
    """Delivered injects, newest first, with a channel and an audience filter."""

    DEFAULT_CLASSES = "panel"

    class Highlighted(Message):
        """The facilitator moved to another inject (or the feed's newest one changed)."""

        def __init__(self, delivered: Delivered | None) -> None:
            super().__init__()
            self.delivered = delivered
            """The inject now highlighted, or None when the filtered feed is empty."""

    def __init__(self, injects: Sequence[Inject], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._by_id = {inject.id: inject for inject in injects}
        self._delivered: list[Delivered] = []
        self._channel = ALL
        self._audience = ALL
        self._pinned: int | None = None
        """Seq of the inject the facilitator moved to; None follows the newest."""
        self._channels: list[str] = sorted({i.channel for i in injects})
        self._audiences = sorted({a for i in injects for a in i.audience})
        self.border_title = "Inject feed"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="feed-filters"):
            yield Select(
                [(Text(c), c) for c in self._channels],
                prompt="all channels",
                compact=True,
                id="channel-filter",
            )
            yield Select(
                [(Text(a), a) for a in self._audiences],
                prompt="all audiences",
                compact=True,
                id="audience-filter",
            )
        yield OptionList(id="feed-list")

    @property
    def delivered(self) -> list[Delivered]:
        return list(self._delivered)

    @property
    def current(self) -> Delivered | None:
        """The highlighted inject: the one the facilitator moved to, else the newest shown."""
        shown = self.shown()
        pinned = [d for d in shown if d.seq == self._pinned]
        if pinned:
            return pinned[0]
        return shown[0] if shown else None

    @property
    def filters(self) -> tuple[str, str]:
        """The channel and audience shown (`*` for all)."""
        return self._channel, self._audience

    def reset(self, events: Iterable[Event]) -> None:
        """Rebuild from a whole record list (a new, resumed or undone session)."""
        self._delivered = []
        self.add(events)
        self._rebuild()

    def add(self, events: Iterable[Event]) -> None:
        fresh = [
            Delivered(e.seq, e.time, self._by_id[e.payload.inject])
            for e in events
            if isinstance(e.payload, InjectDelivered) and e.payload.inject in self._by_id
        ]
        if fresh:
            self._delivered.extend(fresh)
            self._rebuild()

    def set_filter(self, channel: str = ALL, audience: str = ALL) -> None:
        self._channel, self._audience = channel, audience
        self._rebuild()

    def cycle(self, which: str) -> None:
        """Move a filter to its next value (`channel` or `audience`), wrapping to "all"."""
        select: Select[str] = self.query_one(f"#{which}-filter", Select)
        choices = self._channels if which == "channel" else self._audiences
        current = select.value
        following = choices.index(current) + 1 if current in choices else 0
        if following < len(choices):
            select.value = choices[following]
        else:
            select.clear()

    def shown(self) -> list[Delivered]:
        return [
            d
            for d in reversed(self._delivered)
            if self._channel in (ALL, d.inject.channel)
            and (self._audience == ALL or self._audience in d.inject.audience)
        ]

    def _rebuild(self) -> None:
        feed = self.query_one("#feed-list", OptionList)
        keep = self.current
        shown = self.shown()
        with feed.prevent(OptionList.OptionHighlighted):
            feed.clear_options()
            feed.add_options(Option(_line(d), id=str(d.seq)) for d in shown)
            if keep is not None:
                feed.highlighted = shown.index(keep)
            elif self._delivered:
                feed.add_option(
                    Option(
                        Text(" no inject matches this filter", style="dim italic"), disabled=True
                    )
                )
        total = len(self._delivered)
        self.border_subtitle = f"{len(shown)} of {total}" if len(shown) != total else f"{total}"
        self.post_message(self.Highlighted(keep))

    @on(Select.Changed)
    def _filter_changed(self, event: Select.Changed) -> None:
        event.stop()
        value = event.value if isinstance(event.value, str) else ALL
        if event.select.id == "channel-filter":
            self.set_filter(value, self._audience)
        else:
            self.set_filter(self._channel, value)

    @on(OptionList.OptionHighlighted, "#feed-list")
    def _moved(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        # Back on the top line means "follow the newest inject" again.
        self._pinned = None if event.option_index == 0 else int(event.option.id or 0)
        self.post_message(self.Highlighted(self.current))


def _line(delivered: Delivered) -> Text:
    inject = delivered.inject
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{exercise_time(delivered.time):>10}", style="dim")
    label = CHANNEL_LABELS[inject.channel]
    text.append(f" {label:<6} ", style=f"bold {CHANNEL_STYLES[inject.channel]}")
    text.append(inject.title)
    return text


class InjectDetail(VerticalScroll):
    """The highlighted inject in full: text, facilitator guidance, expected actions, objectives."""

    DEFAULT_CLASSES = "panel"

    def __init__(self, objectives: Sequence[Objective], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._objectives = {o.id: o for o in objectives}
        self.border_title = "Inject detail"

    def compose(self) -> ComposeResult:
        yield Static(id="detail-body")

    def show(self, delivered: Delivered | None) -> None:
        body = self.query_one("#detail-body", Static)
        if delivered is None:
            body.update(Text("No inject delivered yet.", style="dim italic"))
            return
        inject = delivered.inject
        text = Text()
        text.append(inject.title + "\n", style="bold")
        text.append(
            f"{exercise_time(delivered.time)} · {inject.channel} · {inject.source} · "
            f"to {', '.join(inject.audience)}\n",
            style="dim",
        )
        if inject.text:
            text.append(inject.text.strip() + "\n")
        if inject.guidance:
            text.append("\nFacilitator guidance\n", style=f"bold {SHADES['yellow']}")
            text.append(inject.guidance.strip() + "\n")
        if inject.expected_actions:
            text.append("\nExpected actions\n", style=f"bold {SHADES['green']}")
            for action in inject.expected_actions:
                text.append(f" • {action.text.strip()}")
                if action.objective:
                    text.append(f" [{action.objective}]", style=SHADES["cyan"])
                text.append("\n")
        if inject.objectives:
            text.append("\nObjectives\n", style=f"bold {SHADES['cyan']}")
            for objective_id in inject.objectives:
                objective = self._objectives.get(objective_id)
                label = objective.text.strip() if objective else ""
                text.append(f" {objective_id}", style=SHADES["cyan"])
                text.append(f" {label}\n")
        text.rstrip()
        body.update(text)
        self.scroll_home(animate=False)
