"""Sending one message by SMTP: the server from `[smtp]` in the secrets file, plain or STARTTLS.

The message's Message-ID is made from its idempotency key, so should a message ever go out twice
(a sender killed between the server accepting it and the log recording it) the copies carry the
same id and a mail client shows one. Nothing here retries: the outbox does (`alerts.outbox`).
"""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate
from typing import Any

from alerts.outbox import Message

DEFAULT_SENDER = "postloan@localhost"


class MailError(RuntimeError):
    """The message could not be handed to the SMTP server (why, in words)."""


@dataclass(frozen=True)
class SmtpConfig:
    """Where to send from: host, port, STARTTLS, credentials, the sender's address."""

    host: str
    port: int = 25
    starttls: bool = False
    user: str = ""
    password: str = ""
    sender: str = DEFAULT_SENDER
    timeout: float = 30.0

    @classmethod
    def from_secrets(cls, section: Mapping[str, Any]) -> SmtpConfig | None:
        """The `[smtp]` table of the secrets file, or None when no host is set."""
        host = str(section.get("host", "")).strip()
        if not host:
            return None
        try:
            port = int(section.get("port", 25))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"[smtp] port must be a number, not {section.get('port')!r}") from exc
        return cls(
            host=host,
            port=port,
            starttls=bool(section.get("starttls", False)),
            user=str(section.get("user", "")),
            password=str(section.get("password", "")),
            sender=str(section.get("sender", DEFAULT_SENDER)),
            timeout=float(section.get("timeout", 30)),
        )


def message_id(key: str, sender: str) -> str:
    """A Message-ID that is the same for every copy of the message with idempotency key `key`."""
    domain = sender.rpartition("@")[2] or "localhost"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def build(message: Message, config: SmtpConfig) -> EmailMessage:
    """The e-mail of `message`: plain text (UTF-8) with its attachments."""
    mail = EmailMessage()
    mail["From"] = formataddr(("Postloan 贷后管理", config.sender))
    mail["To"] = message.address
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(usegmt=True)
    mail["Message-ID"] = message_id(message.key, config.sender)
    mail.set_content(message.body)
    for name, data in message.attachments:
        maintype, subtype = _type_of(name)
        mail.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return mail


def _type_of(name: str) -> tuple[str, str]:
    if name.endswith(".pdf"):
        return "application", "pdf"
    if name.endswith(".xlsx"):
        return "application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return "application", "octet-stream"


def send(mail: EmailMessage, config: SmtpConfig) -> None:
    """Hand `mail` to the SMTP server; MailError (with the reason) when it is not accepted."""
    try:
        with smtplib.SMTP(config.host, config.port, timeout=config.timeout) as smtp:
            if config.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if config.user:
                smtp.login(config.user, config.password)
            smtp.send_message(mail)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"{type(exc).__name__}: {exc}") from exc
