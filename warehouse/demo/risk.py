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
