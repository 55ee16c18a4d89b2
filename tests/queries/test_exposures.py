"""queries.exposures on `exposure_book` (figures in its docstring)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from queries import exposures
from queries.filters import Filters
from tests.queries.books import Build, exposure_book
from warehouse import schema

JUNE = Filters(as_of=date(2024, 6, 30))


def _rows(frame) -> dict:
    return {(r["kind"], r["key"]): r for r in frame.to_dict("records")}


def test_financing_lease_against_net_assets(build: Build) -> None:
    """Base = net assets at 2024-06-30 = 10,000. X 3,500 → 35% > 30%: breach; Y 10%; Z 5%.
    Group G1 = 4,500 → 45% ≤ 50%; related party X 35% > 30%: breach; all related 35% ≤ 50%.
    X2 is written off and counts nowhere."""
    engine = build(exposure_book(), "2024-06-30")
    rows = _rows(exposures.concentration(engine, JUNE, entity="financing_lease"))
    assert set(rows) == {
        ("lessee", "X"),
        ("lessee", "Y"),
        ("lessee", "Z"),
        ("group", "G1"),
        ("related_party", "X"),
        ("related_parties_total", None),
    }
    x = rows["lessee", "X"]
    assert (x["outstanding"], x["base"], x["ratio"]) == (Decimal("3500"), 10000, Decimal("0.35"))
    assert (x["limit"], x["breach"]) == (Decimal("0.30"), True)
    assert rows["lessee", "Y"]["breach"] is False
    assert (rows["lessee", "Z"]["ratio"], rows["lessee", "Z"]["name"]) == (Decimal("0.05"), None)
    assert rows["lessee", "X"]["name"] == "name X"
    g1 = rows["group", "G1"]
    assert (g1["outstanding"], g1["lessees"], g1["breach"]) == (Decimal("4500"), 2, False)
    assert rows["related_party", "X"]["breach"] is True
    total = rows["related_parties_total", None]
    assert (total["ratio"], total["limit"], total["breach"]) == (
        Decimal("0.35"),
        Decimal("0.5"),
        False,
    )


def test_financial_lease_uses_capital_net_of_previous_quarter(build: Build) -> None:
    """Base = capital net at 2024-03-31 = 5,000: X 70% and G1 90% breach."""
    engine = build(exposure_book(), "2024-06-30")
    rows = _rows(exposures.concentration(engine, JUNE, entity="financial_lease"))
    assert rows["lessee", "X"]["ratio"] == Decimal("0.7")
    assert rows["group", "G1"]["ratio"] == Decimal("0.9")
    assert rows["group", "G1"]["breach"] is True


def test_entity_type_comes_from_the_latest_load(build: Build) -> None:
    """With a `loads` row saying financial_lease, the base is capital net."""
    engine = build(exposure_book(), "2024-06-30")
    assert exposures.entity_type(engine) is None
    with engine.begin() as conn:
        schema.loads.create(conn)
        conn.execute(
            schema.loads.insert(),
            [
                {
                    "load_id": n,
                    "loaded_at": datetime(2024, 7, n, tzinfo=UTC).replace(tzinfo=None),
                    "as_of": date(2024, 6, 30),
                    "institution": "t",
                    "entity_type": kind,
                    "currency": "CNY",
                    "source": "x",
                    "sha256": "0" * 64,
                    "row_counts": "{}",
                }
                for n, kind in ((1, "financing_lease"), (2, "financial_lease"))
            ],
        )
    assert exposures.entity_type(engine) == "financial_lease"
    rows = _rows(exposures.concentration(engine, JUNE))
    assert rows["lessee", "X"]["base"] == Decimal("5000")


def test_missing_base_gives_no_ratio_and_no_flag(build: Build) -> None:
    """No company_financials row for 2024-05-31: ratio and breach are None. In May X2 (700)
    is not yet written off, so X holds 3,500 + 700 = 4,200."""
    engine = build(exposure_book(), "2024-06-30")
    rows = _rows(
        exposures.concentration(engine, Filters(as_of=date(2024, 5, 31)), entity="financing_lease")
    )
    assert (rows["lessee", "X"]["ratio"], rows["lessee", "X"]["breach"]) == (None, None)
    assert rows["lessee", "X"]["outstanding"] == Decimal("4200")


def test_limits_are_a_registry_per_entity_type() -> None:
    """Both leasing types carry the four §8 concentration limits; a lender none."""
    assert set(exposures.LIMITS) == {"financing_lease", "financial_lease", "lender"}
    table = exposures.limits_table("financial_lease")
    assert dict(zip(table["code"], table["maximum"], strict=True)) == {
        "single_lessee": Decimal("0.30"),
        "single_group": Decimal("0.50"),
        "single_related_party": Decimal("0.30"),
        "all_related_parties": Decimal("0.50"),
    }
    assert set(table["base"]) == {"capital_net"}
    assert exposures.limits_table("lender").empty


def test_a_concentration_bar_lists_the_contracts_of_its_exposure(build: Build) -> None:
    """Lessee X: CX (3,500); X2 is written off and outside the exposure. Group G1: CX and CY
    (4,500 together, the group's exposure). All related parties: X's CX. Individual Z: CZ."""
    engine = build(exposure_book(), "2024-06-30")

    def listed(kind: str, key: str | None) -> list[str]:
        frame = exposures.exposure_contracts(engine, JUNE, kind, key)
        assert frame.empty or set(frame["total_rows"]) == {len(frame)}
        return list(frame["contract_id"])

    assert listed("lessee", "X") == ["CX"]
    assert listed("group", "G1") == ["CX", "CY"]
    assert listed("related_party", "X") == ["CX"]
    assert listed("related_party", "Y") == []
    assert listed("related_parties_total", None) == ["CX"]
    assert listed("lessee", "Z") == ["CZ"]
    frame = exposures.exposure_contracts(engine, JUNE, "group", "G1")
    assert sum(frame["outstanding_principal"]) == Decimal("4500")


def test_an_exposure_list_keeps_the_branch_scope(build: Build) -> None:
    """A user scoped to a branch no contract is booked in sees none of group G1's contracts."""
    engine = build(exposure_book(), "2024-06-30")
    scoped = Filters(as_of=date(2024, 6, 30), scope=("no-such-branch",))
    assert exposures.exposure_contracts(engine, scoped, "group", "G1").empty


def test_a_group_is_named_from_the_extract_and_unnamed_without_it(build: Build) -> None:
    """G1's lessees X and Y carry 恒泰控股集团有限公司: the group row's name; without the
    optional column's values the group row has no name (the page shows its code)."""
    named = exposure_book()
    for lessee in named.lessees:
        lessee["group_name"] = "恒泰控股集团有限公司" if lessee["group_id"] == "G1" else None
    rows = _rows(
        exposures.concentration(build(named, "2024-06-30"), JUNE, entity="financing_lease")
    )
    assert rows["group", "G1"]["name"] == "恒泰控股集团有限公司"
    assert rows["lessee", "Z"]["name"] is None  # an individual's name is never shown here
    plain = _rows(
        exposures.concentration(
            build(exposure_book(), "2024-06-30"), JUNE, entity="financing_lease"
        )
    )
    assert plain["group", "G1"]["name"] is None
    listed = exposures.exposure_contracts(build(named, "2024-06-30"), JUNE, "group", "G1")
    assert list(listed["group_id"]) == ["G1", "G1"]
    assert list(listed["group_name"]) == ["恒泰控股集团有限公司"] * 2
