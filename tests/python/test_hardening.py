"""Issue 13 (hardening): hostile input, hostile servers, interruption. One test or more per numbered case.

Where the emulator cannot misbehave enough, a tiny raw-socket server on 127.0.0.1 plays the server.
"""
from __future__ import annotations

import gzip
import json
import socket
import threading
import time
import traceback
from contextlib import contextmanager
from typing import Callable, Iterator

import pytest
import requests

import cmdlets
from cmdlets.core import errors
from conftest import API_KEY, ORGANIZATION, api_calls

CANCEL = "/v1/batches/{id}/cancel"


# --- a raw-socket server -------------------------------------------------------------------------------

def read_request(conn: socket.socket) -> tuple[str, dict[str, str], bytes]:
    """Reads one request (head and Content-Length body); returns (request line, lower-cased headers, body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return "", {}, b""
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    line, *fields = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (f.partition(":") for f in fields)}
    length = int(headers.get("content-length") or 0)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return line, headers, body


class RawServer:
    """Accepts connections on 127.0.0.1; `handle(conn, server)` plays each one. Records what was received."""

    def __init__(self, handle: Callable[[socket.socket, "RawServer"], None]):
        self.handle = handle
        self.received: list[tuple[str, dict[str, str], bytes]] = []
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.stopping = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            try:
                self.handle(conn, self)
            except OSError:
                pass

    def request(self, conn: socket.socket) -> tuple[str, dict[str, str], bytes]:
        got = read_request(conn)
        self.received.append(got)
        return got

    def close(self) -> None:
        self.stopping.set()
        self.sock.close()


@contextmanager
def raw_server(handle) -> Iterator[RawServer]:
    server = RawServer(handle)
    try:
        yield server
    finally:
        server.close()


def response(status: str, body: bytes = b"", headers: dict[str, str] | None = None) -> bytes:
    fields = {"Content-Type": "application/json", "Content-Length": str(len(body)), **(headers or {})}
    return (f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in fields.items()) + "\r\n").encode() + body


BATCH = json.dumps({"id": "batch_1", "object": "batch", "status": "in_progress"}).encode()


# --- case 3: Idempotency-Key ---------------------------------------------------------------------------

def test_case03_emulator_replays_the_answer_to_a_repeated_idempotency_key(emu):
    f = emu.create_file("{}", purpose="batch")
    url = f"{emu.base_url}/batches"
    auth = {"Authorization": f"Bearer {API_KEY}", "Idempotency-Key": "key-1"}
    body = {"input_file_id": f["id"], "endpoint": "/v1/chat/completions", "completion_window": "24h"}
    first = requests.post(url, json=body, headers=auth)
    again = requests.post(url, json=body, headers=auth)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() and again.headers["Idempotent-Replayed"] == "true"
    assert len(emu.list_batches()["data"]) == 1
    other = requests.post(url, json={**body, "completion_window": "1h"}, headers=auth)
    assert other.status_code == 400 and "same parameters" in other.json()["error"]["message"]
    fresh = requests.post(url, json=body, headers={**auth, "Idempotency-Key": "key-2"})
    assert fresh.json()["id"] != first.json()["id"]


def test_case03_post_retried_after_a_processed_502_creates_one_batch(emu):
    f = emu.create_file("{}", purpose="batch")
    emu.inject_fault(method="POST", path="/v1/batches", status=502, process=True, headers={"retry-after-ms": "10"})
    batch = cmdlets.start_batch(f["id"], max_retry_count=1)
    assert [b["id"] for b in emu.list_batches()["data"]] == [batch.id]
    posts = [r for r in emu.requests() if r["method"] == "POST"]
    keys = {r["headers"].get("Idempotency-Key") for r in posts}
    assert len(posts) == 2 and len(keys) == 1 and None not in keys


def test_case03_each_logical_request_has_its_own_key_and_gets_none(emu):
    batch = emu.seed_batch(status="in_progress")
    cmdlets.stop_batch(batch["id"])                     # GET, then the cancel POST
    cmdlets.stop_batch(batch["id"], force=True)         # another POST
    get, post1, post2 = emu.requests()
    assert "Idempotency-Key" not in get["headers"]
    assert post1["headers"]["Idempotency-Key"] != post2["headers"]["Idempotency-Key"]


# --- case 18: the emulator answers malformed requests ------------------------------------------------

def raw_exchange(emu, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", emu.port), timeout=5) as s:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        out = b""
        while chunk := s.recv(65536):
            out += chunk
    return out


@pytest.mark.parametrize("request_bytes", [
    b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST /v1/files HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFF\r\nabc\r\n",
    b"POST /v1/files HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nabc\r\n0\r\n\r\n",
    b"POST /v1/files HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999\r\n\r\nabc",
    b"POST /v1/files HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\nabc",
], ids=["OPTIONS *", "huge chunk", "negative chunk", "huge length", "signed length"])
def test_case18_emulator_answers_malformed_requests_with_4xx(emu, request_bytes):
    answer = raw_exchange(emu, request_bytes)
    status = int(answer.split(b" ", 2)[1])
    assert 400 <= status < 500, answer[:200]
    assert requests.get(f"{emu.control_url}/faults").status_code == 200      # and it still serves
