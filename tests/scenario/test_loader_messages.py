"""Loading a scenario: the result, and one readable positioned line per problem."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from simulator.scenario.errors import ScenarioError
from simulator.scenario.loader import check_scenario, load_scenario, load_scenario_text

FULL = Path(__file__).parent.parent / "data" / "valid" / "full.yaml"
TEXT = FULL.read_text()


def errors(*edits: tuple[str, str]) -> list[str]:
    text = TEXT
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    with pytest.raises(ScenarioError) as caught:
        load_scenario_text(text, "s.yaml")
    return [str(issue) for issue in caught.value.issues]


def test_valid_file_loads_with_hash_and_path() -> None:
    compiled = load_scenario(FULL)
    assert compiled.path == str(FULL)
    assert compiled.source_hash == hashlib.sha256(FULL.read_bytes()).hexdigest()
    assert compiled.scenario.meta.id == "test-full"
    assert len(compiled.expressions) == 6


def test_valid_file_has_no_warnings() -> None:
    check = check_scenario(FULL)
    assert check.ok
    assert check.issues == []


def test_text_variant_names_the_given_path() -> None:
    assert load_scenario_text(TEXT, "mine.yaml").path == "mine.yaml"


def test_unknown_key_suggests_the_field() -> None:
    assert errors(("probability: 0.8", "probabilty: 0.8")) == [
        "s.yaml:77:5: error: injects[1].probabilty: unknown field 'probabilty'; "
        "did you mean 'probability'?"
    ]


def test_unknown_key_inside_a_distribution_suggests_its_field() -> None:
    assert errors(("trigger: {at: 2h}", "trigger: {at: {dist: uniform, low: 1, hihg: 2}}")) == [
        "s.yaml:66:19: error: injects[0].trigger.at: missing required field 'high'",
        "s.yaml:66:43: error: injects[0].trigger.at.hihg: unknown field 'hihg'; "
        "did you mean 'high'?",
    ]


def test_missing_field_points_at_its_mapping() -> None:
    assert errors(("  title: Northern Shield (test)\n", "")) == [
        "s.yaml:4:3: error: meta: missing required field 'title'"
    ]


def test_union_keeps_the_branch_that_fits_what_was_written() -> None:
    assert errors(("trigger: {at: 2h}", "trigger: {at: {dist: unifrm, mean: 1}}")) == [
        "s.yaml:66:19: error: injects[0].trigger.at: unknown dist 'unifrm'; did you mean 'uniform'?"
    ]
    assert errors(("trigger: {at: 2h}", "trigger: {at: -3}")) == [
        "s.yaml:66:19: error: injects[0].trigger.at: a duration cannot be negative"
    ]


def test_union_reports_a_distribution_rule_alone() -> None:
    assert errors(("trigger: {at: 2h}", "trigger: {at: {dist: uniform, low: 5, high: 1}}")) == [
        "s.yaml:66:19: error: injects[0].trigger.at: uniform: 'high' must be at least 'low'"
    ]
    assert errors(("by: 0.1}", "by: {dist: triangular, low: 5, mode: 1, high: 2}}")) == [
        "s.yaml:73:56: error: injects[0].effects[0].by: triangular: need low <= mode <= high"
    ]


def test_union_with_no_fitting_branch_is_one_line() -> None:
    assert errors(("trigger: {at: 2h}", "trigger: {at: [1]}")) == [
        "s.yaml:66:19: error: injects[0].trigger.at: expected a duration such as '36h' or "
        "'2d 6h' or a mapping (got a list)"
    ]
    assert errors(('probability: "0.01 + 0.05 * vars.tension"', "probability: [1]")) == [
        "s.yaml:117:16: error: chemical_use.probability: expected a number or a string (got a list)"
    ]


def test_probability_number_or_expression() -> None:
    assert errors(('probability: "0.01 + 0.05 * vars.tension"', "probability: 1.5")) == [
        "s.yaml:117:16: error: chemical_use.probability: must be between 0 and 1 (got 1.5)"
    ]


def test_effect_kind_and_trigger_kind() -> None:
    assert errors(("{type: adjust_variable, variable", "{type: adjust_variabel, variable")) == [
        "s.yaml:73:9: error: injects[0].effects[0]: unknown type 'adjust_variabel'; "
        "did you mean 'adjust_variable'?"
    ]
    assert errors(("trigger: {at: 2h}", "trigger: {bogus: 1}")) == [
        "s.yaml:66:14: error: injects[0].trigger: a trigger needs one of the keys 'at', 'when', "
        "'after', 'on_decision', 'on_chemical'"
    ]


def test_literals_patterns_and_dates() -> None:
    assert errors(("strength: 1200", "strength: -5\n    kind: tanks")) == [
        "s.yaml:52:15: error: units[0].strength: must be at least 0 (got -5)",
        "s.yaml:53:11: error: units[0].kind: must be battlegroup, brigade, division, air, naval, "
        "cbrn_defence, medical, logistics, reserve, civil_protection or other (got 'tanks')",
    ]
    assert errors(("alliance: normal", "Alliance: normal")) == [
        "s.yaml:45:5: error: alert.initial.Alliance: invalid id 'Alliance': use lower-case "
        "letters, digits and underscores, starting with a letter"
    ]
    assert errors(("start: 2030-03-01T08:00:00Z", "start: yesterday")) == [
        "s.yaml:15:10: error: clock.start: invalid date-time (got 'yesterday'): write ISO 8601, "
        "such as 2030-03-01T08:00:00Z"
    ]
    assert errors(("schema_version: 1", "schema_version: 2")) == [
        "s.yaml:2:17: error: schema_version: must be 1 (got 2)"
    ]


def test_model_rule_errors_point_at_the_model() -> None:
    assert errors(("initial: 0.2", "initial: 5")) == [
        "s.yaml:59:5: error: variables[0]: variable 'tension': 'initial' must lie within [min, max]"
    ]


def test_every_reference_kind_is_checked() -> None:
    assert errors(
        ("members: [nordland, ostland]", "members: [nordland, westmark]"),
        ("nordland: normal", "nordlnd: normal"),
        ("lead: ostland", "lead: oslo"),
        ("targets: {elevated: 0.6", "targets: {elevatd: 0.6"),
        ("scope: alliance\n", "scope: allianse\n"),
        ("objective: coordinate", "objective: coordinat"),
        ("objectives: [inform]", "objectives: [infrom]"),
        ("decision: posture, delay: 1h", "decision: postur, delay: 1h"),
        ("units: [bg_nordland], posture", "units: [bg_nordlnd], posture"),
        ("{on_decision: posture, option: reinforce}", "{on_decision: posture, option: reinforc}"),
        ("inject: follow_up", "inject: folow_up"),
        ("scope: alliance, level: elevated", "scope: alliance, level: elevatd"),
        ("default: hold", "default: hodl"),
        ("affected: [nordland, westmark]", "affected: [nordland, westmarc]"),
        ("variable: tension, value: 0.1", "variable: tensoin, value: 0.1"),
    ) == [
        "s.yaml:21:27: error: actors.alliances[0].members[1]: unknown nation 'westmark': "
        "expected one of nordland, ostland",
        "s.yaml:46:5: error: alert.initial.nordlnd: unknown alliance or nation 'nordlnd'; "
        "did you mean 'nordland'?",
        "s.yaml:51:11: error: units[0].lead: unknown nation or partner 'oslo': expected one of "
        "nordland, ostland, westmark",
        "s.yaml:55:17: error: units[0].readiness.targets.elevatd: unknown level 'elevatd'; "
        "did you mean 'elevated'?",
        "s.yaml:56:14: error: units[0].readiness.scope: unknown alert scope 'allianse'; "
        "did you mean 'alliance'?",
        "s.yaml:71:20: error: injects[0].expected_actions[0].objective: unknown objective "
        "'coordinat'; did you mean 'coordinate'?",
        "s.yaml:78:18: error: injects[1].objectives[0]: unknown objective 'infrom'; "
        "did you mean 'inform'?",
        "s.yaml:80:41: error: injects[1].effects[0].decision: unknown decision 'postur'; "
        "did you mean 'posture'?",
        "s.yaml:85:36: error: injects[2].effects[0].scope: unknown alert scope 'nordland'; "
        "did you mean 'nordlnd'?",
        "s.yaml:86:37: error: injects[2].effects[1].units[0]: unknown unit 'bg_nordlnd'; "
        "did you mean 'bg_nordland'?",
        "s.yaml:95:45: error: injects[5].trigger.option: unknown option 'reinforc'; "
        "did you mean 'reinforce'?",
        "s.yaml:104:41: error: decisions[0].options[0].effects[0].inject: unknown inject "
        "'folow_up'; did you mean 'follow_up'?",
        "s.yaml:108:55: error: decisions[0].options[1].effects[0].level: unknown level "
        "'elevatd'; did you mean 'elevated'?",
        "s.yaml:110:14: error: decisions[0].default: unknown option 'hodl'; did you mean 'hold'?",
        "s.yaml:130:28: error: chemical_use.bands[1].affected[1]: unknown nation or partner "
        "'westmarc'; did you mean 'westmark'?",
        "s.yaml:133:38: error: chemical_use.bands[1].effects[0].scope: unknown alert scope "
        "'nordland'; did you mean 'nordlnd'?",
        "s.yaml:138:40: error: rules[0].effects[0].variable: unknown variable 'tensoin'; "
        "did you mean 'tension'?",
    ]


def test_duplicate_ids_share_the_actor_namespace() -> None:
    assert errors(("    - id: westmark", "    - id: nordland")) == [
        "s.yaml:28:11: error: actors.partners[0].id: duplicate actor id 'nordland' "
        "(already used by actors.nations[0])",
        "s.yaml:130:28: error: chemical_use.bands[1].affected[1]: unknown nation or partner "
        "'westmark': expected one of nordland, ostland",
    ]


def test_unit_needs_an_alert_scope() -> None:
    assert errors(("      scope: alliance\n", ""), ("host: nordland", "host: westmark")) == [
        "s.yaml:54:7: error: units[0].readiness: no alert level drives unit 'bg_nordland': its "
        "host 'westmark' has no alert level and no alliance it belongs to has one; set 'scope'"
    ]


def test_on_chemical_needs_a_chemical_section() -> None:
    start = TEXT.index("chemical_use:")
    end = TEXT.index("rules:")
    text = TEXT[:start] + TEXT[end:]
    with pytest.raises(ScenarioError) as caught:
        load_scenario_text(text, "s.yaml")
    assert [str(i) for i in caught.value.issues] == [
        "s.yaml:92:28: error: injects[4].trigger.on_chemical: the scenario has no chemical_use "
        "section to trigger on"
    ]


def test_expression_errors_are_all_reported_with_reference_errors() -> None:
    assert errors(
        ('when: "t > 72.0 && !chem.used"', 'when: "t > 72 &&"'),
        ("expr: vars.tension", "expr: vars.tensio"),
        ("after: border_report", "after: border"),
    ) == [
        "s.yaml:76:22: error: injects[1].trigger.after: unknown inject 'border'; "
        "did you mean 'border_report'?",
        "s.yaml:136:11: error: rules[0].when: expression does not parse at character 10: "
        "mismatched input '<EOF>'",
        "s.yaml:148:13: error: analysis.metrics[0].expr: unknown name 'vars.tensio'; "
        "did you mean 'vars.tension'?",
    ]


@pytest.mark.timeout(30)
def test_thousands_of_dangling_ids_stay_fast() -> None:
    # Did-you-mean work is budgeted: unbounded, this file took a minute.
    minimal = (FULL.parent / "minimal.yaml").read_text()
    text = minimal + "".join(
        f"  - {{id: inject_{k}, title: x, trigger: {{after: inject_{k}x}}}}\n"
        f"  - {{id: check_{k}, title: x, trigger: {{when: 'fired.inject_{k}y'}}}}\n"
        for k in range(1500)
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario_text(text, "many.yaml")
    messages = [issue.message for issue in caught.value.issues]
    assert len(messages) == 3000
    assert messages[0] == (
        "injects[1].trigger.after: unknown inject 'inject_0x'; did you mean 'inject_0'?"
    )
    assert messages[-1] == "injects[3000].trigger.when: unknown name 'fired.inject_1499y'"


@pytest.mark.timeout(10)
def test_nested_comprehensions_are_refused_before_evaluation() -> None:
    # Six nested levels over ten elements took ten seconds to evaluate once.
    digits = "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"
    condition = "1"
    for level in range(8):
        condition = f"{digits}.map(x{level}, {condition})"
    assert errors(('when: "t > 72.0 && !chem.used"', f'when: "size({condition}) > 0"')) == [
        "s.yaml:136:11: error: rules[0].when: comprehensions (all, exists, exists_one, map, "
        "filter) cannot be nested"
    ]


@pytest.mark.parametrize("char", ["\\e", "\\0", "\\x9b", "\\r", "\\x7f"])
def test_control_characters_in_text_are_refused_where_they_stand(char: str) -> None:
    # An escape sequence in a title would reach the facilitator's terminal as a command.
    line = next(n for n, text in enumerate(TEXT.splitlines(), 1) if "  title:" in text)
    found = errors(("  title:", f'  title: "a{char}]0;x" #'))
    assert len(found) == 1
    assert found[0].startswith(f"s.yaml:{line}:")
    assert "control character U+" in found[0]
    assert "(tab and newline are)" in found[0]


def test_tab_newline_and_bidirectional_marks_are_text() -> None:
    load_scenario_text(TEXT.replace("  title:", '  title: "a\\tb\\u202ec" #', 1), "s.yaml")
