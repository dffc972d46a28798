"""cbrn-ttx domain: scenario format, SimPy engine, sessions, batch runs and reports.

Nothing in this package imports a terminal UI library; ``tui`` depends on it, never the reverse.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

DISTRIBUTION = "cbrn-ttx"
"""The installed distribution's name: its metadata (from pyproject.toml) holds the version."""

if TYPE_CHECKING:
    __version__: str


def lazy_names(package: str, face: str) -> Callable[[str], object]:
    """A PEP 562 module `__getattr__` for a package face whose source file is `face`.

    The names the face imports under `if TYPE_CHECKING:` (where mypy checks them) are imported
    from those modules on first use, so importing one light submodule does not load its
    siblings (Pydantic, NumPy, pandas) through the package's `__init__`.
    """
    homes: dict[str, str] = {}

    def load(name: str) -> object:
        if not homes:
            homes.update(_typing_imports(Path(face).read_text(encoding="utf-8")))
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home), name)
        setattr(sys.modules[package], name, value)  # later look-ups no longer come here
        return value

    return load


def _typing_imports(source: str) -> dict[str, str]:
    """Name -> module for each `from module import name` under `if TYPE_CHECKING:`."""
    import ast  # parsed once per face, and only when a name is first used

    homes: dict[str, str] = {}
    for block in ast.parse(source).body:
        if not (isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING"):
            continue
        for statement in block.body:
            if isinstance(statement, ast.ImportFrom) and statement.module is not None:
                homes |= {a.asname or a.name: statement.module for a in statement.names}
    return homes


def _version(name: str) -> object:
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # Read on demand: importing importlib.metadata and finding the distribution take tens of
    # milliseconds, which only `ttx --version` should pay.
    from importlib.metadata import version

    return version(DISTRIBUTION)


# Hidden from mypy, which would otherwise type every misspelt attribute as `object`.
if not TYPE_CHECKING:
    __getattr__ = _version
