"""The early-warning score on 风险合同 and 合同档案 (AppTest), on the scored book of
`tests/early_warning/score_book.py` built with an approved model (K2 50% at 2024-12, 20% before;
K1 20%; K0 1%; K9 scored only at 2024-10), and on the watch book built without one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from dashboard.page.format import md_text
from early_warning.scoring import score_build
from tests.dashboard import risk_app
from tests.dashboard.analytics_app import assert_clean, open_page
from tests.dashboard.app_fixtures import app_on, built_duckdb
from tests.early_warning.score_book import (
    AS_OF,
    approved,
    fitted_models,
    lost_feature_models,
    overrides,
    score_book,
)
from tests.load_record import record_load
from tests.warehouse.book import build_book

COMMITTEE = ("risk_committee",)
# The watch book of risk_app, built without the early-warning step, used by name below.
risk_url, risk = risk_app.risk_url, risk_app.risk


@pytest.fixture(scope="module")
def scored_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The score book built with ew-0001 approved, and its load record."""
    root = Path(tmp_path_factory.mktemp("models")) / "registry"
    approved(root, fitted_models())

    def build(url: str) -> None:
        build_book(url, score_book(), AS_OF, score_build, **overrides(root))
        record_load(
            url,
            as_of=date(2024, 12, 31),
            loaded_at=datetime(2025, 1, 2, 2, 0, tzinfo=UTC).replace(tzinfo=None),
            institution="测试融资租赁有限公司",
            source="book",
            sha256="0" * 64,
            contracts=5,
            build_seconds=0.1,
        )

    return built_duckdb(tmp_path_factory, "scored", build)


@pytest.fixture
def scored(scored_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the app at the scored warehouse with empty Streamlit caches."""
    yield from app_on(scored_url, monkeypatch)


def _percents(values) -> list[float]:
    """Shown percentages ("49.94%") as numbers."""
    return [float(str(v).rstrip("%")) for v in values]


def _ids(at) -> list[str]:
    return list(at.dataframe[-1].value["合同编号"])


def test_the_list_sorts_by_score_and_names_the_model_and_the_top_reason(scored: str) -> None:
    at = open_page("at_risk", roles=COMMITTEE)
    assert_clean(at)
    assert at.selectbox(key="rk_sort").value == "score"
    assert _ids(at) == ["K2", "K1", "K9"]  # 50%, 20%, not scored (143 days past due)
    assert any("模型 ew-0001" in c.value and "10.00%" in c.value for c in at.caption)
    shown = at.dataframe[-1].value
    assert _percents(shown["预警评分"][:2]) == pytest.approx([50.0, 20.0], abs=0.5)
    assert list(shown["预警评分"][2:]) == ["—"]
    assert list(shown["首要原因"][:2]) == ["近6个月高等级预警信号"] * 2
    assert list(shown["命中规则"][:1]) == ["预警评分≥阈值、近期高等级预警信号"]
    at.multiselect(key="rk_rules").set_value(["score"]).run()
    assert _ids(at) == ["K2", "K1"]


def test_the_dossier_shows_the_score_history_and_the_latest_reasons_in_words(
    scored: str,
) -> None:
    at = open_page("dossier", {"contract": "K2"}, roles=COMMITTEE)
    assert_clean(at)
    assert any(s.value == "预警评分历史" for s in at.subheader)
    assert any("2024-12 评分的主要原因" in m.value for m in at.markdown)
    assert any(m.value == "1. 近6个月高等级预警信号" for m in at.markdown)
    history = next(d.value for d in at.dataframe if "评分十分位（1=最高风险）" in d.value.columns)
    assert list(history["月末"]) == [date(2024, 12, 31), date(2024, 11, 30), date(2024, 10, 31)]
    assert _percents(history["预警评分"]) == pytest.approx([50.0, 20.0, 20.0], abs=0.5)
    # Ranked with K1 (equal score, smaller id first) at 2024-11: 2nd of 3 → 4; 2nd of 4 → 3.
    assert list(history["评分十分位（1=最高风险）"]) == [1, 4, 3]
    assert set(history["模型版本"]) == {"ew-0001"}
    english = open_page("dossier", {"contract": "K2", "lang": "en"}, roles=COMMITTEE)
    escaped = md_text("high-severity warning signals in 6 months")  # shown literally
    assert any(m.value == f"1. {escaped}" for m in english.markdown)


def test_a_contract_scored_only_before_it_fell_90_past_due_shows_that_score(scored: str) -> None:
    at = open_page("dossier", {"contract": "K9"}, roles=COMMITTEE)
    assert_clean(at)
    history = next(d.value for d in at.dataframe if "评分十分位（1=最高风险）" in d.value.columns)
    assert list(history["月末"]) == [date(2024, 10, 31)]
    assert _percents(history["预警评分"]) == pytest.approx([1.0], abs=0.5)
    assert any("该评分没有高于最安全分箱的原因" in c.value for c in at.caption)


def test_without_an_approved_model_the_list_says_so_and_sorts_by_outstanding(risk: str) -> None:
    at = open_page("at_risk", roles=COMMITTEE)
    assert_clean(at)
    assert any("尚无已批准的预警模型" in i.value for i in at.info)
    assert at.selectbox(key="rk_sort").value == "outstanding"
    dossier = open_page("dossier", {"contract": "D1"}, roles=COMMITTEE)
    assert any("该合同没有预警评分" in c.value for c in dossier.caption)


@pytest.fixture(scope="module")
def refused_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The score book built with an approved version that uses a feature the warehouse lost."""
    root = Path(tmp_path_factory.mktemp("models_lost")) / "registry"
    approved(root, lost_feature_models())

    def build(url: str) -> None:
        build_book(url, score_book(), AS_OF, score_build, **overrides(root))
        record_load(
            url,
            as_of=date(2024, 12, 31),
            loaded_at=datetime(2025, 1, 2, 2, 0, tzinfo=UTC).replace(tzinfo=None),
            institution="测试融资租赁有限公司",
            source="book",
            sha256="0" * 64,
            contracts=5,
            build_seconds=0.1,
        )

    return built_duckdb(tmp_path_factory, "refused", build)


@pytest.fixture
def refused(refused_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the app at the refused build with empty Streamlit caches."""
    yield from app_on(refused_url, monkeypatch)


def test_a_refused_model_is_named_with_the_builds_reason(refused: str) -> None:
    at = open_page("at_risk", roles=COMMITTEE)
    assert_clean(at)
    warned = [w.value for w in at.warning]
    said = f"最近一次建模未使用预警模型 {md_text('ew-0001')}"
    assert any(said in w and md_text("old_signal") in w for w in warned), warned
    assert at.selectbox(key="rk_sort").value == "outstanding"
