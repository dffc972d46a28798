"""What happens: effects change alert levels, variables, units, and start injects or decisions.

Each effect is a mapping with a `type` key, for example `{type: raise_alert, scope: nato}`.
Effects in a list are applied in the order written.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from simulator.scenario.common import Id, Model, Text
from simulator.scenario.distributions import Distribution, Probability, Quantity
from simulator.scenario.triggers import Delay

Posture = Literal["garrison", "alert", "deployed", "reinforced", "withdrawn"]
"""A unit's posture, shown to players; readiness targets are set separately."""


class SetAlert(Model):
    """Put a scope on a given rung of the alert ladder."""

    type: Literal["set_alert"]
    scope: Id
    """An alliance or nation with an alert level (a key of `alert.initial`)."""
    level: Id
    """Id of a level on the alert ladder."""


class RaiseAlert(Model):
    """Move a scope up the alert ladder (stops at the top)."""

    type: Literal["raise_alert"]
    scope: Id
    """An alliance or nation with an alert level."""
    steps: Annotated[int, Field(ge=1, le=100)] = 1
    """How many rungs to climb."""


class LowerAlert(Model):
    """Move a scope down the alert ladder (stops at the bottom)."""

    type: Literal["lower_alert"]
    scope: Id
    """An alliance or nation with an alert level."""
    steps: Annotated[int, Field(ge=1, le=100)] = 1
    """How many rungs to descend."""


class AdjustVariable(Model):
    """Add to a state variable (kept within its bounds)."""

    type: Literal["adjust_variable"]
    variable: Id
    """Id of the variable."""
    by: Quantity | Distribution
    """Amount to add (negative to subtract), or a distribution drawn each time."""


class SetVariable(Model):
    """Set a state variable to a value (kept within its bounds)."""

    type: Literal["set_variable"]
    variable: Id
    """Id of the variable."""
    value: Quantity
    """New value."""


class SetReadinessTarget(Model):
    """Pin the readiness target of units, overriding their per-alert-level targets."""

    type: Literal["set_readiness_target"]
    units: Annotated[list[Id], Field(min_length=1)]
    """Ids of the units."""
    target: Probability | None
    """Readiness to move toward (0 to 1); `null` releases the pin so alert levels rule again."""


class SetPosture(Model):
    """Change the posture shown for units."""

    type: Literal["set_posture"]
    units: Annotated[list[Id], Field(min_length=1)]
    """Ids of the units."""
    posture: Posture
    """The new posture."""


class FireInject(Model):
    """Deliver an inject (its probability still applies), now or after a delay."""

    type: Literal["fire_inject"]
    inject: Id
    """Id of the inject."""
    delay: Delay = 0.0
    """Wait this long first."""


class OpenDecision(Model):
    """Open a decision point, now or after a delay."""

    type: Literal["open_decision"]
    decision: Id
    """Id of the decision point."""
    delay: Delay = 0.0
    """Wait this long first."""


class EndExercise(Model):
    """End the exercise now."""

    type: Literal["end_exercise"]
    reason: Text = "ended by effect"
    """Why it ended, shown in the report."""


Effect = Annotated[
    SetAlert
    | RaiseAlert
    | LowerAlert
    | AdjustVariable
    | SetVariable
    | SetReadinessTarget
    | SetPosture
    | FireInject
    | OpenDecision
    | EndExercise,
    Field(discriminator="type"),
]
"""One state change, chosen by its `type` key."""

Effects = Annotated[list[Effect], Field(max_length=1000)]
