"""Early-warning features, training and scoring in the build, timed (section `early_warning`).

    python scripts/bench_early_warning.py features URL FRAME   the last MONTHS month-ends' features
    python scripts/bench_early_warning.py train FRAME REG      both models fitted, approved in REG
    python scripts/bench_early_warning.py score URL REG        the build's scoring step with it

each prints one JSON line: {"seconds": …, "detail": …}. `features` reads the features of the last
`MONTHS` (24) month-ends of the warehouse at `URL` the way training reads them
(`early_warning.data.load_features`: on a book above `MAX_TRAINING_ROWS` rows whose 6-month
outcome is known, every default and a weighted sample of the non-defaults drawn inside the
statement, `SAMPLE_CHUNK_MONTHS` month-ends a statement; docs/early-warning.md) and writes the
training rows — those whose 6-month outcome is known — to the Parquet file `FRAME`; `train`
fits the scorecard and the LightGBM challenger on them. Each step is a fresh process, timed
whole (imports included), peak memory its own (`wait4`). Targets at 1,000,000 contracts:
features + training under 10 minutes and 8 GiB, scoring under 60 s.
"""

from __future__ import annotations

import json
import resource
import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    import bench

SCRIPT = [sys.executable, str(Path(__file__).resolve())]
MONTHS = 24
TARGET_SIZE = 1_000_000
TRAIN_SECONDS = 600.0
SCORE_SECONDS = 60.0
GIB = 1024**3
TRAIN_BYTES = 8 * GIB
DUCKDB_MEMORY = "4GB"


def month_range(built_to: int, built_from: int, months: int = MONTHS) -> tuple[int, int]:
    """The first and last month index of the `months` month-ends ending at `built_to` (fewer when
    the book is shorter)."""
    return max(built_from, built_to - months + 1), built_to


def features(url: str, frame_path: str) -> dict[str, object]:
    """Read the training rows of the last `MONTHS` month-ends and write them to `frame_path`."""
    from early_warning.data import (
        built_from,
        built_to,
        load_features,
        performing_rows,
        training_share,
    )
    from warehouse.engine import create_warehouse_engine
    from warehouse.marts.ew_features import HORIZON, TARGET

    start = time.perf_counter()
    engine = create_warehouse_engine(url, read_only=True)
    try:
        if url.startswith("duckdb"):
            # As the build does (warehouse.engine.duckdb_writer_config): bounded, spilling beyond.
            with engine.connect() as conn:
                conn.exec_driver_sql(f"SET memory_limit = '{DUCKDB_MEMORY}'")
                conn.exec_driver_sql(f"SET temp_directory = '{Path(frame_path).parent}'")
        last, first_built = built_to(engine), built_from(engine)
        if last is None or first_built is None:
            raise SystemExit("the warehouse has no build")
        first, last = month_range(last, first_built)
        read = performing_rows(engine, first, last)
        known = performing_rows(engine, first, last - HORIZON)
        share = training_share(known)
        frame = load_features(engine, first, last, keep_share=share)
    finally:
        engine.dispose()
    # As `early_warning.train`: only month-ends whose 6 following month-ends are built (later
    # ones know their defaults already but not their non-defaults).
    frame = frame[frame[TARGET].notna() & (frame.month_idx <= last - HORIZON)]
    frame.to_parquet(frame_path, index=False)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "months": last - first + 1,
        "rows": read,
        "known": known,
        "kept": len(frame),
        "share": share,
        "detail": (
            f"{last - first + 1} month-ends, {read:,} contract-months read; {known:,} at "
            f"month-ends whose 6 months are built, {len(frame):,} kept for training "
            f"(non-defaults sampled at {share:.1%}); "
            f"CPU {cpu_seconds():.0f} s"
        ),
    }


def train(frame_path: str, registry: str) -> dict[str, object]:
    """Fit the scorecard and the challenger on the rows in `frame_path`, and store them as an
    approved version in the (scratch) registry folder `registry` for the scoring step."""
    import pandas as pd

    from early_warning.challenger import fit_challenger
    from early_warning.registry import Registry
    from early_warning.scorecard import fit_scorecard
    from warehouse.marts.ew_features import TARGET

    start = time.perf_counter()
    rows = pd.read_parquet(frame_path)
    began = time.perf_counter()
    scorecard = fit_scorecard(rows)
    fitted = time.perf_counter()
    challenger = fit_challenger(rows)
    done = time.perf_counter()
    store = Registry(Path(registry))
    card = {"purpose": "make bench: the early-warning section's timing, not for use"}
    version = store.propose({"scorecard": scorecard, "challenger": challenger}, card, "bench")
    store.approve(version, "bench-checker")
    return {
        "seconds": done - start,
        "detail": (
            f"{len(rows):,} rows, {int(rows[TARGET].sum()):,} defaults: scorecard "
            f"{fitted - began:.0f} s ({len(scorecard.features)} features), LightGBM "
            f"{done - fitted:.0f} s; CPU {cpu_seconds():.0f} s"
        ),
    }


def score(url: str, registry: str) -> dict[str, object]:
    """The build's early-warning step (`early_warning.scoring.score_build`, as `postloan load`
    runs it) on the writable warehouse at `url` with the version in `registry`; seconds are
    the step's own."""
    import sqlalchemy as sa

    from early_warning.scoring import score_build
    from queries.loads import latest_load
    from warehouse import schema
    from warehouse.engine import duckdb_writer_config
    from warehouse.settings import load_settings

    settings = load_settings(overrides={"early_warning.registry": registry})
    engine = sa.create_engine(url, connect_args={"config": duckdb_writer_config()})
    try:
        as_of = latest_load(engine).as_of  # type: ignore[union-attr]
        with engine.begin() as conn:
            # A warehouse built before ew_scores existed gets the table the build now creates.
            schema.ew_scores.create(conn, checkfirst=True)
            start = time.perf_counter()
            outcome = score_build(conn, settings, as_of)
            seconds = time.perf_counter() - start
    finally:
        engine.dispose()
    if outcome.outcome != "scored":
        raise SystemExit(outcome.line)
    return {"seconds": seconds, "detail": f"{outcome.line}; CPU {cpu_seconds():.0f} s"}


def cpu_seconds() -> float:
    """User + system CPU seconds this process has used (on a shared machine, beside the wall)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def verdict(seconds: float | None, peak: int, limit_s: float, limit_bytes: int | None) -> str:
    """`met` when the step finished within its time (and memory) target, else `**missed**`."""
    if seconds is None:
        return "**missed**"
    ok = seconds < limit_s and (limit_bytes is None or peak < limit_bytes)
    return "met" if ok else "**missed**"


def _answer(out: Path, ok: bool) -> dict:
    lines = out.read_text().strip().splitlines() if out.exists() else []
    return json.loads(lines[-1]) if ok and lines else {}


def section(ctx: bench.Context) -> bench.Section:
    """The `early_warning` section: features, training, then scoring as the build does on a
    copy of the largest warehouse (scoring writes ew_scores), each a fresh process."""
    import bench  # scripts/ is on sys.path when bench.py runs

    from warehouse.engine import duckdb_path

    url, months = bench._query_warehouse(ctx)
    log = ctx.workdir / "bench-early-warning.log"
    frame = ctx.workdir / "ew-training.parquet"
    registry = ctx.workdir / "ew-registry"
    source = duckdb_path(url)
    copy = ctx.workdir / "ew-score.duckdb"
    size = max(ctx.sizes)
    steps, answers = [], {}
    for name, argv in (
        ("features", [*SCRIPT, "features", url, str(frame)]),
        ("train", [*SCRIPT, "train", str(frame), str(registry)]),
        ("score", [*SCRIPT, "score", f"duckdb:///{copy}", str(registry)]),
    ):
        if name == "score":
            frame.unlink(missing_ok=True)
            if source is None:
                break
            shutil.copyfile(source, copy)  # not timed: scoring writes into the warehouse
        out = ctx.workdir / f"bench-ew-{name}.json"
        out.unlink(missing_ok=True)
        step = bench.run_step(f"early warning {name}", size, argv, log, out)
        steps.append(step)
        answers[name] = _answer(out, step.returncode == 0)
        if step.returncode != 0:
            break
    frame.unlink(missing_ok=True)
    copy.unlink(missing_ok=True)
    shutil.rmtree(registry, ignore_errors=True)
    return bench.Section(
        "Early-warning features, training and scoring",
        _body(steps, answers, months, log, size),
        steps,
    )


def _body(steps: list, answers: dict[str, dict], months: int, log: Path, size: int) -> str:
    """The section's text and table; the targets are judged only at 1,000,000 contracts."""
    from early_warning.data import CHUNK_MONTHS, MAX_TRAINING_ROWS, SAMPLE_CHUNK_MONTHS

    at_target = size == TARGET_SIZE
    off = f"— (the target is at {TARGET_SIZE:,} contracts)"
    rows = []
    by_name = {s.name.split()[-1]: s for s in steps}
    for name in ("features", "train"):
        step, got = by_name.get(name), answers.get(name, {})
        if step is None:
            continue
        seconds = step.seconds if got else None
        rows.append(
            f"| {name} | {'' if seconds is None else f'{seconds:.1f}'} "
            f"| {step.peak_bytes / GIB:.2f} | {got.get('detail', f'failed, see {log.name}')} |"
        )
    fitted = [by_name[n] for n in ("features", "train") if n in by_name and answers.get(n)]
    total = sum(s.seconds for s in fitted) if len(fitted) == 2 else None
    peak = max((s.peak_bytes for s in fitted), default=0)
    rows.append(
        f"| features + training | {'' if total is None else f'{total:.1f}'} | {peak / GIB:.2f} "
        f"| target < {TRAIN_SECONDS / 60:.0f} min and < {TRAIN_BYTES // GIB} GiB: "
        f"{verdict(total, peak, TRAIN_SECONDS, TRAIN_BYTES) if at_target else off} |"
    )
    step, got = by_name.get("score"), answers.get("score", {})
    if step is not None:
        seconds = got.get("seconds")
        rows.append(
            f"| scoring in the build | {'' if seconds is None else f'{seconds:.1f}'} "
            f"| {step.peak_bytes / GIB:.2f} | {got.get('detail', f'failed, see {log.name}')}; "
            f"target < {SCORE_SECONDS:.0f} s: "
            f"{verdict(seconds, 0, SCORE_SECONDS, None) if at_target else off} |"
        )
    return (
        "Training reads the features of the last 24 month-ends (`early_warning.data."
        f"load_features`, {CHUNK_MONTHS} month-ends a statement) and fits the scorecard and the "
        "LightGBM challenger on the rows whose 6-month outcome is known: every default and, "
        f"above {MAX_TRAINING_ROWS:,} such rows, a weighted sample of the non-defaults drawn "
        f"inside the statement ({SAMPLE_CHUNK_MONTHS} month-ends a statement; "
        'docs/early-warning.md, "Speed and memory"). Scoring is the build\'s early-warning step '
        "(`early_warning.scoring.score_build`: the approved version, here the one just trained, "
        "scores the performing contracts of the last `early_warning.score_months` month-ends "
        "into `ew_scores`) on a copy of the warehouse. Each step is a fresh process "
        "(`scripts/bench_early_warning.py`); features and training are timed whole with their "
        "imports, scoring is the step's own seconds; peak memory is the process's (`wait4`, "
        "DuckDB included). Targets at 1,000,000 contracts: features + training under 10 "
        "minutes and 8 GiB on 2 cores, scoring in the build under 60 s.\n\n"
        f"DuckDB, {size:,} contracts, {months:,} contract-months:\n\n"
        "| step | s | peak GiB | what |\n|---|---:|---:|---|\n" + "\n".join(rows) + "\n"
    )


if __name__ == "__main__":
    action, *rest = sys.argv[1:]
    result = {"features": features, "train": train, "score": score}[action](*rest)
    print(json.dumps(result))
