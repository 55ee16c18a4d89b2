"""Early-warning training and scoring in the build, timed (section `early_warning`).

    python scripts/bench_early_warning.py train URL REG    `postloan model train`, approved in REG
    python scripts/bench_early_warning.py score URL REG    the build's scoring step with it
                                                           (first scoring, then a rebuild)
    python scripts/bench_early_warning.py score URL REG new   the same, the last month-end's
                                                           scores forgotten first (a new month)

each prints one JSON line: {"seconds": …, "detail": …}. `train` is the product's training as
`postloan model train` runs it (`early_warning.train.train` on a read-only open of the warehouse
at `URL`, no copy): the features it reads — on a book above `MAX_TRAINING_ROWS` rows with a
known outcome the last `early_warning.train_months` month-ends as a weighted sample of whole
contracts drawn inside the statement (docs/early-warning.md, "Training a large book") — the
out-of-time backtest of both models, the lead-time comparison with the watch rules and both
final fits; the version is then stored approved in the scratch registry `REG` for `score`.
`score` runs three times on the same copy: the first scoring of the version (every month-end),
a rebuild with unchanged inputs and the same version (every month-end carried over,
`warehouse.marts.ew_scores.score_months`), and the monthly rebuild: the last month-end's
fingerprint is deleted first, so that month-end is scored as a new month's would be and the
others are carried over. Each step is a fresh process, timed whole (imports
included), peak memory its own (`wait4`). Targets at 1,000,000 contracts: features + training
under 10 minutes and 8 GiB, scoring in the monthly rebuild under 60 s.
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


def train(url: str, registry: str) -> dict[str, object]:
    """`postloan model train` on the warehouse at `url` (read-only, memory bounded as the build
    bounds DuckDB's), its version stored and approved in the scratch registry `registry`."""
    from early_warning.registry import Registry
    from early_warning.train import train as train_models
    from warehouse.engine import create_warehouse_engine
    from warehouse.settings import load_settings

    start = time.perf_counter()
    months = int(load_settings()["early_warning.train_months"])
    engine = create_warehouse_engine(url, read_only=True)
    try:
        if url.startswith("duckdb"):
            # As the build does (warehouse.engine.duckdb_writer_config): bounded, spilling beyond.
            with engine.connect() as conn:
                conn.exec_driver_sql(f"SET memory_limit = '{DUCKDB_MEMORY}'")
                conn.exec_driver_sql(f"SET temp_directory = '{Path(registry).parent}'")
        models, card = train_models(engine, train_months=months)
    finally:
        engine.dispose()
    seconds = time.perf_counter() - start
    store = Registry(Path(registry))
    version = store.propose(models, card, "bench")
    store.approve(version, "bench-checker")
    return {"seconds": seconds, "detail": train_detail(card, cpu_seconds())}


def train_detail(card: dict, cpu: float) -> str:
    """What the training read and fitted, from its card, in a table cell."""
    data, backtest = card["data"], card["backtest"]
    test = backtest["measures"]["scorecard"]["test"]
    sample = data.get("sample")
    if sample is None:
        read = "every built month-end, whole"
    else:
        first, last = sample["month_ends_read"]
        read = (
            f"month-ends {first} … {last}: {sample['rows_read']:,} contract-months read "
            f"(every contract with a default there, {sample['share']:.1%} of the others, "
            f"weight {1 / sample['share']:,.1f}; {sample['known_rows']:,} with a known "
            "outcome in the book)"
        )
    return (
        f"{read}; backtest trained to {backtest['train_last']}, tested "
        f"{backtest['test'][0]} … {backtest['test'][1]} (scorecard AUC {test['auc']}), lead "
        f"times, final fits on {data['rows']:,} rows ({data['defaults']:,} defaults); "
        f"CPU {cpu:.0f} s"
    )


def score(url: str, registry: str, new: str = "") -> dict[str, object]:
    """The build's early-warning step (`early_warning.scoring.score_build`, as `postloan load`
    runs it) on the writable warehouse at `url` with the version in `registry`; seconds are
    the step's own. With `new` ("new"), the last scored month-end's fingerprint is deleted
    first (not timed): it is scored again as a new month-end would be."""
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
            if new:
                done = schema.ew_score_months
                last = sa.select(sa.func.max(done.c.month_idx)).scalar_subquery()
                conn.execute(sa.delete(done).where(done.c.month_idx == last))
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
    """The `early_warning` section: `postloan model train` on the largest warehouse, then
    scoring as the build does on a copy of it (scoring writes ew_scores), each a fresh
    process."""
    import bench  # scripts/ is on sys.path when bench.py runs

    from warehouse.engine import duckdb_path

    url, months = bench._query_warehouse(ctx)
    log = ctx.workdir / "bench-early-warning.log"
    registry = ctx.workdir / "ew-registry"
    source = duckdb_path(url)
    copy = ctx.workdir / "ew-score.duckdb"
    size = max(ctx.sizes)
    steps, answers = [], {}
    for name, argv in (
        ("train", [*SCRIPT, "train", url, str(registry)]),
        ("score", [*SCRIPT, "score", f"duckdb:///{copy}", str(registry)]),
        ("rescore", [*SCRIPT, "score", f"duckdb:///{copy}", str(registry)]),
        ("month", [*SCRIPT, "score", f"duckdb:///{copy}", str(registry), "new"]),
    ):
        if name == "score":
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
    copy.unlink(missing_ok=True)
    shutil.rmtree(registry, ignore_errors=True)
    return bench.Section(
        "Early-warning training and scoring",
        _body(steps, answers, months, log, size),
        steps,
    )


def _body(steps: list, answers: dict[str, dict], months: int, log: Path, size: int) -> str:
    """The section's text and table; the targets are judged only at 1,000,000 contracts."""
    from early_warning.data import MAX_TRAINING_ROWS, SAMPLE_CHUNK_MONTHS

    at_target = size == TARGET_SIZE
    off = f"— (the target is at {TARGET_SIZE:,} contracts)"
    rows = []
    by_name = {s.name.split()[-1]: s for s in steps}
    step, got = by_name.get("train"), answers.get("train", {})
    if step is not None:
        seconds = step.seconds if got else None
        judged = verdict(seconds, step.peak_bytes, TRAIN_SECONDS, TRAIN_BYTES)
        rows.append(
            f"| features + training (`postloan model train`) "
            f"| {'' if seconds is None else f'{seconds:.1f}'} | {step.peak_bytes / GIB:.2f} "
            f"| {got.get('detail', f'failed, see {log.name}')}; target < "
            f"{TRAIN_SECONDS / 60:.0f} min and < {TRAIN_BYTES // GIB} GiB: "
            f"{judged if at_target else off} |"
        )
    # Each scoring run: its row's words, and what follows its detail (only the monthly
    # rebuild is judged).
    for name, words in (
        ("score", "the version's first build"),
        ("rescore", "a rebuild with unchanged inputs"),
        ("month", "the monthly rebuild (one new month-end)"),
    ):
        step, got = by_name.get(name), answers.get(name, {})
        if step is None:
            continue
        seconds = got.get("seconds")
        tail = {
            "score": "; once per approved version, not judged",
            "month": f"; target < {SCORE_SECONDS:.0f} s: "
            f"{verdict(seconds, 0, SCORE_SECONDS, None) if at_target else off}",
        }.get(name, "")
        rows.append(
            f"| scoring in the build, {words} "
            f"| {'' if seconds is None else f'{seconds:.1f}'} "
            f"| {step.peak_bytes / GIB:.2f} | {got.get('detail', f'failed, see {log.name}')}"
            f"{tail} |"
        )
    return (
        "Training is `postloan model train` as the product runs it (`early_warning.train."
        "train`, on a read-only open of the warehouse, no copy): the features it reads, the "
        "out-of-time backtest of the scorecard and the LightGBM challenger with its lead-time "
        "comparison against the watch rules, and both models fitted again on every month-end "
        f"whose 6-month outcome is known. A book above {MAX_TRAINING_ROWS:,} such rows is read "
        "over its last `early_warning.train_months` month-ends as a weighted sample of whole "
        f"contracts drawn inside the statement ({SAMPLE_CHUNK_MONTHS} month-ends a statement; "
        'docs/early-warning.md, "Training a large book"). Scoring is the build\'s early-warning '
        "step (`early_warning.scoring.score_build`: the approved version, here the one just "
        "trained, scores the performing contracts of the last `early_warning.score_months` "
        "month-ends into `ew_scores`) on a copy of the warehouse, three times: the version's "
        "first build scores every month-end; a rebuild with unchanged inputs and the same "
        "version carries every month-end over (their input fingerprints unchanged, "
        'docs/early-warning.md, "Carried over, not recomputed"); the monthly rebuild, its last '
        "month-end's fingerprint deleted first, scores that month-end as a new month's and "
        "carries the others over. Each step is a fresh process "
        "(`scripts/bench_early_warning.py`); training is timed whole with its imports, scoring "
        "is the step's own seconds; peak memory is the process's (`wait4`, DuckDB included). "
        "Targets at 1,000,000 contracts: features + training under 10 minutes and 8 GiB on 2 "
        "cores, scoring in the monthly rebuild under 60 s.\n\n"
        f"DuckDB, {size:,} contracts, {months:,} contract-months:\n\n"
        "| step | s | peak GiB | what |\n|---|---:|---:|---|\n" + "\n".join(rows) + "\n"
    )


if __name__ == "__main__":
    action, *rest = sys.argv[1:]
    result = {"train": train, "score": score}[action](*rest)
    print(json.dumps(result))
