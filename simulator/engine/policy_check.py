"""Policy files for `ttx validate`: told apart from scenarios, checked alone or against one.

Alone, a policy can only be checked against its own schema: which decisions and options exist,
and what its rules may read, belong to a scenario. Against a scenario, every problem
`load_policy` would refuse is an error, and a rule that can give a text that is no option is a
warning (the run that takes that branch stops).
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from simulator.engine.policies import PolicyError, PolicyFile, build_policy, unknown_rule_results
from simulator.scenario.compiled import CompiledScenario, Loc
from simulator.scenario.errors import ScenarioIssue, Severity
from simulator.scenario.validation_messages import pydantic_messages
from simulator.scenario.yaml_safe import YamlDocument, show_path


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
        spec = PolicyFile.model_validate(document.data)
    except ValidationError as error:
        located = pydantic_messages(document, error.errors(include_url=False))
        return [ScenarioIssue(document.path, m.line, m.column, "error", m.message) for m in located]
    if compiled is None:
        return []
    try:
        build_policy(document.data, compiled)
    except PolicyError as error:
        return _located(document, error.problems, "error")
    return _located(document, unknown_rule_results(spec, compiled.scenario), "warning")


def _located(
    document: YamlDocument, problems: list[tuple[Loc, str]], severity: Severity
) -> list[ScenarioIssue]:
    issues = []
    for loc, message in problems:
        line, column = document.locate(loc)
        where = show_path(document.resolve(loc))
        issues.append(ScenarioIssue(document.path, line, column, severity, f"{where}: {message}"))
    return sorted(issues)
