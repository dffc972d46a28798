"""The safe YAML reader: YAML 1.2 core values, positions, and the smaller guards."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from simulator.scenario import yaml_safe
from simulator.scenario.errors import ScenarioError
from simulator.scenario.yaml_safe import read_yaml, read_yaml_bytes, read_yaml_text


def messages(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        read_yaml_text(text, "f.yaml")
    return [str(i) for i in caught.value.issues]


def test_core_schema_values() -> None:
    text = (
        "a: NO\nb: yes\nc: 0x1F\nd: 1e3\ne: -.inf\nf: '12'\ng: !!str 12\n"
        "h: 2030-03-01T08:00:00Z\ni:\nj: !!float 3\nk: 0o17\nl: True\nm: ~\nn: .NaN\n"
    )
    data = read_yaml_text(text).data
    assert {k: v for k, v in data.items() if k != "n"} == {
        "a": "NO",
        "b": "yes",
        "c": 31,
        "d": 1000.0,
        "e": -math.inf,
        "f": "12",
        "g": "12",
        "h": "2030-03-01T08:00:00Z",
        "i": None,
        "j": 3.0,
        "k": 15,
        "l": True,
        "m": None,
    }
    assert math.isnan(data["n"])


def test_aliases_within_the_cap_are_shared_values() -> None:
    data = read_yaml_text("a: &x [1, 2]\nb: *x\n").data
    assert data == {"a": [1, 2], "b": [1, 2]}


def test_locate_values_keys_and_missing_children() -> None:
    doc = read_yaml_text("meta:\n  id: x\ninjects:\n  - id: a\n    trigger: {at: 5h}\n")
    assert doc.locate(("meta", "id")) == (2, 7)
    assert doc.locate(("meta", "id"), key=True) == (2, 3)
    assert doc.locate(("meta", "title")) == (2, 3)  # missing key: its parent mapping
    # Union labels and discriminator tags in a Pydantic loc are skipped.
    assert doc.locate(("injects", 0, "trigger", "at", "at", "function-before[x]")) == (5, 19)
    assert doc.resolve(("injects", 0, "trigger", "at", "at")) == ("injects", 0, "trigger", "at")


def test_utf8_byte_order_mark_is_accepted() -> None:
    assert read_yaml_bytes(b"\xef\xbb\xbfa: 1\n").data == {"a": 1}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a: b: c\n",
            "f.yaml:1:5: error: invalid YAML: mapping values are not allowed here (check the indentation, or quote a value containing ': ')",
        ),
        (
            "a: 1\n---\nb: 2\n",
            "f.yaml:2:1: error: a file holds one YAML document; found a second one here",
        ),
        (
            "<<: {a: 1}\n",
            "f.yaml:1:1: error: merge keys ('<<') are not supported: write the keys out",
        ),
        (
            "{[a]: 1}\n",
            "f.yaml:1:2: error: mapping keys must be plain values, not a mapping or a list",
        ),
        ("a: *nowhere\n", "f.yaml:1:4: error: alias '*nowhere' has no anchor defined before it"),
        (
            "a: !!binary aGk=\n",
            "f.yaml:1:4: error: tag '!!binary' is not allowed: use plain YAML values",
        ),
        ("a: !!int ten\n", "f.yaml:1:4: error: 'ten' is not a valid !!int"),
        ("a: \x01\n", "f.yaml:1:4: error: invalid YAML: control character #x0001 is not allowed"),
        ("null\n", "f.yaml:1:1: error: the file is empty: expected a YAML mapping"),
    ],
)
def test_yaml_problems(text: str, expected: str) -> None:
    assert messages(text) == [expected]


def test_aliases_cannot_be_keys() -> None:
    assert messages("a: &k x\n*k : 1\n") == ["f.yaml:2:1: error: an alias cannot be a mapping key"]


EXAMPLES = sorted(Path(__file__).parent.parent.parent.glob("scenarios/*.yaml")) + sorted(
    (Path(__file__).parent.parent / "data").glob("*/*.yaml")
)


@pytest.mark.skipif(not yaml_safe.LIBYAML, reason="the optional libyaml parser is not installed")
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_libyaml_and_pure_parsers_agree(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def outcome() -> object:
        try:
            document = read_yaml(path)
        except ScenarioError as error:
            return [str(i) for i in error.issues]
        return (document.values, document.keys, document.data)

    fast = outcome()
    monkeypatch.setattr(yaml_safe, "_CParser", None)
    assert repr(outcome()) == repr(fast)
