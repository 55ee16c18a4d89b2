"""Month arithmetic on numpy arrays: months are year * 12 + month - 1, days count from 1970."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

EPOCH = date(1970, 1, 1)


def day_number(d: date) -> int:
    """Days since 1970-01-01."""
    return (d - EPOCH).days


def last_month_end(today: date) -> date:
    """The last month-end strictly before `today`."""
    return today.replace(day=1) - timedelta(days=1)


@dataclass(frozen=True)
class Calendar:
    """First days of a range of months, so month + day become day numbers without Python loops."""

    first_month: int  # month index of firsts[0]
    firsts: np.ndarray  # int32 day numbers of the first day of each month, one past the end too

    @classmethod
    def spanning(cls, first_month: int, last_month: int) -> Calendar:
        """A calendar covering months first_month..last_month inclusive."""
        firsts = [
            day_number(date(m // 12, m % 12 + 1, 1)) for m in range(first_month, last_month + 2)
        ]
        return cls(first_month, np.asarray(firsts, dtype=np.int32))

    def first(self, month: np.ndarray | int) -> np.ndarray:
        """Day number of the first day of each month."""
        return self.firsts[np.asarray(month) - self.first_month]

    def end(self, month: np.ndarray | int) -> np.ndarray:
        """Day number of the last day of each month."""
        return self.firsts[np.asarray(month) - self.first_month + 1] - 1

    def day(self, month: np.ndarray | int, dom: np.ndarray | int) -> np.ndarray:
        """Day number of day-of-month `dom` (1-based, at most 28) in each month."""
        return (self.first(month) + np.asarray(dom) - 1).astype(np.int32)

    def month_of(self, days: np.ndarray) -> np.ndarray:
        """Month index of each day number."""
        return (np.searchsorted(self.firsts, days, side="right") - 1 + self.first_month).astype(
            np.int32
        )
