"""English counts agree with their number ("1 contract", "2 contracts"); Chinese has one form.

One mechanism (dashboard/i18n/catalogue.py `t`): an English count's noun is written
`{n:contract|contracts}`, the singular when `n` is one. The catalogue walk renders every English
string with each count at 1 and fails on a plural word after it.
"""

from __future__ import annotations

import re
import string

import pytest

from dashboard.i18n.catalogue import CATALOGUE, fill, is_one, t

# The placeholders that carry a count somewhere in the catalogue (a row number `{n}` reads
# "row 1" and is not hurt by being called a count here).
COUNTS = frozenset(
    {"n", "rows", "total", "shown", "days", "months", "hours", "minutes", "warnings"}
    | {"blocking", "defaults", "created", "gone", "back", "overdue", "soon", "late"}
    | {"signal", "iot", "promise", "interval"}
    # names a new count is likely to take, so a string added with one is walked too
    | {"count", "contracts", "lessees", "alerts", "tasks", "items", "runs", "weeks", "years"}
)
# Words ending in "s" that are not plurals, and plural verbs.
NOT_PLURAL = frozenset({"is", "was", "has", "as", "its", "this", "his", "plus", "status"})
PLURAL_VERBS = frozenset({"are", "were", "have"})
SELECTOR = re.compile(r"\{\w+:[^{}]*\|[^{}]*\}")


class _Other:
    """Any non-count value: formats to "X" whatever its format spec."""

    def __format__(self, spec: str) -> str:
        return "X"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _with_counts_at_one(text: str) -> str:
    values = {name: 1 if name in COUNTS else _Other() for name in _fields(text)}
    return fill(text, values)


def _plural_after_one(rendered: str) -> str | None:
    """The first plural word within three words after a count of 1, or None."""
    for match in re.finditer(r"(?<![\d.,])1(?![\d.,])((?:\s+[A-Za-z][\w'-]*){1,3})", rendered):
        for word in match.group(1).split():
            lowered = word.lower()
            if lowered in PLURAL_VERBS or (
                lowered.endswith("s") and lowered not in NOT_PLURAL and len(lowered) > 2
            ):
                return f"1{match.group(1)}"
    return None


def test_no_english_string_puts_a_plural_after_a_count_of_one() -> None:
    wrong = {}
    for key, entry in CATALOGUE.items():
        english = entry["en"]
        if not _fields(english) & COUNTS:
            continue
        if "(s)" in english or "(es)" in english:
            wrong[key] = english
            continue
        found = _plural_after_one(_with_counts_at_one(english))
        if found is not None:
            wrong[key] = found
    assert wrong == {}


def test_the_walk_catches_a_count_without_its_singular() -> None:
    """The check itself: an unmarked plural after a count is caught, a marked one is not."""
    assert _plural_after_one(_with_counts_at_one("{n} open alerts")) == "1 open alerts"
    assert _plural_after_one(_with_counts_at_one("the first {shown} are shown")) == "1 are shown"
    assert _plural_after_one(_with_counts_at_one("{n} open {n:alert|alerts}")) is None


def test_chinese_strings_have_one_form() -> None:
    assert [key for key, entry in CATALOGUE.items() if SELECTOR.search(entry["zh"])] == []


@pytest.mark.parametrize(
    ("key", "values", "expected"),
    [
        ("ct.count", {"n": 1}, "1 contract"),
        ("ct.count", {"n": "1,000"}, "1,000 contracts"),
        ("ct.count", {"n": 0}, "0 contracts"),
        ("ct.count_lessees", {"n": "1"}, "1 lessee"),
        ("al.open_count", {"n": 1}, "1 open alert"),
        ("al.open_count", {"n": 46}, "46 open alerts"),
        ("mon.list_count", {"n": 1, "shown": 1}, "1 contract; the first 1 is shown."),
        ("mon.list_count", {"n": 3, "shown": 2}, "3 contracts; the first 2 are shown."),
        ("ov.breach_count", {"n": 1}, "1 limit breach"),
        ("ov.breach_count", {"n": 2}, "2 limit breaches"),
    ],
)
def test_english_counts_take_the_singular_only_for_one(
    key: str, values: dict[str, object], expected: str
) -> None:
    assert t(key, "en", **values) == expected


def test_chinese_counts_read_the_same_for_one_and_many() -> None:
    assert t("ct.count", "zh", n=1) == "共 1 份合同"
    assert t("ct.count", "zh", n="1,000") == "共 1,000 份合同"


def test_alert_filing_detail_reads_one_working_day_in_english() -> None:
    """The filing alert's detail (inbox and e-mail) no longer says "day(s)"."""
    said = t("al.detail.filing", "en", report="Loan-level detail", period="2024-05", days=1)
    assert said.endswith("1 working day to its deadline")
    assert t("al.detail.filing", "en", report="R", period="P", days=3).endswith(
        "3 working days to its deadline"
    )


@pytest.mark.parametrize(
    ("value", "one"),
    [(1, True), ("1", True), ("1,000", False), (1.0, True), ("1.5", False), (True, False)],
)
def test_is_one(value: object, one: bool) -> None:
    assert is_one(value) is one
