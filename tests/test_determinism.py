"""The suite passes on any calendar date: no test reads the wall clock or makes a dated book.

Times reach the app through injected clocks (`dashboard.access.gate.clock`, `generated_at=`); the
demo book follows the calendar unless given an as-of, so every test that makes one pins it.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
WALL_CLOCK = {("date", "today"), ("datetime", "now"), ("datetime", "utcnow"), ("time", "time")}


def _calls() -> list[tuple[Path, ast.Call]]:
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found += [(path, node) for node in ast.walk(tree) if isinstance(node, ast.Call)]
    return found


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(TESTS.parent)}:{node.lineno}"


def test_no_test_reads_the_wall_clock() -> None:
    offenders = []
    for path, call in _calls():
        func = call.func
        if isinstance(func, ast.Attribute):
            owner = func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if (name, func.attr) in WALL_CLOCK:
                offenders.append(_where(path, call))
    assert offenders == []


def test_every_demo_book_a_test_makes_has_a_pinned_as_of() -> None:
    unpinned = []
    for path, call in _calls():
        strings = [a.value for a in call.args if isinstance(a, ast.Constant)]
        func = call.func
        named = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if named == "generate_extract" and "as_of" not in {k.arg for k in call.keywords}:
            unpinned.append(_where(path, call))
        runs_demo = "run" in named and "demo" in strings[:2]  # `postloan demo …` run as a command
        if runs_demo and "--as-of" not in strings:
            unpinned.append(_where(path, call))
    assert unpinned == []


def test_the_checks_above_see_the_calls_they_look_for() -> None:
    """Guard against a check that passes because it looks at nothing."""
    calls = _calls()
    names = [getattr(c.func, "id", getattr(c.func, "attr", "")) for _, c in calls]
    assert "generate_extract" in names
    demo_runs = [
        c
        for _, c in calls
        if "run" in getattr(c.func, "id", getattr(c.func, "attr", ""))
        and any(getattr(a, "value", None) == "demo" for a in c.args)
    ]
    assert len(demo_runs) >= 4
