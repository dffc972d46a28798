"""Scenario files in, `CompiledScenario` out: read safely, validate once, cross-check, compile.

Every problem found is reported together, each at its file position, in one `ScenarioError`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from simulator.scenario.compiled import CompiledScenario, Loc, compile_scenario
from simulator.scenario.errors import ScenarioError, ScenarioIssue, Severity
from simulator.scenario.lint import lint_scenario
from simulator.scenario.lint_expressions import lint_expressions
from simulator.scenario.models import Scenario
from simulator.scenario.references import check_references
from simulator.scenario.validation_messages import pydantic_messages
from simulator.scenario.yaml_safe import YamlDocument, read_yaml, read_yaml_text, show_path

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class ScenarioCheck:
    """The outcome of checking one file: the compiled scenario if it loads, and every issue."""

    path: str
    compiled: CompiledScenario | None
    issues: list[ScenarioIssue]

    @property
    def ok(self) -> bool:
        return self.compiled is not None


def load_scenario(path: str | Path) -> CompiledScenario:
    """Load a scenario file; raise ScenarioError listing every error in it."""
    return _compile(read_yaml(path))


def load_scenario_text(text: str, path: str = "<string>") -> CompiledScenario:
    """Load a scenario from text; `path` is the name used in messages."""
    return _compile(read_yaml_text(text, path))


def check_scenario(path: str | Path) -> ScenarioCheck:
    """Load a scenario file and lint it: errors and warnings, never an exception."""
    try:
        document = read_yaml(path)
    except ScenarioError as error:
        return ScenarioCheck(str(path), None, error.issues)
    return check_document(document)


def check_document(document: YamlDocument) -> ScenarioCheck:
    """Validate, cross-check, compile and lint an already read document."""
    try:
        compiled = _compile(document)
    except ScenarioError as error:
        return ScenarioCheck(document.path, None, error.issues)
    problems = lint_scenario(compiled.scenario) + lint_expressions(compiled)
    warnings = issues_at(document, problems, "warning")
    return ScenarioCheck(document.path, compiled, sorted(warnings))


def validated(document: YamlDocument, model: type[M]) -> M:
    """The document's data as `model` (a scenario, a policy); otherwise a ScenarioError with
    every problem at its file position."""
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        located = pydantic_messages(document, error.errors(include_url=False))
        raise ScenarioError(
            [ScenarioIssue(document.path, m.line, m.column, "error", m.message) for m in located]
        ) from None


def _compile(document: YamlDocument) -> CompiledScenario:
    scenario = validated(document, Scenario)
    digest = hashlib.sha256(document.raw).hexdigest()
    compiled, failures = compile_scenario(scenario, source_hash=digest, path=document.path)
    problems = check_references(scenario) + failures
    if problems:
        raise ScenarioError(issues_at(document, problems, "error"))
    return compiled


def issues_at(
    document: YamlDocument, problems: list[tuple[Loc, str]], severity: Severity
) -> list[ScenarioIssue]:
    """Problems found past the schema (references, a policy against its scenario) as issues at
    their file positions, worded `where: message`, each once, in file order."""
    issues = set()
    for loc, message in problems:
        line, column = document.locate(loc, key=bool(loc) and loc[-1] == "[key]")
        where = show_path(document.resolve(loc))
        issues.add(ScenarioIssue(document.path, line, column, severity, f"{where}: {message}"))
    return sorted(issues)
