"""The HTTP layer: keep-alive HTTP/1.1 transport, auth, fault application and dispatch.

Responses are written with a single send (status line, headers and body together) on a
TCP_NODELAY socket, so a keep-alive client never waits on Nagle/delayed-ACK interplay.
"""
from __future__ import annotations

import socket
import socketserver
import sys
import threading
import time
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import unquote, urlsplit

from . import api, control
from .errors import ApiError, error_body, mask_key
from .faults import FaultRegistry, FaultRule
from .http_types import Request, Response, json_response
from .ids import request_id
from .request_log import RequestLog
from .state import Store

CONTROL_PREFIX = "__emulator__"
MAX_BODY_BYTES = 1 << 30      # larger request bodies are refused with 413 before they are read
_REASONS = {s.value: s.phrase for s in HTTPStatus}
_MISSING_KEY = ("You didn't provide an API key. You need to provide your API key in an Authorization header "
                "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank "
                "username) if you're accessing the API from your browser and are prompted for a username and "
                "password. You can obtain an API key from https://platform.openai.com/account/api-keys.")


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False        # keep-alive handler threads may idle forever; stop() closes their sockets
    allow_reuse_address = True
    request_queue_size = 1024     # benchmark clients open many connections at once

    def __init__(self, host: str, port: int, store: Store, faults: FaultRegistry, log: RequestLog,
                 api_key: str | None):
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.store, self.faults, self.log, self.api_key = store, faults, log, api_key
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__((host, port), _Handler)

    def handle_error(self, request, client_address) -> None:
        # A client that hangs up (a stream closed early, a stop mid-request) is normal here, not a traceback
        # on stderr; anything else is still printed.
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)):
            return
        super().handle_error(request, client_address)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host's FQDN, which can stall on DNS; it is not needed.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def track(self, conn: socket.socket, open_: bool) -> None:
        with self._connections_lock:
            (self._connections.add if open_ else self._connections.discard)(conn)

    def close_connections(self) -> None:
        """Unblocks handler threads idling on keep-alive connections."""
        with self._connections_lock:
            conns = list(self._connections)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: EmulatorServer

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, False)

    def log_message(self, format: str, *args) -> None:   # no access log: it would dominate benchmarks
        pass

    def _serve(self) -> None:
        """Handles every method: log, fault, route (control or /v1), answer."""
        srv = self.server
        raw_path = self.path
        path, _, query = raw_path.partition("?")
        if not path.startswith("/"):          # absolute-form target, e.g. via a proxy
            path = urlsplit(path).path or "/"
        headers: dict[str, str] = {}          # as received, for the log
        lower: dict[str, str] = {}            # lower-cased names, for lookups
        for name, value in self.headers.items():   # repeated headers are joined with ", "
            key = name.lower()
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
            lower[key] = f"{lower[key]}, {value}" if key in lower else value
        try:
            body = self._read_body(lower)
        except ValueError as exc:
            self.close_connection = True      # framing is lost; the connection cannot be reused
            status = 413 if isinstance(exc, _TooLarge) else 400
            self._send(json_response(error_body(f"Invalid request body: {exc}."), status))
            return
        # "*" (OPTIONS * HTTP/1.1) and other non-path targets have no segments; they get the 404 below
        segments = [unquote(s) if "%" in s else s for s in path.split("/")[1:]] if path.startswith("/") else []
        req = Request(self.command, raw_path, path, segments, query, lower, body)
        if segments and segments[0] == CONTROL_PREFIX:
            req.segments = segments[1:]
            self._send(self._respond(lambda: control.handle(srv.store, srv.faults, srv.log, req)))
            return

        entry = srv.log.record(self.command, raw_path, headers, body, self.client_address[1])
        rule = srv.faults.select(self.command, path)
        if rule is not None:
            if rule.delay:
                time.sleep(rule.delay)
            if rule.responds and not rule.process:
                self._send_fault(rule, entry)
                return
        response = self._dispatch(req)
        if rule is not None and rule.drop == "after":
            self.close_connection = True      # the work is done, but the client never hears of it
            return
        if rule is not None and rule.process:
            self._send_fault(rule, entry)     # the work is done, but the client hears of a failure
            return
        entry["status"] = response.status
        if rule is not None and rule.stall_after is not None:
            self._send(response, stall=(rule.stall_after, rule.stall))
        else:
            self._send(response)

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = do_OPTIONS = _serve

    def _dispatch(self, req: Request) -> Response:
        """Handles a /v1 request; a keyed non-GET request whose key was seen gets the stored answer."""
        key = req.headers.get("idempotency-key")
        if not key or req.method == "GET":
            return self._respond(lambda: self._handle_v1(req))
        cache = self.server.store.idempotency
        scope = (req.headers.get("authorization", "") or req.headers.get("api-key", ""), key)
        try:
            replay = cache.begin(scope, cache.fingerprint(req.method, req.path, req.body))
        except ApiError as exc:
            return json_response(exc.body(), exc.status)
        if replay is not None:
            return replay
        response = None
        try:
            response = self._respond(lambda: self._handle_v1(req))
        finally:
            cache.finish(scope, response)
        return response

    def _handle_v1(self, req: Request) -> Response:
        if req.segments and req.segments[0] == "openai":
            return self._handle_azure(req)
        if not req.segments or req.segments[0] != "v1":
            raise ApiError(404, f"Invalid URL ({req.method} {req.path})")
        self._authenticate(req.headers.get("authorization"))
        req.segments = req.segments[1:]
        return api.handle(self.server.store, req)

    def _handle_azure(self, req: Request) -> Response:
        """Azure OpenAI's routes: {endpoint}/openai/batches..., /openai/files...,
        /openai/deployments/{deployment}/chat/completions, each with a required api-version query;
        the key comes as an `api-key` header (or a Microsoft Entra token as Bearer)."""
        api_key = req.headers.get("api-key")
        if api_key is not None:
            expected = self.server.api_key
            if not api_key.strip() or expected is not None and api_key.strip() != expected:
                raise ApiError(401, "Access denied due to invalid subscription key or wrong API endpoint. Make "
                               "sure to provide a valid key for an active subscription and use a correct "
                               "regional API endpoint for your resource.", code="401")
        else:
            self._authenticate(req.headers.get("authorization"))
        if not req.query().get("api-version"):
            raise ApiError(404, "Resource not found", code="404")
        req.segments = req.segments[1:]
        return api.handle_azure(self.server.store, req)

    def _authenticate(self, authorization: str | None) -> None:
        scheme, _, token = (authorization or "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise ApiError(401, _MISSING_KEY)
        expected = self.server.api_key
        if expected is not None and token != expected:
            raise ApiError(401, f"Incorrect API key provided: {mask_key(token)}. You can find your API key "
                           "at https://platform.openai.com/account/api-keys.", code="invalid_api_key")

    @staticmethod
    def _respond(produce: Callable[[], Response]) -> Response:
        try:
            return produce()
        except ApiError as exc:
            return json_response(exc.body(), exc.status)
        except Exception:   # a bug in the emulator must still produce an answer, and be visible
            traceback.print_exc(file=sys.stderr)
            return json_response(error_body("The emulator failed while processing your request.",
                                            "server_error"), 500)

    def _send_fault(self, rule: FaultRule, entry: dict) -> None:
        if rule.drop == "before":
            self.close_connection = True
            return
        status, body, content_type, headers = rule.response()
        entry["status"] = status
        response = Response(status, body, content_type, headers)
        if rule.drop == "mid":
            self.close_connection = True
            self._send(response, truncate=True)
        else:
            self._send(response)

    def _send(self, response: Response, truncate: bool = False, stall: tuple[int, float] | None = None) -> None:
        if response.events is not None:
            self._send_events(response, stall)
            return
        body = response.body
        fields = {"content-type": ("Content-Type", response.content_type),
                  "content-length": ("Content-Length", str(len(body))),
                  "x-request-id": ("x-request-id", request_id())}
        for name, value in response.headers.items():
            fields[name.lower()] = (name, value)
        if self.close_connection:
            fields["connection"] = ("Connection", "close")
        head = f"HTTP/1.1 {response.status} {_REASONS.get(response.status, 'Unknown')}\r\n" + "".join(
            f"{name}: {value}\r\n" for name, value in fields.values()) + "\r\n"
        if truncate:
            body = body[:len(body) // 2]
        try:
            if stall is not None:
                start = head.encode("latin-1") + body[:stall[0]]
                self.server.faults.stall(stall[1], lambda: self.wfile.write(start))
                body, head = body[stall[0]:], ""
            self.wfile.write(head.encode("latin-1") + body)
        except OSError:
            self.close_connection = True

    def _send_events(self, response: Response, stall: tuple[int, float] | None) -> None:
        """A streamed body: chunked, one event per chunk, each flushed as sent (stall: after the event that
        passes that many bytes, wait as _send does - the middle of a stream)."""
        head = (f"HTTP/1.1 {response.status} {_REASONS.get(response.status, 'Unknown')}\r\n"
                f"Content-Type: {response.content_type}\r\nTransfer-Encoding: chunked\r\n"
                f"x-request-id: {request_id()}\r\n" + "".join(f"{n}: {v}\r\n" for n, v in response.headers.items())
                + "\r\n")
        sent = 0
        try:
            self.wfile.write(head.encode("latin-1"))
            for data in response.events:
                chunk = b"%x\r\n%s\r\n" % (len(data), data)
                sent += len(data)
                if stall is not None and sent >= stall[0] > sent - len(data):
                    self.server.faults.stall(stall[1], lambda: (self.wfile.write(chunk), self.wfile.flush()))
                else:
                    self.wfile.write(chunk)
                    self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            self.close_connection = True

    def _read_body(self, headers: dict[str, str]) -> bytes:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            return self._read_chunked()
        length = headers.get("content-length")
        if not length:
            return b""
        n = _size(length.strip(), 10, "Content-Length")
        if n > MAX_BODY_BYTES:
            raise _TooLarge(f"Content-Length {n} is over the limit of {MAX_BODY_BYTES} bytes")
        data = self.rfile.read(n)
        if len(data) < n:
            raise ValueError("body shorter than Content-Length")
        return data

    def _read_chunked(self) -> bytes:
        chunks = []
        total = 0
        while True:
            size = _size(self.rfile.readline(65537).split(b";")[0].strip().decode("latin-1"), 16, "chunk size")
            total += size
            if total > MAX_BODY_BYTES:     # checked before reading: a huge size must not be allocated
                raise _TooLarge(f"chunked body over the limit of {MAX_BODY_BYTES} bytes")
            if size == 0:
                while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):   # trailers
                    pass
                return b"".join(chunks)
            chunk = self.rfile.read(size)
            if len(chunk) < size:
                raise ValueError("truncated chunk")
            chunks.append(chunk)
            self.rfile.readline(65537)


class _TooLarge(ValueError):
    """A request body over MAX_BODY_BYTES: answered 413, never read."""


def _size(text: str, base: int, what: str) -> int:
    """A Content-Length or chunk size: digits only (int() would take a sign, "0x" or "_")."""
    digits = "0123456789abcdefABCDEF"[:22 if base == 16 else 10]
    if not text or len(text) > 32 or any(c not in digits for c in text):
        raise ValueError(f"invalid {what} {text[:40]!r}")
    return int(text, base)
