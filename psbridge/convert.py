"""PowerShell -> Python: the values the generated functions pass, as the cmdlets take them (PSCustomObject ->
dict or the ApiObject its PSTypeName names, hashtable -> dict, collection -> list, datetime -> aware datetime,
SecureString -> Secret), and the per-type converters of parameter values."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from typing import Any

from System import DateTime, String
from System.Collections import IDictionary, IEnumerable
from System.Management.Automation import PSCustomObject, PSObject, SwitchParameter
from System.Security import SecureString

from cmdlets.core.errors import OpenAIError
from cmdlets.core.objects import OBJECT_TYPES
from cmdlets.core.secrets import Secret

from .dotnet import SAME_OBJECT, NetworkCredential

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


def to_python(value: Any, depth: int = 0) -> Any:
    """A PowerShell value as plain Python: PSCustomObject -> dict (or the ApiObject its PSTypeName names),
    hashtable -> dict, collection -> list, datetime -> aware datetime, SecureString -> Secret."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value                                    # pythonnet already converted the primitives
    if depth > 64:
        raise OpenAIError("The input object is nested too deeply.")
    if type(value) is PSObject:
        base = value.BaseObject
        if not isinstance(base, PSCustomObject):
            return to_python(base, depth)
        cls = _API_CLASSES.get(next(iter(value.TypeNames), None))
        if cls is not None:     # an API object: read lazily, as cmdlets read few of its properties
            return cls(_PSObjectProperties(value, cls.timestamp_fields, depth + 1))
        return {p.Name: to_python(p.Value, depth + 1) for p in value.Properties}
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
            converted[_key_text(to_python(entries.Key, depth + 1))] = to_python(entries.Value, depth + 1)
        return converted
    if isinstance(value, IEnumerable) and not isinstance(value, String):
        return [to_python(v, depth + 1) for v in value]
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
        prop = self._object.Properties[key] if isinstance(key, str) else None
        if prop is None or prop.Name != key:
            raise KeyError(key)     # (PowerShell's look-up ignores case; a mapping's does not)
        value = to_python(prop.Value, self._depth)
        if key in self._stamps and isinstance(value, datetime):
            value = int((value - _UNIX_EPOCH).total_seconds())
        self._read[key] = value
        return value

    def names(self) -> list[str]:
        if self._names is None:
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
