"""Request-ChatCompletion -Stream: the answer's text pieces as they arrive, as PSOpenAI writes them (each to
the output and, without a new line, to the information stream); with -ResponseFormat raw_response each
event's JSON text instead. A lazy iterator: the request is sent at the first next(), and closing it (a
pipeline that stops early, Ctrl+C) closes the connection."""
from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from ..core import errors
from ..core.sse import event_data


def stream_answer(call: Any, path: str, body: dict[str, Any], raw: bool) -> Iterator[str]:
    download = call.client.request("POST", path, body=body, raw=True, stream=True)
    information = getattr(call.host, "information", None)
    try:
        for data in event_data(download.chunks()):
            if raw:
                yield data
                continue
            piece = _piece(data)
            if piece is not None:
                if information is not None:
                    information(piece)
                yield piece
    finally:
        download.close()


def _piece(data: str) -> str | None:
    """The text of an event's first choice (None for events without: the role's, the last, usage); an
    error event is raised as the API error it reports."""
    try:
        event = json.loads(data)
    except ValueError:
        raise errors.InvalidResponseError(f"The API sent a stream event that is not JSON: {errors.visible(data[:200])}") \
            from None
    if not isinstance(event, Mapping):
        return None
    failure = event.get("error")
    if isinstance(failure, Mapping):
        raise errors.APIError(f"The API reported an error in the middle of the stream: "
                              f"{errors.visible(str(failure.get('message') or failure))}")
    choices = event.get("choices")
    first = choices[0] if isinstance(choices, list) and choices and isinstance(choices[0], Mapping) else {}
    delta = first.get("delta")
    content = delta.get("content") if isinstance(delta, Mapping) else None
    return content if isinstance(content, str) else None
