"""The pieces of a chat request body that take more than copying a parameter, as PSOpenAI builds them:
the history resent, the answer's format, the web search options and the checked numbers."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..core.answers import text, truthy
from ..core.binding import find_property
from ..core.errors import ParameterBindingError
from ..core.model_requests import json_schema_of
from ..core.structured import StructuredType, structured_type

INT64 = (-2**63, 2**63 - 1)
FORMAT_NAMES = ("text", "json_object", "json_schema", "raw_response")


def history_messages(history: Any) -> list[dict[str, Any]]:
    """Past messages as PSOpenAI resends them: those with a role; role, then content (a refusal of the
    assistant as a refusal part), audio id, name, tool_calls and tool_call_id when present."""
    if history is None:
        return []
    items = [history] if isinstance(history, Mapping) or isinstance(history, str) \
        or not isinstance(history, Iterable) else list(history)
    out = []
    for item in items:
        role = find_property(item, ("role",))[1]
        if not truthy(role):
            continue
        message: dict[str, Any] = {"role": text(role)}
        refusal = find_property(item, ("refusal",))[1]
        content = find_property(item, ("content",))[1]
        if truthy(refusal) and text(role).lower() == "assistant":
            message["content"] = [{"type": "refusal", "refusal": refusal}]
        elif truthy(content):
            message["content"] = content
        audio_id = find_property(find_property(item, ("audio",))[1], ("id",))[1]
        if truthy(audio_id):
            message["audio"] = {"id": audio_id}
        name = find_property(item, ("name",))[1]
        if truthy(name):
            message["name"] = text(name)
        for key in ("tool_calls", "tool_call_id"):
            value = find_property(item, (key,))[1]
            if truthy(value):
                message[key] = value
        out.append(message)
    return out


def response_format(value: Any, json_schema_text: str | None, host: Any) -> tuple[Any, StructuredType | None]:
    """(the body's response_format, or None for raw_response; the type the answer is read as, if any).
    A type gives the strict json_schema made from it (Structured Outputs); a name gives {"type": name}."""
    if not isinstance(value, str):
        structured = structured_type(value, host)
        if structured is None:
            raise ParameterBindingError(
                f"ResponseFormat must be one of {', '.join(FORMAT_NAMES)} or a type (a class; in Python a dataclass, "
                f"TypedDict or pydantic model), not {type(value).__name__}.")
        return structured.response_format(), structured
    if value.lower() == "raw_response":
        return None, None
    body: dict[str, Any] = {"type": value}
    if value.lower() == "json_schema":
        body["json_schema"] = json_schema_of(json_schema_text)
    return body, None


def web_search(given: frozenset[str], context_size: str | None, location_type: str,
               location: dict[str, str | None]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if "web_search_context_size" in given:
        options["search_context_size"] = context_size.lower()
    names = {"city": "city", "country": "country", "region": "region", "timezone": "time_zone"}
    approximate = {k: v for k, v in location.items() if f"web_search_user_location_{names[k]}" in given}
    if approximate:
        options["user_location"] = {"type": location_type, "approximate": approximate}
    return options


def bool_of(value: Any, what: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return bool(value)
    raise ParameterBindingError(f"{what} must be a bool ($true or $false), got {type(value).__name__}.")


def int64(value: Any, what: str) -> int:
    number = value
    if isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d+\s*", value):
        number = int(value)
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    if not isinstance(number, int) or isinstance(number, bool) or not INT64[0] <= number <= INT64[1]:
        raise ParameterBindingError(f"{what} must be a 64-bit integer, got {value!r}.")
    return number

