"""Documentation stays honest: every setting and every CLI subcommand and option is documented."""

from __future__ import annotations

import argparse
import re
import tomllib
from pathlib import Path

import pytest

from dashboard.cli import build_parser
from warehouse.settings import SETTINGS, load_settings

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_DOC = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
CLI_DOC = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _doc_section(doc: str, heading: str) -> str:
    match = re.search(rf"^#+ {re.escape(heading)}\n(.*?)(?=^#+ |\Z)", doc, re.M | re.S)
    return match.group(1) if match else ""


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.key)
def test_setting_is_documented_with_its_default(setting) -> None:
    section = _doc_section(SETTINGS_DOC, setting.key)
    assert section, f"docs/settings.md has no heading for {setting.key}"
    literal = f'"{setting.default}"' if isinstance(setting.default, str) else str(setting.default)
    assert f"Default: `{literal}`" in section
    assert "Meaning:" in section and "DOMAIN.md §" in section


def test_settings_doc_has_no_unknown_setting() -> None:
    documented = set(re.findall(r"^### ([a-z_]+\.[a-z_]+)$", SETTINGS_DOC, re.M))
    assert documented == {s.key for s in SETTINGS}


def test_postloan_toml_lists_every_setting_at_its_default() -> None:
    with (ROOT / "postloan.toml").open("rb") as fh:
        flat = {f"{t}.{k}": v for t, table in tomllib.load(fh).items() for k, v in table.items()}
    assert flat == {s.key: s.default for s in SETTINGS}
    assert load_settings(ROOT / "postloan.toml").values == flat


@pytest.mark.parametrize("name", sorted(_subparsers()))
def test_cli_subcommand_is_documented(name: str) -> None:
    section = _doc_section(CLI_DOC, f"postloan {name}")
    assert section, f"docs/cli.md has no heading 'postloan {name}'"
    for action in _subparsers()[name]._actions:
        for option in action.option_strings:
            if option not in {"-h", "--help"}:
                assert f"`{option}" in section, f"{option} of postloan {name} is undocumented"
