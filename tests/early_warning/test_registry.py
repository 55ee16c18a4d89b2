"""The model registry (early_warning/registry.py): versions, maker-checker, the version in force
and the check of the stored models against their card."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from early_warning.registry import MODELS, Registry, RegistryError


def test_versions_are_numbered_and_proposed_until_a_second_person_approves(tmp_path: Path) -> None:
    reg = Registry(tmp_path / "models")
    assert reg.versions() == [] and reg.in_force() is None
    first = reg.propose({"scorecard": [1, 2]}, {"purpose": "test"}, "alice")
    second = reg.propose({"scorecard": [3]}, {"purpose": "test"}, "alice")
    assert (first, second) == ("ew-0001", "ew-0002")
    card = reg.card(first)
    assert (card["status"], card["trained_by"], card["approved_by"]) == ("proposed", "alice", None)
    assert card["purpose"] == "test"
    assert reg.in_force() is None
    with pytest.raises(RegistryError, match="trained by alice; a second person must approve"):
        reg.approve(first, "alice")
    assert reg.approve(first, "bob")["approved_by"] == "bob"
    assert reg.in_force() == first
    with pytest.raises(RegistryError, match="ew-0001 is approved, not proposed"):
        reg.approve(first, "carol")
    reg.approve(second, "carol")
    assert reg.in_force() == second
    assert reg.load(first) == {"scorecard": [1, 2]}


def test_a_changed_models_file_is_refused_and_unknown_versions_are_named(tmp_path: Path) -> None:
    reg = Registry(tmp_path)
    version = reg.propose({"scorecard": "real"}, {}, "alice")
    other = Registry(tmp_path / "elsewhere")
    other.propose({"scorecard": "swapped"}, {}, "mallory")
    swapped = (tmp_path / "elsewhere" / version / MODELS).read_bytes()
    (tmp_path / version / MODELS).write_bytes(swapped)
    with pytest.raises(RegistryError, match="does not match its card; not loaded"):
        reg.load(version)
    with pytest.raises(RegistryError, match=re.escape("no model version '../x'")):
        reg.card("../x")
