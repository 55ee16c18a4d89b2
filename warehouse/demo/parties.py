"""The people and companies: the lessees table and the guarantors table."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from warehouse.demo import columns as col
from warehouse.demo import reference as ref
from warehouse.demo.book import CORPORATE, Book, person_names

USCC_CHARS = np.frombuffer(b"0123456789ABCDEFGHJKLMNPQRTUWXY", dtype=np.uint8)
USCC_WEIGHTS = np.array([pow(3, i, 31) for i in range(17)], dtype=np.int64)
ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
ID_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (np.asarray(values, dtype=np.int64)[:, None] // powers) % 10


def credit_codes(rng: np.random.Generator, region_codes: np.ndarray) -> pa.Array:
    """Unified social credit codes (GB 32100): 91 + region + organisation code + check char."""
    n = len(region_codes)
    idx = np.empty((n, 18), dtype=np.int64)
    idx[:, 0], idx[:, 1] = 9, 1
    idx[:, 2:8] = _digits(region_codes, 6)
    idx[:, 8:17] = rng.integers(0, 31, (n, 9))
    check = 31 - (idx[:, :17] @ USCC_WEIGHTS) % 31
    idx[:, 17] = np.where(check == 31, 0, check)
    return col.chars(USCC_CHARS[idx])


def resident_ids(
    rng: np.random.Generator, region_codes: np.ndarray, birth_days: np.ndarray
) -> pa.Array:
    """18-digit resident ID numbers (GB 11643) with a valid ISO 7064 check character."""
    n = len(region_codes)
    birth = np.asarray(birth_days).astype("datetime64[D]")
    y = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    m = birth.astype("datetime64[M]").astype(np.int64) % 12 + 1
    d = (birth - birth.astype("datetime64[M]")).astype(np.int64) + 1
    digits = np.empty((n, 17), dtype=np.int64)
    digits[:, :6] = _digits(region_codes, 6)
    digits[:, 6:14] = _digits(y * 10000 + m * 100 + d, 8)
    digits[:, 14:17] = _digits(rng.integers(0, 1000, n), 3)
    out = np.empty((n, 18), dtype=np.uint8)
    out[:, :17] = digits + 48
    out[:, 17] = ID_CHECK[(digits @ ID_WEIGHTS) % 11]
    return col.chars(out)


def company_names(rng: np.random.Generator, book: Book) -> pa.Array:
    """Names like 苏州恒泰精密机械有限公司; members of a group share its brand word."""
    nl = len(book.l_type)
    words = len(ref.COMPANY_WORDS)
    brand = np.where(book.l_group >= 0, book.l_group % words, rng.integers(0, words, nl))
    second = rng.integers(0, words, nl)
    trade = col.pick_in_groups(rng, [r[3] for r in ref.INDUSTRIES], book.l_industry)
    return col.join(
        col.pick([r[1] for r in ref.REGIONS], book.l_region),
        col.pick(ref.COMPANY_WORDS, brand),
        col.pick(ref.COMPANY_WORDS, second),
        trade,
        "有限公司",
    )


GROUP_SUFFIXES = ("集团有限公司", "控股集团有限公司", "实业集团有限公司")


def group_names(groups: int) -> list[str]:
    """Names like 恒泰华鑫控股集团有限公司 for groups 0 … `groups` − 1: group g's brand word is
    the one its members' names share (`company_names`); a second word and the suffix follow
    from g alone (no random draw, so the rest of the demo is unchanged); unique up to 3,780
    groups, beyond which the code tells two namesakes apart."""
    words = ref.COMPANY_WORDS
    n = len(words)
    pairs = n * (n - 1)  # brand, then another word (never the brand again)
    return [
        f"{words[g % n]}{words[(g % n + 1 + (g // n) % (n - 1)) % n]}"
        f"{GROUP_SUFFIXES[(g // pairs) % len(GROUP_SUFFIXES)]}"
        for g in range(groups)
    ]


def lessee_ids(count: int) -> pa.Array:
    """Lessee ids L00000001 …"""
    return col.ids("L", np.arange(1, count + 1), 8)


def lessees_table(rng: np.random.Generator, book: Book) -> pa.Table:
    """The lessees table in registry column order."""
    nl = len(book.l_type)
    corp = book.l_type == CORPORATE
    region_codes = np.array([int(r[0]) for r in ref.REGIONS], dtype=np.int64)[book.l_region]
    birth = rng.integers(-1800, 11000, nl)  # born about 1965 .. 2000
    name = pa.chunked_array([company_names(rng, book)]).combine_chunks()
    people = person_names(rng, nl)
    id_corp = credit_codes(rng, region_codes)
    id_person = resident_ids(rng, region_codes, birth)
    is_corp = pa.array(corp)
    groups = int(book.l_group.max()) + 1 if nl else 0
    return pa.table(
        {
            "lessee_id": lessee_ids(nl),
            "name": pc.if_else(is_corp, name, people),
            "lessee_type": col.pick(("corporate", "individual"), book.l_type),
            "id_number": pc.if_else(is_corp, id_corp, id_person),
            "industry": col.pick([r[0] for r in ref.INDUSTRIES], book.l_industry),
            "region": col.pick([r[0] for r in ref.REGIONS], book.l_region),
            "group_id": col.pick(
                [f"GRP{i:06d}" for i in range(groups)] or ["GRP000000"],
                np.maximum(book.l_group, 0),
                book.l_group >= 0,
            ),
            "group_name": col.pick(
                group_names(groups) or ["—"], np.maximum(book.l_group, 0), book.l_group >= 0
            ),
            "related_party": pa.array(book.l_related),
        }
    )


def guarantors_table(
    rng: np.random.Generator, book: Book, contract_ids: pa.Array
) -> tuple[pa.Table, np.ndarray]:
    """Guarantors (a lessee-level one shared by its contracts, sometimes a second one), and
    whether each contract has any."""
    nl = len(book.l_type)
    corp = book.l_type == CORPORATE
    has = rng.random(nl) < np.where(corp, 0.55, 0.30)
    second = has & (rng.random(nl) < 0.15)
    g_corp = corp & (rng.random(nl) < 0.6)  # companies are guaranteed by a parent or a shareholder
    slot = np.concatenate([np.flatnonzero(has), np.flatnonzero(second)])
    kind = np.concatenate([np.where(g_corp[has], 0, 1), np.ones(second.sum(), dtype=np.int64)])
    gid = np.arange(1, len(slot) + 1)
    g_of_lessee = np.full((2, nl), -1, dtype=np.int64)
    g_of_lessee[0, np.flatnonzero(has)] = np.arange(has.sum())
    g_of_lessee[1, np.flatnonzero(second)] = has.sum() + np.arange(second.sum())
    rows_c, rows_g = [], []
    for k in range(2):
        g = g_of_lessee[k, book.lessee]
        keep = np.flatnonzero(g >= 0)
        rows_c.append(keep)
        rows_g.append(g[keep])
    c = np.concatenate(rows_c)
    g = np.concatenate(rows_g)
    order = np.lexsort((g, c))
    c, g = c[order], g[order]
    cities = [r[1] for r in ref.REGIONS]
    names = col.join(
        col.pick(cities, book.l_region[slot]),
        col.pick(ref.COMPANY_WORDS, rng.integers(0, len(ref.COMPANY_WORDS), len(slot))),
        "投资控股有限公司",
    )
    names = pc.if_else(pa.array(kind == 0), names, person_names(rng, len(slot)))
    has = np.zeros(book.size, dtype=bool)
    has[c] = True
    table = pa.table(
        {
            "contract_id": contract_ids.take(pa.array(c)),
            "guarantor_id": col.ids("G", gid[g], 8),
            "name": names.take(pa.array(g)),
            "guarantor_type": col.pick(("corporate", "individual"), kind[g]),
        }
    )
    return table, has
