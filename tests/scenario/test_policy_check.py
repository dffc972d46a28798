"""Policy files as `ttx validate` sees them: told from scenarios, checked alone or against one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from simulator.engine.policies import PolicyFile, unknown_rule_results
from simulator.engine.policy_check import check_policy, is_policy
from simulator.scenario.loader import load_scenario
from simulator.scenario.yaml_safe import read_yaml, read_yaml_text

DATA = Path(__file__).parent.parent / "data"
POLICIES = DATA / "policies"
FULL = load_scenario(DATA / "valid" / "full.yaml")


@pytest.mark.parametrize(
    ("data", "policy"),
    [
        ({"kind": "policy"}, True),
        ({"kind": "policy", "schema_version": 1}, True),
        ({"kind": "scenario", "name": "x", "decisions": {}}, False),
        ({"name": "x", "decisions": {}}, True),
        ({"name": "x", "decisions": {}, "schema_version": 1}, False),
        ({"name": "x"}, False),
        ({"kind": "polcy", "name": "x", "decisions": {}}, True),  # a typo: the shape decides
    ],
)
def test_policy_files_are_recognised_by_kind_or_shape(data: dict[str, Any], policy: bool) -> None:
    assert is_policy(data) is policy


def issues(name: str, *, against_full: bool) -> list[str]:
    path = POLICIES / name
    found = check_policy(read_yaml(path), FULL if against_full else None)
    return [str(issue).removeprefix(f"{path}:") for issue in found]


def test_a_policy_alone_is_checked_against_its_schema_only() -> None:
    assert issues("unknown_ids.yaml", against_full=False) == []
    assert issues("bad_schema.yaml", against_full=False) == [
        "5:12: error: decisions.posture: missing required field 'rule'",
        "5:12: error: decisions.posture: missing required field 'weights'",
        "5:13: error: decisions.posture.wieghts: unknown field 'wieghts'",
    ]


def test_unknown_decisions_and_options_are_errors_against_a_scenario() -> None:
    assert issues("unknown_ids.yaml", against_full=True) == [
        "4:12: error: decisions.postrue: unknown decision 'postrue'; did you mean 'posture'?",
        "5:12: error: decisions.posture: decision 'posture' has no option 'retreat'",
    ]


def test_a_rule_result_that_is_no_option_is_a_warning_at_the_rule() -> None:
    # "hol\x64" is 'hold' once CEL reads the escape, as at run time: only 'wait' is reported.
    assert issues("rule_no_option.yaml", against_full=True) == [
        "4:19: warning: decisions.posture.rule: the rule can give 'wait', which is not an "
        "option of 'posture', so a run taking that branch stops with an error; its options "
        "are hold, reinforce"
    ]


def test_a_policy_that_says_its_kind_is_valid() -> None:
    assert issues("firm.yaml", against_full=True) == []
    assert PolicyFile.model_validate({"kind": "policy", "name": "p"}).kind == "policy"


@pytest.mark.parametrize(
    ("rule", "reported"),
    [
        ("'hold'", []),
        ("'stay'", ["stay"]),
        ("chem.used ? 'reinforce' : 'stay'", ["stay"]),
        ("chem.used ? ('a' ) : (t > 1.0 ? 'b' : 'hold')", ["a", "b"]),
        ("chem.used ? 'x' : chem.used ? 'x' : 'hold'", ["x"]),  # each text once
        ("r'ho\\x'", ["ho\\x"]),  # a raw string keeps its backslash
        ("chem.used ? chosen.posture : 'hold'", []),  # not a literal: nothing to say
        ("'ho' + 'ld'", []),
    ],
)
def test_rule_results_are_the_string_leaves_of_conditionals(rule: str, reported: list[str]) -> None:
    spec = PolicyFile.model_validate({"name": "p", "decisions": {"posture": {"rule": rule}}})
    found = unknown_rule_results(spec, FULL.scenario)
    given = [message.split(", which")[0].removeprefix("the rule can give ") for _, message in found]
    assert given == [repr(text) for text in reported]
    assert all(loc == ("decisions", "posture", "rule") for loc, _ in found)


def test_rules_for_unknown_decisions_are_left_to_the_errors() -> None:
    spec = PolicyFile.model_validate({"name": "p", "decisions": {"nope": {"rule": "'x'"}}})
    assert unknown_rule_results(spec, FULL.scenario) == []


def test_a_policy_document_from_text_is_located_in_it() -> None:
    document = read_yaml_text("name: p\ndecisions:\n  posture: {rule: \"'go'\"}\n", "p.yaml")
    assert [str(issue).split(": the rule")[0] for issue in check_policy(document, FULL)] == [
        "p.yaml:3:19: warning: decisions.posture.rule"
    ]
