"""A tiny workload for runner tests: no engine, a known answer, and failures on request."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.batch.cells import SeriesSpec
from simulator.batch.workload import Group, Layout, Row, ScenarioFacts, SeriesValues

GRID = (0.0, 12.0, 24.0)


@dataclass(frozen=True)
class StubWorkload:
    """Each run: `hit` with probability p (per point and policy), a level and a readiness path."""

    points: tuple[float, ...] = (0.3,)
    policies: tuple[str, ...] = ("default",)
    fail_every: int = 0
    """Replications whose index is a multiple of this raise (0: none)."""
    short_series_every: int = 0
    """Replications whose index is a multiple of this return a series one sample short."""

    @property
    def key(self) -> str:
        return repr(self)

    def prepare(self) -> PreparedStub:
        return PreparedStub(self)


class PreparedStub:
    def __init__(self, workload: StubWorkload) -> None:
        self.workload = workload
        groups = tuple(
            Group(policy, k, (("p", p),))
            for policy in workload.policies
            for k, p in enumerate(workload.points)
        )
        self.layout = Layout(
            groups=groups,
            grid=GRID,
            series=(
                SeriesSpec("alert.a", 0.0, 2.0, True, ("low", "mid", "top")),
                SeriesSpec("readiness.u", 0.0, 1.0),
            ),
            sweep_paths=("p",),
            info=ScenarioFacts(title="Stub"),
        )

    def run(self, group: int, seed: np.random.SeedSequence) -> tuple[Row, SeriesValues]:
        replication = seed.spawn_key[0]
        if self.workload.fail_every and replication % self.workload.fail_every == 0:
            raise RuntimeError(f"stub failure at {replication}")
        policy, point = divmod(group, len(self.workload.points))
        rng = np.random.default_rng(seed)
        p = self.workload.points[point] + 0.1 * policy
        draw = float(rng.random())
        hit = draw < p
        level = float(rng.integers(0, 3))
        row: Row = {
            "chem_used": hit,
            "chem_time": draw * 24.0 if hit else float("nan"),
            "value": draw,
            "count": int(rng.integers(0, 10)),
            "band": "a" if draw < 0.5 else "b",
        }
        series = {"alert.a": [0.0, level, level], "readiness.u": [0.5, draw, 1.0 - draw]}
        if self.workload.short_series_every and replication % self.workload.short_series_every == 0:
            series["readiness.u"] = [0.5, draw]
        return row, series
