"""模型监控 (AppTest and its view's parts): the empty state, the role check, the whole-book rule,
and the figures of a hand-made set of scores on the portfolio book of June 2024.

Scores written by hand into `ew_scores` (version ew-0001): at 2023-12 A 0.6, B 0.3, C 0.4, X 0.1;
at 2024-03 A 0.5, C 0.2. Outcomes from the book (tests/queries/books.py `portfolio_book`): A is
112 DPD in June and B 101 in May — both over 90 within the 6 months after 2023-12, which ends at
the as-of (known); C and X (no rows) are not. 2024-03 + 6 is after June: not yet known.
AUC at 2023-12: A beats C and X, B loses to C and beats X — 3 of 4 pairs = 0.75.
Feature bins written by hand into `ew_feature_bins` for 2024-03 only (the page shows what the
build stored): both contracts scored there at DPD ≤ 10, none above, none missing — PSI against
the reference's half and half, the empty bin at the floor share f = 0.0001:
(1 − ½) ln 2 + (f − ½) ln(2f) = 4.6043.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from dashboard.charts.axes import month_labels
from dashboard.charts.model_monitoring import measure_lines
from dashboard.views import model_monitoring as view
from early_warning.registry import Registry
from tests.access.access_app import capture_served, download
from tests.dashboard.analytics_app import assert_clean, build_analytics_warehouse, open_page
from tests.dashboard.app_fixtures import app_on, built_duckdb
from tests.file_cells import read_table, screen_rows
from warehouse import schema
from warehouse.engine import create_warehouse_engine
from warehouse.months import month_idx

VERSION = "ew-0001"
SCORES = {
    date(2023, 12, 31): [("A", 0.6), ("B", 0.3), ("C", 0.4), ("X", 0.1)],
    date(2024, 3, 31): [("A", 0.5), ("C", 0.2)],
}
REFERENCE = {
    "rows": 4,
    "score": {"kind": "numeric", "edges": [0.35], "shares": [0.5, 0.5], "missing": 0.0},
    "features": {
        "dpd": {"kind": "numeric", "edges": [10.0], "shares": [0.5, 0.5], "missing": 0.0},
    },
}


def _build(url: str) -> None:
    build_analytics_warehouse(url)
    rows = [
        {
            "contract_id": c,
            "month_idx": month_idx(m),
            "month_end": m,
            "model_version": VERSION,
            "score": s,
            "score_decile": n + 1,
            "reason_1": None,
            "reason_2": None,
            "reason_3": None,
        }
        for m, scored in SCORES.items()
        for n, (c, s) in enumerate(scored)
    ]
    march = date(2024, 3, 31)
    bins = [
        {
            "model_version": VERSION,
            "month_idx": month_idx(march),
            "month_end": march,
            "feature": "dpd",
            "bin": b,
            "rows": n,
        }
        for b, n in enumerate((2, 0, 0))
    ]
    engine = create_warehouse_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(schema.ew_scores.insert(), rows)
            conn.execute(schema.ew_feature_bins.insert(), bins)
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def scored_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return built_duckdb(tmp_path_factory, "model_monitoring", _build)


def _registry(tmp_path: Path, approve: bool, data: dict | None = None) -> Path:
    reg = Registry(tmp_path / "models")
    card = {"purpose": "测试用途 <b>not html</b>", "limits": "hand-made", "reference": REFERENCE}
    if data is not None:
        card["data"] = data
    version = reg.propose({}, card, "alice")
    if approve:
        reg.approve(version, "bob")
    return tmp_path / "models"


@pytest.fixture
def app(scored_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    yield from app_on(scored_url, monkeypatch)


def _point_registry(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    # The registry folder is a setting; the page reads it through `registry_root`.
    monkeypatch.setattr(view, "registry_root", lambda _settings: root)


def test_without_an_approved_model_the_page_says_how_to_get_one(
    app: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _point_registry(monkeypatch, _registry(tmp_path, approve=False))
    at = open_page("model_monitoring", roles=("risk_committee",))
    assert_clean(at)
    assert any("postloan model promote" in i.value for i in at.info)


def test_the_committee_reads_the_card_and_every_scored_month(
    app: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _point_registry(monkeypatch, _registry(tmp_path, approve=True))
    at = open_page("model_monitoring", {"lang": "en"}, roles=("risk_committee",))
    assert_clean(at)
    assert at.metric[0].value == VERSION
    assert at.metric[1].value.startswith("alice, ") and at.metric[2].value.startswith("bob, ")
    assert any(t.value == "测试用途 <b>not html</b>" for t in at.text)
    performance = at.dataframe[0].value
    assert list(performance["Month-end"].astype(str).str[:7]) == ["2023-12", "2024-03"]
    assert list(performance["AUC"]) == ["0.7500", "—"]
    assert list(performance["6-month outcome"]) == ["known", "outcome not yet known"]


# A large book's card: 8 month-ends read, 1,200 known contract-months, the 300 of the defaulting
# contracts kept and 12.5 % of the others (each standing for 8), 450 read, 400 fitted standing
# for 300 + 100 × 8 = 1,100 contract-months.
SAMPLED = {
    "month_ends": ["2023-06", "2023-12"],
    "rows": 400,
    "defaults": 30,
    "built_to": "2024-06-30",
    "fingerprint": "f" * 64,
    "sample": {
        "month_ends_read": ["2023-06", "2024-01"],
        "known_rows": 1200,
        "defaulting_rows": 300,
        "share": 0.125,
        "rows_read": 450,
        "weighted_rows": 1100.0,
        "text": "the trainer's own English sentence",
    },
}


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "zh",
            "大型账簿：只读取月末 2023-06 至 2024-01（其中结果已知的履约合同月 1,200 个）；"
            "有违约的合同全部保留（300 个合同月），其余合同按合同抽取 12.50%，每份代表 8.0 份合同；"
            "共读取 450 个合同月。模型在其中 400 个合同月上拟合，代表账簿的 1,100 个合同月；",
        ),
        (
            "en",
            "A large book: only the month-ends 2023-06 to 2024-01 were read (1,200 performing "
            "contract-months with a known outcome); every contract with a default was kept (300 "
            "contract-months) and 12.50% of the others, drawn by contract, each standing for 8.0 "
            "contracts; 450 contract-months read. The models were fitted on 400 of them, standing "
            "for 1,100 contract-months of the book;",
        ),
    ],
)
def test_a_large_books_card_says_what_its_sample_read_and_stands_for(
    app: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, words: str
) -> None:
    _point_registry(monkeypatch, _registry(tmp_path, approve=True, data=SAMPLED))
    at = open_page("model_monitoring", {"lang": lang}, roles=("risk_committee",))
    assert_clean(at)
    texts = [x.value for x in at.text]
    assert any(x.startswith(words) for x in texts), texts
    assert not any("the trainer's own English sentence" in x for x in texts)


def test_each_features_psi_is_read_from_the_builds_counts_of_that_month_end(
    app: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _point_registry(monkeypatch, _registry(tmp_path, approve=True))
    at = open_page("model_monitoring", {"lang": "en", "as_of": "2024-03"}, roles=("executive",))
    assert_clean(at)
    features = at.dataframe[-1].value
    assert list(features["Feature"]) == ["days past due now"]
    floor = 0.0001
    psi = 0.5 * math.log(2) + (floor - 0.5) * math.log(2 * floor)
    assert list(features["PSI"]) == [f"{psi:.4f}"] == ["4.6043"]
    assert list(features["Contracts scored"]) == ["2"]
    # June 2024 (the build's as-of) was not scored: said in words, no table.
    june = open_page("model_monitoring", {"lang": "en"}, roles=("executive",))
    assert_clean(june)
    assert any("did not score the 2024-06 month-end with ew-0001" in i.value for i in june.info)
    assert len(june.dataframe) == len(at.dataframe) - 1 == 3  # performance, calibration, score


def test_every_table_file_is_its_screen_table(
    app: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _point_registry(monkeypatch, _registry(tmp_path, approve=True))
    served = capture_served(monkeypatch)
    at = open_page("model_monitoring", {"as_of": "2024-03"}, roles=("risk_committee",))
    assert_clean(at)
    screens = [frame.value for frame in at.dataframe]
    keys = [b.id.split("-", 2)[-1] for b in at.get("download_button")]
    keys = [k for k in keys if k.startswith("dl_xlsx_")]
    # performance, calibration of 2023-12, the score's PSI, each feature's PSI (at 2024-03)
    assert len(keys) == 4, keys
    for key in keys:
        _, data = download(at, served, key)
        block, head, body = read_table(data)
        assert block["页面"] == "模型监控", key
        same = [s for s in screens if list(s.columns) == head and screen_rows(s) == body]
        assert same, f"{key}: no screen table equals the file (headers {head})"


def test_compliance_is_refused_and_a_branch_scope_sees_nothing(
    app: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _point_registry(monkeypatch, _registry(tmp_path, approve=True))
    refused = open_page("model_monitoring", roles=("compliance",))
    assert refused.error and not refused.dataframe
    scoped = open_page("model_monitoring", roles=("risk_committee",), branches=("SH",))
    assert any("branches" in i.value or "分支机构" in i.value for i in scoped.info)
    assert not scoped.dataframe


def test_the_chart_has_the_tables_months_and_unknown_outcomes_in_words() -> None:
    frame = pd.DataFrame(
        {
            "month_end": [date(2023, 12, 31), date(2024, 3, 31)],
            "rows": [4, 2],
            "predicted": [0.35, 0.35],
            "outcome_known": [True, False],
            "defaults": [2, None],
            "observed": [0.5, None],
            "auc": [0.75, None],
            "ks": [0.5, None],
            "brier": [0.1234567, None],
        }
    )
    rows = view.performance_rows(frame, "zh")
    assert list(rows["outcome_known"]) == ["已知", "结果尚未可知"]
    assert rows["brier"].iloc[0] == 0.1235
    figure = measure_lines(rows, ["auc", "ks"], "zh", lines=[0.7])
    assert list(figure.layout.xaxis.categoryarray) == month_labels(frame["month_end"])
    assert list(figure.data[0].y) == [0.75, None]
