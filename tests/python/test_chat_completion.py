"""Request-ChatCompletion in Python: PSOpenAI's request body, -AsBatch items that send nothing, a real call
against the emulator (Answer, Message, History), what is not ported, and PSOpenAI's Batch guide end to end."""
from __future__ import annotations

import json
import re

import pytest

from cmdlets import ParameterBindingError, get_batch_output, request_chat_completion, start_batch, wait_batch
from cmdlets.chat.request_chat_completion import BatchInput, ChatCompletionResult, NotSupportedError
from cmdlets.core.objects import ChatCompletion, ps_type_names
from openai_emulator.chat import answer_text

from conftest import api_calls


def body_of(**kwargs):
    return request_chat_completion(as_batch=True, **kwargs).body.to_dict()


def test_as_batch_item_is_psopenai_batch_input_and_sends_nothing(emu, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY")        # -AsBatch needs no key
    item = request_chat_completion("Hello.", model="gpt-4o-mini", as_batch=True, custom_batch_id="item-1")
    assert isinstance(item, BatchInput) and ps_type_names(item) == ("PSOpenAI.Batch.Input",)
    assert item.to_dict() == {"custom_id": "item-1", "method": "POST", "url": "/v1/chat/completions",
                              "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello."}]}}
    assert list(item) == ["custom_id", "method", "url", "body"]
    assert api_calls(emu) == []


def test_as_batch_generated_custom_id_is_psopenai_form():
    ids = {request_chat_completion("x", as_batch=True).custom_id for _ in range(20)}
    assert all(re.fullmatch(r"request-[0-9a-f]{4,}", i) for i in ids) and len(ids) > 1


def test_body_has_psopenai_keys_in_psopenai_order_only_when_given():
    assert body_of(message="Hi") == {"model": "gpt-5.4-mini", "messages": [{"role": "user", "content": "Hi"}]}
    body = body_of(message="  Hi  ", name="bob", system_message=["  be brief ", "  "], developer_message=["dev"],
                   modalities=["text"], prediction="p", temperature=1, top_p=0.5, n=2, store=True,
                   verbosity="low", reasoning_effort="low", metadata={"k": "v"}, stop="END",
                   max_tokens=9, max_completion_tokens=10, presence_penalty=0.5, frequency_penalty=-1,
                   logit_bias={50256: -100, "1234": 5.5}, log_probs=True, top_logprobs=3,
                   response_format="json_object", seed=2**40, service_tier="flex", prompt_cache_key="ck",
                   prompt_cache_retention="24h", safety_identifier="sid", user="u",
                   web_search_context_size="medium", web_search_user_location_city="Tokyo",
                   web_search_user_location_time_zone="Asia/Tokyo")
    assert list(body) == ["model", "modalities", "prediction", "temperature", "top_p", "n", "store", "reasoning_effort",
                          "verbosity", "metadata", "stop", "max_tokens", "max_completion_tokens", "presence_penalty",
                          "frequency_penalty", "logit_bias", "logprobs", "top_logprobs", "response_format", "seed",
                          "service_tier", "prompt_cache_key", "prompt_cache_retention", "safety_identifier", "user",
                          "web_search_options", "messages"]
    assert body["prediction"] == {"type": "content", "content": "p"}
    assert json.dumps(body["temperature"]) == "1.0" and body["n"] == 2 and body["stop"] == ["END"]
    assert body["logit_bias"] == {"50256": -100.0, "1234": 5.5} and body["seed"] == 2**40
    assert body["response_format"] == {"type": "json_object"}
    assert body["web_search_options"] == {"search_context_size": "medium", "user_location": {
        "type": "approximate", "approximate": {"city": "Tokyo", "timezone": "Asia/Tokyo"}}}
    assert body["messages"] == [{"role": "system", "content": "be brief"}, {"role": "developer", "content": "dev"},
                                {"role": "user", "content": "Hi", "name": "bob"}]


@pytest.mark.parametrize("as_batch", [False, True])
def test_an_empty_model_is_refused_before_anything_is_sent(emu, as_batch):
    with pytest.raises(ParameterBindingError, match="Model is empty"):
        request_chat_completion("Hi", model="  ", as_batch=as_batch)
    assert api_calls(emu) == []


def test_defaults_are_not_sent_and_false_switches_send_nothing():
    body = body_of(message="Hi", store=False, response_format="raw_response", role="USER")
    assert body == {"model": "gpt-5.4-mini", "messages": [{"role": "user", "content": "Hi"}]}
    assert "top_logprobs" not in body_of(message="Hi", log_probs=False, top_logprobs=3)
    assert body_of(message="Hi", log_probs=False)["logprobs"] is False


def test_history_is_resent_as_psopenai_does():
    history = [{"role": "system", "content": "s"}, {"content": "no role: skipped"},
               {"role": "assistant", "content": "c", "refusal": "no", "name": "n1"},
               {"role": "assistant", "content": "", "tool_calls": [{"id": "t"}]},
               {"role": "tool", "content": "r", "tool_call_id": "t"}]
    assert body_of(message="next", history=history)["messages"] == [
        {"role": "system", "content": "s"},
        {"role": "assistant", "content": [{"type": "refusal", "refusal": "no"}], "name": "n1"},
        {"role": "assistant", "tool_calls": [{"id": "t"}]},
        {"role": "tool", "content": "r", "tool_call_id": "t"},
        {"role": "user", "content": "next"}]
    assert body_of(history={"role": "user", "content": "only"})["messages"] == [{"role": "user", "content": "only"}]


def test_logit_bias_clamps_with_warnings_and_refuses_words(caplog):
    with caplog.at_level("WARNING", logger="cmdlets"):
        assert body_of(message="x", logit_bias={1: 150, 2: -101})["logit_bias"] == {"1": 100.0, "2": -100.0}
    with pytest.raises(NotSupportedError, match="word as key"):
        body_of(message="x", logit_bias={"hello": 1})
    with pytest.raises(ParameterBindingError, match=r"should be type as \[float\]"):
        body_of(message="x", logit_bias={1: "lots"})


@pytest.mark.parametrize("kwargs, what", [
    ({"invoke_tools": "Confirm"}, "-InvokeTools Confirm"),
    ({"invoke_tools": "Auto"}, "-InvokeTools Auto")])
def test_what_is_not_ported_is_a_clear_error_before_anything_is_sent(emu, kwargs, what):
    for as_batch in (True, False):
        with pytest.raises(NotSupportedError, match=re.escape(what) + ".*not supported by this port"):
            request_chat_completion("Hi", as_batch=as_batch, **kwargs)
    assert api_calls(emu) == []


@pytest.mark.parametrize("kwargs, message", [
    ({}, "No message is specified"), ({"message": "   "}, "No message is specified"),
    ({"message": "x", "role": "function"}, 'role "function" must have a name'),
    ({"message": "x", "name": "bad name"}, "does not match the pattern"),
    ({"message": "x", "stop": ["a"] * 5}, "1 to 4"),
    ({"message": "x", "response_format": "json_schema"}, "JsonSchema must be specified"),
    ({"message": "x", "seed": "many"}, "64-bit integer"), ({"message": "x", "log_probs": "yes"}, "bool"),
    ({"message": "x", "temperature": 2.5}, "between"), ({"message": "x", "number_of_answers": -1}, "between")])
def test_bad_arguments_fail_before_anything_is_sent(emu, kwargs, message):
    with pytest.raises(ParameterBindingError, match=message):
        request_chat_completion(**kwargs)
    assert api_calls(emu) == []


def test_json_schema_is_sent_parsed():
    schema = '{"name": "s", "schema": {"type": "object"}, "strict": true}'
    assert body_of(message="x", response_format="json_schema", json_schema=schema)["response_format"] == {
        "type": "json_schema", "json_schema": {"name": "s", "schema": {"type": "object"}, "strict": True}}


def test_a_real_call_returns_a_chat_completion_with_answer_message_history(emu):
    result = request_chat_completion("Hello.", model="gpt-4o-mini", system_message="Be brief.", n=2, temperature=0.5)
    assert isinstance(result, ChatCompletion) and isinstance(result, ChatCompletionResult)
    assert result.ps_type_name == "PSOpenAI.Chat.Completion"
    assert result.answer == ['Emulated response for Hello.'] * 2
    assert result.message == "Hello." and result.model == "gpt-4o-mini" and result.created.tzinfo is not None
    assert result.history == [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hello."},
                              {"role": "assistant", "content": 'Emulated response for Hello.'}]
    assert result.ps_note_properties() == {"Message": "Hello.", "Answer": result.answer, "History": result.history}
    [call] = emu.requests()
    assert (call["method"], call["path"]) == ("POST", "/v1/chat/completions")
    assert json.loads(call["body"]) == {"model": "gpt-4o-mini", "temperature": 0.5, "n": 2, "messages": [
        {"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hello."}]}


def test_history_goes_on_with_the_conversation(emu):
    first = request_chat_completion("One.", model="gpt-4o-mini")
    second = request_chat_completion("Two.", model=first.model, history=first.history)
    assert second.answer == ['Emulated response for Two.'] and second.message == "Two."
    assert [m["content"] for m in second.history] == ["One.", 'Emulated response for One.', "Two.",
                                                      'Emulated response for Two.']


def test_raw_response_returns_the_json_text(emu):
    text = request_chat_completion("Hi", response_format="raw_response")
    assert isinstance(text, str) and json.loads(text)["object"] == "chat.completion"
    assert "response_format" not in json.loads(emu.requests()[0]["body"])


def test_api_errors_are_raised(emu):
    from cmdlets import BadRequestError
    with pytest.raises(BadRequestError):
        emu.inject_fault(method="POST", path="/v1/chat/completions", status=400)
        request_chat_completion("Hi", model="gpt-4o-mini")


def test_psopenai_batch_guide_end_to_end(emu):
    emu.set_step_seconds(0.05)
    items = []
    items.append(request_chat_completion("Hello.", model="gpt-4o-mini", as_batch=True, custom_batch_id="item-1"))
    items.append(request_chat_completion("What is a hot dog?", model="gpt-4o-mini", as_batch=True,
                                         custom_batch_id="item-2"))
    items.append(request_chat_completion("How do I say delicious in German?", model="gpt-4o-mini", as_batch=True,
                                         custom_batch_id="item-3"))
    batch = start_batch(items)
    assert batch.endpoint == "/v1/chat/completions"
    batch = wait_batch(batch.id, poll_interval_sec=0.05, timeout_sec=30)
    assert batch.status == "completed"
    answers = {o.custom_id: o.response.body.answer for o in get_batch_output(batch)}
    assert answers == {i.custom_id: [answer_text(i.body.to_dict())] for i in items}
    assert answers["item-2"] == ['Emulated response for What is a hot dog?']
    # the same answer as the direct call
    assert request_chat_completion("Hello.", model="gpt-4o-mini").answer == answers["item-1"]


def test_offline_is_only_for_switches():
    import yaml
    from cmdlets.core.manifest import ManifestError, parse_manifest
    text = """
name: X-Y
implementation: cmdlets.chat.request_chat_completion:request_chat_completion
synopsis: s
description: d
parameters:
  - {name: AsBatch, type: String, offline: true, help: h}
"""
    with pytest.raises(ManifestError, match="offline needs type SwitchParameter"):
        parse_manifest(yaml.safe_load(text), "<string>", {})


# --- images (issue 19) -------------------------------------------------------------------------------------

def test_images_follow_the_text_as_image_url_parts_local_files_as_data_urls(tmp_path):
    image = tmp_path / "donut.JPG"
    image.write_bytes(b"\xff\xd8 not really a jpeg")
    item = request_chat_completion("What is this?", model="gpt-4o-mini", as_batch=True,
                                   images=[str(image), "https://example.test/a.png", "  "])
    content = item.to_dict()["body"]["messages"][-1]["content"]
    assert content == [
        {"type": "text", "text": "What is this?"},
        {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,/9ggbm90IHJlYWxseSBhIGpwZWc="}},
        {"type": "image_url", "image_url": {"url": "https://example.test/a.png"}},
    ]


def test_image_detail_is_sent_only_when_given_in_lower_case():
    with_detail = request_chat_completion("x", model="m", as_batch=True, images=["https://e.test/a.png"], image_detail="High")
    without = request_chat_completion("x", model="m", as_batch=True, images=["https://e.test/a.png"])
    assert with_detail.to_dict()["body"]["messages"][-1]["content"][1]["image_url"] == {"url": "https://e.test/a.png", "detail": "high"}
    assert without.to_dict()["body"]["messages"][-1]["content"][1]["image_url"] == {"url": "https://e.test/a.png"}


def test_an_image_alone_is_a_message_and_text_alone_stays_a_string():
    alone = request_chat_completion(model="m", as_batch=True, images=["https://e.test/a.png"])
    assert alone.to_dict()["body"]["messages"] == [{"role": "user", "content": [
        {"type": "image_url", "image_url": {"url": "https://e.test/a.png"}}]}]
    assert request_chat_completion("Hi", model="m", as_batch=True).to_dict()["body"]["messages"][-1]["content"] == "Hi"


def test_an_image_question_goes_to_the_api_and_its_message_is_the_text(emu):
    result = request_chat_completion("What's in this image?", model="gpt-4o-mini", images=["https://e.test/a.jpg"],
                                     image_detail="low")
    assert result.message == "What's in this image?"
    assert result.answer == ["Emulated response for What's in this image?"]
    sent = json.loads(emu.requests()[-1]["body"])
    assert sent["messages"][-1]["content"][1] == {"type": "image_url", "image_url": {"url": "https://e.test/a.jpg", "detail": "low"}}


@pytest.mark.parametrize("image", ["/no/such/donut.png", "donut.png", r"C:\\pics\\donut.png", "file-abc123"])
def test_an_image_that_is_neither_a_file_nor_a_url_is_refused_before_anything_is_sent(emu, image):
    # (PSOpenAI sends it as the URL, which the API refuses: in a batch item, after the batch has run)
    for as_batch in (True, False):
        with pytest.raises(ParameterBindingError, match="neither a file nor an image URL"):
            request_chat_completion("x", model="m", as_batch=as_batch, images=["https://e.test/a.png", image])
    assert api_calls(emu) == []
    data = request_chat_completion("x", model="m", as_batch=True, images=["DATA:image/png;base64,AAAA"])
    assert data.to_dict()["body"]["messages"][-1]["content"][1]["image_url"] == {"url": "DATA:image/png;base64,AAAA"}



# --- tools (issue 19) ---------------------------------------------------------------------------------------

PING = {"type": "function", "function": {
    "name": "Test-Connection", "description": "Sends pings.",
    "parameters": {"type": "object", "properties": {"ComputerName": {"type": "string"}, "Count": {"type": "integer"}},
                   "required": ["ComputerName", "Count"]}}}


def test_tools_tool_choice_and_parallel_tool_calls_go_into_the_body_as_psopenai_sends_them():
    body = request_chat_completion("Ping", model="m", as_batch=True, tools=[PING, {"name": "Get-Date"}],
                                   tool_choice="required", parallel_tool_calls=False).to_dict()["body"]
    assert list(body)[:4] == ["model", "tools", "tool_choice", "parallel_tool_calls"]
    assert body["tools"] == [PING, {"type": "function", "function": {"name": "Get-Date"}}]      # a bare one wrapped
    assert (body["tool_choice"], body["parallel_tool_calls"]) == ("required", False)


def test_the_model_calls_the_tool_and_answers_in_text_after_its_result(emu):
    result = request_chat_completion("Ping 8.8.8.8 three times.", model="gpt-4o-mini", tools=[PING], invoke_tools="None")
    call = result.choices[0].message.tool_calls[0]
    assert (call.type, call.function.name, result.choices[0].finish_reason) == ("function", "Test-Connection", "tool_calls")
    assert json.loads(call.function.arguments) == {"ComputerName": "example", "Count": 1}
    assert result.answer == [""]       # no text: PSOpenAI's Answer is empty too
    assert result.history[-1]["tool_calls"][0]["id"] == call.id
    # the next turn carries the tool's result; the model answers in text
    history = [*result.history, {"role": "tool", "tool_call_id": call.id, "content": "3 replies"}]
    follow_up = request_chat_completion(model="gpt-4o-mini", tools=[PING], history=history)
    assert follow_up.choices[0].finish_reason == "stop"
    assert follow_up.answer == ["Emulated response for Ping 8.8.8.8 three times."]


def test_tool_choice_naming_a_function_and_parallel_calls(emu):
    other = {"type": "function", "function": {"name": "Get-Date", "parameters": {"type": "object", "properties": {}}}}
    named = request_chat_completion("x", model="m", tools=[PING, other],
                                    tool_choice={"type": "function", "function": {"name": "Get-Date"}})
    assert [c.function.name for c in named.choices[0].message.tool_calls] == ["Get-Date"]
    both = request_chat_completion("x", model="m", tools=[PING, other], parallel_tool_calls=True)
    assert [c.function.name for c in both.choices[0].message.tool_calls] == ["Test-Connection", "Get-Date"]
    none = request_chat_completion("x", model="m", tools=[PING], tool_choice="none")
    assert none.answer == ["Emulated response for x."]


def test_a_batch_of_tool_requests_returns_the_calls_in_its_output(emu):
    items = [request_chat_completion(f"Ping {i}", model="gpt-4o-mini", tools=[PING], as_batch=True,
                                     custom_batch_id=f"ping-{i}") for i in (1, 2)]
    batch = start_batch(items)
    emu.advance(batch.id, steps=5)
    outputs = {o.custom_id: o for o in get_batch_output(batch.id)}
    assert outputs["ping-1"].response.body.choices[0].message.tool_calls[0].function.name == "Test-Connection"


@pytest.mark.parametrize("tools, message", [([], "at least one tool"), (["not a dict"], "Tools[0] is not a dictionary")])
def test_bad_tools_are_refused_before_anything_is_sent(emu, tools, message):
    with pytest.raises(ParameterBindingError, match=re.escape(message)):
        request_chat_completion("x", model="m", tools=tools)
    assert api_calls(emu) == []


# --- structured output from the emulator (issue 19) ----------------------------------------------------------

SCHEMA = {"type": "object", "additionalProperties": False, "required": ["city", "days", "tags", "unit", "home"],
          "properties": {"city": {"type": "string"}, "days": {"type": "integer"}, "tags": {"type": "array", "items": {"type": "string"}},
                         "unit": {"type": "string", "enum": ["C", "F"]}, "home": {"$ref": "#/$defs/place"}},
          "$defs": {"place": {"type": "object", "required": ["name"], "properties": {"name": {"type": ["string", "null"]}},
                              "additionalProperties": False}}}


def test_a_json_schema_answer_validates_against_the_schema(emu):
    jsonschema = pytest.importorskip("jsonschema")
    result = request_chat_completion("Weather?", model="gpt-4o-mini", response_format="json_schema",
                                     json_schema=json.dumps({"name": "weather", "strict": True, "schema": SCHEMA}))
    answer = json.loads(result.answer[0])
    jsonschema.validate(answer, SCHEMA)
    assert answer["city"] == "Emulated response for Weather?"


def test_a_json_object_answer_is_a_json_object(emu):
    result = request_chat_completion("Hi", model="gpt-4o-mini", response_format="json_object")
    assert json.loads(result.answer[0]) == {"answer": "Emulated response for Hi."}
