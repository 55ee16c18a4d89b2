"""A contract-list drill key never shares its name with another page's parameter: the header
block of a download reads the parameters without knowing the page, so a drill key named like the
audit trail's `action` would swallow that page's filter (it did, for one commit)."""

from __future__ import annotations

from dashboard.downloads.audited import DRILL_PARAMS, PARAM_NAMES, filters_text


def test_no_drill_key_is_also_another_pages_parameter() -> None:
    assert not DRILL_PARAMS & PARAM_NAMES.keys()


def test_the_audit_trails_actions_and_a_collections_drill_both_read_in_words() -> None:
    audit = filters_text({"action": ["download"]}, "en")
    assert audit == "Action: Download"
    drill = filters_text({"collection": ["channel:phone"]}, "en")
    assert "collection actions" in drill and "collection=" not in drill
