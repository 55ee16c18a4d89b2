"""The scores the build wrote (`ew_scores`): the latest scored month-end's, riskiest first.

`postloan model score` prints them when the last build scored; the 风险合同 list and the dossier
read the same table through `queries.at_risk` and `queries.dossier_monitoring`.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.execute import fetch_frame
from warehouse import schema


def latest_scores(engine: Engine) -> pd.DataFrame:
    """Every score of the latest month-end in `ew_scores` with the contract's DPD there,
    riskiest first (ties by contract id): contract_id, month_end, model_version, score,
    score_decile, dpd, reason_1 … reason_3. Empty when the build wrote none."""
    ew, cm = schema.ew_scores, schema.contract_month
    last = sa.select(sa.func.max(ew.c.month_idx)).scalar_subquery()
    stmt = (
        sa.select(
            ew.c.contract_id,
            ew.c.month_end,
            ew.c.model_version,
            ew.c.score,
            ew.c.score_decile,
            cm.c.dpd,
            ew.c.reason_1,
            ew.c.reason_2,
            ew.c.reason_3,
        )
        .select_from(
            ew.join(
                cm, sa.and_(cm.c.contract_id == ew.c.contract_id, cm.c.month_idx == ew.c.month_idx)
            )
        )
        .where(ew.c.month_idx == last)
        .order_by(ew.c.score.desc(), ew.c.contract_id)
    )
    return fetch_frame(engine, stmt)
