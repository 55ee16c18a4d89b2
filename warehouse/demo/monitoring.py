"""Early-warning material: inspections, IoT device events and warning signals.

Each follows the lessee's hidden risk z of its month (`risk.Latent`, docs/demo.md), with noise:
bad inspection findings and worried notes, device events (more offline and idle time), and tax,
court, social-security and other signals grow more frequent and more severe as z rises. A lessee
whose z rises is also more likely to default, so the material tends to precede defaults without
being placed by them. Site visits follow a contract's first month past due, third-party visits its
first month over 30 DPD.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from warehouse.demo import columns as col
from warehouse.demo import reference as ref
from warehouse.demo import risk
from warehouse.demo.book import CORPORATE, Book
from warehouse.demo.calendar import Calendar
from warehouse.demo.history import NEVER, spread
from warehouse.extract_spec import ASSET_STATUSES, DEVICE_EVENT_TYPES, SIGNAL_SOURCES

SITE_VISIT = 0.5  # share of contracts past due that get a site visit that month or the next
DEVICE_BACKGROUND, DEVICE_STRESSED = 0.03, 0.8  # device events a month: calm, in distress
SIGNAL_BACKGROUND, SIGNAL_STRESSED = 0.006, 0.35  # signals a lessee-month: calm, in distress
DAY = 86_400


def _months_between(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """A month drawn uniformly from lo..hi (inclusive) for each item."""
    return (lo + (rng.random(len(lo)) * (hi - lo + 1)).astype(np.int64)).astype(np.int32)


def inspections_table(
    rng: np.random.Generator,
    book: Book,
    cal: Calendar,
    latent: risk.Latent,
    first_late: np.ndarray,
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
    late = np.flatnonzero(first_late != NEVER)
    site = late[rng.random(len(late)) < SITE_VISIT]
    site_month = np.minimum(first_late[site] + rng.integers(0, 2, len(site)), last_open[site])
    defaulted = np.flatnonzero(anchor != NEVER)
    third = defaulted[
        (rng.random(len(defaulted)) < 0.3) & (anchor[defaulted] < last_open[defaulted])
    ]
    third_month = _months_between(rng, anchor[third] + 1, last_open[third])
    c = np.concatenate([owner, site, third])
    month = np.concatenate([month, site_month, third_month]).astype(np.int64)
    kind = np.concatenate([kind, np.ones(len(site), np.int64), np.full(len(third), 2)])
    z = latent.at(month, book.lessee[c])
    u = rng.random(len(c))
    bad = rng.choice(np.arange(1, len(ASSET_STATUSES)), len(c), p=(0.35, 0.2, 0.15, 0.1, 0.2))
    status = np.where(u < 0.02 + 0.6 * risk.sigmoid(2.5 * (z - 1.8)), bad, 0)
    worried = (status == 0) & (rng.random(len(c)) < 0.7 * risk.sigmoid(3.0 * (z - 1.5)))
    day = cal.day(month, rng.integers(1, 29, len(c)))
    order = np.lexsort((c, day))
    c, day, kind, status, worried = (a[order] for a in (c, day, kind, status, worried))
    notes = col.pick_in_groups(
        rng,
        [*(ref.INSPECTION_NOTES[s] for s in ASSET_STATUSES), ref.WORRIED_NOTES],
        np.where(worried, len(ASSET_STATUSES), status),
    )
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
    latent: risk.Latent,
    last_open: np.ndarray,
    contract_ids: pa.Array,
) -> pa.Table:
    """IoT events from vehicles and some equipment: sparse background, more (offline and idle
    above all) as the lessee's hidden risk rises."""
    vehicle = book.asset < len(ref.INDIVIDUAL_ASSETS)
    fitted = np.flatnonzero(rng.random(book.size) < np.where(vehicle, 0.8, 0.15))
    owner, rank = spread(np.maximum(last_open[fitted] - book.start_month[fitted] + 1, 0))
    cm = fitted[owner]
    cm_month = book.start_month[cm] + rank
    z = latent.at(cm_month, book.lessee[cm])
    stressed = risk.sigmoid(3.0 * (z - 2.0))
    count = rng.poisson(DEVICE_BACKGROUND + DEVICE_STRESSED * stressed)
    pick, _ = spread(count)
    c, month = cm[pick], cm_month[pick]
    worse = rng.random(len(c)) < stressed[pick]
    del owner, rank, cm, cm_month, z, stressed, count, pick
    n = len(c)
    day = np.maximum(cal.day(month, rng.integers(1, 29, n)), book.start[c]).astype(np.int64)
    secs = day * DAY + rng.integers(0, DAY, n)
    kind = np.where(
        worse,
        rng.choice(len(DEVICE_EVENT_TYPES), n, p=(0.45, 0.1, 0.15, 0.3)),
        rng.choice(len(DEVICE_EVENT_TYPES), n, p=(0.35, 0.2, 0.25, 0.2)),
    )
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
    latent: risk.Latent,
    last_open: np.ndarray,
    first: int,
    contract_ids: pa.Array,
    lessee_ids: pa.Array,
) -> pa.Table:
    """Warning signals on each lessee while it has a contract on the book: a low background, more
    often and more severe as its hidden risk rises; IoT and internal ones name its first
    contract."""
    nl = len(book.l_type)
    first_contract = np.full(nl, book.size, dtype=np.int64)
    np.minimum.at(first_contract, book.lessee, np.arange(book.size))
    since = np.maximum(book.start_month[first_contract], first)
    until = np.zeros(nl, dtype=np.int64)
    np.maximum.at(until, book.lessee, last_open)
    owner, rank = spread(np.maximum(until - since + 1, 0))
    lm_month = since[owner] + rank
    z = latent.at(lm_month, owner)
    count = rng.poisson(SIGNAL_BACKGROUND + SIGNAL_STRESSED * risk.sigmoid(4.0 * (z - 1.2)))
    pick, _ = spread(count)
    lessee, month, z = owner[pick], lm_month[pick], z[pick]
    del owner, rank, lm_month, count, pick
    contract = first_contract[lessee]
    n = len(lessee)
    source = rng.choice(len(SIGNAL_SOURCES), n)
    u = rng.random(n)
    high = risk.sigmoid(3.0 * (z - 1.5))
    medium = 0.2 + 0.6 * risk.sigmoid(3.0 * (z - 0.8))
    severity = np.where(u < high, 2, np.where(u < high + (1 - high) * medium, 1, 0))
    own = np.isin(source, (SIGNAL_SOURCES.index("iot"), SIGNAL_SOURCES.index("internal")))
    with_contract = own
    day = np.maximum(cal.day(month, rng.integers(1, 29, n)), book.start[contract])
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
