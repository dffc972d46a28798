"""Lint warnings: scenarios that load but will not play as their author meant."""

from __future__ import annotations

from simulator.scenario.loader import check_document
from simulator.scenario.yaml_safe import read_yaml_text

BASE = """\
schema_version: 1
meta:
  id: lint
  title: Lint test
clock: {start: 2030-01-01T00:00:00Z, duration: 2d}
actors:
  alliances: [{id: alliance, name: The Alliance}]
alert:
  levels: [{id: low, label: Low}, {id: high, label: High}]
  initial: {alliance: low}
"""


def warnings(extra: str) -> list[str]:
    check = check_document(read_yaml_text(BASE + extra, "l.yaml"))
    assert check.ok, check.issues
    assert all(issue.severity == "warning" for issue in check.issues)
    return [str(issue) for issue in check.issues]


def test_clean_scenario_has_no_warnings() -> None:
    assert warnings("injects:\n  - {id: a, title: A, trigger: {at: 1h}}\n") == []


def test_inject_nothing_fires() -> None:
    assert warnings("injects:\n  - {id: a, title: A}\n") == [
        "l.yaml:12:10: warning: injects[0].id: inject 'a' can never fire: it has no trigger and "
        "no fire_inject effect names it"
    ]


def test_inject_with_probability_zero_and_its_follower() -> None:
    assert warnings(
        "injects:\n"
        "  - {id: a, title: A, trigger: {at: 1h}, probability: 0}\n"
        "  - {id: b, title: B, trigger: {after: a}}\n"
    ) == [
        "l.yaml:12:55: warning: injects[0].probability: inject 'a' never fires: probability 0",
        "l.yaml:13:32: warning: injects[1].trigger: inject 'b' can never fire: nothing that "
        "starts it can happen",
    ]


def test_condition_literally_false() -> None:
    assert warnings("injects:\n  - {id: a, title: A, trigger: {when: 'false'}}\n") == [
        "l.yaml:12:39: warning: injects[0].trigger.when: inject 'a' can never fire: its "
        "condition is always false"
    ]


def test_inject_after_the_end() -> None:
    assert warnings("injects:\n  - {id: a, title: A, trigger: {at: 3d}}\n") == [
        "l.yaml:12:37: warning: injects[0].trigger.at: inject 'a' is scheduled at 3d, after the "
        "exercise ends (2d)"
    ]


def test_inject_started_by_an_effect_is_live() -> None:
    assert (
        warnings(
            "injects:\n"
            "  - id: a\n    title: A\n    trigger: {at: 1h}\n"
            "    effects: [{type: fire_inject, inject: b, delay: 1h}]\n"
            "  - {id: b, title: B}\n"
        )
        == []
    )


def test_rule_effects_start_injects() -> None:
    assert (
        warnings(
            "injects:\n  - {id: a, title: A}\n"
            "rules:\n  - id: r\n    when: t > 1.0\n    effects: [{type: fire_inject, inject: a}]\n"
        )
        == []
    )


def test_objective_nothing_points_at() -> None:
    text = BASE.replace(
        "  title: Lint test\n",
        "  title: Lint test\n  objectives:\n    - {id: used, text: U}\n    - {id: idle, text: I}\n",
    )
    check = check_document(
        read_yaml_text(
            text + "injects:\n  - {id: a, title: A, trigger: {at: 1h}, objectives: [used]}\n",
            "l.yaml",
        )
    )
    assert [str(i) for i in check.issues] == [
        "l.yaml:7:12: warning: meta.objectives[1].id: objective 'idle' is not exercised: no "
        "inject, decision or expected action points at it"
    ]


def test_decision_never_opened() -> None:
    assert warnings(
        "decisions:\n"
        "  - id: d\n    title: D\n    prompt: P?\n    default: x\n"
        "    options: [{id: x, label: X}, {id: y, label: Y}]\n"
    ) == [
        "l.yaml:12:9: warning: decisions[0].id: decision 'd' never opens (it has no trigger and "
        "no open_decision effect names it), so none of its options is reachable"
    ]


def test_cycle_of_after_triggers() -> None:
    assert warnings(
        "injects:\n"
        "  - {id: a, title: A, trigger: {after: b}}\n"
        "  - {id: b, title: B, trigger: {after: a}}\n"
    ) == [
        "l.yaml:12:10: warning: injects[0].id: trigger cycle: inject 'a' -> inject 'b' -> "
        "inject 'a'",
        "l.yaml:12:32: warning: injects[0].trigger: inject 'a' can never fire: nothing that "
        "starts it can happen",
        "l.yaml:13:32: warning: injects[1].trigger: inject 'b' can never fire: nothing that "
        "starts it can happen",
    ]


def test_cycle_of_zero_delay_effects_through_a_decision() -> None:
    assert warnings(
        "injects:\n"
        "  - id: a\n    title: A\n    trigger: {at: 1h}\n"
        "    effects: [{type: open_decision, decision: d}]\n"
        "decisions:\n"
        "  - id: d\n    title: D\n    prompt: P?\n    default: x\n"
        "    options:\n"
        "      - {id: x, label: X, effects: [{type: fire_inject, inject: a}]}\n"
        "      - {id: y, label: Y}\n"
    ) == [
        "l.yaml:12:9: warning: injects[0].id: trigger cycle: inject 'a' -> decision 'd' -> "
        "inject 'a'"
    ]


def test_delayed_effect_loop_is_not_a_cycle() -> None:
    assert (
        warnings(
            "injects:\n"
            "  - id: a\n    title: A\n    trigger: {at: 1h}\n"
            "    effects: [{type: fire_inject, inject: b, delay: 2h}]\n"
            "  - id: b\n    title: B\n"
            "    effects: [{type: fire_inject, inject: a, delay: 2h}]\n"
        )
        == []
    )


def test_self_cycle() -> None:
    assert warnings(
        "injects:\n"
        "  - id: a\n    title: A\n    trigger: {at: 1h}\n"
        "    effects: [{type: fire_inject, inject: a}]\n"
    ) == ["l.yaml:12:9: warning: injects[0].id: trigger cycle: inject 'a' -> inject 'a'"]


def test_long_chain_does_not_exhaust_the_stack() -> None:
    chain = "".join(
        f"  - {{id: i{k}, title: I, trigger: {{after: i{k - 1}}}}}\n" for k in range(1, 3000)
    )
    assert warnings("injects:\n  - {id: i0, title: I, trigger: {at: 1h}}\n" + chain) == []
