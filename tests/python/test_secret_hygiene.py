"""No secret in any log line, exception text or repr, for every cmdlet, through successes and failures."""
from __future__ import annotations

import json
import logging
import traceback

import pytest

import cmdlets
from cmdlets import Secret
from cmdlets.core.errors import OpenAIError
from cmdlets.core.manifest import load_manifests
from cmdlets.core.secrets import QuietText, QuietUrl, quiet_settings
from conftest import API_KEY, ORGANIZATION


def calls(emu):
    """One successful invocation per cmdlet, given fresh emulator objects."""
    batch = emu.seed_batch(status="in_progress")
    done = emu.seed_batch(status="completed")
    f = emu.create_file("x", purpose="user_data")
    return {
        "stop_batch": lambda **kw: cmdlets.stop_batch(batch["id"], pass_thru=True, **kw),
        "start_batch": lambda **kw: cmdlets.start_batch(done["input_file_id"], **kw),
        "get_batch": lambda **kw: list(cmdlets.get_batch(**kw)),
        "wait_batch": lambda **kw: cmdlets.wait_batch(done["id"], **kw),
        "get_batch_output": lambda **kw: list(cmdlets.get_batch_output(done, **kw)),
        "get_batch_request": lambda **kw: list(cmdlets.get_batch_request(done, failed=True, include_output=True, **kw)),
        "add_openai_file": lambda **kw: cmdlets.add_openai_file(content=b"x", name="a.txt", purpose="user_data", **kw),
        "get_openai_file": lambda **kw: cmdlets.get_openai_file(f["id"], **kw),
        "get_openai_file_content": lambda **kw: cmdlets.get_openai_file_content(f["id"], **kw),
        "remove_openai_file": lambda **kw: cmdlets.remove_openai_file(f["id"], **kw),
        "request_chat_completion": lambda **kw: cmdlets.request_chat_completion("Hi", model="gpt-4o-mini", **kw),
        "request_embeddings": lambda **kw: cmdlets.request_embeddings("Hi", dimensions=4, **kw),
        "request_text_completion": lambda **kw: cmdlets.request_text_completion("Hi", max_tokens=8, **kw),
        "request_response": lambda **kw: cmdlets.request_response("Hi", model="gpt-4o-mini", **kw),
    }


ECHO = {"error": {"message": f"bad key {API_KEY} for {ORGANIZATION}", "type": "x", "param": None, "code": None}}
FAULTS = {
    "success": None,
    "401": {"status": 401, "body": ECHO},
    "404": {"status": 404, "body": ECHO},
    "500 retried": {"status": 500, "body": ECHO, "count": 2, "headers": {"retry-after-ms": "1"}},
    "timeout": {"delay": 2},
}


def assert_clean(text: str) -> None:
    for secret in (API_KEY, ORGANIZATION):
        assert secret.lower() not in text.lower()


# Every cmdlet that sends requests (the context cmdlets send none: tests/python/test_context.py).
CMDLET_FUNCTIONS = sorted(m.python_name for m in load_manifests().values() if not m.offline)


def test_every_cmdlet_is_covered(emu):
    assert sorted(calls(emu)) == CMDLET_FUNCTIONS


@pytest.mark.parametrize("fault", FAULTS, ids=list(FAULTS))
@pytest.mark.parametrize("name", CMDLET_FUNCTIONS)
def test_nothing_secret_reaches_logs_errors_or_reprs(emu, caplog, name, fault):
    call = calls(emu)[name]
    if FAULTS[fault]:
        emu.inject_fault(path_prefix="/v1/", **FAULTS[fault])
    error = None
    with caplog.at_level(logging.DEBUG, logger="cmdlets"):
        try:
            result = call(api_key=API_KEY, organization=ORGANIZATION, timeout_sec=1, max_retry_count=1)
        except OpenAIError as e:
            error, result = e, None
    assert (error is None) == (fault == "success"), error
    text = "\n".join(r.getMessage() for r in caplog.records) + repr(result)
    if error is not None:
        text += f"{error}{error!r}{error.args}{error.message}"
    assert "HTTP" in text or "timed out" in text or "did not finish" in text     # the logs and errors said something
    assert_clean(text)


@pytest.mark.parametrize("event", [json.dumps(ECHO), f"not JSON: {API_KEY}", json.dumps({**ECHO["error"], "type": "error"})],
                         ids=["error event", "not JSON", "responses error event"])
@pytest.mark.parametrize("name", ["request_chat_completion", "request_response"])
def test_a_stream_s_errors_mask_what_the_server_echoes(emu, name, event):
    emu.inject_fault(path_prefix="/v1/", status=200, content_type="text/event-stream", body_text=f"data: {event}\n\n")
    with pytest.raises(OpenAIError) as caught:
        list(calls(emu)[name](api_key=API_KEY, organization=ORGANIZATION, stream=True))
    assert "stream" in str(caught.value)
    assert_clean(f"{caught.value}{caught.value!r}{caught.value.args}")


def test_the_key_is_revealed_once_per_request_and_never_before(emu):
    reveals = []

    def reveal():
        reveals.append(len(emu.requests()))       # how many requests had been sent when it was revealed
        return API_KEY
    key = Secret(reveal)
    batch = emu.seed_batch(status="in_progress")
    cmdlets.stop_batch(batch["id"], api_key=key)          # GET then POST
    assert reveals == [0, 1]
    assert "sk-" not in repr(key) and "sk-" not in str(key)


def test_the_server_s_error_fields_and_request_id_are_masked(emu):
    # a server echoing the key in type/code/param and in x-request-id: the error keeps them (pwsh: the
    # exception's Type, Code, Param, RequestId, Content), masked as its message is
    emu.inject_fault(path_prefix="/v1/", status=400, headers={"x-request-id": API_KEY},
                     body={"error": {"message": "m", "type": API_KEY, "code": ORGANIZATION, "param": {"k": API_KEY}}})
    with pytest.raises(OpenAIError) as caught:
        cmdlets.get_openai_file("file-x", api_key=API_KEY, organization=ORGANIZATION)
    e = caught.value
    assert_clean(repr((e.type, e.code, e.param, e.request_id)))
    assert e.type == "sk-********5c" and e.param == '{"k": "sk-********5c"}'


@pytest.mark.parametrize("status", [200, 500])
def test_a_body_shown_cut_short_does_not_show_the_start_of_a_key(emu, status):
    # the first 200 characters of a body that is not what was expected are shown: a key across that
    # cut must be masked, not shown up to it
    emu.inject_fault(path_prefix="/v1/", status=status, body_text="x" * 190 + API_KEY, content_type="text/html")
    with pytest.raises(OpenAIError) as caught:
        cmdlets.get_openai_file("file-x", api_key=API_KEY, max_retry_count=0)
    assert "sk-*" in str(caught.value) and API_KEY[:6] not in str(caught.value)


@pytest.mark.parametrize("event", ["x" * 190 + API_KEY, json.dumps({"error": {"message": "m", "code": API_KEY}})],
                         ids=["not JSON, cut", "error event's code"])
@pytest.mark.parametrize("name", ["request_chat_completion", "request_response"])
def test_a_stream_s_event_shown_cut_short_or_its_code_does_not_show_the_key(emu, name, event):
    emu.inject_fault(path_prefix="/v1/", status=200, content_type="text/event-stream", body_text=f"data: {event}\n\n")
    with pytest.raises(OpenAIError) as caught:
        list(calls(emu)[name](api_key=API_KEY, stream=True))
    assert API_KEY[:6] not in f"{caught.value}{caught.value.code}"


def test_urllib3_s_debug_log_masks_a_credential_in_the_additional_query(emu, caplog):
    # logging.basicConfig(level=logging.DEBUG): urllib3 logs every request line with its query
    with caplog.at_level(logging.DEBUG):
        list(cmdlets.get_batch(additional_query={"api-key": "GatewayQu3ryS3cret", "limit": 5}))
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("urllib3")]
    assert any("api-key=****" in line and "limit=5" in line for line in lines), lines
    assert "GatewayQu3ryS3cret" not in "\n".join(lines)


def test_a_client_s_and_a_config_s_repr_mask_every_credential():
    from cmdlets.core.config import ClientConfig
    settings = dict(api_key=API_KEY, organization=ORGANIZATION, api_base="https://user:GatewayPassw0rd@gw.example/v1",
                    additional_headers={"X-Api-Key": "HeaderS3cretValue", "X-Trace": "t1"},
                    additional_query={"token": "QueryS3cretValue", "limit": 5})
    client = cmdlets.Client(**settings)
    config = ClientConfig.resolve(**settings)
    text = f"{client!r}{client.with_options(timeout=3)!r}{config!r}"
    for secret in (API_KEY, ORGANIZATION, "GatewayPassw0rd", "HeaderS3cretValue", "QueryS3cretValue"):
        assert secret not in text
    assert "user:****@gw.example" in text and "'t1'" in text and "'limit', '5'" in text


def test_a_proxy_echoing_its_basic_credentials_does_not_show_them(monkeypatch):
    # a proxy (or what is behind it) answering with the request's headers, Proxy-Authorization included
    import base64
    import http.server
    import threading

    class Echo(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({"error": {"message": "; ".join(f"{k}: {v}" for k, v in self.headers.items())}}).encode()
            self.send_response(502)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for name in ("NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "http_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTP_PROXY", f"http://puser:Pr0xy%2FPassw0rd@127.0.0.1:{server.server_address[1]}")
        with pytest.raises(OpenAIError) as caught:
            cmdlets.get_openai_file("file-x", api_key=API_KEY, api_base="http://api.example.invalid/v1", max_retry_count=0)
    finally:
        server.shutdown()
    text = str(caught.value)
    assert "Proxy-Authorization: Basic " in text
    assert base64.b64encode(b"puser:Pr0xy/Passw0rd").decode() not in text and "Pr0xy" not in text


GATEWAY_PASSWORD, HEADER_TOKEN, QUERY_KEY = "GatewayPassw0rd91", "HeaderTok3n5ecret", "QueryKey5ecret77"


@pytest.mark.parametrize("fault", ["404", "timeout"])
@pytest.mark.parametrize("name", CMDLET_FUNCTIONS)
def test_a_traceback_with_locals_shows_no_credential_of_the_settings(emu, name, fault):
    # (pytest -l and error trackers show every frame's locals: from the cmdlet in, none holds a credential as text)
    call = calls(emu)[name]
    emu.inject_fault(path_prefix="/v1/", **FAULTS[fault])       # (404: an answer echoing the key)
    base = emu.base_url.replace("http://", f"http://gateway:{GATEWAY_PASSWORD}@")
    with pytest.raises(OpenAIError) as e:
        call(api_key=API_KEY, api_base=base, timeout_sec=1, max_retry_count=0,
             additional_headers={"X-Gateway-Token": HEADER_TOKEN, "X-Trace": "t1"},
             additional_query={"subscription-key": QUERY_KEY, "tag": "q1"})
    inner = e.value.__traceback__       # from the cmdlet in: the test's own frames hold what it passed
    while inner.tb_frame.f_code.co_filename == __file__:
        inner = inner.tb_next
    rendered = "".join(traceback.TracebackException(type(e.value), e.value, inner, capture_locals=True).format())
    assert "kwargs = " in rendered or "url = " in rendered      # locals were shown
    for secret in (API_KEY, GATEWAY_PASSWORD, HEADER_TOKEN, QUERY_KEY):
        assert secret not in rendered, next(line for line in rendered.splitlines() if secret in line)


def test_quiet_settings_are_the_text_itself_but_in_repr():
    url = QuietUrl("https://u:pw123456@example.com/v1?api-key=k99&x=1")
    assert url == "https://u:pw123456@example.com/v1?api-key=k99&x=1" and f"{url}".endswith("x=1")
    assert json.dumps({"u": url}) == json.dumps({"u": str(url)})
    assert repr(url) == "'https://u:****@example.com/v1?api-key=****&x=1'"
    assert repr(QuietText("tok")) == "'****'" and QuietText("tok") + "x" == "tokx"
    given = {"X-Api-Key": "k", "X-Trace": "t"}
    kwargs = {"additional_headers": given, "api_base": "https://example.com/v1"}
    quiet_settings(kwargs, {"additional_headers": "additional_headers", "api_base": "api_base"})
    assert given == {"X-Api-Key": "k", "X-Trace": "t"} and type(given["X-Api-Key"]) is str     # the caller's own
    assert repr(kwargs) == "{'additional_headers': {'X-Api-Key': '****', 'X-Trace': 't'}, 'api_base': 'https://example.com/v1'}"


def test_a_credential_looking_header_is_sent_and_its_credentials_resolved_once(emu):
    # (given as a Python str, it is a QuietText from the call in: still a plain secret, resolved once and kept)
    from cmdlets.core import config
    config._credentials_cache.clear()
    batch = emu.seed_batch(status="in_progress")
    for _ in range(3):
        cmdlets.get_batch(batch["id"], additional_headers={"X-Api-Token": HEADER_TOKEN})
    assert len(config._credentials_cache) == 1
    assert [{k.lower(): v for k, v in r["headers"].items()}["x-api-token"] for r in emu.requests()] == [HEADER_TOKEN] * 3
