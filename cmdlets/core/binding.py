"""Binds Python call arguments to a cmdlet's parameters the way PowerShell's binder would.

Keywords are the snake_case names and aliases; the first positional argument binds like pipeline input
(by value when its type fits, else by property name); the parameter set is chosen as PowerShell chooses it.
Everything is checked here, so a bad call never sends a request.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from .errors import ParameterBindingError, ParameterValueError
from .manifest import ALL_SETS, Manifest, Parameter
from .objects import ps_type_names
from .secrets import Secret, shown_url

INT32 = (-2**31, 2**31 - 1)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_sequence(value: Any) -> bool:
    return isinstance(value, Iterable) and not isinstance(value, (str, bytes, bytearray, Mapping))


_ACCEPTS = {
    "String": lambda v: isinstance(v, str),
    "Uri": lambda v: isinstance(v, str),
    "String[]": lambda v: isinstance(v, str) or isinstance(v, (list, tuple)) and all(isinstance(x, str) for x in v),
    "Int32": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "Double": _is_number,
    "SwitchParameter": lambda v: isinstance(v, bool),
    "SecureString": lambda v: isinstance(v, (str, Secret)),
    "Byte[]": lambda v: isinstance(v, (bytes, bytearray, memoryview)),
    "IDictionary": lambda v: isinstance(v, Mapping),
    "Boolean": lambda v: isinstance(v, bool),
}


def accepts(param: Parameter, value: Any) -> bool:
    """Whether a value fits the parameter's type without conversion (PowerShell's first binding pass)."""
    if param.secret and isinstance(value, Secret):
        return True
    if param.file_path and isinstance(value, os.PathLike):
        value = os.fspath(value)        # a pathlib.Path is a path as much as its text is (open() takes both)
    if param.type in _ACCEPTS:
        return _ACCEPTS[param.type](value)
    if param.collect and _is_sequence(value):
        return True         # a whole collection at once; the implementation checks each item
    if param.ps_type_name:
        return param.ps_type_name in ps_type_names(value)
    return value is not None


def _materialized(param: Parameter, value: Any) -> Any:
    """A String[] parameter's value as a list when it is some other iterable (a generator, a set, dict keys, a
    deque): read once, here, so that checking it does not consume what is then sent. Collecting parameters
    (start_batch's items) stay lazy: their implementation reads them item by item."""
    if param.type == "String[]" and _is_sequence(value) and not isinstance(value, (list, tuple)):
        return list(value)
    return value


def find_property(value: Any, names: tuple[str, ...]) -> tuple[bool, Any]:
    """Finds a property by the first of its names that the value has, case-insensitively, on a mapping
    or an object. The order of `names` decides, not the order of the value's keys, as in PowerShell: for
    {batch_id='B'; id='I'} a parameter named BatchId with aliases (Id, batch_id) binds 'I'."""
    if isinstance(value, Mapping):
        keys: dict[str, Any] = {}
        for k in value:
            if isinstance(k, str):
                keys.setdefault(k.lower(), k)
        for n in names:
            if n.lower() in keys:
                return True, value[keys[n.lower()]]
        return False, None
    if isinstance(value, (str, bytes, int, float)):
        return False, None
    for n in names:
        for attr in dict.fromkeys((n, n.lower())):
            if hasattr(value, attr):
                return True, getattr(value, attr)
    return False, None


class Binder:
    def __init__(self, manifest: Manifest):
        self.m = manifest
        self.fn = manifest.python_name
        self.keywords: dict[str, Parameter] = {}
        for p in manifest.parameters:
            for k in (p.python_name, *p.python_aliases):
                self.keywords[k] = p

    def fail(self, message: str, value: bool = False) -> ParameterBindingError:
        """The error for a call that does not fit; `value`: the argument's type fits but its value does not
        (a ParameterValueError, also a ValueError)."""
        return (ParameterValueError if value else ParameterBindingError)(f"{self.fn}(): {message}")

    def bind(self, args: tuple, kwargs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """The chosen parameter set and python_name -> validated value (None counts as not given)."""
        bound: dict[str, tuple[Parameter, Any, str]] = {}   # python_name -> (param, value, how it was given)
        for key, value in kwargs.items():
            p = self.keywords.get(key)
            if p is None:
                raise self.fail(f"unexpected keyword argument {key!r}; valid: {', '.join(self._valid_keywords())}")
            if value is None:
                continue
            self._put(bound, p, _id_of(p, _materialized(p, value)), f"keyword {key!r}")
        for index, value in enumerate(args):
            self._bind_positional(bound, index, value)
        set_name = self._choose_set(bound)
        return set_name, {name: self._validate(p, value, how) for name, (p, value, how) in bound.items()}

    def _valid_keywords(self) -> list[str]:
        return [p.python_name for p in self.m.parameters if not p.dont_show]

    def _put(self, bound, p: Parameter, value: Any, how: str) -> None:
        if p.python_name in bound:
            raise self.fail(f"got two values for {p.python_name} ({bound[p.python_name][2]} and {how})")
        bound[p.python_name] = (p, value, how)

    def _open_sets(self, bound) -> list[str]:
        return [s for s in self.m.parameter_sets if all(p.in_set(s) for p, _, _ in bound.values())]

    def _bind_positional(self, bound, index: int, value: Any) -> None:
        sets = self._open_sets(bound)
        free = [p for p in self.m.parameters if p.python_name not in bound]

        def members(test):
            return [p for p in free if any((ms := p.membership(s)) and test(ms) for s in sets)]

        how = f"positional argument {index + 1}"
        at_position = members(lambda ms: ms.position == index)
        for p in at_position:
            value = _materialized(p, value)
            if accepts(p, value):
                return self._put(bound, p, value, how)
        if index == 0:      # the first argument is what a pipeline would carry
            for p in members(lambda ms: ms.by_value):
                value = _materialized(p, value)
                if accepts(p, value):
                    return self._put(bound, p, value, how + " (by value)")
            for p in members(lambda ms: ms.by_property_name):
                # PowerShell tries the name, then the aliases in declared order; the snake_case
                # Python name comes last, for Python callers only
                found, prop = find_property(value, (p.name, *p.aliases, p.python_name))
                if found and prop is not None:
                    return self._put(bound, p, prop, how + " (by property name)")
        if not at_position and index > 0:
            raise self.fail(f"takes at most {index} positional argument{'s' if index > 1 else ''}")
        expected = " or ".join(f"{p.python_name} ({_describe(p)})" for p in at_position) or "nothing"
        raise self.fail(f"{how} ({type(value).__name__}) fits no parameter; expected {expected}")

    def _choose_set(self, bound) -> str:
        given = [p for p, _, _ in bound.values()]
        sets = self._open_sets(bound)
        if not sets:
            detail = " and ".join(f"{p.python_name} (set {'/'.join(p.sets)})" for p in given if ALL_SETS not in p.sets)
            raise self.fail(f"{detail} cannot be used together: they belong to different parameter sets")
        complete = [s for s in sets if not self._missing(s, bound)]
        if complete:
            return self.m.default_parameter_set if self.m.default_parameter_set in complete else complete[0]
        options = [f"{' and '.join(self._missing(s, bound))}" for s in sets]
        raise self.fail(f"missing required argument: {' or '.join(options)}")

    def _missing(self, set_name: str, bound) -> list[str]:
        return [p.python_name for p in self.m.parameters
                if p.python_name not in bound and (ms := p.membership(set_name)) and ms.mandatory]

    def _validate(self, p: Parameter, value: Any, how: str) -> Any:
        name = p.python_name
        if p.file_path and isinstance(value, os.PathLike):
            value = os.fspath(value)
        if p.type == "Int32" and isinstance(value, float) and value.is_integer():
            value = int(value)      # timeout=30.0, as openai-python callers write it (PowerShell's [int] takes it too)
        if not accepts(p, value):
            raise self.fail(f"{name} must be {_describe(p)}, got {type(value).__name__} ({how})")
        v = p.validation
        if p.type in ("Int32", "Double"):
            lo, hi = v.range or (INT32 if p.type == "Int32" else (float("-inf"), float("inf")))
            if not lo <= value <= hi:
                raise self.fail(f"{name} must be between {lo} and {hi}, got {value}", value=True)
        if p.type == "String[]":
            value = [value] if isinstance(value, str) else list(value)     # a scalar binds as a one-item array
        if v.not_null_or_empty and (value in ("", b"") or value == [] or value == {}):   # b"" == bytearray()
            raise self.fail(f"{name} must not be empty", value=True)
        if v.not_null_or_empty and p.type == "String[]" and "" in value:     # PowerShell checks each item too
            raise self.fail(f"{name} must not hold an empty string (item {value.index('') + 1})", value=True)
        if v.count and not v.count[0] <= (n := len(value) if isinstance(value, (list, tuple)) else 1) <= v.count[1]:
            raise self.fail(f"{name} takes {v.how_many()}, got {n}", value=True)
        for item in (value if p.type == "String[]" else [value]) if v.values else ():
            if item not in v.values and str(item).lower() not in {x.lower() for x in v.values}:
                # case-insensitive, as PowerShell's ValidateSet; the value goes on as given
                raise self.fail(f"{name} must be one of {', '.join(v.values)}, got {item!r}", value=True)
        if p.type == "Uri":
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise self.fail(f"{name} must be an absolute http(s) URL, got {shown_url(value)!r}", value=True)
        return value


def _id_of(p: Parameter, value: Any) -> Any:
    """An object of a type the id parameter names (`id_of`: a Batch for batch_id=, batch=) stands for its id,
    as PowerShell's PSOpenAIBridgeIdOf attribute makes `-BatchId $batch` bind the batch's id."""
    if not p.id_of or isinstance(value, str):
        return value
    names = {n[len("Deserialized."):] if n.startswith("Deserialized.") else n for n in ps_type_names(value)}
    if names.isdisjoint(p.id_of):
        return value
    found, batch_id = find_property(value, ("id",))
    return batch_id if found and batch_id is not None else value


def _describe(p: Parameter) -> str:
    if p.file_path and p.type == "String":
        return "a str or os.PathLike"
    return {"String": "a str", "String[]": "a str or an iterable of str", "Int32": "an int", "Double": "a number",
            "SwitchParameter": "a bool", "Uri": "a URL str", "SecureString": "a str or Secret",
            "Byte[]": "bytes", "IDictionary": "a mapping", "Boolean": "a bool"}.get(p.type) or (
        f"a {p.ps_type_name} object" + (" or an iterable of them" if p.collect else "") if p.ps_type_name
        else "any object")
