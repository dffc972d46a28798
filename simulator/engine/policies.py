"""Policies (courses of action): how decision points are answered when no room is present.

A policy is data, never code: per decision point a fixed option, weights for a random choice
(drawn from that decision's own stream), or a CEL rule giving an option id. Decisions a policy
does not mention take their default option.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, Protocol

from pydantic import Field, ValidationError

from simulator.engine.state import SimulationError
from simulator.scenario import cel_syntax
from simulator.scenario.cel_runtime import cel
from simulator.scenario.common import Id, Model, Text
from simulator.scenario.compiled import CompiledScenario, Loc
from simulator.scenario.distributions import weighted_index
from simulator.scenario.errors import ScenarioError
from simulator.scenario.expressions import CompiledExpression, ExpressionCompiler, ExpressionError
from simulator.scenario.loader import issues_at, validated
from simulator.scenario.models import Decision, Scenario
from simulator.scenario.suggest import did_you_mean
from simulator.scenario.triggers import Expr
from simulator.scenario.yaml_safe import YamlDocument, read_yaml


class PolicyView(Protocol):
    """What a policy may look at when answering: the state, through expressions, and its own
    random stream per decision point."""

    def evaluate(self, expression: CompiledExpression) -> object: ...

    def random(self, decision_id: str) -> float: ...


class Policy(Protocol):
    """Anything that can answer a decision point headlessly."""

    @property
    def name(self) -> str: ...

    def choose(self, decision: Decision, view: PolicyView) -> str: ...


class WeightedAnswer(Model):
    """Choose at random with these relative weights."""

    weights: Annotated[
        dict[Id, Annotated[float, Field(ge=0, allow_inf_nan=False)]], Field(min_length=1)
    ]
    """Relative weight per option id; options left out are never chosen."""


class RuleAnswer(Model):
    """Choose the option a CEL expression names, e.g. `chem.used ? 'reinforce' : 'hold'`."""

    rule: Expr
    """A CEL expression over the exercise state giving an option id."""


class PolicyFile(Model):
    """A course of action as written in a policy YAML file."""

    kind: Literal["policy"] | None = None
    """Optional: `policy` says what the file is, so `ttx validate` never takes it for a
    scenario."""
    name: Annotated[str, Field(min_length=1, max_length=100)]
    """Short name shown in batch results and comparisons."""
    description: Text = ""
    """What this course of action stands for."""
    decisions: dict[Id, Id | WeightedAnswer | RuleAnswer] = {}
    """Per decision id: an option id, `{weights: {...}}` or `{rule: "..."}`."""


@dataclass(frozen=True)
class ScenarioPolicy:
    """A policy checked against one scenario's decisions and options."""

    name: str
    description: str = ""
    fixed: dict[str, str] = field(default_factory=dict)
    weighted: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)
    rules: dict[str, CompiledExpression] = field(default_factory=dict)

    def choose(self, decision: Decision, view: PolicyView) -> str:
        if decision.id in self.fixed:
            return self.fixed[decision.id]
        if decision.id in self.weighted:
            options = self.weighted[decision.id]
            index = weighted_index(view.random(decision.id), [w for _, w in options])
            return options[index][0]
        if decision.id in self.rules:
            answer = view.evaluate(self.rules[decision.id])
            if answer not in {o.id for o in decision.options}:
                raise SimulationError(
                    f"policy {self.name!r}: the rule for {decision.id!r} gave {answer!r}, "
                    "which is not one of its options"
                )
            return str(answer)
        return decision.default


class PolicyError(ValueError):
    """A policy does not fit its scenario; `problems` lists (location, message) pairs."""

    def __init__(self, problems: list[tuple[tuple[str | int, ...], str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(message for _, message in problems))


def default_policy() -> ScenarioPolicy:
    """Every decision takes its default option."""
    return ScenarioPolicy(name="default", description="Each decision takes its default option.")


def fixed_policy(name: str, choices: dict[str, str]) -> ScenarioPolicy:
    """The given option at each listed decision, the default elsewhere (not checked)."""
    return ScenarioPolicy(name=name, fixed=dict(choices))


def build_policy(data: Any, compiled: CompiledScenario) -> ScenarioPolicy:
    """Validate policy data against a scenario; raise PolicyError listing every problem."""
    try:
        spec = PolicyFile.model_validate(data)
    except ValidationError as error:
        raise PolicyError(
            [
                (tuple(e["loc"]), f"{'.'.join(map(str, e['loc']))}: {e['msg']}")
                for e in error.errors()
            ]
        ) from None
    return policy_for(spec, compiled)


def policy_for(spec: PolicyFile, compiled: CompiledScenario) -> ScenarioPolicy:
    """Check a policy against a scenario's decisions, options and names; raise PolicyError
    listing every problem."""
    decisions = {d.id: d for d in compiled.scenario.decisions}
    compiler = ExpressionCompiler(compiled.scenario)
    problems: list[tuple[tuple[str | int, ...], str]] = []
    fixed: dict[str, str] = {}
    weighted: dict[str, tuple[tuple[str, float], ...]] = {}
    rules: dict[str, CompiledExpression] = {}
    for decision_id, answer in spec.decisions.items():
        loc: tuple[str | int, ...] = ("decisions", decision_id)
        decision = decisions.get(decision_id)
        if decision is None:
            hint = did_you_mean(decision_id, decisions)
            problems.append((loc, f"unknown decision {decision_id!r}{hint}"))
            continue
        option_ids = [o.id for o in decision.options]
        if isinstance(answer, str):
            if answer not in option_ids:
                hint = did_you_mean(answer, option_ids)
                problems.append((loc, f"decision {decision_id!r} has no option {answer!r}{hint}"))
            fixed[decision_id] = answer
        elif isinstance(answer, WeightedAnswer):
            unknown = [o for o in answer.weights if o not in option_ids]
            if unknown:
                problems.append((loc, f"decision {decision_id!r} has no option {unknown[0]!r}"))
            if sum(answer.weights.values()) <= 0:
                problems.append((loc, "weights must not all be zero"))
            weighted[decision_id] = tuple((o, w) for o, w in answer.weights.items() if w > 0)
        else:
            try:
                rules[decision_id] = compiler.compile(answer.rule, "string")
            except ExpressionError as error:
                problems.append(((*loc, "rule"), str(error)))
    if problems:
        raise PolicyError(problems)
    return ScenarioPolicy(spec.name, spec.description, fixed, weighted, rules)


def unknown_rule_results(spec: PolicyFile, scenario: Scenario) -> list[tuple[Loc, str]]:
    """A warning for each text a rule can give that is no option of its decision.

    The rule compiles (it gives a string), but a run that takes such a branch stops with an
    error at the decision, possibly thousands of replications into a batch.
    """
    decisions = {d.id: d for d in scenario.decisions}
    problems: list[tuple[Loc, str]] = []
    for decision_id, answer in spec.decisions.items():
        decision = decisions.get(decision_id)
        if decision is None or not isinstance(answer, RuleAnswer):
            continue
        option_ids = [o.id for o in decision.options]
        for result in dict.fromkeys(_literal_results(answer.rule)):
            if result not in option_ids:
                problems.append(
                    (
                        ("decisions", decision_id, "rule"),
                        f"the rule can give {result!r}, which is not an option of "
                        f"{decision_id!r}, so a run taking that branch stops with an error; "
                        f"its options are {', '.join(option_ids)}",
                    )
                )
    return problems


def _literal_results(rule: str) -> Iterator[str]:
    """The string literals a rule can give: the leaves of its `? :` branches, in order."""
    try:
        tree = cel_syntax.parse(rule)
    except cel_syntax.CelSyntaxError:
        return
    for leaf in _leaves(tree):
        if isinstance(leaf, cel_syntax.Literal) and leaf.kind == "string":
            # The runtime reads the literal, so escapes and raw strings mean what runs see.
            yield str(cel.evaluate(rule[leaf.start : leaf.end]))


def _leaves(node: cel_syntax.Node) -> Iterator[cel_syntax.Node]:
    if isinstance(node, cel_syntax.Conditional):
        yield from _leaves(node.then)
        yield from _leaves(node.otherwise)
    else:
        yield node


def load_policy(path: str | Path, compiled: CompiledScenario) -> ScenarioPolicy:
    """Read a policy YAML file with the scenario loader's safe reader and check it."""
    return load_policy_document(read_yaml(Path(path)), compiled)


def load_policy_document(document: YamlDocument, compiled: CompiledScenario) -> ScenarioPolicy:
    """The policy an already read file gives against `compiled`.

    Problems are raised as a `ScenarioError` whose issues carry the policy file's positions,
    worded like scenario errors (the same issues `ttx validate --scenario` reports as errors).
    """
    spec = validated(document, PolicyFile)
    try:
        return policy_for(spec, compiled)
    except PolicyError as error:
        raise ScenarioError(issues_at(document, error.problems, "error")) from None
