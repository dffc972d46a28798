"""Expressions are checked in every branch, and ids written as text must exist."""

from __future__ import annotations

from tests.scenario.test_loader_messages import errors

CONDITION = 'when: "vars.tension > 0.6 && alert.alliance >= level.elevated"'


def test_type_error_behind_a_false_condition_is_a_load_error() -> None:
    found = errors((CONDITION, 'when: "fired.border_report && vars.tension * 2 >= 1.2"'))
    assert len(found) == 1
    assert (
        "injects[2].trigger.when: expression 'fired.border_report && vars.tension * 2 >= 1.2'"
        in found[0]
    )
    assert found[0].endswith("write 2.0 rather than 2, or convert with double(...)")


def test_type_error_in_either_branch_of_a_choice_is_a_load_error() -> None:
    for source in (
        "chem.evaluations > 2 ? 0.01 * day > 0.5 : false",
        "chem.evaluations > 2 ? false : 0.01 * day > 0.5",
        "vars.tension < 0.0 || alert.alliance < 'high'",
    ):
        found = errors((CONDITION, f'when: "{source}"'))
        assert len(found) == 1, source
        assert "cannot be evaluated" in found[0], source


def test_option_band_and_nation_written_as_text_must_exist() -> None:
    found = errors(("chosen.posture == 'hold'", "chosen.posture == 'hodl'"))
    assert found[0].endswith("unknown option of 'posture' 'hodl'; did you mean 'hold'?")
    found = errors((CONDITION, "when: \"chem.band == 'widespread'\""))
    assert "unknown band 'widespread'" in found[0]
    found = errors((CONDITION, "when: \"'atlantis' in chem.affected\""))
    assert "unknown nation 'atlantis'" in found[0]


def test_a_bare_member_name_suggests_its_namespace() -> None:
    found = errors((CONDITION, 'when: "tension > 0.6"'))
    assert found[0].endswith("unknown name 'tension'; did you mean 'vars.tension'?")


def test_booleans_must_be_true_or_false_not_yes_or_no() -> None:
    found = errors(('  probability: "0.01', '  once: "no"\n  probability: "0.01'))
    assert found == ["s.yaml:117:9: error: chemical_use.once: expected true or false (got 'no')"]
