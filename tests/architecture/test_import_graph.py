"""No import cycles among the modules of `simulator`, counting imports made for type checking.

`lint-imports` (the contracts in pyproject.toml) checks the layers and cycles between sibling
packages; this names every module-level cycle, which is what makes a module hard to test or
import alone.
"""

from __future__ import annotations

import grimp


def _cycles(imports: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(imports[module]):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(imports):
        if module not in index:
            visit(module)
    return sorted(found)


def test_the_cycle_finder_finds_cycles() -> None:
    imports = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert _cycles(imports) == [["a", "b", "c"]]


def test_no_module_of_simulator_is_part_of_an_import_cycle() -> None:
    graph = grimp.build_graph("simulator")
    modules = {m for m in graph.modules if m.split(".")[0] == "simulator"}
    imports = {
        m: {i for i in graph.find_modules_directly_imported_by(m) if i in modules} for m in modules
    }
    assert _cycles(imports) == []
