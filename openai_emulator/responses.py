"""POST /v1/responses (the Responses API): a deterministic answer to the last user message, as the chat emulator
gives it; offered function and custom tools are called (`function_call` / `custom_tool_call` output items), each
once, then the model answers in text; reasoning models start their output with a reasoning item; `text.format`
json_object/json_schema answers are JSON (valid for the schema); `max_output_tokens` cuts the answer (status
"incomplete"). Stored responses (store not false) can be read back (GET /v1/responses/{id}) and named as
previous_response_id. A batch's /v1/responses requests get the same answer (batch_processing)."""
from __future__ import annotations

import json
import re
from typing import Any

from .chat import _arguments, formatted
from .errors import ApiError
from .ids import new_id
from .regex_sample import sample


def create_response(body: dict[str, Any], now: int, stored: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Checks a request as the API does (the parts that matter here), answers it, and keeps it in `stored`
    (a direct call's store; None in a batch) unless store is false."""
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise ApiError(400, "Missing required parameter: 'model'.", param="model", code="missing_required_parameter")
    items = body.get("input")
    if not isinstance(items, (str, list)) and not body.get("prompt") and not body.get("conversation"):
        raise ApiError(400, "Missing required parameter: 'input'.", param="input", code="missing_required_parameter")
    previous = body.get("previous_response_id")
    if previous is not None and stored is not None and previous not in stored:     # (a batch does not check)
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
    calls = tool_calls(body)
    if calls:
        output: list[dict[str, Any]] = calls
    else:
        text = formatted(answer_text(body.get("input")), _as_chat_format(fmt))
        limit = body.get("max_output_tokens")
        if isinstance(limit, int) and not isinstance(limit, bool) and limit >= 1 and _tokens(text) > limit:
            text, status, incomplete = text[:limit * 4], "incomplete", {"reason": "max_output_tokens"}
        output = [{"type": "message", "id": new_id("msg_"), "status": status, "role": "assistant",
                   "content": [{"type": "output_text", "text": text, "annotations": [], "logprobs": []}]}]
    output = reasoning_items(body) + output
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


def tool_calls(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The calls the emulated model makes: when function or custom tools are offered and tool_choice is not "none",
    it calls each tool once, in order, one a turn (every one not called yet with parallel_tool_calls true; only the
    one tool_choice names, if it does), then answers in text. A function's arguments fill its required parameters;
    a custom tool's input matches its regex grammar, if it has one."""
    tools = [t for t in body.get("tools") or () if isinstance(t, dict) and t.get("type") in ("function", "custom")
             and isinstance(t.get("name"), str)]
    choice, items = body.get("tool_choice"), body.get("input")
    called = {i.get("name") for i in (items if isinstance(items, list) else ())
              if isinstance(i, dict) and i.get("type") in ("function_call", "custom_tool_call")}
    tools = [t for t in tools if t["name"] not in called]
    if not tools or choice == "none":
        return []
    if isinstance(choice, dict) and choice.get("type") in ("function", "custom"):
        tools = [t for t in tools if t["name"] == choice.get("name")][:1]
    elif body.get("parallel_tool_calls") is not True:
        tools = tools[:1]
    return [_call(t) for t in tools]


def _call(tool: dict[str, Any]) -> dict[str, Any]:
    if tool["type"] == "function":
        return {"type": "function_call", "id": new_id("fc_"), "call_id": new_id("call_"), "name": tool["name"],
                "arguments": json.dumps(_arguments(tool.get("parameters")), separators=(",", ":")),
                "status": "completed"}
    grammar = tool.get("format") if isinstance(tool.get("format"), dict) else {}
    regex = grammar.get("definition") if grammar.get("syntax") == "regex" else None
    given = sample(regex) if isinstance(regex, str) else None
    return {"type": "custom_tool_call", "id": new_id("ctc_"), "call_id": new_id("call_"), "name": tool["name"],
            "input": given if given is not None else "example", "status": "completed"}


# Models that reason unless told not to (their default effort is not "none"): o-series and the first gpt-5s.
_REASONING_MODELS = re.compile(r"^(o\d|gpt-5(-mini|-nano|-pro)?$)")


def reasoning_items(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The reasoning item a reasoning model's output starts with (a summary when one was asked for)."""
    reasoning = body.get("reasoning") if isinstance(body.get("reasoning"), dict) else {}
    effort = reasoning.get("effort")
    if effort == "none" or (effort is None and not _REASONING_MODELS.match(str(body.get("model")))):
        return []
    summary = [{"type": "summary_text", "text": "Emulated reasoning."}] if reasoning.get("summary") else []
    return [{"type": "reasoning", "id": new_id("rs_"), "summary": summary}]


def _as_chat_format(fmt: dict[str, Any]) -> dict[str, Any]:
    """The Responses API's text.format as the chat emulator's response_format ({type, json_schema: {schema}})."""
    if fmt.get("type") == "json_schema":
        return {"type": "json_schema", "json_schema": {"schema": fmt.get("schema")}}
    return fmt


def _tokens(value: Any) -> int:
    return max(1, len(json.dumps(value, ensure_ascii=False)) // 4)
