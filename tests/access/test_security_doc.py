"""docs/security.md stays true: its page × role matrix is the registry's, and it names every audit
action, every personal column and every access setting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard.i18n.catalogue import t
from dashboard.page.registry import PAGES
from queries.personal_data import PERSONAL_COLUMNS
from warehouse.portal.audit import ACTIONS
from warehouse.settings import SETTINGS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "security.md").read_text(encoding="utf-8")
ROLES = ("executive", "risk_committee", "compliance", "admin")


def expected_matrix() -> str:
    """The matrix as the registry says it: one row per page, ✓ where the role is served."""
    lines = [
        "| page | script | " + " | ".join(ROLES) + " |",
        "|---|---|" + "---|" * len(ROLES),
    ]
    for p in PAGES:
        cells = " | ".join("✓" if r in p.roles else "—" for r in ROLES)
        lines.append(f"| {t(p.title_key, 'zh')} {t(p.title_key, 'en')} | `{p.script}` | {cells} |")
    return "\n".join(lines)


def test_page_role_matrix_matches_the_registry() -> None:
    match = re.search(
        r"<!-- page-role-matrix:start -->\n(.*?)\n<!-- page-role-matrix:end -->", DOC, re.S
    )
    assert match, "docs/security.md lost its page-role-matrix markers"
    expected = expected_matrix()
    hint = "paste this matrix into docs/security.md:\n" + expected
    assert match.group(1).strip() == expected, hint


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_audit_action_is_explained(action: str) -> None:
    assert f"`{action}`" in DOC


@pytest.mark.parametrize("column", sorted(PERSONAL_COLUMNS))
def test_every_personal_column_is_listed(column: str) -> None:
    assert f"`{column}`" in DOC


@pytest.mark.parametrize(
    "key", [s.key for s in SETTINGS if s.key.startswith("access.")], ids=lambda k: k
)
def test_every_access_setting_is_named(key: str) -> None:
    assert f"`{key}`" in DOC


def test_the_hardened_streamlit_settings_are_explained() -> None:
    for name in ("showErrorDetails", "toolbarMode", "gatherUsageStats", "enableXsrfProtection"):
        assert name in DOC
