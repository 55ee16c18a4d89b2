"""The latent drivers of behaviour: risk grade, industry, the macro cycle and loose vintages."""

from __future__ import annotations

import numpy as np

GRADES = np.array([1, 2, 3, 4, 5], dtype=np.int8)
CORPORATE_GRADE_P = (0.22, 0.33, 0.27, 0.12, 0.06)
INDIVIDUAL_GRADE_P = (0.15, 0.30, 0.30, 0.16, 0.09)
# Chance that a performing contract misses an installment that falls due, by grade.
MISS_BY_GRADE = np.array([0.0, 0.0015, 0.0035, 0.007, 0.015, 0.032])
# Chance that a delinquent contract pays all its arrears in its first month of delinquency.
CURE_BY_GRADE = np.array([0.0, 0.62, 0.55, 0.45, 0.35, 0.25])


def downturn_centre(first_month: int, last_month: int) -> float:
    """The month index where the book's downturn peaks: about 60% into the window."""
    return first_month + 0.6 * (last_month - first_month)


def macro(months: np.ndarray, first_month: int, last_month: int) -> np.ndarray:
    """Macro stress multiplier by calendar month: a slow cycle plus one downturn."""
    m = np.asarray(months, dtype=np.float64)
    centre = downturn_centre(first_month, last_month)
    cycle = 1.0 + 0.25 * np.sin(2 * np.pi * (m - first_month) / 30.0)
    shock = 1.4 * np.exp(-0.5 * ((m - centre) / 4.0) ** 2)
    return cycle + shock


def vintage(start_months: np.ndarray, first_month: int, last_month: int) -> np.ndarray:
    """Underwriting multiplier by origination month: cohorts just before the downturn are loose."""
    m = np.asarray(start_months, dtype=np.float64)
    centre = downturn_centre(first_month, last_month)
    return 1.0 + 1.1 * np.exp(-0.5 * ((m - (centre - 7.0)) / 3.0) ** 2)


def seasoning(mob: np.ndarray) -> np.ndarray:
    """Hazard by months on book: low at first, peaking in the second year, then fading."""
    x = np.asarray(mob, dtype=np.float64)
    return 0.45 + 0.9 * np.exp(-0.5 * ((x - 14.0) / 8.0) ** 2)


# The hidden, drifting risk of each lessee (docs/demo.md, "Hidden risk"): a latent score z, one
# value per lessee and calendar month, never written to the extract. Each month z is pulled back
# towards 0 (RHO), moves by a small random step (STEP), is pushed up during a slow deterioration
# (an episode: DRIFT a month for EPISODE_MONTHS) and jumps at a sudden shock (SHOCK_SIZE).
# Episodes and shocks start more often for worse grades and in the downturn.
LATENT_STREAM = 1  # the latent series has its own random stream: np.random.default_rng([seed, 1])
RHO = 0.95
STEP = 0.12
EPISODE_P = 0.006
DRIFT = (0.08, 0.28)
EPISODE_MONTHS = (4, 16)
SHOCK_P = 0.0013
SHOCK_SIZE = (1.2, 3.0)
GRADE_FACTOR = np.array([0.0, 0.35, 0.65, 1.0, 1.6, 2.6])
LEAD_IN = 12  # months of the latent series before the window (lessee statements reach back)
# How z drives the book: the miss hazard is multiplied by e^(HAZARD_SLOPE·z), and a lessee in
# distress (z well above DISTRESS_AT) misses up to DISTRESS_MISS of its instalments outright.
STATIC_SHARE = 0.25  # the grade's fixed hazard is scaled down: the rest comes from z
HAZARD_SLOPE = 1.0
DISTRESS_AT, DISTRESS_MISS = 2.0, 0.45
CURE_SLOPE = 0.15  # cures fall by e^(−CURE_SLOPE·z) for z > 0


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function 1 ÷ (1 + e^−x)."""
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


class Latent:
    """The lessees' hidden risk z: one float32 row per calendar month `first_month` …, one column
    per lessee."""

    def __init__(self, first_month: int, z: np.ndarray) -> None:
        self.first_month = first_month
        self.z = z

    @property
    def last_month(self) -> int:
        """The last calendar month of the series."""
        return self.first_month + self.z.shape[0] - 1

    def at(self, month: np.ndarray | int, lessee: np.ndarray) -> np.ndarray:
        """z of each `lessee` in each `month` (clipped to the series' months), as float64."""
        row = np.clip(np.asarray(month) - self.first_month, 0, self.z.shape[0] - 1)
        return self.z[row, lessee].astype(np.float64)

    def mean_over(self, months_back: int, month: np.ndarray, lessee: np.ndarray) -> np.ndarray:
        """The mean of z over the `months_back` months ending at each `month`."""
        total = np.zeros(len(lessee), dtype=np.float64)
        for k in range(months_back):
            total += self.at(np.asarray(month) - k, lessee)
        return total / months_back


def latent_risk(
    rng: np.random.Generator, grade: np.ndarray, first_month: int, last_month: int
) -> Latent:
    """Draw every lessee's hidden risk for calendar months first_month − LEAD_IN … last_month."""
    nl = len(grade)
    lo = first_month - LEAD_IN
    months = np.arange(lo, last_month + 1)
    stress = macro(months, first_month, last_month)
    stress = stress / stress.mean()
    z = np.empty((len(months), nl), dtype=np.float32)
    prone = GRADE_FACTOR[grade]
    now = rng.normal(0.0, STEP / np.sqrt(1 - RHO**2), nl)
    drift = np.zeros(nl)
    left = np.zeros(nl, dtype=np.int32)
    for i in range(len(months)):
        u = rng.random((2, nl))
        start = np.flatnonzero((left == 0) & (u[0] < EPISODE_P * prone * stress[i]))
        drift[start] = rng.uniform(*DRIFT, len(start))
        left[start] = rng.integers(EPISODE_MONTHS[0], EPISODE_MONTHS[1] + 1, len(start))
        hit = np.flatnonzero(u[1] < SHOCK_P * prone * stress[i])
        now = RHO * now + rng.normal(0.0, STEP, nl) + np.where(left > 0, drift, 0.0)
        now[hit] += rng.uniform(*SHOCK_SIZE, len(hit))
        left = np.maximum(left - 1, 0)
        z[i] = now
    return Latent(lo, z)
