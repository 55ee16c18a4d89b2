"""`.streamlit/config.toml` is production-safe and names only real Streamlit options."""

from __future__ import annotations

import tomllib
from pathlib import Path

from streamlit import config

ROOT = Path(__file__).resolve().parents[2]


def _options() -> dict[str, object]:
    with (ROOT / ".streamlit" / "config.toml").open("rb") as fh:
        data = tomllib.load(fh)
    return {f"{section}.{key}": v for section, table in data.items() for key, v in table.items()}


def test_config_is_hardened() -> None:
    options = _options()
    assert options["client.showErrorDetails"] == "none"
    assert options["client.toolbarMode"] == "viewer"
    assert options["browser.gatherUsageStats"] is False
    assert options["server.headless"] is True
    assert options["server.enableXsrfProtection"] is True
    assert options["server.xsrfCookieSameSite"] == "strict"
    assert options["server.address"] == "127.0.0.1"


def test_config_names_only_known_options() -> None:
    unknown = set(_options()) - set(config._config_options_template)
    assert not unknown


def test_secrets_example_parses_and_real_secrets_are_ignored() -> None:
    with (ROOT / ".streamlit" / "secrets.toml.example").open("rb") as fh:
        assert tomllib.load(fh)["warehouse"]["url"].startswith("duckdb:///")
    assert ".streamlit/secrets.toml" in (ROOT / ".gitignore").read_text().splitlines()
