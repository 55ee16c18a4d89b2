"""Turn numpy arrays into the Arrow columns of the extract format (ids, money, dates, text)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """`prefix` + zero-padded numbers, e.g. C00000042."""
    digits = pc.cast(pa.array(np.asarray(numbers, dtype=np.int64)), pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(digits, width, "0"), "")


def chars(matrix: np.ndarray) -> pa.Array:
    """One ASCII string per row of a uint8 matrix."""
    n, w = matrix.shape
    data = pa.py_buffer(np.ascontiguousarray(matrix).tobytes())
    offsets = pa.py_buffer((np.arange(n + 1, dtype=np.int32) * w).tobytes())
    return pa.Array.from_buffers(pa.string(), n, [None, offsets, data])


def money(cents: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """Yuan with two decimals from int64 cents, exactly: the unscaled decimal is the cents."""
    mask = None if valid is None else ~np.asarray(valid)
    arr = pa.array(np.asarray(cents, dtype=np.int64), mask=mask).cast(pa.decimal128(19, 0))
    return pa.Array.from_buffers(pa.decimal128(19, 2), len(arr), arr.buffers(), arr.null_count)


def dates(days: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """ISO dates from day numbers; invalid entries become empty cells."""
    mask = None if valid is None else ~np.asarray(valid)
    return pa.array(np.asarray(days, dtype=np.int32), type=pa.date32(), mask=mask)


def timestamps(seconds: np.ndarray) -> pa.Array:
    """YYYY-MM-DD HH:MM:SS from seconds since 1970-01-01 (local time, no zone)."""
    return pa.array(np.asarray(seconds, dtype=np.int64), type=pa.timestamp("s"))


def pick(labels: Sequence[str], codes: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """Labels chosen by integer codes; invalid entries become empty cells."""
    taken = pa.array(list(labels), type=pa.string()).take(pa.array(np.asarray(codes, np.int32)))
    if valid is None:
        return taken
    return pc.if_else(pa.array(np.asarray(valid)), taken, pa.scalar(None, pa.string()))


def join(*parts: pa.Array | str) -> pa.Array:
    """Element-wise concatenation of string columns and constants."""
    return pc.binary_join_element_wise(*parts, "")


def months(month_idx: np.ndarray) -> pa.Array:
    """YYYY-MM text from month indexes."""
    m = np.asarray(month_idx, dtype=np.int64)
    year, mon = m // 12, m % 12 + 1
    out = np.empty((len(m), 7), dtype=np.uint8)
    for i, p in enumerate((1000, 100, 10, 1)):
        out[:, i] = (year // p) % 10 + 48
    out[:, 4] = ord("-")
    out[:, 5] = mon // 10 + 48
    out[:, 6] = mon % 10 + 48
    return chars(out)


def take(values: pa.Array, index: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """values[index]; where `valid` is false the cell is empty."""
    mask = None if valid is None else ~np.asarray(valid)
    return values.take(pa.array(np.asarray(index, dtype=np.int64), mask=mask))


def pick_in_groups(
    rng: np.random.Generator, groups: Sequence[Sequence[str]], which: np.ndarray
) -> pa.Array:
    """For each item, a random label from its group `groups[which]`."""
    sizes = np.array([len(g) for g in groups])
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    which = np.asarray(which, dtype=np.int64)
    index = first[which] + (rng.random(len(which)) * sizes[which]).astype(np.int64)
    return pick([label for g in groups for label in g], index)
