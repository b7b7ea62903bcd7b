"""POST /v1/chat/completions: a deterministic answer derived from the last user message.

The same answer is what a batch's /v1/chat/completions request gets (batch_processing.fake_response_body),
so a request made directly and the same request made through a batch answer alike.
"""
from __future__ import annotations

import base64
import json
from typing import Any

from .streaming import chunk_events, streamed_or_json
from .errors import ApiError
from .http_types import Response
from .ids import new_id

MAX_CHOICES = 128


def last_user_text(messages: Any) -> str | None:
    """The text of the last user message: its content when that is a string, else its last text part."""
    if not isinstance(messages, list):
        return None
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, str):
                return content
            if isinstance(content, list):
                texts = [p.get("text") for p in content if isinstance(p, dict) and p.get("type") == "text"]
                return texts[-1] if texts and isinstance(texts[-1], str) else None
            return None
    return None


def answer_text(body: dict[str, Any]) -> str:
    """What the emulated assistant says: "Emulated response for <the last user message>", with a full stop
    unless the message ends a sentence itself ('Hello.' -> 'Emulated response for Hello.')."""
    text = (last_user_text(body.get("messages")) or "").strip()
    if not text:
        return "Emulated response."
    return f"Emulated response for {text}" + ("" if text[-1] in ".!?" else ".")


def _tokens(value: Any) -> int:
    return max(1, len(json.dumps(value, ensure_ascii=False)) // 4)


def completion_body(body: dict[str, Any], now: int) -> dict[str, Any]:
    """A chat.completion object for a request body already known to have a model and messages.
    `n` choices, all with the same answer."""
    text = formatted(answer_text(body), body.get("response_format"))
    n = body.get("n")
    n = n if isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= MAX_CHOICES else 1
    finish = "stop"
    # A reply longer than max_completion_tokens (or max_tokens) is cut there, as the API cuts it.
    limit = body.get("max_completion_tokens", body.get("max_tokens"))
    if isinstance(limit, int) and not isinstance(limit, bool) and limit >= 1 and _tokens(text) > limit:
        text, finish = text[:limit * 4], "length"
    prompt, completion = _tokens(body.get("messages")), _tokens(text)
    calls = tool_calls(body)
    if calls:
        message: dict[str, Any] = {"role": "assistant", "content": None, "tool_calls": calls, "refusal": None,
                                   "annotations": []}
        finish, completion = "tool_calls", _tokens(calls)
    elif _wants_audio(body):
        # a spoken answer: the audio (here the text's bytes behind a marker, base64) and its transcript
        audio = {"id": new_id("audio_"), "data": base64.b64encode(AUDIO_MARK + text.encode("utf-8")).decode("ascii"),
                 "expires_at": now + 3600, "transcript": text}
        message = {"role": "assistant", "content": None, "refusal": None, "audio": audio, "annotations": []}
    else:
        message = {"role": "assistant", "content": text, "refusal": None, "annotations": []}
    return {"id": new_id("chatcmpl-"), "object": "chat.completion", "created": now, "model": body.get("model"),
            "choices": [{"index": i, "message": json.loads(json.dumps(message)),
                         "logprobs": None, "finish_reason": finish} for i in range(n)],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion * n,
                      "total_tokens": prompt + completion * n},
            "service_tier": "default", "system_fingerprint": None}


AUDIO_MARK = b"EMULATED AUDIO\n"     # what the emulator's audio answers start with


def _wants_audio(body: dict[str, Any]) -> bool:
    modalities = body.get("modalities")
    return isinstance(modalities, list) and "audio" in modalities


def create_completion(body: dict[str, Any], now: int) -> dict[str, Any]:
    """Checks a request as the API does (the parts that matter here), then answers it."""
    if not isinstance(body.get("model"), str) or not body.get("model"):
        raise ApiError(400, "you must provide a model parameter", param="model")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise ApiError(400, "Invalid 'messages': empty array. Expected an array with minimum length 1.",
                       param="messages", code="empty_array")
    for i, message in enumerate(messages):
        if not isinstance(message, dict) or not isinstance(message.get("role"), str):
            raise ApiError(400, f"Missing required parameter: 'messages[{i}].role'.",
                           param=f"messages[{i}].role", code="missing_required_parameter")
    if _wants_audio(body):
        audio = body.get("audio")
        if not isinstance(audio, dict) or not isinstance(audio.get("voice"), str) or not isinstance(audio.get("format"), str):
            raise ApiError(400, "Audio output requires 'audio' with 'voice' and 'format' when modalities include "
                           "'audio'.", param="audio", code="missing_required_parameter")
    n = body.get("n")
    if n is not None and (not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= MAX_CHOICES):
        raise ApiError(400, f"Invalid 'n': expected an integer between 1 and {MAX_CHOICES}.", param="n")
    return completion_body(body, now)


# What Azure OpenAI's content filter reports when nothing was filtered: per category, not filtered, safe.
_SAFE = {category: {"filtered": False, "severity": "safe"} for category in ("hate", "self_harm", "sexual", "violence")}


def with_azure_filter_results(completion: dict[str, Any]) -> dict[str, Any]:
    """A chat completion as Azure OpenAI answers it: the prompt's and each choice's content filter results."""
    completion["prompt_filter_results"] = [{"prompt_index": 0, "content_filter_results": dict(_SAFE)}]
    for choice in completion.get("choices") or ():
        choice["content_filter_results"] = dict(_SAFE)
    return completion


def tool_calls(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The calls the emulated model makes: when function tools are offered, tool_choice is not "none" and the
    conversation does not end with a tool's result (then it answers in text), it calls the tool tool_choice
    names, else the first one (every one with parallel_tool_calls true), with arguments that fill each
    required parameter by its JSON schema type."""
    functions = [t.get("function") for t in body.get("tools") or () if isinstance(t, dict) and t.get("type") == "function"
                 and isinstance(t.get("function"), dict) and isinstance(t["function"].get("name"), str)]
    choice = body.get("tool_choice")
    messages = body.get("messages")
    last = messages[-1] if isinstance(messages, list) and messages else None
    if not functions or choice == "none" or (isinstance(last, dict) and last.get("role") == "tool"):
        return []
    if isinstance(choice, dict) and isinstance(choice.get("function"), dict):
        functions = [f for f in functions if f["name"] == choice["function"].get("name")][:1]
    elif body.get("parallel_tool_calls") is not True:
        functions = functions[:1]
    return [{"id": new_id("call_"), "type": "function",
             "function": {"name": f["name"], "arguments": json.dumps(_arguments(f.get("parameters")), separators=(",", ":"))}}
            for f in functions]


_EXAMPLES = {"string": "example", "integer": 1, "number": 1.0, "boolean": True, "array": [], "object": {}}


def _arguments(schema: Any) -> dict[str, Any]:
    if not isinstance(schema, dict) or not isinstance(schema.get("properties"), dict):
        return {}
    required = schema.get("required") if isinstance(schema.get("required"), list) else []
    arguments = {}
    for name in required:
        spec = schema["properties"].get(name)
        spec = spec if isinstance(spec, dict) else {}
        enum = spec.get("enum")
        arguments[name] = enum[0] if isinstance(enum, list) and enum else _EXAMPLES.get(spec.get("type"), "example")
    return arguments


def formatted(text: str, response_format: Any) -> str:
    """The answer in the requested format: `json_object`, a JSON object holding it; `json_schema`, a JSON value
    that validates against the schema (its strings carry the answer); otherwise the text itself."""
    kind = response_format.get("type") if isinstance(response_format, dict) else None
    if kind == "json_object":
        return json.dumps({"answer": text})
    if kind == "json_schema":
        spec = response_format.get("json_schema")
        schema = spec.get("schema") if isinstance(spec, dict) else None
        return json.dumps(instance(schema if isinstance(schema, dict) else {}, text, schema if isinstance(schema, dict) else {}))
    return text


def instance(schema: dict[str, Any], text: str, root: dict[str, Any], depth: int = 0) -> Any:
    """A value valid against a JSON schema (the subset Structured Outputs allows: type, properties, required,
    items, enum, const, anyOf, $ref to $defs/definitions): every property an object lists, one item per array."""
    if depth > 32:
        return None
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        target: Any = root
        for key in ref[2:].split("/"):
            target = target.get(key) if isinstance(target, dict) else None
        return instance(target if isinstance(target, dict) else {}, text, root, depth + 1)
    if "const" in schema:
        return schema["const"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        options = [o for o in schema.get(key) or () if isinstance(o, dict)] if isinstance(schema.get(key), list) else []
        if options:
            # the first option; past a few levels the null one, where there is one (a class that holds itself)
            none = next((o for o in options if o.get("type") == "null"), None)
            return instance(none if depth > 4 and none else options[0], text, root, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or (kind is None and isinstance(schema.get("properties"), dict)):
        properties = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        return {name: instance(spec if isinstance(spec, dict) else {}, text, root, depth + 1)
                for name, spec in properties.items()}
    if kind == "array":
        items = schema.get("items")
        return [instance(items if isinstance(items, dict) else {}, text, root, depth + 1)]
    return {"integer": 1, "number": 1.0, "boolean": True, "null": None}.get(kind, text)



def respond(body: dict[str, Any], now: int, azure: bool = False) -> Response:
    """POST chat/completions' answer: the completion as JSON, or with `stream: true` as server-sent events."""
    completion = create_completion(body, now)
    if azure:
        completion = with_azure_filter_results(completion)
    return streamed_or_json(body, completion, lambda made: chunk_events(made, body, azure))
