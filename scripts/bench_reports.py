"""The supervisory workbooks, timed (section `reports` of scripts/bench.py).

`section(ctx)` runs, each in a fresh process timed with its peak memory: `postloan check` (the
data checks), `postloan report --draft` for every summary report alone and for all of them in
one workbook, the loan-level detail as .xlsx and as CSV, and the detail-writer comparison:

    python scripts/bench_reports.py URL PERIOD WRITER ROWS OUT

writes the first ROWS rows of the detail with WRITER (`stream` = regulatory/xlsx_stream, the one
the product uses; `openpyxl` write-only; `xlsxwriter` constant-memory and `rustpy` =
rustpy-xlsxwriter, when installed) and prints one JSON line {"seconds": …, "rows": …}; and

    python scripts/bench_reports.py phases URL PERIOD

prints, in one process, the seconds spent importing and then compiling, validating and rendering
each summary workbook (what a warm server process pays, without the interpreter's start).
Targets: checks < 2 min, each summary workbook < 5 s, detail < 30 s and < 1 GiB at
1,000,000 contracts.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    import bench

SCRIPT = [sys.executable, str(Path(__file__).resolve())]
SUMMARY = ("G11", "G12", "OVERDUE", "TOP10", "CONC")
CHECK_TARGET, SUMMARY_TARGET, DETAIL_TARGET = 120.0, 5.0, 30.0
DETAIL_BYTES_TARGET = 1024**3
WRITERS = ("stream", "openpyxl", "xlsxwriter", "rustpy")
SAMPLE_ROWS = 100_000


def _rows(url: str, period: date, limit: int) -> Iterator[list]:
    """The first `limit` detail rows as Python lists (display values, as the product shows)."""
    from queries.contract_detail import batches
    from regulatory.detail import display
    from warehouse.engine import create_warehouse_engine

    engine = create_warehouse_engine(url, read_only=True)
    left = limit
    try:
        for batch in batches(engine, period):
            shown = display(batch.slice(0, left))
            columns = [c.to_pylist() for c in shown.columns]
            yield from (list(r) for r in zip(*columns, strict=True))
            left -= shown.num_rows
            if left <= 0:
                break
    finally:
        engine.dispose()


def write_with(writer: str, url: str, period: date, limit: int, out: Path) -> int:
    """Write the first `limit` detail rows with `writer`; rows written."""
    from regulatory.registry import DETAIL_COLUMNS

    header = [c.label_zh for c in DETAIL_COLUMNS]
    if writer == "stream":
        from regulatory.detail import write_detail
        from warehouse.engine import create_warehouse_engine

        engine = create_warehouse_engine(url, read_only=True)
        try:
            return write_detail(engine, period, out, rows_per_sheet=min(limit, 1_048_575)).rows
        finally:
            engine.dispose()
    rows = (
        [float(v) if type(v).__name__ == "Decimal" else v for v in r]
        for r in _rows(url, period, limit)
    )
    n = 0
    if writer == "openpyxl":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        ws = book.create_sheet("合同明细")
        ws.append(header)
        for r in rows:
            ws.append(r)
            n += 1
        book.save(out)
    elif writer == "xlsxwriter":
        import xlsxwriter

        book = xlsxwriter.Workbook(
            str(out), {"constant_memory": True, "strings_to_formulas": False}
        )
        ws = book.add_worksheet("合同明细")
        ws.write_row(0, 0, header)
        for n, r in enumerate(rows, start=1):
            ws.write_row(n, 0, r)
        book.close()
    elif writer == "rustpy":
        from rustpy_xlsxwriter import FastExcel

        counted = []

        def records() -> Iterator[dict]:
            for r in rows:
                counted.append(1)
                yield dict(zip(header, r, strict=True))

        FastExcel(str(out)).sheet("合同明细", records()).save()
        n = len(counted)
    return n


def phases(url: str, period: date) -> dict[str, object]:
    """Import, then compile + validate + render each summary workbook, timed in this process."""
    start = time.monotonic()
    from regulatory.compile import compile_all
    from regulatory.cover import make_cover
    from regulatory.validation import validate
    from regulatory.workbook import render_workbook
    from warehouse.engine import create_warehouse_engine
    from warehouse.settings import load_settings

    out: dict[str, object] = {"imports": time.monotonic() - start}
    engine = create_warehouse_engine(url, read_only=True)
    settings = load_settings()
    try:
        for code in (*SUMMARY, "all"):
            codes = [*SUMMARY, "DETAIL"] if code == "all" else [code, "DETAIL"]
            t0 = time.monotonic()
            reports = compile_all(engine, period, settings, codes)
            t1 = time.monotonic()
            findings = validate(reports, engine, settings)
            t2 = time.monotonic()
            cover = make_cover(engine, period, draft=True)
            render_workbook([r for r in reports.values() if r.sheets], cover, findings, {})
            out[code] = [t1 - t0, t2 - t1, time.monotonic() - t2]
    finally:
        engine.dispose()
    return out


def _period(url: str) -> date:
    from queries.loads import latest_load
    from warehouse.engine import create_warehouse_engine

    engine = create_warehouse_engine(url, read_only=True)
    try:
        load = latest_load(engine)
    finally:
        engine.dispose()
    if load is None:
        raise SystemExit(f"{url} holds no load")
    return load.as_of


def _available(writer: str) -> bool:
    module = {"xlsxwriter": "xlsxwriter", "rustpy": "rustpy_xlsxwriter"}.get(writer)
    return module is None or importlib.util.find_spec(module) is not None


def _cell(step: bench.Step, target: float | None, bytes_target: int | None = None) -> str:
    from bench import GIB

    ok = step.returncode == 0 and (target is None or step.seconds < target)
    ok = ok and (bytes_target is None or step.peak_bytes < bytes_target)
    verdict = "failed" if step.returncode else ("met" if ok else "**missed**")
    if target is None:
        verdict = "failed" if step.returncode else "—"
    return f"{step.seconds:.1f} | {step.peak_bytes / GIB:.2f} | {verdict}"


def section(ctx: bench.Context) -> bench.Section:
    """Checks, each workbook and the detail writers on the largest book, one process each."""
    from bench import POSTLOAN, Section, _query_warehouse, run_step

    url, months = _query_warehouse(ctx)
    size = max(ctx.sizes)
    period = _period(url)
    ym = f"{period:%Y-%m}"
    log = ctx.workdir / "bench-reports.log"
    out = ctx.workdir / "reports"
    out.mkdir(exist_ok=True)
    base = [*POSTLOAN, "report", "--period", ym, "--warehouse", url, "--draft"]
    rows, steps = [], []
    check = run_step("postloan check", size, [*POSTLOAN, "check", "--warehouse", url], log)
    # exit 1 = a blocking data check failed, which still measures the run
    check = check if check.returncode != 1 else type(check)(**{**check.__dict__, "returncode": 0})
    steps.append(check)
    rows.append(f"| data checks (`postloan check`) | {_cell(check, CHECK_TARGET)} |")
    for code in (*SUMMARY, "all"):
        args = [] if code == "all" else ["--report", code]
        step = run_step(
            f"report {code}", size, [*base, *args, "--out", str(out / f"{code}.xlsx")], log
        )
        steps.append(step)
        label = "every summary report, one workbook" if code == "all" else f"{code} workbook"
        rows.append(f"| {label} | {_cell(step, SUMMARY_TARGET)} |")
    for suffix in ("xlsx", "csv"):
        step = run_step(
            f"detail {suffix}",
            size,
            [*base, "--report", "DETAIL", "--out", str(out / f"detail.{suffix}")],
            log,
        )
        steps.append(step)
        target = DETAIL_TARGET if suffix == "xlsx" else None
        rows.append(f"| 合同明细 .{suffix} | {_cell(step, target, DETAIL_BYTES_TARGET)} |")
    answer = out / "phases.json"
    step = run_step("phases", size, [*SCRIPT, "phases", url, period.isoformat()], log, answer)
    steps.append(step)
    timed = json.loads(answer.read_text().splitlines()[-1]) if step.returncode == 0 else {}
    phase_rows = [
        f"| {code} | {c:.2f} | {v:.2f} | {r:.2f} | {c + v + r:.2f} |"
        for code, (c, v, r) in ((k, timed[k]) for k in (*SUMMARY, "all") if k in timed)
    ]
    sample = min(SAMPLE_ROWS, size)
    writer_rows = []
    for writer in WRITERS:
        if not _available(writer):
            writer_rows.append(f"| {writer} | not installed | | | |")
            continue
        answer = out / f"w-{writer}.json"
        target = str(out / f"w-{writer}.xlsx")
        argv = [*SCRIPT, url, period.isoformat(), writer, str(sample), target]
        step = run_step(f"writer {writer}", sample, argv, log, answer)
        steps.append(step)
        got = json.loads(answer.read_text().splitlines()[-1]) if step.returncode == 0 else {}
        rows_written = int(got.get("rows", 0))
        seconds = float(got.get("seconds", float("nan")))
        per_m = seconds * 1_000_000 / max(rows_written, 1)
        writer_rows.append(
            f"| {writer} | {rows_written:,} | {seconds:.1f} | {step.peak_bytes / 1024**3:.2f} "
            f"| {per_m:,.0f} |"
        )
    body = (
        f"DuckDB warehouse of {size:,} contracts ({months:,} contract-months), period {ym}. Each "
        "row is one fresh process, wall-clock seconds and peak resident memory (`wait4`); the "
        "workbooks run `postloan report --draft` (compile, validate against the dashboard's "
        "figures, render). Targets: checks < 2 min, each summary workbook < 5 s, the detail "
        "< 30 s and < 1 GiB at 1,000,000 contracts.\n\n"
        "| step | s | peak GiB | target |\n|---|---:|---:|---|\n" + "\n".join(rows) + "\n\n"
        "The same workbooks in one warm process (`phases`: what the portal pays; the "
        f"interpreter and imports took {timed.get('imports', float('nan')):.1f} s once):\n\n"
        "| workbook | compile s | validate s | render s | total s |\n|---|---:|---:|---:|---:|\n"
        + "\n".join(phase_rows)
        + "\n\n"
        f"Detail writers on the first {sample:,} rows of the same detail (the product uses "
        "`stream`, see docs/reports.md); seconds are the writer's own, without the start:\n\n"
        "| writer | rows | s | peak GiB | s per 1M rows (linear) |\n|---|---:|---:|---:|---:|\n"
        + "\n".join(writer_rows)
        + "\n"
    )
    return Section("Supervisory workbooks", body, steps)


def main(argv: list[str]) -> int:
    """`URL PERIOD WRITER ROWS OUT`: time one writer; `phases URL PERIOD`: time the workbooks."""
    if argv[0] == "phases":
        sys.stdout.write(json.dumps(phases(argv[1], date.fromisoformat(argv[2]))) + "\n")
        return 0
    url, period, writer, limit, out = argv
    start = time.monotonic()
    rows = write_with(writer, url, date.fromisoformat(period), int(limit), Path(out))
    sys.stdout.write(json.dumps({"seconds": time.monotonic() - start, "rows": rows}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
