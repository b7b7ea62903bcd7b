"""Python -> PowerShell: a cmdlet's result as the text ConvertFrom-PSOpenAIBridgeOutput (PSOpenAIBridge.psm1)
reads: the items' PSTypeNames, a newline, then the items as one JSON array, which PowerShell's own JSON reader
turns into PSCustomObjects, the way PSOpenAI builds its objects with ConvertFrom-Json."""
from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from cmdlets.core.answers import truthy
from cmdlets.core.objects import ApiObject, BatchOutput, ChatCompletion, typed_members


def _json_default(value: Any) -> Any:
    if hasattr(value, "raw") and isinstance(value.raw, Mapping):   # a (nested) JsonObject
        return value.raw if isinstance(value.raw, dict) else dict(value.raw)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (tuple, set, frozenset)):
        return list(value)
    raise TypeError(f"{type(value).__name__} cannot be sent to PowerShell")


def _json_ready(item: Any) -> Any:
    if not _is_api(item):
        return item
    raw = item.raw
    if type(raw) is not dict:       # an object PowerShell passed in, read lazily: all of it now
        raw = dict(raw)
    fields = item.ps_timestamp_fields
    if not fields:
        return raw
    stamps = [k for k in fields if type(raw.get(k)) is int and raw[k]]
    if not stamps:
        return raw
    raw = dict(raw)
    for key in stamps:
        # ISO text with the local offset: PowerShell's JSON reader makes it a local [datetime], which is
        # how PSOpenAI shows timestamps (and costs it no more than a number); moved last, as PSOpenAI's
        # Add-Member -Force does. A number no [datetime] holds stays the number, in its place.
        local = _local_iso(raw[key])
        if local is not None:
            del raw[key]
            raw[key] = local
    return raw


def _local_iso(stamp: int) -> str | None:
    try:
        # (Python's datetime holds the years .NET's DateTime does, 1 to 9999: what it refuses PowerShell would)
        return datetime.fromtimestamp(stamp, timezone.utc).astimezone().isoformat()
    except (OverflowError, ValueError, OSError):
        return None


_API_CLASSES: dict[type, bool] = {}


def _is_api(value: Any) -> bool:
    """isinstance(value, ApiObject), remembered per class: ApiObject is a Mapping, whose ABC check costs
    about a microsecond each time, and output makes several per item."""
    kind = type(value)
    known = _API_CLASSES.get(kind)
    if known is None:
        known = _API_CLASSES[kind] = issubclass(kind, ApiObject)
    return known


BYTES = "[byte[]]"     # the type-name slot of an item that is binary content (sent as base64)


def _string_lists(notes: dict[str, Any]) -> str:
    """The note properties PowerShell casts to [string[]] (a JSON array of text reads as object[])."""
    return ",".join(k for k, v in notes.items() if isinstance(v, list) and v and all(isinstance(x, str) for x in v))


def _typed(obj: ApiObject, dropped: list[str] | None = None) -> tuple[str, dict[str, Any]]:
    """An API object's type-name slot entry and its JSON with the note properties PSOpenAI adds last. A note
    whose name the JSON already has, in any case (a body's own `answer`), is left out, the JSON's value kept, as
    PSOpenAI's Add-Member (without -Force) leaves it: PowerShell's JSON reader would refuse the two keys, and with
    them the whole chunk. Such notes' names are added to `dropped`."""
    raw, notes = _json_ready(obj), obj.ps_note_properties()
    if not notes:
        return obj.ps_type_name, raw
    taken = {key.upper() for key in raw}
    clashing = [name for name in notes if name.upper() in taken]
    if clashing:
        notes = {name: value for name, value in notes.items() if name not in clashing}
        if dropped is not None:
            dropped.extend(clashing)
    raw = dict(raw, **notes)
    lists = _string_lists(notes)
    return obj.ps_type_name + (";" + lists if lists else ""), raw


def _item(item: Any, natives: list[Any]) -> tuple[str, Any]:
    """(type-name slot, JSON-ready value) of one output item. The slot is '' (untyped), '[byte[]]'
    (binary content, sent as base64), or 'Type[;StringArrayNotes]' followed by one
    '|key/key=Type[;StringArrayNotes]' per typed object inside it (objects.typed_members): the nested
    response body of a batch output line that is a chat completion, say; then one '|key/key=@shape' per
    part PowerShell holds in another shape (ApiObject.ps_shapes); then one '|key/0/key=@native:N' per .NET
    object the item holds (ApiObject.ps_natives: sent as null, set to `natives[N]` there)."""
    if not _is_api(item):
        if isinstance(item, (bytes, bytearray, memoryview)):
            return BYTES, base64.b64encode(item).decode("ascii")
        return "", item
    dropped: list[str] = []
    slot, raw = _typed(item, dropped)
    gone = [(name,) for name in dropped]    # the paths of notes left out (_typed), which hold nothing to set
    shapes = list(item.ps_shapes)
    if type(item).member_types:
        for path, child in typed_members(item):
            dropped = []
            child_slot, child_raw = _typed(child, dropped)
            gone += [path + (name,) for name in dropped]
            slot += "|" + "/".join(path) + "=" + child_slot
            raw = _replaced(raw, path, child_raw)
            shapes += [(path + inner, shape) for inner, shape in child.ps_shapes]
    if gone:
        shapes = [(path, shape) for path, shape in shapes if not any(path[:len(g)] == g for g in gone)]
    for path, shape in shapes:
        slot += "|" + "/".join(path) + "=@" + shape
    for path, value in item.ps_natives():
        if gone and any(tuple(path[:len(g)]) == g for g in gone):
            continue
        raw = _replaced(raw, path, None)
        slot += "|" + "/".join(path) + f"=@native:{len(natives)}"
        natives.append(value)
    return slot, raw


def _replaced(raw: Any, path: tuple[str, ...], value: Any) -> Any:
    """A copy of raw with the value at path replaced (a list's items named by index); only the dicts and
    lists along the path are copied."""
    copy = list(raw) if isinstance(raw, list) else dict(raw)
    key: Any = int(path[0]) if isinstance(raw, list) else path[0]
    copy[key] = value if len(path) == 1 else _replaced(copy[key], path[1:], value)
    return copy


# A batch output line whose body is a chat completion PowerShell can type from the line's own JSON: the slot's
# '!chat' mark has the module's typer do what _typed writes into the JSON otherwise (`created` as a local
# [datetime] moved last, then the notes Message, Answer from each choice's message.content, and History), so
# the line goes to PowerShell as the file has it, neither copied nor written again here.
_LINE_SLOT = (BatchOutput.ps_type_name + "|response/body=" + ChatCompletion.ps_type_name + "!chat")
_CHAT_NOTES = frozenset(("message", "answer", "history"))
_MAX_STAMP = 253402300799       # 9999-12-31T23:59:59Z, the last second .NET's DateTime holds


def _line_slot(item: Any) -> str | None:
    """_LINE_SLOT when the item is one ('!chat' types it as _item would), else None."""
    if type(item) is not BatchOutput:
        return None
    response = item.raw.get("response")
    body = response.get("body") if type(response) is dict else None
    if type(body) is not dict or body.get("object") != "chat.completion":
        return None
    created, choices = body.get("created"), body.get("choices")
    if type(created) is not int or not 0 < created <= _MAX_STAMP or type(choices) is not list or not choices:
        return None
    for choice in choices:
        message = choice.get("message") if type(choice) is dict else None
        if type(message) is not dict or type(message.get("content")) is not str or "parsed" in message:
            return None
        refusal = message.get("refusal")
        if refusal is not None and truthy(refusal):     # (its Answer is the refusal's text: ChatCompletion.answer)
            return None
    for key in body:
        if key.lower() in _CHAT_NOTES:
            return None
    return _LINE_SLOT


def output_text(result: Any, natives: list[Any] | None = None, lines: list[str | None] | None = None) -> str | None:
    """The items' PSTypeNames (tab-separated, '' for none), a newline, then the items as a JSON array;
    ConvertFrom-PSOpenAIBridgeOutput in the module reads it. Binary content stays one byte[] object. The
    .NET objects the items hold are appended to `natives` (which must be given for items that have any)."""
    if result is None:
        return None
    single = isinstance(result, (ApiObject, dict, str, bytes, bytearray, memoryview)) or not hasattr(result, "__iter__")
    items = [result] if single else list(result)
    if not items:
        return None
    held: list[Any] = [] if natives is None else natives
    if lines is not None and any(lines):
        return _with_lines(items, lines, held)
    slots, values = zip(*(_item(item, held) for item in items))
    if held and natives is None:
        raise TypeError("output_text: these items hold .NET objects; pass `natives`")
    names = "\t".join(slots)
    # ASCII with \u escapes: every string crosses, a lone surrogate included (pythonnet could not convert
    # one to .NET text); PowerShell's JSON reader makes that one U+FFFD, as ConvertFrom-Json would.
    return names + "\n" + json.dumps(values, ensure_ascii=True, separators=(",", ":"),
                                      default=_json_default)


def _with_lines(items: list[Any], lines: list[str | None], natives: list[Any]) -> str:
    """output_text of items made from lines of a file (lines[i]: the text item i was read from, or None): a
    line _line_slot takes goes as it is; the others as output_text writes them."""
    slots, parts = [], []
    for item, line in zip(items, lines):
        slot = _line_slot(item) if line is not None else None
        if slot is None:
            slot, value = _item(item, natives)
            line = json.dumps(value, ensure_ascii=True, separators=(",", ":"), default=_json_default)
        slots.append(slot)
        parts.append(line)
    return "\t".join(slots) + "\n[" + ",".join(parts) + "]"
