"""Issue 10, items 4-7 on the Python side: the same requests on the wire as PSOpenAI's cmdlets send
(lists, lower-cased values, compact JSONL), typed batch outputs, and command aliases in manifests."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

import cmdlets
from cmdlets import add_openai_file, get_batch, get_batch_output, get_openai_file, start_batch
from cmdlets.core.manifest import ManifestError, load_manifests, parse_manifest
from cmdlets.core.objects import BatchOutput, ChatCompletion, JsonObject, ps_type_names, typed_members
from conftest import api_calls


def list_paths(emu, collection):
    return [path for method, path in api_calls(emu) if method == "GET" and path.split("?")[0] == f"/v1/{collection}"]


# --- 4. Lists -------------------------------------------------------------------------------------------

def test_get_batch_all_pages_100_at_a_time(emu):
    seeded = [b["id"] for b in emu.seed_batches(101)]
    assert len(list(get_batch(all=True))) == 101
    assert list_paths(emu, "batches") == ["/v1/batches?limit=100", f"/v1/batches?limit=100&after={seeded[1]}"]


def test_get_batch_without_all_keeps_its_limit(emu):
    emu.seed_batches(3)
    list(get_batch())
    list(get_batch(limit=2))
    assert list_paths(emu, "batches") == ["/v1/batches?limit=20", "/v1/batches?limit=2"]


def test_get_openai_file_sends_no_option_that_was_not_given(emu):
    a, b = emu.create_file("a"), emu.create_file("b")
    assert [f.id for f in get_openai_file()] == [b["id"], a["id"]]      # the API's default order: desc
    assert list_paths(emu, "files") == ["/v1/files"]


@pytest.mark.parametrize("kwargs,query", [
    ({"limit": 5}, "limit=5"),
    ({"order": "asc"}, "order=asc"),
    ({"order": "desc"}, "order=desc"),          # given, so sent, even though it is the default
    ({"purpose": "batch"}, "purpose=batch"),
    ({"after": "{file}"}, "after={file}"),
    ({"all": True}, "limit=10000"),
    ({"all": True, "limit": 3}, "limit=10000"),  # -All wins over -Limit, as in PSOpenAI
    ({"purpose": "batch", "after": "{file}", "order": "asc", "limit": 7}, "limit=7&order=asc&after={file}&purpose=batch"),
], ids=["limit", "order asc", "order desc", "purpose", "after", "all", "all and limit", "PSOpenAI's order"])
def test_get_openai_file_query(emu, kwargs, query):
    file_id = emu.create_file("x")["id"]        # a cursor the API knows
    list(get_openai_file(**{k: v.replace("{file}", file_id) if isinstance(v, str) else v for k, v in kwargs.items()}))
    assert list_paths(emu, "files") == [f"/v1/files?{query.replace('{file}', file_id)}"]


def test_get_openai_file_all_pages_past_the_first_with_the_same_options(emu):
    first = emu.create_file("first", purpose="batch")
    later = emu.create_file("later", purpose="batch")
    # The API says there is more after `later` (10000 files are too many to make): the next page must follow.
    page = {"object": "list", "data": [emu.get_file(later["id"])], "first_id": later["id"], "last_id": later["id"],
            "has_more": True}
    emu.inject_fault(method="GET", path="/v1/files", status=200, body=page)
    assert [f.id for f in get_openai_file(all=True, purpose="batch")] == [later["id"], first["id"]]
    assert list_paths(emu, "files") == ["/v1/files?limit=10000&purpose=batch",
                                        f"/v1/files?limit=10000&after={later['id']}&purpose=batch"]


def test_add_openai_file_lower_cases_the_purpose_and_the_anchor(emu):
    f = add_openai_file(content=b"{}", name="a.jsonl", purpose="BATCH", expires_after_seconds=3600,
                        expires_after_anchor="Created_At")
    (request,) = emu.requests()
    assert 'name="purpose"\r\n\r\nbatch\r\n' in request["body"]
    assert 'name="expires_after[anchor]"\r\n\r\ncreated_at\r\n' in request["body"]
    assert f.purpose == "batch"


# --- 5. Typed outputs -----------------------------------------------------------------------------------

def completion(**fields):
    return {"id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": "m",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello"}}], **fields}


def output(body):
    return BatchOutput({"id": "batch_req_1", "custom_id": "c1",
                        "response": {"status_code": 200, "request_id": "r", "body": body}, "error": None})


def test_a_chat_completion_body_is_typed_with_created_as_datetime_and_answer(emu):
    done = emu.seed_batch(status="completed", n_requests=2)
    outputs = list(get_batch_output(done))
    for o in outputs:
        body = o.response.body
        assert isinstance(body, ChatCompletion) and body.ps_type_name == "PSOpenAI.Chat.Completion"
        assert isinstance(body.created, datetime) and body.created.tzinfo is not None
        assert body.created == datetime.fromtimestamp(o.to_dict()["response"]["body"]["created"], timezone.utc)
        assert body.answer == [f"Emulated response for {o.custom_id}."]
        # PSOpenAI 4.49's order: Message (null: a batch output has no request messages), Answer, History (empty)
        assert list(body.ps_note_properties().items()) == [("Message", None), ("Answer", body.answer), ("History", [])]
        assert isinstance(o.to_dict()["response"]["body"]["created"], int)      # the JSON as received
        # (as notes for PowerShell only: the Python object has no message or history attributes)
        for name in ("message", "history"):
            assert not hasattr(body, name)


@pytest.mark.parametrize("choices,answer", [
    ([{"message": {"content": "a"}}, {"message": {"content": "b"}}], ["a", "b"]),
    ([{"message": {"content": "a"}}, {"message": {"content": None}}], ["a", ""]),
    ([{"message": {"content": None}}], [""]),                   # one null: [string[]]@($null)
    ([{"message": {"content": None}}, {"message": {"content": None}}], ["", ""]),
    ([{"message": {"content": "a"}}, {"index": 1}], ["a", ""]),  # a choice without a message: its $null content
    ([{"message": {"content": None, "refusal": "I can't."}}], ["I can't."]),      # a refusal: its message
    ([{"message": {"content": "a", "refusal": "no"}}], ["no"]),
    ([{"message": {"content": None, "audio": {"transcript": "said"}}}], ["said"]),  # an audio reply: its transcript
    ([{"message": {"content": "cut"}, "finish_reason": "length"}], ["cut"]),
    ([{"message": {"content": ["a", "b"]}}, {"message": {"content": 12}}], ["a", "b", "12"]),   # $Answer += an array
    ([], []),
    (None, []),
], ids=["two", "one null of two", "one null", "two nulls", "no message", "refusal", "refusal and content", "audio",
        "length", "not text", "no choices", "null choices"])
def test_answer_is_psopenai_4_49s_per_choice_answer(choices, answer):
    # PSOpenAI 4.49's ParseChatCompletionObject, which its Get-BatchOutput applies to each chat body: per choice
    # the refusal, else the content (an audio reply's transcript when it has none), as [string[]]
    assert ChatCompletion(completion(choices=choices)).answer == answer


def test_only_chat_completions_are_typed_and_typed_members_names_where():
    chat = output(completion())
    assert list(typed_members(chat)) == [(("response", "body"), chat.response.body)]
    other = output({"object": "embedding", "created": 1700000000})
    assert type(other.response.body) is JsonObject and other.response.body.created == 1700000000
    assert list(typed_members(other)) == []
    failed = BatchOutput({"id": "x", "custom_id": "c", "response": None, "error": {"code": "e"}})
    assert failed.response is None and list(typed_members(failed)) == []


def test_a_chat_completion_mapping_answers_to_its_type_name():
    assert ps_type_names(completion()) == ("PSOpenAI.Chat.Completion",)
    assert ps_type_names(ChatCompletion(completion())) == ("PSOpenAI.Chat.Completion",)


# --- 6. Binding -----------------------------------------------------------------------------------------

def test_register_openai_file_is_add_openai_file(emu):
    assert cmdlets.register_openai_file is cmdlets.add_openai_file
    assert "register_openai_file" not in cmdlets.__all__       # each cmdlet listed once
    assert load_manifests()["Add-OpenAIFile"].aliases == ("Register-OpenAIFile",)
    f = cmdlets.register_openai_file(content=b"x", name="r.txt", purpose="user_data")
    assert f.filename == "r.txt" and api_calls(emu) == [("POST", "/v1/files")]


def test_get_batch_output_takes_a_batch_id_first(emu):
    done = emu.seed_batch(status="completed", n_requests=2)
    assert len(list(get_batch_output(done["id"]))) == 2
    assert api_calls(emu) == [("GET", f"/v1/batches/{done['id']}"), ("GET", f"/v1/files/{done['output_file_id']}/content")]


BASE = {"name": "Get-Thing", "implementation": "cmdlets.batch.get_batch:get_batch", "synopsis": "s", "description": "d",
        "parameters": [{"name": "A", "type": "String", "help": "a"}]}


@pytest.mark.parametrize("aliases,message", [
    (["Register Thing"], "not a valid command alias"),
    (["gt"], "not a valid command alias"),
    (["Get-Thing"], "not a valid command alias"),
    (["Find-Thing", "find-thing"], "listed twice"),
    ("Find-Thing", "expected list"),
])
def test_command_aliases_are_checked(aliases, message):
    with pytest.raises(ManifestError, match=message):
        parse_manifest({**BASE, "aliases": aliases}, "<string>", {})


def test_a_command_alias_may_not_be_another_cmdlets_name(tmp_path):
    for name, aliases in (("Get-Thing", ["Find-Thing"]), ("Find-Thing", [])):
        text = json.dumps({**BASE, "name": name, "aliases": aliases})        # JSON is YAML
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError, match="'Find-Thing' is already the name or an alias of"):
        load_manifests(str(tmp_path))


# --- 7. Bytes -------------------------------------------------------------------------------------------

def test_start_batch_uploads_compact_jsonl(emu):
    items = [{"custom_id": f"req-{i}", "method": "POST", "url": "/v1/chat/completions",
              "body": {"model": "m", "messages": [{"role": "user", "content": f"Say {i}, then: é"}]}} for i in (1, 2)]
    batch = start_batch(items)
    content = emu.file_content(batch.input_file_id).decode("utf-8")
    assert content == "\n".join(json.dumps(i, ensure_ascii=False, separators=(",", ":")) for i in items)
    assert content.split("\n")[0] == ('{"custom_id":"req-1","method":"POST","url":"/v1/chat/completions",'
                                      '"body":{"model":"m","messages":[{"role":"user","content":"Say 1, then: é"}]}}')


def test_an_item_with_no_json_form_is_still_named(emu):
    with pytest.raises(cmdlets.ParameterBindingError, match=r"item 1 cannot be sent as JSON: .*NaN"):
        start_batch([{"custom_id": "a", "method": "POST", "url": "/v1/embeddings", "body": {"x": float("nan")}}])
    assert api_calls(emu) == []


def test_a_chat_result_cut_off_by_its_token_limit_is_warned_about_as_psopenai_does(emu, caplog):
    line = {"custom_id": "short", "method": "POST", "url": "/v1/chat/completions",
            "body": {"model": "gpt-4o-mini", "max_completion_tokens": 1, "messages": [{"role": "user", "content": "Hi"}]}}
    whole = {**line, "custom_id": "whole", "body": {**line["body"], "max_completion_tokens": 100}}
    done = emu.seed_batch(status="completed", lines=[line, whole])
    with pytest.warns(cmdlets.OpenAIWarning) as warned:
        outputs = {o.custom_id: o for o in get_batch_output(done)}
    short = outputs["short"].response.body
    assert short.choices[0].finish_reason == "length" and len(short.answer[0]) <= 4
    assert outputs["whole"].response.body.choices[0].finish_reason == "stop"
    assert [str(w.message) for w in warned] == ['The model seems to have terminated response. Reason: "length"']
