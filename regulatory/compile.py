"""Compile reports: run the queries behind every cell of a registry spec for one month-end.

`compile_report` returns a `ReportData` whose `cells` hold exact values (yuan as Decimal) and
whose sheets hold the display grid (万元 to 2 decimals), built from the spec by `grid`. Every
figure comes from `queries/`; nothing here touches SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal

from sqlalchemy.engine import Engine

from queries import exposures, migration, supervisory
from queries.contract_detail import detail_totals
from queries.filters import Filters
from regulatory import prudential
from regulatory.codes import (
    CLASS_LABELS,
    ENTITY_NAMES,
    INDUSTRY_LABELS,
    LESSEE_TYPE_LABELS,
    PRODUCT_LABELS,
)
from regulatory.model import (
    DASH,
    CellValue,
    ReportData,
    ReportSpec,
    SheetData,
    cell_code,
    to_wan,
)
from regulatory.registry import (
    DETAIL_SUM_COLUMNS,
    G11_ESTIMATED_ROW,
    G11_PROVISION_ROW,
    G11_RESTRUCTURED_ROW,
    G11_ROWS,
    G12_RATE_NAMES,
    OVERDUE_BLOCK,
    OVERDUE_ROWS,
    REPORTS,
    SUMMARY_CODES,
    TOP_CLASSES,
    TOP_N,
    report_spec,
)
from warehouse.schema import DPD_BUCKETS, NPL_CLASSES
from warehouse.settings import Settings

CLASSES = tuple(CLASS_LABELS)
RATIO_PLACES = Decimal("0.0001")
Cells = dict[str, CellValue]


def _display(value: CellValue, kind: str) -> object:
    """A cell value as the workbook shows it: 万元 for money, a rounded fraction for ratios.

    A ratio without a value (its denominator is zero, or it does not apply) is "—", as on screen.
    """
    if value is None:
        return DASH if kind == "ratio" else None
    if kind == "money":
        return to_wan(value)  # type: ignore[arg-type]
    if kind == "ratio":
        return Decimal(value).quantize(RATIO_PLACES)  # type: ignore[arg-type]
    if kind == "count":
        return int(value)  # type: ignore[arg-type]
    return str(value)


def grid(spec: ReportSpec, cells: Mapping[str, CellValue]) -> tuple[SheetData, ...]:
    """The display grids of a report from its cells, in the spec's official layout."""
    sheets = []
    for sheet in spec.sheets:
        header = (
            ("行次", "项目", *(c.label_zh for c in sheet.columns)),
            ("", "", *(c.letter for c in sheet.columns)),
        )
        rows, codes = [], []
        for row in sheet.rows:
            row_codes = [cell_code(spec.code, row.number, c.letter) for c in sheet.columns]
            values = [
                _display(cells.get(k), c.kind)
                for k, c in zip(row_codes, sheet.columns, strict=True)
            ]
            label = "　" * row.indent + row.label_zh
            rows.append((row.number, label, *values))
            codes.append((None, None, *row_codes))
        kinds = ("label", "label", *(c.kind for c in sheet.columns))
        sheets.append(SheetData(sheet.name, sheet.title, header, tuple(rows), tuple(codes), kinds))
    return tuple(sheets)


def _sum(values: Iterable[object]) -> Decimal:
    return sum((Decimal(v) for v in values if v is not None), Decimal(0))


def _class_row(cells: Cells, code: str, row: int, by_class: Mapping[str, Decimal]) -> None:
    """Columns A–E from `by_class`, F = their total, G = NPL."""
    for letter, c in zip("ABCDE", CLASSES, strict=True):
        cells[cell_code(code, row, letter)] = Decimal(by_class.get(c, 0))
    cells[cell_code(code, row, "F")] = _sum(by_class.get(c, 0) for c in CLASSES)
    cells[cell_code(code, row, "G")] = _sum(by_class.get(c, 0) for c in NPL_CLASSES)


def _g11(engine: Engine, period: date, settings: Settings) -> tuple[Cells, tuple[str, ...]]:
    cells: Cells = {}
    whole = supervisory.class_totals(engine, period).to_dict("records")
    _class_row(cells, "G11", 1, {r["risk_class"]: r["outstanding"] for r in whole})
    cells["G11_1_H"] = int(sum(r["contracts"] for r in whole))
    for by, labels in (
        ("product", PRODUCT_LABELS),
        ("lessee_type", LESSEE_TYPE_LABELS),
        ("industry", INDUSTRY_LABELS),
    ):
        found = supervisory.class_totals(engine, period, by).to_dict("records")
        for n, value in enumerate(labels):
            row = G11_ROWS[by] + n
            mine = [r for r in found if r[by] == value]
            _class_row(cells, "G11", row, {r["risk_class"]: r["outstanding"] for r in mine})
            cells[cell_code("G11", row, "H")] = int(sum(r["contracts"] for r in mine))
    for row, name in ((G11_PROVISION_ROW, "provision"), (G11_ESTIMATED_ROW, "provision_estimated")):
        _class_row(cells, "G11", row, {r["risk_class"]: r[name] for r in whole})
        cells[cell_code("G11", row, "H")] = None
    found = supervisory.restructured_totals(engine, period).to_dict("records")
    for n, kind in enumerate(supervisory.RESTRUCTURED_KINDS):
        row = G11_RESTRUCTURED_ROW + n
        mine = [r for r in found if r["kind"] == kind]
        _class_row(cells, "G11", row, {r["risk_class"]: r["outstanding"] for r in mine})
        cells[cell_code("G11", row, "H")] = int(sum(r["contracts"] for r in mine))
    return cells, ()


def _g12(engine: Engine, period: date, settings: Settings) -> tuple[Cells, tuple[str, ...]]:
    filters = Filters(as_of=period)
    cells: Cells = {}
    matrix = migration.migration_matrix(engine, filters, "ytd").to_dict("records")
    cols = dict(zip(CLASSES, "BCDEF", strict=True))
    for n, src in enumerate(CLASSES, start=1):
        mine = [r for r in matrix if r["begin_class"] == src]
        cells[cell_code("G12", n, "A")] = Decimal(mine[0]["begin_balance"])
        for r in mine:
            letter = "G" if r["end_class"] == "reduced" else cols[r["end_class"]]
            cells[cell_code("G12", n, letter)] = Decimal(r["balance"])
    for letter in "ABCDEFG":
        cells[cell_code("G12", 6, letter)] = _sum(
            cells[cell_code("G12", n, letter)] for n in range(1, 6)
        )
    for r in matrix:
        if r["begin_class"] == migration.NEW_BUSINESS:
            cells[cell_code("G12", 7, cols[r["end_class"]])] = Decimal(r["balance"])
    for letter in "AG":
        cells[cell_code("G12", 7, letter)] = None
        cells[cell_code("G12", 8, letter)] = None
    for letter in "BCDEF":
        cells[cell_code("G12", 8, letter)] = _sum(
            (cells[cell_code("G12", 6, letter)], cells[cell_code("G12", 7, letter)])
        )
    rates = migration.migration_rates(engine, filters, "ytd", periods=1).to_dict("records")[0]
    for n, name in enumerate(G12_RATE_NAMES, start=9):
        cells[cell_code("G12", n, "A")] = Decimal(rates[f"{name}_numerator"])
        cells[cell_code("G12", n, "B")] = Decimal(rates[f"{name}_denominator"])
        rate = rates[name]
        cells[cell_code("G12", n, "C")] = None if rate is None else Decimal(rate)
    return cells, (f"期初 beginning: {rates['begin']}（年初至今 year-to-date）",)


def _overdue_row(cells: Cells, row: int, rows: list[dict]) -> None:
    """Columns A–D of one row: contracts, outstanding, overdue principal, overdue interest."""
    for letter, name in zip(
        "ABCD", ("contracts", "outstanding", "overdue_principal", "overdue_interest"), strict=True
    ):
        total = _sum(r[name] for r in rows)
        cells[cell_code("OVERDUE", row, letter)] = int(total) if letter == "A" else total


def _overdue(engine: Engine, period: date, settings: Settings) -> tuple[Cells, tuple[str, ...]]:
    cells: Cells = {}
    whole = supervisory.overdue_totals(engine, period).to_dict("records")
    _overdue_row(cells, OVERDUE_ROWS["total"], whole)
    for n, bucket in enumerate(DPD_BUCKETS):
        _overdue_row(
            cells, OVERDUE_ROWS["bucket"] + n, [r for r in whole if r["dpd_bucket"] == bucket]
        )
    _overdue_row(cells, OVERDUE_ROWS["overdue"], [r for r in whole if r["dpd_bucket"] != "M0"])
    for by, labels in (("product", PRODUCT_LABELS), ("industry", INDUSTRY_LABELS)):
        found = supervisory.overdue_totals(engine, period, by).to_dict("records")
        for n, value in enumerate(labels):
            first = OVERDUE_ROWS[by] + n * OVERDUE_BLOCK
            mine = [r for r in found if r[by] == value]
            _overdue_row(cells, first, mine)
            for k, bucket in enumerate(DPD_BUCKETS, start=1):
                _overdue_row(cells, first + k, [r for r in mine if r["dpd_bucket"] == bucket])
    return cells, ()


def _top10(engine: Engine, period: date, settings: Settings) -> tuple[Cells, tuple[str, ...]]:
    cells: Cells = {}
    for k, risk_class in enumerate(TOP_CLASSES):
        found = supervisory.top_lessees(engine, period, risk_class, TOP_N).to_dict("records")
        for rank in range(TOP_N):
            row = k * TOP_N + rank + 1
            r = found[rank] if rank < len(found) else None
            values: tuple[CellValue, ...] = (
                (None,) * 8
                if r is None
                else (
                    str(r["lessee_id"]),
                    str(r["name"]),
                    LESSEE_TYPE_LABELS[r["lessee_type"]][0],
                    Decimal(r["class_outstanding"]),
                    int(r["class_contracts"]),
                    Decimal(r["outstanding"]),
                    Decimal(r["provision"]),
                    Decimal(r["provision_estimated"]),
                )
            )
            for letter, value in zip("ABCDEFGH", values, strict=True):
                cells[cell_code("TOP10", row, letter)] = value
    return cells, ()


def entity_of(engine: Engine, settings: Settings | None) -> str:
    """The entity type in force: the settings', else the newest load's, else financing_lease."""
    given = str(settings["entity.entity_type"]) if settings is not None else ""
    return given or exposures.entity_type(engine) or "financing_lease"


def _conc(engine: Engine, period: date, settings: Settings) -> tuple[Cells, tuple[str, ...]]:
    entity = entity_of(engine, settings)
    results = prudential.evaluate(engine, period, entity)
    cells: Cells = {}
    for n, ratio in enumerate(prudential.RATIOS, start=1):
        r = results[ratio.code]
        figures = (r.numerator, r.base, r.ratio, r.limit, r.breach, r.note, r.estimated)
        for letter, value in zip("ABCDEFG", figures, strict=True):
            cells[cell_code("CONC", n, letter)] = value
    return cells, (f"机构类型 entity type: {ENTITY_NAMES.get(entity, entity)}",)


def _detail(engine: Engine, period: date, settings: Settings) -> tuple[Cells, tuple[str, ...]]:
    totals = detail_totals(engine, period)
    spec = report_spec("DETAIL")
    cells: Cells = dict.fromkeys(cell_code("DETAIL", 1, c.letter) for c in spec.sheets[0].columns)
    cells["DETAIL_1_A"] = int(totals["contracts"])
    for letter in DETAIL_SUM_COLUMNS:
        cells[cell_code("DETAIL", 1, letter)] = Decimal(totals[letter])
    return cells, ()


Compiler = Callable[[Engine, date, Settings], tuple[Cells, tuple[str, ...]]]
COMPILERS: dict[str, Compiler] = {
    "G11": _g11,
    "G12": _g12,
    "OVERDUE": _overdue,
    "TOP10": _top10,
    "CONC": _conc,
    "DETAIL": _detail,
}


def check_period(engine: Engine, period: date) -> None:
    """ValueError unless `period` is a month-end the warehouse holds."""
    if not supervisory.month_present(engine, period):
        raise ValueError(
            f"period {period} is not a month-end present in the warehouse; "
            "choose a month-end between the first contract's start and the as-of"
        )


def compile_report(
    engine: Engine, code: str, period: date, settings: Settings | None = None
) -> ReportData:
    """Run every query of report `code` for the month-end `period`."""
    from warehouse.settings import load_settings

    spec = report_spec(code)
    check_period(engine, period)
    cells, notes = COMPILERS[spec.code](engine, period, settings or load_settings())
    sheets = grid(spec, cells) if spec.summary else ()
    return ReportData(spec.code, period, cells, sheets, notes)


def compile_all(
    engine: Engine,
    period: date,
    settings: Settings | None = None,
    codes: Iterable[str] | None = None,
) -> dict[str, ReportData]:
    """Compile several reports (default: every summary report plus the detail totals)."""
    chosen = [report_spec(c).code for c in codes] if codes else [*SUMMARY_CODES, "DETAIL"]
    check_period(engine, period)
    return {c: compile_report(engine, c, period, settings) for c in chosen}


__all__ = ["COMPILERS", "REPORTS", "compile_all", "compile_report", "grid"]
