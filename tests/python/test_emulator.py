"""Tests for openai_emulator over real HTTP on 127.0.0.1 (no mocking)."""
from __future__ import annotations

import json
import os
import socket
import struct
import subprocess
import sys
import time
from http.client import HTTPConnection, IncompleteRead

import pytest
import requests

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from openai_emulator import Emulator  # noqa: E402

AUTH = {"Authorization": "Bearer sk-test"}


@pytest.fixture(scope="module")
def emu():
    with Emulator() as emulator:
        yield emulator


@pytest.fixture(autouse=True)
def _reset(emu):
    emu.reset()
    yield


@pytest.fixture
def http():
    with requests.Session() as session:
        session.headers.update(AUTH)
        yield session


def jsonl(*lines) -> bytes:
    return "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines).encode()


def chat_line(custom_id, model="gpt-4o-mini", url="/v1/chat/completions", **extra):
    body = {"messages": [{"role": "user", "content": "hi"}]}
    if model is not None:
        body["model"] = model
    return {"custom_id": custom_id, "method": "POST", "url": url, "body": body, **extra}


def upload(http, emu, content: bytes, purpose="batch", filename="input.jsonl", **fields):
    data = {"purpose": purpose, **fields}
    return http.post(f"{emu.base_url}/files", files={"file": (filename, content)}, data=data)


def create_batch(http, emu, content: bytes, **overrides):
    file_id = upload(http, emu, content).json()["id"]
    body = {"input_file_id": file_id, "endpoint": "/v1/chat/completions", "completion_window": "24h", **overrides}
    return http.post(f"{emu.base_url}/batches", json=body)


def assert_error(resp, status, param=None, code=None, message=None):
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"] == "application/json"
    error = resp.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["type"] == "invalid_request_error"
    assert error["param"] == param
    assert error["code"] == code
    if message is not None:
        assert error["message"] == message
    return error


# ---- auth and response shape ---------------------------------------------------------------

def test_missing_authorization_is_401(emu):
    resp = requests.get(f"{emu.base_url}/batches")
    error = assert_error(resp, 401)
    assert error["message"].startswith("You didn't provide an API key.")


@pytest.mark.parametrize("header", ["Bearer", "Bearer   ", "Basic abc", "sk-test"])
def test_malformed_authorization_is_401(emu, header):
    assert requests.get(f"{emu.base_url}/batches", headers={"Authorization": header}).status_code == 401


def test_any_token_is_accepted_without_configured_key(emu):
    for token in ("sk-anything", "x"):
        resp = requests.get(f"{emu.base_url}/batches", headers={"Authorization": f"Bearer {token}"})
        assert resp.status_code == 200


def test_configured_key_is_enforced_and_wrong_key_masked():
    with Emulator(api_key="sk-correct-key-0123456789") as keyed:
        wrong = "sk-abcdefghijklmnopqrstuvwxyz"
        resp = requests.get(f"{keyed.base_url}/batches", headers={"Authorization": f"Bearer {wrong}"})
        error = assert_error(resp, 401, code="invalid_api_key")
        assert error["message"].startswith("Incorrect API key provided: sk-ab*")
        assert "**yz." in error["message"]
        assert wrong not in resp.text and "fghijklmnop" not in resp.text
        short = requests.get(f"{keyed.base_url}/batches", headers={"Authorization": "Bearer abc"})
        assert "abc" not in short.json()["error"]["message"]
        ok = requests.get(f"{keyed.base_url}/batches", headers={"Authorization": "Bearer sk-correct-key-0123456789"})
        assert ok.status_code == 200


def test_every_response_is_json_with_request_id(emu, http):
    for resp in (http.get(f"{emu.base_url}/batches"), http.get(f"{emu.base_url}/batches/nope"),
                 http.get(f"{emu.base_url}/nothing/here"), requests.get(f"{emu.base_url}/files")):
        assert resp.headers["content-type"] == "application/json"
        assert resp.headers["x-request-id"].startswith("req_")
        resp.json()


def test_unknown_routes_are_404(emu, http):
    assert_error(http.get(f"{emu.base_url}/widgets"), 404, message="Invalid URL (GET /v1/widgets)")
    assert_error(http.put(f"{emu.base_url}/batches"), 404, message="Invalid URL (PUT /v1/batches)")
    assert_error(http.get(f"{emu.url}/elsewhere"), 404)


# ---- files ---------------------------------------------------------------------------------

def test_file_upload_get_list_content_delete(emu, http):
    content = jsonl(chat_line("a"), chat_line("b"))
    resp = upload(http, emu, content, filename="my input.jsonl")
    assert resp.status_code == 200, resp.text
    f = resp.json()
    assert f["id"].startswith("file-")
    assert f == {"id": f["id"], "object": "file", "bytes": len(content), "created_at": f["created_at"],
                 "expires_at": None, "filename": "my input.jsonl", "purpose": "batch",
                 "status": "processed", "status_details": None}
    assert isinstance(f["created_at"], int)
    assert http.get(f"{emu.base_url}/files/{f['id']}").json() == f
    content_resp = http.get(f"{emu.base_url}/files/{f['id']}/content")
    assert content_resp.content == content
    listing = http.get(f"{emu.base_url}/files").json()
    assert listing == {"object": "list", "data": [f], "first_id": f["id"], "last_id": f["id"], "has_more": False}
    assert http.delete(f"{emu.base_url}/files/{f['id']}").json() == {"id": f["id"], "object": "file",
                                                                       "deleted": True}
    assert_error(http.get(f"{emu.base_url}/files/{f['id']}"), 404, param="id",
                 message=f"No such File object: {f['id']}")
    assert_error(http.delete(f"{emu.base_url}/files/{f['id']}"), 404, param="id")


def test_file_upload_with_expiry_and_binary_content(emu, http):
    content = bytes(range(256)) * 4 + b"\r\n--not-a-boundary\r\n"
    resp = upload(http, emu, content, purpose="user_data", filename="blob.bin",
                  **{"expires_after[anchor]": "created_at", "expires_after[seconds]": "3600"})
    f = resp.json()
    assert f["expires_at"] == f["created_at"] + 3600
    assert http.get(f"{emu.base_url}/files/{f['id']}/content").content == content


def test_file_upload_validation(emu, http):
    assert_error(upload(http, emu, b"x", purpose="bogus"), 400, param="purpose", code="invalid_value")
    assert_error(http.post(f"{emu.base_url}/files", files={"purpose": (None, "batch")}), 400,
                 param="file", code="missing_required_parameter")
    assert_error(http.post(f"{emu.base_url}/files", files={"file": ("a.jsonl", b"x")}), 400,
                 param="purpose", code="missing_required_parameter")
    assert_error(http.post(f"{emu.base_url}/files", json={"purpose": "batch"}), 400)
    assert_error(upload(http, emu, b"x", **{"expires_after[anchor]": "created_at",
                                            "expires_after[seconds]": "5"}),
                 400, param="expires_after.seconds", code="invalid_value")


def test_file_upload_dotnet_style_multipart(emu, http):
    """PowerShell/.NET quote the boundary, leave names bare and add RFC 5987 filename*."""
    boundary = "9051914041544843365972754266"
    content = jsonl(chat_line("a"))
    body = (f'--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n'
            f'Content-Disposition: form-data; name=purpose\r\n\r\nbatch\r\n'
            f'--{boundary}\r\nContent-Type: application/octet-stream\r\n'
            f"Content-Disposition: form-data; name=file; filename=x.jsonl; filename*=utf-8''r%C3%A9sum%C3%A9.jsonl"
            f'\r\n\r\n').encode() + content + f'\r\n--{boundary}--\r\n'.encode()
    resp = http.post(f"{emu.base_url}/files", data=body,
                     headers={"Content-Type": f'multipart/form-data; boundary="{boundary}"'})
    assert resp.status_code == 200, resp.text
    f = resp.json()
    assert f["filename"] == "résumé.jsonl" and f["purpose"] == "batch" and f["bytes"] == len(content)
    assert emu.file_content(f["id"]) == content


def test_file_list_filter_order_and_paging(emu, http):
    ids = [upload(http, emu, b"{}", purpose=p).json()["id"] for p in ("batch", "user_data", "batch", "batch")]
    batch_ids = [ids[0], ids[2], ids[3]]
    desc = http.get(f"{emu.base_url}/files", params={"purpose": "batch"}).json()
    assert [f["id"] for f in desc["data"]] == batch_ids[::-1]
    asc = http.get(f"{emu.base_url}/files", params={"purpose": "batch", "order": "asc", "limit": 2}).json()
    assert [f["id"] for f in asc["data"]] == batch_ids[:2] and asc["has_more"] is True
    rest = http.get(f"{emu.base_url}/files", params={"purpose": "batch", "order": "asc",
                                                      "after": asc["last_id"]}).json()
    assert [f["id"] for f in rest["data"]] == batch_ids[2:] and rest["has_more"] is False
    assert_error(http.get(f"{emu.base_url}/files", params={"order": "sideways"}), 400, param="order",
                 code="invalid_value")


# ---- batch creation ------------------------------------------------------------------------

def test_create_batch_returns_validating_batch(emu, http):
    resp = create_batch(http, emu, jsonl(chat_line("a")), metadata={"job": "nightly"})
    assert resp.status_code == 200, resp.text
    b = resp.json()
    assert list(b) == ["id", "object", "endpoint", "errors", "input_file_id", "completion_window", "status",
                       "output_file_id", "error_file_id", "created_at", "in_progress_at", "expires_at",
                       "finalizing_at", "completed_at", "failed_at", "expired_at", "cancelling_at",
                       "cancelled_at", "request_counts", "metadata", "model"]
    assert b["id"].startswith("batch_") and b["object"] == "batch"
    assert b["status"] == "validating" and b["errors"] is None
    assert b["expires_at"] == b["created_at"] + 86400
    assert b["request_counts"] == {"total": 0, "completed": 0, "failed": 0}
    assert b["metadata"] == {"job": "nightly"} and b["model"] == "gpt-4o-mini"
    assert http.get(f"{emu.base_url}/batches/{b['id']}").json() == b


@pytest.mark.parametrize("overrides, status, param, code", [
    ({"endpoint": "/v1/images"}, 400, "endpoint", "invalid_value"),
    ({"completion_window": "48h"}, 400, "completion_window", "invalid_value"),
    ({"endpoint": None}, 400, "endpoint", "missing_required_parameter"),
    ({"input_file_id": None}, 400, "input_file_id", "missing_required_parameter"),
    ({"input_file_id": "file-missing"}, 404, "input_file_id", None),
    ({"metadata": "nope"}, 400, "metadata", "invalid_value"),
    ({"surprise": 1}, 400, None, None),
])
def test_create_batch_validation(emu, http, overrides, status, param, code):
    file_id = upload(http, emu, jsonl(chat_line("a"))).json()["id"]
    body = {"input_file_id": file_id, "endpoint": "/v1/chat/completions", "completion_window": "24h", **overrides}
    resp = http.post(f"{emu.base_url}/batches", json={k: v for k, v in body.items() if v is not None})
    assert_error(resp, status, param=param, code=code)
    assert http.get(f"{emu.base_url}/batches").json()["data"] == []


def test_create_batch_rejects_non_batch_purpose_and_bad_json(emu, http):
    file_id = upload(http, emu, jsonl(chat_line("a")), purpose="user_data").json()["id"]
    assert_error(http.post(f"{emu.base_url}/batches", json={"input_file_id": file_id, "completion_window": "24h",
                                                            "endpoint": "/v1/chat/completions"}),
                 400, param="input_file_id")
    assert_error(http.post(f"{emu.base_url}/batches", data="{not json",
                           headers={"Content-Type": "application/json"}), 400)


def test_chunked_request_body_is_read(emu, http):
    file_id = upload(http, emu, jsonl(chat_line("a"))).json()["id"]
    payload = json.dumps({"input_file_id": file_id, "endpoint": "/v1/chat/completions",
                          "completion_window": "24h"}).encode()
    resp = http.post(f"{emu.base_url}/batches", data=iter([payload[:10], payload[10:]]),
                     headers={"Content-Type": "application/json"})
    assert resp.status_code == 200, resp.text
    assert "chunked" in emu.requests()[-1]["headers"]["Transfer-Encoding"]


# ---- lifecycle -----------------------------------------------------------------------------

def test_manual_lifecycle_to_completed(emu, http):
    ids = [f"req-{i}" for i in range(5)]
    b = create_batch(http, emu, jsonl(*[chat_line(i) for i in ids])).json()
    url = f"{emu.base_url}/batches/{b['id']}"
    time.sleep(0.05)
    assert http.get(url).json()["status"] == "validating"      # manual mode: nothing moves by itself

    expected = [("in_progress", "in_progress_at"), ("finalizing", "finalizing_at"), ("completed", "completed_at")]
    for status, stamp in expected:
        advanced = http.post(f"{emu.control_url}/advance", json={"batch_id": b["id"]}).json()
        assert advanced["status"] == status and isinstance(advanced[stamp], int)
        assert http.get(url).json() == advanced
    done = http.get(url).json()
    assert done["request_counts"] == {"total": 5, "completed": 5, "failed": 0}
    assert done["error_file_id"] is None
    out_meta = http.get(f"{emu.base_url}/files/{done['output_file_id']}").json()
    assert out_meta["purpose"] == "batch_output" and out_meta["filename"] == f"{b['id']}_output.jsonl"
    lines = [json.loads(x) for x in http.get(f"{emu.base_url}/files/{done['output_file_id']}/content").text.splitlines()]
    assert [x["custom_id"] for x in lines] == ids
    for line in lines:
        assert line["id"].startswith("batch_req_") and line["error"] is None
        assert line["response"]["status_code"] == 200 and line["response"]["request_id"].startswith("req_")
        body = line["response"]["body"]
        assert body["object"] == "chat.completion" and body["model"] == "gpt-4o-mini"
        assert body["choices"][0]["message"]["role"] == "assistant"
    assert emu.advance(b["id"])["status"] == "completed"        # terminal: advancing is a no-op


def test_partial_failures_go_to_error_file(emu, http):
    b = create_batch(http, emu, jsonl(chat_line("ok-1"), chat_line("no-model", model=None), chat_line("ok-2"))).json()
    done = emu.advance(b["id"], steps=3)
    assert done["status"] == "completed"
    assert done["request_counts"] == {"total": 3, "completed": 2, "failed": 1}
    out = [json.loads(x) for x in emu.file_content(done["output_file_id"]).decode().splitlines()]
    err = [json.loads(x) for x in emu.file_content(done["error_file_id"]).decode().splitlines()]
    assert [x["custom_id"] for x in out] == ["ok-1", "ok-2"]
    assert [x["custom_id"] for x in err] == ["no-model"]
    assert err[0]["response"]["status_code"] == 400 and "error" in err[0]["response"]["body"]


@pytest.mark.parametrize("lines, expected", [
    (["not json", chat_line("b")], [("invalid_json_line", 1)]),
    ([chat_line("a"), {"method": "POST", "url": "/v1/chat/completions", "body": {}}],
     [("missing_required_parameter", 2)]),
    ([chat_line("a"), chat_line("b", url="/v1/embeddings")], [("mismatched_endpoint", 2)]),
    ([chat_line("a"), "", chat_line("b"), chat_line("a")], [("duplicate_custom_id", 4)]),
    ([], [("empty_file", None)]),
])
def test_invalid_input_fails_batch(emu, http, lines, expected):
    b = create_batch(http, emu, jsonl(*lines)).json()
    assert b["status"] == "validating"
    failed = http.post(f"{emu.control_url}/advance", json={"batch_id": b["id"]}).json()
    assert failed["status"] == "failed" and isinstance(failed["failed_at"], int)
    assert failed["in_progress_at"] is None and failed["output_file_id"] is None
    assert failed["errors"]["object"] == "list"
    assert [(e["code"], e["line"]) for e in failed["errors"]["data"]] == expected
    assert all(set(e) == {"code", "message", "param", "line"} for e in failed["errors"]["data"])


def test_cancel_in_progress_then_cancelled_with_partial_output(emu, http):
    b = emu.seed_batch("in_progress", n_requests=4)
    cancel_url = f"{emu.base_url}/batches/{b['id']}/cancel"
    cancelling = http.post(cancel_url).json()
    assert cancelling["status"] == "cancelling" and isinstance(cancelling["cancelling_at"], int)
    assert http.post(cancel_url).json() == cancelling                # idempotent while cancelling
    cancelled = emu.advance(b["id"])
    assert cancelled["status"] == "cancelled" and isinstance(cancelled["cancelled_at"], int)
    assert cancelled["request_counts"] == {"total": 4, "completed": 2, "failed": 0}
    out = emu.file_content(cancelled["output_file_id"]).decode().splitlines()
    assert [json.loads(x)["custom_id"] for x in out] == ["request-1", "request-2"]


def test_cancel_validating_batch(emu, http):
    b = emu.seed_batch("validating")
    assert http.post(f"{emu.base_url}/batches/{b['id']}/cancel").json()["status"] == "cancelling"
    cancelled = emu.advance(b["id"])
    assert cancelled["status"] == "cancelled" and cancelled["output_file_id"] is None
    assert cancelled["request_counts"] == {"total": 0, "completed": 0, "failed": 0}


@pytest.mark.parametrize("status", ["completed", "failed", "expired", "cancelled"])
def test_cancel_terminal_batch_is_409(emu, http, status):
    b = emu.seed_batch(status)
    resp = http.post(f"{emu.base_url}/batches/{b['id']}/cancel")
    assert_error(resp, 409, message=f"Cannot cancel a batch with status '{status}'.")
    assert emu.get_batch(b["id"]) == b


@pytest.mark.parametrize("status", ["validating", "in_progress", "finalizing", "completed", "failed",
                                    "cancelling", "cancelled", "expired"])
def test_seed_batch_statuses_are_consistent(emu, status):
    b = emu.seed_batch(status, n_requests=4, n_failing=1, metadata={"k": "v"})
    assert b["status"] == status and b["metadata"] == {"k": "v"}
    assert emu.get_file(b["input_file_id"])["purpose"] == "batch"
    counts = b["request_counts"]
    assert counts["completed"] + counts["failed"] <= counts["total"]
    if status == "completed":
        assert counts == {"total": 4, "completed": 3, "failed": 1}
        assert b["output_file_id"] and b["error_file_id"]
    if status == "failed":
        assert b["errors"]["data"][0]["code"] == "invalid_json_line"
    if status == "expired":
        assert counts["failed"] == 4 and isinstance(b["expired_at"], int)
        err = json.loads(emu.file_content(b["error_file_id"]).splitlines()[0])
        assert err["error"]["code"] == "batch_expired"
    stamp = {"validating": "created_at", "failed": "failed_at", "cancelling": "cancelling_at"}.get(status, f"{status}_at")
    assert isinstance(b[stamp], int)


def test_seed_over_http_and_cancel_unknown_percent_encoded_id(emu, http):
    seeded = http.post(f"{emu.control_url}/seed", json={"status": "finalizing", "n_requests": 2,
                                                        "endpoint": "/v1/embeddings"}).json()
    assert seeded["status"] == "finalizing" and seeded["endpoint"] == "/v1/embeddings"
    many = http.post(f"{emu.control_url}/seed", json={"count": 3, "status": "completed"}).json()
    assert len(many["data"]) == 3 and {b["status"] for b in many["data"]} == {"completed"}
    assert_error(http.post(f"{emu.control_url}/seed", json={"status": "bogus"}), 400, param="status",
                 code="invalid_value")
    resp = http.post(f"{emu.base_url}/batches/a%2Fb/cancel")
    assert_error(resp, 404, message="No batch found with id 'a/b'.")
    assert emu.requests()[-1]["path"] == "/v1/batches/a%2Fb/cancel"
    assert_error(http.get(f"{emu.base_url}/batches/x%20y"), 404, message="No batch found with id 'x y'.")


def test_seed_file_in_any_status_and_claiming_any_size_over_http(emu, http):
    seeded = http.post(f"{emu.control_url}/files", json={"content": "abc", "status": "error", "bytes": 300_000_000,
                                                         "status_details": "Invalid file format"}).json()
    assert (seeded["status"], seeded["bytes"], seeded["status_details"], seeded["purpose"]) == (
        "error", 300_000_000, "Invalid file format", "batch")
    assert http.get(f"{emu.base_url}/files/{seeded['id']}").json() == seeded      # it stays so
    assert http.get(f"{emu.base_url}/files/{seeded['id']}/content").content == b"abc"
    assert emu.seed_file(b"", purpose="fine-tune", status="deleted")["status"] == "deleted"
    assert_error(http.post(f"{emu.control_url}/files", json={"status": "bogus"}), 400, param="status", code="invalid_value")
    assert_error(http.post(f"{emu.control_url}/files", json={"bytes": -1}), 400, param="bytes", code="invalid_value")
    assert_error(http.post(f"{emu.control_url}/files", json={"size": 1}), 400)
    assert emu.requests() and all(r["path"].startswith("/v1/files/") for r in emu.requests())     # control: not logged


def test_list_batches_paging(emu, http):
    ids = [emu.seed_batch("in_progress")["id"] for _ in range(5)]
    newest_first = ids[::-1]
    page1 = http.get(f"{emu.base_url}/batches", params={"limit": 2}).json()
    assert page1["object"] == "list" and [b["id"] for b in page1["data"]] == newest_first[:2]
    assert page1["first_id"] == newest_first[0] and page1["last_id"] == newest_first[1] and page1["has_more"]
    page2 = http.get(f"{emu.base_url}/batches", params={"limit": 2, "after": page1["last_id"]}).json()
    assert [b["id"] for b in page2["data"]] == newest_first[2:4] and page2["has_more"]
    page3 = http.get(f"{emu.base_url}/batches", params={"limit": 2, "after": page2["last_id"]}).json()
    assert [b["id"] for b in page3["data"]] == newest_first[4:] and page3["has_more"] is False
    default = http.get(f"{emu.base_url}/batches").json()
    assert len(default["data"]) == 5 and default["has_more"] is False
    for bad in ("0", "101", "ten"):
        assert_error(http.get(f"{emu.base_url}/batches", params={"limit": bad}), 400, param="limit",
                     code="invalid_value")
    empty = (emu.reset(), http.get(f"{emu.base_url}/batches").json())[1]
    assert empty == {"object": "list", "data": [], "first_id": None, "last_id": None, "has_more": False}


def test_default_list_limit_is_20(emu, http):
    emu.seed_batches(21, "completed")
    page = http.get(f"{emu.base_url}/batches").json()
    assert len(page["data"]) == 20 and page["has_more"] is True


def test_time_based_lifecycle(emu, http):
    http.post(f"{emu.control_url}/config", json={"step_seconds": 0.05})
    b = create_batch(http, emu, jsonl(chat_line("a"), chat_line("b"))).json()
    seen = []
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        status = http.get(f"{emu.base_url}/batches/{b['id']}").json()["status"]
        if not seen or seen[-1] != status:
            seen.append(status)
        if status == "completed":
            break
        time.sleep(0.01)
    assert seen[-1] == "completed"
    assert set(seen) <= {"validating", "in_progress", "finalizing", "completed"}
    assert http.get(f"{emu.control_url}/config").json() == {"step_seconds": 0.05}
    emu.reset()
    assert emu.store.step_seconds is None                       # reset restores the constructor's mode


def test_time_based_cancel_and_zero_step(emu, http):
    emu.set_step_seconds(0.05)
    b = emu.seed_batch("in_progress")
    assert http.post(f"{emu.base_url}/batches/{b['id']}/cancel").json()["status"] == "cancelling"
    time.sleep(0.1)
    assert http.get(f"{emu.base_url}/batches/{b['id']}").json()["status"] == "cancelled"
    emu.set_step_seconds(0)
    b = create_batch(http, emu, jsonl(chat_line("x"))).json()
    assert http.get(f"{emu.base_url}/batches/{b['id']}").json()["status"] == "completed"
    output_id = http.get(f"{emu.base_url}/batches/{b['id']}").json()["output_file_id"]
    assert output_id in [f["id"] for f in http.get(f"{emu.base_url}/files").json()["data"]]


def test_advance_all_over_http(emu, http):
    a, c = emu.seed_batch("validating"), emu.seed_batch("completed")
    result = http.post(f"{emu.control_url}/advance", json={"steps": 2}).json()
    assert result["object"] == "list" and [b["id"] for b in result["data"]] == [a["id"]]
    assert emu.get_batch(a["id"])["status"] == "finalizing"
    assert emu.get_batch(c["id"]) == c
    assert_error(http.post(f"{emu.control_url}/advance", json={"batch_id": "batch_nope"}), 404)


# ---- faults --------------------------------------------------------------------------------

def test_fault_status_headers_and_count(emu, http):
    b = emu.seed_batch("in_progress")
    fault = http.post(f"{emu.control_url}/faults", json={
        "method": "POST", "path": "/v1/batches/{id}/cancel", "count": 2, "status": 503,
        "headers": {"retry-after": "1"}}).json()
    assert fault["remaining"] == 2
    url = f"{emu.base_url}/batches/{b['id']}/cancel"
    assert http.get(f"{emu.base_url}/batches/{b['id']}").status_code == 200      # method/path must match
    for _ in range(2):
        resp = http.post(url)
        assert resp.status_code == 503 and resp.headers["retry-after"] == "1"
        assert resp.json()["error"]["type"] == "server_error"
        assert resp.headers["x-request-id"].startswith("req_")
    assert emu.get_batch(b["id"])["status"] == "in_progress"                       # fault replaced handling
    assert http.post(url).json()["status"] == "cancelling"
    assert [r["status"] for r in emu.requests()] == [200, 503, 503, 200]
    assert http.get(f"{emu.control_url}/faults").json() == []


def test_fault_custom_json_and_html_bodies(emu, http):
    emu.inject_fault(path_prefix="/v1/batches", status=429, body={"error": {"message": "slow down",
                     "type": "requests", "param": None, "code": "rate_limit_exceeded"}})
    emu.inject_fault(path_regex=r"^/v1/files$", status=502, body_text="<html><body>Bad gateway</body></html>")
    resp = http.get(f"{emu.base_url}/batches")
    assert resp.status_code == 429 and resp.json()["error"]["message"] == "slow down"
    resp = http.get(f"{emu.base_url}/files")
    assert resp.status_code == 502 and resp.headers["content-type"].startswith("text/html")
    assert resp.text == "<html><body>Bad gateway</body></html>"


def test_fault_delay_then_normal_handling(emu, http):
    emu.inject_fault(method="GET", path="/v1/batches", delay=0.3)
    start = time.monotonic()
    resp = http.get(f"{emu.base_url}/batches")
    assert resp.status_code == 200 and time.monotonic() - start >= 0.3
    start = time.monotonic()
    http.get(f"{emu.base_url}/batches")
    assert time.monotonic() - start < 0.3


def test_fault_drop_before_response(emu, http):
    b = emu.seed_batch("in_progress")
    emu.inject_fault(path="/v1/batches/{id}/cancel", drop=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        http.post(f"{emu.base_url}/batches/{b['id']}/cancel")
    assert emu.get_batch(b["id"])["status"] == "in_progress"
    assert http.post(f"{emu.base_url}/batches/{b['id']}/cancel").json()["status"] == "cancelling"
    assert [r["status"] for r in emu.requests()] == [None, 200]


def test_fault_drop_mid_response(emu, http):
    emu.inject_fault(path="/v1/batches", drop="mid", status=200, body={"object": "list", "data": []})
    emu.inject_fault(path="/v1/batches", drop="mid")
    try:
        resp = http.get(f"{emu.base_url}/batches")
    except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError):
        pass
    else:       # urllib3 1.x hands back the short body without checking Content-Length
        assert 0 < len(resp.content) < int(resp.headers["Content-Length"])
    conn = HTTPConnection("127.0.0.1", emu.port, timeout=5)
    conn.request("GET", "/v1/batches", headers=AUTH)
    with pytest.raises(IncompleteRead):
        conn.getresponse().read()
    conn.close()
    assert http.get(f"{emu.base_url}/batches").status_code == 200


def test_fault_drop_after_handling(emu, http):
    b = emu.seed_batch("in_progress")
    emu.inject_fault(path="/v1/batches/{id}/cancel", drop="after")
    with pytest.raises(requests.exceptions.ConnectionError):
        http.post(f"{emu.base_url}/batches/{b['id']}/cancel")
    assert emu.get_batch(b["id"])["status"] == "cancelling"


def test_fault_malformed_json(emu, http):
    emu.inject_fault(method="GET", path_prefix="/v1/batches/", malformed=True)
    b = emu.seed_batch("in_progress")
    resp = http.get(f"{emu.base_url}/batches/{b['id']}")
    assert resp.status_code == 200 and resp.headers["content-type"] == "application/json"
    with pytest.raises(ValueError):
        json.loads(resp.text)
    assert http.get(f"{emu.base_url}/batches/{b['id']}").json() == b


def test_fault_every_nth_once_per_path_then_retry_succeeds(emu, http):
    batches = emu.seed_batches(50, "in_progress", n_requests=1)
    emu.inject_fault(method="POST", path="/v1/batches/{id}/cancel", status=503, every=10,
                     once_per_path=True, count=None)
    failed = []
    for b in batches:
        resp = http.post(f"{emu.base_url}/batches/{b['id']}/cancel")
        if resp.status_code == 503:
            failed.append(b["id"])
            resp = http.post(f"{emu.base_url}/batches/{b['id']}/cancel")      # the retry goes through
        assert resp.json()["status"] == "cancelling"
    assert failed == [batches[i]["id"] for i in (9, 19, 29, 39, 49)]
    assert emu.faults()[0]["applied"] == 5


def test_fault_skip_and_invalid_rules(emu, http):
    emu.inject_fault(path="/v1/batches", skip=2, status=500)
    codes = [http.get(f"{emu.base_url}/batches").status_code for _ in range(4)]
    assert codes == [200, 200, 500, 200]
    for bad in ({"status": "five hundred"}, {"drop": "sideways"}, {"every": 0}, {"colour": "red"}, [1]):
        assert_error(http.post(f"{emu.control_url}/faults", json=bad), 400)
    with pytest.raises(ValueError):
        emu.inject_fault(count=0)
    assert_error(http.post(f"{emu.control_url}/faults", json=[{"status": 500}, {"status": 1}]), 400)
    assert emu.faults() == []                                     # a list of rules is added all or none
    added = http.post(f"{emu.control_url}/faults", json=[{"path": "/v1/files"}, {"path": "/v1/batches"}]).json()
    assert [r["id"] for r in added] == [r["id"] for r in emu.faults()]


def test_faults_apply_before_auth_and_are_logged(emu):
    emu.inject_fault(path="/v1/files", status=503)
    resp = requests.get(f"{emu.base_url}/files")
    assert resp.status_code == 503
    assert emu.requests()[0]["status"] == 503
    assert requests.get(f"{emu.base_url}/files").status_code == 401


# ---- request log, keep-alive, control ------------------------------------------------------

def test_request_log_is_exact(emu, http):
    raw = "/v1/batches?limit=2&after=batch_%2Fx%20y"
    resp = http.get(emu.url + raw)
    assert resp.status_code == 400                               # unknown cursor
    http.post(f"{emu.base_url}/batches/a%2Fb/cancel", data=b'{"x": 1}', headers={"X-Custom": "yes"})
    http.get(f"{emu.control_url}/requests")                       # control requests are not logged
    log = http.get(f"{emu.control_url}/requests").json()
    assert [e["seq"] for e in log] == [1, 2]
    first, second = log
    assert first["method"] == "GET" and first["path"] == raw and first["body"] is None
    assert first["headers"]["Authorization"] == AUTH["Authorization"]
    assert second["method"] == "POST" and second["path"] == "/v1/batches/a%2Fb/cancel"
    assert second["body"] == '{"x": 1}' and second["headers"]["X-Custom"] == "yes"
    assert second["status"] == 404
    assert http.delete(f"{emu.control_url}/requests").status_code == 200
    assert emu.requests() == []
    http.get(f"{emu.base_url}/batches")
    assert [e["seq"] for e in emu.requests()] == [3]


def test_keep_alive_reuses_one_connection(emu, http):
    for _ in range(3):
        resp = http.get(f"{emu.base_url}/batches")
        assert resp.status_code == 200 and "close" not in resp.headers.get("Connection", "")
    assert len({e["client_port"] for e in emu.requests()}) == 1
    resp = http.get(f"{emu.base_url}/batches", headers={"Connection": "close"})
    assert resp.headers["Connection"] == "close"
    http.get(f"{emu.base_url}/batches")
    assert len({e["client_port"] for e in emu.requests()}) == 2


def test_keep_alive_is_fast(emu, http):
    start = time.monotonic()
    for _ in range(200):
        http.get(f"{emu.base_url}/batches")
    assert time.monotonic() - start < 2.0                        # no Nagle/delayed-ACK stalls (40 ms each)


def test_reset_over_http(emu, http):
    emu.seed_batch("in_progress")
    emu.inject_fault(path="/v1/files", status=500)
    http.get(f"{emu.base_url}/batches")
    assert http.post(f"{emu.control_url}/reset").json() == {"ok": True}
    assert emu.requests() == [] and emu.faults() == []
    assert http.get(f"{emu.base_url}/batches").json()["data"] == []
    assert http.get(f"{emu.base_url}/files").status_code == 200


def test_cli_prints_base_url_and_serves():
    proc = subprocess.Popen([sys.executable, "-m", "openai_emulator", "--port", "0", "--api-key", "sk-cli"],
                            cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("OPENAI_API_BASE=http://127.0.0.1:") and line.endswith("/v1\n")
        base = line.strip().split("=", 1)[1]
        assert requests.get(f"{base}/batches", headers={"Authorization": "Bearer sk-cli"}).status_code == 200
        assert requests.get(f"{base}/batches", headers={"Authorization": "Bearer nope"}).status_code == 401
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=5)
    assert proc.returncode == 0, err
    assert out == ""                                              # exactly one line was printed


def test_a_client_hanging_up_is_no_traceback_on_stderr():
    # (a stream closed early, a stop mid-request: the emulator's stderr stays quiet for that)
    proc = subprocess.Popen([sys.executable, "-m", "openai_emulator", "--port", "0"],
                            cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = proc.stdout.readline().strip().split("=", 1)[1]
        port = int(base.split(":")[2].split("/")[0])
        for _ in range(3):
            with socket.create_connection(("127.0.0.1", port)) as conn:
                conn.send(b"GET /v1/batches HTTP/1.1\r\nHost: x\r\n")     # headers not finished
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))    # then a reset
        assert requests.get(f"{base}/batches", headers={"Authorization": "Bearer x"}).status_code == 200
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=5)
    assert "Traceback" not in err and "ConnectionResetError" not in err


def test_help_names_every_endpoint_family_it_serves():
    run = subprocess.run([sys.executable, "-m", "openai_emulator", "--help"], capture_output=True, text=True, timeout=30)
    text = " ".join(run.stdout.split())
    for family in ("Files", "Batches", "Chat Completions", "Responses", "Embeddings", "Completions"):
        assert family in text, text
