"""Request-ChatCompletion -Stream: the answer's text pieces as they arrive, as PSOpenAI writes them (each to
the output and, without a new line, to the information stream); with -ResponseFormat raw_response each
event's JSON text instead (cmdlets.core.streaming)."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..core.streaming import first_choice, stream_events, written_text


def stream_answer(call: Any, path: str, body: dict[str, Any], raw: bool) -> Iterator[str]:
    return stream_events(call, path, body, None if raw else written_text(call.host, _delta_content))


def _delta_content(event: Any) -> Any:
    """The text of the event's first choice (none in the role's event, the last, usage)."""
    delta = first_choice(event).get("delta")
    return delta.get("content") if isinstance(delta, Mapping) else None
