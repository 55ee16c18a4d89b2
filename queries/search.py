"""Find a contract by its number, its lessee's name or ID number, within the user's rights.

The text a user types is hostile: it is cleaned (control and format characters dropped, length
capped), matched only through bound parameters, and LIKE wildcards in it (`%`, `_`, the escape
character) match themselves. What may be matched depends on the role:

- everyone: the contract number (part of it, case-insensitive);
- `personal=True` (roles that see personal data, `dashboard.access.user.sees_personal_data`): any
  lessee's name (part of it) and ID number (the whole number, case-insensitive);
- `personal=False`: corporate lessees' names only, never an ID number, so the search cannot
  confirm an individual's name or ID that the role would see masked.

Every statement carries the branch scope (`Filters.scope`); results are at most `MAX_RESULTS`
rows, contracts whose number matches exactly first. Lessee names are returned as `lessee_name`
with `lessee_type`, so the dashboard masks them for roles without personal data.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.execute import fetch_frame
from queries.filters import Filters, scope_clause
from warehouse import schema

MAX_TEXT = 64
MIN_TEXT = 1
MAX_RESULTS = 20
MAX_IDS = 200
ESCAPE = "!"
CORPORATE = "corporate"


def clean_text(text: object) -> str:
    """The searchable part of `text`: control/format characters dropped, trimmed, capped."""
    kept = "".join(
        ch for ch in str(text or "") if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co"}
    )
    return " ".join(kept.split())[:MAX_TEXT]


def like_pattern(text: str) -> str:
    """`%text%` (lower case) with LIKE's wildcards in `text` escaped by `ESCAPE`."""
    escaped = text.lower()
    for special in (ESCAPE, "%", "_"):
        escaped = escaped.replace(special, ESCAPE + special)
    return f"%{escaped}%"


def _contracts_and_lessees() -> tuple[sa.Table, sa.Table, sa.Select]:
    k, les = schema.contracts, schema.lessees
    stmt = sa.select(
        k.c.contract_id,
        les.c.name.label("lessee_name"),
        les.c.lessee_type,
        k.c.branch,
        k.c.product,
        k.c.start_date,
    ).select_from(k.join(les, les.c.lessee_id == k.c.lessee_id))
    return k, les, stmt


def search_statement(filters: Filters, text: str, personal: bool) -> sa.Select:
    """Contracts matching `text` (already cleaned) in the scope, best matches first."""
    k, les, stmt = _contracts_and_lessees()
    pattern = like_pattern(text)
    matches = [sa.func.lower(k.c.contract_id).like(pattern, escape=ESCAPE)]
    name = sa.func.lower(les.c.name).like(pattern, escape=ESCAPE)
    if personal:
        matches += [name, sa.func.lower(les.c.id_number) == text.lower()]
    else:
        matches.append(sa.and_(les.c.lessee_type == CORPORATE, name))
    clauses = [sa.or_(*matches)]
    scoped = scope_clause(filters.scope, k)
    if scoped is not None:
        clauses.append(scoped)
    exact = sa.case((sa.func.lower(k.c.contract_id) == text.lower(), 0), else_=1)
    return stmt.where(*clauses).order_by(exact, k.c.contract_id).limit(MAX_RESULTS + 1)


def search(
    engine: Engine, filters: Filters, text: str = "", personal: bool = False
) -> pd.DataFrame:
    """Up to `MAX_RESULTS` + 1 contracts matching `text` (the extra row says there are more).

    Columns: contract_id, lessee_name, lessee_type, branch, product, start_date. Text shorter
    than `MIN_TEXT` once cleaned finds nothing.
    """
    cleaned = clean_text(text)
    if len(cleaned) < MIN_TEXT:
        return fetch_frame(engine, search_statement(filters, cleaned, personal).where(sa.false()))
    return fetch_frame(engine, search_statement(filters, cleaned, personal))


def listed(engine: Engine, filters: Filters, contract_ids: Sequence[str] = ()) -> pd.DataFrame:
    """The contracts among `contract_ids` (at most `MAX_IDS`) that lie in the scope, by id."""
    k, _, stmt = _contracts_and_lessees()
    ids = [str(c)[:MAX_TEXT] for c in list(contract_ids)[:MAX_IDS]]
    clauses = [k.c.contract_id.in_(ids)]
    scoped = scope_clause(filters.scope, k)
    if scoped is not None:
        clauses.append(scoped)
    return fetch_frame(engine, stmt.where(*clauses).order_by(k.c.contract_id))
