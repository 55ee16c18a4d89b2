"""Observations of the rules on events rather than ratios: blocking data-check failures and the
filing deadlines (T−5 and T−1 working days, missed).

- `checks.blocking`: the latest stored data-check run has blocking failures (value: how many,
  line 0); it resolves once a run has none.
- `filing.t5` / `filing.t1` / `filing.missed`, one alert per report and period (`G11:2026-09-30`):
  not yet submitted and at most 5 / at most 1 working day(s) before its deadline, or past it
  (deadlines more than 31 days ago raise no new alert).
- `exposure.signal`, one alert per contract: open at the as-of with outstanding principal at
  least `alerts.large_exposure` and meeting the at-risk list's `signal` (a high-severity warning
  signal) or `iot` (an IoT alert) rule, read through the list's own query.
- `committee.review`, one alert per open classification proposal (`<id>:<proposer>:<contract>`):
  for every risk-committee member but its proposer, until it is approved, rejected or withdrawn. A
  working day is Monday to Friday (the holiday calendar is not known); the days left are the
  working days after today up to the deadline. Submitting resolves all three.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.engine import Engine

from alerts.state import Observation
from data_checks.store import list_runs, store_url
from queries.at_risk import MAX_PAGE, split_counts
from queries.filters import Filters
from queries.registry import QUERIES
from regulatory.calendar import SUBMITTED, filing_calendar, month_ends
from regulatory.registry import REPORTS
from warehouse.portal.decisions import open_proposals

FILING_STAGES: dict[str, int] = {"filing.t5": 5, "filing.t1": 1}
MISSED = "filing.missed"
CHECKS = "checks.blocking"
REVIEW = "committee.review"
SIGNAL = "exposure.signal"
RECENT_DAYS = 31  # deadlines missed longer ago than this raise no new alert
EVENT_PAGES: dict[str, str] = {
    CHECKS: "data_quality.py",
    REVIEW: "dossier.py",
    SIGNAL: "dossier.py",
    **dict.fromkeys((*FILING_STAGES, MISSED), "filing.py"),
}
FILING_RULES: tuple[str, ...] = (*FILING_STAGES, MISSED)
COMPLETE_EVENT_RULES: tuple[str, ...] = (*FILING_RULES, REVIEW, SIGNAL)


def working_days_left(today: dt.date, deadline: dt.date) -> int:
    """Monday-to-Friday days after `today` up to and including `deadline` (0 when none)."""
    days, day = 0, today + dt.timedelta(days=1)
    while day <= deadline:
        days += day.weekday() < 5
        day += dt.timedelta(days=1)
    return days


def check_observations(warehouse_url: str, period: dt.date) -> list[Observation]:
    """The latest data-check run: its blocking failures against a line of none."""
    runs = list_runs(store_url(warehouse_url), limit=1)
    if not runs:
        return []
    failures = Decimal(int(runs[0]["blocking_failures"]))
    return [Observation(CHECKS, "book", period, failures, Decimal(0), failures > 0, failures == 0)]


def filing_observations(portal: Engine, today: dt.date) -> list[Observation]:
    """Each report period whose deadline is at most `RECENT_DAYS` ago or still ahead, by how
    near its deadline; a submitted one is observed as cleared, so its alerts resolve."""
    first = month_ends(today - dt.timedelta(days=RECENT_DAYS + 31), today)[0]
    seen: list[Observation] = []
    for entry in filing_calendar(portal, REPORTS, first, today, today):
        if entry.deadline < today - dt.timedelta(days=RECENT_DAYS):
            continue  # an older period is the filing page's business, not a new alert
        subject = f"{entry.report_code}:{entry.period.isoformat()}"
        done = entry.status == SUBMITTED
        left = working_days_left(today, entry.deadline)
        value = Decimal(left)
        for rule, line in FILING_STAGES.items():
            # Past the deadline a stage is neither breached nor cleared: it stays open, silent,
            # and the missed rule speaks instead.
            due = not done and today <= entry.deadline and left <= line
            seen.append(Observation(rule, subject, today, value, Decimal(line), due, done))
        missed = not done and today > entry.deadline
        seen.append(Observation(MISSED, subject, today, value, Decimal(0), missed, done))
    return seen


def review_observations(portal: Engine, today: dt.date) -> list[Observation]:
    """Each open classification proposal, waiting for a second committee member."""
    frame = open_proposals(portal)
    return [
        Observation(
            REVIEW,
            f"{row['decision_id']}:{row['actor']}:{row['contract_id']}",
            today,
            Decimal(1),
            Decimal(0),
            True,
            False,
        )
        for row in frame.to_dict("records")
    ]


def signal_observations(engine: Engine, as_of: dt.date, large: Decimal) -> list[Observation]:
    """Each contract of at least `large` outstanding with a high-severity signal or IoT alert."""
    seen: list[Observation] = []
    offset = 0
    while True:
        page = QUERIES["at_risk.at_risk"](
            engine,
            Filters(as_of=as_of),
            rules=("signal", "iot"),
            sort="outstanding",
            limit=MAX_PAGE,
            offset=offset,
        )
        rows, _ = split_counts(page)
        for row in rows.to_dict("records"):
            amount = Decimal(str(row["outstanding_principal"]))
            if amount < large:
                return seen  # largest first: the rest are smaller
            seen.append(
                Observation(SIGNAL, str(row["contract_id"]), as_of, amount, large, True, False)
            )
        if len(rows) < MAX_PAGE:
            return seen
        offset += MAX_PAGE
