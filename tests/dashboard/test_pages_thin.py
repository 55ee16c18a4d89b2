"""Pages stay thin: short scripts that never reach SQLAlchemy or the execution helper themselves.

A page reads the filters, calls the loaders of `dashboard/` and renders; what grows goes into a
dashboard helper (`dashboard/page/section.py`, `dashboard/views/`), not into the page.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PAGES_DIR = Path(__file__).resolve().parents[2] / "pages"
PAGES = sorted(PAGES_DIR.glob("*.py"))
MAX_LINES = 80
BANNED = ("sqlalchemy", "queries.execute")


def _banned(name: str) -> bool:
    return any(name == b or name.startswith(f"{b}.") for b in BANNED)


def imported(tree: ast.AST) -> set[str]:
    """Every module and imported name of `tree` as a dotted path, at any depth."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_there_are_pages() -> None:
    assert len(PAGES) > 10


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_is_short(page: Path) -> None:
    lines = len(page.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{page.name}: {lines} lines; move code into a dashboard helper"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_imports_neither_sqlalchemy_nor_execute(page: Path) -> None:
    tree = ast.parse(page.read_text(encoding="utf-8"))
    assert sorted(n for n in imported(tree) if _banned(n)) == []


def test_the_import_check_sees_nested_and_from_imports() -> None:
    source = "def f():\n    import sqlalchemy.exc\nfrom queries import execute\n"
    assert {n for n in imported(ast.parse(source)) if _banned(n)} == {
        "sqlalchemy.exc",
        "queries.execute",
    }
