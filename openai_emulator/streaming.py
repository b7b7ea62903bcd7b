"""Answers asked for with `stream: true`, sent as server-sent events the way the API streams them: the finished
answer cut into events. Chat completions: a first chunk with the role, the content in token-sized pieces, tool
calls, a last chunk with the finish reason, with stream_options.include_usage a usage chunk (choices empty), then
`data: [DONE]`. Responses: typed events (`event:` lines), text deltas between the item events, then completed.
Text completions: the text in pieces, the finish reason, `data: [DONE]`."""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from .http_types import Response, json_response

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


def response_events(response: dict[str, Any]) -> list[bytes]:
    """The SSE events of a finished Responses-API response, as the API streams one: `event: <type>` then its data,
    each with a sequence_number - created, in_progress, then per output item its added/done events (a message's
    text in token-sized response.output_text.delta pieces), then completed (or incomplete)."""
    events: list[bytes] = []

    def send(kind: str, **fields: Any) -> None:
        payload = {"type": kind, "sequence_number": len(events), **fields}
        events.append(f"event: {kind}\n".encode() + event(payload))

    started = {**response, "status": "in_progress", "output": [], "usage": None}
    send("response.created", response=started)
    send("response.in_progress", response=started)
    for index, item in enumerate(response["output"]):
        parts = item.get("content") if item.get("type") == "message" else None
        send("response.output_item.added", output_index=index,
             item={**item, "status": "in_progress", **({"content": []} if parts is not None else {})})
        for part_index, part in enumerate(parts or ()):
            where = {"item_id": item["id"], "output_index": index, "content_index": part_index}
            text = part.get("text") if part.get("type") == "output_text" else None
            send("response.content_part.added", **where, part={**part, **({"text": ""} if text is not None else {})})
            if text is not None:
                for piece in _PIECE.findall(text):
                    send("response.output_text.delta", **where, delta=piece, logprobs=[])
                send("response.output_text.done", **where, text=text, logprobs=[])
            send("response.content_part.done", **where, part=part)
        send("response.output_item.done", output_index=index, item=item)
    send("response.completed" if response["status"] == "completed" else f"response.{response['status']}",
         response=response)
    return events


def text_completion_events(completion: dict[str, Any]) -> list[bytes]:
    """The SSE events of a finished (legacy) text completion: each choice's text in token-sized pieces, then a
    last chunk with its finish reason, then `data: [DONE]`."""
    head = {"id": completion["id"], "object": "text_completion", "created": completion["created"],
            "model": completion["model"]}
    events = []
    for choice in completion["choices"]:
        for piece in _PIECE.findall(choice["text"]):
            events.append(event({**head, "choices": [{"text": piece, "index": choice["index"], "logprobs": None,
                                                      "finish_reason": None}]}))
        events.append(event({**head, "choices": [{"text": "", "index": choice["index"], "logprobs": None,
                                                  "finish_reason": choice["finish_reason"]}]}))
    events.append(event(b"[DONE]"))
    return events


def streamed_or_json(body: dict[str, Any], answer: dict[str, Any], events: Callable[[dict[str, Any]], list[bytes]]) -> Response:
    """The answer to `body` as JSON, or with `stream: true` as server-sent events (events(answer))."""
    if body.get("stream") is True:
        return Response(200, b"", "text/event-stream", events=events(answer))
    return json_response(answer)
