"""API objects: the JSON the API returned, read as attributes or keys, timestamps as aware datetimes."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any, Iterator


class JsonObject(Mapping):
    """Read-only view of a JSON object: `o.request_counts.total` and `o["request_counts"]["total"]` alike."""
    __slots__ = ("raw",)
    timestamp_fields: frozenset[str] = frozenset()

    def __init__(self, raw: dict[str, Any]):
        object.__setattr__(self, "raw", raw)

    def __getitem__(self, key: str) -> Any:
        value = self.raw[key]
        if key in self.timestamp_fields and isinstance(value, (int, float)) and not isinstance(value, bool):
            return datetime.fromtimestamp(value, tz=timezone.utc)
        return _wrap(value)

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"{type(self).__name__!s} has no field {name!r}") from None

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __iter__(self) -> Iterator[str]:
        return iter(self.raw)

    def __len__(self) -> int:
        return len(self.raw)

    def __eq__(self, other):
        return self.raw == (other.raw if isinstance(other, JsonObject) else other)

    __hash__ = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON exactly as received (unix timestamps stay integers)."""
        return self.raw

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={self.raw[k]!r}" for k in ("id", "status") if k in self.raw)
        return f"{type(self).__name__}({shown or self.raw!r})"


class ApiObject(JsonObject):
    """A top-level API object; `ps_type_name` is what PowerShell shows as its first PSTypeName."""
    __slots__ = ()
    ps_type_name = "PSOpenAI.Object"


class Batch(ApiObject):
    __slots__ = ()
    ps_type_name = "PSOpenAI.Batch"
    timestamp_fields = frozenset({"created_at", "in_progress_at", "expires_at", "finalizing_at", "completed_at",
                                  "failed_at", "expired_at", "cancelling_at", "cancelled_at"})


class File(ApiObject):
    __slots__ = ()
    ps_type_name = "PSOpenAI.File"
    timestamp_fields = frozenset({"created_at", "expires_at"})


class BatchOutput(ApiObject):
    """One line of a batch's output file: {id, custom_id, response: {status_code, request_id, body}, error}."""
    __slots__ = ()
    ps_type_name = "PSOpenAI.Batch.Output"


# The API's `object` field names the kind; pipeline binding by type name uses the same table.
OBJECT_TYPES: dict[str, type[ApiObject]] = {"batch": Batch, "file": File}

# Type names that plain mappings answer to by their shape (they have no `object` field).
SHAPES = {"PSOpenAI.Batch.Input": lambda m: "custom_id" in m}


def ps_type_names(value: Any) -> tuple[str, ...]:
    """The PowerShell type names a Python value answers to when bound to a [PSTypeName(...)] parameter."""
    if isinstance(value, ApiObject):
        return (value.ps_type_name,)
    names = getattr(value, "ps_type_names", None)
    if names is not None:
        return tuple(names)
    if isinstance(value, Mapping):
        kind = OBJECT_TYPES.get(value.get("object"))
        return ((kind.ps_type_name,) if kind else ()) + tuple(n for n, fits in SHAPES.items() if fits(value))
    return ()


def to_plain(value: Any) -> Any:
    """JSON-ready copy of what a caller handed in: API objects back to their JSON, mappings to dicts."""
    if isinstance(value, JsonObject):
        return value.raw
    if isinstance(value, Mapping):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    return value


def _wrap(value: Any) -> Any:
    if isinstance(value, dict):
        return JsonObject(value)
    if isinstance(value, list):
        return [_wrap(v) for v in value]
    return value
