"""Request-Response (issue 20, item 2): the body PSOpenAI 4.49 builds for each parameter, the refusals (before any
request), the direct call against the emulator's /v1/responses (typed result, output_text, History, a function
call round trip, JSON schema answers, a cut answer, previous_response_id), Azure's route, and a Responses batch."""
from __future__ import annotations

import base64
import json
import re

import jsonschema
import pytest

from cmdlets import get_batch_output, request_response, start_batch, wait_batch
from cmdlets.core.errors import BadRequestError, ParameterBindingError
from cmdlets.core.model_requests import NotSupportedError
from cmdlets.core.objects import Response
from cmdlets.responses.request_response import ResponseResult


def body_of(*args, **kwargs):
    return request_response(*args, as_batch=True, **kwargs).to_dict()["body"]


def user(*parts):
    return {"type": "message", "role": "user", "content": list(parts)}


def text(value):
    return {"type": "input_text", "text": value}


def test_a_batch_item_is_psopenais_default_model_and_the_message_as_an_input_text_part():
    item = request_response("Hello!", as_batch=True, custom_batch_id="r-1").to_dict()
    assert item == {"custom_id": "r-1", "method": "POST", "url": "/v1/responses",
                    "body": {"model": "gpt-5.4-mini", "input": [user(text("Hello!"))]}}
    assert request_response("Hi", as_batch=True)["custom_id"].startswith("request-")


def test_each_option_is_sent_only_when_given_in_psopenais_order():
    body = body_of("Hi", model="gpt-4o-mini", instructions="Be brief.", max_output_tokens=64, truncation="auto",
                   metadata={"k": "v"}, tool_choice="required", max_tool_calls=2, parallel_tool_calls=False,
                   top_logprobs=3, top_p=1, temperature=0, store=False, service_tier="flex", prompt_cache_key="c",
                   prompt_cache_retention="24h", safety_identifier="s", user="u", reasoning_effort="low",
                   reasoning_summary="auto", verbosity="low", include=["reasoning.encrypted_content"],
                   previous_response_id="resp_1", conversation="conv_1")
    assert list(body) == ["model", "conversation", "previous_response_id", "include", "instructions",
                          "max_output_tokens", "truncation", "metadata", "tool_choice", "max_tool_calls",
                          "parallel_tool_calls", "top_logprobs", "top_p", "temperature", "store", "service_tier",
                          "prompt_cache_key", "prompt_cache_retention", "safety_identifier", "user", "reasoning",
                          "text", "input"]
    assert body["store"] is False and body["parallel_tool_calls"] is False
    assert body["temperature"] == 0.0 and isinstance(body["temperature"], float) and body["top_p"] == 1.0
    assert body["reasoning"] == {"effort": "low", "summary": "auto"}
    assert body["text"] == {"verbosity": "low"}
    assert body["include"] == ["reasoning.encrypted_content"]


def test_system_and_developer_messages_are_one_message_each_before_the_user_one():
    body = body_of("Q", system_message=["S1", " ", "S2"], developer_message=["D"])
    assert body["input"] == [{"type": "message", "role": "system", "content": [text("S1"), text("S2")]},
                             {"type": "message", "role": "developer", "content": [text("D")]}, user(text("Q"))]


def test_files_and_images_follow_the_text_local_ones_as_data_urls(tmp_path):
    doc, png = tmp_path / "notes.md", tmp_path / "dot.png"
    doc.write_text("# Notes")
    png.write_bytes(b"\x89PNG")
    body = body_of("Look", files=[str(doc), "https://example.test/a.pdf", "file-abc"],
                   images=[str(png), "https://example.test/b.jpg", "file-img"], image_detail="Low")
    (message,) = body["input"]
    assert message["content"] == [
        text("Look"),
        {"type": "input_file", "filename": "notes.md",
         "file_data": "data:text/markdown;base64," + base64.b64encode(b"# Notes").decode()},
        {"type": "input_file", "file_url": "https://example.test/a.pdf"},
        {"type": "input_file", "file_id": "file-abc"},
        {"type": "input_image", "image_url": "data:image/png;base64," + base64.b64encode(b"\x89PNG").decode(),
         "detail": "low"},
        {"type": "input_image", "image_url": "https://example.test/b.jpg", "detail": "low"},
        {"type": "input_image", "file_id": "file-img", "detail": "low"}]
    assert body_of(images=["https://e.test/c.png"])["input"][0]["content"][0]["detail"] == "auto"


def test_functions_custom_tools_and_tool_choice_as_psopenai_sends_them():
    fn = {"type": "function", "name": "get_weather", "parameters": {"type": "object", "properties": {}}}
    custom = {"type": "custom", "name": "timestamp"}
    body = body_of("Hi", functions=fn, custom_tools=[custom], tool_choice="get_weather")
    assert body["tools"] == [fn, custom]
    assert body["tool_choice"] == {"type": "function", "name": "get_weather"}
    assert body_of("Hi", tool_choice="file_search")["tool_choice"] == {"type": "file_search"}
    assert body_of("Hi", tool_choice="auto")["tool_choice"] == "auto"
    # PowerShell's -in, as PSOpenAI compares: not a function named "Required"; sent as the API writes it
    assert body_of("Hi", tool_choice="Required")["tool_choice"] == "required"
    assert body_of("Hi", tool_choice="File_Search")["tool_choice"] == {"type": "file_search"}


def test_output_type_sets_the_text_format():
    schema = '{"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}'
    body = body_of("Hi", output_type="json_schema", json_schema=schema, json_schema_name="person",
                   json_schema_description="A person.", json_schema_strict=True)
    assert body["text"] == {"format": {"type": "json_schema", "name": "person", "schema": json.loads(schema),
                                       "description": "A person.", "strict": True}}
    assert body_of("Hi", output_type="JSON_OBJECT")["text"] == {"format": {"type": "json_object"}}
    assert body_of("Hi", output_type="text")["text"] == {"format": {"type": "text"}}
    assert "text" not in body_of("Hi")


def test_history_goes_first_as_given_and_a_reusable_prompt_needs_no_model_or_message():
    past = [{"role": "user", "content": "Hi."}, {"role": "assistant", "content": "Hello!"}]
    assert body_of("Next?", history=past)["input"] == [*past, user(text("Next?"))]
    assert body_of(prompt_id="pmpt_1", prompt_version="4", prompt_variables={"city": "Tokyo"}) == {
        "prompt": {"id": "pmpt_1", "variables": {"city": "Tokyo"}, "version": "4"}, "input": []}


@pytest.mark.parametrize("kwargs, error, message", [
    ({}, ParameterBindingError, "No message is specified"),
    ({"message": "x", "stream": True, "as_batch": True}, ParameterBindingError,
     r"-Stream \(stream=True\) cannot be used with -AsBatch \(as_batch=True\)"),
    ({"message": "x", "background": True}, NotSupportedError, "-Background"),
    ({"message": "x", "use_web_search_tool": True}, NotSupportedError, "-UseWebSearchTool"),
    ({"message": "x", "use_file_search_tool": True, "file_search_vector_store_ids": ["vs_1"]}, NotSupportedError,
     "-UseFileSearchTool"),
    ({"message": "x", "use_code_interpreter_tool": True}, NotSupportedError, "-UseCodeInterpreterTool"),
    ({"message": "x", "use_remote_mcp_tool": True, "remote_mcp_authorization": "tok-SECRET"}, NotSupportedError,
     "-UseRemoteMCPTool"),
    ({"message": "x", "use_image_generation_tool": True}, NotSupportedError, "-UseImageGenerationTool"),
    ({"message": "x", "use_local_shell_tool": True}, NotSupportedError, "-UseLocalShellTool"),
    ({"message": "x", "output_type": "json_schema", "json_schema_name": "n"}, ParameterBindingError,
     "JsonSchema must be specified."),
    ({"message": "x", "output_type": "json_schema", "json_schema": "{}"}, ParameterBindingError,
     "JsonSchemaName must be specified."),
    ({"message": "x", "output_type": "json_schema", "json_schema": "{no", "json_schema_name": "n"},
     ParameterBindingError, "not valid JSON"),
    ({"message": "x", "output_type": "yaml"}, ParameterBindingError, "OutputType must be"),
    ({"message": "x", "output_type": int}, ParameterBindingError, "OutputType must be .* or a type"),
    ({"message": "x", "files": ["no/such/file.txt"]}, ParameterBindingError, "neither a file"),
    ({"message": "x", "functions": ["not a tool"]}, ParameterBindingError, "Functions\\[0\\]"),
    ({"message": "x", "temperature": 3}, ParameterBindingError, "temperature"),
    ({"message": "x", "store": "yes"}, ParameterBindingError, "store must be a bool"),
    ({"message": "x", "model": ""}, ParameterBindingError, "Model is empty"),
    ({"message": "x", "model": " ", "as_batch": True}, ParameterBindingError, "Model is empty"),
])
def test_bad_or_unported_input_is_refused_before_any_request(emu, kwargs, error, message):
    with pytest.raises(error, match=message) as info:
        request_response(**kwargs)
    assert "tok-SECRET" not in str(info.value)
    assert emu.requests() == []


def test_a_direct_call_returns_a_typed_response_with_output_text_and_history(emu):
    result = request_response("What can you do?", system_message="You are terse.", model="gpt-4o-mini")
    assert isinstance(result, ResponseResult) and result.ps_type_name == "PSOpenAI.Response"
    assert result.object == "response" and result.status == "completed"
    assert result.output_text == "Emulated response for What can you do?"
    assert result.last_user_message == "What can you do?"
    assert [h.get("role") for h in result.history] == ["system", "user", "assistant"]
    assert result.created_at.year >= 2024
    notes = result.ps_note_properties()
    assert list(notes) == ["LastUserMessage", "output_text", "StructuredOutputs", "History"]
    request = emu.requests()[-1]
    assert request["path"] == "/v1/responses"
    assert json.loads(request["body"])["input"][1] == user(text("What can you do?"))


def test_a_function_call_round_trip(emu):
    fn = {"type": "function", "name": "Test-Connection", "description": "Pings a host.",
          "parameters": {"type": "object", "properties": {"ComputerName": {"type": "string"}},
                         "required": ["ComputerName"]}}
    first = request_response("Ping 8.8.8.8", functions=fn, tool_choice="auto", store=False)
    (call,) = first.output
    assert call.type == "function_call" and call.name == "Test-Connection"
    assert json.loads(call.arguments) == {"ComputerName": "example"}
    assert first.output_text == ""
    history = [*first.history, {"type": "function_call_output", "call_id": call.call_id, "output": "Success"}]
    second = request_response(history=history, functions=fn, tool_choice="auto", store=False)
    assert second.output_text == "Emulated response for Ping 8.8.8.8."
    assert second.last_user_message == "Ping 8.8.8.8"
    assert [h.get("type") for h in second.history] == ["message", "function_call", "function_call_output", "message"]


def test_custom_tools_are_called_one_a_turn_with_input_matching_their_regex_grammar(emu):
    pattern = r"^(January|February)\s+(\d{1,2})\s+at\s+(0?[1-9]|1[0-2])(AM|PM)$"
    tools = [{"type": "custom", "name": "now"},
             {"type": "custom", "name": "timestamp", "format": {"type": "grammar", "syntax": "regex", "definition": pattern}}]
    first = request_response("Save the time", model="gpt-5-mini", custom_tools=tools, tool_choice="required")
    assert [o.type for o in first.output] == ["reasoning", "custom_tool_call"]
    assert first.output[-1].name == "now"
    history = [*first.history, {"type": "custom_tool_call_output", "call_id": first.output[-1].call_id, "output": "x"}]
    second = request_response(history=history, model="gpt-5-mini", custom_tools=tools, tool_choice="required")
    assert second.output[-1].name == "timestamp"
    assert re.fullmatch(pattern, second.output[-1].input)


def test_reasoning_models_start_with_a_reasoning_item_unless_told_not_to(emu):
    assert [o.type for o in request_response("Hi", model="o4-mini").output] == ["reasoning", "message"]
    summary = request_response("Hi", model="gpt-4.1", reasoning_effort="low", reasoning_summary="auto").output[0]
    assert summary.type == "reasoning" and summary.summary[0].type == "summary_text"
    assert [o.type for o in request_response("Hi", model="gpt-5-mini", reasoning_effort="none").output] == ["message"]
    assert [o.type for o in request_response("Hi").output] == ["message"]       # gpt-5.4-mini: effort none


def test_a_json_schema_answer_is_valid_for_the_schema(emu):
    schema = {"type": "object", "additionalProperties": False, "required": ["name", "age", "gender"],
              "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0},
                             "gender": {"type": "string", "enum": ["male", "female"]}}}
    result = request_response("Invent a person", output_type="json_schema", json_schema=json.dumps(schema),
                              json_schema_name="user-info")
    jsonschema.validate(json.loads(result.output_text), schema)


def test_a_cut_answer_is_incomplete_with_psopenais_warning(emu, recwarn):
    result = request_response("Please write a long poem about the sea and the sky.", max_output_tokens=2)
    assert result.status == "incomplete" and result.incomplete_details.reason == "max_output_tokens"
    assert len(result.output_text) == 8
    assert 'The status of response is "incomplete". Details: "max_output_tokens"' in [str(w.message) for w in recwarn]


def test_a_structured_answer_cut_off_is_warned_about_before_it_fails_to_read(emu, recwarn):
    from dataclasses import dataclass

    from cmdlets.core.errors import InvalidResponseError

    @dataclass
    class Person:
        name: str
        age: int
    # PSOpenAI's order: the status warning, then the answer that cannot be read (Python: raised, so said first)
    with pytest.raises(InvalidResponseError, match="could not be read as Person"):
        request_response("Invent a person " * 10, output_type=Person, max_output_tokens=8)
    assert 'The status of response is "incomplete". Details: "max_output_tokens"' in [str(w.message) for w in recwarn]


def test_previous_response_id_reads_a_stored_response_and_an_unknown_one_is_the_apis_400(emu):
    first = request_response("Hello", store=True)
    second = request_response("Again", previous_response_id=first.id, store=False)
    assert second.previous_response_id == first.id
    assert json.loads(emu.requests()[-1]["body"])["previous_response_id"] == first.id
    with pytest.raises(BadRequestError, match="not found"):
        request_response("Again", previous_response_id=second.id)      # store=False: not kept


def test_output_raw_response_is_the_json_text(emu):
    raw = request_response("Hello", output_raw_response=True)
    assert isinstance(raw, str) and json.loads(raw)["object"] == "response"


def test_azure_posts_to_openai_responses_with_the_model_in_the_body(emu):
    result = request_response("Hello", model="my-deployment", api_type="azure", api_base=emu.azure_base_url)
    assert result.output_text == "Emulated response for Hello."
    entry = emu.requests()[-1]
    assert entry["path"].startswith("/openai/responses?api-version=")
    assert json.loads(entry["body"])["model"] == "my-deployment"
    item = request_response("x", api_type="azure", api_base="https://e.test/", as_batch=True)
    assert item["url"] == "/responses" and item["body"]["model"] == "gpt-5.4-mini"


def test_a_responses_batch_runs_end_to_end_and_its_bodies_are_typed(emu):
    items = [request_response(q, model="gpt-4o-mini", as_batch=True, custom_batch_id=f"q-{i}")
             for i, q in enumerate(["Hello.", "What is a hot dog?"])]
    batch = start_batch(items)
    assert batch.endpoint == "/v1/responses"
    emu.advance(batch.id, steps=5)
    outputs = {o.custom_id: o.response.body for o in get_batch_output(wait_batch(batch.id))}
    assert all(isinstance(b, Response) for b in outputs.values())
    assert outputs["q-0"].output_text == "Emulated response for Hello."
    assert outputs["q-1"].output_text == "Emulated response for What is a hot dog?"
    assert outputs["q-1"].ps_note_properties() == {"LastUserMessage": None, "output_text": outputs["q-1"].output_text,
                                                   "StructuredOutputs": [], "History": []}


def test_a_dataclass_as_output_type_is_sent_as_a_strict_schema_and_read_back(emu):
    from dataclasses import dataclass

    @dataclass
    class Person:
        name: str
        age: int
    result = request_response("Invent a person", output_type=Person)
    [call] = emu.requests()
    sent = json.loads(call["body"])["text"]["format"]
    assert sent["type"] == "json_schema" and sent["name"] == "Person" and sent["strict"] is True
    assert sent["schema"]["required"] == ["name", "age"] and sent["schema"]["additionalProperties"] is False
    [person] = result.structured_outputs
    assert isinstance(person, Person) and person.age == 1 and isinstance(person.name, str)
    assert result.ps_note_properties()["StructuredOutputs"] == [person]
    message = next(item for item in result.output if item.type == "message")
    assert message.content[0].parsed == person


def test_a_structured_answer_s_history_goes_on_with_the_conversation(emu):
    from dataclasses import dataclass

    @dataclass
    class Person:
        name: str
        age: int
    first = request_response("Invent a person", output_type=Person)
    second = request_response("Another one", history=first.history, output_type=Person)
    assert isinstance(second.structured_outputs[0], Person)
    sent = json.loads(emu.requests()[-1]["body"])["input"]
    answer = next(item for item in sent if item.get("role") == "assistant")
    assert answer["content"][0]["type"] == "output_text" and "parsed" not in answer["content"][0]
    assert isinstance(first.output[0].content[0].parsed, Person)       # the earlier result keeps its object


def test_stream_writes_the_text_deltas_as_they_arrive(emu):
    pieces = request_response("Please describe about ChatGPT", model="gpt-4o-mini", stream=True, store=False)
    assert emu.requests() == []         # lazy: sent at the first next()
    got = list(pieces)
    assert len(got) > 10 and "".join(got) == "Emulated response for Please describe about ChatGPT."
    assert json.loads(emu.requests()[0]["body"])["stream"] is True


def test_stream_output_type_object_gives_every_event_and_raw_their_text(emu):
    events = list(request_response("Hi", stream=True, stream_output_type="object"))
    kinds = [e["type"] for e in events]
    assert kinds[:2] == ["response.created", "response.in_progress"] and kinds[-1] == "response.completed"
    assert "response.output_text.delta" in kinds
    assert [e["sequence_number"] for e in events] == list(range(len(events)))
    completed = events[-1]["response"]
    assert completed["output"][0]["content"][0]["text"] == "Emulated response for Hi."
    raw = list(request_response("Hi", stream=True, output_raw_response=True))
    assert all(isinstance(r, str) for r in raw) and json.loads(raw[-1])["type"] == "response.completed"


def test_a_stream_cut_by_max_output_tokens_ends_incomplete(emu):
    events = list(request_response("A long question " * 20, stream=True, stream_output_type="object",
                                   max_output_tokens=4))
    assert events[-1]["type"] == "response.incomplete"
    assert events[-1]["response"]["incomplete_details"] == {"reason": "max_output_tokens"}
