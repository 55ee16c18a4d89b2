"""A real local SMTP server for the tests (aiosmtpd): what it received, and a recipient it holds.

`MailBox.hold` names an address whose RCPT the server answers only once `release` is set, so a
test can stop a sender in the middle of a message; `holding` tells the test that moment came.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller


class MailBox:
    """The handler: keeps every accepted message (parsed), optionally holds one recipient."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.hold: str | None = None
        self.holding = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.hold and not self.release.is_set():
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait)
            return "451 4.3.0 held by the test"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=default)
        with self._lock:
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def received(self) -> list[EmailMessage]:
        """A copy of the messages accepted so far."""
        with self._lock:
            return list(self.messages)


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[tuple[MailBox, int]]:
    """A running SMTP server on 127.0.0.1: its mailbox and port."""
    box = MailBox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        box.release.set()
        controller.stop()


def wait_until(condition: Callable[[], bool], timeout: float = 60.0, what: str = "") -> None:
    """Return once `condition()` holds; AssertionError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        time.sleep(0.05)
