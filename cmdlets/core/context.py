"""The session context, PSOpenAI's Set-OpenAIContext: API settings that every cmdlet uses when its own
parameter is not given, ahead of the $global:/environment fallbacks (OPENAI_API_KEY...).

Precedence, as PSOpenAI's ParseCommonParams and Initialize-* have it: an explicit parameter, then a context
value that is set (not None, '' or 0), then the fallback variable, then the default.

Where the context lives is the host's business: plain Python has one per process (PROCESS_CONTEXT); pwsh
keeps PSOpenAI's own, $global:PSOpenAIContextDictionary, so a context set with either module serves both
(psbridge/context.py). A store has get(name), set(name, value), clear() and snapshot(). A host whose
`resolves_context` is true applies its context to the parameters itself (pwsh's begin blocks).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, fields
from typing import Any

from .secrets import Secret

# PSOpenAI's context entries, in its order, with the values Clear-OpenAIContext leaves.
DEFAULTS: dict[str, Any] = {"ApiKey": None, "ApiType": "OpenAI", "ApiBase": None, "ApiVersion": "",
                            "AuthType": "openai", "Organization": "", "TimeoutSec": 0, "MaxRetryCount": 0}


@dataclass(frozen=True)
class OpenAIContext:
    """What get_openai_context() returns: the settings every call uses unless it is given its own."""
    api_key: Secret | None = None
    api_type: str = "OpenAI"
    api_base: str | None = None
    api_version: str = ""
    auth_type: str = "openai"
    organization: Secret | str = ""
    timeout_sec: int = 0
    max_retry_count: int = 0


_PYTHON_NAMES = dict(zip(DEFAULTS, (f.name for f in fields(OpenAIContext))))
ENTRIES = {python: entry for entry, python in _PYTHON_NAMES.items()}     # api_key -> ApiKey...


def is_set(value: Any) -> bool:
    """Whether a context value counts: Clear-OpenAIContext's None, '' and 0 leave the parameter to its
    fallback and default."""
    return value is not None and value != "" and not (type(value) is int and value == 0)


class ContextStore:
    """The process-wide context of plain Python calls (pwsh has its own: psbridge/context.py)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._values = dict(DEFAULTS)

    def get(self, name: str) -> Any:
        return self._values.get(name)

    def set(self, name: str, value: Any) -> None:
        if name not in DEFAULTS:
            raise KeyError(name)
        if name == "ApiKey" and value is not None:
            value = Secret.of(value)
        with self._lock:
            self._values[name] = value

    def clear(self) -> None:
        with self._lock:
            self._values = dict(DEFAULTS)

    def snapshot(self) -> OpenAIContext:
        values = dict(self._values)
        return OpenAIContext(**{_PYTHON_NAMES[k]: v for k, v in values.items()})

    def settings(self) -> dict[str, Any]:
        """python name -> value, for the entries that are set (what run() uses for missing parameters)."""
        return {_PYTHON_NAMES[k]: v for k, v in self._values.items() if is_set(v)}


PROCESS_CONTEXT = ContextStore()


def store_of(host: Any) -> Any:
    """The host's context store, or the process-wide one."""
    context = getattr(host, "context", None)
    return context() if callable(context) else PROCESS_CONTEXT
