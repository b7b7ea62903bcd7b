"""Request-ChatCompletion: one chat completion (POST /chat/completions), or with -AsBatch the same request
as a batch input item, sent nowhere.

The request body is built as PSOpenAI builds it: the same keys, in the same order, each only when its
parameter was given (the pieces in body.py and content.py; the result in result.py; -Stream's text pieces
in stream.py). What this port does not carry out (running the tools the model calls) is refused before
anything is built, with an error that says so.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..core.answers import chat_answers, truthy as _truthy
from ..core.binding import find_property
from ..core.errors import NotSupportedError, ParameterBindingError
from ..core.model_requests import batch_item, logit_bias_of, model_body, model_path, refuse_stream_in_batch
from ..core.objects import BatchRequestItem
from ..core.structured import read_answers
from .body import bool_of, history_messages, int64, response_format as format_of, web_search
from .content import save_audio, user_content
from .result import ChatCompletionResult
from .stream import stream_answer
from .tools import tool_choice_value, tool_definitions

BATCH_URL = "/v1/chat/completions"
AZURE_BATCH_URL = "/chat/completions"      # Azure OpenAI's batch items and batch endpoint
_NAME = re.compile(r"[a-zA-Z0-9_-]{1,64}")


class BatchInput(BatchRequestItem):
    """One request of a batch: {custom_id, method, url, body}, as PSOpenAI's -AsBatch emits it: in PowerShell
    the messages are [ordered] dictionaries and the counts (n, max_tokens, seed...) [int], as there."""
    __slots__ = ()
    ps_type_name = "PSOpenAI.Batch.Input"
    ps_shapes = ((("body", "messages"), "ordered"), (("body",), "int32"))


def _refuse_unsupported(given, invoke_tools: str | None, stream: bool, as_batch: bool) -> None:
    refuse_stream_in_batch(stream, as_batch)
    if "invoke_tools" in given and str(invoke_tools).lower() != "none":
        raise NotSupportedError(f"Request-ChatCompletion -InvokeTools {invoke_tools} (running the tools the model "
                                "calls) is not supported by this port yet; the calls are on the result "
                                "(choices[0].message.tool_calls).")


# --- the implementation ---------------------------------------------------------------------------

def request_chat_completion(
        call, *, message: str | None = None, role: str = "user", name: str | None = None,
        model: str = "gpt-5.4-mini", system_message: list[str] | None = None,
        developer_message: list[str] | None = None, modalities: list[str] | None = None, voice: str = "alloy",
        input_audio: str | None = None, input_audio_format: str | None = None, audio_out_file: str | None = None,
        output_audio_format: str = "mp3", images: list[str] | None = None, image_detail: str = "auto",
        tools: Any = None, tool_choice: Any = None, parallel_tool_calls: bool = False, invoke_tools: str = "None",
        web_search_context_size: str | None = None, web_search_user_location_type: str = "approximate",
        web_search_user_location_city: str | None = None, web_search_user_location_country: str | None = None,
        web_search_user_location_region: str | None = None, web_search_user_location_time_zone: str | None = None,
        prediction: str | None = None, temperature: float | None = None, top_p: float | None = None,
        number_of_answers: int | None = None, stream: bool = False, store: bool = False,
        verbosity: str | None = None, reasoning_effort: str | None = None, metadata: Mapping | None = None,
        stop_sequence: list[str] | None = None, max_tokens: int | None = None,
        max_completion_tokens: int | None = None, presence_penalty: float | None = None,
        frequency_penalty: float | None = None, logit_bias: Mapping | None = None, log_probs: Any = None,
        top_log_probs: int | None = None, response_format: Any = "text", json_schema: str | None = None,
        seed: Any = None, service_tier: str | None = None, prompt_cache_key: str | None = None,
        prompt_cache_retention: str | None = None, safety_identifier: str | None = None, user: str | None = None,
        as_batch: bool = False, custom_batch_id: str | None = None, history: Any = None) -> Any:
    given = call.given
    _refuse_unsupported(given, invoke_tools, stream, as_batch)
    role = (role or "user").lower()
    if name is not None and not _NAME.fullmatch(name):
        raise ParameterBindingError(f'Cannot validate argument on parameter \'Name\'. The argument "{name}" does not '
                                    "match the pattern ^[a-zA-Z0-9_-]{1,64}$ (letters, digits, _ and -, at most 64).")
    if not name and role == "function":
        raise ParameterBindingError('Messages with role "function" must have a name.')
    if "name" in given and "message" not in given:
        call.host.warning("Name parameter is ignored because the Message parameter is not specified.")
    if "max_tokens" in given:
        call.host.warning("Parameter 'MaxTokens' is obsolete. The MaxTokens is now deprecated in favor of "
                          "MaxCompletionTokens")

    raw_response, structured = False, None
    azure = call.api_type == "azure"
    body: dict[str, Any] = model_body(call, model, as_batch)
    if "modalities" in given:
        body["modalities"] = list(modalities)
        if any(m.lower() == "audio" for m in modalities):
            body["audio"] = {"voice": voice, "format": output_audio_format.lower()}
    if "tools" in given:
        body["tools"] = tool_definitions(tools)
    if "tool_choice" in given:
        body["tool_choice"] = tool_choice_value(tool_choice)
    if "parallel_tool_calls" in given:
        body["parallel_tool_calls"] = bool(parallel_tool_calls)
    if "prediction" in given:
        body["prediction"] = {"type": "content", "content": prediction}
    if "temperature" in given:
        body["temperature"] = float(temperature)      # a [double], written 1.0 as PowerShell writes it
    if "top_p" in given:
        body["top_p"] = float(top_p)
    if "number_of_answers" in given:
        body["n"] = number_of_answers
    if store:
        body["store"] = True
    for key, value in (("reasoning_effort", reasoning_effort), ("verbosity", verbosity)):
        if key in given:
            body[key] = value
    if "metadata" in given:
        body["metadata"] = dict(metadata)
    if "stop_sequence" in given:
        body["stop"] = list(stop_sequence)
    for key, value in (("max_tokens", max_tokens), ("max_completion_tokens", max_completion_tokens),
                       ("presence_penalty", presence_penalty), ("frequency_penalty", frequency_penalty)):
        if key in given:
            body[key] = float(value) if key.endswith("penalty") else value
    if "logit_bias" in given:
        body["logit_bias"] = logit_bias_of(call, logit_bias, "Request-ChatCompletion")
    if "log_probs" in given:
        body["logprobs"] = bool_of(log_probs, "LogProbs")
        if body["logprobs"] and "top_log_probs" in given:
            body["top_logprobs"] = top_log_probs
    if "response_format" in given:
        wanted, structured = format_of(response_format, json_schema, call.host)
        if wanted is None:
            raw_response = True
        else:
            body["response_format"] = wanted
    if "seed" in given:
        body["seed"] = int64(seed, "Seed")
    for key, value in (("service_tier", service_tier), ("prompt_cache_key", prompt_cache_key),
                       ("prompt_cache_retention", prompt_cache_retention), ("safety_identifier", safety_identifier),
                       ("user", user)):
        if key in given:
            body[key] = value
    if stream:
        body["stream"] = True
        body.pop("n", None)     # one answer streamed, as PSOpenAI asks for it
    search = web_search(given, web_search_context_size, web_search_user_location_type, {
        "city": web_search_user_location_city, "country": web_search_user_location_country,
        "region": web_search_user_location_region, "timezone": web_search_user_location_time_zone})
    if search:
        body["web_search_options"] = search

    messages = history_messages(history)
    for text, kind in ((system_message, "system"), (developer_message, "developer")):
        for item in text or ():
            if item is not None and item.strip():
                messages.append({"role": kind, "content": item.strip()})
    content = user_content(message, images, image_detail if "image_detail" in given else None,
                           input_audio, input_audio_format)
    if content is not None:
        user_message: dict[str, Any] = {"role": "user", "content": content}
        if name is not None and name.strip():
            user_message["name"] = name.strip()
        messages.append(user_message)
    if not messages:
        raise ParameterBindingError("No message is specified. You must specify one or more messages.")
    body["messages"] = messages

    if as_batch:
        return batch_item(BatchInput, custom_batch_id, AZURE_BATCH_URL if azure else BATCH_URL, body)
    path = model_path(call, model, "chat", "completions")
    if stream:
        return stream_answer(call, path, body, raw_response)
    if raw_response:
        return call.client.request("POST", path, body=body, raw=True).decode("utf-8")
    response = call.client.request("POST", path, body=body)
    choices = response.get("choices")
    first = choices[0].get("message") if isinstance(choices, list) and choices and isinstance(choices[0], dict) \
        else None
    if isinstance(first, dict):
        reply: dict[str, Any] = {"role": first.get("role"), "content": first.get("content")}
        if _truthy(first.get("refusal")):
            reply["refusal"] = first["refusal"]
        if _truthy(first.get("audio")):
            reply["audio"] = {"id": find_property(first["audio"], ("id",))[1]}
        if _truthy(first.get("tool_calls")):
            reply["tool_calls"] = first["tool_calls"]
        messages.append(reply)
    for _, warning in chat_answers(response):
        if warning:
            call.host.warning(warning)
    if "audio_out_file" in given:
        save_audio(response, audio_out_file, call.host)
    if structured is not None:
        read_answers(response, structured, call.host)
    return ChatCompletionResult(response, messages)


