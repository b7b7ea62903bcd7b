"""The session context in pwsh: PSOpenAI's own $global:PSOpenAIContextDictionary (a ConcurrentDictionary of
the runspace), read and written with the values PSOpenAI keeps there, so that Set-OpenAIContext of either
module serves both. The generated begin blocks read it (generator._fallbacks); the context cmdlets write
it through this store (cmdlets/core/context.py describes the interface).
"""
from __future__ import annotations

from typing import Any

import clr

clr.AddReference("System.Collections.Concurrent")
from System import Int32, Object, String, Uri  # noqa: E402
from System.Collections.Concurrent import ConcurrentDictionary  # noqa: E402
from System.Management.Automation import PSNoteProperty, PSObject  # noqa: E402
from System.Net import NetworkCredential  # noqa: E402
from System.Security import SecureString  # noqa: E402

from cmdlets.core.context import DEFAULTS  # noqa: E402
from cmdlets.core.host import Native  # noqa: E402
from cmdlets.core.secrets import Secret  # noqa: E402

from .generator import CONTEXT_VARIABLE  # noqa: E402

_GLOBAL = f"global:{CONTEXT_VARIABLE}"


def _to_clr(name: str, value: Any) -> Any:
    """A context value as PSOpenAI stores it: the key a SecureString, the base a [uri], counts Int32."""
    if value is None:
        return None
    if isinstance(value, Secret):
        value = value.reveal()
        if name == "ApiKey":
            return NetworkCredential("", value).SecurePassword
    if name == "ApiBase":
        return Uri(str(value))
    if name in ("TimeoutSec", "MaxRetryCount"):
        return Int32(int(value))
    return str(value)


class SessionContext:
    """The calling runspace's context; made (with PSOpenAI's defaults) when first written."""
    __slots__ = ("_variables",)

    def __init__(self, cmdlet):
        self._variables = cmdlet.SessionState.PSVariable

    def _dictionary(self, create: bool = False):
        found = self._variables.GetValue(_GLOBAL)
        if isinstance(found, PSObject):
            found = found.BaseObject
        if found is None and create:
            found = ConcurrentDictionary[String, Object]()
            self._variables.Set(_GLOBAL, found)
            self._fill(found)
        return found

    @staticmethod
    def _fill(dictionary) -> None:
        dictionary.Clear()
        for name, value in DEFAULTS.items():
            dictionary[name] = _to_clr(name, value)

    def get(self, name: str) -> Any:
        dictionary = self._dictionary()
        if dictionary is None:
            return DEFAULTS.get(name)
        found, value = dictionary.TryGetValue(name, None)
        if not found or value is None:
            return None
        if isinstance(value, SecureString):
            return Secret(lambda: NetworkCredential("", value).Password)
        return value if isinstance(value, (str, int)) else str(value)     # an enum, a [uri]

    def set(self, name: str, value: Any) -> None:
        self._dictionary(create=True)[name] = _to_clr(name, value)

    def clear(self) -> None:
        self._fill(self._dictionary(create=True))

    def snapshot(self) -> Native:
        """A PSCustomObject as PSOpenAI's Get-OpenAIContext gives it, the values as they are stored."""
        dictionary = self._dictionary(create=True)
        result = PSObject()
        for name in DEFAULTS:
            found, value = dictionary.TryGetValue(name, None)
            result.Properties.Add(PSNoteProperty(name, value if found else None))
        return Native(result)
