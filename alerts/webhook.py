"""Posting an alert to a group chat robot: WeCom (企业微信) or DingTalk (钉钉) webhooks.

Both take a JSON body `{"msgtype": "text", "text": {"content": …}}` at the robot's URL, set in
`[webhook]` of the secrets file (`url`, `kind` = wecom | dingtalk). A robot posts into a group,
so it carries one message per alert event, not one per recipient, and never attachments (a pack
holds personal or supervisory data; the group is not a recipient whose access was checked).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from alerts.mail import MailError
from alerts.outbox import ROBOT

__all__ = ["ROBOT", "WebhookConfig", "post"]

KINDS = ("wecom", "dingtalk")


@dataclass(frozen=True)
class WebhookConfig:
    """A robot: its URL and kind, and how long to wait for it."""

    url: str
    kind: str = "wecom"
    timeout: float = 10.0

    @classmethod
    def from_secrets(cls, section: Mapping[str, Any]) -> WebhookConfig | None:
        """The `[webhook]` table of the secrets file, or None when no URL is set."""
        url = str(section.get("url", "")).strip()
        if not url:
            return None
        if not url.startswith(("https://", "http://")):
            raise ValueError(f"[webhook] url must be an http(s) address, not {url!r}")
        kind = str(section.get("kind", "wecom"))
        if kind not in KINDS:
            raise ValueError(f"[webhook] kind must be one of {', '.join(KINDS)}, not {kind!r}")
        return cls(url, kind, float(section.get("timeout", 10)))


def post(text: str, config: WebhookConfig) -> None:
    """Post `text` to the robot; MailError (with the reason) when it is not accepted."""
    body = json.dumps({"msgtype": "text", "text": {"content": text}}, ensure_ascii=False)
    request = urllib.request.Request(  # noqa: S310 (an http(s) URL from the secrets file)
        config.url,
        data=body.encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=config.timeout) as response:  # noqa: S310
            answer = json.loads(response.read() or b"{}")
    except (OSError, urllib.error.URLError, ValueError) as exc:
        raise MailError(f"{type(exc).__name__}: {exc}") from exc
    if int(answer.get("errcode", 0)) != 0:
        raise MailError(f"the robot refused the message: {answer.get('errmsg', answer)}")
