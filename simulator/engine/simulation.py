"""The `Simulation` API shared by live play, `ttx run` and batch replications.

A simulation is built from a compiled scenario, a seed and (headless) a policy. Live play steps
it, stops when a decision opens and applies the room's choice with `choose()`; headless runs let
the policy answer. Both paths put the answer at the same place in the event order, so a live
session and a headless run that choose the same options produce the same records.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from simulator.engine.events import DecidedBy, Event
from simulator.engine.metrics import Scalar, final_metrics
from simulator.engine.model import ExerciseModel
from simulator.engine.policies import Policy, default_policy
from simulator.engine.state import SimulationError
from simulator.engine.streams import Seed, SeedRecord, Streams, root_sequence
from simulator.scenario.compiled import CompiledScenario
from simulator.scenario.expressions import CompiledExpression
from simulator.scenario.models import Decision

__all__ = ["PendingDecision", "Simulation", "SimulationError", "Snapshot"]


@dataclass(frozen=True, slots=True)
class PendingDecision:
    """A decision point that is open and waiting for the room."""

    decision_id: str
    opened: float
    deadline: float | None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the room can see at one moment; plain data for the dashboard."""

    time: float
    alert: dict[str, str]
    readiness: dict[str, float]
    targets: dict[str, float]
    posture: dict[str, str]
    variables: dict[str, float]
    fired: dict[str, bool]
    chosen: dict[str, str]
    chem_used: bool
    chem_evaluations: int
    chem_band: str
    finished: bool
    end_reason: str | None
    pending: tuple[PendingDecision, ...]


class _Chooser:
    """Answers decisions with the policy headlessly; defers them to the room when live."""

    def __init__(self, simulation: Simulation, policy: Policy, live: bool) -> None:
        self._simulation = simulation
        self._policy = policy
        self._live = live

    def answer(self, decision: Decision) -> str | None:
        if self._live:
            return None
        return self._policy.choose(decision, self._simulation.policy_view)


class Simulation:
    """One run of a scenario, advanced step by step or to a time, a decision or the end."""

    def __init__(
        self,
        compiled: CompiledScenario,
        seed: Seed,
        policy: Policy | None = None,
        *,
        live: bool = False,
        trace: bool = True,
    ) -> None:
        self.compiled = compiled
        self.seed = root_sequence(seed)
        self.policy = policy or default_policy()
        self.live = live
        self.records: list[Event] = []
        self._subscribers: list[Callable[[Event], None]] = []
        self._trace = trace
        self._new: list[Event] = []
        self.position = 0
        streams = Streams(self.seed)
        self._model = ExerciseModel(
            compiled,
            streams,
            _Chooser(self, self.policy, live),
            self._record if trace else None,
        )
        self.policy_view = _ModelView(self._model)
        self._model.start(
            tuple(compiled.scenario.analysis.key_times), SeedRecord.of(self.seed).trace()
        )

    # ----------------------------------------------------------------------------- records

    def _record(self, event: Event) -> None:
        self.records.append(event)
        self._new.append(event)
        for subscriber in self._subscribers:
            subscriber(event)

    def subscribe(self, callback: Callable[[Event], None]) -> None:
        """Call `callback` with every record emitted from now on (needs `trace=True`)."""
        if not self._trace:
            raise SimulationError("subscribing needs a simulation built with trace=True")
        self._subscribers.append(callback)

    def _take_new(self) -> list[Event]:
        new, self._new = self._new, []
        return new

    # ----------------------------------------------------------------------------- state

    @property
    def now(self) -> float:
        return self._model.now

    @property
    def finished(self) -> bool:
        return self._model.run.finished

    @property
    def end_reason(self) -> str | None:
        return self._model.run.end_reason

    @property
    def next_time(self) -> float | None:
        if self._model.run.finished:
            return None
        upcoming = float(self._model.run.env.peek())
        return None if math.isinf(upcoming) else upcoming

    @property
    def pending(self) -> list[PendingDecision]:
        decisions = self._model.decisions
        return [
            PendingDecision(decision_id, decisions.opened[decision_id], deadline)
            for decision_id, deadline in decisions.pending.items()
        ]

    def snapshot(self) -> Snapshot:
        model = self._model
        units, adversary = model.units, model.adversary
        return Snapshot(
            time=model.now,
            alert={scope: model.alerts.level(scope) for scope in model.alerts.rung},
            readiness=units.readiness_map(),
            targets={unit_id: motion.target for unit_id, motion in units.motions.items()},
            posture=dict(units.posture),
            variables=dict(model.variables.value),
            fired=dict(model.injects.fired),
            chosen=dict(model.decisions.chosen),
            chem_used=adversary is not None and adversary.used,
            chem_evaluations=0 if adversary is None else adversary.evaluations,
            chem_band="" if adversary is None or adversary.band is None else adversary.band.id,
            finished=model.run.finished,
            end_reason=model.run.end_reason,
            pending=tuple(self.pending),
        )

    # ----------------------------------------------------------------------------- advancing

    def step(self) -> list[Event]:
        """Process one engine step (one scheduled SimPy event) and return the new records."""
        run = self._model.run
        if run.finished:
            return self._take_new()
        run.env.step()
        self.position += 1
        return self._take_new()

    def run_until(self, hours: float) -> list[Event]:
        """Process every step up to `hours`; live runs stop early when a decision opens.

        The clock (`now`) stays at the last processed step: it does not move on to `hours` when
        nothing happens before then. Choices are applied at the time of the engine's last step,
        which is what a journal replays exactly; a UI that shows a running clock interpolates
        between steps itself. Loop on `next_time`, not on `now`, to move through quiet spans.
        """
        run, decisions = self._model.run, self._model.decisions
        env = run.env
        decisions.halt_requested = False
        while not run.finished and env.peek() <= hours:
            env.step()
            self.position += 1
            if decisions.halt_requested:
                decisions.halt_requested = False
                break
        return self._take_new()

    def run_to_decision(self) -> PendingDecision | None:
        """Live: run until a decision waits for the room (or return the one already waiting).

        Headless simulations run to the end and return None.
        """
        if self.live and self.pending:
            return self.pending[0]
        self.run_until(math.inf)
        return self.pending[0] if self.live and self.pending else None

    def run(self) -> list[Event]:
        """Run to the end (live simulations still stop at open decisions)."""
        return self.run_until(math.inf)

    def advance_to(self, position: int) -> list[Event]:
        """Step until `position` steps have been processed (journal replay)."""
        if position < self.position:
            raise SimulationError(
                f"cannot go back from step {self.position} to {position}; replay from the start"
            )
        while self.position < position and not self._model.run.finished:
            self.step()
        return self._take_new()

    def choose(self, decision_id: str, option_id: str, by: DecidedBy = "room") -> list[Event]:
        """Apply a choice at an open decision point now."""
        model = self._model
        model.decisions.choose(decision_id, option_id, by)
        model.run.settle()
        return self._take_new()

    def metrics(self) -> dict[str, Scalar]:
        """The batch metrics row of this run as it stands (`ttx run --metrics`)."""
        return final_metrics(self._model)

    @property
    def model(self) -> ExerciseModel:
        """The mechanics, for metrics collection inside the engine package."""
        return self._model


class _ModelView:
    """The `PolicyView` of a run: its conditions' view of the state, and its streams."""

    def __init__(self, model: ExerciseModel) -> None:
        self._model = model

    def evaluate(self, expression: CompiledExpression) -> object:
        return self._model.view.evaluate(expression)

    def random(self, decision_id: str) -> float:
        return float(self._model.streams[f"policy:{decision_id}"].random())
