"""Request-ChatCompletion: one chat completion (POST /chat/completions), or with -AsBatch the same request
as a batch input item, sent nowhere.

The request body is built as PSOpenAI builds it: the same keys, in the same order, each only when its
parameter was given. What this port does not carry out (streaming, tools, audio) is refused before
anything is built, with an error that says so.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..core.binding import find_property
from ..core.answers import chat_answers, text as _text, truthy as _truthy
from ..core.errors import ParameterBindingError
from ..core.model_requests import NotSupportedError, batch_item, json_schema_of, model_body, model_path
from ..core.objects import ApiObject, ChatCompletion
from .content import user_content
from .tools import tool_choice_value, tool_definitions

BATCH_URL = "/v1/chat/completions"
AZURE_BATCH_URL = "/chat/completions"      # Azure OpenAI's batch items and batch endpoint
_NAME = re.compile(r"[a-zA-Z0-9_-]{1,64}")
INT64 = (-2**63, 2**63 - 1)


class BatchInput(ApiObject):
    """One request of a batch: {custom_id, method, url, body}, as PSOpenAI's -AsBatch emits it: in PowerShell
    the messages are [ordered] dictionaries and the counts (n, max_tokens, seed...) [int], as there."""
    __slots__ = ()
    ps_type_name = "PSOpenAI.Batch.Input"
    ps_shapes = ((("body", "messages"), "ordered"), (("body",), "int32"))


class ChatCompletionResult(ChatCompletion):
    """The answer to Request-ChatCompletion: the API's chat.completion (`created` a datetime) plus, as
    PSOpenAI adds them, Message (the last user message), Answer (one text per choice) and History (the
    messages sent, then the assistant's reply), which `history=` takes to go on with the conversation."""
    __slots__ = ("_history",)

    def __init__(self, raw: dict[str, Any], history: list[dict[str, Any]]):
        super().__init__(raw)
        object.__setattr__(self, "_history", history)

    @property
    def history(self) -> list[dict[str, Any]]:
        return self._history

    def __reduce__(self):
        return type(self), (self.raw, self._history)

    @property
    def message(self) -> str | None:
        return last_user_message(self._history)

    @property
    def answer(self) -> list[str]:
        return [text for text, _ in chat_answers(self.raw)]

    def ps_note_properties(self) -> dict[str, Any]:
        return {"Message": self.message, "Answer": self.answer, "History": self.history}


# --- what is not ported ---------------------------------------------------------------------------

_UNSUPPORTED = {
    "stream": "-Stream (streaming the answer)",
    "input_audio": "-InputAudio (audio input)",
    "audio_out_file": "-AudioOutFile (audio output)",
}


def _refuse_unsupported(given: Iterable[str], modalities: list[str] | None, invoke_tools: str | None) -> None:
    for key, what in _UNSUPPORTED.items():
        if key in given:
            raise NotSupportedError(f"Request-ChatCompletion {what} is not supported by this port yet.")
    if "invoke_tools" in given and str(invoke_tools).lower() != "none":
        raise NotSupportedError(f"Request-ChatCompletion -InvokeTools {invoke_tools} (running the tools the model "
                                "calls) is not supported by this port yet; the calls are on the result "
                                "(choices[0].message.tool_calls).")
    if modalities and any(m.lower() == "audio" for m in modalities):
        raise NotSupportedError("Request-ChatCompletion -Modalities audio (audio output) is not supported by this "
                                "port yet.")


# --- the implementation ---------------------------------------------------------------------------

def request_chat_completion(
        call, *, message: str | None = None, role: str = "user", name: str | None = None,
        model: str = "gpt-3.5-turbo", system_message: list[str] | None = None,
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
    _refuse_unsupported(given, modalities, invoke_tools)
    role = (role or "user").lower()
    if name is not None and not _NAME.fullmatch(name):
        raise ParameterBindingError(f'Cannot validate argument on parameter \'Name\'. The argument "{name}" does not '
                                    "match the pattern ^[a-zA-Z0-9_-]{1,64}$ (letters, digits, _ and -, at most 64).")
    if stop_sequence is not None and not 1 <= len(stop_sequence) <= 4:
        raise ParameterBindingError(f"StopSequence takes 1 to 4 sequences, got {len(stop_sequence)}.")
    if not name and role == "function":
        raise ParameterBindingError('Messages with role "function" must have a name.')
    if "name" in given and "message" not in given:
        call.host.warning("Name parameter is ignored because the Message parameter is not specified.")
    if "max_tokens" in given:
        call.host.warning("Parameter 'MaxTokens' is obsolete. The MaxTokens is now deprecated in favor of "
                          "MaxCompletionTokens")

    raw_response = False
    azure = call.api_type == "azure"
    body: dict[str, Any] = model_body(call, model, as_batch)
    if "modalities" in given:
        body["modalities"] = list(modalities)
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
        body["logit_bias"] = logit_bias_of(call, logit_bias)
    if "log_probs" in given:
        body["logprobs"] = _bool(log_probs, "LogProbs")
        if body["logprobs"] and "top_log_probs" in given:
            body["top_logprobs"] = top_log_probs
    if "response_format" in given:
        if not isinstance(response_format, str):
            raise NotSupportedError("Request-ChatCompletion -ResponseFormat with a type (Structured Outputs) is not "
                                    "supported by this port yet; give 'text', 'json_object' or 'json_schema' "
                                    "with -JsonSchema.")
        if response_format.lower() == "raw_response":
            raw_response = True
        else:
            body["response_format"] = {"type": response_format}
            if response_format.lower() == "json_schema":
                body["response_format"]["json_schema"] = json_schema_of(json_schema)
    if "seed" in given:
        body["seed"] = _int64(seed, "Seed")
    for key, value in (("service_tier", service_tier), ("prompt_cache_key", prompt_cache_key),
                       ("prompt_cache_retention", prompt_cache_retention), ("safety_identifier", safety_identifier),
                       ("user", user)):
        if key in given:
            body[key] = value
    web_search = _web_search(given, web_search_context_size, web_search_user_location_type, {
        "city": web_search_user_location_city, "country": web_search_user_location_country,
        "region": web_search_user_location_region, "timezone": web_search_user_location_time_zone})
    if web_search:
        body["web_search_options"] = web_search

    messages = _history_messages(history)
    for text, kind in ((system_message, "system"), (developer_message, "developer")):
        for item in text or ():
            if item is not None and item.strip():
                messages.append({"role": kind, "content": item.strip()})
    content = user_content(message, images, image_detail if "image_detail" in call.given else None)
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
    return ChatCompletionResult(response, messages)


# --- the pieces -----------------------------------------------------------------------------------

def _history_messages(history: Any) -> list[dict[str, Any]]:
    """Past messages as PSOpenAI resends them: those with a role; role, then content (a refusal of the
    assistant as a refusal part), audio id, name, tool_calls and tool_call_id when present."""
    if history is None:
        return []
    items = [history] if isinstance(history, Mapping) or isinstance(history, str) \
        or not isinstance(history, Iterable) else list(history)
    out = []
    for item in items:
        role = find_property(item, ("role",))[1]
        if not _truthy(role):
            continue
        message: dict[str, Any] = {"role": _text(role)}
        refusal = find_property(item, ("refusal",))[1]
        content = find_property(item, ("content",))[1]
        if _truthy(refusal) and _text(role).lower() == "assistant":
            message["content"] = [{"type": "refusal", "refusal": refusal}]
        elif _truthy(content):
            message["content"] = content
        audio_id = find_property(find_property(item, ("audio",))[1], ("id",))[1]
        if _truthy(audio_id):
            message["audio"] = {"id": audio_id}
        name = find_property(item, ("name",))[1]
        if _truthy(name):
            message["name"] = _text(name)
        for key in ("tool_calls", "tool_call_id"):
            value = find_property(item, (key,))[1]
            if _truthy(value):
                message[key] = value
        out.append(message)
    return out


def last_user_message(messages: list[Mapping[str, Any]]) -> str | None:
    """The last user message's text (its string content, else its last text part), or None."""
    users = [m for m in messages if _text(find_property(m, ("role",))[1]).lower() == "user"]
    if not users:
        return None
    content = find_property(users[-1], ("content",))[1]
    if not isinstance(content, str):
        parts = [p for p in (content if isinstance(content, list) else [content] if content is not None else [])
                 if _text(find_property(p, ("type",))[1]).lower() == "text"]
        content = _text(find_property(parts[-1], ("text",))[1]) if parts else ""
    return content or None


def logit_bias_of(call, bias: Mapping) -> dict[str, float]:
    """Token id -> bias between -100 and 100 (clamped with a warning), as PSOpenAI converts it. PSOpenAI
    also takes words, which it tokenizes for the model; this port has no tokenizer and takes token ids only."""
    result: dict[str, float] = {}
    for key, value in bias.items():
        try:
            v = float(value if not isinstance(value, bool) else "x")
            if math.isnan(v) or math.isinf(v):
                raise ValueError
        except (TypeError, ValueError):
            call.host.write_error(ParameterBindingError("The value of LogitBias should be type as [float]",
                                                        target=value))
            continue
        if v > 100:
            call.host.warning(f"The maximum value of LogitBias is 100. The value {_number(v)} is rounded to 100.")
            v = 100.0
        elif v < -100:
            call.host.warning(f"The minimum value of LogitBias is -100. The value {_number(v)} is rounded to -100.")
            v = -100.0
        token = key if isinstance(key, int) and not isinstance(key, bool) else \
            int(key.strip()) if isinstance(key, str) and re.fullmatch(r"\s*-?\d+\s*", key) else None
        if token is None:
            raise NotSupportedError(f"Request-ChatCompletion -LogitBias with a word as key ({key!r}) is not supported "
                                    "by this port yet (it has no tokenizer); give token ids as keys.")
        result[str(token)] = v
    return result


def _number(v: float) -> str:
    return str(int(v)) if v.is_integer() else str(v)


def _bool(value: Any, what: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return bool(value)
    raise ParameterBindingError(f"{what} must be a bool ($true or $false), got {type(value).__name__}.")


def _int64(value: Any, what: str) -> int:
    number = value
    if isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d+\s*", value):
        number = int(value)
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    if not isinstance(number, int) or isinstance(number, bool) or not INT64[0] <= number <= INT64[1]:
        raise ParameterBindingError(f"{what} must be a 64-bit integer, got {value!r}.")
    return number


def _web_search(given: frozenset[str], context_size: str | None, location_type: str,
                location: dict[str, str | None]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if "web_search_context_size" in given:
        options["search_context_size"] = context_size.lower()
    names = {"city": "city", "country": "country", "region": "region", "timezone": "time_zone"}
    approximate = {k: v for k, v in location.items() if f"web_search_user_location_{names[k]}" in given}
    if approximate:
        options["user_location"] = {"type": location_type, "approximate": approximate}
    return options
