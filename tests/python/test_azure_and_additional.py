"""Azure OpenAI (api_type="azure") and the Additional* escape hatches: URLs, auth headers, query/header/body
merging and masking, as PSOpenAI 4.x sends them, against the emulator's Azure routes."""
from __future__ import annotations

import json
import logging
from urllib.parse import parse_qsl, urlsplit

import pytest

from cmdlets import (add_openai_file, get_batch, get_batch_output, get_openai_file, get_openai_file_content,
                     remove_openai_file, request_chat_completion, start_batch, stop_batch, wait_batch)
from cmdlets.core import errors
from cmdlets.core.config import AZURE_API_VERSION, ClientConfig
from conftest import API_KEY, ORGANIZATION, api_calls, batch_creates
from openai_emulator.errors import ApiError

VERSION = AZURE_API_VERSION


@pytest.fixture
def azure(emu, monkeypatch):
    """The emulator, with the environment set up the way an Azure user would: the endpoint as ApiBase."""
    monkeypatch.setenv("OPENAI_API_BASE", emu.azure_base_url)
    monkeypatch.setenv("OPENAI_ORGANIZATION", ORGANIZATION)     # never sent to Azure
    return emu


def split(path):
    parts = urlsplit(path)
    return parts.path, parse_qsl(parts.query, keep_blank_values=True)


def header(entry, name):
    return {k.lower(): v for k, v in entry["headers"].items()}.get(name.lower())


# --- Azure ---------------------------------------------------------------------------------------

def test_azure_batch_workflow_end_to_end(azure):
    items = [request_chat_completion(f"Say {i}", model="gpt-4o-mini", as_batch=True, custom_batch_id=f"item-{i}",
                                     api_type="azure") for i in (1, 2)]
    assert {i.url for i in items} == {"/chat/completions"}
    assert all(i.body.model == "gpt-4o-mini" for i in items)        # the model stays in a batch item's body
    assert api_calls(azure) == []
    batch = start_batch(items, api_type="azure")
    azure.advance(batch.id, steps=3)
    batch = wait_batch(batch.id, api_type="Azure")
    assert batch.status == "completed"
    results = list(get_batch_output(batch, api_type="azure"))
    outputs = {o.custom_id: o.response.body.answer for o in results}
    assert outputs == {"item-1": ["Emulated response for Say 1."], "item-2": ["Emulated response for Say 2."]}
    # Azure OpenAI's batch outputs carry its content filter's results, as its direct answers do
    assert all(o.response.body.choices[0].content_filter_results.hate.filtered is False for o in results)
    cancelled = stop_batch(start_batch(batch.input_file_id, api_type="azure").id, force=True, api_type="azure",
                           pass_thru=True)
    assert cancelled.status in ("cancelling", "cancelled")
    assert [f.id for f in get_openai_file(purpose="batch", api_type="azure")]
    remove_openai_file(batch.input_file_id, api_type="azure")
    paths = [split(p) for _, p in api_calls(azure)]
    assert all(path.startswith("/openai/") for path, _ in paths)
    assert all(query[0] == ("api-version", VERSION) for _, query in paths)
    log = azure.requests()
    assert all(header(e, "api-key") == API_KEY for e in log)
    assert not any(header(e, "authorization") or header(e, "openai-organization") for e in log)
    creates = [json.loads(e["body"]) for e in log if e["method"] == "POST" and split(e["path"])[0] == "/openai/batches"]
    # Azure's Batch documentation's endpoint form, for items and for -FileId alike
    assert [c["endpoint"] for c in creates] == ["/chat/completions", "/chat/completions"]


def test_azure_start_batch_waits_for_its_upload_to_be_processed(azure, caplog):
    """Azure OpenAI keeps a new upload 'pending' and refuses a batch of it (the emulator does too): items
    piped into Start-Batch are uploaded, the file is polled until 'processed', then the batch is created."""
    items = [{"custom_id": f"r{i}", "method": "POST", "url": "/chat/completions",
              "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}} for i in (1, 2)]
    with caplog.at_level(logging.INFO, logger="cmdlets"):
        batch = start_batch(items, api_type="azure")
    calls = [(method, split(path)[0]) for method, path in api_calls(azure)]
    file_id = batch.input_file_id
    assert calls[0] == ("POST", "/openai/files") and calls[-1] == ("POST", "/openai/batches")
    assert set(calls[1:-1]) == {("GET", f"/openai/files/{file_id}")}     # polled, at least once
    assert get_openai_file(file_id, api_type="azure").status == "processed"
    assert f'File "{file_id}" is processed.' in caplog.text


def test_azure_start_batch_file_id_waits_for_a_pending_upload(azure):
    """The emulator refuses a batch of a pending upload, as Azure OpenAI does; -FileId reads the file first and
    waits until it is processed, as Start-Batch does for its own upload."""
    line = {"custom_id": "a", "method": "POST", "url": "/chat/completions", "body": {"model": "m", "messages": []}}
    f = add_openai_file(content=json.dumps(line).encode(), name="in.jsonl", purpose="batch", api_type="azure")
    assert f.status == "pending"
    with pytest.raises(ApiError, match="'pending' state"):
        azure.create_batch(f.id, endpoint="/chat/completions")
    azure.clear_requests()
    batch = start_batch(f.id, api_type="azure")
    calls = [(method, split(path)[0]) for method, path in api_calls(azure)]
    assert batch.input_file_id == f.id and calls[0] == ("GET", f"/openai/files/{f.id}")
    assert calls[-2:] == [("GET", f"/openai/files/{f.id}/content"), ("POST", "/openai/batches")]
    assert set(calls[1:-2]) == {("GET", f"/openai/files/{f.id}")}      # polled until processed


def test_azure_urls_for_every_cmdlet(azure):
    f = add_openai_file(content=b"x", name="a.txt", purpose="user_data", api_type="azure", api_version="2024-10-21")
    get_openai_file(f.id, api_type="azure")
    list(get_openai_file(limit=5, order="asc", api_type="azure"))
    get_openai_file_content(f.id, api_type="azure")
    seeded = azure.seed_batch(status="in_progress")
    get_batch(seeded["id"], api_type="azure")
    list(get_batch(limit=3, after=seeded["id"], api_type="azure"))
    stop_batch(seeded["id"], force=True, api_type="azure")
    remove_openai_file(f.id, api_type="azure")
    assert api_calls(azure) == [
        ("POST", "/openai/files?api-version=2024-10-21"),
        ("GET", f"/openai/files/{f.id}?api-version={VERSION}"),
        ("GET", f"/openai/files?api-version={VERSION}&limit=5&order=asc"),
        ("GET", f"/openai/files/{f.id}/content?api-version={VERSION}"),
        ("GET", f"/openai/batches/{seeded['id']}?api-version={VERSION}"),
        ("GET", f"/openai/batches?api-version={VERSION}&limit=3&after={seeded['id']}"),
        ("POST", f"/openai/batches/{seeded['id']}/cancel?api-version={VERSION}"),
        ("DELETE", f"/openai/files/{f.id}?api-version={VERSION}"),
    ]


def test_azure_base_with_a_trailing_slash_and_a_path(azure):
    list(get_batch(api_type="azure", api_base=azure.azure_base_url + "/"))
    assert api_calls(azure) == [("GET", f"/openai/batches?api-version={VERSION}&limit=20")]


def test_azure_needs_an_api_base(azure, monkeypatch):
    monkeypatch.delenv("OPENAI_API_BASE")
    with pytest.raises(errors.ConfigurationError, match='Please specify your Azure OpenAI Endpoint to "ApiBase"'):
        list(get_batch(api_type="azure"))
    assert api_calls(azure) == []


def test_auth_types(azure):
    list(get_batch(api_type="azure", auth_type="azure_ad"))      # a Microsoft Entra token as Bearer
    list(get_batch(api_type="azure", auth_type="openai"))        # becomes azure: api-key
    list(get_batch(api_base=azure.base_url))                     # plain OpenAI: Bearer + organization
    a, b, d = azure.requests()
    assert (header(a, "authorization"), header(a, "api-key"), header(a, "openai-organization")) == \
        (f"Bearer {API_KEY}", None, None)
    assert (header(b, "authorization"), header(b, "api-key")) == (None, API_KEY)
    assert (header(d, "authorization"), header(d, "openai-organization"), header(d, "api-key")) == \
        (f"Bearer {API_KEY}", ORGANIZATION, None)


def test_no_header_carries_over_to_a_later_call(azure):
    """PSOpenAI's shared web session sent an earlier Azure call's api-key and AdditionalHeaders along."""
    list(get_batch(api_type="azure", additional_headers={"X-Extra": "1", "api-key-2": "secret-value-xyz"}))
    list(get_batch(api_base=azure.base_url))
    later = azure.requests()[1]
    assert header(later, "api-key") is None and header(later, "x-extra") is None and header(later, "api-key-2") is None


def test_azure_errors_name_azure_openai(azure):
    with pytest.raises(errors.NotFoundError) as caught:
        get_batch("batch_missing", api_type="azure")
    assert caught.value.message.startswith("Azure OpenAI API returned an 404 (Not Found) Error: ")
    with pytest.raises(errors.UnauthorizedError) as caught:
        list(get_batch(api_type="azure", api_key="wrong-key-000000000000"))
    assert caught.value.message.startswith("Azure OpenAI API returned an 401 (Unauthorized) Error: ")
    with pytest.raises(errors.NotFoundError) as caught:
        get_batch("batch_missing", api_base=azure.base_url)
    assert caught.value.message.startswith("OpenAI API returned an 404")


def test_azure_chat_completion_goes_to_the_deployment_without_model_in_the_body(azure):
    result = request_chat_completion("Hello", model="my-gpt4o", api_type="azure")
    assert result.answer == ["Emulated response for Hello."]
    (entry,) = azure.requests()
    assert entry["path"] == f"/openai/deployments/my-gpt4o/chat/completions?api-version={VERSION}"
    assert "model" not in json.loads(entry["body"])


def test_azure_chat_completion_carries_the_content_filter_results_azure_adds(azure):
    result = request_chat_completion("Hello", model="my-gpt4o", api_type="azure")
    safe = {"filtered": False, "severity": "safe"}
    assert result.choices[0].content_filter_results.to_dict() == {c: safe for c in ("hate", "self_harm", "sexual", "violence")}
    assert result.prompt_filter_results[0]["prompt_index"] == 0
    # OpenAI's own route has neither
    openai = request_chat_completion("Hello", model="gpt-4o-mini", api_base=azure.base_url)
    assert "content_filter_results" not in openai.choices[0] and "prompt_filter_results" not in openai


def test_start_batch_endpoint_on_azure_default_and_given(azure):
    f = azure.create_file(json.dumps({"custom_id": "a", "method": "POST", "url": "/chat/completions",
                                      "body": {"model": "m", "messages": [{"role": "user", "content": "x"}]}}))
    start_batch(f["id"], api_type="azure")
    start_batch(f["id"], api_type="azure", endpoint="/v1/chat/completions")
    start_batch(f["id"], api_base=azure.base_url)
    # (the lines' /chat/completions and the batch's /v1/chat/completions name the same API: not refused)
    assert [c["endpoint"] for c in batch_creates(azure)] == ["/chat/completions", "/v1/chat/completions",
                                                             "/v1/chat/completions"]


def test_api_type_and_auth_type_are_checked():
    with pytest.raises(errors.ParameterBindingError, match="api_type must be one of OpenAI, Azure"):
        list(get_batch(api_type="aws"))
    with pytest.raises(errors.ParameterBindingError, match="auth_type must be one of"):
        list(get_batch(auth_type="basic"))


def test_the_emulator_wants_an_api_version_and_a_key_on_azure_routes(azure):
    import requests
    assert requests.get(f"{azure.url}/openai/batches", headers={"api-key": API_KEY}).status_code == 404
    assert requests.get(f"{azure.url}/openai/batches?api-version=x", headers={"api-key": "nope"}).status_code == 401
    assert requests.get(f"{azure.url}/openai/batches?api-version=x").status_code == 401
    assert requests.get(f"{azure.url}/openai/batches?api-version=x", headers={"api-key": API_KEY}).status_code == 200
    assert requests.get(f"{azure.url}/openai/batches?api-version=x",
                        headers={"Authorization": f"Bearer {API_KEY}"}).status_code == 200


# --- Additional* ---------------------------------------------------------------------------------

def test_additional_query_is_added_after_the_cmdlets_own(emu):
    list(get_batch(limit=3, additional_query={"limit": 7, "preview": True, "tags": ["a", "b"]}))
    list(get_batch(api_type="azure", api_base=emu.azure_base_url, additional_query={"api-version": "x"}))
    assert [p for _, p in api_calls(emu)] == ["/v1/batches?limit=3&limit=7&preview=true&tags=a&tags=b",
                                             f"/openai/batches?api-version={VERSION}&limit=20&api-version=x"]


def test_additional_headers_win_except_the_credentials(emu, monkeypatch):
    monkeypatch.setenv("OPENAI_ORGANIZATION", ORGANIZATION)
    list(get_batch(additional_headers={"User-Agent": "my-agent/1", "X-Preview": "on", "Accept": "text/plain",
                                       "authorization": "Bearer other-token-123456",
                                       "OpenAI-Organization": "org-other"}))
    (entry,) = emu.requests()
    assert header(entry, "user-agent") == "my-agent/1"
    assert header(entry, "x-preview") == "on" and header(entry, "accept") == "text/plain"
    assert header(entry, "authorization") == f"Bearer {API_KEY}"
    assert header(entry, "openai-organization") == ORGANIZATION


def test_additional_secret_headers_go_where_the_key_goes(emu):
    """Not replaced: an azure-auth call's own header is api-key, so a user's Authorization is sent too."""
    list(get_batch(api_base=emu.base_url, auth_type="azure", additional_headers={"Authorization": f"Bearer {API_KEY}"}))
    (entry,) = emu.requests()
    assert header(entry, "authorization") == f"Bearer {API_KEY}" and header(entry, "api-key") == API_KEY


def test_additional_body_is_merged_into_json_bodies_and_wins(emu):
    f = emu.create_file(json.dumps({"custom_id": "a", "method": "POST", "url": "/v1/chat/completions",
                                    "body": {"model": "m", "messages": []}}))
    start_batch(f["id"], metadata={"a": "1"}, additional_body={"metadata": {"b": "2"}})
    assert [c[0] for c in api_calls(emu)] == ["GET", "GET", "POST"]      # the file's reads send no body
    (create,) = batch_creates(emu)
    assert create == {"input_file_id": f["id"], "endpoint": "/v1/chat/completions",
                                         "completion_window": "24h", "metadata": {"b": "2"}}


@pytest.mark.parametrize("extra", [{"metadata": {"k": "v"}}, '{"metadata": {"k": "v"}}'], ids=["dict", "json"])
def test_additional_body_forms(emu, extra):
    f = emu.create_file('{"custom_id": "a", "method": "POST", "url": "/v1/chat/completions", "body": {}}')
    start_batch(f["id"], additional_body=extra)
    assert batch_creates(emu)[0]["metadata"] == {"k": "v"}


def test_additional_body_is_the_cancels_body_and_not_sent_without_a_body(emu):
    batch = emu.seed_batch(status="in_progress")
    get_batch(batch["id"], additional_body={"x": 1})
    stop_batch(batch["id"], force=True, additional_body={"reason": "test"})
    get_entry, cancel = emu.requests()
    assert get_entry["body"] is None
    assert json.loads(cancel["body"]) == {"reason": "test"} and header(cancel, "content-type") == "application/json"
    stop_batch(emu.seed_batch(status="in_progress")["id"], force=True)
    assert emu.requests()[-1]["body"] is None       # and no body at all without one


def test_additional_body_in_an_upload_is_form_fields_replacing_the_cmdlets(emu):
    add_openai_file(content=b"x", name="a.txt", purpose="user_data",
                    additional_body={"purpose": "batch", "extra": 5})
    body = emu.requests()[0]["body"]
    assert 'name="purpose"\r\n\r\nbatch\r\n' in body and 'name="extra"\r\n\r\n5\r\n' in body
    assert "user_data" not in body


def test_start_batch_keeps_additional_body_out_of_its_own_upload(emu):
    items = [request_chat_completion("x", model="m", as_batch=True, custom_batch_id="a")]
    start_batch(items, additional_body={"metadata": {"k": "v"}})
    upload, create = emu.requests()
    assert 'name="metadata"' not in upload["body"]
    assert json.loads(create["body"])["metadata"] == {"k": "v"}


def test_bad_additional_values_fail_before_sending(emu):
    with pytest.raises(errors.ParameterBindingError, match="not JSON"):
        list(get_batch(additional_body="{not json"))
    with pytest.raises(errors.ParameterBindingError, match="AdditionalBody must be"):
        list(get_batch(additional_body="[1, 2]"))
    with pytest.raises(errors.ParameterBindingError, match="not a valid HTTP header name"):
        list(get_batch(additional_headers={"Bad Name": "x"}))
    with pytest.raises(errors.ParameterBindingError) as caught:
        list(get_batch(additional_headers={"X-Thing": "line\r\nInjected: 1"}))
    assert "Injected" not in str(caught.value)
    with pytest.raises(errors.ConfigurationError) as caught:
        list(get_batch(additional_headers={"X-Api-Key": "sk-secret\nvalue-000000"}))
    assert "sk-secret" not in str(caught.value)
    assert api_calls(emu) == []


SECRET_HEADER_VALUE = "hdr-secret-9f8e7d6c5b4a39281706"


@pytest.mark.parametrize("name", ["Authorization", "api-key", "X-Custom-Token", "Ocp-Apim-Subscription-Key"])
def test_secret_additional_headers_are_masked_everywhere(emu, caplog, name):
    value = f"Bearer {SECRET_HEADER_VALUE}" if name == "Authorization" else SECRET_HEADER_VALUE
    echo = {"error": {"message": f"bad header {SECRET_HEADER_VALUE}", "type": "x", "param": None, "code": None}}
    emu.inject_fault(path_prefix="/v1/", status=404, body=echo)
    caplog.set_level(logging.DEBUG, logger="cmdlets")
    with pytest.raises(errors.NotFoundError) as caught:
        get_batch("batch_x", additional_headers={name: value}, additional_query={"q": SECRET_HEADER_VALUE})
    texts = [caught.value.message, str(caught.value), repr(caught.value), caplog.text]
    assert all(SECRET_HEADER_VALUE not in t for t in texts)
    assert "hdr********06" in caught.value.message


@pytest.mark.parametrize("name", ["api-key", "access_token", "sig", "code", "subscription-key"])
def test_secret_looking_additional_query_values_are_masked(emu, caplog, name):
    """A gateway's key passed in the query (-AdditionalQuery @{ 'api-key' = ... }) is sent as given, but no
    message shows it: the verbose request line and the error both name the URL."""
    value = "qry secret/9f8e7d6c5b4a39281706"      # (a space and a slash: URL-encoded in the URL)
    echo = {"error": {"message": f"bad query {value}", "type": "x", "param": None, "code": None}}
    emu.inject_fault(path_prefix="/v1/", status=404, body=echo)
    caplog.set_level(logging.DEBUG, logger="cmdlets")
    with pytest.raises(errors.NotFoundError) as caught:
        get_batch("batch_x", additional_query={name: value, "plain": "shown-value"})
    (entry,) = emu.requests()
    assert "qry+secret%2F9f8e7d6c5b4a39281706" in entry["path"]      # sent
    texts = [caught.value.message, str(caught.value), repr(caught.value), caplog.text]
    assert all("9f8e7d6c5b4a39281706" not in t for t in texts)
    assert "shown-value" in caplog.text and "qry********06" in caught.value.message


def test_resolve_keeps_secret_headers_apart_and_wrapped():
    cfg = ClientConfig.resolve(api_key=API_KEY, additional_headers={"api-key": "k" * 20, "X-Plain": "p"})
    assert cfg.additional_headers == (("X-Plain", "p"),)
    assert [n for n, _ in cfg.secret_headers] == ["api-key"]
    assert "k" * 20 not in repr(cfg.additional_headers)
