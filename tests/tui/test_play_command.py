"""`ttx play` on the command line: option conflicts fail in one line, and textual loads lazily."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from tui.cli import app
from tui.commands.play import resume_hint


def test_resume_and_journal_together_are_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["play", "--resume", str(tmp_path / "a"), "--journal", str(tmp_path / "b")]
    )
    assert result.exit_code == 1
    assert "ttx: error: --journal names a new session's file" in result.stderr


def test_an_existing_journal_is_never_overwritten(tmp_path: Path) -> None:
    taken = tmp_path / "taken.ttxsession"
    taken.write_bytes(b"")
    result = CliRunner().invoke(app, ["play", "scenarios/tutorial.yaml", "--journal", str(taken)])
    assert result.exit_code == 1
    assert f"ttx: error: {taken}: already exists" in result.stderr


def test_the_command_module_does_not_import_textual() -> None:
    code = "import sys, tui.cli; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_journal_that_cannot_be_resumed_fails_in_one_line_before_the_console_starts(
    tmp_path: Path,
) -> None:
    junk = tmp_path / "junk.ttxsession"
    junk.write_text("not a journal", encoding="utf-8")
    missing = tmp_path / "missing.ttxsession"
    for path, why in ((junk, "is not a session journal"), (missing, "no such session journal")):
        result = CliRunner().invoke(app, ["play", "--resume", str(path)])
        assert result.exit_code == 1
        assert result.stderr.startswith(f"ttx: error: {path}: {why}")
        assert result.stderr.count("\n") == 1


def test_leaving_says_where_the_session_is_and_how_to_resume_it() -> None:
    hint = resume_hint(Path("/tmp/my sessions/drill.ttxsession"))
    assert hint == (
        "Session saved in /tmp/my sessions/drill.ttxsession\n"
        "Resume it with: ttx play --resume '/tmp/my sessions/drill.ttxsession'\n"
    )
