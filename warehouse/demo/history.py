"""Facts about each contract's path drawn from the month-end panels, shared by the event tables."""

from __future__ import annotations

import numpy as np

from warehouse.demo.payments import Outcome

NEVER = -1


def first_over(outcome: Outcome, threshold: int) -> np.ndarray:
    """Month index of each contract's first month-end with DPD over `threshold`, or NEVER."""
    over = outcome.dpd > threshold
    hit = over.any(axis=0)
    return np.where(hit, over.argmax(axis=0) + outcome.first_month, NEVER).astype(np.int32)


def last_open_month(outcome: Outcome, start_month: np.ndarray) -> np.ndarray:
    """The last month each contract is on the book (its closing or write-off month, or as-of)."""
    last = outcome.first_month + outcome.dpd.shape[0] - 1
    return np.maximum(np.minimum(outcome.state.end_month, last), start_month).astype(np.int32)


def spread(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The owner of each of sum(counts) items and its rank within its owner."""
    counts = np.asarray(counts, dtype=np.int64)
    owner = np.repeat(np.arange(len(counts)), counts)
    rank = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, rank
