"""queries.registry stays honest: each key names its function, and the dashboard asks for each."""

from __future__ import annotations

import re
from pathlib import Path

from dashboard.i18n.catalogue import CATALOGUE
from queries.registry import DOSSIER_SECTIONS, FUNCTIONS, QUERIES

ROOT = Path(__file__).resolve().parents[2]
DOSSIER_MODULES = ("queries.dossier", "queries.dossier_monitoring")


def _dashboard_source() -> str:
    files = sorted([*ROOT.glob("pages/*.py"), *ROOT.glob("dashboard/**/*.py")])
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def test_every_key_is_its_functions_module_and_name() -> None:
    assert len(QUERIES) == len(FUNCTIONS)  # no two functions share a key
    for key, function in QUERIES.items():
        module = function.__module__.removeprefix("queries.")
        assert function.__module__ == f"queries.{module}"
        assert key == f"{module}.{function.__name__}"


def test_every_registered_query_is_asked_for_by_its_key() -> None:
    """A page or dashboard module names each key in quotes (dossier sections included)."""
    source = _dashboard_source()
    unused = [key for key in QUERIES if not re.search(rf'"{re.escape(key)}"', source)]
    assert unused == []


def test_dossier_sections_are_the_dossier_queries_in_order() -> None:
    expected = [key for key, f in QUERIES.items() if f.__module__ in DOSSIER_MODULES]
    assert list(DOSSIER_SECTIONS) == expected
    assert DOSSIER_SECTIONS[0] == "dossier.header"  # the cover, not a sheet of the pack


def test_every_pack_sheet_has_a_title() -> None:
    """The committee pack titles each section after its key (`rk.pack.<key>`)."""
    assert [k for k in DOSSIER_SECTIONS[1:] if f"rk.pack.{k}" not in CATALOGUE] == []
