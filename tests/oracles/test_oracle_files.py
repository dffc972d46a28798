"""Every oracle scenario states its answer and its derivation at its top, and is a valid
scenario for `ttx validate` (warnings, such as an inject after the end, are intended)."""

from __future__ import annotations

from typer.testing import CliRunner

from tests.oracles.oracle import SCENARIOS
from tui.cli import app

FILES = sorted(SCENARIOS.glob("*.yaml"))


def leading_comment(text: str) -> list[str]:
    lines = text.splitlines()
    end = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    return lines[:end]


def test_there_are_at_least_fifteen_oracles() -> None:
    assert len(FILES) >= 15


def test_each_scenario_starts_with_its_derivation_and_truth() -> None:
    for file in FILES:
        comment = leading_comment(file.read_text(encoding="utf-8"))
        assert comment and comment[0].startswith("# Oracle: "), file.name
        assert any(line.startswith("# Derivation: ") for line in comment), file.name
        assert any(line.startswith("# Truth: ") for line in comment), file.name


def test_every_scenario_validates() -> None:
    result = CliRunner().invoke(app, ["validate", *map(str, FILES)])
    assert result.exit_code == 0, result.output
    assert {line for line in result.output.splitlines() if line.endswith(": ok")} == {
        f"{file}: ok" for file in FILES
    }
