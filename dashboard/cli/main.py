"""The `postloan` command line: demo extract, load, build, info, check (user, report, audit,
alerts, deliver, scheduler, subscribe).

Imports are lazy so `postloan --help` answers at once; the heavy work lives in `warehouse/`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from dashboard.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_CHECK_FAILED,
    EXIT_NO_WAREHOUSE,
    EXIT_STALE,
    CliError,
    Progress,
    actor_option,
    audit,
    check_portal,
    missing_duckdb,
    month_end,
    positive_int,
    settings_file,
    shown_url,
    unaudited,
    warehouse_option,
    warehouse_url_of,
)


def cmd_demo(args: argparse.Namespace) -> int:
    """Write a synthetic extract in the real extract format."""
    from warehouse.demo import generate_extract

    progress = Progress()
    options = {
        name: getattr(args, name)
        for name in ("contracts", "as_of", "months", "seed")
        if getattr(args, name) is not None
    }
    progress(f"writing demo extract to {args.out}", *(f"{k}={v}" for k, v in options.items()))
    generate_extract(Path(args.out), **options)
    progress("demo extract written")
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    """Check and load an extract atomically, then build the mart."""
    from sqlalchemy.exc import SQLAlchemyError

    from early_warning.scoring import score_build
    from warehouse.load import ExtractError, format_problems, load_extract

    url = warehouse_url_of(args)
    problem = check_portal(url)
    if problem:  # a load nobody could account for is not started
        print(f"{problem}; nothing loaded", file=sys.stderr)
        return EXIT_NO_WAREHOUSE
    progress = Progress()
    progress(f"loading {args.src} into {shown_url(url)}")
    source = {"source": str(Path(args.src).resolve()), "warehouse": shown_url(url)}
    try:
        result = load_extract(
            Path(args.src), url, settings_file(), progress=progress, scorer=score_build
        )
    except ExtractError as exc:
        print(format_problems(exc.problems), file=sys.stderr)
        print("extract rejected; the warehouse is unchanged", file=sys.stderr)
        rejected = {**source, "outcome": "rejected", "problems": len(exc.problems)}
        try:
            audit(url, args, "load", "warehouse", rejected)
        except (ValueError, SQLAlchemyError) as audit_exc:
            return unaudited("extract rejected", audit_exc)
        return EXIT_BAD_INPUT
    progress("load and build complete")
    details = {
        **source,
        "outcome": "loaded",
        "load_id": result.load_id,
        "as_of": result.as_of.isoformat(),
        "rows": result.row_counts,
        "late_rows": result.late_rows,
    }
    try:
        audit(
            url, args, "load", "warehouse", details, sum(result.row_counts.values()), result.sha256
        )
    except (ValueError, SQLAlchemyError) as exc:
        return unaudited(f"load {result.load_id} complete", exc)
    _evaluate_alerts(url)
    _sync_tasks(url)
    _sync_rectification(url)
    return _print_info(url, with_settings=False)


def cmd_build(args: argparse.Namespace) -> int:
    """Recompute the `contract_month` mart from the loaded source tables."""
    url = warehouse_url_of(args)
    if missing_duckdb(url):
        return EXIT_NO_WAREHOUSE
    from early_warning.scoring import score_build
    from warehouse.load import rebuild

    progress = Progress()
    progress(f"rebuilding contract_month in {shown_url(url)}")
    try:
        rebuild(url, settings_file(), progress=progress, scorer=score_build)
    except LookupError as exc:
        print(exc, file=sys.stderr)
        return EXIT_NO_WAREHOUSE
    progress("build complete")
    _evaluate_alerts(url)
    _sync_tasks(url)
    _sync_rectification(url)
    return 0


def _evaluate_alerts(url: str) -> None:
    """Evaluate the alert rules on what was just built; a failure is said, never fatal."""
    from dashboard.cli.alerts import evaluate_and_report

    evaluate_and_report(url, settings_file())


def _sync_tasks(url: str) -> None:
    """Make the work-queue tasks of what was just built; a failure is said, never fatal."""
    from dashboard.cli.tasks import sync_and_report

    sync_and_report(url, settings_file())


def _sync_rectification(url: str) -> None:
    """Bring the rectification ledger in line with the findings; a failure is said, never fatal."""
    from dashboard.cli.rectification import sync_and_report

    sync_and_report(url, settings_file())


def cmd_info(args: argparse.Namespace) -> int:
    """Print the latest load and the settings in force."""
    return _print_info(warehouse_url_of(args), with_settings=True)


def _print_info(url: str, *, with_settings: bool) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from queries.loads import latest_load, missing_layout
    from warehouse.engine import create_warehouse_engine

    if missing_duckdb(url):
        return EXIT_NO_WAREHOUSE
    engine = create_warehouse_engine(url, read_only=True)
    try:
        load = latest_load(engine)
        missing = [] if load is None else missing_layout(engine)
    except SQLAlchemyError as exc:
        print(f"cannot read the warehouse {shown_url(url)}: {type(exc).__name__}", file=sys.stderr)
        return EXIT_NO_WAREHOUSE
    finally:
        engine.dispose()
    if load is None:
        print(
            f"the warehouse {shown_url(url)} holds no load yet: run `postloan load <extract>`",
            file=sys.stderr,
        )
        return EXIT_NO_WAREHOUSE
    build = "-" if load.build_seconds is None else f"{load.build_seconds:.1f} s"
    rows = [
        ("warehouse", shown_url(url)),
        ("load id", str(load.load_id)),
        ("loaded at", f"{load.loaded_at:%Y-%m-%d %H:%M:%S} UTC"),
        ("as of", load.as_of.isoformat()),
        ("institution", load.institution),
        ("entity type", load.entity_type),
        ("currency", load.currency),
        ("source", load.source),
        ("sha256", load.sha256),
        ("build time", build),
    ]
    _print_rows("latest load", rows)
    _print_rows("row counts", [(k, f"{v:,}") for k, v in sorted(load.row_counts.items())])
    if load.late_rows:
        late = [(k, f"{v:,}") for k, v in sorted(load.late_rows.items())]
        _print_rows(f"rows dated after as of {load.as_of}, not loaded", late)
    if with_settings:
        settings = settings_file()
        _print_rows(f"settings ({settings.source})", settings.as_rows())
    if missing:
        print(
            f"the warehouse was written by an older version; it lacks {', '.join(missing)}: "
            "run `postloan build` (or load the extract again if source tables are missing)",
            file=sys.stderr,
        )
        return EXIT_STALE
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Run the data checks, print a summary, store the run; exit 1 on a blocking failure."""
    url = warehouse_url_of(args)
    if missing_duckdb(url):
        return EXIT_NO_WAREHOUSE
    from sqlalchemy.exc import SQLAlchemyError

    from dashboard.i18n.catalogue import fill
    from data_checks.runner import run_checks
    from data_checks.store import save_run
    from warehouse.engine import create_warehouse_engine

    progress = Progress()
    as_of = f" as of {args.as_of}" if args.as_of else ""
    progress(f"checking {shown_url(url)}{as_of}")
    engine = create_warehouse_engine(url, read_only=True)
    try:
        run = run_checks(engine, as_of=args.as_of, progress=progress)
    except SQLAlchemyError as exc:
        print(f"cannot read the warehouse {shown_url(url)}: {type(exc).__name__}", file=sys.stderr)
        return EXIT_NO_WAREHOUSE
    finally:
        engine.dispose()
    _print_check_table(run.results)
    run_id = save_run(url, run)
    load = "no load" if run.load_id is None else f"load {run.load_id} ({run.sha256})"
    print(
        fill(
            "run {run} on {load}: {c} {c:check|checks}, {b} blocking {b:failure|failures}, "
            "{w} {w:warning|warnings}, {s:.1f} s",
            {
                "run": run_id,
                "load": load,
                "c": len(run.results),
                "b": run.blocking_failures,
                "w": run.warnings,
                "s": run.seconds,
            },
        )
    )
    details = {
        "blocking_failures": run.blocking_failures,
        "warnings": run.warnings,
        "load_id": run.load_id,
        "as_of": None if args.as_of is None else args.as_of.isoformat(),
    }
    try:
        audit(url, args, "check_run", f"run {run_id}", details, len(run.results), run.sha256)
    except (ValueError, SQLAlchemyError) as exc:
        return unaudited(f"check run {run_id} stored", exc)
    _sync_rectification(url)
    return EXIT_CHECK_FAILED if run.blocking_failures else 0


def _examples(examples: Sequence[dict[str, str]], width: int = 60) -> str:
    text = "; ".join("/".join(e.values()) for e in examples[:3])
    return text if len(text) <= width else text[: width - 1] + "…"


def _print_check_table(results: Sequence[Any]) -> None:
    header = ("check", "dataset", "severity", "status", "failing rows", "examples")
    rows = [
        (r.check_id, r.dataset, r.severity, r.status, f"{r.failing_rows:,}", _examples(r.examples))
        for r in results
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    for r in results:
        if r.message:
            print(f"{r.check_id}: {r.message}", file=sys.stderr)


def _print_rows(title: str, rows: Sequence[tuple[str, str]]) -> None:
    print(f"{title}:")
    width = max((len(k) for k, _ in rows), default=0)
    for key, value in rows:
        print(f"  {key:<{width}}  {value}")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `postloan` and its subcommands."""
    parser = argparse.ArgumentParser(
        prog="postloan", description="Postloan 贷后管理分析与监管报送平台: warehouse tools."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser(
        "demo", help="write a synthetic demo extract", description=cmd_demo.__doc__
    )
    demo.add_argument("out", metavar="OUT", help="folder to write the extract into")
    demo.add_argument(
        "--contracts", type=positive_int, metavar="N", help="number of contracts (default 20000)"
    )
    demo.add_argument(
        "--as-of",
        type=month_end,
        metavar="YYYY-MM",
        help="as-of month; its last day is the as-of date",
    )
    demo.add_argument(
        "--months", type=positive_int, metavar="M", help="months of history (default 48)"
    )
    demo.add_argument(
        "--seed", type=int, metavar="S", help="random seed; the same seed gives the same extract"
    )
    demo.set_defaults(func=cmd_demo)

    load = sub.add_parser(
        "load", help="check and load an extract, then build", description=cmd_load.__doc__
    )
    load.add_argument("src", metavar="SRC", help="extract folder of CSV files, or one .xlsx")
    warehouse_option(load)
    actor_option(load)
    load.set_defaults(func=cmd_load)

    build = sub.add_parser(
        "build", help="rebuild the contract_month mart", description=cmd_build.__doc__
    )
    warehouse_option(build)
    build.set_defaults(func=cmd_build)

    info = sub.add_parser(
        "info", help="show the latest load and the settings", description=cmd_info.__doc__
    )
    warehouse_option(info)
    info.set_defaults(func=cmd_info)

    check = sub.add_parser(
        "check", help="run the data checks and store the run", description=cmd_check.__doc__
    )
    check.add_argument(
        "--as-of",
        type=month_end,
        metavar="YYYY-MM",
        help="check contract_month up to this month-end (default: all months)",
    )
    warehouse_option(check)
    actor_option(check)
    check.set_defaults(func=cmd_check)

    from dashboard.cli.user import add_user_parser

    add_user_parser(sub, warehouse_option)

    from dashboard.cli.report import add_report_parser

    add_report_parser(sub)

    from dashboard.cli.audit import add_audit_parser

    add_audit_parser(sub, warehouse_option)

    from dashboard.cli.alerts import add_alerts_parser

    add_alerts_parser(sub, warehouse_option, month_end, actor_option)

    from dashboard.cli.tasks import add_tasks_parser

    add_tasks_parser(sub, warehouse_option, actor_option)

    from dashboard.cli.rectification import add_rectification_parser

    add_rectification_parser(sub, warehouse_option)

    from dashboard.cli.model import add_model_parser

    add_model_parser(sub, warehouse_option)

    from dashboard.cli.deliver import add_deliver_parsers

    add_deliver_parsers(sub, warehouse_option)

    from dashboard.cli.subscribe import add_subscribe_parser

    add_subscribe_parser(sub, warehouse_option, actor_option)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `postloan` with `argv` (default: the process arguments); returns the exit code."""
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except CliError as exc:
        print(f"postloan {args.command}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
