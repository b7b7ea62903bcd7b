"""Structured Outputs with a type: the JSON schema the API is asked to follow, made from the type, and the
answer read back as an instance of it (PSOpenAI 4.49's `-ResponseFormat ([MyClass])`, openai-python's
`response_format=MyModel`).

The schema is the strict subset the API accepts: every object lists all its properties as required and
allows no others; named classes go in `$defs` (so a class may contain itself). A type is described to
SchemaWriter by a walker: the Python one here (dataclasses, enums, Literal, list, Optional, TypedDict;
pydantic models bring their own schema), the .NET one in psbridge (a PowerShell class or any .NET type).
"""
from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from typing import Any

from .answers import chat_answers
from .errors import InvalidResponseError, ParameterBindingError
from .objects import output_text_parts

# What a string property holding a date or time is asked to look like: a format keyword is not accepted in
# a strict schema, a description is (PSOpenAI does the same).
FORMAT_HINTS = {
    "date-time": 'A date and time, as in "2018-11-13T08:20:39".',
    "date": 'A date as YYYY-MM-DD.',
    "time": 'A time as hh:mm:ss.',
}


class StructuredType:
    """A type the answer is read as: its schema name, the strict schema and a parser of the answer's text."""
    __slots__ = ("name", "schema", "parse", "type")

    def __init__(self, name: str, schema: dict[str, Any], parse: Callable[[str], Any], type: Any):
        self.name, self.schema, self.parse, self.type = name, schema, parse, type

    def response_format(self) -> dict[str, Any]:
        """Chat Completions' response_format for it, as PSOpenAI sends it."""
        return {"type": "json_schema", "json_schema": {"name": self.name, "strict": True, "schema": self.schema}}


class SchemaWriter:
    """Builds one schema; `defs` collects the named object types met on the way."""

    def __init__(self):
        self.defs: dict[str, dict[str, Any]] = {}
        self._owners: dict[str, Any] = {}

    def object_ref(self, name: str, owner: Any, properties: Callable[[], list[tuple[str, dict[str, Any]]]]
                   ) -> dict[str, Any]:
        """A $ref to the object type `name`, built once (`properties`: (name, schema) in order)."""
        if self._owners.get(name, owner) is not owner:      # two types of one name: keep both apart
            name = f"{name}{len(self._owners)}"
        if name not in self._owners:
            self._owners[name] = owner
            self.defs[name] = {}        # a placeholder first: a type that holds itself refers to it
            self.defs[name] = strict_object(properties())
        return {"$ref": f"#/$defs/{name}"}

    def finish(self, root: dict[str, Any]) -> dict[str, Any]:
        """The whole schema: the root object inline (the API wants an object there), the rest in $defs."""
        if "$ref" in root:
            name = root["$ref"].rsplit("/", 1)[1]
            # inline; a class that some part of it refers back to stays in $defs too (for those refs)
            root = self.defs[name]
            if f'"#/$defs/{name}"' not in json.dumps(self.defs):
                del self.defs[name]
        if root.get("type") != "object":
            raise ParameterBindingError("A type for Structured Outputs must be a class (an object with properties), "
                                        "not a list or a single value.")
        return {**root, "$defs": self.defs} if self.defs else root


def strict_object(properties: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    return {"type": "object", "properties": dict(properties), "required": [n for n, _ in properties],
            "additionalProperties": False}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    kind = schema.get("type")
    if isinstance(kind, str):
        return {**schema, "type": [kind, "null"]}
    return schema


# --- Python types ---------------------------------------------------------------------------------

def python_structured_type(tp: Any) -> StructuredType | None:
    """A dataclass, TypedDict or pydantic model (anything with model_json_schema and
    model_validate_json) as a StructuredType; None for anything else."""
    if not isinstance(tp, type):
        return None
    if hasattr(tp, "model_json_schema") and hasattr(tp, "model_validate_json"):
        return StructuredType(tp.__name__, _pydantic_strict(tp.model_json_schema()), tp.model_validate_json, tp)
    if not (dataclasses.is_dataclass(tp) or _is_typed_dict(tp)):
        return None
    writer = SchemaWriter()
    schema = writer.finish(_python_schema(tp, writer))
    return StructuredType(tp.__name__, schema, lambda text: _python_value(json.loads(text), tp), tp)


_UNIONS = (typing.Union, getattr(types, "UnionType", typing.Union))    # (int | None: Python 3.10+)


def _is_typed_dict(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, dict) and hasattr(tp, "__annotations__") \
        and hasattr(tp, "__total__")


def _fields(tp: type) -> list[tuple[str, Any]]:
    hints = typing.get_type_hints(tp, localns={tp.__name__: tp})     # (a class may name itself)
    if dataclasses.is_dataclass(tp):
        return [(f.name, hints.get(f.name, f.type)) for f in dataclasses.fields(tp)]
    return list(hints.items())


def _python_schema(tp: Any, writer: SchemaWriter) -> dict[str, Any]:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in _UNIONS:
        kept = [a for a in args if a is not type(None)]
        if len(kept) != 1:
            raise ParameterBindingError(f"Structured Outputs cannot describe the union {tp!r}; use one type "
                                        "(or Optional of one).")
        inner = _python_schema(kept[0], writer)
        return nullable(inner) if len(kept) < len(args) else inner
    if origin is typing.Literal:
        return {"type": _json_kind(args[0]), "enum": list(args)}
    if origin in (list, tuple, set, frozenset) or tp in (list, tuple, set, frozenset):
        return {"type": "array", "items": _python_schema(args[0] if args else str, writer)}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return {"type": "string", "enum": [m.name for m in tp]}
    simple = {str: "string", bool: "boolean", int: "integer", float: "number"}
    if tp in simple:
        return {"type": simple[tp]}
    for kind, hint in ((datetime, "date-time"), (date, "date"), (time, "time")):
        if tp is kind:
            return {"type": "string", "description": FORMAT_HINTS[hint]}
    if isinstance(tp, type) and (dataclasses.is_dataclass(tp) or _is_typed_dict(tp)):
        return writer.object_ref(tp.__name__, tp, lambda: [(n, _python_schema(t, writer)) for n, t in _fields(tp)])
    raise ParameterBindingError(f"Structured Outputs cannot describe the type {getattr(tp, '__name__', tp)!r}: use "
                                "str, int, float, bool, an Enum, Literal, a list, Optional, a dataclass or a TypedDict.")


def _json_kind(value: Any) -> str:
    return "boolean" if isinstance(value, bool) else "integer" if isinstance(value, int) else \
        "number" if isinstance(value, float) else "string"


def _python_value(value: Any, tp: Any) -> Any:
    """The answer's JSON value as `tp` (the schema made sure of its shape; what it cannot check, a date's
    text, is read here)."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if value is None:
        return None
    if origin in _UNIONS:
        return _python_value(value, next(a for a in args if a is not type(None)))
    if origin in (list, tuple, set, frozenset) or tp in (list, tuple, set, frozenset):
        items = [_python_value(v, args[0] if args else str) for v in value]
        return (origin or tp)(items) if (origin or tp) is not list else items
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp[value]
    if tp is datetime:
        return datetime.fromisoformat(value)
    if tp is date:
        return date.fromisoformat(value)
    if tp is time:
        return time.fromisoformat(value)
    if tp is float and isinstance(value, int):
        return float(value)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return tp(**{n: _python_value(value.get(n), t) for n, t in _fields(tp)})
    if _is_typed_dict(tp):
        return {n: _python_value(value.get(n), t) for n, t in _fields(tp)}
    return value


_NAMED_SCHEMAS = ("properties", "$defs", "definitions", "patternProperties")     # {name: schema}


def _pydantic_strict(schema: Mapping[str, Any]) -> dict[str, Any]:
    """A pydantic model's schema made strict: every object requires all its properties and allows no others.
    The `title` and `default` keywords go; properties and definitions of those names stay."""
    def visit(node: Any) -> Any:
        if isinstance(node, dict):
            node = {k: {n: visit(s) for n, s in v.items()} if k in _NAMED_SCHEMAS and isinstance(v, dict)
                    else visit(v) for k, v in node.items() if k not in ("title", "default")}
            if node.get("type") == "object" and isinstance(node.get("properties"), dict):
                node["required"] = list(node["properties"])
                node["additionalProperties"] = False
            return node
        if isinstance(node, list):
            return [visit(v) for v in node]
        return node
    return visit(dict(schema))


def structured_type(value: Any, host: Any) -> StructuredType | None:
    """`value` as a StructuredType: a type the host knows (pwsh: a .NET type), else a Python one; None
    when it is neither (a format name, say)."""
    of_host = getattr(host, "structured_type", None)
    return (of_host(value) if of_host is not None else None) or python_structured_type(value)


# --- answers read as the type --------------------------------------------------------------------

def read_answers(raw: dict[str, Any], structured: StructuredType, host: Any) -> None:
    """Reads the answer texts of a chat completion or a response as the type, each set beside its text as
    `parsed` (a chat choice's message.parsed; a response's output_text part's parsed), as PSOpenAI reads them:
    a choice answered otherwise (a refusal, a reply cut short, audio) is left alone; a text that is not the
    type is an error reported for it (pwsh: written; the other answers are still read)."""
    if raw.get("object") == "chat.completion":
        for choice, (_, warning) in zip(raw.get("choices") or (), chat_answers(raw)):
            message = choice.get("message") if isinstance(choice, dict) else None
            if warning is None and isinstance(message, dict) and isinstance(message.get("content"), str):
                _read_into(message, message["content"], structured, host)
    elif raw.get("object") == "response":
        for _, _, part in output_text_parts(raw):
            _read_into(part, part["text"], structured, host)


def _read_into(holder: dict[str, Any], text: str, structured: StructuredType, host: Any) -> None:
    try:
        value = structured.parse(text)
    except Exception as e:      # the parser's own error (JSON, a missing field...), said in one line
        host.write_error(InvalidResponseError(
            f"The answer could not be read as {structured.name}: {str(e).splitlines()[0] if str(e) else type(e).__name__}",
            target=text))
        return
    if value is not None:
        holder["parsed"] = value
