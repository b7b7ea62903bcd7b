"""Chat completions with `stream: true`: the finished answer sent as server-sent events, as the API streams
it - a first chunk with the role, the content in token-sized pieces, tool calls, a last chunk with the
finish reason, with stream_options.include_usage a usage chunk (choices empty), then `data: [DONE]`."""
from __future__ import annotations

import json
import re
from typing import Any

# up to four characters, with any white space before them (about a token): the pieces join back to the text
_PIECE = re.compile(r"\s*\S{1,4}")


def event(payload: Any) -> bytes:
    return b"data: " + (payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")) + b"\n\n"


def chunk_events(completion: dict[str, Any], body: dict[str, Any], azure: bool = False) -> list[bytes]:
    """The SSE events of a finished chat.completion (chat.completion_body's), in the order the API sends them."""
    usage_wanted = isinstance(body.get("stream_options"), dict) and body["stream_options"].get("include_usage") is True
    head = {"id": completion["id"], "object": "chat.completion.chunk", "created": completion["created"],
            "model": completion["model"], "system_fingerprint": None}
    if usage_wanted:
        head["usage"] = None

    def chunk(index: int, delta: dict[str, Any], finish: str | None = None, **extra: Any) -> bytes:
        choice = {"index": index, "delta": delta, "logprobs": None, "finish_reason": finish, **extra}
        return event({**head, "choices": [choice]})

    events = []
    if azure:       # Azure OpenAI first reports its filter's view of the prompt, with no choices
        events.append(event({**head, "choices": [], "prompt_filter_results": completion.get("prompt_filter_results")}))
    for choice in completion["choices"]:
        index, message = choice["index"], choice["message"]
        events.append(chunk(index, {"role": "assistant", "content": "", "refusal": None}))
        for piece in _PIECE.findall(message.get("content") or ""):
            events.append(chunk(index, {"content": piece}))
        for i, call in enumerate(message.get("tool_calls") or ()):
            events.append(chunk(index, {"tool_calls": [{"index": i, **call}]}))
        filters = {"content_filter_results": choice["content_filter_results"]} if "content_filter_results" in choice else {}
        events.append(chunk(index, {}, choice["finish_reason"], **filters))
    if usage_wanted:
        events.append(event({**head, "choices": [], "usage": completion["usage"]}))
    events.append(event(b"[DONE]"))
    return events
