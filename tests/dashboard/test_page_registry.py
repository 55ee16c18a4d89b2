"""The page registry and the label catalogue stay complete."""

from __future__ import annotations

from decimal import Decimal

from dashboard.i18n.catalogue import CATALOGUE, LANGS, normalise_lang, t
from dashboard.page.format import md_text, wan
from dashboard.page.registry import PAGES, PAGES_DIR


def test_every_page_script_is_registered_and_exists() -> None:
    registered = {p.script for p in PAGES}
    assert registered == {p.name for p in PAGES_DIR.glob("*.py")}
    assert sum(p.default for p in PAGES) == 1
    assert all(p.title_key in CATALOGUE for p in PAGES)


def test_every_label_has_every_language() -> None:
    for key, texts in CATALOGUE.items():
        assert set(texts) == set(LANGS), key
        assert all(texts.values()), key


def test_every_audit_action_has_a_name_in_every_language() -> None:
    from warehouse.portal.audit import ACTIONS

    missing = sorted(
        a for a in ACTIONS if set(CATALOGUE.get(f"audit.action.{a}", {})) != set(LANGS)
    )
    assert missing == []


def test_unknown_language_falls_back_to_chinese() -> None:
    assert normalise_lang("fr") == "zh"
    assert normalise_lang(None) == "zh"
    assert t("page.home", "en") == "Home"


def test_wan_rounds_half_up_with_separators() -> None:
    assert wan(Decimal("1373457.28")) == "137.35"
    assert wan(Decimal("123456789.50")) == "12,345.68"
    assert wan(Decimal("50.00")) == "0.01"
    assert wan(0) == "0.00"


def test_markdown_from_data_is_escaped() -> None:
    assert md_text("**x** [a](b)") == "\\*\\*x\\*\\* \\[a\\]\\(b\\)"
