"""Fixtures for the console tests: tmp session directories and inputs that do not blink."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from console_helpers import DATA, SHIPPED
from textual.widgets import Input


@pytest.fixture(autouse=True)
def _steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inputs stop blinking and colour is on, so screenshots do not depend on when or where
    they are taken."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    mount = Input._on_mount

    def no_blink(self: Input, event: object) -> None:
        mount(self, event)  # type: ignore[arg-type]
        self.cursor_blink = False

    monkeypatch.setattr(Input, "_on_mount", no_blink)


@pytest.fixture
def sessions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty sessions directory in a tmp working directory holding the test scenarios."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(DATA, SHIPPED)
    folder = tmp_path / "sessions"
    monkeypatch.setenv("TTX_SESSIONS_DIR", str(folder))
    return folder
