"""Lead times (early_warning/leadtime.py) on rows worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd

from early_warning.leadtime import lead_times, summary, watch_flag


def _scored() -> pd.DataFrame:
    rows = [(c, m) for c in ("A", "B", "C") for m in range(10, 16)]
    frame = pd.DataFrame(rows, columns=["contract_id", "month_idx"])
    return frame.assign(dpd=0.0, risk_class_rank=0.0, in_observation=0.0)


def test_lead_is_months_from_the_first_flag_in_the_six_before_the_event() -> None:
    """Scored months 10–15. A first over at 16, flagged at 12 and 13 → lead 16 − 12 = 4;
    B over at 16, never flagged → 0; C over at 12 (flagged at 11) has fewer than six scored
    months before it → left out; D never went over."""
    scored = _scored()
    flagged = (
        (scored.contract_id == "A") & scored.month_idx.isin([12, 13])
        | (scored.contract_id == "C") & (scored.month_idx == 11)
    ).to_numpy()
    first = pd.Series({"A": 16, "B": 16, "C": 12, "D": None})
    lead = lead_times(scored, flagged, first, 10, 15)
    assert lead.to_dict() == {"A": 4, "B": 0}
    # 2 events: half flagged, median of 4 and 0 is 2, half 3 or more months ahead; 3 of the
    # 18 rows flagged (A twice, C once).
    s = summary(lead, float(flagged.mean()))
    assert s == {
        "events": 2,
        "flagged": 0.5,
        "median_lead": 2.0,
        "lead_3": 0.5,
        "flag_rate": 3 / 18,
    }


def test_a_flag_after_the_event_or_more_than_six_months_before_does_not_count() -> None:
    scored = pd.concat(
        [_scored(), pd.DataFrame({"contract_id": ["A"] * 4, "month_idx": [6, 7, 8, 9]})]
    ).fillna(0.0)
    flagged = ((scored.contract_id == "A") & scored.month_idx.isin([9, 15])).to_numpy()
    lead = lead_times(scored, flagged, pd.Series({"A": 15}), 9, 15)
    # Event 15: window 9–14; 9 is inside (15 − 6), 15 is the event month itself → lead 6.
    assert lead.to_dict() == {"A": 6}
    lead = lead_times(scored, flagged, pd.Series({"A": 16}), 9, 15)
    # Event 16: window 10–15; only 15 is flagged → lead 1.
    assert lead.to_dict() == {"A": 1}


def test_watch_rules_flag_arrears_class_observation_or_a_source_rule() -> None:
    scored = pd.DataFrame(
        {
            "contract_id": ["A", "B", "C", "D", "E"],
            "month_idx": [10, 10, 10, 10, 11],
            "dpd": [3.0, 0, 0, 0, 0],
            "risk_class_rank": [0.0, 1, 0, 0, 0],
            "in_observation": [0.0, 0, 1, 0, 0],
        }
    )
    sources = pd.DataFrame({"contract_id": ["D", "E"], "month_idx": [10, 10]})
    assert list(watch_flag(scored, sources)) == [True, True, True, True, False]
    assert watch_flag(scored, sources).dtype == np.bool_
