"""The `ttx` entry point: usage mistakes are one line and exit 2, never a box or a traceback;
help and version start without the heavy libraries."""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

import pytest

import simulator

HEAVY = ("pydantic", "numpy", "simpy", "textual", "pandas", "ruamel", "rich")
"""What `ttx --help` must not load: each costs tens of milliseconds at every start (Rich comes
with Typer's Rich help, which Click's plain help avoids)."""

LOADED = """
import json, sys
sys.argv = ["ttx", *sys.argv[1:]]
from tui.cli import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


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
    assert ttx("--version").stdout == f"ttx {importlib.metadata.version('cbrn-ttx')}\n"
    helped = ttx("--help")
    assert helped.returncode == 0
    for command in ("play", "serve", "report", "validate", "new", "schema", "run", "batch"):
        assert command in helped.stdout


@pytest.mark.parametrize("args", [("--help",), ("--version",)])
def test_help_and_version_load_no_heavy_library(args: tuple[str, ...]) -> None:
    assert loaded_by(*args).isdisjoint(HEAVY), sorted(loaded_by(*args).intersection(HEAVY))


@pytest.mark.parametrize("command", ["validate", "batch", "run", "play", "report"])
def test_command_help_loads_only_what_typer_needs(command: str) -> None:
    # Typer itself parses a command's parameters through Pydantic; nothing else heavy is needed
    # before the command runs.
    heavy = loaded_by(command, "--help").intersection(HEAVY)
    assert heavy <= {"pydantic"}, sorted(heavy)


def test_validate_loads_the_scenario_format_and_no_engine_or_console() -> None:
    tutorial = Path(__file__).resolve().parent.parent / "scenarios" / "tutorial.yaml"
    heavy = loaded_by("validate", str(tutorial)).intersection(HEAVY)
    assert heavy == {"pydantic", "numpy", "ruamel"}, sorted(heavy)


def loaded_by(*args: str) -> set[str]:
    """The top-level packages imported by `ttx ARGS`, seen from inside its process."""
    command = [sys.executable, "-c", LOADED, *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)
    loaded = set(json.loads(done.stderr))
    assert "typer" in loaded  # the probe saw the command run
    return loaded


def test_the_command_list_shows_whole_summaries() -> None:
    commands = ttx("--help").stdout.partition("Commands:")[2]
    assert "..." not in commands
    assert "else one line per problem." in " ".join(commands.split())


@pytest.mark.parametrize("face", ["simulator.session", "simulator.report", "simulator.batch"])
def test_package_faces_load_every_name_they_export(face: str) -> None:
    module = importlib.import_module(face)
    homes = simulator._typing_imports(Path(module.__file__).read_text(encoding="utf-8"))
    assert set(homes) == set(module.__all__)
    for name, home in homes.items():
        assert getattr(module, name) is getattr(importlib.import_module(home), name)
    with pytest.raises(AttributeError, match="no attribute 'missing'"):
        _ = module.missing


@pytest.mark.parametrize(
    ("submodule", "sibling"),
    [
        ("simulator.scenario.errors", "simulator.scenario.models"),
        ("simulator.session.catalog", "simulator.session.session"),
        ("simulator.report.aar", "simulator.report.html"),
        ("simulator.batch.executors", "simulator.batch.api"),
    ],
)
def test_a_submodule_loads_without_its_siblings(submodule: str, sibling: str) -> None:
    probe = f"import sys, {submodule}; print({sibling!r} in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout == "False\n"


@pytest.mark.parametrize("command", ["run", "batch", "play"])
def test_one_seed_range_for_every_command(command: str) -> None:
    extra = ["--runs", "1", "--no-plots"] if command == "batch" else []
    done = ttx(command, "scenarios/tutorial.yaml", "--seed", str(2**63), *extra)
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("ttx: error: ") and "--seed" in line
    assert "9,223,372,036,854,775,807" in line or "9223372036854775807" in line
