"""The server side of the session cookie: the routes that set it, and its checks outside a run.

Signing in is two steps. The Streamlit form checks the password and records a pending session
(`warehouse.portal.sessions.begin`), then the page loads `/_postloan/continue.js`, which posts the
one-time token to `POST /_postloan/session`. That route redeems the token once and answers with
the session cookie — random, HttpOnly, SameSite=Strict, Secure over HTTPS — and a redirect back to
the page the user asked for. The password never leaves the form; the token is single-use, lives
`TOKEN_SECONDS`, and is worth nothing without the browser that posts it within that time.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from warehouse.portal import portal_engine, portal_url, sessions, utc_now
from warehouse.settings import Settings, load_settings, warehouse_url

COOKIE = "postloan_session"
PREFIX = "/_postloan"
SESSION_PATH = f"{PREFIX}/session"
SCRIPT_PATH = f"{PREFIX}/continue.js"
CONTINUE_JS = Path(__file__).resolve().parents[1] / "assets" / "continue.js"
MAX_FORM_BYTES = 4096
SETTINGS_TTL = 60.0  # seconds, as dashboard.data.portal_store.SETTINGS_TTL


_ENGINES: OrderedDict[str, Engine] = OrderedDict()
_ENGINES_LOCK = threading.Lock()
MAX_ENGINES = 4


def _engine(url: str) -> Engine:
    # The newest few stores stay open; an older one is disposed, not left for the collector,
    # which would close its PostgreSQL connections mid-request elsewhere and warn.
    with _ENGINES_LOCK:
        engine = _ENGINES.pop(url, None) or portal_engine(url)
        _ENGINES[url] = engine
        while len(_ENGINES) > MAX_ENGINES:
            _ENGINES.popitem(last=False)[1].dispose()
        return engine


def store() -> Engine:
    """The portal store of the warehouse in force (the one the Streamlit pages use)."""
    return _engine(portal_url(warehouse_url()))


_settings: tuple[float, Settings] | None = None


def settings() -> Settings:
    """The settings in force, re-read at most once a minute."""
    global _settings
    if _settings is None or time.monotonic() - _settings[0] > SETTINGS_TTL:
        _settings = (time.monotonic(), load_settings())
    return _settings[1]


def limits() -> dict[str, int]:
    """The session limits of the settings in force, as `sessions.check` takes them."""
    cfg = settings()
    return {
        "idle_minutes": int(cfg["access.idle_minutes"]),
        "absolute_hours": int(cfg["access.absolute_hours"]),
    }


def alive(reference: str | None) -> bool:
    """True when cookie value `reference` names a session alive now (not counted as activity)."""
    if not reference:
        return False
    found = sessions.check(store(), reference, utc_now(), touch=False, **limits())
    return found is not None and found.alive


def safe_next(target: str | None) -> str:
    """`target` when it is a path on this site ('/contracts?bucket=M1'), else '/'."""
    if not target or len(target) > 2000 or not target.startswith("/"):
        return "/"
    if target.startswith(("//", "/\\")) or any(ord(c) < 32 for c in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


def same_origin(request: Request) -> bool:
    """True when the browser says the request comes from a page of this very site."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site != "same-origin":
        return False
    origin = request.headers.get("origin")
    host = request.headers.get("host")
    return bool(origin and host) and urlsplit(origin).netloc == host


def _secure(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "")
    return request.url.scheme == "https" or forwarded.split(",")[0].strip() == "https"


async def _redeem(request: Request) -> Response:
    """POST /_postloan/session: one-time token in, session cookie and redirect out."""
    if not same_origin(request):
        return PlainTextResponse("forbidden", status_code=403)
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return PlainTextResponse("too large", status_code=413)
    form = parse_qs(body.decode("utf-8", "replace"), max_num_fields=4)
    token = (form.get("token") or [""])[0]
    target = safe_next((form.get("next") or ["/"])[0])
    reference = await run_in_threadpool(sessions.redeem, store(), token, utc_now())
    response = RedirectResponse(target, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    if reference is not None:
        response.set_cookie(
            COOKIE,
            reference,
            max_age=limits()["absolute_hours"] * 3600,
            path="/",
            secure=_secure(request),
            httponly=True,
            samesite="strict",
        )
    return response


async def _continue_js(_request: Request) -> Response:
    """GET /_postloan/continue.js: the script that posts the token (no inline script needed)."""
    return FileResponse(
        CONTINUE_JS, media_type="text/javascript", headers={"Cache-Control": "no-store"}
    )


def routes() -> list[Route]:
    """The routes `st.App` mounts beside Streamlit's own."""
    return [
        Route(SESSION_PATH, _redeem, methods=["POST"]),
        Route(SCRIPT_PATH, _continue_js, methods=["GET"]),
    ]
