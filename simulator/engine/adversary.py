"""The adversary's chemical-use decision point: when it is evaluated and what an outcome does.

Only likelihood, timing and the author's consequence indices are modelled: a probability from
the scenario, one draw, and the effects and numbers the scenario gives each severity band.
"""

from __future__ import annotations

import math
from typing import Any

from simulator.engine.events import ChemEvaluated, ChemUsed
from simulator.engine.run import Follower, Run
from simulator.engine.state import ConditionView
from simulator.scenario.compiled import CompiledScenario
from simulator.scenario.distributions import weighted_index
from simulator.scenario.expressions import as_probability
from simulator.scenario.models import ChemicalUse, SeverityBand


class Adversary:
    """Evaluations of the chemical-use decision point of one run, and their outcomes."""

    def __init__(
        self, run: Run, view: ConditionView, compiled: CompiledScenario, chem: ChemicalUse
    ) -> None:
        self._run = run
        self._view = view
        self._compiled = compiled
        self.chem = chem
        self.evaluations = 0
        self.uses = 0
        self.band: SeverityBand | None = None
        """The band of the latest use."""
        self.first_use: float | None = None
        self.first_band = ""
        self.last_use: float | None = None
        self.max_probability = 0.0
        self.followers: dict[str, list[Follower]] = {}
        """Per outcome (`use`, `no_use`), what its `on_chemical` triggers start, in file order."""
        view.read("chem", self.read)

    @property
    def used(self) -> bool:
        return self.uses > 0

    def read(self, member: str) -> Any:
        """The value of `chem.<member>` that conditions read."""
        band = self.band
        match member:
            case "used":
                return self.uses > 0
            case "evaluations":
                return self.evaluations
            case "uses":
                return self.uses
            case "band":
                return "" if band is None else band.id
            case "displaced":
                return 0 if band is None else band.displaced
            case "affected":
                return [] if band is None else list(band.affected)
        raise KeyError(member)

    def schedule(self) -> None:
        """Evaluate at `start`, `start + every`, ... up to `until` or the end, both included."""
        chem = self.chem
        if chem.schedule is None:
            return
        start, every = chem.schedule.start, chem.schedule.every
        until = min(
            self._compiled.scenario.clock.duration,
            chem.schedule.until if chem.schedule.until is not None else math.inf,
        )

        def evaluate() -> bool:
            self.evaluate("schedule")
            return not (chem.once and self.uses)

        self._run.periodically(start, every, until, evaluate)

    def evaluate(self, cause: str) -> None:
        run, chem = self._run, self.chem
        if run.finished or (chem.once and self.uses):
            return
        if isinstance(chem.probability, str):
            value = self._view.evaluate(self._compiled.expr(chem.probability, "number"))
            probability, raw = as_probability(value)
        else:
            probability = raw = float(chem.probability)
        index = self.evaluations
        # One uniform per evaluation from the adversary's own stream: the k-th evaluation
        # always sees the k-th draw, whatever the room decided (common random numbers).
        used = run.streams["adversary"].random() < probability
        self.evaluations = index + 1
        self._view.changed("chem", "evaluations")
        self.max_probability = max(self.max_probability, probability)
        if run.tracing:
            run.emit(
                ChemEvaluated(
                    index,
                    probability,
                    raw if math.isfinite(raw) else None,
                    "use" if used else "no_use",
                    cause,
                )
            )
        if used:
            self._use()
        else:
            run.apply(chem.on_no_use, "chemical:no_use")
            run.follow(self.followers.get("no_use", ()), "chemical:no_use")

    def _use(self) -> None:
        run, chem, view = self._run, self.chem, self._view
        if self.first_use is None:
            self.first_use = run.now
        self.last_use = run.now
        self.uses += 1
        view.changed("chem", "used")
        view.changed("chem", "uses")
        run.apply(chem.on_use, "chemical:use")
        weights = [b.weight for b in chem.bands]
        band = chem.bands[weighted_index(run.streams["adversary:band"].random(), weights)]
        self.band = band
        if self.uses == 1:
            self.first_band = band.id
        view.changed("chem", "band")
        view.changed("chem", "displaced")
        view.changed("chem", "affected")
        if run.tracing:
            run.emit(ChemUsed(band.id, band.label, tuple(band.affected), band.displaced))
        run.apply(band.effects, f"chemical:band={band.id}")
        run.follow(self.followers.get("use", ()), "chemical:use")
