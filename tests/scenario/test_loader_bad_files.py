"""Each class of bad scenario file, kept in tests/data/bad, and the exact lines it produces."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from simulator.scenario.errors import ScenarioError
from simulator.scenario.loader import load_scenario
from simulator.scenario.yaml_safe import MAX_BYTES, read_yaml_bytes

BAD = Path(__file__).parent.parent / "data" / "bad"

EXPECTED = {
    "alias_bomb.yaml": [
        "6:8: error: aliases expand to more than 10000 values; write them out",
    ],
    "too_many_aliases.yaml": [
        "3:408: error: too many aliases: at most 100 are allowed",
    ],
    "duplicate_key.yaml": [
        "5:3: error: duplicate key 'title' (first defined on line 4)",
    ],
    "python_tag.yaml": [
        "2:7: error: tag '!!python/object/apply:os.system' is not allowed: use plain YAML values",
    ],
    "unknown_tag.yaml": [
        "4:10: error: tag '!secret' is not allowed: use plain YAML values",
    ],
    "not_utf8.yaml": [
        "4:13: error: the file is not UTF-8: byte 0xe9 is invalid",
    ],
    "top_level_list.yaml": [
        "1:1: error: the top level must be a mapping, not a list",
    ],
    "top_level_scalar.yaml": [
        "1:1: error: the top level must be a mapping, not a single value",
    ],
    "deep_nesting.yaml": [
        "2:67: error: nesting is deeper than 64 levels",
    ],
    "empty.yaml": [
        "1:1: error: the file is empty: expected a YAML mapping",
    ],
    "wrong_type.yaml": [
        "5:10: error: meta.title: expected a string (got a list)",
        "8:13: error: clock.duration: expected a duration such as '36h' or '2d 6h' (got a mapping)",
    ],
    "negative_duration.yaml": [
        "8:13: error: clock.duration: a duration cannot be negative",
    ],
    "nan_duration.yaml": [
        "20:19: error: injects[0].trigger.at: a duration must be a finite number of hours",
    ],
    "probability_out_of_range.yaml": [
        "21:18: error: injects[0].probability: must be between 0 and 1 (got 1.5)",
    ],
    "dangling_id.yaml": [
        "13:23: error: alert.initial.alliance: unknown level 'hihg'; did you mean 'high'?",
        "23:22: error: injects[1].trigger.after: unknown inject 'openign'; did you mean 'opening'?",
    ],
    "duplicate_id.yaml": [
        "21:9: error: injects[1].id: duplicate inject id 'opening' (already used by injects[0])",
    ],
    "cel_syntax.yaml": [
        "20:21: error: injects[0].trigger.when: expression does not parse at character 19: "
        "mismatched input '<EOF>'",
    ],
    "cel_unknown_name.yaml": [
        "20:21: error: injects[0].trigger.when: unknown name 'alert.alliace'; "
        "did you mean 'alert.alliance'?",
    ],
    "cel_type_error.yaml": [
        "20:21: error: injects[0].trigger.when: condition 't + 1.0' must be true or false, "
        "not float",
    ],
}


def test_every_bad_file_has_a_pinned_message() -> None:
    assert sorted(p.name for p in BAD.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.timeout(2)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_message(name: str) -> None:
    path = BAD / name
    tracemalloc.start()
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 50 * 1024 * 1024
    assert [str(issue) for issue in caught.value.issues] == [
        f"{path}:{line}" for line in EXPECTED[name]
    ]


@pytest.mark.timeout(2)
def test_alias_bomb_is_refused_before_it_expands() -> None:
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(ScenarioError):
        load_scenario(BAD / "alias_bomb.yaml")
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert (BAD / "alias_bomb.yaml").stat().st_size < 1024
    assert peak < 20 * 1024 * 1024
    assert elapsed < 1.0


@pytest.mark.timeout(2)
def test_file_over_the_size_cap_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# padding\n" * (MAX_BYTES // 10 + 1))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(big)
    assert [str(i) for i in caught.value.issues] == [
        f"{big}:1:1: error: file is too large (over 5 MB, the limit)"
    ]


def test_size_cap_applies_to_bytes_in_memory() -> None:
    with pytest.raises(ScenarioError, match="file is too large"):
        read_yaml_bytes(b" " * (MAX_BYTES + 1), "mem.yaml")


def test_missing_file_is_one_issue_without_position(tmp_path: Path) -> None:
    missing = tmp_path / "absent.yaml"
    with pytest.raises(ScenarioError) as caught:
        load_scenario(missing)
    assert [str(i) for i in caught.value.issues] == [f"{missing}:0:0: error: file not found"]


def test_directory_is_one_issue(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path)
    assert [str(i) for i in caught.value.issues] == [
        f"{tmp_path}:0:0: error: is a directory, not a file"
    ]
