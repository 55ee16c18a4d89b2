"""The book itself: lessees, contracts and guarantors, drawn from the latent risk drivers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from warehouse.demo import columns as col
from warehouse.demo import reference as ref
from warehouse.demo import risk
from warehouse.demo.calendar import Calendar

TERMS = np.array([12, 18, 24, 36, 48, 60], dtype=np.int32)
CORP_TERM_P = (0.05, 0.05, 0.20, 0.35, 0.20, 0.15)
INDIV_TERM_P = (0.15, 0.15, 0.35, 0.30, 0.05, 0.0)
MANAGERS_PER_BRANCH = 24
CORPORATE, INDIVIDUAL = 0, 1


@dataclass
class Book:
    """Lessee-level and contract-level attribute arrays (contract arrays in contract-id order)."""

    # lessees
    l_type: np.ndarray  # int8: 0 corporate, 1 individual
    l_grade: np.ndarray
    l_industry: np.ndarray  # index into reference.INDUSTRIES, individuals in section G
    l_region: np.ndarray
    l_group: np.ndarray  # -1 when not in a group
    l_related: np.ndarray
    # contracts
    lessee: np.ndarray  # int32 lessee index
    product: np.ndarray  # int8 index into extract_spec.PRODUCTS
    asset: np.ndarray  # int16 index into asset_names
    start: np.ndarray  # int32 day number
    start_month: np.ndarray
    due_day: np.ndarray  # the day of month installments fall due (the start day, at most 28)
    principal: np.ndarray  # int64 cents
    rate: np.ndarray  # float64 annual rate
    term: np.ndarray  # int32 months
    freq: np.ndarray  # int32 months between installments: 1 or 3
    method: np.ndarray  # int8: 0 equal installment 等额本息, 1 equal principal 等额本金
    branch: np.ndarray
    manager: np.ndarray
    asset_names: tuple[str, ...]

    @property
    def size(self) -> int:
        """Number of contracts."""
        return len(self.lessee)


def _industry_index(letter: str) -> int:
    return next(i for i, row in enumerate(ref.INDUSTRIES) if row[0] == letter)


def _lessees(rng: np.random.Generator, contracts: int) -> tuple[np.ndarray, ...]:
    """Lessee types and the number of contracts each holds, adding up to `contracts`."""
    n = contracts
    l_type = (rng.random(n) >= 0.38).astype(np.int8)
    corp_count = np.minimum(rng.geometric(0.55, n), 8)
    indiv_count = 1 + (rng.random(n) < 0.15) + (rng.random(n) < 0.03)
    count = np.where(l_type == CORPORATE, corp_count, indiv_count).astype(np.int64)
    last = int(np.searchsorted(np.cumsum(count), contracts))
    count = count[: last + 1]
    count[-1] -= count.sum() - contracts
    return l_type[: last + 1], count


def draw_book(
    rng: np.random.Generator, contracts: int, cal: Calendar, first: int, last: int
) -> Book:
    """Draw lessees and contracts starting in months first..last."""
    l_type, count = _lessees(rng, contracts)
    nl = len(l_type)
    corp = l_type == CORPORATE
    grade = np.where(
        corp,
        rng.choice(risk.GRADES, nl, p=risk.CORPORATE_GRADE_P),
        rng.choice(risk.GRADES, nl, p=risk.INDIVIDUAL_GRADE_P),
    ).astype(np.int8)
    ind_p = np.array([row[1] for row in ref.INDUSTRIES])
    industry = np.where(
        corp, rng.choice(len(ref.INDUSTRIES), nl, p=ind_p / ind_p.sum()), _industry_index("G")
    ).astype(np.int16)
    reg_p = np.array(ref.REGION_WEIGHTS)
    region = rng.choice(len(ref.REGIONS), nl, p=reg_p / reg_p.sum()).astype(np.int16)
    in_group = corp & (rng.random(nl) < 0.25)
    members = np.flatnonzero(in_group)
    group = np.full(nl, -1, dtype=np.int32)
    group[members] = np.sort(rng.integers(0, max(len(members) // 4, 1), len(members)))
    related = corp & (rng.random(nl) < 0.015)

    lessee = np.repeat(np.arange(nl, dtype=np.int32), count)
    n = contracts
    c_corp = corp[lessee]
    # Origination grows about 2% a month, with a burst in the loose-underwriting months.
    months = np.arange(first, last + 1)
    weight = 1.02 ** (months - first) * risk.vintage(months, first, last)
    start_month = rng.choice(months, n, p=weight / weight.sum()).astype(np.int32)
    due_day = rng.integers(1, 29, n).astype(np.int32)
    start = cal.day(start_month, due_day)

    product = np.where(
        c_corp,
        rng.choice(3, n, p=(0.40, 0.55, 0.05)),
        rng.choice(3, n, p=(0.85, 0.10, 0.05)),
    ).astype(np.int8)
    asset_names, asset = _assets(rng, industry[lessee], c_corp)
    size = np.where(c_corp, rng.lognormal(np.log(6e8), 1.0, n), rng.lognormal(np.log(3e7), 0.5, n))
    principal = (np.clip(size, 5e6, 3e10) // 100 * 100).astype(np.int64)
    g = grade[lessee]
    rate = np.where(c_corp, 0.045 + 0.006 * g, 0.075 + 0.01 * g) + rng.normal(0, 0.004, n)
    rate = np.round(np.clip(rate, 0.035, 0.18), 4)
    term = np.where(
        c_corp, rng.choice(TERMS, n, p=CORP_TERM_P), rng.choice(TERMS, n, p=INDIV_TERM_P)
    ).astype(np.int32)
    freq = np.where(c_corp & (rng.random(n) < 0.4), 3, 1).astype(np.int32)
    method = (rng.random(n) < np.where(c_corp, 0.35, 0.15)).astype(np.int8)
    prov_branch = np.array([ref.BRANCH_OF_PROVINCE[r[0][:2]] for r in ref.REGIONS], dtype=np.int16)
    branch = prov_branch[region[lessee]]
    manager = (branch * MANAGERS_PER_BRANCH + rng.integers(0, MANAGERS_PER_BRANCH, n)).astype(
        np.int32
    )

    # Contract numbers run in order of signing.
    order = np.argsort(start, kind="stable")
    return Book(
        l_type=l_type,
        l_grade=grade,
        l_industry=industry,
        l_region=region,
        l_group=group,
        l_related=related,
        lessee=lessee[order],
        product=product[order],
        asset=asset[order],
        start=start[order],
        start_month=start_month[order],
        due_day=due_day[order],
        principal=principal[order],
        rate=rate[order],
        term=term[order],
        freq=freq[order],
        method=method[order],
        branch=branch[order],
        manager=manager[order],
        asset_names=asset_names,
    )


def _assets(
    rng: np.random.Generator, industry: np.ndarray, corp: np.ndarray
) -> tuple[tuple[str, ...], np.ndarray]:
    """Asset category per contract: by industry for companies, vehicles for individuals."""
    names = list(ref.INDIVIDUAL_ASSETS)
    first_of = []
    for row in ref.INDUSTRIES:
        first_of.append(len(names))
        names.extend(row[4])
    counts = np.array([len(row[4]) for row in ref.INDUSTRIES])
    corp_asset = np.asarray(first_of)[industry] + (rng.random(len(industry)) * counts[industry])
    indiv = rng.choice(len(ref.INDIVIDUAL_ASSETS), len(industry), p=ref.INDIVIDUAL_ASSET_WEIGHTS)
    return tuple(names), np.where(corp, corp_asset.astype(np.int64), indiv).astype(np.int16)


def person_names(rng: np.random.Generator, n: int) -> pa.Array:
    """Chinese personal names such as 张伟 or 王秀英."""
    surname = col.pick(ref.SURNAMES, rng.integers(0, len(ref.SURNAMES), n))
    first = col.pick(ref.GIVEN_CHARS, rng.integers(0, len(ref.GIVEN_CHARS), n))
    two = rng.random(n) < 0.6
    second = col.pick((*ref.GIVEN_CHARS, ""), np.where(two, rng.integers(0, 32, n), 32))
    return col.join(surname, first, second)


def contracts_table(
    rng: np.random.Generator, book: Book, contract_ids: pa.Array, lessee_ids: pa.Array
) -> pa.Table:
    """The contracts table in registry column order."""
    staff = person_names(rng, len(ref.BRANCHES) * MANAGERS_PER_BRANCH)
    return pa.table(
        {
            "contract_id": contract_ids,
            "lessee_id": lessee_ids.take(pa.array(book.lessee)),
            "product": col.pick(("direct_lease", "sale_leaseback", "loan"), book.product),
            "asset_category": col.pick(book.asset_names, book.asset),
            "start_date": col.dates(book.start),
            "principal": col.money(book.principal),
            "annual_rate": pa.array(book.rate),
            "term_months": pa.array(book.term),
            "branch": col.pick(ref.BRANCHES, book.branch),
            "account_manager": staff.take(pa.array(book.manager)),
        }
    )
