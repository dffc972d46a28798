"""The analyst guide and the shipped courses of action stay usable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulator.engine.policies import build_policy, load_policy
from simulator.scenario.loader import load_scenario
from simulator.scenario.yaml_safe import read_yaml_text

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "analyst-guide.md"
POLICIES = sorted((ROOT / "scenarios" / "policies").glob("*.yaml"))


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.stem)
def test_shipped_courses_of_action_fit_the_eastern_flank(path: Path) -> None:
    compiled = load_scenario(ROOT / "scenarios" / "eastern-flank.yaml")
    assert load_policy(path, compiled).name == path.stem


def test_the_guide_policy_example_is_valid_and_its_images_exist() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    (example,) = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if "decisions:" in b]
    compiled = load_scenario(ROOT / "scenarios" / "eastern-flank.yaml")
    policy = build_policy(read_yaml_text(example).data, compiled)
    assert policy.name == "split-summit"
    images = re.findall(r"!\[[^\]]*\]\((images/[^)]+)\)", text)
    assert len(images) >= 5
    for image in images:
        assert (GUIDE.parent / image).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", image
    for path in POLICIES:
        assert f"scenarios/policies/{path.name}" in text or path.stem in text
