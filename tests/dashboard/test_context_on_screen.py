"""The month and every filter in force, in words, above the figures, in the contract list's
criteria and in a download's header block; every page opens on the latest month-end and the
filing page on the latest reportable period."""

from __future__ import annotations

from datetime import UTC, date, datetime

from dashboard.data.source import WarehouseState
from dashboard.downloads.audited import filters_text, shown_as_of
from dashboard.filing.view import default_period
from dashboard.page.contract_params import criteria, parse_drill
from dashboard.page.format import md_text
from dashboard.page.sidebar import filters_words
from dashboard.page.widgets import banner_text
from queries.filters import Filters
from queries.loads import LoadInfo
from tests.dashboard.analytics_app import assert_clean, open_page

APRIL, MAY, JUNE, JULY = date(2024, 4, 30), date(2024, 5, 31), date(2024, 6, 30), date(2024, 7, 31)
FILTERED = Filters(
    as_of=MAY,
    product=("sale_leaseback", "direct_lease"),
    industry=("E",),
    region=("440100",),
    cohort_from=date(2024, 1, 31),
    cohort_to=date(2024, 3, 31),
)
STATE = WarehouseState(
    "ok",
    "duckdb://",
    LoadInfo(
        load_id=7,
        # stored naive UTC, as the loader records it: 10:00 in Beijing
        loaded_at=datetime(2024, 7, 1, 2, 0, tzinfo=UTC).replace(tzinfo=None),
        as_of=JUNE,
        institution="x",
        entity_type="financial_leasing",
        currency="CNY",
        source="book",
        sha256="0" * 64,
        row_counts={},
        build_seconds=None,
        late_rows={},
    ),
)
LOADED = "2024-07-01 10:00 (UTC+08:00 Asia/Shanghai)"


def test_filters_read_as_words_in_both_languages() -> None:
    """Values sorted as the Filters keep them (direct_lease before sale_leaseback); E is
    GB/T 4754 section 建筑业, 440100 is GB/T 2260 广州市."""
    assert filters_words(FILTERED, "zh") == (
        "产品：直租、售后回租；行业：建筑业；地区：广州市；起租批次：2024-01 至 2024-03"
    )
    assert filters_words(FILTERED, "en") == (
        "Product: Direct lease, Sale-leaseback; Industry: Construction; Region: Guangzhou; "
        "Cohorts: 2024-01 to 2024-03"
    )
    assert filters_words(Filters(as_of=MAY), "zh") == "全部（未筛选）"
    assert filters_words(Filters(as_of=MAY, cohort_to=MAY), "en") == "Cohorts: to 2024-05"


def test_the_banner_names_the_month_shown_not_only_the_latest() -> None:
    shown = banner_text(STATE, "zh", month=MAY, filters=Filters(as_of=MAY, product="loan"))
    assert shown == (
        f"数据截至 **2024-05-31** · 最新数据 2024-06-30 · 加载时间 {LOADED} · 加载编号 #7  \n"
        + md_text("筛选条件：产品：贷款")
    )
    latest = banner_text(STATE, "en")
    assert latest == f"Data as of **2024-06-30** (latest) · loaded {LOADED} · load #7"


def test_contract_list_criteria_name_the_figure_the_month_and_every_filter() -> None:
    drill = parse_drill({"bucket": ["M4"], "segment": ["region:440100"]}, "zh")
    got = criteria(drill, Filters(as_of=MAY, product=("direct_lease",)), "zh")
    assert got == md_text("地区 = 广州市；逾期账龄段 = M4；数据月份：2024-05-31；产品：直租")


def test_the_download_header_block_says_the_filters_in_words() -> None:
    """The page's URL parameters as its header block row: the drill first, then the sidebar
    filters; the language, the page number and the month (a row of its own) left out."""
    params = {
        "threshold": ["30"],
        "product": ["direct_lease", "loan"],
        "region": ["440100"],
        "lang": ["en"],
        "page": ["2"],
        "as_of": ["2024-05"],
    }
    assert filters_text(params, "en") == (
        "DPD > 30; Product: Direct lease, Loan; Region: Guangzhou"
    )
    assert filters_text({"lang": ["zh"]}, "zh") == "全部（未筛选）"


def test_the_filing_page_opens_on_the_latest_reportable_period() -> None:
    """The monthly detail is due every month-end, so July (not the June quarter end) opens."""
    assert default_period([APRIL, MAY, JUNE, JULY]) == JULY
    assert default_period([APRIL, MAY]) == MAY
    assert default_period([]) is None
    # A link naming a quarterly report opens on the latest quarter end, where it is due.
    assert default_period([APRIL, MAY, JUNE, JULY], "conc") == JUNE
    assert default_period([APRIL, MAY, JUNE, JULY], "DETAIL") == JULY


def test_overview_banner_follows_the_chosen_month_and_filters(analytics: str) -> None:
    """Picking May under a product filter: the banner says May (June being the latest) and the
    product, above the figures."""
    at = open_page("overview", {"as_of": "2024-05", "product": "direct_lease"})
    assert_clean(at)
    banner = at.info[0].value
    assert banner.startswith("数据截至 **2024-05-31** · 最新数据 2024-06-30 · ")
    assert banner.endswith(md_text("筛选条件：产品：直租"))
    opened = open_page("overview")
    assert opened.info[0].value.startswith("数据截至 **2024-06-30**（最新）")
    assert opened.info[0].value.endswith(md_text("筛选条件：全部（未筛选）"))


def test_contract_list_shows_the_sidebar_product_filter_in_its_criteria(analytics: str) -> None:
    at = open_page("contracts", {"bucket": "M4", "as_of": "2024-05", "product": "direct_lease"})
    assert_clean(at)
    texts = [m.value for m in at.markdown]
    expected = md_text("逾期账龄段 = M4；数据月份：2024-05-31；产品：直租")
    assert f"**筛选依据**: {expected}" in texts


def test_kpi_cards_carry_short_titles_units_and_definitions(analytics: str) -> None:
    """June: outstanding 5,000 yuan = 0.50 万元, its unit beside the value; the card title names
    the basis, not the unit; the tooltip defines the figure (docs/domain.md §5)."""
    at = open_page("overview")
    assert_clean(at)
    cards = {m.label: m for m in at.metric}
    assert cards["未偿本金 · 余额口径"].value == "0.50 万元"
    assert cards["不良率 · 余额口径"].proto.help == (
        "不良余额（次级 + 可疑 + 损失）÷ 全部未偿本金；监管红线 5%。"
    )
    assert all(m.proto.help for m in at.metric)
    assert not any("万元" in m.label for m in at.metric)


def test_the_download_header_names_the_month_end_as_the_banner_does() -> None:
    assert shown_as_of({"as_of": ["2024-05"]}) == "2024-05-31"
    assert shown_as_of({"as_of": "2024-02"}) == "2024-02-29"  # a leap year's February
    assert shown_as_of({"as_of": ["2024-13"]}) == "2024-13"  # not a month: shown as given


def test_other_pages_parameters_read_as_words_in_the_header_block() -> None:
    """The audit trail's filters and the filing page's period and report, named as their
    pages name them; an action in words."""
    audit = {"from": ["2026-11-01"], "action": ["download", "sign_in"], "actor": ["bob"]}
    assert filters_text(audit, "zh") == "起始日期：2026-11-01；操作类型：下载、登录；操作人：bob"
    filing = {"period": ["2026-09"], "report": ["G11"], "lang": ["en"]}
    assert filters_text(filing, "en") == "Period (month-end): 2026-09; Report: G11"
