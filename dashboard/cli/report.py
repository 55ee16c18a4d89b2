"""`postloan report`: compile, validate and write the supervisory workbook (or the detail).

Without --report every summary report goes into one workbook (FILE must end in .xlsx);
`--report DETAIL` writes the loan-level detail (.xlsx, or .csv when FILE ends in .csv). Any other
suffix is refused before anything is compiled (exit 2), so no file carries bytes its name belies.
Findings are printed; a blocking finding, or a warning without a written explanation
(--explain RULE_ID=TEXT), refuses the export (exit 1, nothing written) unless --draft, which
marks the cover 草稿/DRAFT. The file is written beside FILE and renamed over it only when complete
and its audit row (`export`: actor, file, format, period, rows, SHA-256) is written; if the row
cannot be written, nothing is.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

EXIT_REFUSED = 1
EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """A problem with the command's input, reported in one line with exit code 2."""


def _say(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _explanations(items: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        rule, sep, text = item.partition("=")
        if not sep or not rule.strip() or not text.strip():
            raise BadInput(f"--explain expects RULE_ID=TEXT, got {item!r}")
        out[rule.strip()] = text.strip()
    return out


def _print_findings(findings: Sequence[Any], explanations: dict[str, str]) -> None:
    if not findings:
        _say("validation: no findings")
        return
    _say(f"validation: {len(findings)} findings")
    for f in findings:
        note = " [explained]" if explanations.get(f.rule_id) else ""
        _say(
            f"  {f.severity:<8}  {f.rule_id}  {', '.join(f.cells)}: {f.message_en} "
            f"(expected {f.expected}, actual {f.actual}){note}"
        )


def _refusal(findings: Sequence[Any], explanations: dict[str, str]) -> str | None:
    from regulatory.validation import blocking, unexplained

    stops = blocking(findings)
    if stops:
        return f"{len(stops)} blocking findings"
    missing = unexplained(findings, explanations)
    if missing:
        ids = ", ".join(f.rule_id for f in missing)
        return f"warnings without a written explanation (--explain RULE_ID=TEXT): {ids}"
    return None


# What each kind of report may be written as (by the suffix of --out).
FORMATS: dict[str, tuple[str, ...]] = {"DETAIL": (".xlsx", ".csv"), "summary": (".xlsx",)}


def _check_format(out: Path, code: str | None) -> None:
    """Refuse an --out whose suffix names a format the report is not written in."""
    kind = "DETAIL" if code == "DETAIL" else "summary"
    allowed = FORMATS[kind]
    if out.suffix.lower() in allowed:
        return
    what = "the loan-level detail" if kind == "DETAIL" else "a summary workbook"
    raise BadInput(
        f"--out {out}: {what} is written as {' or '.join(allowed)} only "
        "(.csv is for the loan-level detail, --report DETAIL); nothing written"
    )


def _tmp(out: Path) -> Path:
    return out.with_name(f".{out.name}.{os.getpid()}.tmp")


def cmd_report(args: argparse.Namespace) -> int:
    """Compile, validate and write the supervisory workbook for one period."""
    try:
        return _report(args)
    except BadInput as exc:
        sys.stderr.write(f"postloan report: {exc}\n")
        return EXIT_BAD_INPUT


def _report(args: argparse.Namespace) -> int:
    from dashboard.cli.common import Progress, missing_duckdb, settings_file, warehouse_url_of
    from regulatory.compile import compile_all
    from regulatory.registry import SUMMARY_CODES, report_spec
    from regulatory.validation import validate
    from warehouse.engine import create_warehouse_engine

    try:
        code = report_spec(args.report).code if args.report else None
    except ValueError as exc:
        raise BadInput(str(exc)) from exc
    out = Path(args.out)
    _check_format(out, code)
    url = warehouse_url_of(args)
    if missing_duckdb(url):
        return EXIT_REFUSED
    explanations = _explanations(args.explain or [])
    settings = settings_file()
    progress = Progress()
    engine = create_warehouse_engine(url, read_only=True)
    try:
        if code == "DETAIL":
            codes = ["G11", "OVERDUE", "DETAIL"]
        else:
            codes = [code, "DETAIL"] if code else [*SUMMARY_CODES, "DETAIL"]
        progress(f"compiling {', '.join(codes)} for {args.period}")
        try:
            reports = compile_all(engine, args.period, settings, codes)
        except ValueError as exc:
            raise BadInput(str(exc)) from exc
        progress("validating")
        findings = validate(reports, engine, settings)
        _print_findings(findings, explanations)
        refusal = _refusal(findings, explanations)
        if refusal and not args.draft:
            _say(f"refused: {refusal}; nothing written (use --draft for a draft)")
            return EXIT_REFUSED
        if code == "DETAIL":
            return _write_detail(engine, args, out, reports, settings, progress)
        return _write_workbook(engine, args, out, reports, findings, explanations, settings)
    finally:
        engine.dispose()


def _publish(args: argparse.Namespace, tmp: Path, out: Path, what: dict[str, object]) -> int:
    """Audit the finished file, then rename it into place; unaudited, it is not written."""
    from sqlalchemy.exc import SQLAlchemyError

    from dashboard.cli.common import audit, warehouse_url_of

    digest = hashlib.sha256(tmp.read_bytes()).hexdigest()
    details = {
        "file": str(out.resolve()),
        "format": out.suffix.lower().lstrip("."),
        "period": args.period.isoformat(),
        "draft": bool(args.draft),
        **what,
    }
    target = str(what.get("report", "summary"))
    try:
        audit(warehouse_url_of(args), args, "export", target, details, what.get("rows"), digest)  # type: ignore[arg-type]
    except (ValueError, SQLAlchemyError) as exc:
        tmp.unlink(missing_ok=True)
        _say(f"refused: the audit row could not be written ({exc}); nothing written")
        return EXIT_REFUSED
    tmp.replace(out)
    return 0


def _cover(engine, args, **unit: str):
    """The cover of the period's workbook from the command's preparer, reviewer and draft flag."""
    from regulatory.cover import make_cover

    who = {"preparer": args.preparer or "", "reviewer": args.reviewer or ""}
    return make_cover(engine, args.period, **who, draft=bool(args.draft), **unit)


def _write_workbook(engine, args, out, reports, findings, explanations, settings) -> int:
    from regulatory.workbook import render_workbook

    cover = _cover(engine, args)
    summary = [r for r in reports.values() if r.sheets]
    data = render_workbook(summary, cover, findings, explanations)
    tmp = _tmp(out)
    tmp.write_bytes(data)
    codes = [r.code for r in summary]
    what = {"report": args.report.upper() if args.report else "summary", "reports": codes}
    if _publish(args, tmp, out, {**what, "rows": len(codes)}):
        return EXIT_REFUSED
    digest = hashlib.sha256(data).hexdigest()
    status = "DRAFT " if args.draft else ""
    _say(f"wrote {status}{out} ({len(data):,} bytes, sha256 {digest})")
    return 0


def _write_detail(engine, args, out, reports, settings, progress) -> int:
    from regulatory.detail import UNIT, write_detail, write_detail_csv

    tmp = _tmp(out)
    progress(f"writing the loan-level detail to {out}")
    try:
        if out.suffix.lower() == ".csv":
            result = write_detail_csv(engine, args.period, tmp, settings)
        else:
            cover = _cover(engine, args, unit=UNIT)
            result = write_detail(engine, args.period, tmp, settings, cover=cover)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    expected = reports["G11"].cells["G11_1_F"]
    if result.outstanding != expected and not args.draft:
        tmp.unlink(missing_ok=True)
        _say(f"refused: the detail adds up to {result.outstanding}, G11 to {expected}")
        return EXIT_REFUSED
    what = {"report": "DETAIL", "rows": result.rows, "personal_data": "unmasked"}
    if _publish(args, tmp, out, what):
        return EXIT_REFUSED
    sheets = f", sheets {', '.join(result.sheets)}" if result.sheets else ""
    _say(f"wrote {out}: {result.rows:,} contracts{sheets}, sha256 {result.sha256}")
    return 0


def add_report_parser(sub: argparse._SubParsersAction) -> None:
    """Register `postloan report` on the subcommand parsers of `postloan`."""
    from dashboard.cli.common import actor_option, month_end, warehouse_option

    report = sub.add_parser(
        "report",
        help="compile, validate and write the supervisory workbook",
        description=cmd_report.__doc__,
    )
    report.add_argument(
        "--period", type=month_end, required=True, metavar="YYYY-MM", help="period (month-end)"
    )
    report.add_argument(
        "--report",
        metavar="CODE",
        help="one report: G11, G12, OVERDUE, TOP10, CONC or DETAIL (default: every summary)",
    )
    report.add_argument("--out", required=True, metavar="FILE", help="the .xlsx (or .csv) to write")
    report.add_argument("--preparer", metavar="NAME", help="填报人, printed on the cover")
    report.add_argument("--reviewer", metavar="NAME", help="复核人, printed on the cover")
    report.add_argument(
        "--explain",
        action="append",
        metavar="RULE_ID=TEXT",
        help="written explanation of a warning (repeatable); it goes into the workbook",
    )
    report.add_argument(
        "--draft", action="store_true", help="write even with findings; the cover says 草稿/DRAFT"
    )
    warehouse_option(report)
    actor_option(report)
    report.set_defaults(func=cmd_report)
