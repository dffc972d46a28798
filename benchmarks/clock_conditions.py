"""Cost of clock conditions: eastern-flank with and without 128 extra `day >= D` rules.

`python benchmarks/clock_conditions.py [--runs N] [--rounds K] [--conditions C]`

Conditions on the clock are woken at the instants their comparisons flip, so adding them should
cost about one evaluation each plus one wake-up per distinct instant, whatever else the run does.
The two variants are timed interleaved, K rounds, best of each; the ratio is the figure (target
<= 1.5). Before exact clock wake-ups every clock condition was re-checked after every state
change, which made this ratio about 19.
"""

from __future__ import annotations

import argparse
import math
import os
import time
from pathlib import Path

from simulator.engine.simulation import Simulation
from simulator.engine.streams import replication_sequence
from simulator.scenario.compiled import CompiledScenario
from simulator.scenario.loader import load_scenario_text

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "eastern-flank.yaml"


def with_day_rules(text: str, count: int, days: int) -> str:
    """The scenario text with `count` silent rules `day >= D`, D cycling over the exercise days."""
    rules = "".join(
        f'  - {{id: clock_rule_{k}, when: "day >= {2 + k % (days - 1)}", effects: []}}\n'
        for k in range(count)
    )
    if "\nrules:\n" in text:
        return text.replace("\nrules:\n", "\nrules:\n" + rules, 1)
    return text + "\nrules:\n" + rules


def seconds(compiled: CompiledScenario, runs: int) -> float:
    start = time.perf_counter()
    for i in range(runs):
        Simulation(compiled, replication_sequence(2026, i), trace=False).run_until(math.inf)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--conditions", type=int, default=128)
    args = parser.parse_args()
    text = SCENARIO.read_text(encoding="utf-8")
    base = load_scenario_text(text, str(SCENARIO))
    days = math.ceil(base.scenario.clock.duration / 24)
    variant = load_scenario_text(with_day_rules(text, args.conditions, days), str(SCENARIO))
    plain, extra = math.inf, math.inf
    for _ in range(args.rounds):
        plain = min(plain, seconds(base, args.runs))
        extra = min(extra, seconds(variant, args.runs))
    load = os.getloadavg()
    print(f"scenario                 {SCENARIO.name}, {args.runs} runs x {args.rounds} rounds")
    print(f"without                  {1000 * plain / args.runs:8.3f} ms per replication")
    label = f"with {args.conditions} day >= D"
    print(f"{label:<24} {1000 * extra / args.runs:8.3f} ms per replication")
    print(f"ratio                    {extra / plain:8.2f}   (target <= 1.5)")
    print(f"load average             {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
