"""The CEL runtime, loaded without the `cel` package's interactive command-line tool.

`import cel` runs the package's `__init__`, which imports its REPL and with it typer, rich and
prompt_toolkit: about 140 ms at every start, and UI libraries the domain must not load. The
simulator only needs the compiled extension inside the package, so it loads that directly and
registers it under its usual name, so a later `import cel` elsewhere reuses the same module
(a PyO3 extension can be initialised only once per process).
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

_NAME = "cel.cel"


def _load() -> ModuleType:
    loaded = sys.modules.get(_NAME)
    if loaded is not None:
        return loaded
    package = importlib.util.find_spec("cel")
    if package is None or not package.submodule_search_locations:
        raise ImportError("the 'common-expression-language' package is not installed")
    for folder in package.submodule_search_locations:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = Path(folder) / f"cel{suffix}"
            if not path.is_file():
                continue
            loader = importlib.machinery.ExtensionFileLoader(_NAME, str(path))
            spec = importlib.util.spec_from_file_location(_NAME, path, loader=loader)
            if spec is None:
                continue
            module = importlib.util.module_from_spec(spec)
            sys.modules[_NAME] = module
            loader.exec_module(module)
            return module
    raise ImportError("the CEL extension module was not found in the 'cel' package")


cel = _load()
