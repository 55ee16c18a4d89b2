"""The portal's HTTP layer without a browser: the cookie route, the headers, the closed doors.

`dashboard.access.http_session.routes()` and `dashboard.access.http_guard.SecurityMiddleware`
wrap a stand-in for Streamlit (a Starlette app answering the paths Streamlit serves); requests are
plain ASGI calls. The portal store is the one of a fresh DuckDB warehouse path
($POSTLOAN_WAREHOUSE_URL).
"""

from __future__ import annotations

import asyncio
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from dashboard.access.http_guard import SecurityMiddleware
from dashboard.access.http_session import COOKIE, SESSION_PATH, routes, safe_next
from warehouse.portal import portal_engine, portal_url, sessions, utc_now
from warehouse.portal.users import add_account

HOST = "portal.example"
HEADERS = (
    "content-security-policy",
    "x-frame-options",
    "x-content-type-options",
    "referrer-policy",
)


async def _ok(_request) -> PlainTextResponse:
    return PlainTextResponse("streamlit")


def app() -> Starlette:
    """The portal's routes and middleware around stand-ins for Streamlit's own paths."""
    stand_ins = [Route(p, _ok) for p in ("/", "/_stcore/metrics", "/_stcore/health")]
    stand_ins.append(Route("/media/{file}", _ok))
    return Starlette(routes=[*routes(), *stand_ins], middleware=[Middleware(SecurityMiddleware)])


def call(
    path: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes = b"",
) -> tuple[int, dict[str, list[str]], bytes]:
    """One request through the app: status, headers (name -> values), body."""
    sent: list[dict] = []
    raw = [(b"host", HOST.encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": raw,
        "client": ("127.0.0.1", 5000),
        "server": (HOST, 80),
    }
    chunks = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict:
        return chunks.pop(0) if chunks else {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(app()(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    found: dict[str, list[str]] = {}
    for k, v in start["headers"]:
        found.setdefault(k.decode().lower(), []).append(v.decode())
    data = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], found, data


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A fresh portal store, the one the HTTP layer opens, with the account `ann`."""
    url = f"duckdb:///{tmp_path}/w.duckdb"
    monkeypatch.setenv("POSTLOAN_WAREHOUSE_URL", url)
    engine = portal_engine(portal_url(url))
    add_account(engine, "ann", "Quiet-Harbour-4711", ("executive",), actor="test")
    yield engine
    engine.dispose()


def _post_token(token: str, next_: str = "/contracts?bucket=M1", **headers: str):
    same = {"origin": f"http://{HOST}", "sec-fetch-site": "same-origin"}
    form = urlencode({"token": token, "next": next_}).encode()
    kind = {"content-type": "application/x-www-form-urlencoded"}
    return call(SESSION_PATH, "POST", {**same, **kind, **headers}, form)


def _cookie(found: dict[str, list[str]]) -> SimpleCookie | None:
    for line in found.get("set-cookie", []):
        if line.startswith(f"{COOKIE}="):
            jar = SimpleCookie()
            jar.load(line)
            return jar
    return None


def test_a_token_becomes_an_http_only_strict_cookie_once(store) -> None:
    token = sessions.begin(store, "ann", "password", utc_now())
    status, headers, _ = _post_token(token)
    assert status == 303 and headers["location"] == ["/contracts?bucket=M1"]
    jar = _cookie(headers)
    assert jar is not None
    morsel = jar[COOKIE]
    assert morsel["httponly"] is True
    assert morsel["samesite"].lower() == "strict"
    assert morsel["path"] == "/"
    assert not morsel["secure"]  # plain http here; see the next test
    found = sessions.check(store, morsel.value, utc_now(), idle_minutes=30, absolute_hours=12)
    assert found is not None and found.alive and found.username == "ann"
    status, headers, _ = _post_token(token)  # the same token again: no cookie
    assert status == 303 and _cookie(headers) is None


def test_the_cookie_is_secure_behind_an_https_proxy(store) -> None:
    token = sessions.begin(store, "ann", "password", utc_now())
    _, headers, _ = _post_token(token, **{"x-forwarded-proto": "https"})
    jar = _cookie(headers)
    assert jar is not None and jar[COOKIE]["secure"] is True
    assert headers["strict-transport-security"] == ["max-age=31536000"]


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://evil.example", "sec-fetch-site": "cross-site"},
        {"origin": "http://evil.example"},
        {"sec-fetch-site": "same-origin"},  # no Origin at all
    ],
)
def test_a_cross_site_post_gets_no_cookie(store, headers: dict[str, str]) -> None:
    token = sessions.begin(store, "ann", "password", utc_now())
    body = urlencode({"token": token}).encode()
    status, found, _ = call(SESSION_PATH, "POST", headers, body)
    assert status == 403 and _cookie(found) is None
    assert sessions.redeem(store, token, utc_now()) is not None  # the token was not spent


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/contracts?bucket=M1", "/contracts?bucket=M1"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("/a\r\nSet-Cookie: x=1", "/"),
        ("", "/"),
    ],
)
def test_the_redirect_stays_on_the_site(target: str, safe: str) -> None:
    assert safe_next(target) == safe


@pytest.mark.parametrize("path", ["/", "/_stcore/health", "/_stcore/metrics", "/media/a.csv"])
def test_every_response_carries_the_security_headers(store, path: str) -> None:
    _, headers, _ = call(path)
    assert all(h in headers for h in HEADERS), sorted(headers)
    csp = headers["content-security-policy"][0]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert "http:" not in csp.replace(f"ws://{HOST}", "") and "https:" not in csp
    assert headers["x-frame-options"] == ["DENY"]
    assert headers["x-content-type-options"] == ["nosniff"]


def test_metrics_are_closed(store) -> None:
    status, _, body = call("/_stcore/metrics")
    assert status == 404 and b"streamlit" not in body


def test_media_answers_only_a_live_session_cookie(store) -> None:
    assert call("/media/0123abcd.csv")[0] == 404
    assert call("/media/0123abcd.xlsx", headers={"cookie": f"{COOKIE}=made-up"})[0] == 404
    token = sessions.begin(store, "ann", "password", utc_now())
    reference = sessions.redeem(store, token, utc_now())
    cookie = {"cookie": f"{COOKIE}={reference}"}
    status, _, body = call("/media/0123abcd.xlsx", headers=cookie)
    assert (status, body) == (200, b"streamlit")
    sessions.revoke(store, reference, "user", utc_now())
    assert call("/media/0123abcd.xlsx", headers=cookie)[0] == 404
    assert call("/media/favicon.png")[0] == 200  # images need no session (the sign-in favicon)
