"""`postloan model evaluate`: the early-warning models' out-of-time backtest on the warehouse.

Reads the month-end features (`warehouse.marts.ew_features`), fits the scorecard and the
LightGBM challenger on the early month-ends and measures both on the later ones
(`early_warning.backtest`), prints the headline figures and writes the backtest section of
docs/early-warning.md (or --doc FILE). A book too short or with too few defaults is reported in
one line (exit 1) and nothing is written. The warehouse is only read.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

EXIT_NOT_ENOUGH = 1
DEFAULT_DOC = Path("docs") / "early-warning.md"


def cmd_model(args: argparse.Namespace) -> int:
    """Evaluate the early-warning models out of time and write the backtest document."""
    from dashboard.cli.common import EXIT_NO_WAREHOUSE, missing_duckdb, shown_url, warehouse_url_of
    from early_warning.data import NotEnoughData
    from early_warning.pipeline import evaluate
    from early_warning.report import render, write_section
    from warehouse.engine import create_warehouse_engine

    url = warehouse_url_of(args)
    if missing_duckdb(url):
        return EXIT_NO_WAREHOUSE
    began = time.perf_counter()
    engine = create_warehouse_engine(url, read_only=True)
    try:
        backtest = evaluate(engine, lag_months=args.lag_months)
    except NotEnoughData as exc:
        print(f"postloan model evaluate: {exc}; nothing written", file=sys.stderr)
        return EXIT_NOT_ENOUGH
    finally:
        engine.dispose()
    seconds = time.perf_counter() - began
    doc = Path(args.doc)
    write_section(doc, render(backtest, f"`{shown_url(url)}`", seconds))
    for run in backtest.runs:
        t, z = run.test, run.dpd0
        print(
            f"{run.name}: test AUC {t.auc:.3f} KS {t.ks:.3f} Brier {t.brier:.4f} "
            f"top-decile capture {t.top_capture:.1%}; at DPD 0 AUC {z.auc:.3f} KS {z.ks:.3f}"
        )
    print(f"backtest written to {doc} in {seconds:.0f} s")
    return 0


def add_model_parser(
    sub: argparse._SubParsersAction, warehouse_option: Callable[[argparse.ArgumentParser], None]
) -> None:
    """Register `postloan model evaluate` on the top-level subparsers."""
    model = sub.add_parser(
        "model", help="the early-warning models: out-of-time backtest", description=__doc__
    )
    actions = model.add_subparsers(dest="action", required=True, metavar="ACTION")
    evaluate = actions.add_parser(
        "evaluate",
        help="backtest the scorecard and the challenger and write docs/early-warning.md",
        description=cmd_model.__doc__,
    )
    evaluate.add_argument(
        "--doc",
        default=str(DEFAULT_DOC),
        metavar="FILE",
        help="the Markdown file whose backtest section is rewritten (docs/early-warning.md)",
    )
    evaluate.add_argument(
        "--lag-months",
        type=int,
        default=0,
        metavar="N",
        help="months after its period end a lessee statement counts from (default 0)",
    )
    warehouse_option(evaluate)
    model.set_defaults(func=cmd_model)
