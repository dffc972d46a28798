"""Policy files for `ttx validate`: told apart from scenarios, checked alone or against one.

Alone, a policy can only be checked against its own schema: which decisions and options exist,
and what its rules may read, belong to a scenario. Against a scenario, every problem
`load_policy` would refuse is an error, and a rule that can give a text that is no option is a
warning (the run that takes that branch stops).
"""

from __future__ import annotations

from typing import Any

from simulator.engine.policies import PolicyError, PolicyFile, policy_for, unknown_rule_results
from simulator.scenario.compiled import CompiledScenario
from simulator.scenario.errors import ScenarioError, ScenarioIssue
from simulator.scenario.loader import issues_at, validated
from simulator.scenario.yaml_safe import YamlDocument


def is_policy(data: dict[Any, Any]) -> bool:
    """Whether a document is a policy file: it says `kind: policy`, or has a policy's shape.

    A `kind` that is neither `policy` nor `scenario` (a typo) falls back to the shape, so the
    file is checked by the schema it most resembles and the typo is reported there.
    """
    kind = data.get("kind")
    if kind in ("policy", "scenario"):
        return bool(kind == "policy")
    return "schema_version" not in data and "name" in data and "decisions" in data


def check_policy(document: YamlDocument, compiled: CompiledScenario | None) -> list[ScenarioIssue]:
    """Every error and warning of a policy document; against `compiled` when one is given."""
    try:
        spec = validated(document, PolicyFile)
    except ScenarioError as error:
        return error.issues
    if compiled is None:
        return []
    try:
        policy_for(spec, compiled)
    except PolicyError as error:
        return issues_at(document, error.problems, "error")
    return issues_at(document, unknown_rule_results(spec, compiled.scenario), "warning")
