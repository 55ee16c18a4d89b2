"""The running server's HTTP answers: security headers everywhere, metrics closed, and download
files that exist only after the click and only for the signed-in browser."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from urllib.parse import urlparse

import pytest

from dashboard.access.http_session import COOKIE
from tests.browser.helpers import settle
from tests.signin import TEST_PASSWORD, browser_sign_in

pytestmark = pytest.mark.browser

HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}
DOWNLOAD = re.compile(r"/media/[0-9a-f]+\.(csv|xlsx|pdf|zip)$")


def _get(url: str, cookie: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET `url` as a bare client (no browser, no cookie unless given): status, headers, body."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as r:  # noqa: S310
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


def test_every_answer_the_browser_gets_carries_the_security_headers(server_url: str, page) -> None:
    seen: dict[str, dict[str, str]] = {}
    page.on("response", lambda r: seen.setdefault(r.url, r.all_headers()))
    browser_sign_in(page, server_url, "exec", TEST_PASSWORD, "overview")
    own = {u: h for u, h in seen.items() if u.startswith(server_url)}
    assert any(urlparse(u).path in ("/", "/overview") for u in own)
    for url, headers in own.items():
        for name, value in HEADERS.items():
            assert headers.get(name) == value, (url, name, headers.get(name))
        csp = headers.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp, url
        assert "https:" not in csp and "*" not in csp, url


def test_metrics_are_closed(server_url: str) -> None:
    status, headers, body = _get(f"{server_url}/_stcore/metrics")
    assert status == 404 and b"session" not in body
    assert headers["x-frame-options"] == "DENY"


def test_a_download_is_built_on_the_click_and_served_only_with_the_cookie(
    server_url: str, page
) -> None:
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    browser_sign_in(page, server_url, "exec", TEST_PASSWORD, "contracts?threshold=0")
    assert not [u for u in fetched if DOWNLOAD.search(urlparse(u).path)]  # nothing pre-rendered
    button = page.locator('[data-testid="stDownloadButton"]').filter(has_text="下载 CSV").first
    with page.expect_download() as got:
        button.click()
    content = got.value.path().read_bytes()
    settle(page)
    media = [u for u in fetched if DOWNLOAD.search(urlparse(u).path)]
    assert len(media) == 1 and content
    status, _, body = _get(media[0])  # the very URL, from a client without the cookie
    assert status == 404 and body != content
    cookie = next(c for c in page.context.cookies() if c["name"] == COOKIE)
    status, _, body = _get(media[0], f"{COOKIE}={cookie['value']}")
    assert status in (200, 404)  # with the cookie the server may still have it (or dropped it)
    assert status == 404 or body == content
