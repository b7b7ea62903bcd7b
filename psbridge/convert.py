"""PowerShell -> Python: the values the generated functions pass, as the cmdlets take them (PSCustomObject ->
dict or the ApiObject its PSTypeName names, hashtable -> dict, collection -> list, datetime -> aware datetime,
SecureString -> Secret), and the per-type converters of parameter values."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from typing import Any

from System import Array, DateTime, Object, String
from System.Collections import IDictionary, IEnumerable
from System.Management.Automation import PSCustomObject, PSObject, SwitchParameter
from System.Security import SecureString

from cmdlets.core.errors import OpenAIError
from cmdlets.core.objects import OBJECT_TYPES
from cmdlets.core.secrets import Secret

from .dotnet import SAME_OBJECT, NetworkCredential, script_block

_API_CLASSES = {cls.ps_type_name: cls for cls in OBJECT_TYPES.values()}
_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _reveal_secure_string(value) -> Secret:
    # Decrypted only when a request needs it, for that request.
    return Secret(lambda: NetworkCredential("", value).Password)


def _unwrap(value: Any) -> Any:
    # type() identity first: isinstance against a .NET type costs pythonnet a couple of microseconds.
    if type(value) is PSObject and not isinstance(value.BaseObject, PSCustomObject):
        return value.BaseObject
    return value


# A .NET string holding a lone surrogate ('ab😀'.Substring(0, 3), text cut in the middle of an emoji) cannot
# cross pythonnet's string conversion (strict UTF-16 decoding: UnicodeDecodeError). Such a value is converted
# again from a copy whose text has U+FFFD there, as PSOpenAI's request bodies have it (ConvertTo-Json, then
# UTF-8 encoding). Run only after a conversion failed, so well-formed values cost nothing.
_WELL_FORMED = r"""
param($Value)
$fix = {
    param($v, [int]$depth)
    if ($null -eq $v -or $depth -gt 200) { return , $v }
    $base = $v.PSObject.BaseObject
    if ($base -is [string]) { return , [Text.Encoding]::UTF8.GetString([Text.Encoding]::UTF8.GetBytes($base)) }
    if ($base -is [System.Management.Automation.PSCustomObject]) {
        $copy = [pscustomobject]@{}
        $copy.PSObject.TypeNames.Clear()
        foreach ($t in $v.PSObject.TypeNames) { $copy.PSObject.TypeNames.Add((& $fix $t 0)) }
        foreach ($p in $v.PSObject.Properties) {
            $copy.PSObject.Properties.Add([psnoteproperty]::new((& $fix $p.Name 0), (& $fix $p.Value ($depth + 1))))
        }
        return , $copy
    }
    if ($base -is [System.Collections.IDictionary]) {
        $copy = [System.Collections.Specialized.OrderedDictionary]::new()
        foreach ($e in $base.GetEnumerator()) { $copy[[object](& $fix $e.Key 0)] = & $fix $e.Value ($depth + 1) }
        return , $copy
    }
    if ($base -is [System.Collections.IEnumerable] -and -not ($base -is [array] -and $base.GetType().GetElementType().IsPrimitive)) {
        $list = [System.Collections.Generic.List[object]]::new()
        foreach ($item in $base) { $list.Add((& $fix $item ($depth + 1))) }
        return , $list.ToArray()
    }
    return , $v
}
return , (& $fix $Value 0)
"""


def well_formed(value: Any) -> Any:
    """A .NET value (a string, an object, a dictionary or a list of them, nested) with U+FFFD for each lone
    surrogate in its text: a copy where there is text to change; other values as they are."""
    return _unwrap(script_block(_WELL_FORMED).InvokeReturnAsIs(Array[Object]([value])))


def to_python(value: Any, depth: int = 0) -> Any:
    """A PowerShell value as plain Python: PSCustomObject -> dict (or the ApiObject its PSTypeName names),
    hashtable -> dict, collection -> list, datetime -> aware datetime, SecureString -> Secret. A lone
    surrogate in its text becomes U+FFFD (see _WELL_FORMED)."""
    try:
        return _to_python(value, depth)
    except UnicodeDecodeError:
        return _to_python(well_formed(value), depth)


def _to_python(value: Any, depth: int = 0) -> Any:
    if value is None or isinstance(value, (str, bool, int, float)):
        return value                                    # pythonnet already converted the primitives
    if depth > 64:
        raise OpenAIError("The input object is nested too deeply.")
    if type(value) is PSObject:
        base = value.BaseObject
        if not isinstance(base, PSCustomObject):
            return _to_python(base, depth)
        cls = _API_CLASSES.get(next(iter(value.TypeNames), None))
        if cls is not None:     # an API object: read lazily, as cmdlets read few of its properties
            return cls(_PSObjectProperties(value, cls.timestamp_fields, depth + 1))
        return {p.Name: _to_python(p.Value, depth + 1) for p in value.Properties}
    if isinstance(value, DateTime):
        return datetime.fromtimestamp((value.ToUniversalTime() - DateTime.UnixEpoch).TotalSeconds, timezone.utc)
    if isinstance(value, SwitchParameter):
        return bool(value.IsPresent)
    if isinstance(value, SecureString):
        return _reveal_secure_string(value)
    if isinstance(value, IDictionary):
        # By entry, never value[key]: the key converted to Python (an int) would miss a hashtable's Int32
        # key, and an ordered dictionary's int indexer is positional.
        converted = {}
        entries = value.GetEnumerator()
        while entries.MoveNext():
            converted[_key_text(_to_python(entries.Key, depth + 1))] = _to_python(entries.Value, depth + 1)
        return converted
    if isinstance(value, IEnumerable) and not isinstance(value, String):
        return [_to_python(v, depth + 1) for v in value]
    return value


class _PSObjectProperties(Mapping):
    """A PSCustomObject's properties as a read-only mapping, each converted when first read: a piped batch
    has some twenty properties, nested ones included, and Stop-Batch reads two (id, status). Timestamps
    go back to the unix seconds the API sent (PowerShell shows them as [datetime])."""
    __slots__ = ("_object", "_stamps", "_depth", "_read", "_names")

    def __init__(self, ps_object, timestamp_fields: frozenset[str], depth: int):
        self._object, self._stamps, self._depth = ps_object, timestamp_fields, depth
        self._read: dict[str, Any] = {}
        self._names: list[str] | None = None

    def __getitem__(self, key: str) -> Any:
        try:
            return self._read[key]
        except KeyError:
            pass
        try:
            value = self._value(key)
        except UnicodeDecodeError:      # (a lone surrogate in its text: see _WELL_FORMED)
            self._object, self._names = well_formed(self._object), None
            value = self._value(key)
        if key in self._stamps and isinstance(value, datetime):
            value = int((value - _UNIX_EPOCH).total_seconds())
        self._read[key] = value
        return value

    def _value(self, key: str) -> Any:
        prop = self._object.Properties[key] if isinstance(key, str) else None
        if prop is None or prop.Name != key:
            raise KeyError(key)     # (PowerShell's look-up ignores case; a mapping's does not)
        return _to_python(prop.Value, self._depth)

    def names(self) -> list[str]:
        if self._names is None:
            try:
                self._names = [p.Name for p in self._object.Properties]
            except UnicodeDecodeError:
                self._object = well_formed(self._object)
                self._names = [p.Name for p in self._object.Properties]
        return self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.names())


def _key_text(key: Any) -> str:
    """A dictionary key as a JSON object key: text (1 -> '1', as ConvertTo-Json writes it)."""
    return key if isinstance(key, str) else str(key)


def _nonempty(value: Any) -> Any:
    return value if value != "" else None     # '' is what an unbound [string] / [uri] variable holds


def _switch(value: Any) -> Any:
    return True if value else None            # an absent switch is not an argument


# The SecureString the last call passed and its Secret: a pipeline passes the same one for every item (the
# begin block resolves -ApiKey/$global:/$env: once), so it is decrypted once per pipeline, not per request.
_last_secure: tuple[Any, Secret | None] = (None, None)


def _secret(value: Any) -> Any:
    global _last_secure
    value = _unwrap(value)
    if type(value) is SecureString:
        last, secret = _last_secure
        if last is None or not (last is value or SAME_OBJECT(last, value)):
            secret = Secret.of(NetworkCredential("", value).Password)
            _last_secure = (value, secret)
        return secret
    return Secret.of(value) if isinstance(value, str) and value else None


def _strings(value: Any) -> Any:
    value = _unwrap(value)
    return [value] if isinstance(value, str) else [str(to_python(v)) for v in value]


def _bytes(value: Any) -> Any:
    return bytes(_unwrap(value))


# A parameter's value as its manifest type says (a collecting parameter's: host._collected).
PARAMETER_CONVERTERS = {"String": _nonempty, "String[]": _strings, "SwitchParameter": _switch, "Uri": _nonempty,
                        "SecureString": _secret, "Byte[]": _bytes, "IDictionary": to_python, "Object": to_python}
