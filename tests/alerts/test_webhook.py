"""Alerts to a group chat robot (WeCom / DingTalk webhook), through a real local HTTP server.

The analytics book evaluated on 2024-07-01 raises six alerts (see test_delivery.py): the robot
gets one message per alert, never attachments, whatever the recipients."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from alerts.outbox import log
from alerts.run import evaluate
from alerts.webhook import WebhookConfig
from dashboard.delivery.alert_mail import queue_alert_mail
from dashboard.delivery.sender import deliver_due
from tests.dashboard.analytics_app import build_analytics_warehouse
from warehouse.portal import portal_engine, portal_url
from warehouse.settings import load_settings

EVALUATED = datetime(2024, 7, 1, 3, 0, tzinfo=UTC).replace(tzinfo=None)


class Robot(BaseHTTPRequestHandler):
    """Keeps each posted body; answers like WeCom (errcode 0, or the test's refusal)."""

    posted: ClassVar[list[dict]] = []
    answer: ClassVar[dict] = {"errcode": 0, "errmsg": "ok"}

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        Robot.posted.append(json.loads(self.rfile.read(length)))
        body = json.dumps(Robot.answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def robot() -> Iterator[str]:
    Robot.posted, Robot.answer = [], {"errcode": 0, "errmsg": "ok"}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Robot)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/cgi-bin/webhook/send?key=test"
    server.shutdown()
    server.server_close()


def test_each_alert_is_posted_to_the_robot_once(duckdb_url: str, robot: str) -> None:
    build_analytics_warehouse(duckdb_url)
    portal = portal_engine(portal_url(duckdb_url))
    settings = load_settings()
    done = evaluate(duckdb_url, settings, EVALUATED)
    assert queue_alert_mail(portal, done.announcements, settings, EVALUATED, robot=True) == 6
    config = WebhookConfig(robot, "wecom")
    first = deliver_due(portal, None, lambda: EVALUATED, webhook=config)
    again = deliver_due(portal, None, lambda: EVALUATED, webhook=config)
    assert (first.sent, again.sent) == (6, 0)
    assert all(p["msgtype"] == "text" for p in Robot.posted)
    contents = [p["text"]["content"] for p in Robot.posted]
    assert any(
        c.startswith("[Postloan 预警] 不良率高于预警线：100.00%（线 5.00%）") for c in contents
    )
    portal.dispose()


def test_a_refusing_robot_is_retried_not_lost(duckdb_url: str, robot: str) -> None:
    build_analytics_warehouse(duckdb_url)
    portal = portal_engine(portal_url(duckdb_url))
    settings = load_settings()
    done = evaluate(duckdb_url, settings, EVALUATED)
    queue_alert_mail(portal, done.announcements, settings, EVALUATED, robot=True)
    Robot.answer = {"errcode": 93000, "errmsg": "invalid webhook url"}
    tried = deliver_due(portal, None, lambda: EVALUATED, webhook=WebhookConfig(robot))
    assert (tried.sent, tried.retrying) == (0, 6)
    errors = set(log(portal, "queued")["last_error"])
    assert errors == {"the robot refused the message: invalid webhook url"}
    portal.dispose()


@pytest.mark.parametrize(
    ("section", "message"),
    [({"url": "ftp://x"}, "http"), ({"url": "https://x", "kind": "slack"}, "kind")],
)
def test_a_bad_robot_setting_is_refused(section: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WebhookConfig.from_secrets(section)
