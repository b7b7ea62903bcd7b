"""Answers the API streams (`stream: true`): the events' data as they arrive, lazily. Shared by the cmdlets that
stream (Request-ChatCompletion and Request-Response -Stream); each picks what it writes from an event."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from . import errors
from .secrets import Masker, masked_field
from .sse import DONE, event_data

# How a stream says its answer is whole: chat and text completions send `data: [DONE]`; the Responses API's last
# event is one of these (and no [DONE]).
LAST_EVENTS = frozenset({"response.completed", "response.incomplete", "response.failed"})


def stream_events(call: Any, path: str, body: dict[str, Any], pick: Callable[[Any], Any] | None) -> Iterator[Any]:
    """`pick(event)` for each event (a parsed JSON value) whose pick is not None; with no `pick`, each event's JSON
    text as received. A lazy iterator: the request is sent at the first next(), and closing it (a pipeline that
    stops early, Ctrl+C) closes the connection; -TimeoutSec bounds each wait for the next event."""
    download = call.client.request("POST", path, body=body, raw=True, stream=True)
    complete = False
    try:
        for data in event_data(download.chunks(), keep_done=True):
            if data == DONE:
                complete = True
                break
            if pick is None:
                complete = _is_last(data)
                yield data
                continue
            event = _event(data, download.masker)
            complete = isinstance(event, Mapping) and event.get("type") in LAST_EVENTS
            value = pick(event)
            if value is not None:
                yield value
    finally:
        download.close()
    if not complete:
        # (a proxy or load balancer that closes the body cleanly in the middle: what came is all there is)
        call.host.warning("The stream ended before the API marked the answer complete: it may be cut short.")


def _is_last(data: str) -> bool:
    """Whether a raw event's JSON is one of LAST_EVENTS (parsed only when its text names one)."""
    if not any(name in data for name in LAST_EVENTS):
        return False
    try:
        event = json.loads(data)
    except ValueError:
        return False
    return isinstance(event, Mapping) and event.get("type") in LAST_EVENTS


def _event(data: str, mask: Masker) -> Any:
    """The event's JSON value; an error event raised as an APIError. What the server wrote is shown with the
    API key and other secrets masked, as in any other error."""
    try:
        event = json.loads(data)
    except ValueError:
        raise errors.InvalidResponseError(
            mask(f"The API sent a stream event that is not JSON: {errors.visible(mask.cut(data, 200))}")) from None
    failure = event.get("error") if isinstance(event, Mapping) else None
    if isinstance(failure, Mapping) or (isinstance(event, Mapping) and event.get("type") == "error"):
        detail = failure if isinstance(failure, Mapping) else event
        raise errors.APIError(mask("The API reported an error in the middle of the stream: "
                                   f"{errors.visible(str(detail.get('message') or detail))}"),
                               code=masked_field(detail.get("code"), mask))
    return event


def written_text(host: Any, text_of: Callable[[Any], Any]) -> Callable[[Any], str | None]:
    """A `pick` for stream_events: `text_of(event)` when it is text, also written, without a new line, to the
    host's information stream (pwsh: -InformationVariable collects the pieces), as PSOpenAI writes them."""
    information = getattr(host, "information", None)

    def pick(event: Any) -> str | None:
        text = text_of(event)
        if not isinstance(text, str):
            return None
        if information is not None:
            information(text)
        return text
    return pick


def first_choice(event: Any) -> Mapping[str, Any]:
    """A chat or text completion chunk's first choice ({} for chunks without: usage, Azure's prompt filter)."""
    choices = event.get("choices") if isinstance(event, Mapping) else None
    return choices[0] if isinstance(choices, list) and choices and isinstance(choices[0], Mapping) else {}
