"""Build step: the early-warning score of every performing contract at the scored month-ends.

The build ends by handing its connection to a `Scorer` (the early-warning package's
`early_warning.scoring.score_build`, given by `postloan load` and `postloan build`: the models
live a layer above the warehouse). The scorer finds the approved version in the registry, checks
it, and calls `write_scores` with a function that turns a feature frame into scores and reasons;
this module reads the features of the last `early_warning.score_months` month-ends up to the
as-of (`warehouse.marts.ew_features`, a few month-ends per statement), ranks each month-end
into deciles and writes `ew_scores` in bulk (Arrow on DuckDB, COPY on PostgreSQL), and with the
same feature rows counts each feature's contracts per bin of the version's training reference
into `ew_feature_bins` (模型监控's feature PSI, read without re-running the features). Whatever
the outcome, one line says it, in the build's output and in `ew_score_log`. A model that cannot
be used leaves `ew_scores` empty; it never fails the build.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from warehouse import schema
from warehouse.marts.ew_features import DEFAULT_DPD, feature_statement
from warehouse.months import month_end_of, month_idx
from warehouse.settings import Settings

NAME = "early-warning scores"
SCORED, NO_MODEL, REFUSED, SKIPPED = "scored", "no_model", "refused", "skipped"
OUTCOMES: tuple[str, ...] = (SCORED, NO_MODEL, REFUSED, SKIPPED)
REASONS: tuple[str, ...] = ("reason_1", "reason_2", "reason_3")
DECILES = 10
# Feature rows read by one statement at most (whole month-ends): bounds the memory of a big book.
CHUNK_ROWS = 1_000_000


class ModelFailed(ValueError):
    """The model raised while scoring (not the database): the build goes on without scores."""


# Features in, one row per feature row out: `score` and `reason_1` … `reason_3` (keys or "").
Apply = Callable[[pd.DataFrame], pd.DataFrame]
# Features in, their rows per month_idx, feature and bin out (`early_warning.reference`).
CountBins = Callable[[pd.DataFrame], pd.DataFrame]


@dataclass(frozen=True)
class Scoring:
    """What the early-warning step of one build did."""

    outcome: str
    version: str | None = None
    month_ends: int = 0
    scores: int = 0
    seconds: float = 0.0
    detail: str = ""
    first: date | None = None
    last: date | None = None

    @property
    def line(self) -> str:
        """The one line the build prints and logs."""
        if self.outcome == SCORED:
            span = (
                f"{self.first:%Y-%m}"
                if self.first == self.last
                else (f"{self.first:%Y-%m} … {self.last:%Y-%m}")
            )
            return (
                f"{NAME}: {self.version} scored {self.scores:,} performing contract-months at "
                f"{self.month_ends} month-end(s) ({span}) in {self.seconds:.1f} s"
            )
        return f"{NAME}: none written — {self.detail}"


# The step given to the build: (connection, settings, as-of) → what it did.
Scorer = Callable[[Connection, Settings, date], Scoring]


def _one(conn: Connection, stmt: sa.Select) -> object:
    """The single value of a one-row statement, its result read to the end (DuckDB refuses
    the next statement on a connection while a result is unfinished)."""
    return conn.execute(stmt).all()[0][0]


def months_to_score(conn: Connection, settings: Settings, as_of: date) -> tuple[int, int]:
    """The first and last month index to score: the last `early_warning.score_months` month-ends
    up to the as-of, not before the first month-end built."""
    last = month_idx(as_of)
    wanted = max(int(settings["early_warning.score_months"]), 1)
    built = _one(conn, sa.select(sa.func.min(schema.month_ends.c.month_idx)))
    first = last - wanted + 1
    return (max(first, int(built)) if built is not None else first), last


def _performing(conn: Connection, idx: int) -> int:
    cm = schema.contract_month
    stmt = sa.select(sa.func.count()).where(
        cm.c.month_idx == idx,
        sa.not_(cm.c.written_off),
        sa.not_(cm.c.closed),
        cm.c.dpd <= DEFAULT_DPD,
    )
    return int(_one(conn, stmt) or 0)


def read_features(conn: Connection, first_idx: int, last_idx: int) -> pd.DataFrame:
    """The feature rows of month-ends `first_idx` … `last_idx` as the build's connection sees
    them (DuckDB hands them over as Arrow; elsewhere one fetch)."""
    stmt = feature_statement(first_idx, last_idx)
    if conn.dialect.name == "duckdb":
        compiled = stmt.compile(dialect=conn.dialect)
        params = [compiled.params[k] for k in compiled.positiontup or ()]
        raw = conn.connection.driver_connection
        return raw.sql(str(compiled), params=params).to_arrow_table().to_pandas()
    result = conn.execute(stmt)
    columns = list(result.keys())
    return pd.DataFrame.from_records(
        [tuple(r) for r in result.fetchall()], columns=columns, coerce_float=False
    )


def deciles(month: pd.Series, score: np.ndarray, contract: pd.Series) -> np.ndarray:
    """Per row, its score's decile within its month-end: the rows ranked by score (highest
    first, then contract id) cut into ten groups of (nearly) equal count, 1 = the riskiest
    (the rule of `early_warning.metrics.deciles`)."""
    frame = pd.DataFrame({"m": month.to_numpy(), "s": score, "c": contract.to_numpy()})
    frame = frame.sort_values(["m", "s", "c"], ascending=[True, False, True], kind="stable")
    rank = frame.groupby("m").cumcount().to_numpy()
    size = frame.groupby("m")["s"].transform("size").to_numpy()
    out = np.empty(len(frame), dtype=np.int16)
    out[frame.index.to_numpy()] = rank * DECILES // size + 1
    return out


def _insert(conn: Connection, rows: pd.DataFrame, table: sa.Table = schema.ew_scores) -> None:
    """Append `rows` (the columns of `table`) in bulk."""
    names = [c.name for c in table.columns]
    if conn.dialect.name == "duckdb":
        raw = conn.connection.driver_connection
        raw.register("_ew_rows", rows[names])
        try:
            cols = ", ".join(names)
            raw.execute(f"INSERT INTO {table.name} ({cols}) SELECT {cols} FROM _ew_rows")
        finally:
            raw.unregister("_ew_rows")
        return
    if conn.dialect.name == "postgresql":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        out = rows[names].astype(object).where(rows[names].notna(), None)
        writer.writerows(out.itertuples(index=False, name=None))
        raw = conn.connection.driver_connection
        with (
            raw.cursor() as cur,
            cur.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN (FORMAT csv)") as copy,
        ):
            copy.write(buffer.getvalue())
        return
    records = rows[names].astype(object).where(rows[names].notna(), None).to_dict("records")
    conn.execute(table.insert(), records)


def _bin_rows(frame: pd.DataFrame, version: str, count_bins: CountBins) -> pd.DataFrame:
    """The `ew_feature_bins` rows of one chunk of feature rows."""
    counted = count_bins(frame)
    idx = counted["month_idx"].astype(np.int64)
    return pd.DataFrame(
        {
            "model_version": version,
            "month_idx": idx.to_numpy(),
            "month_end": [month_end_of(int(i)) for i in idx],
            "feature": counted["feature"].astype(str).to_numpy(),
            "bin": counted["bin"].astype(np.int16).to_numpy(),
            "rows": counted["rows"].astype(np.int64).to_numpy(),
        }
    )


def write_scores(
    conn: Connection,
    first_idx: int,
    last_idx: int,
    version: str,
    apply: Apply,
    count_bins: CountBins | None = None,
) -> int:
    """Score month-ends `first_idx` … `last_idx` with `apply` into the empty `ew_scores`, a few
    whole month-ends per statement, and (`count_bins` given) their feature rows per bin into the
    empty `ew_feature_bins`; returns the score rows written. If `apply` or `count_bins` raises
    (`ModelFailed`) the rows written so far are deleted first: both tables whole or empty."""
    per_month = max(_performing(conn, last_idx), 1)
    step = max(CHUNK_ROWS // per_month, 1)
    if count_bins is not None:  # a warehouse built before the table (the build creates it)
        schema.ew_feature_bins.create(conn, checkfirst=True)
    written = 0
    try:
        for lo in range(first_idx, last_idx + 1, step):
            hi = min(lo + step - 1, last_idx)
            frame = read_features(conn, lo, hi)
            if frame.empty:
                continue
            try:
                scored = apply(frame)
                bins = None if count_bins is None else _bin_rows(frame, version, count_bins)
            except Exception as exc:  # the model's (or its card's) failure, never the build's
                raise ModelFailed(f"{type(exc).__name__}: {exc}") from exc
            rows = pd.DataFrame(
                {
                    "contract_id": frame["contract_id"].astype(str).to_numpy(),
                    "month_idx": frame["month_idx"].astype(np.int64).to_numpy(),
                    "month_end": pd.to_datetime(frame["month_end"]).dt.date.to_numpy(),
                    "model_version": version,
                    "score": scored["score"].astype(np.float64).to_numpy(),
                }
            )
            rows["score_decile"] = deciles(
                rows["month_idx"], rows["score"].to_numpy(), rows["contract_id"]
            )
            for name in REASONS:
                rows[name] = [k if k else None for k in scored[name]]
            _insert(conn, rows)
            if bins is not None and not bins.empty:
                _insert(conn, bins, schema.ew_feature_bins)
            written += len(rows)
    except ModelFailed:
        conn.execute(schema.ew_scores.delete())
        conn.execute(schema.ew_feature_bins.delete())
        raise
    return written


def scored(version: str, first_idx: int, last_idx: int, rows: int, seconds: float) -> Scoring:
    """The outcome of a build that scored."""
    return Scoring(
        SCORED,
        version,
        last_idx - first_idx + 1,
        rows,
        seconds,
        first=month_end_of(first_idx),
        last=month_end_of(last_idx),
    )


def _log(conn: Connection, as_of: date, outcome: Scoring) -> None:
    log = schema.ew_score_log
    log.create(conn, checkfirst=True)
    last = _one(conn, sa.select(sa.func.coalesce(sa.func.max(log.c.run_id), 0)))
    conn.execute(
        log.insert().values(
            run_id=int(last or 0) + 1,
            built_at=datetime.now(UTC).replace(tzinfo=None, microsecond=0),
            as_of=as_of,
            outcome=outcome.outcome,
            model_version=outcome.version,
            month_ends=outcome.month_ends,
            scores=outcome.scores,
            seconds=round(outcome.seconds, 3),
            message=outcome.line,
        )
    )


def write_ew_scores(
    conn: Connection,
    settings: Settings,
    as_of: date,
    scorer: Scorer | None,
    say: Callable[[str], None],
) -> Scoring:
    """Run the early-warning step of the build (none given: say so), then print and log its
    line; `ew_scores` has been emptied by the build and stays empty unless it scored."""
    began = time.perf_counter()
    if scorer is None:
        outcome = Scoring(SKIPPED, detail="this build was run without the early-warning step")
    else:
        outcome = scorer(conn, settings, as_of)
    if outcome.outcome != SCORED:
        outcome = Scoring(
            outcome.outcome,
            outcome.version,
            detail=outcome.detail,
            seconds=time.perf_counter() - began,
        )
    say(outcome.line)
    _log(conn, as_of, outcome)
    return outcome
