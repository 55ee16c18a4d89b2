"""Browser harness: a real `streamlit run` on a demo warehouse, driven by Playwright + Chromium.

Each session (each xdist worker with BROWSER_WORKERS > 1) builds a small demo warehouse
(`postloan demo --contracts 300` + `postloan load`) in a temporary folder, creates the test
accounts in its portal store (`tests.signin`), serves the dashboard on a free port, and gives each
test a fresh page whose console errors are collected and which counts its script runs, so
`tests.browser.helpers.settle` waits for the runs to finish rather than for a fixed time.
Every page needs a sign-in: `tests.signin.browser_sign_in(page, server_url, user, password, path)`
with an account of `browser_accounts`. Later page issues add their tests beside these.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from tests.browser.helpers import RUN_TRACKER
from tests.conftest import ROOT, _free_port, in_ci
from tests.signin import create_browser_accounts

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BIN = Path(sys.executable).parent
# Streamlit's frontend probes /<page>/_stcore/{health,host-config} before the root path when
# opened on a page URL; those 404s are its own base-path discovery, not a fault of the app.
PROBES = ("/_stcore/health", "/_stcore/host-config")
# The demo book's as-of month, pinned: by default `postloan demo` follows the calendar, and a
# month whose small book happens to leave a list empty must not turn the suite red on that date
# (tests/test_any_as_of.py runs every page at other months, empty lists included).
AS_OF = "2026-10"


def _unavailable(message: str) -> None:
    if in_ci():
        pytest.fail(f"browser tests need {message} under CI=true", pytrace=False)
    pytest.skip(message)


def _run(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True, cwd=ROOT, timeout=300)


@pytest.fixture(scope="session")
def server_warehouse(tmp_path_factory: pytest.TempPathFactory) -> str:
    """URL of the browser server's demo warehouse (its portal store sits beside it)."""
    work = tmp_path_factory.mktemp("browser")
    postloan = str(BIN / "postloan")
    _run(postloan, "demo", str(work / "extract"), "--contracts", "300", "--as-of", AS_OF)
    url = f"duckdb:///{work / 'w.duckdb'}"
    _run(postloan, "load", str(work / "extract"), "--warehouse", url)
    return url


@pytest.fixture(scope="session")
def browser_accounts(server_warehouse: str) -> dict[str, str]:
    """`tests.signin.BROWSER_ACCOUNTS` created in the server's store: username -> password."""
    return create_browser_accounts(server_warehouse)


def _launch(url: str, log: IO[bytes]) -> tuple[subprocess.Popen[bytes], str]:
    """Start `streamlit run` on a free port: the process and its base URL."""
    port = _free_port()
    server = subprocess.Popen(
        [
            str(BIN / "streamlit"),
            "run",
            "dashboard/server.py",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env={**os.environ, "POSTLOAN_WAREHOUSE_URL": url},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return server, f"http://127.0.0.1:{port}"


def _answers(server: subprocess.Popen[bytes], base: str) -> bool:
    """True once the server answers its health check; False if it exited first (say, another
    worker's server took the port in between) or did not answer within two minutes."""
    deadline = time.monotonic() + 120
    while server.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:  # noqa: S310
                if r.status == 200 and server.poll() is None:
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    _stop(server)
    return False


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.fixture(scope="session")
def server_url(request: pytest.FixtureRequest, server_warehouse: str) -> Iterator[str]:
    """Base URL of a dashboard served on the demo warehouse, with the test accounts created
    (while the server starts: it reads accounts only when someone signs in)."""
    work = Path(server_warehouse.removeprefix("duckdb:///")).parent
    with (work / "server.log").open("wb") as log:
        server, base = _launch(server_warehouse, log)
        try:
            request.getfixturevalue("browser_accounts")
        except BaseException:
            _stop(server)
            raise
        for _ in range(2):
            if _answers(server, base):
                break
            server, base = _launch(server_warehouse, log)
        else:
            if not _answers(server, base):
                pytest.fail(f"streamlit did not start; see {work / 'server.log'}")
        try:
            yield base
        finally:
            _stop(server)


class TrackedBrowser:
    """Chromium whose every new context counts its pages' script runs (`RUN_TRACKER`), so that
    `tests.browser.helpers.settle` can wait on them in any page a test opens."""

    def __init__(self, chromium: object) -> None:
        self._chromium = chromium

    def new_context(self, **options: object) -> object:
        """A new browser context (Playwright's options) with the run tracker installed."""
        context = self._chromium.new_context(**options)  # type: ignore[attr-defined]
        context.add_init_script(RUN_TRACKER)
        return context

    def __getattr__(self, name: str) -> object:
        return getattr(self._chromium, name)


@pytest.fixture(scope="session")
def browser() -> Iterator[TrackedBrowser]:
    """Debian's Chromium under Playwright (no browser download); its contexts track runs."""
    try:
        from playwright import sync_api
    except ImportError:
        _unavailable("the playwright package (a dev dependency of the project)")
    if not CHROMIUM.exists() and shutil.which("chromium") is None:
        _unavailable("/usr/bin/chromium (make system-deps installs it)")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield TrackedBrowser(chromium)
        chromium.close()


@pytest.fixture
def page(browser: TrackedBrowser, tmp_path: Path) -> Iterator[object]:
    """A fresh page; fails the test on any browser console error it logs."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    errors: list[str] = []

    def on_console(msg) -> None:
        if msg.type != "error":
            return
        where = (msg.location or {}).get("url", "")
        if "404" in msg.text and where.endswith(PROBES):
            return
        errors.append(f"{msg.text} @ {where}")

    tab.on("console", on_console)
    tab.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    yield tab
    context.close()
    assert not errors, errors
