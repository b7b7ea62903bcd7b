"""POST /v1/responses (the Responses API): a deterministic answer to the last user message, as the chat emulator
gives it; offered function tools are called (a `function_call` output item) until the input ends with their
results (`function_call_output`), then the model answers in text; `text.format` json_object/json_schema answers
are JSON (valid for the schema); `max_output_tokens` cuts the answer (status "incomplete"). Stored responses
(store not false) can be read back (GET /v1/responses/{id}) and named as previous_response_id. A batch's
/v1/responses requests get the same answer (batch_processing)."""
from __future__ import annotations

import json
from typing import Any

from .chat import _arguments, formatted
from .errors import ApiError
from .ids import new_id


def create_response(body: dict[str, Any], now: int, stored: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Checks a request as the API does (the parts that matter here), answers it, and keeps it in `stored`
    (a direct call's store; None in a batch) unless store is false."""
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise ApiError(400, "Missing required parameter: 'model'.", param="model", code="missing_required_parameter")
    items = body.get("input")
    if not isinstance(items, (str, list)) and not body.get("prompt") and not body.get("conversation"):
        raise ApiError(400, "Missing required parameter: 'input'.", param="input", code="missing_required_parameter")
    if body.get("stream"):
        raise ApiError(400, "This emulator does not stream responses.", param="stream")
    previous = body.get("previous_response_id")
    if previous is not None and (stored is None or previous not in stored):
        raise ApiError(400, f"Previous response with id '{previous}' not found.", param="previous_response_id",
                       code="previous_response_not_found")
    response = response_body(body, now)
    if stored is not None and body.get("store") is not False:
        stored[response["id"]] = response
    return response


def response_body(body: dict[str, Any], now: int) -> dict[str, Any]:
    text_options = body.get("text") if isinstance(body.get("text"), dict) else {}
    fmt = text_options.get("format") if isinstance(text_options.get("format"), dict) else {"type": "text"}
    status, incomplete = "completed", None
    calls = function_calls(body)
    if calls:
        output: list[dict[str, Any]] = calls
    else:
        text = formatted(answer_text(body.get("input")), _as_chat_format(fmt))
        limit = body.get("max_output_tokens")
        if isinstance(limit, int) and not isinstance(limit, bool) and limit >= 1 and _tokens(text) > limit:
            text, status, incomplete = text[:limit * 4], "incomplete", {"reason": "max_output_tokens"}
        output = [{"type": "message", "id": new_id("msg_"), "status": status, "role": "assistant",
                   "content": [{"type": "output_text", "text": text, "annotations": [], "logprobs": []}]}]
    input_tokens, output_tokens = _tokens(body.get("input")), _tokens(output)
    reasoning = body.get("reasoning") if isinstance(body.get("reasoning"), dict) else {}
    return {
        "id": new_id("resp_"), "object": "response", "created_at": now, "status": status, "background": False,
        "error": None, "incomplete_details": incomplete, "instructions": body.get("instructions"),
        "max_output_tokens": body.get("max_output_tokens"), "max_tool_calls": body.get("max_tool_calls"),
        "model": body["model"], "output": output, "parallel_tool_calls": body.get("parallel_tool_calls", True),
        "previous_response_id": body.get("previous_response_id"),
        "reasoning": {"effort": reasoning.get("effort"), "summary": reasoning.get("summary")},
        "service_tier": "default", "store": body.get("store", True) is not False,
        "temperature": body.get("temperature", 1.0), "text": {"format": fmt, "verbosity": text_options.get("verbosity", "medium")},
        "tool_choice": body.get("tool_choice", "auto"), "tools": body.get("tools") or [],
        "top_logprobs": body.get("top_logprobs", 0), "top_p": body.get("top_p", 1.0),
        "truncation": body.get("truncation", "disabled"),
        "usage": {"input_tokens": input_tokens, "input_tokens_details": {"cached_tokens": 0},
                  "output_tokens": output_tokens, "output_tokens_details": {"reasoning_tokens": 0},
                  "total_tokens": input_tokens + output_tokens},
        "user": body.get("user"), "metadata": body.get("metadata") or {},
    }


def last_user_text(items: Any) -> str | None:
    """The input's last user message: the input itself when a string, else that message's content when a string,
    or its last input_text part."""
    if isinstance(items, str):
        return items
    for item in reversed(items if isinstance(items, list) else []):
        if isinstance(item, dict) and item.get("role") == "user":
            content = item.get("content")
            if isinstance(content, str):
                return content
            texts = [p.get("text") for p in content if isinstance(p, dict) and p.get("type") == "input_text"] \
                if isinstance(content, list) else []
            return texts[-1] if texts and isinstance(texts[-1], str) else None
    return None


def answer_text(items: Any) -> str:
    """"Emulated response for <the last user message>", as the chat emulator says it."""
    text = (last_user_text(items) or "").strip()
    if not text:
        return "Emulated response."
    return f"Emulated response for {text}" + ("" if text[-1] in ".!?" else ".")


def function_calls(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The calls the emulated model makes: when function tools are offered, tool_choice is not "none" and the
    input does not end with a function's result, it calls the function tool_choice names, else the first one
    (every one with parallel_tool_calls true), with arguments filling each required parameter."""
    functions = [t for t in body.get("tools") or () if isinstance(t, dict) and t.get("type") == "function"
                 and isinstance(t.get("name"), str)]
    choice, items = body.get("tool_choice"), body.get("input")
    last = items[-1] if isinstance(items, list) and items else None
    if not functions or choice == "none" or (isinstance(last, dict) and last.get("type") == "function_call_output"):
        return []
    if isinstance(choice, dict) and choice.get("type") == "function":
        functions = [f for f in functions if f["name"] == choice.get("name")][:1]
    elif body.get("parallel_tool_calls") is not True:
        functions = functions[:1]
    return [{"type": "function_call", "id": new_id("fc_"), "call_id": new_id("call_"), "name": f["name"],
             "arguments": json.dumps(_arguments(f.get("parameters")), separators=(",", ":")), "status": "completed"}
            for f in functions]


def _as_chat_format(fmt: dict[str, Any]) -> dict[str, Any]:
    """The Responses API's text.format as the chat emulator's response_format ({type, json_schema: {schema}})."""
    if fmt.get("type") == "json_schema":
        return {"type": "json_schema", "json_schema": {"schema": fmt.get("schema")}}
    return fmt


def _tokens(value: Any) -> int:
    return max(1, len(json.dumps(value, ensure_ascii=False)) // 4)
