"""A Slack-compatible incoming-webhook receiver on loopback: records every POSTed JSON body.

`status` makes it answer like a broken endpoint (e.g. 500) until changed back to 200.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class ReceivedPost:
    path: str
    content_type: str
    body: dict[str, Any]


@dataclass
class FakeWebhook:
    base_url: str
    path: str = "/hooks/T000/B000/s3cr3t-t0ken"
    status: int = 200
    posts: list[ReceivedPost] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return self.base_url + self.path

    def received(self) -> list[ReceivedPost]:
        with self.lock:
            return list(self.posts)


def _handler(state: FakeWebhook) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            if self.path != state.path:
                self._answer(404, "no_service")
                return
            if state.status != 200:
                self._answer(state.status, "internal_error")
                return
            try:
                body = json.loads(raw)
            except ValueError:
                self._answer(400, "invalid_payload")
                return
            if not isinstance(body, dict) or not isinstance(body.get("text"), str):
                self._answer(400, "no_text")
                return
            with state.lock:
                state.posts.append(
                    ReceivedPost(self.path, self.headers.get("Content-Type", ""), body)
                )
            self._answer(200, "ok")

        def _answer(self, status: int, text: str) -> None:
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    return Handler


@contextmanager
def running_webhook() -> Iterator[FakeWebhook]:
    state = FakeWebhook(base_url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
