"""The audit trail: one append-only row per sensitive action, written in the acting transaction."""

from __future__ import annotations

import json
from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from warehouse.portal import append_only, portal_metadata, utc_now

# What an audit row may record; `record` refuses anything else so the trail stays searchable.
ACTIONS: frozenset[str] = frozenset(
    {
        "sign_in",
        "sign_in_failed",
        "sign_out",
        "locked_out",
        "session_expired",
        "access_denied",
        "page_view",
        "dossier_view",
        "download",
        "export",
        "load",
        "check_run",
        "filing_transition",
        "decision",
        "user_admin",
    }
)

audit_events = append_only(
    sa.Table(
        "audit_events",
        portal_metadata,
        sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False, comment="UTC"),
        sa.Column("actor", sa.String(64), nullable=False, comment="username, or 'system'"),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", sa.String(200), nullable=False, default=""),
        sa.Column("details", sa.Text, nullable=False, default="{}", comment="JSON"),
        sa.Column("row_count", sa.Integer, nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        comment="append-only audit trail",
    )
)


def _storable(text: str) -> str:
    """Text as given but NUL as `␀`: PostgreSQL text cannot hold NUL (JSON details escape it)."""
    return text.replace("\x00", "\u2400")


def record(
    bind: Engine | Connection,
    *,
    actor: str,
    action: str,
    target: str = "",
    details: Mapping[str, object] | None = None,
    row_count: int | None = None,
    sha256: str | None = None,
) -> None:
    """Append one audit row; on a Connection it joins that connection's transaction."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    row = {
        "at": utc_now(),
        "actor": _storable(actor)[:64],
        "action": action,
        "target": _storable(target)[:200],
        "details": json.dumps(dict(details or {}), ensure_ascii=False, sort_keys=True, default=str),
        "row_count": row_count,
        "sha256": sha256,
    }
    if isinstance(bind, Connection):
        bind.execute(audit_events.insert().values(**row))
        return
    with bind.begin() as conn:
        conn.execute(audit_events.insert().values(**row))
