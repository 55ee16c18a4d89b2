"""docs/dashboard-links.md names exactly the URL query parameters each page reads.

The parameters are collected from the source, not listed here: literal keys read from or written
to `st.query_params` in a page script, the constants that name the keys of the modules that read
the URL for a page (the filter sidebar, the contract list's drill keys, the audit filters, the
language), and the literal keys those modules' parsers take from their `params` mapping. A module
that starts reading the URL without being known here fails `test_every_url_reader_is_known`.
"""

from __future__ import annotations

import ast
import importlib
import re
from functools import cache
from pathlib import Path

import pytest

from dashboard.page.registry import PAGES

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "dashboard-links.md").read_text(encoding="utf-8")

# A call a page makes -> the module that reads the URL for it and the constant naming its keys.
URL_READERS: dict[str, tuple[str, str]] = {
    "start": ("dashboard/page/sidebar.py", "FILTER_KEYS"),  # dashboard/page/setup.py
    "parse_drill": ("dashboard/page/contract_params.py", "DRILL_KEYS"),
    "filter_widgets": ("dashboard/access/audit_view.py", "PARAM_KEYS"),
}
# Read on every page: the language switch (dashboard/app.py runs it before the page script).
EVERY_PAGE: tuple[str, str] = ("dashboard/page/widgets.py", "LANG_KEY")
# Modules allowed to read the URL besides the pages and the readers above, and why.
OTHER_READERS: dict[str, str] = {
    "dashboard/access/gate.py": "the sign-in form's language (LANG_KEY, from widgets)",
    "dashboard/downloads/audited.py": "copies every parameter into a download's audit row",
}
# How the parsers take a key out of the raw mapping: params.get("k"), params["k"], f(params, "k").
MAPPING_NAME = "params"
PARAMETERS_LINE = re.compile(r"^Parameters: (.*?)(?=\n\n|\Z)", re.M | re.S)
TICKED = re.compile(r"`([a-z_]+)`")


def _tree(path: str) -> ast.Module:
    return ast.parse((ROOT / path).read_text(encoding="utf-8"), filename=path)


def _is_query_params(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "query_params"


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


@cache
def url_accesses(path: str) -> tuple[frozenset[str], bool]:
    """Literal keys `path` reads or writes in `st.query_params`, and whether it touches them."""
    keys: set[str] = set()
    touches = False
    for node in ast.walk(_tree(path)):
        if _is_query_params(node):
            touches = True
        if isinstance(node, ast.Subscript) and _is_query_params(node.value):
            keys.add(_literal(node.slice) or "")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and _is_query_params(node.func.value)
            and node.func.attr in {"get", "get_all", "pop"}
            and node.args
        ):
            keys.add(_literal(node.args[0]) or "")
    keys.discard("")
    return frozenset(keys), touches


@cache
def parser_keys(path: str) -> frozenset[str]:
    """Literal keys the module's parsers take from their raw `params` mapping."""
    keys: set[str] = set()
    for node in ast.walk(_tree(path)):
        mapping, key = None, None
        if isinstance(node, ast.Subscript):
            mapping, key = node.value, _literal(node.slice)
        elif isinstance(node, ast.Call) and node.args:
            func, first = node.func, node.args[0]
            if isinstance(func, ast.Attribute) and func.attr == "get":
                mapping, key = func.value, _literal(first)
            elif isinstance(first, ast.Name) and first.id == MAPPING_NAME and len(node.args) >= 2:
                mapping, key = first, _literal(node.args[1])
        if isinstance(mapping, ast.Name) and mapping.id == MAPPING_NAME and key:
            keys.add(key)
    return frozenset(keys)


def constant(path: str, name: str) -> tuple[str, ...]:
    """The value of the module-level constant `name` of the module at `path`."""
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    value = getattr(module, name)
    return (value,) if isinstance(value, str) else tuple(value)


def _called_names(path: str) -> set[str]:
    names = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                names.add(func.id)
            elif isinstance(func, ast.Attribute):
                names.add(func.attr)
    return names


def code_parameters(script: str) -> set[str]:
    """Every URL parameter page `script` reads, as the code names them."""
    page = f"pages/{script}"
    keys = set(url_accesses(page)[0]) | set(constant(*EVERY_PAGE))
    for call in _called_names(page) & set(URL_READERS):
        keys |= set(constant(*URL_READERS[call]))
    return keys


def doc_section(script: str) -> str:
    """The part of docs/dashboard-links.md under the heading naming `pages/<script>`."""
    found = re.search(
        rf"^## [^\n]*\(`pages/{re.escape(script)}`\)\n(.*?)(?=^## |\Z)", DOC, re.M | re.S
    )
    return found.group(1) if found else ""


def doc_parameters(script: str) -> set[str]:
    """The parameters the page's section names on its `Parameters:` line."""
    line = PARAMETERS_LINE.search(doc_section(script))
    return set(TICKED.findall(line.group(1))) if line else set()


def _table_parameters(text: str) -> set[str]:
    """Parameters named in the first column of the tables of `text`."""
    first = re.findall(r"^\| ([^|]+) \|", text, re.M)
    return {name for cell in first for name in TICKED.findall(cell)}


SCRIPTS = [spec.script for spec in PAGES]


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_page_has_a_section_with_its_parameters(script: str) -> None:
    section = doc_section(script)
    assert section, f"docs/dashboard-links.md has no '## … (`pages/{script}`)' section"
    assert PARAMETERS_LINE.search(section), f"the section of pages/{script} has no Parameters line"


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_doc_names_every_parameter_the_page_reads(script: str) -> None:
    missing = code_parameters(script) - doc_parameters(script)
    assert not missing, f"pages/{script} reads {sorted(missing)}: not in its docs section"


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_doc_names_no_parameter_the_page_does_not_read(script: str) -> None:
    section = doc_section(script)
    named = doc_parameters(script) | _table_parameters(section)
    extra = named - code_parameters(script)
    assert not extra, f"docs section of pages/{script} names {sorted(extra)}, which no code reads"


def test_every_parameter_in_a_table_is_read_by_some_page() -> None:
    read = set().union(*(code_parameters(s) for s in SCRIPTS))
    extra = _table_parameters(DOC) - read
    assert not extra, f"docs/dashboard-links.md documents {sorted(extra)}, which no page reads"


def test_the_collected_parameters_are_the_known_ones() -> None:
    # A guard on the collection itself: if parsing silently found nothing, the doc tests above
    # would pass on an empty set.
    filters = {"as_of", "cohort_from", "cohort_to", "product", "branch", "lang"}
    assert filters <= code_parameters("overview.py")
    assert {"contract", "as_of", "lang"} == code_parameters("dossier.py")
    assert {"segment", "roll", "migration", "page"} <= code_parameters("contracts.py")
    assert {"from", "to", "actor", "action", "q", "page", "lang"} == code_parameters("audit.py")
    assert {"period", "report", "lang"} == code_parameters("filing.py")
    assert {"run", "lang"} == code_parameters("data_quality.py")
    assert code_parameters("home.py") == {"lang"}


@pytest.mark.parametrize(("reader", "name"), [*URL_READERS.values(), EVERY_PAGE], ids=str)
def test_each_reader_reads_only_keys_its_constant_names(reader: str, name: str) -> None:
    named = set(constant(reader, name))
    literal = (url_accesses(reader)[0] | parser_keys(reader)) - named
    assert not literal, f"{reader} reads {sorted(literal)} outside {name}: add them to {name}"
    # A pure parser (contract_params) is handed the mapping by its page: it reads `params`.
    reads = url_accesses(reader)[1] or parser_keys(reader)
    assert reads, f"{reader} no longer reads the URL: update URL_READERS"


def test_every_url_reader_is_known() -> None:
    known = {r for r, _ in URL_READERS.values()} | {EVERY_PAGE[0]} | set(OTHER_READERS)
    unknown = {}
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        keys, touches = url_accesses(rel)
        # A module only passing `query_params=` to page_link / switch_page writes a link: fine.
        if touches and rel not in known:
            unknown[rel] = sorted(keys)
    assert not unknown, f"modules reading the URL unknown to this test and the doc: {unknown}"


def test_the_readers_are_wired_as_assumed() -> None:
    assert "sidebar_filters" in _called_names("dashboard/page/setup.py")
    assert "language_picker" in _called_names("dashboard/app.py")
    assert "parse" in _called_names("dashboard/access/audit_view.py")
    for call in URL_READERS:
        assert any(call in _called_names(f"pages/{s}") for s in SCRIPTS), f"no page calls {call}"
