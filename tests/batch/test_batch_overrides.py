"""`--set` and `--sweep`: paths into the YAML data (ids address list items), values as YAML."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from simulator.batch.overrides import (
    OverrideError,
    apply,
    describe,
    parse_assignment,
    parse_sweep,
    sweep_points,
)
from tui.cli import app

COIN = Path(__file__).parent / "data" / "coin.yaml"

DATA = {
    "chemical_use": {"probability": 0.1, "bands": [{"id": "limited", "weight": 1}]},
    "variables": [{"id": "tension", "initial": 0.4}, {"id": "cohesion", "initial": 0.8}],
}


def test_set_reaches_mappings_list_items_by_id_and_by_index() -> None:
    edits = [
        parse_assignment("chemical_use.probability=0.01 + 0.05 * vars.tension"),
        parse_assignment("variables.tension.initial=0.6"),
        parse_assignment("variables.1.initial=0.5"),
        parse_assignment("chemical_use.bands.limited.weight=3"),
        parse_assignment("chemical_use.once=false"),
        parse_assignment("variables.tension.drift={every: 1d, by: 0.01}"),
    ]
    result = apply(DATA, edits)
    assert result["chemical_use"]["probability"] == "0.01 + 0.05 * vars.tension"
    assert result["variables"][0]["initial"] == 0.6
    assert result["variables"][1]["initial"] == 0.5
    assert result["chemical_use"]["bands"][0]["weight"] == 3
    assert result["chemical_use"]["once"] is False
    assert result["variables"][0]["drift"] == {"every": "1d", "by": 0.01}
    assert DATA["variables"][0]["initial"] == 0.4  # the original is untouched


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("variables.fear.initial=1", "'variables' has no item 'fear' (ids: tension, cohesion)"),
        ("nothing.here=1", "the scenario has no field 'nothing'"),
        ("chemical_use.probability.x=1", "'chemical_use.probability' is a value"),
        ("probability", "--set expects PATH=VALUE"),
        ("a..b=1", "invalid path"),
    ],
)
def test_bad_paths_say_what_is_wrong(argument: str, message: str) -> None:
    with pytest.raises(
        OverrideError, match="^.*" + message.replace("(", r"\(").replace(")", r"\)")
    ):
        apply(DATA, [parse_assignment(argument)])


def test_sweep_lists_and_ranges() -> None:
    listed = parse_sweep("posture=hold, reinforce")
    assert listed.values == ("hold", "reinforce")
    ranged = parse_sweep("chemical_use.probability=0.01:0.05:5")
    assert ranged.values == (0.01, 0.02, 0.03, 0.04, 0.05)
    assert parse_sweep("x=1:3:3").values == (1, 2, 3)
    assert parse_sweep("x=0.5:0.1:2").values == (0.5, 0.1)


@pytest.mark.parametrize("argument", ["x=1:2:0", "x=a,,b", "x=1,1", "x", "x=[1,2"])
def test_bad_sweeps_are_refused_in_one_line(argument: str) -> None:
    with pytest.raises(OverrideError) as caught:
        parse_sweep(argument)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("p=0.01:0.05:1", "STEPS is the number of values, ends included, so 1 gives only 0.01; "
                          "give at least 2, or use --set p=0.01 for one value"),
        ("p=0.3:0.3:4", "LO equals HI, so every step is the same value; use --set p=0.3 for one "
                        "value"),
        ("p=hold", "a single value is not a sweep (give V1,V2,... or LO:HI:STEPS); use --set "
                   "p=hold for one value"),
    ],
)  # fmt: skip
def test_a_sweep_of_one_value_is_refused_and_points_to_set(argument: str, message: str) -> None:
    with pytest.raises(OverrideError) as caught:
        parse_sweep(argument)
    assert str(caught.value) == f"--sweep {argument}: {message}"


def test_the_command_line_refuses_a_one_step_sweep_in_one_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    arguments = ["batch", str(COIN), "-n", "5", "--out", str(out)]
    result = CliRunner().invoke(
        app, [*arguments, "--sweep", "chemical_use.probability=0.01:0.05:1"]
    )
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert line == (
        "ttx: error: --sweep chemical_use.probability=0.01:0.05:1: STEPS is the number of "
        "values, ends included, so 1 gives only 0.01; give at least 2, or use "
        "--set chemical_use.probability=0.01 for one value"
    )
    assert not out.exists()


def test_sweep_points_form_the_full_grid_first_sweep_slowest() -> None:
    points = sweep_points([parse_sweep("a=1,2"), parse_sweep("b=x,y,z")])
    assert [describe(p) for p in points] == [
        "a=1, b=x", "a=1, b=y", "a=1, b=z", "a=2, b=x", "a=2, b=y", "a=2, b=z",
    ]  # fmt: skip
    assert sweep_points([]) == [()]
    with pytest.raises(OverrideError, match="only once"):
        sweep_points([parse_sweep("a=1,2"), parse_sweep("a=3,4")])


@given(
    st.integers(min_value=-1000, max_value=1000),
    st.integers(min_value=1, max_value=1000),
    st.integers(min_value=2, max_value=20),
)
def test_ranges_hit_both_ends_with_the_asked_number_of_points(lo: int, span: int, n: int) -> None:
    low, high = lo / 10, (lo + span) / 10
    sweep = parse_sweep(f"x={low!r}:{high!r}:{n}")
    assert len(sweep.values) == n
    assert sweep.values[0] == pytest.approx(low) and sweep.values[-1] == pytest.approx(high)
    assert list(sweep.values) == sorted(sweep.values)
