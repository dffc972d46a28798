"""Seeded golden traces: every shipped scenario, seed 7, default options, byte for byte.

When a scenario changes on purpose, regenerate with `pytest tests/golden --update-golden` and
review the diff of the `.jsonl` files like any other change.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.engine.simulation import Simulation
from simulator.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
GOLDEN = Path(__file__).parent / "traces"
SEED = 7


def trace_of(path: Path, seed: int = SEED) -> str:
    simulation = Simulation(load_scenario(path), seed)
    simulation.run()
    return "".join(event.to_json() + "\n" for event in simulation.records)


def test_there_are_shipped_scenarios() -> None:
    assert len(SCENARIOS) >= 3


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_shipped_scenario_matches_its_golden_trace(
    path: Path, request: pytest.FixtureRequest
) -> None:
    golden = GOLDEN / f"{path.stem}.seed{SEED}.jsonl"
    actual = trace_of(path)
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no golden trace for {path.name}: run pytest --update-golden"
    assert actual == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_shipped_scenario_runs_to_its_end_under_other_seeds(path: Path) -> None:
    compiled = load_scenario(path)
    for seed in range(25):
        simulation = Simulation(compiled, seed)
        simulation.run()
        assert simulation.finished
        assert simulation.records[-1].kind.value == "end"


def ttx_run_json(seed: int, hash_seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    command = [
        sys.executable,
        "-c",
        "from tui.cli import main; main()",
        "run",
        str(ROOT / "scenarios" / "eastern-flank.yaml"),
        "--seed",
        str(seed),
        "--json",
    ]
    done = subprocess.run(command, capture_output=True, env=env, check=True, timeout=120)
    return done.stdout


@pytest.mark.slow
def test_ttx_run_json_is_byte_identical_across_processes_and_hash_seeds() -> None:
    first = ttx_run_json(7, "0")
    assert first.count(b"\n") > 100
    assert ttx_run_json(7, "0") == first
    assert ttx_run_json(7, "12345") == first
    assert ttx_run_json(8, "0") != first
