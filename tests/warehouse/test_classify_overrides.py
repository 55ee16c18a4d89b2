"""Overrides from the extract and committee decisions are one series (docs/domain.md §4.3).

Worked by hand, on both engines. Unless said otherwise a contract has 12 × 100 due the 10th from
2024-02-10 and pays each installment on its due date, so its floor is normal (DPD 0) every
month-end and it never has arrears (rule 5 has nothing to wait for). Each manual class holds from
the month-end of its effective month until the next one of the same contract from either source;
when both sources give the same effective month, the committee decision is the one in force.
The final class is never better than the floor.
"""

from __future__ import annotations

from tests.warehouse.book import Book, build_book, monthly, row

AS_OF = "2024-06-30"
MONTHS = ["2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31", "2024-06-30"]
NORMAL = ("normal", "dpd")


def _paying(b: Book, contract_id: str) -> None:
    b.contract(contract_id, "2024-01-10", monthly("2024-02-10", 12, "100"))
    for due, _, _ in monthly("2024-02-10", 5, "100"):
        b.pay(contract_id, due, "100")


def _classes(url: str, b: Book, contract_id: str) -> list[tuple[str, str]]:
    f = build_book(url, b, AS_OF)
    got = [row(f, contract_id, m) for m in MONTHS]
    return [(g["risk_class"], g["class_reason"]) for g in got]


def test_a_later_committee_decision_replaces_an_extract_override(db_url: str) -> None:
    """Extract: doubtful from 2024-03. Committee: substandard from 2024-05 → Mar–Apr doubtful by
    'override', May–Jun substandard by 'committee' (not the worse doubtful)."""
    b = Book()
    _paying(b, "E1")
    b.override("E1", "2024-03", "doubtful")
    b.committee_decision("E1", "2024-05", "substandard")
    assert _classes(db_url, b, "E1") == [
        NORMAL,
        ("doubtful", "override"),
        ("doubtful", "override"),
        ("substandard", "committee"),
        ("substandard", "committee"),
    ]


def test_a_later_extract_override_replaces_a_committee_decision(db_url: str) -> None:
    """Committee: doubtful from 2024-03. Extract: substandard from 2024-05, normal from 2024-06 →
    Mar–Apr doubtful by 'committee', May substandard by 'override', June back at the floor."""
    b = Book()
    _paying(b, "E2")
    b.committee_decision("E2", "2024-03", "doubtful")
    b.override("E2", "2024-05", "substandard")
    b.override("E2", "2024-06", "normal")
    assert _classes(db_url, b, "E2") == [
        NORMAL,
        ("doubtful", "committee"),
        ("doubtful", "committee"),
        ("substandard", "override"),
        NORMAL,
    ]


def test_same_effective_month_the_committee_decision_wins(db_url: str) -> None:
    """Both effective 2024-04: E3 extract loss, committee substandard → substandard by
    'committee' (not the worse loss); E4 extract substandard, committee doubtful → doubtful."""
    b = Book()
    _paying(b, "E3")
    b.override("E3", "2024-04", "loss")
    b.committee_decision("E3", "2024-04", "substandard")
    _paying(b, "E4")
    b.override("E4", "2024-04", "substandard")
    b.committee_decision("E4", "2024-04", "doubtful")
    f = build_book(db_url, b, AS_OF)
    for contract_id, cls in (("E3", "substandard"), ("E4", "doubtful")):
        got = [row(f, contract_id, m) for m in MONTHS]
        assert [(g["risk_class"], g["class_reason"]) for g in got] == [
            NORMAL,
            NORMAL,
            (cls, "committee"),
            (cls, "committee"),
            (cls, "committee"),
        ]


def test_the_override_in_force_never_lifts_the_class_above_the_floor(db_url: str) -> None:
    """F: 1,000 due 2024-03-22, never paid: DPD 9 (Mar), 39 (Apr), 70 (May), 100 (Jun).
    Extract doubtful from 2024-04; committee special mention from 2024-06 replaces it, but the
    June floor is substandard (DPD 100), so June is substandard by 'dpd'."""
    b = Book()
    b.contract("F", "2024-01-10", [("2024-03-22", "1000", "0")])
    b.override("F", "2024-04", "doubtful")
    b.committee_decision("F", "2024-06", "special_mention")
    f = build_book(db_url, b, AS_OF)
    got = [row(f, "F", m) for m in MONTHS]
    assert [(g["dpd"], g["risk_class"], g["class_reason"]) for g in got] == [
        (0, "normal", "dpd"),
        (9, "special_mention", "dpd"),
        (39, "doubtful", "override"),
        (70, "doubtful", "override"),
        (100, "substandard", "dpd"),
    ]
