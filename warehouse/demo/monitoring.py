"""Early-warning material: inspections, IoT device events and warning signals.

Bad inspection findings, bursts of device events and warning signals cluster in the months
before a contract's first month-end over 30 DPD (its default anchor), so they tend to precede it.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from warehouse.demo import columns as col
from warehouse.demo import reference as ref
from warehouse.demo.book import CORPORATE, Book
from warehouse.demo.calendar import Calendar
from warehouse.demo.history import NEVER, spread
from warehouse.extract_spec import ASSET_STATUSES, DEVICE_EVENT_TYPES, SIGNAL_SOURCES

LEAD = 6  # months before the default anchor in which precursors appear
DAY = 86_400


def _months_between(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """A month drawn uniformly from lo..hi (inclusive) for each item."""
    return (lo + (rng.random(len(lo)) * (hi - lo + 1)).astype(np.int64)).astype(np.int32)


def _precursor_months(
    rng: np.random.Generator, anchor: np.ndarray, start: np.ndarray, lead: int = LEAD
) -> np.ndarray:
    """A month in the `lead` months before each anchor, not before the contract starts."""
    lo = np.maximum(anchor - lead, start)
    return _months_between(rng, lo, np.maximum(anchor - 1, lo))


def inspections_table(
    rng: np.random.Generator,
    book: Book,
    cal: Calendar,
    anchor: np.ndarray,
    last_open: np.ndarray,
    contract_ids: pa.Array,
) -> pa.Table:
    """Routine inspections every 6 (companies) or 12 months, plus site and third-party visits."""
    corp = book.l_type[book.lessee] == CORPORATE
    period = np.where(corp, 6, 12)
    routine = np.where(
        corp | (rng.random(book.size) < 0.3), (last_open - book.start_month) // period, 0
    )
    owner, rank = spread(np.maximum(routine, 0))
    month = book.start_month[owner] + (rank + 1) * period[owner]
    kind = np.zeros(len(owner), dtype=np.int64)
    defaulted = np.flatnonzero(anchor != NEVER)
    site = defaulted[rng.random(len(defaulted)) < 0.6]
    site_month = _precursor_months(rng, anchor[site], book.start_month[site] + 1, 3)
    third = defaulted[
        (rng.random(len(defaulted)) < 0.3) & (anchor[defaulted] < last_open[defaulted])
    ]
    third_month = _months_between(rng, anchor[third] + 1, last_open[third])
    c = np.concatenate([owner, site, third])
    month = np.concatenate([month, site_month, third_month]).astype(np.int64)
    kind = np.concatenate([kind, np.ones(len(site), np.int64), np.full(len(third), 2)])
    near = (anchor[c] != NEVER) & (month >= anchor[c] - LEAD)
    u = rng.random(len(c))
    bad = rng.choice(np.arange(1, len(ASSET_STATUSES)), len(c), p=(0.35, 0.2, 0.15, 0.1, 0.2))
    status = np.where((near & (u < 0.55)) | (u < 0.03), bad, 0)
    day = cal.day(month, rng.integers(1, 29, len(c)))
    order = np.lexsort((c, day))
    c, day, kind, status = c[order], day[order], kind[order], status[order]
    notes = col.pick_in_groups(rng, [ref.INSPECTION_NOTES[s] for s in ASSET_STATUSES], status)
    return pa.table(
        {
            "inspection_id": col.ids("I", np.arange(1, len(c) + 1), 9),
            "contract_id": contract_ids.take(pa.array(c)),
            "inspection_date": col.dates(day),
            "inspection_type": col.pick(("routine", "site", "third_party"), kind),
            "asset_status": col.pick(ASSET_STATUSES, status),
            "note": pc.if_else(pa.array(rng.random(len(c)) < 0.8), notes, None),
        }
    )


def device_events_table(
    rng: np.random.Generator,
    book: Book,
    cal: Calendar,
    anchor: np.ndarray,
    last_open: np.ndarray,
    contract_ids: pa.Array,
) -> pa.Table:
    """IoT events from vehicles and some equipment: sparse background, dense before default."""
    vehicle = book.asset < len(ref.INDIVIDUAL_ASSETS)
    fitted = np.flatnonzero(rng.random(book.size) < np.where(vehicle, 0.8, 0.15))
    life = np.maximum(last_open[fitted] - book.start_month[fitted], 0)
    background = rng.poisson(0.03 * life)
    pre = np.where(anchor[fitted] != NEVER, rng.poisson(2.5, len(fitted)), 0)
    owner_b, _ = spread(background)
    owner_p, _ = spread(pre)
    cb, cp = fitted[owner_b], fitted[owner_p]
    mb = _months_between(rng, book.start_month[cb], last_open[cb])
    mp = _precursor_months(rng, anchor[cp], book.start_month[cp], 4)
    c = np.concatenate([cb, cp])
    month = np.concatenate([mb, mp])
    n = len(c)
    day = np.maximum(cal.day(month, rng.integers(1, 29, n)), book.start[c]).astype(np.int64)
    secs = day * DAY + rng.integers(0, DAY, n)
    kind = rng.choice(len(DEVICE_EVENT_TYPES), n, p=(0.35, 0.2, 0.25, 0.2))
    order = np.lexsort((c, secs))
    c, secs, kind = c[order], secs[order], kind[order]
    lat0 = np.array([r[3] for r in ref.REGIONS])[book.l_region[book.lessee[c]]]
    lon0 = np.array([r[4] for r in ref.REGIONS])[book.l_region[book.lessee[c]]]
    far = np.where(kind == 1, 1.5, 0.2)
    lat = np.round(lat0 + rng.normal(0, 1, n) * far, 6)
    lon = np.round(lon0 + rng.normal(0, 1, n) * far, 6)
    hours = np.round(np.where(kind == 3, rng.uniform(0, 2, n), rng.uniform(3, 14, n)), 1)
    online = kind != 0
    return pa.table(
        {
            "event_id": col.ids("E", np.arange(1, n + 1), 10),
            "contract_id": contract_ids.take(pa.array(c)),
            "device_id": col.ids("DEV", c + 1, 8),
            "event_time": col.timestamps(secs),
            "event_type": col.pick(DEVICE_EVENT_TYPES, kind),
            "latitude": pa.array(lat, mask=~online),
            "longitude": pa.array(lon, mask=~online),
            "run_hours": pa.array(hours, mask=~online),
        }
    )


def signals_table(
    rng: np.random.Generator,
    book: Book,
    cal: Calendar,
    anchor: np.ndarray,
    first: int,
    last: int,
    contract_ids: pa.Array,
    lessee_ids: pa.Array,
) -> pa.Table:
    """Warning signals: medium/high ones before defaults, a low background on everyone."""
    defaulted = np.flatnonzero((anchor != NEVER) & (rng.random(book.size) < 0.75))
    owner, _ = spread(rng.integers(1, 4, len(defaulted)))
    cd = defaulted[owner]
    md = _precursor_months(rng, anchor[cd], np.maximum(book.start_month[cd], first))
    nl = len(book.l_type)
    years = (last - first + 1) / 12
    owner_b, _ = spread(rng.poisson(0.04 * years, nl))
    mb = _months_between(rng, np.full(len(owner_b), first), np.full(len(owner_b), last))
    lessee = np.concatenate([book.lessee[cd], owner_b])
    contract = np.concatenate([cd, np.full(len(owner_b), -1)])
    month = np.concatenate([md, mb])
    n = len(lessee)
    pre = np.arange(n) < len(cd)
    source = rng.choice(len(SIGNAL_SOURCES), n)
    severity = np.where(
        pre, rng.choice([1, 2], n, p=(0.55, 0.45)), rng.choice([0, 1], n, p=(0.8, 0.2))
    )
    own = np.isin(source, (SIGNAL_SOURCES.index("iot"), SIGNAL_SOURCES.index("internal")))
    with_contract = own & (contract >= 0)
    day = cal.day(month, rng.integers(1, 29, n))
    day = np.where(contract >= 0, np.maximum(day, book.start[np.maximum(contract, 0)]), day)
    order = np.lexsort((lessee, day))
    lessee, contract, day, source, severity, with_contract = (
        a[order] for a in (lessee, contract, day, source, severity, with_contract)
    )
    texts = col.pick_in_groups(rng, [ref.SIGNAL_TEXT[s] for s in SIGNAL_SOURCES], source)
    return pa.table(
        {
            "signal_id": col.ids("S", np.arange(1, n + 1), 9),
            "lessee_id": lessee_ids.take(pa.array(lessee)),
            "contract_id": col.take(contract_ids, np.maximum(contract, 0), with_contract),
            "signal_date": col.dates(day),
            "source": col.pick(SIGNAL_SOURCES, source),
            "severity": col.pick(("low", "medium", "high"), severity),
            "description": texts,
        }
    )
