"""What every HTTP answer of the portal carries, and the doors it keeps shut (an ASGI middleware).

- Security headers on every response: a Content-Security-Policy that names no remote source
  (`csp`), no framing (`frame-ancestors 'none'` and `X-Frame-Options: DENY`), `nosniff`, a
  same-origin referrer, no powerful browser features, and HSTS when served over HTTPS.
- `/_stcore/metrics` answers 404: the server's internals are nobody's business.
- Files under `/media/` (downloads above all) answer 404 unless the request carries the cookie of a
  signed-in session alive now; images are exempt, so the favicon shows on the sign-in page.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from pathlib import Path

import streamlit
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dashboard.access.http_session import COOKIE, alive

METRICS = "/_stcore/metrics"
MEDIA = "/media/"
IMAGE = re.compile(r"\.(png|jpe?g|gif|webp|ico|svg)$", re.IGNORECASE)
INDEX_HTML = Path(streamlit.__file__).resolve().parent / "static" / "index.html"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL)


@cache
def inline_script_hashes() -> tuple[str, ...]:
    """CSP sources ('sha256-…') for the inline scripts of Streamlit's own index.html."""
    try:
        html = INDEX_HTML.read_text(encoding="utf-8")
    except OSError:
        return ()
    return tuple(
        f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'"
        for body in INLINE_SCRIPT.findall(html)
    )


def csp(host: str) -> str:
    """The Content-Security-Policy for a page served to `host`: own origin only, no framing."""
    sockets = f" ws://{host} wss://{host}" if host else ""
    scripts = " ".join(("'self'", *inline_script_hashes()))
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src {scripts}",
            # Streamlit's frontend (emotion, Plotly) styles elements inline.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            f"connect-src 'self'{sockets}",
            "worker-src 'self' blob:",
            "media-src 'self' data: blob:",
            "frame-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def security_headers(host: str, https: bool) -> list[tuple[bytes, bytes]]:
    """The headers every HTTP response carries."""
    headers = {
        "Content-Security-Policy": csp(host),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if https:
        headers["Strict-Transport-Security"] = "max-age=31536000"
    return [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]


def _base_path() -> str:
    from streamlit import config

    base = str(config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


class SecurityMiddleware:
    """Adds the security headers, closes the metrics endpoint, keeps media for signed-in users."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run one request through the checks, then the app, adding headers to its answer."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        conn = HTTPConnection(scope)
        path = scope["path"]
        base = _base_path()
        if base and path.startswith(base):
            path = path[len(base) :] or "/"
        forwarded = conn.headers.get("x-forwarded-proto", "").split(",")[0].strip()
        extra = security_headers(
            conn.headers.get("host", ""), "https" in (scope["scheme"], forwarded)
        )

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *[(k, v) for k, v in extra if k not in present],
                ]
            await send(message)

        if path == METRICS or path.startswith(f"{METRICS}/"):
            await PlainTextResponse("not found", status_code=404)(scope, receive, send_with_headers)
            return
        if path.startswith(MEDIA) and not IMAGE.search(path):
            reference = conn.cookies.get(COOKIE)
            if not await run_in_threadpool(alive, reference):
                answer = PlainTextResponse("not found", status_code=404)
                await answer(scope, receive, send_with_headers)
                return
        await self.app(scope, receive, send_with_headers)
