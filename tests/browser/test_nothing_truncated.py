"""Nothing on a page is cut off at 1280 and 1440 px, in Chinese and English: metric labels and
values, buttons (downloads included), tabs and expander titles show their whole text, on the
home, overview, contract list, 风险合同, 监管报送, 数据质量, 审计日志 and 合同档案 pages, and on
every other page at 1280 px."""

from __future__ import annotations

import pytest

from queries.at_risk import at_risk
from queries.filters import Filters
from tests.browser.helpers import assert_no_exception, settle
from tests.signin import TEST_PASSWORD, browser_sign_in, signed_in
from warehouse.engine import create_warehouse_engine

pytestmark = pytest.mark.browser
USER = "everyone"  # every role: every page and every button on it

# An element is cut when its text needs more room than its box and the box hides the rest
# (an ellipsis, or a wrapped second line clipped away).
CUT = """() => {
  const picks = '[data-testid="stMetricLabel"], [data-testid="stMetricValue"], '
    + '[data-testid="stMetricDelta"], button, [data-testid="stTab"], summary';
  const cut = [];
  for (const el of document.querySelectorAll(picks)) {
    if (!el.offsetParent || !el.innerText.trim()) continue;  // not shown, or an icon alone
    for (const n of [el, ...el.querySelectorAll('*')]) {
      const style = getComputedStyle(n);
      const hides = style.overflow !== 'visible' || style.textOverflow === 'ellipsis';
      if (hides && (n.scrollWidth > n.clientWidth + 1 || n.scrollHeight > n.clientHeight + 2)) {
        cut.push(el.innerText.trim().replace(/\\s+/g, ' ').slice(0, 80));
        break;
      }
    }
  }
  return cut;
}"""

PAGES = ("", "overview", "contracts?threshold=0", "at_risk", "filing", "data_quality", "audit")
# Every other page, at the narrower width only: content is laid out in columns of the main area,
# which only grows with the window, so what fits at 1280 px fits at 1440.
OTHER_PAGES = (
    "collections",
    "overdue",
    "vintage",
    "migration",
    "early_warning",
    "alerts",
    "tasks",
    "rectification",
    "task_strategy",
    "model_monitoring",
    "subscriptions",
    "users",
)


def _a_contract(url: str) -> str:
    """The first contract of the at-risk list: a dossier with figures and tables."""
    engine = create_warehouse_engine(url, read_only=True)
    try:
        with engine.connect() as conn:
            as_of = conn.exec_driver_sql("SELECT max(as_of) FROM loads").scalar()
        return str(at_risk(engine, Filters(as_of=as_of), limit=1)["contract_id"].iloc[0])
    finally:
        engine.dispose()


@pytest.mark.parametrize("width", [1280, 1440])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_label_or_button_is_cut(
    server_url: str, server_warehouse: str, page, width: int, lang: str
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    found: dict[str, list[str]] = {}
    for path in (*PAGES, f"dossier?contract={_a_contract(server_warehouse)}"):
        glue = "&" if "?" in path else "?"
        browser_sign_in(page, server_url, USER, TEST_PASSWORD, f"{path}{glue}lang={lang}")
        settle(page)
        assert_no_exception(page)
        cut = page.evaluate(CUT)
        if cut:
            found[path or "home"] = cut
    assert found == {}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_label_or_button_is_cut_on_the_other_pages_at_1280(
    server_url: str, page, lang: str
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    found: dict[str, list[str]] = {}
    browser_sign_in(page, server_url, USER, TEST_PASSWORD, f"?lang={lang}")
    for path in OTHER_PAGES:  # signed in once: the cookie carries the session to each page
        page.goto(f"{server_url}/{path}?lang={lang}")
        signed_in(page).wait_for(timeout=30_000)
        settle(page)
        assert_no_exception(page)
        cut = page.evaluate(CUT)
        if cut:
            found[path] = cut
    assert found == {}
