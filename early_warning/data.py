"""The training and scoring frames: month-end features read from the warehouse, typed for models.

The statement is `warehouse.marts.ew_features.feature_statement`; `queries.execute.fetch_frame`
runs it, as it runs every page's statement.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.execute import fetch_frame, fetch_one
from warehouse import schema
from warehouse.engine import PG_BUILD_WORK_MEM
from warehouse.marts.ew_features import (
    CATEGORICAL,
    DEFAULT_DPD,
    HORIZON,
    NUMERIC,
    TARGET,
    ContractSample,
    feature_statement,
    sample_cut,
    sample_value,
    stratum_counts_statement,
)
from warehouse.months import month_end_of

# Fewer defaults than this in a training window make a model that cannot be trusted.
MIN_DEFAULTS = 50
# Month-ends read by one feature statement (load_features): bounds the database's memory.
CHUNK_MONTHS = 3
# The same when only a sample is read (`keep_share` < 1): far fewer rows, so fewer statements,
# each reading the source tables once for more month-ends.
SAMPLE_CHUNK_MONTHS = 6
# Above this many training rows the non-defaults are sampled (docs/early-warning.md, "Speed and
# memory": every default is kept, so the sample's precision is bounded by the defaults).
MAX_TRAINING_ROWS = 500_000
# Month-ends a large book's training reads (setting `early_warning.train_months`): the backtest
# needs TEST_MONTHS + HORIZON + 1 = 19 of them, and six more give its fit six month-ends.
TRAIN_MONTHS = 24
# A large book's contract sample keeps at least this share of the cap's rows from the contracts
# without a default, however many rows the defaulting contracts (kept whole) already hold.
MIN_SAMPLED_SHARE_OF_CAP = 0.25


class NotEnoughData(ValueError):
    """The warehouse holds too few months, rows or defaults to train or evaluate a model."""


def built_to(engine: Engine) -> int | None:
    """The month index of the last month-end the build reached (its as-of); None: not built."""
    me = schema.month_ends
    row = fetch_one(engine, sa.select(sa.func.max(me.c.month_idx).label("last")))
    return None if row is None or row["last"] is None else int(row["last"])


def built_from(engine: Engine) -> int | None:
    """The month index of the first month-end the build reached; None: not built."""
    me = schema.month_ends
    row = fetch_one(engine, sa.select(sa.func.min(me.c.month_idx).label("first")))
    return None if row is None or row["first"] is None else int(row["first"])


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Numeric features as float64 (missing = NaN), segments as text, the target as float."""
    out = frame.copy()
    for name in NUMERIC:
        out[name] = pd.to_numeric(out[name], errors="coerce").astype(np.float64)
    for name in CATEGORICAL:
        out[name] = out[name].astype(str)
    out[TARGET] = pd.to_numeric(out[TARGET], errors="coerce").astype(np.float64)
    out["month_idx"] = out["month_idx"].astype(np.int64)
    return out


def load_features(
    engine: Engine,
    first_idx: int,
    last_idx: int,
    lag_months: int = 0,
    keep_share: float = 1.0,
    contracts: ContractSample | None = None,
) -> pd.DataFrame:
    """The performing contract-months `first_idx` … `last_idx` with features and target.

    Read `CHUNK_MONTHS` month-ends at a time (each month-end's features are the same whichever
    chunk reads it), so the database never holds the whole range's rows at once. With
    `keep_share` < 1 every default is kept and the non-defaults are thinned to that share in the
    statement itself (the rows `thin` keeps: the others are never computed; no row of unknown
    target), `SAMPLE_CHUNK_MONTHS` month-ends at a time; the frame then has a `weight` column.
    With `contracts` (a `ContractSample` over `first_idx` … `last_idx`), the whole rows of the
    contracts it keeps, `SAMPLE_CHUNK_MONTHS` at a time, with `weight` 1 on a contract with a
    default in the range and 1 ÷ its share on the others (`contract_weights`)."""
    sampled = keep_share < 1.0 or contracts is not None
    step = SAMPLE_CHUNK_MONTHS if sampled else CHUNK_MONTHS
    frames = []
    for lo in range(first_idx, last_idx + 1, step):
        hi = min(lo + step - 1, last_idx)
        statement = feature_statement(lo, hi, lag_months, keep_share, contracts)
        frame = typed(_fetch(engine, statement))
        frames.append(_weighted(frame, keep_share) if keep_share < 1.0 else frame)
    out = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    if contracts is not None:
        out["weight"] = contract_weights(out, contracts.share)
    return out


def contract_weights(frame: pd.DataFrame, share: float) -> np.ndarray:
    """Each row's weight in a whole-contract sample drawn at `share`: 1 when its contract has a
    default (target 1) at one of the frame's month-ends (every such contract is kept), else
    1 ÷ `share` (it stands for that many contracts of the book)."""
    defaults = frame[TARGET].eq(1).to_numpy()
    whole = frame["contract_id"].isin(frame.loc[defaults, "contract_id"].unique()).to_numpy()
    return np.where(whole, 1.0, 1.0 / share)


@dataclass(frozen=True)
class TrainingRead:
    """What training reads: month-ends `first_idx` … `last_idx`, whole (`sample` None) or a
    whole-contract sample; `known_rows` performing contract-months whose outcome is known
    (month-ends up to the last but `HORIZON`) there, `defaulting_rows` those of contracts with
    a default (kept whole), and `large` whether the book's known rows exceeded `cap`."""

    first_idx: int
    last_idx: int
    known_rows: int
    defaulting_rows: int
    large: bool
    sample: ContractSample | None
    cap: int = MAX_TRAINING_ROWS

    @property
    def share(self) -> float:
        """The share of the contracts without a default that is read (1.0: all)."""
        return 1.0 if self.sample is None else self.sample.share


def contract_share(known: int, defaulting: int, cap: int = MAX_TRAINING_ROWS) -> float:
    """The share of the contracts without a default to keep so about `cap` known rows remain
    once the defaulting contracts' `defaulting` rows are counted, at least
    `MIN_SAMPLED_SHARE_OF_CAP` × `cap` rows from them; 1.0 when `known` ≤ `cap`."""
    others = known - defaulting
    if known <= cap or others <= 0:
        return 1.0
    wanted = max(cap - defaulting, MIN_SAMPLED_SHARE_OF_CAP * cap)
    return min(1.0, wanted / others)


def training_read(
    engine: Engine,
    built_from_idx: int,
    built_to_idx: int,
    train_months: int = TRAIN_MONTHS,
    cap: int = MAX_TRAINING_ROWS,
) -> TrainingRead:
    """What training reads from a book built `built_from_idx` … `built_to_idx`: every built
    month-end whole when its performing contract-months with a known outcome are at most
    `cap` (as always); otherwise the last `train_months` month-ends, as a whole-contract
    sample sized by `contract_share` (whole when that share is 1)."""
    known_last = built_to_idx - HORIZON
    known = performing_rows(engine, built_from_idx, known_last)
    if known <= cap:
        return TrainingRead(built_from_idx, built_to_idx, known, 0, False, None, cap)
    first = max(built_from_idx, built_to_idx - train_months + 1)
    row = fetch_one(engine, stratum_counts_statement(first, built_to_idx, known_last))
    rows = 0 if row is None else int(row["rows"])
    defaulting = 0 if row is None else int(row["defaulting_rows"])
    share = contract_share(rows, defaulting, cap)
    sample = ContractSample(first, built_to_idx, share) if share < 1.0 else None
    return TrainingRead(first, built_to_idx, rows, defaulting, True, sample, cap)


def _fetch(engine: Engine, statement: sa.Select) -> pd.DataFrame:
    """The statement's rows as a frame: on DuckDB through Arrow (a million rows of ninety
    columns as Python tuples would cost gigabytes), its DECIMAL columns (sums of counts) as
    float64 there rather than as Python Decimals `typed` would convert one by one (4.8 of 7.2 s
    per month-end at a million contracts); elsewhere `fetch_frame`'s one fetch."""
    if engine.dialect.name == "postgresql":
        # The default 4 MB work_mem spills the feature statement's hash joins and sorts to disk
        # (404 MB in 133 batches for 6 month-ends at 100,000 contracts): the build's setting,
        # for this read's transaction only.
        with engine.connect() as conn:
            conn.execute(sa.select(sa.func.set_config("work_mem", PG_BUILD_WORK_MEM, True)))
            result = conn.execute(statement)
            columns = list(result.keys())
            rows = [tuple(row) for row in result.fetchall()]  # one fetch
        return pd.DataFrame.from_records(rows, columns=columns, coerce_float=False)
    if engine.dialect.name != "duckdb":
        return fetch_frame(engine, statement)
    import pyarrow as pa

    with engine.connect() as conn:
        compiled = statement.compile(dialect=conn.dialect)
        params = [compiled.params[k] for k in compiled.positiontup or ()]
        raw = conn.connection.driver_connection
        table = raw.sql(str(compiled), params=params).to_arrow_table()
    floats = pa.schema(
        [f.with_type(pa.float64()) if pa.types.is_decimal(f.type) else f for f in table.schema]
    )
    return table.cast(floats).to_pandas()


def thin(frame: pd.DataFrame, keep_share: float) -> pd.DataFrame:
    """Training rows of a large book: every default, and the non-defaults whose draw
    (`ew_features.sample_value`: MD5 of contract id and month index, the same rows on every
    run and in `feature_statement(…, keep_share)`) is below `keep_share`, with `weight`
    1 ÷ `keep_share` on those and 1 on the defaults, so weighted counts and default rates stay
    those of the whole book. Rows whose target is not yet known are left out (nothing is
    trained on them)."""
    cut = sample_cut(keep_share)
    keys = zip(frame["contract_id"], frame["month_idx"], strict=True)
    drawn = np.fromiter((sample_value(c, int(m)) < cut for c, m in keys), bool, len(frame))
    good = (frame[TARGET] == 0).to_numpy()
    out = frame[(frame[TARGET] == 1).to_numpy() | (good & drawn)]
    return _weighted(out, keep_share)


def _weighted(frame: pd.DataFrame, keep_share: float) -> pd.DataFrame:
    """The sampled rows with their `weight`: 1 ÷ `keep_share` on the non-defaults, 1 on the
    defaults."""
    out = frame.copy()
    out["weight"] = np.where((out[TARGET] == 0).to_numpy(), 1.0 / keep_share, 1.0)
    return out.reset_index(drop=True)


def training_share(rows: int, cap: int = MAX_TRAINING_ROWS) -> float:
    """The share of non-default rows to keep so about `cap` rows remain (1.0: keep them all)."""
    return 1.0 if rows <= cap else cap / rows


def weights(frame: pd.DataFrame) -> np.ndarray | None:
    """The rows' `weight` column (from `thin`), or None when every row stands for itself."""
    return frame["weight"].to_numpy() if "weight" in frame.columns else None


def performing_rows(engine: Engine, first_idx: int, last_idx: int) -> int:
    """The performing contract-months (open, DPD ≤ 90) of month-ends `first_idx` … `last_idx`:
    the rows `load_features` would return, counted without computing them."""
    cm = schema.contract_month
    stmt = sa.select(sa.func.count().label("rows")).where(
        cm.c.month_idx.between(first_idx, last_idx),
        sa.not_(cm.c.written_off),
        sa.not_(cm.c.closed),
        cm.c.dpd <= DEFAULT_DPD,
    )
    row = fetch_one(engine, stmt)
    return 0 if row is None else int(row["rows"])


def require_defaults(frame: pd.DataFrame, what: str, minimum: int = MIN_DEFAULTS) -> None:
    """Raise `NotEnoughData` in words unless `frame` has `minimum` defaults and as many
    non-defaults among its rows with a known target."""
    known = frame[frame[TARGET].notna()]
    bad = int(known[TARGET].sum())
    good = len(known) - bad
    if bad < minimum or good < minimum:
        months = ""
        if len(known):
            lo, hi = known.month_idx.min(), known.month_idx.max()
            months = f" (month-ends {month_end_of(lo):%Y-%m} to {month_end_of(hi):%Y-%m})"
        raise NotEnoughData(
            f"{what}: {bad} defaults (90+ DPD or written off within 6 months) and {good} "
            f"non-defaults among {len(known)} contract-months with a known outcome{months}; "
            f"at least {minimum} of each are needed"
        )
