"""The portal's ASGI app: Streamlit's router (`dashboard/app.py`) with the portal's own HTTP layer.

`streamlit run dashboard/server.py` (what `make run` does) finds `app` below and serves it with
uvicorn; `uvicorn dashboard.server:app` does the same behind another process manager. Beside
Streamlit's routes it mounts the session-cookie routes (`dashboard.access.http_session`) and wraps
every request in `dashboard.access.http_guard.SecurityMiddleware` (security headers, metrics closed,
media for signed-in sessions only).
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware

from dashboard.access.http_guard import SecurityMiddleware
from dashboard.access.http_session import routes

app = st.App("app.py", routes=routes(), middleware=[Middleware(SecurityMiddleware)])
