"""The URL form of the filters: parsed against the choices on offer, written back minimal."""

from __future__ import annotations

from datetime import date

from dashboard.data.cached import Choices
from dashboard.page.contract_params import parse_drill
from dashboard.page.sidebar import parse, to_params
from queries.filters import Filters

OFFER = Choices(
    month_ends=(date(2024, 4, 30), date(2024, 5, 31), date(2024, 6, 30)),
    segments={"product": ("direct_lease", "loan"), "region": ("310000",)},
)
JUNE = date(2024, 6, 30)


def test_forged_and_unknown_values_are_dropped() -> None:
    got = parse(
        {
            "as_of": ["1999-01"],
            "product": ["loan", "'; DROP TABLE x", "loan"],
            "region": ["999999"],
            "cohort_from": ["2024-06"],
            "cohort_to": ["2024-04"],
        },
        OFFER,
        JUNE,
    )
    assert got == Filters(
        as_of=JUNE,
        product=("loan",),
        cohort_from=date(2024, 4, 30),
        cohort_to=date(2024, 6, 30),
    )


def test_round_trip_leaves_defaults_out() -> None:
    flt = Filters(as_of=date(2024, 5, 31), product=("loan", "direct_lease"))
    params = to_params(flt, JUNE)
    assert params == {"as_of": ["2024-05"], "product": ["direct_lease", "loan"]}
    assert parse(params, OFFER, JUNE) == flt
    assert to_params(Filters(as_of=JUNE), JUNE) == {}


def test_drill_params_use_allow_lists() -> None:
    assert parse_drill({"roll": ["M1:M2"]}, "zh").options == {
        "from_bucket": "M1",
        "to_bucket": "M2",
    }
    mig = parse_drill({"migration": ["ytd:new_business:normal"], "page": ["3"]}, "en")
    assert mig.query == "contract_lists.migration_cell" and mig.page == 3
    forged = parse_drill(
        {"migration": ["ytd:new_business:reduced"], "bucket": ["M0' OR 1=1"], "page": ["-1"]},
        "zh",
    )
    assert (forged.query, forged.options, forged.page) == ("overdue.contracts_behind", {}, 1)
    text = parse_drill({"segment": ["product:*x*"]}, "zh").description
    assert "\\*x\\*" in text  # markdown from the URL is escaped
