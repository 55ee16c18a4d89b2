"""The demo generator: deterministic, rich, true to the extract format and docs/domain.md §2.

The consistency tests recompute the receipt allocation of docs/domain.md §2 contract by contract in
plain Python, independently of the generator's vectorised bookkeeping.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, time
from pathlib import Path

import pandas as pd
import pytest

from warehouse.demo import generate_extract
from warehouse.extract_spec import MANIFEST_KEYS, TABLES

AS_OF = date(2026, 10, 31)


@pytest.fixture(scope="module")
def extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    generate_extract(out, contracts=2_000, as_of=date(2026, 10, 15), months=48, seed=11)
    return out


@pytest.fixture(scope="module")
def frames(extract: Path) -> dict[str, pd.DataFrame]:
    return {
        t.name: pd.read_csv(extract / f"{t.name}.csv", dtype=str, keep_default_na=False)
        for t in TABLES
    }


def cents(values: pd.Series) -> pd.Series:
    """Exact cents from money text with two decimals."""
    assert values.str.fullmatch(r"-?\d+\.\d{2}").all()
    return values.str.replace(".", "", regex=False).astype("int64")


def test_same_seed_same_bytes_and_other_seed_differs(tmp_path: Path) -> None:
    runs = {}
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        generate_extract(tmp_path / name, contracts=300, as_of=AS_OF, months=24, seed=seed)
        runs[name] = {p.name: p.read_bytes() for p in sorted((tmp_path / name).iterdir())}
    assert runs["a"] == runs["b"]
    assert runs["a"]["receipts.csv"] != runs["c"]["receipts.csv"]


def test_manifest_and_counts(extract: Path, frames: dict[str, pd.DataFrame]) -> None:
    manifest = pd.read_csv(extract / "manifest.csv", dtype=str)
    values = dict(zip(manifest["key"], manifest["value"], strict=True))
    assert tuple(values) == MANIFEST_KEYS
    assert values["as_of"] == "2026-10-31"  # moved to its month-end
    assert values["entity_type"] == "financing_lease"
    assert len(frames["contracts"]) == 2_000


def test_tables_follow_the_registry(extract: Path, frames: dict[str, pd.DataFrame]) -> None:
    for table in TABLES:
        df = frames[table.name]
        header = (extract / f"{table.name}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert header.split(",") == list(table.column_names), table.name
        assert not df.duplicated(list(table.key)).any(), table.name
        for column in table.columns:
            values = df[column.name]
            filled = values[values != ""]
            if column.required:
                assert len(filled) == len(values), (table.name, column.name)
            if column.enum:
                assert set(filled) <= set(column.enum), (table.name, column.name)
            if column.pattern:
                assert filled.str.fullmatch(column.pattern).all(), (table.name, column.name)
            if column.kind == "money":
                amounts = cents(filled)
                if column.nonnegative:
                    assert (amounts >= 0).all(), (table.name, column.name)
            if column.kind == "date":
                assert filled.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
            if column.kind == "timestamp":
                assert filled.str.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}").all()
            if column.kind == "bool":
                assert set(filled) <= {"true", "false"}
        for ref in table.references:
            target = frames[ref.table][ref.target[0]]
            own = df[ref.columns[0]]
            assert own[own != ""].isin(set(target)).all(), (table.name, ref.columns)


def test_nothing_is_dated_after_as_of(frames: dict[str, pd.DataFrame]) -> None:
    limit = "2026-10-31"
    for table in TABLES:
        for column in table.columns:
            if column.kind in ("date", "timestamp", "month") and column.name not in (
                "due_date",
                "valid_to",
            ):
                values = frames[table.name][column.name]
                values = values[values != ""].str[: len(limit) if column.kind != "month" else 7]
                assert (values <= limit[: len(values.iloc[0]) if len(values) else 10]).all(), (
                    table.name,
                    column.name,
                )


def _versions(schedule: pd.DataFrame) -> dict[tuple[str, str], pd.DataFrame]:
    schedule = schedule.assign(p=cents(schedule.principal_due), i=cents(schedule.interest_due))
    schedule["installment_no"] = schedule["installment_no"].astype(int)
    return {
        key: rows.sort_values("installment_no")
        for key, rows in schedule.groupby(["contract_id", "valid_from"], sort=False)
    }


def _allocate(rows: pd.DataFrame, received: int) -> tuple[int, int | None]:
    """docs/domain.md §2 by hand: oldest installment first, interest before principal.

    Returns the principal repaid and the index (in `rows`) of the first not-fully-paid row.
    """
    repaid, first_unpaid = 0, None
    for n, (p, i) in enumerate(zip(rows.p, rows.i, strict=True)):
        to_interest = min(received, i)
        received -= to_interest
        to_principal = min(received, p)
        received -= to_principal
        repaid += to_principal
        if first_unpaid is None and to_interest + to_principal < p + i:
            first_unpaid = n
    return repaid, first_unpaid


def test_first_versions_add_up_to_the_principal(frames: dict[str, pd.DataFrame]) -> None:
    s = frames["schedule"]
    first = s[s.valid_from == ""]
    sums = cents(first.principal_due).groupby(first.contract_id).sum()
    principal = cents(frames["contracts"].principal).set_axis(frames["contracts"].contract_id)
    assert sums.to_dict() == principal.to_dict()
    restructured = set(frames["restructurings"].contract_id)
    closed_early = first[(first.valid_to != "") & ~first.contract_id.isin(restructured)]
    assert closed_early.empty


def test_schedules_are_well_formed(frames: dict[str, pd.DataFrame]) -> None:
    s = frames["schedule"].merge(frames["contracts"][["contract_id", "start_date"]])
    version = s.groupby(["contract_id", "valid_from"], sort=False)
    assert (s.installment_no.astype(int) == version.cumcount() + 1).all()
    assert (s.due_date >= s.start_date).all()
    previous = version.due_date.shift()
    assert (previous.isna() | (s.due_date > previous)).all()
    assert ((s.valid_from == "") | (s.due_date > s.valid_from)).all()
    assert (version.valid_to.nunique() == 1).all()
    closed = s[s.valid_to != ""]
    assert (closed.valid_to > closed.valid_from).all()


def _receipts_by_contract(frames: dict[str, pd.DataFrame]) -> dict[str, list[tuple[str, int]]]:
    r = frames["receipts"]
    out: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for c, d, a in zip(r.contract_id, r.received_date, cents(r.amount), strict=True):
        out[c].append((d, a))
    return out


def test_new_versions_restate_the_principal_outstanding(frames: dict[str, pd.DataFrame]) -> None:
    versions = _versions(frames["schedule"])
    by_contract = _receipts_by_contract(frames)
    restr = frames["restructurings"].sort_values(["contract_id", "effective_date"])
    assert len(restr) >= 20
    for contract, eff in zip(restr.contract_id, restr.effective_date, strict=True):
        old_key = next(
            k for k, v in versions.items() if k[0] == contract and v.valid_to.iloc[0] == eff
        )
        old = versions[old_key]
        got = sum(
            a for d, a in by_contract[contract] if (not old_key[1] or d >= old_key[1]) and d < eff
        )
        repaid, _ = _allocate(old, got)
        new = versions[(contract, eff)]
        assert new.p.sum() == old.p.sum() - repaid, contract
        assert (new.valid_to.iloc[0] == "") or new.valid_to.iloc[0] > eff


def test_writeoffs_take_the_outstanding_and_end_receipts(frames: dict[str, pd.DataFrame]) -> None:
    versions = _versions(frames["schedule"])
    by_contract = _receipts_by_contract(frames)
    start = frames["contracts"].set_index("contract_id").start_date
    wo = frames["writeoffs"]
    assert len(wo) >= 5
    for contract, day, amount in zip(
        wo.contract_id, wo.writeoff_date, cents(wo.amount), strict=True
    ):
        assert day > start[contract]
        key = max(k for k in versions if k[0] == contract)
        got = sum(a for d, a in by_contract[contract] if (not key[1] or d >= key[1]) and d < day)
        repaid, _ = _allocate(versions[key], got)
        assert amount == versions[key].p.sum() - repaid > 0
        assert all(d <= day for d, _ in by_contract[contract])


def test_receipts_fall_within_the_contract_life(frames: dict[str, pd.DataFrame]) -> None:
    r = frames["receipts"].merge(frames["contracts"][["contract_id", "start_date"]])
    assert (r.received_date >= r.start_date).all()
    assert (r.received_date <= "2026-10-31").all()


def _dpd(versions: dict, receipts: list[tuple[str, int]], day: str) -> int:
    """DPD at the end of `day` by hand, with the schedule version in force that day."""
    key = max(k for k in versions if k[0] == versions["_c"] and (not k[1] or k[1] <= day))
    rows = versions[key]
    got = sum(a for d, a in receipts if (not key[1] or d >= key[1]) and d <= day)
    _, j = _allocate(rows, got)
    if j is None or rows.due_date.iloc[j] >= day:
        return 0
    return (date.fromisoformat(day) - date.fromisoformat(rows.due_date.iloc[j])).days


def test_overrides_are_worse_than_the_dpd_floor(frames: dict[str, pd.DataFrame]) -> None:
    from warehouse.extract_spec import RISK_CLASSES

    ov = frames["classification_overrides"]
    assert len(ov) >= 3
    versions = _versions(frames["schedule"])
    by_contract = _receipts_by_contract(frames)
    start = frames["contracts"].set_index("contract_id").start_date
    for contract, month, cls in zip(ov.contract_id, ov.effective_month, ov.risk_class, strict=True):
        assert start[contract][:7] <= month <= "2026-10"
        y, m = map(int, month.split("-"))
        month_end = (pd.Timestamp(y, m, 1) + pd.offsets.MonthEnd(0)).date().isoformat()
        mine = {k: v for k, v in versions.items() if k[0] == contract}
        dpd = _dpd({**mine, "_c": contract}, by_contract[contract], month_end)
        floor = 0 if dpd == 0 else 1 if dpd <= 90 else 2 if dpd <= 270 else 3 if dpd <= 360 else 4
        assert RISK_CLASSES.index(cls) > floor, (contract, month, dpd, cls)


def test_collections_include_non_compliant_contacts(frames: dict[str, pd.DataFrame]) -> None:
    col = frames["collections"]
    ts = pd.to_datetime(col.action_time)
    outside = (ts.dt.time < time(8, 0)) | (ts.dt.time > time(21, 0))
    assert outside.any() and outside.mean() < 0.02
    per_day = col.groupby([col.contract_id, ts.dt.date]).size()
    assert (per_day > 3).any()
    assert (col.counterparty_role == "other").any()
    agency = col[col.channel == "agency"].groupby("contract_id").action_time.min()
    letters = col[(col.channel == "letter") & (col.counterparty_role == "lessee")]
    first_letter = letters.groupby("contract_id").action_time.min()
    notified = first_letter.reindex(agency.index).lt(agency)
    assert notified.any() and (~notified).any()
    assert set(col.channel) == {"phone", "sms", "letter", "visit", "agency", "legal"}


def test_warnings_tend_to_precede_defaults(frames: dict[str, pd.DataFrame]) -> None:
    """Signals follow the lessees' hidden risk (docs/demo.md), which also drives defaults: in the
    12 months before a written-off contract's first collection action its lessee had several
    times as many medium or high signals as a lessee never in arrears has in a year on the book
    (signals are not planted before defaults, and they go on while the lessee is on the book)."""
    contracts = frames["contracts"].set_index("contract_id")
    col = frames["collections"]
    first_action = pd.to_datetime(col.groupby("contract_id").action_time.min().str[:10])
    written_off = frames["writeoffs"].contract_id
    lessees = contracts.lessee_id[written_off]
    signals = frames["warning_signals"]
    serious = signals[signals.severity != "low"]
    serious_day = pd.to_datetime(serious.signal_date)
    before = [
        int(
            (
                (serious.lessee_id == contracts.lessee_id[c])
                & (serious_day < first_action[c])
                & (serious_day >= first_action[c] - pd.DateOffset(months=12))
            ).sum()
        )
        for c in written_off
    ]
    assert len(before) >= 10
    calm = sorted(set(frames["lessees"].lessee_id) - set(contracts.lessee_id[col.contract_id]))
    since = pd.to_datetime(contracts.groupby("lessee_id").start_date.min()[calm])
    years = ((pd.Timestamp("2026-10-31") - since).dt.days / 365.25).sum()
    calm_per_year = serious.lessee_id.isin(calm).sum() / years
    assert sum(before) / len(before) > 3 * calm_per_year
    assert sum(b > 0 for b in before) / len(before) > 0.3
    # Statements of lessees that defaulted are weaker than the others'.
    fin = frames["lessee_financials"]
    margin = cents(fin.net_profit) / cents(fin.revenue).clip(lower=1)
    bad = fin.lessee_id.isin(set(lessees))
    assert margin[bad].mean() < margin[~bad].mean()


def test_the_book_has_every_feature(frames: dict[str, pd.DataFrame]) -> None:
    assert set(frames["restructurings"].restructure_type) >= {"extension", "grace_period"}
    assert set(frames["contracts"]["product"]) == {"direct_lease", "sale_leaseback", "loan"}
    lessees = frames["lessees"]
    assert set(lessees.lessee_type) == {"corporate", "individual"}
    assert (lessees.group_id != "").any() and (lessees.related_party == "true").any()
    individual = lessees[lessees.lessee_type == "individual"]
    assert individual.id_number.str.fullmatch(r"\d{17}[\dX]").all()
    assert re.fullmatch(r"[\u4e00-\u9fff]{2,3}", individual.name.iloc[0])
    for name in ("guarantors", "inspections", "device_events", "warning_signals"):
        assert len(frames[name]) > 0, name
    fin = frames["lessee_financials"]
    assert (cents(fin.net_profit) < 0).any()
    company = frames["company_financials"]
    assert len(company) == 48 and company.month_end.iloc[-1] == "2026-10-31"
    # Provisions exist for most, not all, open contract-months of the last year.
    provided = frames["provisions"].contract_id.nunique()
    assert 0.5 * len(frames["contracts"]) < provided < len(frames["contracts"])


def test_some_contracts_prepay_in_full(frames: dict[str, pd.DataFrame]) -> None:
    s = frames["schedule"]
    first = s[(s.valid_from == "") & (s.valid_to == "")]
    owed = (cents(first.principal_due) + cents(first.interest_due)).groupby(first.contract_id).sum()
    last_due = first.groupby("contract_id").due_date.max()
    r = frames["receipts"]
    paid = cents(r.amount).groupby(r.contract_id).sum().reindex(owed.index, fill_value=0)
    last_paid = r.groupby("contract_id").received_date.max().reindex(owed.index)
    early = (paid >= owed) & (last_paid < last_due)
    assert early.sum() >= 10
    assert (paid <= owed + 50_000).all()  # overpayment, when any, is small


def test_store_keeps_running_sums_when_it_grows() -> None:
    import numpy as np

    from warehouse.demo.schedules import Store

    store = Store(np.arange(3), np.array([100, 100, 100]), np.array([10, 10, 10]), spare=0)
    at = store.append(np.arange(4), np.array([50, 50, 0, 50]), np.array([5, 5, 5, 5]))
    assert at == 3 and store.size == 7
    assert list(store.g0[:8]) == [0, 110, 220, 330, 385, 440, 445, 500]
    j, out = store.position(np.array([0, 3]), np.array([3, 4]), np.array([115, 60]))
    assert list(j) == [1, 4] and list(out) == [200, 100]  # interest first, then principal


def test_groups_are_named_and_their_members_share_the_brand(
    frames: dict[str, pd.DataFrame],
) -> None:
    """Every lessee of a group carries the one name of its group (…集团有限公司), whose first
    word is the brand its corporate members' names carry after the region; no group, no name."""
    lessees = frames["lessees"].fillna("")
    grouped = lessees[lessees.group_id != ""]
    assert (lessees[lessees.group_id == ""].group_name == "").all()
    names = grouped.groupby("group_id").group_name.unique()
    assert all(len(n) == 1 and n[0].endswith("集团有限公司") for n in names)
    for name, member in zip(grouped.group_name, grouped.name, strict=True):
        if member.endswith("有限公司"):  # a corporate member: region, brand, word, trade
            assert name[:2] in member, (name, member)
