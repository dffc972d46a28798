"""The scenario schema: one Pydantic model tree for everything a scenario file can say.

Field docstrings are the reference documentation: they flow into the JSON Schema (editor
completion) and `docs/scenario-format.md`. Cross-references between ids are checked after
validation by `simulator.scenario.references`, so that every dangling id is reported with its
file position rather than stopping at the first.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    Field,
    StrictBool,
    StringConstraints,
    field_validator,
    model_validator,
)

from simulator.scenario.common import Id, Model, Text, plain_text
from simulator.scenario.distributions import Distribution, Probability, Quantity
from simulator.scenario.durations import Duration
from simulator.scenario.effects import Effects, Posture
from simulator.scenario.triggers import Expr, Trigger

DEFAULT_BANNER = "EXERCISE EXERCISE EXERCISE"

Name = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(plain_text)]
Colour = Annotated[
    str,
    StringConstraints(
        pattern=r"^(#[0-9a-fA-F]{6}|green|blue|yellow|orange|red|purple|magenta|cyan|white|grey)$"
    ),
]


class Objective(Model):
    """Something the exercise sets out to test; injects, decisions and notes point at it."""

    id: Id
    """Identifier used by injects, decisions and observations."""
    text: Text
    """The objective as the exercise plan states it."""
    capability: Name = "Unspecified"
    """The core capability it exercises, for example `Operational Coordination`."""


class Meta(Model):
    """Who, what and why: shown on the picker, the dashboard banner and the report cover."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,63}$")]
    """Short identifier of the scenario, usually the file name without `.yaml`."""
    title: Name
    """Title shown to the room."""
    description: Text = ""
    """A paragraph for facilitators: setting, audience, what the exercise is about."""
    banner: Name = DEFAULT_BANNER
    """Label shown on every screen and report page; fictional exercises keep the default."""
    objectives: Annotated[list[Objective], Field(max_length=200)] = []
    """The exercise objectives."""


class Clock(Model):
    """The exercise's calendar: when it starts in the story and how long it runs."""

    start: dt.datetime
    """Scenario date and time of hour zero (ISO 8601, e.g. `2022-03-23T09:00:00Z`); UTC if no
    offset is given."""
    duration: Duration
    """How long the exercise runs in exercise time, e.g. `30d`."""

    @field_validator("duration")
    @classmethod
    def _positive(cls, value: float) -> float:
        if value <= 0:
            raise ValueError("the exercise duration must be positive")
        if value > 24 * 3660:
            raise ValueError("the exercise duration must be under ten years")
        return value

    @field_validator("start")
    @classmethod
    def _utc(cls, value: dt.datetime) -> dt.datetime:
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class Nation(Model):
    """A nation taking part or referred to."""

    id: Id
    """Identifier, e.g. `estonia`."""
    name: Name
    """Display name."""


class Alliance(Model):
    """An alliance and its member nations."""

    id: Id
    """Identifier, e.g. `nato`."""
    name: Name
    """Display name."""
    members: Annotated[list[Id], Field(max_length=500)] = []
    """Ids of member nations (declared under `actors.nations`)."""


class Adversary(Model):
    """The adversary whose chemical-use decision point the exercise models."""

    id: Id
    """Identifier."""
    name: Name
    """Display name."""
    description: Text = ""
    """How the exercise portrays it."""


class Actors(Model):
    """Alliances, nations, partners and the adversary."""

    alliances: Annotated[list[Alliance], Field(max_length=50)] = []
    """Alliances and their members."""
    nations: Annotated[list[Nation], Field(max_length=500)] = []
    """Nations, members or not, that units, scopes and consequences can name."""
    partners: Annotated[list[Nation], Field(max_length=200)] = []
    """Partner nations outside the alliances (they can also host units or be affected)."""
    adversary: Adversary | None = None
    """The adversary, if the scenario has one."""


class AlertLevel(Model):
    """One rung of the alert ladder."""

    id: Id
    """Identifier; conditions compare levels with `level.<id>`."""
    label: Name
    """Short label shown on the dashboard."""
    colour: Colour = "grey"
    """Display colour: a name (green, blue, yellow, orange, red, purple, magenta, cyan, white,
    grey) or `#rrggbb`."""
    meaning: Text = ""
    """What this level means for forces and planning."""


class AlertLadder(Model):
    """The ordered alert ladder, lowest first, and each scope's level at hour zero."""

    levels: Annotated[list[AlertLevel], Field(min_length=2, max_length=20)]
    """Levels from lowest to highest."""
    initial: Annotated[dict[Id, Id], Field(min_length=1, max_length=500)]
    """Starting level per scope: keys are alliance or nation ids, values are level ids. These
    keys are the scopes that have alert levels."""


class Readiness(Model):
    """How a unit's readiness (0 to 1) moves with the alert level."""

    initial: Probability
    """Readiness at hour zero."""
    targets: Annotated[dict[Id, Probability], Field(max_length=20)] = {}
    """Readiness to move toward at each alert level (keys are level ids). At a level not
    listed, the target of the nearest listed level below applies (or the initial readiness)."""
    scope: Id | None = None
    """Whose alert level drives the unit: an alliance or nation id with an alert level. Default:
    the host nation if it has one, else the first alliance the host belongs to."""
    mobilisation: Distribution
    """Hours needed to reach a new target, drawn each time the target changes."""
    thresholds: Annotated[list[Probability], Field(max_length=10)] = [0.5, 0.75, 0.9]
    """Readiness marks announced when crossed (e.g. "BG Romania at 90 %")."""

    @model_validator(mode="after")
    def _non_negative_delay(self) -> Readiness:
        if self.mobilisation.low_high[0] < 0:
            raise ValueError("mobilisation times cannot be negative: use a distribution >= 0")
        return self


UnitKind = Literal[
    "battlegroup",
    "brigade",
    "division",
    "air",
    "naval",
    "cbrn_defence",
    "medical",
    "logistics",
    "reserve",
    "civil_protection",
    "other",
]


class Unit(Model):
    """A force element whose readiness the exercise tracks."""

    id: Id
    """Identifier, e.g. `bg_romania`."""
    name: Name
    """Display name."""
    kind: UnitKind = "battlegroup"
    """What sort of unit it is."""
    host: Id
    """Nation where it is stationed."""
    lead: Id
    """Nation that leads it (the framework nation)."""
    strength: Annotated[int, Field(ge=0, le=10_000_000)] = 0
    """Personnel, as the scenario states it."""
    posture: Posture = "garrison"
    """Posture at hour zero."""
    readiness: Readiness
    """How its readiness moves."""


class Drift(Model):
    """A periodic change of a variable, without any effect asking for it."""

    every: Duration
    """Interval between changes; must be positive. The first change is at `every` (not at hour
    zero), the last at or before the exercise end, included."""
    by: Quantity | Distribution
    """Amount added each interval, or a distribution drawn each interval."""

    @field_validator("every")
    @classmethod
    def _positive(cls, value: float) -> float:
        if value <= 0:
            raise ValueError("drift interval must be positive")
        return value


class Variable(Model):
    """A named numeric quantity of the crisis (tension, public support, ...), kept within bounds."""

    id: Id
    """Identifier; conditions read it as `vars.<id>`."""
    label: Name
    """Display label."""
    description: Text = ""
    """What it stands for."""
    min: Quantity = 0.0
    """Lowest value; changes that would go below stop here."""
    max: Quantity = 1.0
    """Highest value; changes that would go above stop here."""
    initial: Quantity
    """Value at hour zero, within [min, max]."""
    drift: Drift | None = None
    """Optional periodic change."""

    @model_validator(mode="after")
    def _bounds(self) -> Variable:
        if self.max < self.min:
            raise ValueError(f"variable {self.id!r}: 'max' must be at least 'min'")
        if not self.min <= self.initial <= self.max:
            raise ValueError(f"variable {self.id!r}: 'initial' must lie within [min, max]")
        return self


Channel = Literal[
    "news", "intel", "request", "report", "briefing", "diplomatic", "social", "phone", "other"
]


class ExpectedAction(Model):
    """An action the players are expected to take in response to an inject."""

    text: Text
    """The expected action."""
    objective: Id | None = None
    """The objective it evidences."""


class Inject(Model):
    """A scripted or conditional message delivered to players: one line of the MSEL."""

    id: Id
    """Identifier."""
    title: Name
    """Headline shown in the feed."""
    trigger: Trigger | None = None
    """When it fires; omit for injects only started by a `fire_inject` effect."""
    probability: Probability = 1.0
    """Chance it is delivered when triggered (drawn from the inject stream)."""
    source: Name = "Exercise control"
    """Who it comes from in the story."""
    audience: Annotated[list[Name], Field(max_length=50)] = ["all players"]
    """Who receives it."""
    channel: Channel = "news"
    """How it arrives."""
    text: Text = ""
    """The message as players read it."""
    guidance: Text = ""
    """Facilitator guidance: what to draw out, what to watch for."""
    expected_actions: Annotated[list[ExpectedAction], Field(max_length=50)] = []
    """What players should do, linked to objectives."""
    objectives: Annotated[list[Id], Field(max_length=50)] = []
    """Objectives this inject exercises."""
    effects: Effects = []
    """Applied when it is delivered."""


class DecisionOption(Model):
    """One choice open to the room at a decision point."""

    id: Id
    """Identifier; conditions read the choice as `chosen.<decision> == "<option>"`."""
    label: Name
    """Short label on the decision dialog."""
    description: Text = ""
    """What choosing it means."""
    effects: Effects = []
    """Applied when it is chosen."""


class Decision(Model):
    """A moment where the players must choose among options."""

    id: Id
    """Identifier."""
    title: Name
    """Short title."""
    prompt: Text
    """The question put to the room."""
    trigger: Trigger | None = None
    """When it opens; omit for decisions only opened by an `open_decision` effect."""
    options: Annotated[list[DecisionOption], Field(min_length=2, max_length=9)]
    """The options (two to nine, chosen with number keys)."""
    default: Id
    """The option taken when the deadline passes or a policy has no view."""
    deadline: Duration | None = None
    """Exercise time the room has once it opens; the default applies after it. Omit for none."""
    objectives: Annotated[list[Id], Field(max_length=50)] = []
    """Objectives this decision exercises."""


class SeverityBand(Model):
    """One consequence band of a chemical-use outcome, with author-set abstract indices."""

    id: Id
    """Identifier, e.g. `limited`."""
    label: Name
    """Display label."""
    weight: Annotated[float, Field(gt=0, allow_inf_nan=False)] = 1.0
    """Relative chance of this band given use."""
    affected: Annotated[list[Id], Field(max_length=500)] = []
    """Nations affected beyond the area of conflict (consequence reach)."""
    displaced: Annotated[int, Field(ge=0, le=1_000_000_000)] = 0
    """Displaced persons, a number the author sets for the exercise."""
    effects: Effects = []
    """Applied when this band is drawn."""


class Schedule(Model):
    """Evaluate at regular times."""

    start: Duration = 0.0
    """First evaluation, after the exercise start (`0h` evaluates at hour zero)."""
    every: Duration
    """Interval between evaluations; must be positive. Evaluations fall at `start + k * every`."""
    until: Duration | None = None
    """Last time an evaluation may fall on, included; the exercise end when omitted or later."""

    @field_validator("every")
    @classmethod
    def _positive(cls, value: float) -> float:
        if value <= 0:
            raise ValueError("schedule interval must be positive")
        return value


class ChemicalUse(Model):
    """The adversary's hypothetical chemical-use decision point, modelled as an abstract event.

    At each evaluation the probability expression is computed from the state and an outcome is
    drawn from the adversary's own random stream. Only likelihood, timing and author-set
    consequence indices are modelled.
    """

    label: Name = "Adversary chemical-use decision"
    """Display label."""
    description: Text = ""
    """How the exercise frames this decision point."""
    schedule: Schedule | None = None
    """Regular evaluations."""
    triggers: Annotated[list[Trigger], Field(max_length=50)] = []
    """Extra evaluations when these triggers fire."""
    probability: Probability | Expr
    """Chance of use at one evaluation: a number or a CEL expression giving a number, e.g.
    `0.01 + 0.05 * vars.tension`. Results outside [0, 1] are clamped and recorded."""
    once: StrictBool = True
    """Stop evaluating after the first use. With `false`, evaluations go on; `chem.uses` counts
    the uses and batch rows give the first and the last."""
    on_use: Effects = []
    """Applied on use, before the band's effects."""
    on_no_use: Effects = []
    """Applied after each evaluation without use."""
    bands: Annotated[list[SeverityBand], Field(min_length=1, max_length=20)]
    """Consequence bands; one is drawn on use, by weight."""

    @model_validator(mode="after")
    def _evaluated(self) -> ChemicalUse:
        if self.schedule is None and not self.triggers:
            raise ValueError("chemical_use needs a 'schedule' or at least one trigger")
        return self


class Rule(Model):
    """A silent automatic change: when the condition becomes true, apply the effects."""

    id: Id
    """Identifier."""
    when: Expr
    """Boolean CEL expression."""
    effects: Effects
    """Applied when the condition becomes true."""
    repeat: StrictBool = False
    """Fire again each time the condition becomes true after having been false."""


class EndCondition(Model):
    """Ends the exercise early when its condition becomes true."""

    id: Id
    """Identifier."""
    when: Expr
    """Boolean CEL expression."""
    reason: Text
    """Shown in the report as the end reason."""


class Metric(Model):
    """A number analysts want recorded at the end of every run."""

    id: Id
    """Identifier; becomes a column of batch results."""
    label: Name
    """Display label."""
    expr: Expr
    """CEL expression giving a number or a boolean, computed on the final state."""


class Analysis(Model):
    """What batch runs record beyond the standard outputs."""

    key_times: Annotated[list[Duration], Field(max_length=50)] = []
    """Times at which each unit's readiness is recorded: its value at exactly that time, after
    what happens then (the final value if the run ended earlier)."""
    metrics: Annotated[list[Metric], Field(max_length=200)] = []
    """Scenario-specific metrics."""


class Scenario(Model):
    """A tabletop exercise: actors, alert ladder, units, state, MSEL, decisions and adversary."""

    schema_version: Literal[1]
    """Version of this format; currently 1."""
    kind: Literal["scenario"] | None = None
    """Optional: `scenario` says what the file is, so `ttx validate` never takes it for a
    policy file."""
    meta: Meta
    """Title, banner, description and objectives."""
    clock: Clock
    """Start date-time and duration."""
    actors: Actors = Actors()
    """Alliances, nations, partners and the adversary."""
    alert: AlertLadder
    """The alert ladder and starting levels."""
    units: Annotated[list[Unit], Field(max_length=1000)] = []
    """Units whose readiness is tracked."""
    variables: Annotated[list[Variable], Field(max_length=500)] = []
    """Named numeric state variables."""
    injects: Annotated[list[Inject], Field(max_length=20_000)] = []
    """The MSEL."""
    decisions: Annotated[list[Decision], Field(max_length=1000)] = []
    """Decision points for the room."""
    chemical_use: ChemicalUse | None = None
    """The adversary's chemical-use decision point."""
    rules: Annotated[list[Rule], Field(max_length=1000)] = []
    """Automatic, silent state changes."""
    end: Annotated[list[EndCondition], Field(max_length=100)] = []
    """Conditions that end the exercise early."""
    analysis: Analysis = Analysis()
    """Extra outputs for batch runs."""

    def inject(self, inject_id: str) -> Inject:
        return next(i for i in self.injects if i.id == inject_id)

    def decision(self, decision_id: str) -> Decision:
        return next(d for d in self.decisions if d.id == decision_id)
