"""Waiting for Streamlit to finish a run, and checking a page shows no Python exception."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

SHOTS = Path(__file__).resolve().parents[2] / "data" / "screenshots"

# Installed in every page of the `page` fixture's context before Streamlit's own code runs: counts
# the script runs the page asks for and the runs the server reports finished, by reading the
# top-level field numbers of the websocket frames (protobuf): BackMsg.rerun_script is field 11,
# ForwardMsg.script_finished field 6 (a varint status: 0 finished, 1 compile error, 2 stopped
# for a rerun, 3 fragment run finished). The send is counted synchronously inside the click or
# key handler that asks for the run, so a wait started right after a click cannot miss it.
RUN_TRACKER = """
(() => {
  if (window.__postloanRuns) return;
  const runs = { pending: false, asked: 0, finished: 0 };
  window.__postloanRuns = runs;
  const bytesOf = (data) => data instanceof ArrayBuffer ? new Uint8Array(data)
    : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : null;
  const fields = (bytes) => {
    const out = [];
    let i = 0;
    const varint = () => {
      let value = 0, scale = 1, b;
      do { b = bytes[i++]; value += (b & 0x7f) * scale; scale *= 128; }
      while (b & 0x80 && i < bytes.length);
      return value;
    };
    while (i < bytes.length) {
      const tag = varint(), wire = tag % 8;
      let value = null;
      if (wire === 0) value = varint();
      else if (wire === 2) { const length = varint(); i += length; }
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else break;
      out.push([Math.floor(tag / 8), value]);
    }
    return out;
  };
  const onMessage = (event) => {
    const bytes = bytesOf(event.data);
    if (!bytes) return;
    for (const [field, status] of fields(bytes)) {
      if (field === 6 && status !== 2) { runs.finished += 1; runs.pending = false; }
    }
  };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (!this.__postloanWatched) {
      this.__postloanWatched = true;
      this.addEventListener("message", onMessage);
    }
    const bytes = bytesOf(data);
    if (bytes && fields(bytes).some(([field]) => field === 11)) {
      runs.asked += 1;
      runs.pending = true;
    }
    return send.call(this, data);
  };
})();
"""

# Every run asked for has finished, Streamlit has drawn the result (its app element says
# notRunning), the running indicator is gone, and no element is still a skeleton: Streamlit loads
# the code of most elements (metrics, charts, tables, downloads...) on first use, and until that
# code has arrived and run, the element is a `stSkeleton` placeholder. On a loaded machine that can
# outlast the run by seconds: the page says notRunning while its metrics are not in the DOM yet.
_RUN_DONE = """() => {
  const runs = window.__postloanRuns;
  const app = document.querySelector('[data-testid="stApp"]');
  return !!runs && !runs.pending && runs.finished > 0 && !!app
    && app.dataset.testScriptState === 'notRunning'
    && app.dataset.testConnectionState === 'CONNECTED'
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-testid="stSkeleton"]');
}"""

# Two animation frames: React commits what the last messages scheduled before the next paint.
_NEXT_PAINT = """() => new Promise((done) =>
  requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"""


def settle(page, timeout: float = 30_000) -> None:
    """Wait until the app has rendered and every script run the page asked for has finished."""
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout)
    if not page.evaluate("() => !!window.__postloanRuns"):
        raise AssertionError(
            "this page has no run tracker: open pages in a context of the `page` fixture or of "
            "the `browser` fixture's new_context (tests/browser/conftest.py)"
        )
    page.wait_for_function(_RUN_DONE, timeout=timeout)
    next_paint(page)


def next_paint(page) -> None:
    """Wait until the browser has drawn twice more (what the page just changed is on screen)."""
    page.evaluate(_NEXT_PAINT)


def wait_for_rows(page, read: Callable[[], list[T]], timeout: float = 30_000) -> list[T]:
    """`read()` again every 50 ms until it returns rows (or `timeout` ms pass): for rows the
    server writes after the browser has what it asked for, such as a download's audit row."""
    deadline = time.monotonic() + timeout / 1000
    rows = read()
    while not rows and time.monotonic() < deadline:
        page.wait_for_timeout(50)
        rows = read()
    return rows


def assert_no_exception(page) -> None:
    """Fail when Streamlit shows an exception element."""
    shown = page.locator('[data-testid="stException"]')
    assert shown.count() == 0, shown.all_inner_texts()


def metric_value(page, label: str) -> str:
    """The value of the metric card whose label starts with `label`."""
    card = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return card.locator('[data-testid="stMetricValue"]').inner_text()


def shot(page, name: str) -> None:
    """A screenshot under data/screenshots (git-ignored) for a human to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
