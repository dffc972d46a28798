"""When something happens: at a time, when a condition becomes true, after an inject or a decision.

A trigger is written as a small mapping whose first key says its kind, for example
`{at: 6h}`, `{when: "vars.tension > 0.8"}`, `{after: intel_report, delay: 2h}` or
`{on_decision: summit_cbrn, option: approve}`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, StringConstraints, Tag

from simulator.scenario.common import Id, Model
from simulator.scenario.distributions import Distribution
from simulator.scenario.durations import Duration

Expr = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
"""A CEL expression over the exercise state; see the format reference for the names it can use."""

Delay = Duration | Distribution
"""A fixed duration (`6h`) or a distribution of hours (`{dist: uniform, low: 2h, high: 6h}`)."""


class AtTrigger(Model):
    """Fires at a fixed or randomly drawn time after the exercise start."""

    at: Delay
    """Time after the exercise start: a duration, or a distribution drawn once per run."""


class WhenTrigger(Model):
    """Fires the first time a condition becomes true: checked whenever a name it reads changes,
    and at the exact instant a comparison of `t`, `day` or a readiness with a constant flips."""

    when: Expr
    """A boolean CEL expression, such as `vars.tension > 0.8 && alert.nato >= level.high`."""
    delay: Delay = 0.0
    """Wait this long after the condition becomes true."""


class AfterInjectTrigger(Model):
    """Fires after another inject has been delivered."""

    after: Id
    """Id of the inject this one follows."""
    delay: Delay = 0.0
    """Wait this long after that inject."""


class OnDecisionTrigger(Model):
    """Fires after a decision point has been answered, optionally only for one option."""

    on_decision: Id
    """Id of the decision point."""
    option: Id | None = None
    """Only when this option was chosen; any option when omitted."""
    delay: Delay = 0.0
    """Wait this long after the choice."""


class OnChemicalTrigger(Model):
    """Fires after the adversary's chemical-use decision point comes out a given way."""

    on_chemical: Literal["use", "no_use"]
    """`use`: after a use outcome; `no_use`: after each evaluation that did not lead to use."""
    delay: Delay = 0.0
    """Wait this long after the evaluation."""


_TRIGGER_KEYS = ("at", "when", "after", "on_decision", "on_chemical")


def _trigger_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in _TRIGGER_KEYS:
            if key in value:
                return key
        return None
    for key in _TRIGGER_KEYS:
        if hasattr(value, key):
            return key
    return None


Trigger = Annotated[
    Annotated[AtTrigger, Tag("at")]
    | Annotated[WhenTrigger, Tag("when")]
    | Annotated[AfterInjectTrigger, Tag("after")]
    | Annotated[OnDecisionTrigger, Tag("on_decision")]
    | Annotated[OnChemicalTrigger, Tag("on_chemical")],
    Discriminator(
        _trigger_kind,
        custom_error_type="trigger_kind",
        custom_error_message=(
            "a trigger needs one of the keys 'at', 'when', 'after', 'on_decision', 'on_chemical'"
        ),
    ),
    Field(description="When it happens: one of at / when / after / on_decision / on_chemical."),
]
