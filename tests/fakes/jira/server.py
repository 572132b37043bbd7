"""HTTP plumbing: a threading HTTP/1.1 server on loopback, auth, request log, faults."""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from .errors import JiraError
from .faults import FaultKind, FaultPlan
from .model import FakeJiraConfig, User
from .routes import JiraApi, Reply, Request

API_PREFIX = re.compile(r"^/rest/api/(?:2|latest)/(?P<rest>.*?)/?$")
#: Anonymous callers may read this (as on a real site); everything else needs a login.
ANONYMOUS_PATHS = {"serverInfo"}
WRITE_METHODS = {"POST", "PUT", "DELETE"}
SEARCH_PATHS = {"search", "search/jql", "search/approximate-count"}


@dataclass(frozen=True)
class RequestRecord:
    """One request as the server saw it (tests read these; bodies are kept for assertions)."""

    method: str
    path: str
    query: dict[str, list[str]]
    body_size: int
    status: int | None  # None when the connection was dropped
    fault: str | None
    duration: float
    body: bytes = field(default=b"", repr=False)

    @property
    def is_write(self) -> bool:
        """A request that changes data (searches over POST do not count)."""
        api = API_PREFIX.match(self.path)
        rest = api["rest"] if api else self.path
        return self.method in WRITE_METHODS and rest not in SEARCH_PATHS

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class RequestLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[RequestRecord] = []

    def add(self, record: RequestRecord) -> None:
        with self._lock:
            self._records.append(record)

    def records(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._records)

    def reset(self) -> None:
        with self._lock:
            self._records.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._records)


class Authenticator:
    """Cloud: basic auth with e-mail + API token. Data Center: bearer personal access token."""

    def __init__(self, config: FakeJiraConfig) -> None:
        self.config = config

    def identify(self, header: str | None) -> User | None | bool:
        """The user, None for an anonymous caller, False for bad credentials."""
        if not header:
            return None
        scheme, _, value = header.partition(" ")
        if self.config.deployment == "cloud" and scheme.lower() == "basic":
            try:
                email, _, token = base64.b64decode(value).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                return False
            if self.config.cloud_credentials.get(email) == token:
                return self._user(email)
        if self.config.deployment == "datacenter" and scheme.lower() == "bearer":
            username = self.config.dc_tokens.get(value.strip())
            if username is not None:
                return self._user(username)
        return False

    def _user(self, ident: str) -> User | bool:
        for user in self.config.users:
            if ident in (user.email, user.name):
                return user
        return False


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, app: FakeJiraHttp) -> None:
        self.app = app
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away (a killed sync) is normal here; anything else is printed."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Silence the default stderr access log; tests read ``RequestLog`` instead."""

    def do_GET(self) -> None:
        self.server.app.serve(self)

    do_POST = do_GET
    do_PUT = do_GET
    do_DELETE = do_GET


class FakeJiraHttp:
    """Owns the socket server thread and turns HTTP exchanges into API calls."""

    def __init__(self, api: JiraApi, config: FakeJiraConfig, faults: FaultPlan) -> None:
        self.api = api
        self.config = config
        self.faults = faults
        self.log = RequestLog()
        self.auth = Authenticator(config)
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the fake Jira server is not running")
        return int(self._server.server_address[1])

    def start(self) -> None:
        self._stopping.clear()
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def _pause(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)

    # -- one exchange ----------------------------------------------------------------------
    def serve(self, handler: _Handler) -> None:
        started = time.monotonic()
        url = urlsplit(handler.path)
        path = unquote(url.path)
        query = parse_qs(url.query, keep_blank_values=True)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        method = handler.command

        self._pause(self.faults.latency)
        fault = self.faults.next_fault(method, path)
        kind = fault.kind if fault is not None else None
        if fault is not None and kind is FaultKind.SLOW:
            self._pause(fault.delay)
        reply: Reply | None = None
        if fault is not None and kind is FaultKind.STATUS:
            headers = (
                {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            )
            reply = Reply(fault.status, _fault_body(fault.status), headers)
        elif kind is not FaultKind.DROP:
            reply = self._answer(method, path, query, body, handler.headers.get("Authorization"))
        answered = reply is not None and kind is not FaultKind.APPLY_THEN_DROP
        # Log before answering, so a client that has its answer always finds it in the log.
        self.log.add(
            RequestRecord(
                method,
                path,
                query,
                len(body),
                reply.status if reply is not None and answered else None,
                kind.value if kind is not None else None,
                time.monotonic() - started,
                body,
            )
        )
        if reply is not None and answered:
            self._send(handler, reply)
        else:
            self._drop(handler)

    def _answer(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        body: bytes,
        authorization: str | None,
    ) -> Reply:
        api = API_PREFIX.match(path)
        if api is None:
            return Reply(404, {"errorMessages": [f"null for uri: {path}"], "errors": {}})
        rest = api["rest"]
        user = self.auth.identify(authorization)
        if user is False or (user is None and rest not in ANONYMOUS_PATHS):
            return _unauthorized(self.config.deployment == "cloud")
        actor = user if isinstance(user, User) else self.config.users[0]
        try:
            return self.api.handle(Request(method, rest, query, body, actor))
        except JiraError as error:
            return Reply(error.status, error.body())

    def _send(self, handler: _Handler, reply: Reply) -> None:
        payload = b"" if reply.body is None else json.dumps(reply.body).encode()
        try:
            handler.send_response(reply.status)
            if payload:
                handler.send_header("Content-Type", "application/json;charset=UTF-8")
            handler.send_header("Content-Length", str(len(payload)))
            handler.send_header("X-Arequestid", f"fake-{threading.get_ident()}")
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True

    @staticmethod
    def _drop(handler: _Handler) -> None:
        handler.close_connection = True
        with contextlib.suppress(OSError):
            handler.connection.shutdown(socket.SHUT_RDWR)


def _fault_body(status: int) -> dict[str, Any]:
    if status == 429:
        return {"errorMessages": ["Rate limit exceeded."], "errors": {}}
    return {"errorMessages": [f"Injected fault: HTTP {status}."], "errors": {}}


def _unauthorized(cloud: bool) -> Reply:
    headers = {"WWW-Authenticate": 'Basic realm="protected-area"'}
    if not cloud:
        headers = {
            "WWW-Authenticate": 'OAuth realm="Jira"',
            "X-Seraph-LoginReason": "AUTHENTICATED_FAILED",
        }
    return Reply(
        401,
        {
            "errorMessages": [
                "You are not authenticated. Authentication required to perform this operation."
            ],
            "errors": {},
        },
        headers,
    )
