"""The strategy editor's tables: edited rows become a strategy (blank cells take their defaults),
the defaults survive a round trip, and a hostile note or product is refused with nothing saved
(on SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from dashboard.data.task_strategy import band_frame, trigger_frame
from tasks.strategy import (
    Band,
    StrategyError,
    body_from_rows,
    from_settings,
    parse,
    save_version,
    versions,
)
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.tasks import task_strategies
from warehouse.settings import SETTINGS, Settings

DEFAULTS = Settings({s.key: s.default for s in SETTINGS})
AT = datetime(2026, 12, 1, 1, 0, tzinfo=UTC).replace(tzinfo=None)

# As st.data_editor hands the tables back: numbers as floats, an open end as <NA>/NaN, a blank
# product and exposure as None, and a row the user added and left empty.
EDITED_BANDS = pd.DataFrame(
    {
        "dpd_from": pd.array([1, 31, None], dtype="Int64"),
        "dpd_to": pd.array([30, None, None], dtype="Int64"),
        "product": ["", None, None],
        "min_exposure": [None, "0", None],
        "step": ["notice", "litigation", None],
        "department": ["collections", "legal", None],
        "sla_days": [2.0, 20.0, float("nan")],
        "priority": [1, None, None],
    }
)
EDITED_TRIGGERS = pd.DataFrame(
    {
        "trigger": ["iot"],
        "step": ["site_inspection"],
        "department": ["operations"],
        "sla_days": pd.array([3], dtype="Int64"),
        "priority": [1],
    }
)


@pytest.fixture
def portal(db_url: str) -> Iterator[Engine]:
    engine = portal_engine(portal_url(db_url))
    yield engine
    engine.dispose()


def _rows(frame: pd.DataFrame) -> list[dict]:
    return frame.astype(object).to_dict("records")


def _count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(task_strategies)).scalar_one()


def test_edited_rows_become_the_strategy_blank_cells_taking_their_defaults() -> None:
    s = parse(body_from_rows(_rows(EDITED_BANDS), _rows(EDITED_TRIGGERS)))
    assert s.bands == (
        Band(1, 30, "*", Decimal(0), "notice", "collections", 2, 1),
        # priority left blank: 2; the open end stays open
        Band(31, None, "*", Decimal(0), "litigation", "legal", 20, 2),
    )
    assert [(r.trigger, r.step, r.department, r.sla_days, r.priority) for r in s.triggers] == [
        ("iot", "site_inspection", "operations", 3, 1)
    ]


def test_the_settings_strategy_survives_the_editors_round_trip() -> None:
    s = from_settings(DEFAULTS)
    again = parse(body_from_rows(_rows(band_frame(s)), _rows(trigger_frame(s))))
    assert again.bands == s.bands
    assert again.triggers == s.triggers


def test_a_version_saved_from_the_editor_is_listed_with_who_when_and_its_note(
    portal: Engine,
) -> None:
    body = body_from_rows(_rows(EDITED_BANDS), _rows(EDITED_TRIGGERS))
    saved = save_version(portal, body, "admin1", "  减少诉讼前的等待  ", at=AT)
    assert saved.version == 1
    [v] = versions(portal)
    assert (v.version, v.created_by, v.created_at, v.note) == (1, "admin1", AT, "减少诉讼前的等待")


@pytest.mark.parametrize(
    ("note", "product", "why"),
    [
        ("ok\x07bell", "", "control characters"),
        ("x" * 501, "", "at most 500"),
        ("ok", "<b>lease</b>", "is not '*' or a product code"),
        ("ok", "=HYPERLINK(1)", "is not '*' or a product code"),
    ],
)
def test_a_hostile_note_or_product_is_refused_and_nothing_is_saved(
    portal: Engine, note: str, product: str, why: str
) -> None:
    bands = EDITED_BANDS.copy()
    bands.loc[0, "product"] = product
    body = body_from_rows(_rows(bands), _rows(EDITED_TRIGGERS))
    with pytest.raises(StrategyError, match=re.escape(why)):
        save_version(portal, body, "admin1", note, at=AT)
    assert _count(portal) == 0
