"""Warning signals and the lead time to 90+ DPD on the book of `monitoring_books.py`.

First high signal and first 90+ month-end per lessee (severity `high`):
- LB: S1 2024-01-20 (high); B first over 90 at 05-31 (116): lead 11 + 29 + 31 + 30 + 31 = 132
  days → warned (band 91–180).
- LD: S5 2024-03-10 (high); D first over 90 at 02-29 (116): lead −10 → late (band ≤ 0).
- LE: no high signal (S6 is medium); E first over 90 at 04-30 (120; 90 at 03-31 is not over):
  missed. With `medium`: S6 2024-02-01, lead 28 + 31 + 30 = 89 → warned (band 31–90).
- LA: S3 2024-02-15 (high); A never over 90: no_default.
- LC: only a low signal, never over 90: in no group. LF: nothing.
Median over warned and late: high {−10, 132} → 61; medium {−10, 89, 132} → 89.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries import warnings
from queries.execute import fetch_frame
from queries.filters import Filters
from tests.queries.monitoring_books import ENGINES, built_engine
from warehouse.schema import lead_time_lessees, signal_month

AS_OF = Filters(as_of=date(2024, 6, 30))


@pytest.fixture(scope="module", params=ENGINES)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The monitoring book, built once per engine."""
    yield from built_engine(request, tmp_path_factory.mktemp("warnings"))


def test_signals_over_time_by_source_and_severity(engine: Engine) -> None:
    """Six signals, one per (month, source, severity): Jan tax high; Feb iot high, internal
    medium; Mar court medium, financial high; May news low."""
    frame = warnings.signals_over_time(engine, AS_OF)
    got = {
        (r["month_end"].isoformat()[:7], r["source"], r["severity"]): (r["signals"], r["lessees"])
        for r in frame.to_dict("records")
    }
    assert got == {
        ("2024-01", "tax", "high"): (1, 1),
        ("2024-02", "iot", "high"): (1, 1),
        ("2024-02", "internal", "medium"): (1, 1),
        ("2024-03", "court", "medium"): (1, 1),
        ("2024-03", "financial", "high"): (1, 1),
        ("2024-05", "news", "low"): (1, 1),
    }


def test_signals_follow_the_filters(engine: Engine) -> None:
    """Product direct_lease leaves out C, so LC's lessee-wide news signal (LC has only C) goes:
    five signals remain. Scope BJ keeps only LC: its one signal."""
    direct = Filters(as_of=date(2024, 6, 30), product=("direct_lease",))
    assert warnings.signals_over_time(engine, direct)["signals"].sum() == 5
    bj = Filters(as_of=date(2024, 6, 30), scope=("BJ",))
    assert list(warnings.signals_over_time(engine, bj)["source"]) == ["news"]


def test_lead_time_groups_and_median_for_high_signals(engine: Engine) -> None:
    """warned LB, late LD, missed LE, no_default LA; median of {−10, 132} = 61 days."""
    frame = warnings.lead_time_summary(engine, AS_OF)
    assert dict(zip(frame["lead_group"], frame["lessees"], strict=True)) == {
        "warned": 1,
        "late": 1,
        "missed": 1,
        "no_default": 1,
    }
    assert set(frame["median_lead_days"]) == {61.0}


def test_lead_time_with_medium_signals_counts_le_as_warned(engine: Engine) -> None:
    """warned LB and LE, late LD, missed none, no_default LA; median of {−10, 89, 132} = 89."""
    frame = warnings.lead_time_summary(engine, AS_OF, severity="medium")
    assert list(frame["lessees"]) == [2, 1, 0, 1]
    assert frame["median_lead_days"].iloc[0] == 89.0


def test_lead_time_distribution_bands(engine: Engine) -> None:
    """High: LD in ≤ 0, LB in 91–180. Medium adds LE in 31–90. Empty bands stay at 0."""
    high = warnings.lead_time_distribution(engine, AS_OF)
    assert dict(zip(high["band"], high["lessees"], strict=True)) == {
        "le_0": 1,
        "d1_30": 0,
        "d31_90": 0,
        "d91_180": 1,
        "d181_365": 0,
        "gt_365": 0,
    }
    medium = warnings.lead_time_distribution(engine, AS_OF, severity="medium")
    assert list(medium["lessees"]) == [1, 0, 1, 1, 0, 0]


def test_lead_time_lessees_name_a_contract_to_open(engine: Engine) -> None:
    """Warned: LB with 132 days, contract B (its first 90+). No default: LA, contract A (S3's).
    Missed: LE, contract E. LB is corporate, its name is not personal data."""
    warned = warnings.lead_time_lessees(engine, AS_OF, group="warned").iloc[0]
    assert (warned["lessee_id"], warned["contract_id"], warned["lead_days"]) == ("LB", "B", 132)
    assert warned["first_signal_date"] == date(2024, 1, 20)
    assert warned["first_90_month_end"] == date(2024, 5, 31)
    assert warned["lessee_type"] == "corporate"
    none = warnings.lead_time_lessees(engine, AS_OF, group="no_default").iloc[0]
    assert (none["lessee_id"], none["contract_id"]) == ("LA", "A")
    missed = warnings.lead_time_lessees(engine, AS_OF, group="missed")
    assert list(missed["contract_id"]) == ["E"]


def test_lead_time_on_an_earlier_as_of(engine: Engine) -> None:
    """As of 2024-03-31: LB's B is not yet over 90 (55), so LB is no_default; LD late (−10);
    LA no_default; E at 90 is not over 90, and LE has no high signal: in no group. The median
    is LD's alone: −10."""
    march = Filters(as_of=date(2024, 3, 31))
    frame = warnings.lead_time_summary(engine, march)
    assert list(frame["lessees"]) == [0, 1, 0, 2]
    assert frame["median_lead_days"].iloc[0] == -10.0


def test_unknown_severity_and_group_are_refused(engine: Engine) -> None:
    """Only `high` and `medium` thresholds and the four groups exist."""
    with pytest.raises(ValueError, match="severity"):
        warnings.lead_time_summary(engine, AS_OF, severity="low")
    with pytest.raises(ValueError, match="group"):
        warnings.lead_time_lessees(engine, AS_OF, group="all")


def test_the_build_keeps_each_lessees_lead_time_over_the_whole_book(engine: Engine) -> None:
    """`lead_time_lessees` at the build's as-of (2024-06-30), per level: LB warned 132 days
    (first signal S1 tax, no contract: B's 90+ to open), LD late −10 (S5 financial, D), LE
    missed at `high` (E) and warned 89 at `medium` (S6 internal), LA no_default (S3 iot on A).
    LC (a low signal only) and the others are in no group."""
    t = lead_time_lessees
    stmt = sa.select(
        t.c.level,
        t.c.lessee_id,
        t.c.lead_group,
        t.c.lead_days,
        t.c.contract_id,
        t.c.first_signal_source,
    )
    got = {
        (level, lessee): (
            group,
            None if pd_na(days) else int(days),
            contract,
            None if pd_na(source) else source,
        )
        for level, lessee, group, days, contract, source in fetch_frame(engine, stmt)
        .astype(object)
        .itertuples(index=False)
    }
    common = {
        "LB": ("warned", 132, "B", "tax"),
        "LD": ("late", -10, "D", "financial"),
        "LA": ("no_default", None, "A", "iot"),
    }
    assert got == {
        **{("high", k): v for k, v in common.items()},
        ("high", "LE"): ("missed", None, "E", None),
        **{("medium", k): v for k, v in common.items()},
        ("medium", "LE"): ("warned", 89, "E", "internal"),
    }


def pd_na(value: object) -> bool:
    """NULL as read back (None, or NaN in a numeric column)."""
    return value is None or value != value


@pytest.mark.parametrize(
    ("filters", "answers"),
    [
        (AS_OF, True),
        (Filters(as_of=date(2024, 5, 31)), False),
        (Filters(as_of=date(2024, 6, 30), scope=("SH", "BJ")), False),
        (Filters(as_of=date(2024, 6, 30), product=("direct_lease",)), False),
        (Filters(as_of=date(2024, 6, 30), cohort_to=date(2024, 1, 31)), False),
    ],
)
def test_the_whole_book_lead_times_answer_only_unfiltered_at_the_builds_as_of(
    filters: Filters, answers: bool
) -> None:
    """Any filter, a branch scope or another as-of ranks `lead_time_facts` instead."""
    assert warnings.whole_book(filters, date(2024, 6, 30)) is answers
    assert not warnings.whole_book(AS_OF, None)


def test_the_build_keeps_the_whole_books_signals_per_month(engine: Engine) -> None:
    """`signal_month`: the six signals of the book, one per month × source × severity, each
    with its one lessee (LC's news signal too: LC holds C)."""
    t = signal_month
    stmt = sa.select(t.c.month_idx, t.c.source, t.c.severity, t.c.signals, t.c.lessees)
    got = {
        (int(m) - 2024 * 12 + 1, source, severity): (int(n), int(lessees))
        for m, source, severity, n, lessees in fetch_frame(engine, stmt).itertuples(index=False)
    }
    assert got == {
        (1, "tax", "high"): (1, 1),
        (2, "iot", "high"): (1, 1),
        (2, "internal", "medium"): (1, 1),
        (3, "court", "medium"): (1, 1),
        (3, "financial", "high"): (1, 1),
        (5, "news", "low"): (1, 1),
    }
