"""cbrn-ttx domain: scenario format, SimPy engine, sessions, batch runs and reports.

Nothing in this package imports a terminal UI library; ``tui`` depends on it, never the reverse.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

DISTRIBUTION = "cbrn-ttx"
"""The installed distribution's name: its metadata (from pyproject.toml) holds the version."""

if TYPE_CHECKING:
    __version__: str


def lazy_names(package: str, homes: Mapping[str, str]) -> Callable[[str], object]:
    """A PEP 562 module `__getattr__` for a package face: each name in `homes` (name -> the
    module defining it) is imported on first use, so importing one light submodule does not
    load its siblings (Pydantic, NumPy) through the package's `__init__`."""

    def load(name: str) -> object:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home), name)
        setattr(sys.modules[package], name, value)  # later look-ups no longer come here
        return value

    return load


def _version(name: str) -> object:
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # Read on demand: importlib.metadata costs more than the rest of `ttx --help`'s imports.
    from importlib.metadata import version

    return version(DISTRIBUTION)


# Hidden from mypy, which would otherwise type every misspelt attribute as `object`.
if not TYPE_CHECKING:
    __getattr__ = _version
