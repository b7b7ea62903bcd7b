"""Client and AsyncClient: the functions as methods, with API settings of their own, for several
configurations in one process (`Client(api_key=..., base_url=...)`). Built from the functions, so every
cmdlet is a method; a setting fills the keyword of a call that does not give it, for the API parameters
only (the `api` group of manifests/_shared.yaml), as if it were passed.
"""
from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any, Callable

from .binding import Binder
from .errors import ParameterBindingError
from .manifest import Parameter
from .secrets import SECRET_HEADER, SECRET_QUERY, Secret, shown_url, wrap_given

API_GROUP = "api"


class _Settings:
    """A client's settings: python name -> value, checked as the functions check them, the key wrapped."""

    def __init__(self, functions: Mapping[str, Callable[..., Any]], owner: str, given: dict[str, Any]):
        self.values: dict[str, Any] = {}       # (first: a traceback with locals shows this half-made self too)
        keywords: dict[str, Parameter] = {}
        binder = None
        for fn in functions.values():
            for k, p in getattr(fn, "keywords", {}).items():
                if p.group == API_GROUP:
                    keywords.setdefault(k, p)
                    binder = binder or Binder(fn.manifest)
        wrap_given(given, [k for k, p in keywords.items() if p.secret], lambda k, kind: ParameterBindingError(
            f"{owner}(): {keywords[k].python_name} must be a str or Secret, got {kind} (keyword {k!r})"))
        for key, value in given.items():
            p = keywords.get(key)
            if p is None:
                valid = ", ".join(sorted(keywords))
                raise ParameterBindingError(f"{owner}(): unexpected keyword argument {key!r}; valid: {valid}")
            if value is None:
                continue
            if p.python_name in self.values:
                raise ParameterBindingError(f"{owner}(): got two values for {p.python_name}")
            assert binder is not None
            binder.fn = owner
            self.values[p.python_name] = binder._validate(p, value, f"keyword {key!r}")

    def merged(self, fn: Callable[..., Any], kwargs: dict[str, Any]) -> dict[str, Any]:
        """The call's keywords with the client's settings for those of its API parameters it leaves out."""
        keywords: Mapping[str, Parameter] = getattr(fn, "keywords", {})
        given = {keywords[k].python_name for k, v in kwargs.items() if k in keywords and v is not None}
        for k, value in self.values.items():
            p = keywords.get(k)
            if p is not None and p.group == API_GROUP and k not in given:
                kwargs[k] = value
        return kwargs

    def __repr__(self) -> str:
        return ", ".join(f"{k}={_shown(k, v)}" for k, v in self.values.items())


def _shown(name: str, value: Any) -> str:
    """A setting as repr() shows it: the key and organization, ApiBase's password, credential-looking headers
    and query values masked, as in every message."""
    if isinstance(value, Secret) or name == "organization":
        return "****"
    if name == "api_base" and isinstance(value, str):
        return repr(shown_url(value))
    secret = {"additional_headers": SECRET_HEADER, "additional_query": SECRET_QUERY}.get(name)
    if secret is not None and isinstance(value, Mapping):
        return repr({k: "****" if isinstance(v, Secret) or secret.search(str(k)) else v for k, v in value.items()})
    return repr(value)


class _ClientBase:
    _functions: Mapping[str, Callable[..., Any]] = {}

    def __init__(self, **settings: Any):
        self._settings = _Settings(self._functions, type(self).__name__, settings)

    def with_options(self, **changes: Any) -> "_ClientBase":
        """A copy with some settings changed (the same keywords as the constructor; None keeps one)."""
        copy = object.__new__(type(self))
        copy._settings = _Settings(self._functions, f"{type(self).__name__}.with_options", changes)
        copy._settings.values = {**self._settings.values, **copy._settings.values}
        return copy

    def __repr__(self) -> str:
        # (no settings yet when the constructor's own check failed: a traceback with locals shows it so)
        return f"{type(self).__name__}({getattr(self, '_settings', '')})"


def _method(owner: str, name: str, fn: Callable[..., Any], make: Callable[[Callable[..., Any]], Callable[..., Any]]):
    method = make(fn)
    method.__name__ = name
    method.__qualname__ = f"{owner}.{name}"
    method.__doc__ = fn.__doc__
    # the function's parameters after self, so that help(Client) and inspect.signature(client.get_batch) show
    # them rather than (*args, **kwargs)
    signature = inspect.signature(fn)
    self = inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY)
    method.__signature__ = signature.replace(parameters=[self, *signature.parameters.values()])
    return method


def client_class(name: str, functions: Mapping[str, Callable[..., Any]], *, is_async: bool,
                 run: Callable[..., Any] | None = None, doc: str = "") -> type:
    """The class with one method per function. `run(fn, args, kwargs)` runs an async call (cmdlets.aio)."""

    def sync(fn):
        def method(self, *args: Any, **kwargs: Any) -> Any:
            return fn.call_with(args, self._settings.merged(fn, kwargs))
        return method

    def coroutine(fn):
        async def method(self, *args: Any, **kwargs: Any) -> Any:
            return await run(fn, args, self._settings.merged(fn, kwargs))
        return method

    namespace: dict[str, Any] = {"__doc__": doc, "__module__": "cmdlets.aio" if is_async else "cmdlets",
                                 "_functions": dict(functions)}
    for fname, fn in functions.items():
        namespace[fname] = _method(name, fname, fn, coroutine if is_async else sync)
    return type(name, (_ClientBase,), namespace)
