"""The domain (`simulator`) imports no terminal UI library; the CLI imports Textual only to play."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import simulator

UI_LIBRARIES = ("textual", "rich", "typer")


def simulator_modules() -> list[str]:
    root = Path(simulator.__file__).parent
    names = ["simulator"]
    names += [m.name for m in pkgutil.walk_packages([str(root)], prefix="simulator.")]
    return sorted(names)


def imported_after(statement: str) -> list[str]:
    probe = (
        f"import sys, json\n{statement}\n"
        "print(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    loaded: list[str] = json.loads(done.stdout)
    return loaded


def test_every_simulator_module_is_found() -> None:
    modules = simulator_modules()
    assert "simulator.scenario.loader" in modules
    assert "simulator.engine.events" in modules


def test_simulator_imports_no_ui_library() -> None:
    statement = "\n".join(f"import {name}" for name in simulator_modules())
    loaded = set(imported_after(statement))
    assert [lib for lib in UI_LIBRARIES if lib in loaded] == []


def test_cli_does_not_import_textual_or_analysis_libraries() -> None:
    # Commands import these inside their functions, so `ttx validate` starts fast.
    loaded = set(imported_after("import tui.cli"))
    heavy = ("textual", "pandas", "pyarrow", "matplotlib", "dask", "scipy")
    assert [lib for lib in heavy if lib in loaded] == []
