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

A monthly rebuild does not score again what it scored before: each scored month-end keeps in
`ew_score_months` a fingerprint of everything its features read (`input_fingerprints`: per
source table the count and the sum of 64-bit hashes of the columns the feature statement reads,
of every row dated on or before the month-end, with a hash of the feature statement's text and
the model version). A month-end whose fingerprint equals the previous build's, with the same
version, keeps its scores and feature bins (carried over); the others are scored. The previous
rows are those of the same database (PostgreSQL builds in one transaction, a DuckDB rebuild works
on a copy) or, when the DuckDB load writes a new file, those of the file it replaces, attached
read-only (`atomic_write` names it); a file that is missing, unreadable or of an older layout
means every month-end is scored.
"""

from __future__ import annotations

import csv
import hashlib
import io
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql import visitors

from warehouse import schema
from warehouse.engine import PG_BUILD_WORK_MEM
from warehouse.marts.ew_features import DEFAULT_DPD, feature_statement
from warehouse.months import month_end_of, month_idx, month_index
from warehouse.settings import Settings
from warehouse.table_reset import empty_table

NAME = "early-warning scores"
SCORED, NO_MODEL, REFUSED, SKIPPED = "scored", "no_model", "refused", "skipped"
OUTCOMES: tuple[str, ...] = (SCORED, NO_MODEL, REFUSED, SKIPPED)
REASONS: tuple[str, ...] = ("reason_1", "reason_2", "reason_3")
DECILES = 10
# Feature rows read by one statement at most (whole month-ends): bounds the memory of a big book.
CHUNK_ROWS = 1_000_000
# Kept from one build to the next (the build does not empty them): the step keeps the rows of
# the month-ends it carries over and replaces the others.
KEPT_TABLES: tuple[sa.Table, ...] = (
    schema.ew_scores,
    schema.ew_feature_bins,
    schema.ew_score_months,
)
# 模型监控's figures, stored at the end of the step by the scorer (early_warning/scoring.py) and
# never carried over: empty unless the step scored.
FIGURE_TABLES: tuple[sa.Table, ...] = (
    schema.ew_performance_months,
    schema.ew_calibration_months,
    schema.ew_score_bins,
)
PREVIOUS = "ew_prev"  # the schema name of the replaced DuckDB file, attached read-only
HASH_MOD = 2**64


def _override_month(table: sa.Table) -> sa.ColumnElement[int]:
    em = table.c.effective_month  # 'YYYY-MM'
    return (
        sa.cast(sa.func.substr(em, 1, 4), sa.Integer) * 12
        + sa.cast(sa.func.substr(em, 6, 2), sa.Integer)
        - 1
    )


# The month from which a row of each table the features read can change them
# (docs/early-warning.md, "Features": each source row counts by its own date, a contract from its
# start): a row reaches the features of that month-end and later ones only. A table the feature
# statement reads that is not listed here is fingerprinted whole (a change rescores everything).
INPUT_MONTHS: dict[str, Callable[[sa.Table], sa.ColumnElement]] = {
    "contract_month": lambda t: t.c.month_idx,
    "month_ends": lambda t: t.c.month_idx,
    "contracts": lambda t: month_index(t.c.start_date),
    "receipts": lambda t: month_index(t.c.received_date),
    "schedule": lambda t: month_index(t.c.due_date),
    "device_events": lambda t: month_index(t.c.event_time),
    "inspections": lambda t: month_index(t.c.inspection_date),
    "collections": lambda t: month_index(t.c.action_time),
    "warning_signals": lambda t: month_index(t.c.signal_date),
    "lessee_financials": lambda t: month_index(t.c.period_end),
    "restructurings": lambda t: month_index(t.c.effective_date),
    "classification_overrides": _override_month,
}


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
    carried: tuple[int, ...] = ()  # month indexes carried over from the previous build
    carried_rows: int = 0

    @property
    def line(self) -> str:
        """The one line the build prints and logs."""
        if self.outcome == SCORED:
            kept = ""
            if self.carried:
                kept = (
                    f" ({_span(month_end_of(min(self.carried)), month_end_of(max(self.carried)))},"
                    f" {self.carried_rows:,} rows)"
                )
            return (
                f"{NAME}: {self.version} scored {self.scores:,} performing contract-months at "
                f"{self.month_ends} month-end(s)"
                + (f" ({_span(self.first, self.last)})" if self.month_ends else "")
                + f", carried over {len(self.carried)} month-end(s){kept} unchanged since the "
                f"previous build, in {self.seconds:.1f} s"
            )
        return f"{NAME}: none written — {self.detail}"


def _span(first: date | None, last: date | None) -> str:
    return f"{first:%Y-%m}" if first == last else f"{first:%Y-%m} … {last:%Y-%m}"


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
    if conn.dialect.name == "postgresql":
        # The build sets it for its transaction already; this keeps any other caller's read
        # from spilling with the default 4 MB (lasts to the end of the caller's transaction).
        conn.execute(sa.select(sa.func.set_config("work_mem", PG_BUILD_WORK_MEM, True)))
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
        # Not `register`: DuckDB keeps a registered frame alive until the transaction ends, so
        # the build's one transaction held every chunk it had written (3 GiB at 1M contracts).
        # By position: `names` are the table's columns in order.
        conn.connection.driver_connection.from_df(rows[names]).insert_into(table.name)
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
        for table in KEPT_TABLES:
            conn.execute(table.delete())
        raise
    return written


def scored(
    version: str,
    months: Iterable[int],
    rows: int,
    seconds: float,
    carried: Iterable[int] = (),
    carried_rows: int = 0,
) -> Scoring:
    """The outcome of a build that scored `months` (and carried `carried` over)."""
    done = sorted(months)
    return Scoring(
        SCORED,
        version,
        len(done),
        rows,
        seconds,
        first=month_end_of(done[0]) if done else None,
        last=month_end_of(done[-1]) if done else None,
        carried=tuple(sorted(carried)),
        carried_rows=carried_rows,
    )


def _read_columns() -> dict[str, list[sa.Column]]:
    """The columns of each table the feature statement reads, by table name."""
    found: dict[str, dict[str, sa.Column]] = {}
    for element in visitors.iterate(feature_statement(0, 0)):
        table = getattr(element, "table", None)
        while table is not None and not isinstance(table, sa.Table):  # an alias of a table
            table = getattr(table, "element", None)
        if isinstance(element, sa.Column) and isinstance(table, sa.Table):
            found.setdefault(table.name, {})[element.name] = table.c[element.name]
        elif isinstance(element, sa.Table):
            found.setdefault(element.name, {})
    return {
        name: [cols[c] for c in sorted(cols)] or list(schema.metadata.tables[name].columns)
        for name, cols in sorted(found.items())
    }


def feature_code(conn: Connection) -> str:
    """A hash of the feature statement as this database runs it (its text and constants): new
    feature code rescores every month-end."""
    compiled = feature_statement(0, 0).compile(dialect=conn.dialect)
    params = sorted((k, repr(v)) for k, v in compiled.params.items())
    return hashlib.sha256(f"{compiled}|{params}".encode()).hexdigest()


def _row_hash(conn: Connection, columns: list[sa.Column]) -> sa.ColumnElement | None:
    """A 64-bit hash of a row's `columns` in this database; None where there is none."""
    if conn.dialect.name == "duckdb":
        return sa.func.hash(*columns)
    if conn.dialect.name == "postgresql":
        return sa.func.hashtextextended(sa.cast(sa.func.row(*columns), sa.Text), 0)
    return None


def input_fingerprints(
    conn: Connection, months: Iterable[int], version: str
) -> dict[int, str] | None:
    """Per month index: a fingerprint of every row the features of that month-end can read (per
    table, the count and the sum of the hashes of the read columns of the rows dated on or
    before it, `INPUT_MONTHS`; an undated table whole), the feature code and `version`; None
    on a database without a row hash (every month-end is then scored)."""
    wanted = sorted(set(months))
    if not wanted:
        return {}
    parts: dict[int, list[str]] = {m: [version, feature_code(conn)] for m in wanted}
    for name, columns in _read_columns().items():
        table = schema.metadata.tables[name]
        row_hash = _row_hash(conn, columns)
        if row_hash is None:
            return None
        dated = INPUT_MONTHS.get(name)
        n_h = (sa.func.count().label("n"), sa.func.sum(row_hash).label("h"))
        if dated is None:  # every row counts at every month-end
            got = [(None, *conn.execute(sa.select(*n_h).select_from(table)).all()[0])]
        else:
            month = dated(table)
            stmt = (
                sa.select(month.label("m"), *n_h)
                .where(sa.or_(month.is_(None), month <= wanted[-1]))
                .group_by(month)
            )
            got = conn.execute(stmt).all()
        per_month = sorted(
            ((None if m is None else int(m), int(n), int(h or 0)) for m, n, h in got),
            key=lambda r: -(2**62) if r[0] is None else r[0],
        )
        n = h = i = 0
        for m in wanted:
            while i < len(per_month) and (per_month[i][0] is None or per_month[i][0] <= m):
                n, h, i = n + per_month[i][1], (h + per_month[i][2]) % HASH_MOD, i + 1
            parts[m].append(f"{name}:{n}:{h}")
    return {m: hashlib.sha256("|".join(p).encode()).hexdigest() for m, p in parts.items()}


def _columns(conn: Connection, name: str, database: str | None = None) -> list[str]:
    """The columns of table `name` in order (none: no such table); on DuckDB in `database`
    (default the build's own)."""
    if conn.dialect.name == "duckdb":
        rows = conn.exec_driver_sql(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND schema_name = "
            "'main' AND database_name = coalesce(?, current_database()) ORDER BY column_index",
            (name, database),
        ).all()
        return [r[0] for r in rows]
    inspector = sa.inspect(conn)
    if not inspector.has_table(name):
        return []
    return [c["name"] for c in inspector.get_columns(name)]


def keep_tables(conn: Connection) -> None:
    """Make the kept tables exist in their current layout, keeping their rows when they have it
    (a warehouse from before one of them, or of an older layout: that table empty)."""
    for table in KEPT_TABLES:
        if _columns(conn, table.name) != [c.name for c in table.columns]:
            empty_table(conn, table)


def _previous_file(conn: Connection) -> Path | None:
    """The DuckDB file this build replaces (`atomic_write` names it), if it exists."""
    path = conn.info.get("replaces") if conn.dialect.name == "duckdb" else None
    return path if isinstance(path, Path) and path.exists() else None


def _stored(
    conn: Connection, version: str, table: sa.Table = schema.ew_score_months
) -> dict[int, str]:
    """The previous build's fingerprints of `version` per month index (in `table`)."""
    stmt = sa.select(table.c.month_idx, table.c.fingerprint).where(table.c.model_version == version)
    return {int(m): str(f) for m, f in conn.execute(stmt).all()}


def _previous(table: sa.Table) -> sa.Table:
    """`table` in the attached previous DuckDB file."""
    return table.to_metadata(sa.MetaData(), schema=PREVIOUS)


def carry_over(
    conn: Connection, version: str, fingerprints: dict[int, str]
) -> tuple[list[int], int]:
    """Keep the scores and feature bins of the month-ends whose fingerprint equals the previous
    build's for `version` (in this database, or copied from the DuckDB file this build replaces);
    remove every other previous row. Returns the month indexes kept and their score rows."""
    same_db = _stored(conn, version)
    keep = sorted(m for m, f in fingerprints.items() if same_db.get(m) == f)
    data = (schema.ew_scores, schema.ew_feature_bins)
    if same_db:
        for table in data:
            gone = sa.or_(table.c.model_version != version, table.c.month_idx.not_in(keep))
            conn.execute(table.delete().where(gone) if keep else table.delete())
    else:
        for table in KEPT_TABLES:
            conn.execute(table.delete())
        keep = _copy_previous(conn, version, fingerprints)
    conn.execute(schema.ew_score_months.delete())
    if not keep:
        return [], 0
    s = schema.ew_scores
    rows = conn.execute(
        sa.select(sa.func.count()).select_from(s).where(s.c.month_idx.in_(keep))
    ).all()[0][0]
    return keep, int(rows or 0)


def _probe(path: Path, version: str) -> dict[int, str] | None:
    """The fingerprints of `version` in the DuckDB file at `path`, read on a connection of its
    own (a file that cannot be opened must not abort the build's transaction); None when it
    cannot be read or its kept tables are not of the current layout."""
    try:
        con = duckdb.connect(str(path), read_only=True)
    except Exception:  # not a DuckDB file, locked, another version's: score everything
        return None
    try:
        for table in KEPT_TABLES:
            got = con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND schema_name = "
                "'main' AND database_name = current_database() ORDER BY column_index",
                [table.name],
            ).fetchall()
            if [r[0] for r in got] != [c.name for c in table.columns]:
                return None
        rows = con.execute(
            "SELECT month_idx, fingerprint FROM ew_score_months WHERE model_version = ?",
            [version],
        ).fetchall()
        return {int(m): str(f) for m, f in rows}
    except Exception:  # an unreadable old file: score everything
        return None
    finally:
        con.close()


def _copy_previous(conn: Connection, version: str, fingerprints: dict[int, str]) -> list[int]:
    """Copy the carried-over rows from the DuckDB file this build replaces (checked on a
    connection of its own, then attached read-only until the build's connection closes: DuckDB
    detaches nothing a transaction has read); nothing (every month-end scored) when there is
    none or it cannot be read as a warehouse of this layout."""
    path = _previous_file(conn)
    before = None if path is None else _probe(path, version)
    keep = sorted(m for m, f in fingerprints.items() if (before or {}).get(m) == f)
    if path is None or not keep:
        return []
    quoted = path.as_posix().replace("'", "''")
    conn.exec_driver_sql(f"ATTACH '{quoted}' AS {PREVIOUS} (READ_ONLY)")
    for table in (schema.ew_scores, schema.ew_feature_bins):
        old = _previous(table)
        rows = sa.select(*old.c).where(old.c.model_version == version, old.c.month_idx.in_(keep))
        conn.execute(table.insert().from_select([c.name for c in table.columns], rows))
    return keep


def _runs(months: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive month indexes as (first, last) runs."""
    runs: list[tuple[int, int]] = []
    for m in sorted(months):
        if runs and runs[-1][1] == m - 1:
            runs[-1] = (runs[-1][0], m)
        else:
            runs.append((m, m))
    return runs


def score_months(
    conn: Connection,
    first_idx: int,
    last_idx: int,
    version: str,
    apply: Apply,
    count_bins: CountBins | None = None,
) -> tuple[list[int], int, list[int], int]:
    """Score month-ends `first_idx` … `last_idx` with `version`, carrying over those whose inputs
    did not change since the previous build; record every month-end's fingerprint. Returns the
    month indexes scored and their rows, and those carried over and theirs."""
    keep_tables(conn)  # a warehouse from before them (the build has made them already)
    wanted = list(range(first_idx, last_idx + 1))
    fingerprints = input_fingerprints(conn, wanted, version)
    if fingerprints is None:
        for table in KEPT_TABLES:
            conn.execute(table.delete())
        keep, kept_rows = [], 0
    else:
        keep, kept_rows = carry_over(conn, version, fingerprints)
    todo = [m for m in wanted if m not in set(keep)]
    written = 0
    for lo, hi in _runs(todo):
        written += write_scores(conn, lo, hi, version, apply, count_bins)
    if fingerprints is not None:
        s = schema.ew_scores
        counts = dict(
            conn.execute(
                sa.select(s.c.month_idx, sa.func.count())
                .where(s.c.model_version == version)
                .group_by(s.c.month_idx)
            ).all()
        )
        rows = pd.DataFrame(
            {
                "model_version": version,
                "month_idx": wanted,
                "month_end": [month_end_of(m) for m in wanted],
                "fingerprint": [fingerprints[m] for m in wanted],
                "rows": [int(counts.get(m, 0)) for m in wanted],
            }
        )
        _insert(conn, rows, schema.ew_score_months)
    return todo, written, keep, kept_rows


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
    line; the kept tables (`KEPT_TABLES`) hold the previous build's rows until the step carries
    them over or replaces them, and are empty unless it scored."""
    began = time.perf_counter()
    keep_tables(conn)
    if scorer is None:
        outcome = Scoring(SKIPPED, detail="this build was run without the early-warning step")
    else:
        outcome = scorer(conn, settings, as_of)
    if outcome.outcome != SCORED:
        for table in KEPT_TABLES:
            conn.execute(table.delete())
        for table in FIGURE_TABLES:  # 模型监控's figures of the scores (none now)
            table.create(conn, checkfirst=True)
            conn.execute(table.delete())
        outcome = Scoring(
            outcome.outcome,
            outcome.version,
            detail=outcome.detail,
            seconds=time.perf_counter() - began,
        )
    say(outcome.line)
    _log(conn, as_of, outcome)
    return outcome
