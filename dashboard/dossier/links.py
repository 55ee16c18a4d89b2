"""Links from a finding or a failed check to the dossier of each contract it names.

The dossier page (`pages/dossier.py`, deep link `?contract=ID`) is linked only when it is
registered and the user holds one of its roles; otherwise the contract ids show as plain text.
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from dashboard.access.user import User
from dashboard.page.registry import PAGES, page_path

DOSSIER = "dossier.py"
MAX_LINKS = 20


def may_open_dossier(user: User) -> bool:
    """True when the dossier page exists and `user` may open it."""
    spec = next((p for p in PAGES if p.script == DOSSIER), None)
    return spec is not None and user.has_any(spec.roles)


def contract_links(contracts: Iterable[str], user: User) -> None:
    """One dossier link (or plain text) per contract id, at most `MAX_LINKS`."""
    linked = may_open_dossier(user)
    for contract in list(dict.fromkeys(str(c) for c in contracts))[:MAX_LINKS]:
        if linked:
            st.page_link(page_path(DOSSIER), label=contract, query_params={"contract": contract})
        else:
            st.text(contract)
