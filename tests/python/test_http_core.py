"""The HTTP core over loopback: retries, timeouts, error classes, URL-encoding, config and masking."""
from __future__ import annotations

import email.utils
import logging
import time
from urllib.parse import quote

import pytest

from cmdlets import get_batch, start_batch, stop_batch
from cmdlets.core import client as client_module, errors
from conftest import API_KEY, ORGANIZATION, api_calls

CANCEL = "/v1/batches/{id}/cancel"


@pytest.fixture
def batch(emu):
    return emu.seed_batch(status="in_progress")


def cancels(emu):
    return [c for c in api_calls(emu) if c[0] == "POST"]


# --- retries ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [{"retry-after": "0.2"}, {"retry-after-ms": "200"}],
                         ids=["retry-after seconds", "retry-after-ms"])
def test_429_is_retried_after_the_hinted_delay(emu, batch, headers, caplog):
    emu.inject_fault(method="POST", path=CANCEL, status=429, headers=headers)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="cmdlets"):
        result = stop_batch(batch["id"], force=True, max_retry_count=2, pass_thru=True)
    assert 0.2 <= time.monotonic() - started < 1.0
    assert result.status == "cancelling"
    assert len(cancels(emu)) == 2
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    assert "Retrying in 0.2 s (attempt 1 of 2)" in caplog.records[0].getMessage()


def test_retry_after_http_date_is_honoured(emu, batch):
    when = email.utils.formatdate(time.time() + 2, usegmt=True)     # whole seconds: 1..2 s from now
    emu.inject_fault(method="POST", path=CANCEL, status=429, headers={"retry-after": when})
    started = time.monotonic()
    stop_batch(batch["id"], force=True, max_retry_count=1)
    assert 0.9 <= time.monotonic() - started < 2.6
    assert len(cancels(emu)) == 2


def test_retry_after_above_60_seconds_falls_back_to_backoff(emu, batch):
    emu.inject_fault(method="POST", path=CANCEL, status=503, headers={"retry-after": "3600"})
    started = time.monotonic()
    stop_batch(batch["id"], force=True, max_retry_count=1)
    assert 0.75 <= time.monotonic() - started < 1.5        # 2^0 s x 0.8..1.2
    assert len(cancels(emu)) == 2


def test_5xx_retried_up_to_max_then_a_clear_error(emu, batch, caplog):
    emu.inject_fault(method="POST", path=CANCEL, status=502, count=3, headers={"retry-after-ms": "10"})
    with caplog.at_level(logging.WARNING, logger="cmdlets"), pytest.raises(errors.InternalServerError) as e:
        stop_batch(batch["id"], force=True, max_retry_count=2)
    assert len(cancels(emu)) == 3
    assert e.value.status == 502
    assert str(e.value).startswith("OpenAI API returned an 502 (Bad Gateway) Error: ")
    assert len(caplog.records) == 2


def test_python_retries_twice_by_default_and_zero_means_no_retry(emu, batch):
    # openai-python's default (2 retries); PowerShell keeps PSOpenAI's 0 (StopBatch.Tests.ps1)
    emu.inject_fault(method="POST", path=CANCEL, status=500, count=3, headers={"retry-after-ms": "10"})
    with pytest.raises(errors.InternalServerError):
        stop_batch(batch["id"], force=True)
    assert len(cancels(emu)) == 3
    emu.inject_fault(method="POST", path=CANCEL, status=500)
    with pytest.raises(errors.InternalServerError):
        stop_batch(batch["id"], force=True, max_retries=0)
    assert len(cancels(emu)) == 4


def test_quota_429_is_not_retried(emu, batch):
    emu.inject_fault(method="POST", path=CANCEL, status=429, headers={"retry-after-ms": "10"}, body={"error": {
        "message": "You exceeded your current quota.", "type": "insufficient_quota", "param": None,
        "code": "insufficient_quota"}})
    with pytest.raises(errors.QuotaLimitExceededError) as e:
        stop_batch(batch["id"], force=True, max_retry_count=3)
    assert len(cancels(emu)) == 1
    assert e.value.category == "QuotaExceeded"


def test_x_should_retry_false_overrides_a_503(emu, batch):
    emu.inject_fault(method="POST", path=CANCEL, status=503, headers={"x-should-retry": "false"})
    with pytest.raises(errors.InternalServerError):
        stop_batch(batch["id"], force=True, max_retry_count=3)
    assert len(cancels(emu)) == 1


def test_x_should_retry_true_retries_a_400(emu, batch):
    emu.inject_fault(method="POST", path=CANCEL, status=400,
                     headers={"x-should-retry": "true", "retry-after-ms": "10"})
    stop_batch(batch["id"], force=True, max_retry_count=1)
    assert len(cancels(emu)) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
def test_other_4xx_are_not_retried(emu, batch, status):
    emu.inject_fault(method="POST", path=CANCEL, status=status, headers={"retry-after-ms": "10"})
    with pytest.raises(errors.APIStatusError):
        stop_batch(batch["id"], force=True, max_retry_count=3)
    assert len(cancels(emu)) == 1


@pytest.fixture
def new_connections(monkeypatch):
    """No kept-alive connection from earlier tests: the next request opens a new one."""
    monkeypatch.setattr(client_module, "_idle_sessions", [])


@pytest.mark.parametrize("drop", ["before", "mid"])
def test_dropped_connection_is_a_connection_error_without_retry(emu, batch, drop, new_connections):
    emu.inject_fault(method="POST", path=CANCEL, drop=drop)
    with pytest.raises(errors.APIConnectionError) as e:
        stop_batch(batch["id"], force=True, max_retry_count=3)
    assert not isinstance(e.value, errors.APITimeoutError)
    assert len(cancels(emu)) == 1
    assert "failed" in str(e.value) and batch["id"] in str(e.value)


# --- kept-alive connections the server has closed ---------------------------------------------------------

def ports(emu, method):
    return [r["client_port"] for r in emu.requests() if r["method"] == method]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_kept_alive_connection_closed_unanswered_is_sent_again_on_a_new_one(emu, batch, method, new_connections):
    """A server closes an idle connection when it likes (a timeout, a request count): a request that went out
    on it as it closed gets no answer, though the server never handled it. Sent again once, on a new one."""
    get_batch(batch["id"])      # the connection is kept alive
    emu.inject_fault(method=method, drop="before")
    if method == "GET":
        assert get_batch(batch["id"]).id == batch["id"]
    else:
        assert stop_batch(batch["id"], force=True, pass_thru=True).status == "cancelling"
    sent = [r for r in emu.requests() if r["method"] == method][-2:]
    assert len(sent) == 2 and sent[0]["status"] is None and sent[1]["status"] == 200
    assert sent[0]["client_port"] == ports(emu, "GET")[0] != sent[1]["client_port"]
    if method == "POST":    # repeated with the same key: a server that had handled it answers as the first time
        assert sent[0]["headers"]["Idempotency-Key"] == sent[1]["headers"]["Idempotency-Key"]


def test_a_post_handled_but_unanswered_on_a_kept_alive_connection_is_done_once(emu, new_connections):
    line = '{"custom_id": "a", "method": "POST", "url": "/v1/chat/completions"}'
    file_id = emu.create_file(line, purpose="batch")["id"]
    get_batch(emu.seed_batch()["id"])
    emu.clear_requests()
    emu.inject_fault(method="POST", path="/v1/batches", drop="after")    # created, then the connection closed
    batch = start_batch(input_file_id=file_id, max_retry_count=0)
    assert [b["id"] for b in emu.list_batches()["data"] if b["input_file_id"] == file_id] == [batch.id]
    assert len(ports(emu, "POST")) == 2


def test_a_post_that_failed_only_after_the_server_held_it_is_not_sent_again(emu, batch, new_connections,
                                                                             monkeypatch):
    """Not a closed idle connection but a server (a gateway's idle limit) that took the request, held it and then
    closed without an answer: it may have passed it on, so it is not repeated on the strength of its key."""
    monkeypatch.setattr(client_module, "RESEND_WINDOW", 0.3)
    get_batch(batch["id"])      # the connection is kept alive
    emu.inject_fault(method="POST", path=CANCEL, delay=0.8, drop="before")
    with pytest.raises(errors.APIConnectionError, match="RemoteDisconnected"):
        stop_batch(batch["id"], force=True)
    assert len(cancels(emu)) == 1


def test_a_new_connection_closed_unanswered_is_not_sent_again(emu, batch, new_connections):
    get_batch(batch["id"])
    emu.inject_fault(method="GET", drop="before", count=2)     # the kept-alive one, then the new one
    with pytest.raises(errors.APIConnectionError, match="RemoteDisconnected"):
        get_batch(batch["id"], max_retry_count=3)
    assert len(ports(emu, "GET")) == 3



def test_connection_refused_is_a_connection_error(emu):
    with pytest.raises(errors.APIConnectionError, match="failed"):
        stop_batch("b", force=True, api_base="http://127.0.0.1:9/v1")


# --- timeouts -----------------------------------------------------------------------------------------

def test_a_slow_server_times_out_within_timeout_sec(emu, batch):
    emu.inject_fault(method="POST", path=CANCEL, delay=3)
    started = time.monotonic()
    with pytest.raises(errors.APITimeoutError, match="timed out after 1 seconds") as e:
        stop_batch(batch["id"], force=True, timeout_sec=1, max_retry_count=3)
    assert time.monotonic() - started < 2
    assert e.value.category == "OperationTimeout"
    assert len(cancels(emu)) == 1


def test_wait_is_bounded_even_when_polls_hang(emu, batch):
    emu.inject_fault(method="GET", path="/v1/batches/{id}", delay=5, count=None)
    started = time.monotonic()
    with pytest.raises((errors.APITimeoutError, errors.WaitTimeoutError)):
        stop_batch(batch["id"], force=True, wait=True, timeout_sec=1)
    assert time.monotonic() - started < 2


# --- error classes ------------------------------------------------------------------------------------

@pytest.mark.parametrize("status,cls,reason", [
    (400, errors.BadRequestError, "Bad Request"), (401, errors.UnauthorizedError, "Unauthorized"),
    (403, errors.PermissionDeniedError, "Forbidden"), (404, errors.NotFoundError, "Not Found"),
    (409, errors.ConflictError, "Conflict"), (422, errors.UnprocessableEntityError, "Unprocessable Entity"),
    (429, errors.RateLimitExceededError, "Too Many Requests"), (500, errors.InternalServerError,
                                                                 "Internal Server Error"),
    (418, errors.APIStatusError, "I'm a Teapot"),
])
def test_each_status_maps_to_its_error_class(emu, batch, status, cls, reason):
    emu.inject_fault(method="POST", path=CANCEL, status=status, body={"error": {
        "message": "server says no", "type": "some_type", "param": "batch_id", "code": "some_code"}})
    with pytest.raises(cls) as e:
        stop_batch(batch["id"], force=True, max_retry_count=0)
    err = e.value
    assert type(err) is cls
    assert str(err) == f"OpenAI API returned an {status} ({reason}) Error: server says no"
    assert (err.status, err.type, err.code, err.param) == (status, "some_type", "some_code", "batch_id")
    assert err.request_id and err.request_id.startswith("req_")
    assert err.target == batch["id"]


def test_wrong_key_is_unauthorized_and_the_key_is_not_in_the_error(emu, batch):
    wrong = "sk-wrong-0123456789abcdefghijklmnop"
    with pytest.raises(errors.UnauthorizedError) as e:
        stop_batch(batch["id"], force=True, api_key=wrong)
    assert wrong not in str(e.value) and wrong not in repr(e.value)
    assert e.value.error_id == "UnauthorizedError" and e.value.category == "AuthenticationError"


@pytest.mark.parametrize("fault,match", [
    ({"malformed": True}, "not a JSON object"),
    ({"status": 200, "body_text": "<html><body>gateway</body></html>"}, r"not a JSON object \(text/html"),
    ({"status": 200, "body_text": ""}, "an empty body"),
])
def test_unusable_bodies_are_a_clear_error(emu, batch, fault, match):
    emu.inject_fault(method="POST", path=CANCEL, **fault)
    with pytest.raises(errors.InvalidResponseError, match=match):
        stop_batch(batch["id"], force=True, pass_thru=True)


def test_html_error_page_keeps_the_status(emu, batch):
    emu.inject_fault(method="POST", path=CANCEL, status=502, body_text="<html>Bad gateway</html>")
    with pytest.raises(errors.InternalServerError, match=r"502 \(Bad Gateway\) Error: <html>Bad gateway</html>"):
        stop_batch(batch["id"], force=True, max_retry_count=0)


# --- the wire -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("hostile", ["a/b", "../files/x", "x?y=1", "x#y", "with space", "bätch-ü", "%2F", "..."])
def test_hostile_ids_stay_one_path_segment(emu, hostile):
    with pytest.raises(errors.NotFoundError, match="No batch found"):
        stop_batch(hostile, force=True)
    assert api_calls(emu) == [("POST", f"/v1/batches/{quote(hostile, safe='')}/cancel")]


@pytest.mark.parametrize("dots", [".", ".."])
def test_dot_segments_are_refused_before_any_request(emu, dots):
    with pytest.raises(errors.ParameterBindingError, match="cannot be used as an id"):
        stop_batch(dots, force=True)
    assert api_calls(emu) == []


def test_headers_on_the_wire(emu, batch):
    stop_batch(batch["id"], force=True, organization=ORGANIZATION)
    (request,) = emu.requests()
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert headers["authorization"] == f"Bearer {API_KEY}"
    assert headers["openai-organization"] == ORGANIZATION


def test_organization_from_the_environment(emu, batch, monkeypatch):
    monkeypatch.setenv("OPENAI_ORGANIZATION", ORGANIZATION)
    stop_batch(batch["id"], force=True)
    assert {k.lower(): v for k, v in emu.requests()[0]["headers"].items()}["openai-organization"] == ORGANIZATION


def test_missing_key_fails_before_any_request(emu, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY")
    with pytest.raises(errors.ConfigurationError, match="No API key was found"):
        stop_batch("b", force=True)
    assert api_calls(emu) == []


def test_api_base_argument_beats_the_environment(emu, batch, monkeypatch):
    monkeypatch.setenv("OPENAI_API_BASE", "http://127.0.0.1:9/v1")      # nothing listens there
    stop_batch(batch["id"], force=True, api_base=emu.base_url)
    assert len(cancels(emu)) == 1


def test_secrets_never_reach_logs_or_errors(emu, batch, caplog):
    emu.inject_fault(method="POST", path=CANCEL, status=500, count=2, headers={"retry-after-ms": "10"}, body={"error": {
        "message": f"echoing {API_KEY} and {ORGANIZATION}", "type": "server_error", "param": None, "code": None}})
    with caplog.at_level(logging.DEBUG, logger="cmdlets"), pytest.raises(errors.InternalServerError) as e:
        stop_batch(batch["id"], force=True, organization=ORGANIZATION, max_retry_count=1)
    text = "\n".join(r.getMessage() for r in caplog.records) + str(e.value) + repr(e.value)
    assert "POST" in text and "HTTP 500" in text and "sk-" in text        # the logs did say something
    assert API_KEY not in text and ORGANIZATION not in text
    assert API_KEY.lower() not in text.lower()


def test_a_burst_of_threads_keeps_at_most_max_idle_sessions(emu, batch, new_connections, monkeypatch):
    """Each of 12 concurrent calls needs a session (and connection) of its own; once they end, only
    MAX_IDLE_SESSIONS stay open for later calls, the others are closed."""
    import threading
    monkeypatch.setattr(client_module, "MAX_IDLE_SESSIONS", 4)
    emu.inject_fault(method="GET", delay=0.5, count=12)
    got = []
    threads = [threading.Thread(target=lambda: got.append(get_batch(batch["id"]).id)) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == [batch["id"]] * 12
    assert len(set(ports(emu, "GET"))) == 12          # (they did run at once)
    assert len(client_module._idle_sessions) == 4
    assert get_batch(batch["id"]).id == batch["id"]
    assert ports(emu, "GET")[-1] in ports(emu, "GET")[:-1]   # on a kept connection
