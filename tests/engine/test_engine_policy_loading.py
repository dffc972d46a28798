"""A policy file is read once, validated once and reported like a scenario: `path:line:col`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from simulator.engine.policies import PolicyFile, load_policy
from simulator.engine.policy_check import check_policy
from simulator.scenario.errors import ScenarioError
from simulator.scenario.loader import load_scenario
from simulator.scenario.yaml_safe import read_yaml

TUTORIAL = Path(__file__).resolve().parents[2] / "scenarios" / "tutorial.yaml"


def _problems(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as raised:
        load_policy(path, load_scenario(TUTORIAL))
    return [str(issue) for issue in raised.value.issues]


def test_a_schema_problem_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("name: p\ndecisions:\n  reinforce: {weights: {deploy: -1}}\n")
    problems = _problems(path)
    assert problems
    assert all(p.startswith(f"{path}:3:") and ": error: " in p for p in problems)


def test_a_problem_against_the_scenario_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("name: p\ndecisions:\n  reinforce: deploy\n  reinforc: wait\n")
    (problem,) = _problems(path)
    assert problem.startswith(f"{path}:4:13: error: decisions.reinforc: unknown decision")
    assert "reinforce" in problem  # did you mean


def test_validate_reports_what_loading_refuses(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("name: p\ndecisions:\n  reinforce: {weights: {deploy: -1}}\n  nope: x\n")
    found = check_policy(read_yaml(path), load_scenario(TUTORIAL))
    assert [str(i) for i in found] == _problems(path)


def test_loading_reads_and_validates_the_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("name: p\ndecisions:\n  reinforce: deploy\n")
    compiled = load_scenario(TUTORIAL)
    reads: list[object] = []
    validations: list[object] = []
    validate = PolicyFile.model_validate

    def counting_read(*args: Any) -> Any:
        reads.append(args)
        return read_yaml(*args)

    def counting_validate(data: Any) -> PolicyFile:
        validations.append(data)
        return validate(data)

    monkeypatch.setattr("simulator.engine.policies.read_yaml", counting_read)
    monkeypatch.setattr(PolicyFile, "model_validate", counting_validate)
    assert load_policy(path, compiled).fixed == {"reinforce": "deploy"}
    assert (len(reads), len(validations)) == (1, 1)
