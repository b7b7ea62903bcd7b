"""API objects: the JSON the API returned, read as attributes or keys, timestamps as aware datetimes."""
from __future__ import annotations

import copy
import dataclasses
import enum
import json
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any, Callable, Iterator

from .answers import chat_answer_values
from .errors import InvalidResponseError


class JsonObject(Mapping):
    """Read-only view of a JSON object: `o.request_counts.total` and `o["request_counts"]["total"]` alike.

    A subclass declares the API's fields as annotations without values (`status: str`): they are what the
    typed stub (cmdlets/__init__.pyi, psbridge/stubs.py) shows, and a declared field that may be None reads
    as None when the API left it out."""
    __slots__ = ("raw",)
    timestamp_fields: frozenset[str] = frozenset()
    # What PSOpenAI turns into [datetime] in PowerShell (a non-zero number only), in the order it does so:
    # each one it converts moves after the others (Add-Member -Force), which scripts see in
    # Select-Object * and Export-Csv. Python reads every timestamp_fields key as a datetime.
    ps_timestamp_fields: tuple[str, ...] = ()
    # Keys whose object value is read as a typed object: key -> a function of the raw dict (a JsonObject
    # class, or one that picks the class). See typed_members for the walk the bridge does with it.
    member_types: Mapping[str, Callable[[dict], "JsonObject"]] = {}

    def __init__(self, raw: dict[str, Any]):
        object.__setattr__(self, "raw", raw)

    def __getitem__(self, key: str) -> Any:
        value = self.raw[key]
        if key in self.timestamp_fields and isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                return datetime.fromtimestamp(value, tz=timezone.utc)
            except (OverflowError, ValueError, OSError):    # no date a datetime holds: the number as it is
                return value
        if isinstance(value, dict) and key in self.member_types:
            return self.member_types[key](value)
        return _wrap(value)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "raw":     # (copy/pickle probe these before `raw` is set)
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            if name in optional_fields(type(self)):
                return None
            raise AttributeError(f"{type(self).__name__!s} has no field {name!r}") from None

    def __reduce__(self):
        """Pickled as its JSON (multiprocessing returns objects from workers this way)."""
        return type(self), (self.raw,)

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
        """The JSON exactly as received (unix timestamps stay integers), as a copy of its own to change."""
        return copy.deepcopy(self.raw)     # (the object is read-only: a change to what it returned must not reach it)

    def to_json(self, *, indent: int | None = 2) -> str:
        """The JSON as received, as text (openai-python's to_json): `json.dumps(obj)` refuses a mapping that is
        not a dict, so this (or json.dumps(obj.to_dict())) is how a result is written out. Objects read as a
        type (Structured Outputs' `parsed`: a dataclass, a pydantic model) are written as their fields."""
        return json.dumps(self.raw, indent=indent, ensure_ascii=False, default=_json_default)

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={self.raw[k]!r}" for k in ("id", "status") if k in self.raw)
        return f"{type(self).__name__}({shown or repr(self.raw)})"     # (`!r` would quote `shown` too)


_optional_fields: dict[type, frozenset[str]] = {}


def declared_fields(cls: type) -> dict[str, str]:
    """The API fields a class declares (annotations without a class value), base classes' first:
    name -> annotation text."""
    fields: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        for name, annotation in vars(klass).get("__annotations__", {}).items():
            if not hasattr(cls, name):
                fields[name] = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", str(annotation))
    return fields


def optional_fields(cls: type) -> frozenset[str]:
    found = _optional_fields.get(cls)
    if found is None:
        found = _optional_fields[cls] = frozenset(
            name for name, annotation in declared_fields(cls).items() if "None" in annotation)
    return found


class ApiObject(JsonObject):
    """An API object; `ps_type_name` is what PowerShell shows as its first PSTypeName."""
    __slots__ = ()
    ps_type_name = "PSOpenAI.Object"
    noun = "object"
    # Text fields every answer of this kind has; from_api refuses one without them rather than let a
    # cmdlet trip over the gap later (or invent an object from a string).
    required: tuple[str, ...] = ()

    @classmethod
    def from_api(cls, raw: Any, *, target: Any = None):
        """The object for a JSON value the API sent as one of these: an InvalidResponseError, naming what
        is wrong, when it is not a JSON object or lacks a required field."""
        if not isinstance(raw, dict):
            raise InvalidResponseError(
                f"The API sent {_json_kind(raw)} where a {cls.noun} object was expected: {_shown(raw)}.", target=target)
        missing = [name for name in cls.required if not isinstance(raw.get(name), str) or not raw[name]]
        if missing:
            fields = " and ".join(repr(name) for name in missing)
            raise InvalidResponseError(
                f"The API sent a {cls.noun} without {fields}: {_shown(raw)}.", target=target)
        return cls(raw)

    def ps_note_properties(self) -> dict[str, Any]:
        """Properties PowerShell adds after the JSON ones (PSOpenAI's Add-Member), name -> JSON-ready value."""
        return {}

    # (path, shape): parts that PowerShell holds as PSOpenAI builds them rather than as its JSON reader
    # reads them. "ordered": each object in the list there is an OrderedDictionary ([ordered]@{...});
    # "single[]:name": that property of each object in the list, a list of numbers, is [float[]] (embeddings);
    # "int32": the whole numbers among that object's properties are [int] (PSOpenAI's [int] parameters);
    # "type:Name": each object in the list there has the PSTypeName Name (a History's messages).
    ps_shapes: tuple[tuple[tuple[str, ...], str], ...] = ()

    def ps_natives(self) -> list[tuple[tuple[str, ...], Any]]:
        """(path, value): values PowerShell gets as the .NET objects they are, not through JSON (a list's
        items named by index: ("choices", "0", "message", "parsed"))."""
        return []


class Batch(ApiObject):
    """A batch: its status, files, request counts and timestamps (aware datetimes)."""
    __slots__ = ()
    id: str
    object: str
    endpoint: str
    model: str | None
    errors: JsonObject | None
    input_file_id: str
    completion_window: str
    status: str
    output_file_id: str | None
    error_file_id: str | None
    created_at: datetime
    in_progress_at: datetime | None
    expires_at: datetime | None
    finalizing_at: datetime | None
    completed_at: datetime | None
    failed_at: datetime | None
    expired_at: datetime | None
    cancelling_at: datetime | None
    cancelled_at: datetime | None
    request_counts: JsonObject | None
    usage: JsonObject | None
    metadata: JsonObject | None
    ps_type_name = "PSOpenAI.Batch"
    noun = "batch"
    required = ("id", "status")
    timestamp_fields = frozenset({"created_at", "in_progress_at", "expires_at", "finalizing_at", "completed_at",
                                  "failed_at", "expired_at", "cancelling_at", "cancelled_at"})
    ps_timestamp_fields = ("created_at", "in_progress_at", "expires_at", "finalizing_at", "started_at", "cancelled_at",
                           "failed_at", "expired_at", "cancelling_at", "completed_at")


class File(ApiObject):
    """An uploaded file."""
    __slots__ = ()
    id: str
    object: str
    bytes: int
    created_at: datetime
    expires_at: datetime | None
    filename: str
    purpose: str
    status: str | None
    status_details: str | None
    ps_type_name = "PSOpenAI.File"
    noun = "file"
    required = ("id",)
    timestamp_fields = frozenset({"created_at", "expires_at"})
    ps_timestamp_fields = ("created_at",)      # PSOpenAI leaves expires_at a number


class ChatCompletion(ApiObject):
    """A chat completion, as PSOpenAI 4.49 types it in a batch's output: `created` as a datetime, then the
    notes Message, Answer and History. A batch output has no request messages beside it, so Message is
    null and History empty there (Request-ChatCompletion's result fills both: ChatCompletionResult)."""
    __slots__ = ()
    id: str
    object: str
    created: datetime
    model: str
    choices: list[JsonObject]
    usage: JsonObject | None
    service_tier: str | None
    system_fingerprint: str | None
    ps_type_name = "PSOpenAI.Chat.Completion"
    timestamp_fields = frozenset({"created"})
    ps_timestamp_fields = ("created",)

    @property
    def answer(self) -> list[Any]:
        """One answer per choice, as PSOpenAI 4.49 reads them (ParseChatCompletionObject): a refusal's text, else
        the content (an audio reply's transcript when it has none), null as ''. Read as a type (Structured
        Outputs: Get-BatchOutput -OutputType), each message's `parsed` object instead."""
        values = iter(chat_answer_values(self.raw))
        answers: list[Any] = []
        for choice in _list(self.raw.get("choices")):
            if not isinstance(choice, dict):
                continue        # (chat_answer_values skips it too)
            message = choice.get("message")
            parsed = message.get("parsed") if isinstance(message, dict) else None
            value = next(values)[0]
            if parsed is not None:
                answers.append(parsed)
            elif isinstance(value, list):       # ($Answer += an array adds its items)
                answers.extend(_ps_string(v) for v in value)
            else:
                answers.append(_ps_string(value))
        return answers

    def ps_note_properties(self) -> dict[str, Any]:
        return {"Message": None, "Answer": self.answer, "History": []}

    def ps_natives(self) -> list[tuple[tuple[str, ...], Any]]:
        """The objects read as a type (Structured Outputs): each message's `parsed`, and the same in Answer."""
        found = [(str(i), c["message"]["parsed"]) for i, c in enumerate(_list(self.raw.get("choices")))
                 if isinstance(c, dict) and isinstance(c.get("message"), dict) and _read_as_type(c["message"].get("parsed"))]
        return [*((("choices", i, "message", "parsed"), v) for i, v in found), *((("Answer", i), v) for i, v in found)]


class TextCompletion(ApiObject):
    """A (legacy) text completion: `created` a datetime, then the notes Prompt and Answer, as PSOpenAI types
    Request-TextCompletion's result. In a batch's output there is no prompt beside it: Prompt is null."""
    __slots__ = ()
    id: str
    object: str
    created: datetime
    model: str
    choices: list[JsonObject]
    usage: JsonObject | None
    system_fingerprint: str | None
    ps_type_name = "PSOpenAI.Text.Completion"
    timestamp_fields = frozenset({"created"})
    ps_timestamp_fields = ("created",)

    @property
    def answer(self) -> list[str]:
        choices = self.raw.get("choices")
        return [c.get("text") or "" for c in choices if isinstance(c, Mapping)] if isinstance(choices, list) else []

    def ps_note_properties(self) -> dict[str, Any]:
        return {"Prompt": None, "Answer": self.answer}


class Response(ApiObject):
    """A Responses-API response, as PSOpenAI 4.49 types it (ParseResponseObject): `created_at` a datetime, then the
    notes LastUserMessage, output_text (the text of every output_text part of every message, joined),
    StructuredOutputs and History. A batch's output has no request beside it: LastUserMessage null, History
    empty (Request-Response's result fills both: cmdlets.responses.request_response.ResponseResult)."""
    __slots__ = ()
    id: str
    object: str
    created_at: datetime
    status: str
    model: str
    output: list[JsonObject]
    usage: JsonObject | None
    error: JsonObject | None
    incomplete_details: JsonObject | None
    previous_response_id: str | None
    ps_type_name = "PSOpenAI.Response"
    timestamp_fields = frozenset({"created_at"})
    ps_timestamp_fields = ("created_at",)

    @property
    def output_text(self) -> str:
        return "".join(part["text"] for _, _, part in output_text_parts(self.raw))

    @property
    def last_user_message(self) -> str | None:
        return None

    @property
    def history(self) -> list[Any]:
        return []

    def warnings(self) -> list[str]:
        """PSOpenAI's warnings for this response: each refusal, an incomplete or a failed status."""
        out = [f'The model refuses to respond. Refusal message: "{part.get("refusal")}"'
               for item in _list(self.raw.get("output")) if isinstance(item, dict)
               for part in _list(item.get("content")) if isinstance(part, dict) and part.get("type") == "refusal"]
        status = self.raw.get("status")
        details, error = self.raw.get("incomplete_details"), self.raw.get("error")
        if status == "incomplete":
            out.append(f'The status of response is "incomplete". Details: "{_get(details, "reason")}"')
        elif status == "failed":
            out.append(f'The status of response is "failed". Error: "{_get(error, "message")}" ({_get(error, "code")})')
        return out

    @property
    def structured_outputs(self) -> list[Any]:
        """With Structured Outputs from a type: each output text read as the type (its part's `parsed`)."""
        return [value for _, value in self._parsed_parts()]

    def _parsed_parts(self) -> list[tuple[tuple[str, ...], Any]]:
        return [(("output", str(i), "content", str(j), "parsed"), part["parsed"])
                for i, j, part in output_text_parts(self.raw) if part.get("parsed") is not None]

    def ps_note_properties(self) -> dict[str, Any]:
        return {"LastUserMessage": self.last_user_message, "output_text": self.output_text,
                "StructuredOutputs": self.structured_outputs, "History": self.history}

    def ps_natives(self) -> list[tuple[tuple[str, ...], Any]]:
        """The objects read as a type, which cross to PowerShell as the .NET objects they are: in the output
        and in StructuredOutputs."""
        typed = [(k, path, v) for k, (path, v) in enumerate(self._parsed_parts()) if _read_as_type(v)]
        return [*((path, v) for _, path, v in typed), *((("StructuredOutputs", str(k)), v) for k, _, v in typed)]


def output_text_parts(raw: Mapping[str, Any]) -> Iterator[tuple[int, int, dict[str, Any]]]:
    """A response's answer texts: (output index, content index, part) of each output_text part of its messages."""
    for i, item in enumerate(_list(raw.get("output"))):
        if isinstance(item, dict) and item.get("type") == "message":
            for j, part in enumerate(_list(item.get("content"))):
                if isinstance(part, dict) and part.get("type") == "output_text" and isinstance(part.get("text"), str):
                    yield i, j, part


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _get(value: Any, key: str) -> str:
    found = value.get(key) if isinstance(value, dict) else None
    return "" if found is None else str(found)


class Embeddings(ApiObject):
    """The API's list of embeddings, untyped as PSOpenAI returns it; in PowerShell each float vector a [float[]]."""
    __slots__ = ()
    object: str
    data: list[JsonObject]
    model: str
    usage: JsonObject | None
    ps_type_name = ""
    ps_shapes = ((("data",), "single[]:embedding"),)


def _is_embeddings(raw: dict) -> bool:
    data = raw.get("data")
    return raw.get("object") == "list" and isinstance(data, list) and bool(data) and \
        all(isinstance(d, dict) and d.get("object") == "embedding" for d in data)


def _read_as_type(value: Any) -> bool:
    """Whether a `parsed` value is an object Structured Outputs read as a type (in pwsh a .NET object, which
    crosses as itself), not JSON data: a file of outputs may hold a `parsed` of its own, which goes as JSON."""
    return value is not None and not isinstance(value, (dict, list, str, int, float, bool))


def _holds_parsed(body: dict) -> bool:
    """Whether a chat completion's or a response's answers were read as a type (their `parsed`)."""
    for choice in _list(body.get("choices")):
        if isinstance(choice, dict) and isinstance(choice.get("message"), dict) and "parsed" in choice["message"]:
            return True
    return any("parsed" in part for _, _, part in output_text_parts(body))


def typed_body(raw: dict) -> JsonObject:
    """A batch output's response body, typed by its kind: a chat completion and a response as PSOpenAI types
    them; text completions and embeddings as this port's Request-TextCompletion and Request-Embeddings give them."""
    cls = BODY_TYPES.get(raw.get("object"))
    if cls is None and _is_embeddings(raw):
        cls = Embeddings
    return cls(raw) if cls else JsonObject(raw)


class BatchResponse(JsonObject):
    """The `response` of a batch output line: {status_code, request_id, body}. The body is a ChatCompletion,
    TextCompletion or Embeddings when it is one of those (isinstance tells), else a plain JsonObject."""
    __slots__ = ()
    status_code: int
    request_id: str | None
    body: JsonObject
    member_types = {"body": typed_body}


class BatchOutput(ApiObject):
    """One line of a batch's output file: {id, custom_id, response: {status_code, request_id, body}, error}."""
    __slots__ = ()
    id: str
    custom_id: str
    response: BatchResponse | None
    error: JsonObject | None
    ps_type_name = "PSOpenAI.Batch.Output"
    member_types = {"response": BatchResponse}

    def ps_natives(self) -> list[tuple[tuple[str, ...], Any]]:
        """Its body's objects read as a type (Get-BatchOutput -OutputType); none otherwise (looked for only
        when a body holds one, so a plain output line costs a few dict reads)."""
        response = self.raw.get("response")
        body = response.get("body") if type(response) is dict else None
        if type(body) is not dict or not _holds_parsed(body):
            return []
        typed = typed_body(body)
        natives = getattr(typed, "ps_natives", None)
        return [(("response", "body", *path), value) for path, value in natives()] if natives is not None else []


class BatchRequestItem(ApiObject):
    """One request of a batch, as the Request-* cmdlets' -AsBatch (as_batch=True) make it."""
    __slots__ = ()
    custom_id: str
    method: str
    url: str
    body: JsonObject
    ps_type_name = "PSOpenAI.Batch.Input"


class BatchRequest(BatchRequestItem):
    """One line of a batch's input file, typed as PSOpenAI's request items (so it goes back into Start-Batch);
    Get-BatchRequest -IncludeOutput adds `output`, its result line or None."""
    __slots__ = ()
    output: BatchOutput | None
    member_types = {"output": BatchOutput}


# The body kinds Get-BatchOutput types by `object` (PSOpenAI types `chat.completion` and `response` only);
# embeddings lists are recognised by their items (typed_body).
BODY_TYPES: dict[str, type[ApiObject]] = {"chat.completion": ChatCompletion, "text_completion": TextCompletion,
                                          "response": Response}

# The API's `object` field names the kind; pipeline binding by type name uses the same table.
OBJECT_TYPES: dict[str, type[ApiObject]] = {"batch": Batch, "file": File, "chat.completion": ChatCompletion}

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


def typed_members(obj: JsonObject, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], ApiObject]]:
    """Every typed object inside `obj` (not obj itself), outermost first, as (key path, object): for a
    BatchOutput of a chat completion, (("response", "body"), ChatCompletion). What PowerShell must see
    typed there: the PSTypeName, timestamp_fields as local datetimes, and ps_note_properties()."""
    for key in obj.member_types:
        if isinstance(obj.raw.get(key), dict):
            child = obj[key]
            if isinstance(child, ApiObject):
                yield path + (key,), child
            yield from typed_members(child, path + (key,))


def to_plain(value: Any) -> Any:
    """JSON-ready copy of what a caller handed in: API objects back to their JSON, mappings to dicts."""
    if isinstance(value, JsonObject):
        return value.raw
    if isinstance(value, Mapping):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    return value


def _json_default(value: Any) -> Any:
    """json.dumps' fallback for what a JSON object may hold besides JSON: API objects, and the objects
    Structured Outputs read a text as (a dataclass, a pydantic model, a TypedDict is a dict already)."""
    if isinstance(value, JsonObject):
        return value.raw
    if isinstance(value, datetime):
        return value.isoformat()
    dump = getattr(value, "model_dump", None)     # pydantic 2
    if callable(dump):
        return dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, enum.Enum):
        return value.name       # as the schema sent for it names its members (core/structured.py)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _wrap(value: Any) -> Any:
    if isinstance(value, dict):
        return JsonObject(value)
    if isinstance(value, list):
        return [_wrap(v) for v in value]
    return value


def _member(value: Any, name: str) -> list[Any]:
    """PowerShell's member enumeration, `$value.name`: the property of each item that has it (a mapping
    with that key), collections in the result flattened one level."""
    items = value if isinstance(value, list) else [] if value is None else [value]
    out: list[Any] = []
    for item in items:
        if isinstance(item, dict) and name in item:
            found = item[name]
            out.extend(found) if isinstance(found, list) else out.append(found)
    return out


def _ps_string(value: Any) -> str:
    """A JSON value as PowerShell's [string] conversion writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dict):     # a PSCustomObject: @{name=value; ...}
        return "@{" + "; ".join(f"{k}={_ps_string(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return " ".join(_ps_string(v) for v in value)
    return str(value)


def _json_kind(value: Any) -> str:
    """What a JSON value is, in words: 'a string', 'a list', 'null'..."""
    if value is None:
        return "null"
    kind = {str: "a string", bool: "a boolean", int: "a number", float: "a number", list: "a list",
            dict: "an object"}.get(type(value))
    return kind or f"a {type(value).__name__}"


def _shown(value: Any, limit: int = 120) -> str:
    """A JSON value as a message shows it: compact, cut short."""
    try:
        text = json.dumps(value, ensure_ascii=True, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"
