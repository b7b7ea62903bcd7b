"""Runs a cmdlet: manifest defaults and fallbacks, the API client from the shared parameters, then the
implementation. Both doors lead to run(): Python functions (bound by binding.Binder) and psbridge (bound
by PowerShell's own binder)."""
from __future__ import annotations

import inspect
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Optional, Union

from .binding import Binder
from .client import ApiClient
from .config import API_TYPES, ClientConfig, choice
from .context import store_of
from .docstring import render_docstring
from .host import PythonHost
from .manifest import Manifest, Parameter
from .secrets import QUIET_SETTINGS, Secret, quiet_settings, wrap_given

API_GROUP = "api"


@dataclass(frozen=True)
class Call:
    """What an implementation gets besides its own arguments."""
    client: ApiClient | None    # None when an offline switch is set (nothing is sent, no key needed)
    host: Any
    parameter_set: str
    timeout_sec: int
    given: frozenset[str]       # python names the caller bound, like $PSBoundParameters.Keys
    api_type: str = "openai"    # "openai" | "azure" (-ApiType), known even offline: -AsBatch items differ


def run(manifest: Manifest, parameter_set: str, arguments: dict[str, Any], host: Any = None,
        environ: Mapping[str, str] | None = None, python_face: bool = False) -> Any:
    """`environ` is where fallbacks (OPENAI_API_KEY...) are read from when an argument is missing
    (default os.environ, looked up in _fallback: a traceback with locals would print a local holding it).
    `python_face`: a call from Python, where a parameter's python_default replaces PowerShell's default."""
    host = host or PythonHost()
    own: dict[str, Any] = {}
    api: dict[str, Any] = {}
    python_defaulted: set[str] = set()
    # (pwsh's generated begin block applies its session context itself, as it does the fallbacks)
    settings = {} if getattr(host, "resolves_context", False) else store_of(host).settings()
    for p in manifest.parameters:
        value = arguments.get(p.python_name)
        if value is None and p.context:
            value = settings.get(p.python_name)
        for variable in p.fallbacks if value is None else ():
            value = _fallback(variable, environ)
            if value is not None:
                break
        if value is None and python_face and p.python_default is not None:
            value = p.python_default
            python_defaulted.add(p.python_name)
        if value is None and p.group != API_GROUP:
            # the API settings' defaults are ClientConfig.resolve's: ApiBase's depends on -ApiType
            value = False if p.type == "SwitchParameter" else p.default
        if p.secret and isinstance(value, str):
            value = Secret.of(value)        # wrapped from here on; revealed only as the header is written
        (api if p.group == API_GROUP else own)[p.python_name] = value
    offline = manifest.offline or any(p.offline and own.get(p.python_name) for p in manifest.parameters)
    client = None if offline else ApiClient(ClientConfig.resolve(**api), host)
    # Python's default timeout bounds each request, as openai-python's does, not a whole -Wait: only a
    # timeout the caller chose (or PowerShell's) bounds waits.
    wait_bound = 0 if "timeout_sec" in python_defaulted else None
    call = Call(client=client, host=host, parameter_set=parameter_set,
                timeout_sec=wait_bound if wait_bound is not None else
                client.config.timeout_sec if client else int(api.get("timeout_sec") or 0),
                given=frozenset(k for k, v in arguments.items() if v is not None),
                api_type=client.config.api_type if client else choice(api.get("api_type"), API_TYPES, "ApiType"))
    return manifest.load_implementation()(call, **own)


def _fallback(name: str, environ: Mapping[str, str] | None) -> Any:
    return (os.environ if environ is None else environ).get(name) or None


def make_function(manifest: Manifest) -> Callable[..., Any]:
    """The Python face of a cmdlet: a plain function whose parameters come from the manifest."""
    binder = Binder(manifest)
    secrets = {k for k, p in binder.keywords.items() if p.secret}
    quiet = {k: p.python_name for k, p in binder.keywords.items() if p.python_name in QUIET_SETTINGS}

    def call_with(args: tuple, kwargs: dict[str, Any], host: Any = None) -> Any:
        """The call with a host of the caller's (cmdlets.aio: one whose stop event cancels it)."""
        quiet_settings(kwargs, quiet)
        wrap_given(kwargs, secrets, lambda k, kind: binder.fail(
            f"{binder.keywords[k].python_name} must be a str or Secret, got {kind} (keyword {k!r})"))
        parameter_set, arguments = binder.bind(args, kwargs)
        return run(manifest, parameter_set, arguments, host, python_face=True)

    def cmdlet(*args: Any, **kwargs: Any) -> Any:
        return call_with(args, kwargs)

    cmdlet.__name__ = cmdlet.__qualname__ = manifest.python_name
    cmdlet.__module__ = "cmdlets"
    cmdlet.__doc__ = render_docstring(manifest)
    cmdlet.__signature__ = _signature(manifest)
    cmdlet.manifest = manifest
    cmdlet.call_with = call_with
    cmdlet.keywords = binder.keywords
    return cmdlet


# What each parameter type takes from Python (the binder's rules; the stub spells the same out in detail)
_PY_TYPES = {"String": str, "String[]": Union[str, Iterable[str]], "Int32": int, "Double": float,
             "SwitchParameter": bool, "Uri": str, "SecureString": Union[str, Secret], "Byte[]": bytes,
             "IDictionary": Mapping[str, Any], "Object": Any, "Boolean": bool}


def python_default(p: Parameter) -> Any:
    """The default a Python caller sees (signature, stub, help)."""
    if p.python_default is not None:
        return p.python_default
    return False if p.type == "SwitchParameter" else p.default


def _signature(m: Manifest) -> inspect.Signature:
    params = []
    if any(ms.by_value or ms.position == 0 for p in m.parameters for ms in p.sets.values()):
        params.append(inspect.Parameter(m.positional_name, inspect.Parameter.POSITIONAL_ONLY, default=None))
    for p in m.parameters:
        default = python_default(p)
        annotation = _PY_TYPES[p.type]
        if default is None and annotation is not Any:
            annotation = Optional[annotation]       # `batch_id: Optional[str] = None`, as the stub has it
        params.append(inspect.Parameter(p.python_name, inspect.Parameter.KEYWORD_ONLY, default=default,
                                        annotation=annotation))
    return inspect.Signature(params)
