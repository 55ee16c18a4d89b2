"""The import graph of the project: layers point one way and no module reaches itself again.

Layers, bottom up: `warehouse` (source and mart tables, the build), `queries` (statements over
them), `regulatory`, `data_checks`, `alerts`, `early_warning` and `tasks` (reports, checks,
alert rules, the early-warning models and the work queues built on queries), `dashboard`
(Streamlit loaders and rendering),
`pages` (the scripts). A module imports only its own layer or lower ones, and every import counts,
including one inside a function: a lazy import hides a loop, it does not remove it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS: dict[str, int] = {
    "warehouse": 0,
    "queries": 1,
    "regulatory": 2,
    "data_checks": 2,
    "alerts": 2,
    "early_warning": 2,
    "tasks": 2,
    "dashboard": 3,
    "pages": 4,
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    """Every module of the layers, by dotted name."""
    found: dict[str, Path] = {}
    for top in LAYERS:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "__pycache__" not in path.parts:
                found[_module_name(path)] = path
    return found


def _imported(node: ast.AST, modules: dict[str, Path]) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (a.name for a in node.names if a.name in modules)
    elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        for alias in node.names:
            full = f"{node.module}.{alias.name}"
            if full in modules:
                yield full
            elif node.module in modules:
                yield node.module


def import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports anywhere in its body."""
    modules = project_modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = {t for n in ast.walk(tree) for t in _imported(n, modules)} - {name}
    return graph


def loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_graph_finds_the_modules_and_their_imports() -> None:
    graph = import_graph()
    assert {"warehouse.months", "queries.portfolio", "dashboard.data.cached"} <= graph.keys()
    assert "warehouse.months" in graph["queries.filters"]
    assert "dashboard.access.gate" in graph["pages.home"]


def test_loops_are_found_in_a_small_graph() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert loops(graph) == [["a", "b", "c"]]


def test_no_module_imports_a_higher_layer() -> None:
    upward = [
        f"{source} -> {target}"
        for source, targets in sorted(import_graph().items())
        for target in sorted(targets)
        if LAYERS[target.split(".")[0]] > LAYERS[source.split(".")[0]]
    ]
    assert upward == []


def test_regulatory_and_data_checks_do_not_import_each_other() -> None:
    across = [
        f"{source} -> {target}"
        for source, targets in sorted(import_graph().items())
        for target in sorted(targets)
        if {source.split(".")[0], target.split(".")[0]} == {"regulatory", "data_checks"}
    ]
    assert across == []


def test_no_import_loop_even_through_lazy_imports() -> None:
    assert loops(import_graph()) == []
