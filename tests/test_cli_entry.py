"""The `ttx` entry point: usage mistakes are one line and exit 2, never a box or a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest


def ttx(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from tui.cli import main; main()", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("batch",), "ttx: error: Missing argument 'scenario'. (see 'ttx batch --help')\n"),
        (("run", "--nope", "x"), "ttx: error: No such option: --nope (see 'ttx run --help')\n"),
        (("frob",), "ttx: error: No such command 'frob'. (see 'ttx --help')\n"),
    ],
)
def test_usage_mistakes_are_one_line_and_exit_2(args: tuple[str, ...], expected: str) -> None:
    done = ttx(*args)
    assert done.returncode == 2
    assert done.stderr == expected
    assert done.stdout == ""


def test_version_and_help_exit_0() -> None:
    assert ttx("--version").stdout == "ttx 0.1.0\n"
    helped = ttx("--help")
    assert helped.returncode == 0
    for command in ("play", "serve", "report", "validate", "new", "schema", "run", "batch"):
        assert command in helped.stdout
