"""Engine throughput, from one process: `python benchmarks/engine.py [SCENARIO] [--runs N]`.

Prints bare SimPy timeout events/s, the model's engine steps/s on the scenario with tracing off,
their ratio, and headless replications/s. Targets on the 2-core reference machine: ratio >= 0.33
and >= 500 replications/s on eastern-flank.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Generator
from pathlib import Path

import simpy

from simulator.engine.simulation import Simulation
from simulator.engine.streams import replication_sequence
from simulator.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parent.parent


def bare_simpy_events_per_second(events: int = 400_000) -> float:
    env = simpy.Environment()

    def ticker(env: simpy.Environment) -> Generator[simpy.Event, None, None]:
        for _ in range(events):
            yield env.timeout(1)

    env.process(ticker(env))
    start = time.perf_counter()
    env.run()
    return events / (time.perf_counter() - start)


def model_rates(path: Path, runs: int) -> tuple[float, float, float]:
    """(engine steps/s, replications/s, steps per replication) with tracing off."""
    compiled = load_scenario(path)
    steps = 0
    start = time.perf_counter()
    for i in range(runs):
        simulation = Simulation(compiled, replication_sequence(2026, i), trace=False)
        simulation.run_until(math.inf)
        steps += simulation.position
    elapsed = time.perf_counter() - start
    return steps / elapsed, runs / elapsed, steps / runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenario", nargs="?", default=ROOT / "scenarios" / "eastern-flank.yaml")
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args()
    bare = max(bare_simpy_events_per_second() for _ in range(3))
    best = max((model_rates(Path(args.scenario), args.runs) for _ in range(3)), key=lambda r: r[1])
    steps_rate, replications_rate, steps_per_run = best
    print(f"scenario                      {args.scenario}")
    print(f"bare SimPy timeouts           {bare:12,.0f} events/s")
    print(
        f"model, tracing off            {steps_rate:12,.0f} events/s "
        f"({steps_per_run:.0f} per replication)"
    )
    print(f"ratio model / bare            {steps_rate / bare:12.2f}   (target >= 0.33)")
    print(f"replications                  {replications_rate:12,.0f} /s     (target >= 500)")


if __name__ == "__main__":
    main()
