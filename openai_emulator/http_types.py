"""Request and response values passed between the HTTP layer and the route modules."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from .errors import ApiError


@dataclass
class Request:
    method: str
    raw_path: str                 # exactly as received, query and percent-encoding intact
    path: str                     # raw path without the query string
    segments: list[str]           # path segments, each percent-decoded on its own ("a%2Fb" -> "a/b")
    query_string: str
    headers: dict[str, str]       # lower-cased names
    body: bytes

    def query(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.query_string, keep_blank_values=True).items()}

    def json(self) -> Any:
        """The body parsed as JSON; an empty body counts as {}."""
        if not self.body.strip():
            return {}
        try:
            return json.loads(self.body)
        except ValueError:
            raise ApiError(400, "We could not parse the JSON body of your request. (HINT: This likely means "
                           "you aren't using your HTTP library correctly. The OpenAI API expects a JSON "
                           "payload, but what was sent was not valid JSON.)") from None

    def json_object(self) -> dict[str, Any]:
        body = self.json()
        if not isinstance(body, dict):
            raise ApiError(400, "The request body must be a JSON object.")
        return body


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    events: list[bytes] | None = None     # a streamed body (server-sent events), sent chunk by chunk


# One shared encoder: json.dumps() with any option builds a new encoder on every call.
_encode = json.JSONEncoder(separators=(",", ":")).encode


def json_response(payload: Any, status: int = 200) -> Response:
    return Response(status, _encode(payload).encode("utf-8"))


def query_int(query: dict[str, str], name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ApiError(400, f"Invalid '{name}': expected an integer, but got '{raw}' instead.",
                       param=name, code="invalid_value") from None
