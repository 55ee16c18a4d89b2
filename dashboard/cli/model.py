"""`postloan model evaluate|train|promote|list|score`: the early-warning models.

`evaluate` reads the month-end features (`warehouse.marts.ew_features`), fits the scorecard and the
LightGBM challenger on the early month-ends and measures both on the later ones
(`early_warning.backtest`), prints the headline figures and writes the backtest section of
docs/early-warning.md (or --doc FILE). `train` backtests, fits both on every month-end with a
known outcome and stores them as a proposed version in the registry (`early_warning.registry`,
default data/models beside nothing else); `promote` approves a proposed version by a second person
(maker-checker); `list` shows the versions; `score` prints the scores the last build wrote
(`ew_scores`, its latest month-end) or, when the build scored nothing or `--registry` names a
registry, scores the contracts performing at the last built month-end with the version in force
there. The registry defaults to the `early_warning.registry` setting (data/models under the
project). A book too short or with too few defaults, or a refused act, is reported in one line
(exit 1) and nothing is written. The warehouse is only read.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

EXIT_NOT_ENOUGH = 1
DEFAULT_DOC = Path("docs") / "early-warning.md"


def _registry(args: argparse.Namespace) -> Path:
    """The registry folder: --registry, else the `early_warning.registry` setting."""
    if args.registry:
        return Path(args.registry)
    from dashboard.cli.common import settings_file
    from early_warning.registry import registry_root

    return registry_root(settings_file())


def cmd_model(args: argparse.Namespace) -> int:
    """Run the chosen `postloan model` action."""
    actions: dict[str, Callable[[argparse.Namespace], int]] = {
        "evaluate": cmd_evaluate,
        "train": cmd_train,
        "promote": cmd_promote,
        "list": cmd_list,
        "score": cmd_score,
    }
    return actions[args.action](args)


def _actor(args: argparse.Namespace) -> str:
    from dashboard.cli.common import os_user

    return str(args.actor or os_user())


def cmd_train(args: argparse.Namespace) -> int:
    """Backtest, fit both models on every known outcome and propose them as a new version."""
    from dashboard.cli.common import EXIT_NO_WAREHOUSE, missing_duckdb, warehouse_url_of
    from early_warning.data import NotEnoughData
    from early_warning.registry import Registry
    from early_warning.train import train
    from warehouse.engine import create_warehouse_engine

    url = warehouse_url_of(args)
    if missing_duckdb(url):
        return EXIT_NO_WAREHOUSE
    began = time.perf_counter()
    engine = create_warehouse_engine(url, read_only=True)
    try:
        from dashboard.cli.common import settings_file

        months = int(settings_file()["early_warning.train_months"])
        models, card = train(engine, lag_months=args.lag_months, train_months=months)
    except NotEnoughData as exc:
        print(f"postloan model train: {exc}; nothing stored", file=sys.stderr)
        return EXIT_NOT_ENOUGH
    finally:
        engine.dispose()
    version = Registry(_registry(args)).propose(models, card, _actor(args))
    test = card["backtest"]["measures"]["scorecard"]["test"]
    _audit(args, url, version, "propose", {"auc": test["auc"], "ks": test["ks"]})
    print(
        f"proposed {version} (trained by {_actor(args)}) in {time.perf_counter() - began:.0f} s: "
        f"scorecard out-of-time AUC {test['auc']} KS {test['ks']}; "
        "a second person approves it with `postloan model promote`"
    )
    sample = card["data"].get("sample")
    if sample:
        print(sample["text"])
    return 0


def cmd_promote(args: argparse.Namespace) -> int:
    """Approve a proposed version; the approver must not be who trained it."""
    from dashboard.cli.common import warehouse_url_of
    from early_warning.registry import Registry, RegistryError

    try:
        card = Registry(_registry(args)).approve(args.version, _actor(args))
    except (RegistryError, OSError) as exc:
        print(f"postloan model promote: {exc}", file=sys.stderr)
        return EXIT_NOT_ENOUGH
    _audit(args, warehouse_url_of(args), card["version"], "approve", {})
    print(f"{card['version']} approved by {card['approved_by']}; it is the version in force")
    return 0


def _audit(
    args: argparse.Namespace, url: str, version: str, act: str, details: dict[str, object]
) -> None:
    """The model act in the portal store's audit trail (`model`); a store that cannot be written
    is said, and the registry's card keeps the act anyway."""
    import sqlalchemy as sa

    from dashboard.cli.common import audit

    try:
        audit(url, args, "model", version, {"act": act, **details})
    except (ValueError, sa.exc.SQLAlchemyError) as exc:
        print(f"postloan model: the audit trail was not written ({exc})", file=sys.stderr)


def cmd_list(args: argparse.Namespace) -> int:
    """The versions in the registry, oldest first, and the one in force."""
    from early_warning.registry import Registry

    registry = Registry(_registry(args))
    force = registry.in_force()
    for version in registry.versions():
        c = registry.card(version)
        auc = c["backtest"]["measures"]["scorecard"]["test"]["auc"]
        mark = "  (in force)" if version == force else ""
        print(
            f"{version}  {c['status']:<8}  trained by {c['trained_by']} {c['trained_at']}  "
            f"approved by {c['approved_by'] or '-'}  data to {c['data']['built_to']}  "
            f"AUC {auc}{mark}"
        )
    if force is None:
        print("no approved version")
    return 0


def _words(r: object, lang: str) -> str:
    from early_warning.reasons import reason_text

    keys = (
        getattr(r, "reason_1", None),
        getattr(r, "reason_2", None),
        getattr(r, "reason_3", None),
    )
    return "; ".join(reason_text(k, lang) for k in keys if isinstance(k, str) and k)


def _built_scores(url: str, args: argparse.Namespace) -> bool:
    """Print the scores the last build wrote, when it scored; False when it did not."""
    import sqlalchemy as sa

    from queries.ew_scores import latest_scores
    from warehouse.engine import create_warehouse_engine

    engine = create_warehouse_engine(url, read_only=True)
    try:
        scores = latest_scores(engine)
    except sa.exc.SQLAlchemyError:  # a warehouse built before the scores existed
        return False
    finally:
        engine.dispose()
    if scores.empty:
        return False
    first = scores.iloc[0]
    print(
        f"{first.model_version} (scored by the build): {len(scores):,} performing contracts "
        f"scored at {first.month_end:%Y-%m}; the {args.top} riskiest:"
    )
    for r in scores.head(args.top).itertuples():
        print(f"  {r.contract_id}  {r.score:.1%}  DPD {int(r.dpd)}  {_words(r, args.lang)}")
    return True


def cmd_score(args: argparse.Namespace) -> int:
    """Print the scores the last build wrote; with --registry, or when the build scored
    nothing, score the last built month-end with the version in force in the registry."""
    from dashboard.cli.common import EXIT_NO_WAREHOUSE, missing_duckdb, warehouse_url_of
    from early_warning.data import NotEnoughData
    from early_warning.registry import Registry, RegistryError
    from early_warning.train import score
    from warehouse.engine import create_warehouse_engine

    url = warehouse_url_of(args)
    if missing_duckdb(url):
        return EXIT_NO_WAREHOUSE
    if not args.registry and _built_scores(url, args):
        return 0
    registry = Registry(_registry(args))
    version = registry.in_force()
    if version is None:
        print("postloan model score: no approved model version", file=sys.stderr)
        return EXIT_NOT_ENOUGH
    try:
        models = registry.load(version)
    except RegistryError as exc:
        print(f"postloan model score: {exc}", file=sys.stderr)
        return EXIT_NOT_ENOUGH
    engine = create_warehouse_engine(url, read_only=True)
    try:
        scored = score(engine, models)
    except NotEnoughData as exc:
        print(f"postloan model score: {exc}", file=sys.stderr)
        return EXIT_NOT_ENOUGH
    finally:
        engine.dispose()
    print(f"{version}: {len(scored):,} performing contracts scored; the {args.top} riskiest:")
    for r in scored.head(args.top).itertuples():
        print(f"  {r.contract_id}  {r.score:.1%}  DPD {int(r.dpd)}  {_words(r, args.lang)}")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
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
        from dashboard.cli.common import settings_file

        months = int(settings_file()["early_warning.train_months"])
        backtest = evaluate(engine, lag_months=args.lag_months, train_months=months)
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
    """Register `postloan model evaluate|train|promote|list|score` on the top-level subparsers."""
    from dashboard.cli.common import actor_option

    model = sub.add_parser(
        "model",
        help="the early-warning models: backtest, train, approve, score",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = model.add_subparsers(dest="action", required=True, metavar="ACTION")
    evaluate = actions.add_parser(
        "evaluate",
        help="backtest the scorecard and the challenger and write docs/early-warning.md",
        description=cmd_evaluate.__doc__,
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

    def registry_option(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--registry",
            default=None,
            metavar="DIR",
            help="the model registry folder (default: the early_warning.registry setting, "
            "data/models)",
        )

    train = actions.add_parser(
        "train", help="backtest, fit and propose a new version", description=cmd_train.__doc__
    )
    train.add_argument(
        "--lag-months", type=int, default=0, metavar="N", help="statement lag (default 0)"
    )
    registry_option(train)
    warehouse_option(train)
    actor_option(train)
    promote = actions.add_parser(
        "promote",
        help="approve a proposed version (not by its trainer)",
        description=cmd_promote.__doc__,
    )
    promote.add_argument("version", metavar="VERSION", help="the version, e.g. ew-0001")
    registry_option(promote)
    warehouse_option(promote)
    actor_option(promote)
    listing = actions.add_parser("list", help="the versions", description=cmd_list.__doc__)
    registry_option(listing)
    score = actions.add_parser(
        "score",
        help="the build's scores, or score with the version in force",
        description=cmd_score.__doc__,
    )
    score.add_argument("--top", type=int, default=20, metavar="N", help="rows shown (default 20)")
    score.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="language of the reasons (default zh)"
    )
    registry_option(score)
    warehouse_option(score)
    model.set_defaults(func=cmd_model)
