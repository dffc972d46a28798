"""The `ttx new` skeleton: valid without warnings, and so are its commented examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.scenario.loader import check_document
from simulator.scenario.skeleton import skeleton_text
from simulator.scenario.yaml_safe import read_yaml_text


def test_skeleton_validates_without_warnings(tmp_path: Path) -> None:
    check = check_document(read_yaml_text(skeleton_text("drill", tmp_path), "drill.yaml"))
    assert check.ok
    assert check.issues == []
    assert check.compiled is not None
    assert check.compiled.scenario.meta.id == "drill"


def test_commented_examples_are_valid_when_uncommented(tmp_path: Path) -> None:
    text = skeleton_text("drill", tmp_path)
    head, examples = text.split("# Silent automatic changes", 1)
    uncommented = "\n".join(
        line.removeprefix("# ") for line in examples.splitlines()[1:] if line.startswith("# ")
    )
    check = check_document(read_yaml_text(head + uncommented + "\n", "drill.yaml"))
    assert [str(i) for i in check.issues] == []
    assert check.compiled is not None
    assert [r.id for r in check.compiled.scenario.rules] == ["tension_raises_alert"]
    assert len(check.compiled.scenario.analysis.metrics) == 1


@pytest.mark.parametrize("name", ["Drill", "drill.yaml", "", "9lives", "a" * 65])
def test_names_that_are_not_ids_are_refused(name: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="invalid scenario name"):
        skeleton_text(name, tmp_path)
