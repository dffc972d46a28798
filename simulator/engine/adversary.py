"""The adversary's chemical-use decision point: when it is evaluated and what an outcome does.

Only likelihood, timing and the author's consequence indices are modelled: a probability from
the scenario, one draw, and the effects and numbers the scenario gives each severity band.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from simulator.engine.events import ChemEvaluated, ChemUsed
from simulator.scenario.distributions import weighted_index
from simulator.scenario.expressions import as_probability
from simulator.scenario.models import ChemicalUse

if TYPE_CHECKING:
    from simulator.engine.model import ExerciseModel


class Adversary:
    """Evaluations of the chemical-use decision point of one run."""

    def __init__(self, model: ExerciseModel, chem: ChemicalUse) -> None:
        self.model = model
        self.chem = chem
        self.first_use: float | None = None
        self.first_band = ""
        self.last_use: float | None = None
        self.uses = 0
        self.max_probability = 0.0

    def schedule(self) -> None:
        """Evaluate at `start`, `start + every`, ... up to `until` or the end, both included."""
        model, chem = self.model, self.chem
        if chem.schedule is None:
            return
        start, every = chem.schedule.start, chem.schedule.every
        until = min(
            model.scenario.clock.duration,
            chem.schedule.until if chem.schedule.until is not None else math.inf,
        )

        def evaluate() -> bool:
            self.evaluate("schedule")
            return not (chem.once and model.state.chem_used)

        model.periodically(start, every, until, evaluate)

    def evaluate(self, cause: str) -> None:
        model, chem, state = self.model, self.chem, self.model.state
        if model.finished or (chem.once and state.chem_used):
            return
        if isinstance(chem.probability, str):
            value = state.evaluate(model.compiled.expr(chem.probability, "number"))
            probability, raw = as_probability(value)
        else:
            probability = raw = float(chem.probability)
        index = state.chem_evaluations
        # One uniform per evaluation from the adversary's own stream: the k-th evaluation
        # always sees the k-th draw, whatever the room decided (common random numbers).
        used = model.streams["adversary"].random() < probability
        state.chem_evaluations = index + 1
        state.changed("chem", "evaluations", index + 1)
        self.max_probability = max(self.max_probability, probability)
        if model.tracing:
            model.emit(
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
            model.apply(chem.on_no_use, "chemical:no_use")
            model.follow(model.on_chemical.get("no_use", ()), "chemical:no_use")

    def _use(self) -> None:
        model, chem, state = self.model, self.chem, self.model.state
        state.chem_used = True
        state.changed("chem", "used", True)
        if self.first_use is None:
            self.first_use = model.now
        self.last_use = model.now
        self.uses += 1
        state.chem_uses = self.uses
        state.changed("chem", "uses", self.uses)
        model.apply(chem.on_use, "chemical:use")
        weights = [b.weight for b in chem.bands]
        band = chem.bands[weighted_index(model.streams["adversary:band"].random(), weights)]
        state.chem_band = band.id
        state.changed("chem", "band", band.id)
        if self.uses == 1:
            self.first_band = band.id
        state.chem_displaced = band.displaced
        state.changed("chem", "displaced", band.displaced)
        state.chem_affected = list(band.affected)
        state.changed("chem", "affected", list(band.affected))
        if model.tracing:
            model.emit(ChemUsed(band.id, band.label, tuple(band.affected), band.displaced))
        model.apply(band.effects, f"chemical:band={band.id}")
        model.follow(model.on_chemical.get("use", ()), "chemical:use")
