"""The alert inbox's data: the alerts a user may see, and acknowledging one (portal store)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import pandas as pd
import sqlalchemy as sa

from alerts.groups import grouped, severity
from alerts.rules import audience_of, excluded_user
from alerts.run import last_run
from alerts.store import acknowledge_alert, acknowledge_alerts, open_alerts, resolved_alerts
from dashboard.access.user import User
from dashboard.data import portal_store, source
from dashboard.delivery.words import group_ids, named_subjects
from queries.exposures import group_names
from warehouse.portal import utc_now

SNOOZE_DAYS = 7


def sees_alerts(user: User) -> bool:
    """Alerts are on whole-book figures: only a user who sees every branch gets them."""
    return user.branches is None


def _for(user: User, frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty or not sees_alerts(user):
        return frame.iloc[0:0]
    mine = [
        bool(user.roles & audience_of(r)) and excluded_user(r, s) != user.username
        for r, s in zip(frame["rule"], frame["subject"], strict=True)
    ]
    return frame[mine].reset_index(drop=True)


def inbox(user: User) -> pd.DataFrame:
    """The open alerts (firing first, then acknowledged) that `user` is in the audience of."""
    frame = _for(user, open_alerts(portal_store.portal()))
    if frame.empty:
        return frame
    order = frame["status"].map({"firing": 0, "acknowledged": 1})
    return frame.assign(_o=order).sort_values("_o", kind="stable").drop(columns="_o")


def resolved(user: User) -> pd.DataFrame:
    """The alerts `user` could see that resolved last."""
    return _for(user, resolved_alerts(portal_store.portal()))


def last_evaluation() -> dict[str, object] | None:
    """When the rules last ran, on which month-end, and which had no figure."""
    return last_run(portal_store.portal())


def acknowledge(user: User, alert_id: int, *, snooze: bool = False) -> None:
    """Acknowledge `alert_id` for good, or snooze it for `SNOOZE_DAYS` days (audited); only an
    alert in the user's own inbox (a forged id is refused)."""
    mine = inbox(user)
    if mine.empty or alert_id not in {int(a) for a in mine["alert_id"]}:
        raise ValueError(f"alert {alert_id} is not in {user.username}'s inbox")
    until = utc_now() + timedelta(days=SNOOZE_DAYS) if snooze else None
    acknowledge_alert(portal_store.portal(), alert_id, actor=user.username, until=until)


def acknowledge_group(user: User, alert_ids: Iterable[int]) -> int:
    """Acknowledge every alert of `alert_ids` at once (each audited), all or none: every one
    must be in the user's own inbox (a forged id refuses the lot); how many changed."""
    wanted = {int(a) for a in alert_ids}
    mine = inbox(user)
    held = set() if mine.empty else {int(a) for a in mine["alert_id"]}
    if not wanted or not wanted <= held:
        raise ValueError(f"alerts {sorted(wanted - held)} are not in {user.username}'s inbox")
    return acknowledge_alerts(portal_store.portal(), wanted, actor=user.username)


def _rank(row: dict) -> tuple:
    newest = -row["fired_at"].timestamp() if row.get("fired_at") is not None else 0.0
    return (
        row["status"] != "firing",
        -severity(str(row["rule"]), row["value"], row["line"]),
        newest,
        -int(row["alert_id"]),
    )


def inbox_groups(frame: pd.DataFrame) -> list[pd.DataFrame]:
    """The inbox as groups of one rule (`alerts.groups`): firing first, worst, newest; the
    groups in inbox order."""
    if frame.empty:
        return []
    rows = frame.to_dict("records")
    groups = grouped(rows, lambda r: str(r["rule"]), _rank)
    return [pd.DataFrame(members, columns=frame.columns, dtype=object) for members in groups]


def subject_names(subjects: Iterable[object]) -> dict[str, str]:
    """What to call the alert subjects that have a name in the warehouse (a group by its name
    and id); {} when the warehouse is not there to ask."""
    wanted = group_ids(subjects)
    if not wanted:
        return {}
    state = source.warehouse_state()
    if state.load is None:
        return {}
    try:
        return named_subjects(group_names(source.warehouse_engine(state.url), wanted))
    except sa.exc.SQLAlchemyError:
        return {}  # a name is a courtesy: the alert still reads by its id
