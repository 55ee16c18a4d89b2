"""Nothing on a page is cut off at 1280 and 1440 px, in Chinese and English: metric labels and
values, buttons (downloads included), tabs and expander titles show their whole text."""

from __future__ import annotations

import pytest

from tests.browser.helpers import assert_no_exception, settle
from tests.signin import TEST_PASSWORD, browser_sign_in

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


@pytest.mark.parametrize("width", [1280, 1440])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_label_or_button_is_cut(server_url: str, page, width: int, lang: str) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    found: dict[str, list[str]] = {}
    for path in PAGES:
        glue = "&" if "?" in path else "?"
        browser_sign_in(page, server_url, USER, TEST_PASSWORD, f"{path}{glue}lang={lang}")
        settle(page)
        assert_no_exception(page)
        cut = page.evaluate(CUT)
        if cut:
            found[path or "home"] = cut
    assert found == {}
