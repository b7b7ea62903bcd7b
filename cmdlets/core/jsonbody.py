"""Request bodies as strict JSON, and why a value that has none cannot be sent (named before anything is
sent). Shared by the HTTP core (client) and the configuration's -AdditionalBody check (config).
"""
from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from . import errors


def to_json(value: Any, what: str = "The request body") -> str:
    """Strict JSON (no NaN/Infinity, which the API cannot parse; no lone surrogate, which UTF-8 cannot
    encode), or a ParameterBindingError naming the value that has no JSON form - before anything is sent."""
    return to_json_bytes(value, what).decode("utf-8")


def to_json_bytes(value: Any, what: str = "The request body", separators: tuple[str, str] | None = None) -> bytes:
    """to_json's text as the UTF-8 bytes sent (encoded once)."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=separators).encode("utf-8")
    except (TypeError, ValueError, RecursionError):     # (UnicodeEncodeError, a lone surrogate, is a ValueError)
        pass
    problem = _unsendable(value, "") or "is not JSON"
    raise errors.ParameterBindingError(f"{what} cannot be sent as JSON: {problem}.")


def _unsendable(value: Any, path: str, depth: int = 0) -> str | None:
    """Where and why a value has no JSON form (only run after json.dumps failed)."""
    at = path.lstrip(".") or "the value"
    if depth > 200:
        return f"{at} is nested too deeply"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{at} is {value!r} (NaN and Infinity are not JSON numbers)"
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return f"{at} holds a character that is not valid Unicode (a lone surrogate)"
        return None
    if value is None or isinstance(value, (bool, int, float)):
        return None
    if isinstance(value, Mapping):
        for k, v in value.items():
            if not isinstance(k, (str, int, float, bool)) and k is not None:
                return f"{at} has a key of type {type(k).__name__}"
            if isinstance(k, str) and _unsendable(k, ""):
                return f"{at} has a key that is not valid Unicode (a lone surrogate)"
            found = _unsendable(v, f"{path}.{k}", depth + 1)
            if found:
                return found
        return None
    if isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            found = _unsendable(v, f"{path}[{i}]", depth + 1)
            if found:
                return found
        return None
    return f"{at} is a {type(value).__name__}, which has no JSON form (pass a string, number, list or mapping)"
