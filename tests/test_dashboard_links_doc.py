"""docs/dashboard-links.md names exactly the URL query parameters each page reads.

The parameters are collected from the source, not listed here: literal keys read from or written
to `st.query_params` in a page script and in the `dashboard/` modules it imports, and the
constants that name the keys of the modules that read the URL for a page through a call (the
filter sidebar, the contract list's drill keys, the audit filters, the language), whose parsers'
literal keys must lie within those constants. A module that reads the URL with keys this test
cannot see (not literals) and is not known here fails `test_every_url_reader_is_known`.
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
    # dashboard/page/setup.py `start` draws the filter sidebar unless called with sidebar=False.
    "start": ("dashboard/page/sidebar.py", "FILTER_KEYS"),
    "parse_drill": ("dashboard/page/contract_params.py", "DRILL_KEYS"),
    "filter_widgets": ("dashboard/access/audit_view.py", "PARAM_KEYS"),
}
# Read on every page: the language switch (dashboard/app.py runs it before the page script).
EVERY_PAGE: tuple[str, str] = ("dashboard/page/widgets.py", "LANG_KEY")
# Modules allowed to read the URL with keys that are not literals, besides the readers above.
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
def url_accesses(path: str) -> tuple[frozenset[str], bool, bool]:
    """Literal keys `path` reads or writes in `st.query_params`; whether it touches it at all;
    whether it also does so with keys that are not literals (iteration, variables)."""
    keys: set[str] = set()
    touched = literal_uses = 0
    for node in ast.walk(_tree(path)):
        touched += _is_query_params(node)
        key = None
        if isinstance(node, ast.Subscript) and _is_query_params(node.value):
            key = _literal(node.slice)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and _is_query_params(node.func.value)
            and node.func.attr in {"get", "get_all", "pop"}
            and node.args
        ):
            key = _literal(node.args[0])
        if key:
            keys.add(key)
            literal_uses += 1
    return frozenset(keys), touched > 0, touched > literal_uses


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


def _calls(path: str) -> dict[str, list[ast.Call]]:
    """The calls in `path` by the called name (`f(...)` and `x.f(...)` both under "f")."""
    calls: dict[str, list[ast.Call]] = {}
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            calls.setdefault(name, []).append(node)
    return calls


def _called_names(path: str) -> set[str]:
    return set(_calls(path))


@cache
def dashboard_imports(path: str) -> frozenset[str]:
    """The `dashboard/` modules `path` imports itself (not those they import)."""
    found: set[str] = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("dashboard"):
            base = node.module.replace(".", "/")
            for alias in node.names:
                if (ROOT / base / f"{alias.name}.py").is_file():
                    found.add(f"{base}/{alias.name}.py")
                elif (ROOT / f"{base}.py").is_file():
                    found.add(f"{base}.py")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                candidate = f"{alias.name.replace('.', '/')}.py"
                if alias.name.startswith("dashboard") and (ROOT / candidate).is_file():
                    found.add(candidate)
    return frozenset(found)


def _draws_sidebar(call: ast.Call) -> bool:
    return not any(
        k.arg == "sidebar" and isinstance(k.value, ast.Constant) and k.value.value is False
        for k in call.keywords
    )


def code_parameters(script: str) -> set[str]:
    """Every URL parameter page `script` reads, as the code names them."""
    page = f"pages/{script}"
    keys = set(url_accesses(page)[0]) | set(constant(*EVERY_PAGE))
    for module in dashboard_imports(page):
        keys |= url_accesses(module)[0]
    calls = _calls(page)
    for name, (reader, const) in URL_READERS.items():
        made = calls.get(name, [])
        if name == "start":
            made = [c for c in made if _draws_sidebar(c)]
        if made:
            keys |= set(constant(reader, const))
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
    imported = set().union(*(dashboard_imports(f"pages/{s}") for s in SCRIPTS))
    unknown = {}
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        keys, touches, dynamic = url_accesses(rel)
        # Literal keys of a module a page imports are that page's; other keys cannot be seen.
        # (Passing `query_params=` to page_link / switch_page writes a link: not a read.)
        if touches and rel not in known and (dynamic or rel not in imported):
            unknown[rel] = sorted(keys)
    assert not unknown, f"modules reading the URL unknown to this test and the doc: {unknown}"


def test_the_readers_are_wired_as_assumed() -> None:
    assert "sidebar_filters" in _called_names("dashboard/page/setup.py")
    assert "language_picker" in _called_names("dashboard/app.py")
    assert "parse" in _called_names("dashboard/access/audit_view.py")
    for call in URL_READERS:
        assert any(call in _called_names(f"pages/{s}") for s in SCRIPTS), f"no page calls {call}"
