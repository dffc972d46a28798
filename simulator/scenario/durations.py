"""Exercise time in words: durations as trainers write them (`90m`, `36h`, `2d 6h`, `1w`) and
the one notation for a moment of the exercise (`D+1 02:00`, with `2022-03-24 06:30Z` beside it).

Internally every time is a float number of hours since the exercise start. Every screen,
report, `ttx run` line and export formats times here, so one record shows one time everywhere.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

_UNIT_HOURS = {"w": 168.0, "d": 24.0, "h": 1.0, "m": 1.0 / 60.0, "s": 1.0 / 3600.0}
_PART = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([wdhms])\s*")
_WHOLE = re.compile(r"^(?:\s*\d+(?:\.\d+)?\s*[wdhms]\s*)+$")
_HOURS = re.compile(r"^\d+(?:\.\d+)?$")
DURATION_PATTERN = r"^\s*\d+(\.\d+)?\s*$|^(\s*\d+(\.\d+)?\s*[wdhms]\s*)+$"
"""A duration written as text: a plain number of hours (`36`, as `--until 36` passes it) or
units (`2d 6h`)."""


def parse_duration(value: Any) -> float:
    """Return hours for a duration string or a plain number of hours.

    Raises ValueError (which Pydantic reports at the field's location) for anything else,
    including negative, infinite and NaN values.
    """
    if isinstance(value, bool):
        raise ValueError("expected a duration such as '36h' or '2d 6h', not a boolean")
    if isinstance(value, int | float):
        hours = float(value)
    elif isinstance(value, str):
        text = value.strip().lower()
        if text.startswith("-"):
            raise ValueError("a duration cannot be negative")
        if _HOURS.match(text):
            return parse_duration(float(text))  # the same checks as a number
        if not _WHOLE.match(text):
            raise ValueError(
                f"invalid duration {value!r}: write a number of hours or units such as "
                "'90m', '36h', '2d 6h', '1w'"
            )
        hours = sum(float(n) * _UNIT_HOURS[u] for n, u in _PART.findall(text))
    else:
        raise ValueError("expected a duration such as '36h' or '2d 6h'")
    if math.isnan(hours) or math.isinf(hours):
        raise ValueError("a duration must be a finite number of hours")
    if hours < 0:
        raise ValueError("a duration cannot be negative")
    return hours


def clock_minutes(hours: float) -> int:
    """Whole minutes of exercise time a clock shows at `hours`: a clock reads 00:21 until the
    22nd minute is reached. Rounding to a millionth of a minute first keeps `0.35 h` (stored as
    0.34999...) at 21 minutes."""
    return max(0, math.floor(round(hours * 60.0, 6)))


def exercise_time(hours: float) -> str:
    """A moment as the room says it: `D+2 06:30` (day 0 is the first day)."""
    days, rest = divmod(clock_minutes(hours), 24 * 60)
    return f"D+{days} {rest // 60:02d}:{rest % 60:02d}"


def calendar_time(start: dt.datetime, hours: float) -> str:
    """The story's date and time at `hours` after `start`, to the same minute as
    `exercise_time`: `2022-03-24 06:30Z`."""
    moment = start.astimezone(dt.UTC) + dt.timedelta(minutes=clock_minutes(hours))
    return moment.strftime("%Y-%m-%d %H:%MZ")


def format_duration(hours: float) -> str:
    """Render hours compactly (`2d 6h`, `90m`); inverse of `parse_duration` to the minute."""
    minutes = round(hours * 60)
    days, rest = divmod(minutes, 24 * 60)
    hrs, mins = divmod(rest, 60)
    parts = [f"{days}d" if days else "", f"{hrs}h" if hrs else "", f"{mins}m" if mins else ""]
    return " ".join(p for p in parts if p) or "0h"


Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0},
                {"type": "string", "pattern": DURATION_PATTERN},
            ],
            "description": "A duration: hours as a number, or units such as '90m', '36h', "
            "'2d 6h', '1w'.",
        }
    ),
]
"""A non-negative duration in hours; accepts `36h`, `2d 6h`, `90m`, `1w` or a number of hours."""


def periodic_count(start: float, every: float, until: float) -> int:
    """How many of `start`, `start + every`, ... lie at or before `until` (both ends included).

    Times are `start + k * every`, never accumulated sums, and an end within a billionth of an
    interval of the last time counts it in, so `every: 20m` over `1h` gives 4, not 3.
    """
    if start > until:
        return 0
    return math.floor((until - start) / every + 1e-9) + 1
