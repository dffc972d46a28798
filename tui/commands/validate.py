"""`ttx validate`: check scenario and policy files and report every problem with its position."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from tui.commands.errors import EXIT_INVALID, fail_with_issues

if TYPE_CHECKING:
    from simulator.scenario.compiled import CompiledScenario
    from simulator.scenario.errors import ScenarioIssue

Kind = Literal["scenario", "policy"]
SCHEMA_ONLY = "ok (schema only: pass --scenario to check it against a scenario)"


def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Scenario or policy files to check.", metavar="PATH", show_default=False
        ),
    ],
    scenario: Annotated[
        Path | None,
        typer.Option(
            "--scenario",
            help="Check policy files against this scenario (its decisions, options and names).",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Treat warnings as errors (exit 1 on any).")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON document instead of lines.")
    ] = False,
) -> None:
    """Check scenario and policy files: `PATH: ok` for each valid one, else one line per problem.

    Problems are printed as `path:line:col: error: message`, sorted; warnings (injects that can
    never fire, conditions only checked at events, values clamped at a default bound, policy
    rules giving no option, ...) as `... warning: ...`. A policy file says `kind: policy`, or
    has `name` and `decisions` but no `schema_version`; it is checked against its own schema, or
    with `--scenario` against that scenario. The exit code is 1 when any file has an error.
    """
    from simulator.scenario.loader import check_scenario

    against = None
    if scenario is not None:
        base = check_scenario(scenario)
        if base.compiled is None:
            fail_with_issues(base.issues)
        against = base.compiled
    results: list[dict[str, Any]] = []
    failed = False
    for path in paths:
        kind, issues = _check(path, against)
        if strict:
            issues = [dataclasses.replace(issue, severity="error") for issue in issues]
        ok = not any(issue.severity == "error" for issue in issues)
        failed = failed or not ok
        result: dict[str, Any] = {"path": str(path), "kind": kind, "ok": ok}
        if kind == "policy":
            result["scenario"] = None if scenario is None else str(scenario)
        results.append({**result, "issues": [i.as_dict() for i in issues]})
        if not as_json:
            for issue in issues:
                typer.echo(str(issue))
            if ok:
                alone = kind == "policy" and against is None
                typer.echo(f"{path}: {SCHEMA_ONLY if alone else 'ok'}")
    if as_json:
        typer.echo(json.dumps(results, indent=2))
    if failed:
        raise typer.Exit(EXIT_INVALID)


def _check(path: Path, against: CompiledScenario | None) -> tuple[Kind | None, list[ScenarioIssue]]:
    """The file's kind (None when it cannot be read) and every issue found in it."""
    from simulator.engine.policy_check import check_policy, is_policy
    from simulator.scenario.errors import ScenarioError
    from simulator.scenario.loader import check_document
    from simulator.scenario.yaml_safe import read_yaml

    try:
        document = read_yaml(path)
    except ScenarioError as error:
        return None, error.issues
    if is_policy(document.data):
        return "policy", check_policy(document, against)
    return "scenario", check_document(document).issues
