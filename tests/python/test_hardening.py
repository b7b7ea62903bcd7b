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
        if got[0]:
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
    # one answer per connection: a kept-alive connection the server then closes would race the next request
    fields = {"Content-Type": "application/json", "Content-Length": str(len(body)), "Connection": "close",
              **(headers or {})}
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
    f = emu.create_file('{"custom_id": "a", "method": "POST", "url": "/v1/chat/completions"}', purpose="batch")
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


# --- case 4 (and 17's non-ASCII key): whitespace stripped, other characters refused without the value ---

def test_case04_surrounding_whitespace_is_stripped_from_key_and_organization(emu):
    batch = emu.seed_batch(status="in_progress")
    cmdlets.stop_batch(batch["id"], force=True, api_key=f" {API_KEY}\r\n", organization=f"{ORGANIZATION}\n")
    (request,) = emu.requests()
    assert request["headers"]["Authorization"] == f"Bearer {API_KEY}"
    assert request["headers"]["OpenAI-Organization"] == ORGANIZATION


def test_case04_whitespace_is_stripped_from_the_environment_key(emu, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", API_KEY + "\n")
    batch = emu.seed_batch(status="in_progress")
    cmdlets.stop_batch(batch["id"], force=True)
    assert emu.requests()[0]["headers"]["Authorization"] == f"Bearer {API_KEY}"


@pytest.mark.parametrize("which,value,problem", [
    ("api_key", API_KEY[:10] + "\n" + API_KEY[10:], "a control character"),
    ("api_key", API_KEY[:10] + "\x00" + API_KEY[10:], "a control character"),
    ("api_key", API_KEY[:10] + "é" + API_KEY[10:], "a non-ASCII character"),        # case 17
    ("organization", ORGANIZATION[:6] + "\r\n" + ORGANIZATION[6:], "a control character"),
    ("organization", ORGANIZATION[:6] + "ü" + ORGANIZATION[6:], "a non-ASCII character"),
])
def test_case04_other_characters_are_refused_without_showing_the_value(emu, which, value, problem):
    batch = emu.seed_batch(status="in_progress")
    with pytest.raises(errors.ConfigurationError, match=problem) as e:
        cmdlets.stop_batch(batch["id"], force=True, **{which: value})
    text = f"{e.value}{e.value!r}" + "".join(traceback.format_exception(e.value))
    for secret in (API_KEY, ORGANIZATION):
        assert secret[:8] not in text and secret[-6:] not in text
    assert api_calls(emu) == []


# --- case 5: credentials never follow a redirect to another origin -----------------------------------

@pytest.mark.parametrize("status", ["301 Moved Permanently", "302 Found", "307 Temporary Redirect",
                                    "308 Permanent Redirect"])
def test_case05_credential_headers_are_dropped_on_a_redirect_to_another_origin(emu, status):
    def elsewhere(conn, server):
        server.request(conn)
        conn.sendall(response("200 OK", BATCH))

    with raw_server(elsewhere) as other:
        def redirect(conn, server):
            server.request(conn)
            conn.sendall(response(status, headers={"Location": f"{other.url}/v1/batches/batch_1"}))

        with raw_server(redirect) as first:
            batch = cmdlets.get_batch("batch_1", api_base=f"{first.url}/v1", organization=ORGANIZATION)
    assert batch.id == "batch_1"
    sent_first, sent_other = first.received[0][1], other.received[0][1]
    assert sent_first["authorization"] == f"Bearer {API_KEY}" and sent_first["openai-organization"] == ORGANIZATION
    assert not {"authorization", "openai-organization", "api-key", "cookie"} & set(sent_other)


def test_case05_credentials_are_kept_on_a_redirect_within_the_origin(emu):
    def redirect(conn, server):
        line, _, _ = server.request(conn)
        if "/moved/" in line:
            conn.sendall(response("200 OK", BATCH))
        else:
            conn.sendall(response("302 Found", headers={"Location": "/moved/batch_1"}))

    with raw_server(redirect) as server:
        cmdlets.get_batch("batch_1", api_base=f"{server.url}/v1", organization=ORGANIZATION)
    assert [h.get("openai-organization") for _, h, _ in server.received] == [ORGANIZATION, ORGANIZATION]


# --- case 6: the key never sits in a plain local variable ---------------------------------------------

def _read_key() -> str:
    return API_KEY          # the key as a caller would read it, gone from this frame once returned


@pytest.mark.parametrize("failure", ["status", "refused", "timeout", "wait timeout", "bad config"])
@pytest.mark.parametrize("source", ["environment", "argument"])
def test_case06_tracebacks_with_locals_never_show_the_key(emu, monkeypatch, failure, source):
    batch = emu.seed_batch(status="in_progress")
    kwargs = {"organization": ORGANIZATION}
    if source == "argument":
        monkeypatch.delenv("OPENAI_API_KEY")
        kwargs["api_key"] = _read_key()
    if failure == "status":
        emu.inject_fault(method="POST", path=CANCEL, status=500)
        kwargs["max_retry_count"] = 0
    elif failure == "refused":
        kwargs["api_base"] = "http://127.0.0.1:9/v1"
    elif failure == "timeout":
        emu.inject_fault(method="POST", path=CANCEL, delay=2)
        kwargs["timeout_sec"] = 1
    elif failure == "wait timeout":
        kwargs.update(wait=True, timeout_sec=1)
    else:
        monkeypatch.setenv("OPENAI_API_BASE", "ftp://example.com/v1")     # refused by the client config
    with pytest.raises(errors.OpenAIError) as e:
        cmdlets.stop_batch(batch["id"], force=True, **kwargs)
    del kwargs
    rendered = "".join(traceback.TracebackException.from_exception(e.value, capture_locals=True).format())
    assert "kwargs =" in rendered        # locals were shown
    assert API_KEY not in rendered and ORGANIZATION not in rendered
    assert API_KEY[3:].lower() not in rendered.lower()


# --- case 7: -TimeoutSec bounds the whole request ------------------------------------------------------

def trickle(body: bytes, headers: dict[str, str], every: float = 0.25, read: bool = True):
    def play(conn, server):
        if read:
            server.request(conn)
        head = response("200 OK", headers=headers)
        conn.sendall(head.replace(b"Content-Length: 0\r\n", b""))
        for i in range(len(body)):
            conn.sendall(body[i:i + 1])
            time.sleep(every)
    return play


def assert_get_times_out(play, match: str | None = None) -> None:
    """Get-Batch with -TimeoutSec 1 against a server that plays `play`: APITimeoutError within 2 s."""
    with raw_server(play) as server:
        started = time.monotonic()
        with pytest.raises(errors.APITimeoutError, match=match):
            cmdlets.get_batch("batch_1", api_base=f"{server.url}/v1", timeout_sec=1)
    assert time.monotonic() - started < 2


def test_case07_trickling_body_bounded_by_timeout(emu):
    assert_get_times_out(trickle(BATCH, {"Content-Length": str(len(BATCH))}), match="timed out after 1 seconds")


def test_case07_never_ending_chunked_body_bounded_by_timeout(emu):
    def endless(conn, server):
        server.request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                     b"1\r\n[\r\n")
        while True:
            conn.sendall(b"2\r\n1,\r\n")
            time.sleep(0.01)

    assert_get_times_out(endless)


def test_case07_trickling_headers_bounded_by_timeout(emu):
    def slow_head(conn, server):
        server.request(conn)
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100:
            conn.sendall(bytes([byte]))
            time.sleep(0.1)

    assert_get_times_out(slow_head)


def test_case07_wait_with_trickling_polls_is_bounded_by_timeout(emu):
    running = json.dumps({"id": "batch_1", "object": "batch", "status": "in_progress"}).encode()

    def play(conn, server):
        while True:
            line, _, _ = server.request(conn)
            if not line:
                return
            trickle(running, {"Content-Length": str(len(running))}, every=0.1, read=False)(conn, server)

    with raw_server(play) as server:
        started = time.monotonic()
        with pytest.raises(errors.WaitTimeoutError):
            cmdlets.wait_batch("batch_1", api_base=f"{server.url}/v1", timeout_sec=2)
    assert time.monotonic() - started < 3


def test_case07_timed_requests_still_reuse_the_connection(emu):
    batch = emu.seed_batch(status="in_progress")
    for _ in range(3):
        cmdlets.get_batch(batch["id"], timeout_sec=5)
    assert len({r["client_port"] for r in emu.requests()}) == 1


# --- case 8: decoded size is capped --------------------------------------------------------------------

def test_case08_gzip_bomb_is_refused_with_a_clear_error(emu):
    bomb = gzip.compress(b"[" + b" " * (80 << 20) + b"]", compresslevel=9)      # ~80 KB, 80 MB inflated

    def play(conn, server):
        server.request(conn)
        conn.sendall(response("200 OK", bomb, {"Content-Encoding": "gzip"}))

    with raw_server(play) as server:
        started = time.monotonic()
        with pytest.raises(errors.InvalidResponseError, match="larger than 64 MB once decoded"):
            cmdlets.get_batch("batch_1", api_base=f"{server.url}/v1")
    assert time.monotonic() - started < 3


def test_case08_gzip_json_is_still_read(emu):
    def play(conn, server):
        server.request(conn)
        conn.sendall(response("200 OK", gzip.compress(BATCH), {"Content-Encoding": "gzip"}))

    with raw_server(play) as server:
        assert cmdlets.get_batch("batch_1", api_base=f"{server.url}/v1").id == "batch_1"


def test_case08_file_content_may_be_far_larger_than_json(emu):
    content = b"x" * (70 << 20)         # over the JSON cap
    f = emu.create_file(content, purpose="user_data")
    assert cmdlets.get_openai_file_content(f["id"]) == content


# --- case 10: a list whose cursor does not advance -----------------------------------------------------

def test_case10_list_whose_cursor_does_not_advance_is_a_clear_error(emu):
    page = {"object": "list", "data": [{"id": "batch_1", "object": "batch", "status": "completed"}],
            "first_id": "batch_1", "last_id": "batch_1", "has_more": True}
    emu.inject_fault(method="GET", path="/v1/batches", status=200, body=page, count=None)
    got = []
    with pytest.raises(errors.InvalidResponseError, match="listed that page already"):
        for b in cmdlets.get_batch(all=True):
            got.append(b.id)
    assert got == ["batch_1", "batch_1"] and len(api_calls(emu)) == 2


def test_case10_paging_through_real_pages_still_works(emu):
    emu.seed_batches(150)                   # two pages: -All reads 100 at a time
    assert len(list(cmdlets.get_batch(all=True, limit=2))) == 150
    assert len(api_calls(emu)) == 2


# --- case 11: a 307/308 on an upload sends the body again ----------------------------------------------

@pytest.mark.parametrize("status", ["307 Temporary Redirect", "308 Permanent Redirect"])
def test_case11_upload_redirected_by_307_resends_the_whole_body(emu, status):
    uploaded = json.dumps({"id": "file_1", "object": "file", "bytes": 5, "filename": "a.jsonl",
                           "purpose": "batch"}).encode()

    def play(conn, server):
        while True:
            line, _, _ = server.request(conn)
            if not line:
                return
            if line.startswith("POST /v1/files "):
                conn.sendall(response(status, headers={"Location": "/v1/files-moved"}))
            else:
                conn.sendall(response("200 OK", uploaded))

    with raw_server(play) as server:
        f = cmdlets.add_openai_file(content=b"hello", name="a.jsonl", purpose="batch",
                                    api_base=f"{server.url}/v1", timeout_sec=3)
    assert f.id == "file_1"
    (first, h1, body1), (second, h2, body2) = server.received
    assert second.startswith("POST /v1/files-moved ")
    assert body1 == body2 and b"hello" in body2 and len(body2) == int(h2["content-length"])


# --- a server that closes kept-alive connections without saying so -------------------------------------

def test_a_server_closing_each_connection_after_two_answers_fails_no_request(emu):
    """Its third request on a connection is read and left unanswered (as a server closing an idle connection
    while a request is on its way): each is sent again on a new connection, an upload with its whole body."""
    uploaded = json.dumps({"id": "file_1", "object": "file", "bytes": 5, "filename": "a.jsonl",
                           "purpose": "batch"}).encode()
    connections = []

    def play(conn, server):
        connections.append(conn)
        for _ in range(2):
            line, _, _ = server.request(conn)
            if not line:
                return
            conn.sendall(response("200 OK", uploaded if " /v1/files " in line else BATCH, {"Connection": "keep-alive"}))
        read_request(conn)      # (not recorded: it was never handled)

    calls = [lambda api: cmdlets.get_batch("batch_1", api_base=api),
             lambda api: cmdlets.stop_batch("batch_1", force=True, pass_thru=True, api_base=api),
             lambda api: cmdlets.add_openai_file(content=b"hello", name="a.jsonl", purpose="batch", api_base=api)]
    with raw_server(play) as server:
        got = [calls[i % 3](f"{server.url}/v1").id for i in range(30)]
    assert got == ["batch_1", "batch_1", "file_1"] * 10
    assert len(server.received) == 30 and len(connections) == 15
    for line, headers, body in server.received:
        assert len(body) == int(headers.get("content-length") or 0)
        if " /v1/files " in line:
            assert b"hello" in body


# --- case 13: absurdly nested JSON ---------------------------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000


def test_case13_deeply_nested_json_is_an_invalid_response(emu):
    batch = emu.seed_batch(status="in_progress")
    emu.inject_fault(method="GET", path="/v1/batches/{id}", status=200, body_text=DEEP,
                     content_type="application/json")
    with pytest.raises(errors.InvalidResponseError, match="nested too deeply"):
        cmdlets.get_batch(batch["id"])


def test_case13_deeply_nested_error_body_keeps_its_status(emu):
    batch = emu.seed_batch(status="in_progress")
    emu.inject_fault(method="GET", path="/v1/batches/{id}", status=500, body_text=DEEP,
                     content_type="application/json")
    with pytest.raises(errors.InternalServerError):
        cmdlets.get_batch(batch["id"], max_retry_count=0)


def test_case13_deeply_nested_output_line_is_an_invalid_response(emu):
    f = emu.create_file(DEEP + "\n", purpose="user_data")
    done = {"object": "batch", "id": "batch_x", "status": "completed", "output_file_id": f["id"]}
    with pytest.raises(errors.InvalidResponseError, match="Line 1 .* is not a JSON object"):
        list(cmdlets.get_batch_output(done))


# --- case 14: binding as pwsh binds; no silent POST -> GET ---------------------------------------------

def test_case14_property_binding_follows_powershell_name_then_alias_order(emu):
    b, i = emu.seed_batch(status="in_progress"), emu.seed_batch(status="in_progress")
    # Stop-Batch's BatchId has aliases (Id, batch_id): pwsh binds `id`, whatever the key order
    cmdlets.stop_batch({"batch_id": b["id"], "id": i["id"]}, force=True)
    # Get-Batch's BatchId has aliases (Batch, batch_id, Id): pwsh binds `batch_id`
    assert cmdlets.get_batch({"id": i["id"], "batch_id": b["id"]}).id == b["id"]
    assert api_calls(emu) == [("POST", f"/v1/batches/{i['id']}/cancel"), ("GET", f"/v1/batches/{b['id']}")]


@pytest.mark.parametrize("status", ["301 Moved Permanently", "302 Found", "303 See Other"])
@pytest.mark.parametrize("call", ["cancel", "delete"])
def test_case14_redirect_never_turns_post_or_delete_into_get(emu, status, call):
    def play(conn, server):
        server.request(conn)
        conn.sendall(response(status, headers={"Location": "/v1/elsewhere"}))

    with raw_server(play) as server:
        with pytest.raises(errors.InvalidResponseError, match="would turn the (POST|DELETE) into a GET") as e:
            if call == "cancel":
                cmdlets.stop_batch("batch_1", force=True, api_base=f"{server.url}/v1", timeout_sec=3)
            else:
                cmdlets.remove_openai_file("file_1", api_base=f"{server.url}/v1", timeout_sec=3)
    assert e.value.status == int(status[:3])
    assert len(server.received) == 1


def test_case14_get_still_follows_a_redirect(emu):
    def play(conn, server):
        line, _, _ = server.request(conn)
        conn.sendall(response("200 OK", BATCH) if "/moved" in line else
                     response("301 Moved Permanently", headers={"Location": "/moved/batch_1"}))

    with raw_server(play) as server:
        assert cmdlets.get_batch("batch_1", api_base=f"{server.url}/v1").id == "batch_1"


# --- case 15: the last poll of a timed wait ------------------------------------------------------------

def test_case15_poll_straddling_the_deadline_is_a_wait_timeout(emu):
    batch = emu.seed_batch(status="in_progress")
    emu.inject_fault(method="GET", path="/v1/batches/{id}", delay=0.3, count=None)
    started = time.monotonic()
    with pytest.raises(errors.WaitTimeoutError, match="did not finish within 1 seconds"):
        cmdlets.wait_batch(batch["id"], poll_interval_sec=0, timeout_sec=1)
    assert time.monotonic() - started < 1.5


# --- case 16: the real cause of a failed connection ----------------------------------------------------

@pytest.mark.parametrize("answer,cause", [
    (b"", "RemoteDisconnected"),
    (b"HELLO WORLD\r\n\r\n", "BadStatusLine"),
    (b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n", "LineTooLong"),
], ids=["dropped", "garbage status line", "oversized header"])
def test_case16_connection_errors_name_the_real_cause(emu, answer, cause):
    def play(conn, server):
        server.request(conn)
        conn.sendall(answer)

    with raw_server(play) as server:
        with pytest.raises(errors.APIConnectionError) as e:
            cmdlets.get_batch("batch_1", api_base=f"{server.url}/v1", timeout_sec=3)
    assert cause in str(e.value), str(e.value)
    assert "buffering" not in str(e.value)


# --- case 17: unsendable values and misleading messages ------------------------------------------------

@pytest.mark.parametrize("value,match", [
    ("DIR", r"metadata\.folder is a \w*Path, which has no JSON form"),
    (b"bytes", r"metadata\.folder is a bytes"),
    (float("nan"), r"metadata\.folder is nan \(NaN and Infinity are not JSON numbers\)"),
    (float("inf"), r"metadata\.folder is inf"),
], ids=["directory", "bytes", "NaN", "Infinity"])
def test_case17_unsendable_metadata_is_a_binding_error_before_sending(emu, tmp_path, value, match):
    value = tmp_path if value == "DIR" else value
    with pytest.raises(errors.ParameterBindingError, match=match):
        cmdlets.start_batch("file_1", metadata={"folder": value})
    assert api_calls(emu) == []


def test_case17_nan_in_a_batch_item_body_is_refused(emu):
    item = {"custom_id": "a", "method": "POST", "url": "/v1/chat/completions",
            "body": {"model": "m", "temperature": float("nan")}}
    with pytest.raises(errors.ParameterBindingError, match=r"Batch input item 1 .*body\.temperature is nan"):
        cmdlets.start_batch([item])
    assert api_calls(emu) == []


def test_case17_directory_upload_says_it_is_a_directory(emu, tmp_path):
    with pytest.raises(errors.ParameterBindingError, match="it is a directory"):
        cmdlets.add_openai_file(str(tmp_path), purpose="batch")
    assert api_calls(emu) == []
