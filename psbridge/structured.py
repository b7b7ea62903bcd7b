"""Structured Outputs with a .NET type (a PowerShell class, as PSOpenAI's `-ResponseFormat ([MyClass])`): the
type's public properties described to cmdlets.core.structured's SchemaWriter by reflection, and the answer
read into an instance by Newtonsoft.Json, which pwsh itself ships (PSOpenAI reads it the same way)."""
from __future__ import annotations

from typing import Any

import clr

from System import Boolean, Char, DateTime, DateTimeOffset, Decimal, Double, Enum, Guid, Nullable, Object, Single, \
    String, TimeSpan, Type, Uri
from System import Byte, Int16, Int32, Int64, SByte, UInt16, UInt32, UInt64
from System.Collections import IDictionary, IEnumerable
from System.Management.Automation import HiddenAttribute, PSObject
from System.Reflection import BindingFlags

from cmdlets.core.errors import ParameterBindingError
from cmdlets.core.structured import FORMAT_HINTS, SchemaWriter, StructuredType, nullable

clr.AddReference("Newtonsoft.Json")
from Newtonsoft.Json import JsonConvert  # noqa: E402

_INTEGERS = {clr.GetClrType(t).FullName for t in (Byte, SByte, Int16, Int32, Int64, UInt16, UInt32, UInt64)}
_NUMBERS = {clr.GetClrType(t).FullName for t in (Single, Double, Decimal)}
_TEXT = {clr.GetClrType(t).FullName for t in (String, Char, Guid, Uri, TimeSpan)}
_DATES = {clr.GetClrType(t).FullName for t in (DateTime, DateTimeOffset)}
_BOOLEAN = clr.GetClrType(Boolean).FullName
_UNTYPED = {clr.GetClrType(t).FullName for t in (Object, PSObject)}
_PUBLIC = BindingFlags.Public | BindingFlags.Instance
_ENUMERABLE_T = "System.Collections.Generic.IEnumerable`1"


def dotnet_structured_type(value: Any) -> StructuredType | None:
    """The StructuredType of a .NET type; None when `value` is not one."""
    if not isinstance(value, Type):
        return None
    writer = SchemaWriter()
    schema = writer.finish(_schema(value, writer))
    return StructuredType(value.Name, schema, lambda text: JsonConvert.DeserializeObject(text, value), value)


def _schema(t: Type, writer: SchemaWriter) -> dict[str, Any]:
    underlying = Nullable.GetUnderlyingType(t)
    if underlying is not None:
        return nullable(_schema(underlying, writer))
    name = t.FullName
    if t.IsEnum:
        return {"type": "string", "enum": list(Enum.GetNames(t))}
    if name == _BOOLEAN:
        return {"type": "boolean"}
    if name in _INTEGERS:
        return {"type": "integer"}
    if name in _NUMBERS:
        return {"type": "number"}
    if name in _TEXT:
        return {"type": "string"}
    if name in _DATES:
        return {"type": "string", "description": FORMAT_HINTS["date-time"]}
    if t.IsArray:
        return {"type": "array", "items": _schema(t.GetElementType(), writer)}
    if clr.GetClrType(IDictionary).IsAssignableFrom(t) or name in _UNTYPED:
        raise ParameterBindingError(f"Structured Outputs cannot describe the type [{t.FullName}] (a dictionary or "
                                    "untyped object): give its properties types, or a class.")
    if clr.GetClrType(IEnumerable).IsAssignableFrom(t):
        item = next((i.GetGenericArguments()[0] for i in t.GetInterfaces()
                     if i.IsGenericType and i.GetGenericTypeDefinition().FullName == _ENUMERABLE_T), None)
        if item is None:
            raise ParameterBindingError(f"Structured Outputs cannot describe the untyped list [{t.FullName}]: use a "
                                        "typed array such as [string[]].")
        return {"type": "array", "items": _schema(item, writer)}
    if t.IsPrimitive or t.IsPointer or t.IsInterface or t.IsAbstract or t.IsGenericTypeDefinition:
        raise ParameterBindingError(f"Structured Outputs cannot describe the type [{t.FullName}].")
    return writer.object_ref(t.Name, t.AssemblyQualifiedName, lambda: _properties(t, writer))


def _properties(t: Type, writer: SchemaWriter) -> list[tuple[str, dict[str, Any]]]:
    """The public settable properties and fields, in declaration order; `hidden` ones (PowerShell) left out."""
    hidden = clr.GetClrType(HiddenAttribute)
    members = [(p.Name, p.PropertyType) for p in t.GetProperties(_PUBLIC)
               if p.CanRead and p.CanWrite and p.GetIndexParameters().Length == 0 and not p.IsDefined(hidden, True)]
    members += [(f.Name, f.FieldType) for f in t.GetFields(_PUBLIC)
                if not f.IsInitOnly and not f.IsDefined(hidden, True)]
    if not members:
        raise ParameterBindingError(f"Structured Outputs cannot describe the type [{t.FullName}]: it has no public "
                                    "settable properties.")
    return [(name, _schema(kind, writer)) for name, kind in members]

