"""cmdlets/__init__.pyi and cmdlets/aio.pyi: the functions' types for editors and type checkers, generated
from the manifests.

`cmdlets` creates its functions at import (cmdlets/__init__.py), so without these stubs an editor sees no
`stop_batch`. Each function's keywords, defaults and docstring's first line come from its manifest, as its
runtime signature does (cmdlets.core.invoke). What it returns comes from the manifest's `python_returns`
(else the implementation's annotation): one overload per case, so that `stop_batch(b, pass_thru=True)` is
a Batch and `get_batch(all=True)` an Iterator[Batch], then a last overload for calls no case fits. A
ValidateSet is a Literal, and the API objects are classes with their declared fields
(cmdlets.core.objects.declared_fields). `Client` has every function as a method; cmdlets.aio the same as
coroutines.

    python -m psbridge stubs --update    rewrite the committed stubs (after changing a manifest)
    python -m psbridge stubs --check     exit 1 when one is stale (tests/python/test_stubs.py does the same)
"""
from __future__ import annotations

import builtins
import importlib
import inspect
import keyword
import re
from dataclasses import dataclass
from pathlib import Path

from cmdlets.core import errors
from cmdlets.core.invoke import python_default
from cmdlets.core.manifest import Manifest, Parameter, load_manifests, snake_case
from cmdlets.core.objects import declared_fields
from cmdlets.core.returns import TYPING_NAMES, resolve, return_cases, returned_classes

PACKAGE = Path(__file__).resolve().parents[1] / "cmdlets"
STUB = PACKAGE / "__init__.pyi"
AIO_STUB = PACKAGE / "aio.pyi"

# What each manifest type accepts from Python (cmdlets.core.binding.accepts), as annotations.
_TYPES = {"String": "str", "String[]": "str | Iterable[str]", "Int32": "int", "Double": "float",
          "SwitchParameter": "bool", "Uri": "str", "SecureString": "str | Secret",
          "Byte[]": "bytes | bytearray | memoryview", "IDictionary": "Mapping[str, Any]", "Object": "Any",
          "Boolean": "bool"}
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _literal(values: tuple[str, ...]) -> str:
    # PowerShell's ValidateSet ignores case, and so does the binder: the declared spelling and lower case
    shown = dict.fromkeys([*values, *(v.lower() for v in values)])
    return f"Literal[{', '.join(repr(v) for v in shown)}]"


class _Classes:
    """The API object classes the stub declares, by the PSTypeName a parameter asks for."""

    def __init__(self, classes: dict[str, type]):
        self.classes = classes

    def for_type_name(self, ps_type_name: str) -> str | None:
        for name, cls in self.classes.items():
            if getattr(cls, "ps_type_name", None) == ps_type_name:
                return name     # the first is the most general (bases come first)
        return None


def value_type(p: Parameter, classes: _Classes) -> str:
    """What a keyword accepts."""
    if p.validation.values:
        literal = _literal(p.validation.values)
        text = f"{literal} | Iterable[{literal}]" if p.type == "String[]" else literal
    elif p.type == "Object" and p.ps_type_name:
        cls = classes.for_type_name(p.ps_type_name)
        one = " | ".join(x for x in (cls, "Mapping[str, Any]", "_TypeNamed") if x)
        text = f"{one} | Iterable[{one}]" if p.collect else one
    elif p.type == "Object" and p.collect:
        text = "Any | Iterable[Any]"
    elif p.file_path and p.type == "String":
        text = "str | PathLike[str]"       # (binding.accepts takes a pathlib.Path for a path)
    else:
        text = _TYPES[p.type]
    if p.id_of:     # an object of those types stands for its id (binding._id_of)
        text = " | ".join(dict.fromkeys([text, *filter(None, map(classes.for_type_name, p.id_of))]))
    if p.secret and p.type != "SecureString":
        text += " | Secret"
    return text


def _property_names(p: Parameter) -> list[str]:
    """Attribute names an object may carry the value in, as binding.find_property looks them up."""
    # (find_property also takes the PowerShell spelling, BatchId or batchid, which Python objects rarely use)
    names = [p.python_name, *(a.lower() for a in p.aliases if a.lower() == snake_case(a))]
    return [n for n in dict.fromkeys(names) if _IDENTIFIER.fullmatch(n) and not keyword.iskeyword(n)]


def _protocol(name: str) -> str:
    return f"_Has_{name}"


def positional_type(m: Manifest, sets: tuple[str, ...], classes: _Classes, protocols: set[str]) -> str | None:
    """What the positional argument accepts in these sets: the position-0 parameter's type, the by-value
    parameters' types, and for by-property-name ones any mapping or object with that property."""
    if not any(ms.by_value or ms.position == 0 for p in m.parameters for ms in p.sets.values()):
        return None     # no positional argument, as in the runtime signature (cmdlets.core.invoke)
    parts: list[str] = []
    for s in sets:
        for p in m.parameters:
            ms = p.membership(s)
            if ms is None:
                continue
            if ms.position == 0 or ms.by_value:
                parts += value_type(p, classes).split(" | ")
            if ms.by_property_name:
                parts.append("Mapping[str, Any]")
                for n in _property_names(p):
                    protocols.add(n)
                    parts.append(_protocol(n))
    if not parts:
        return None
    # a union split at its bars only for the simple parts; parametrised ones stay whole
    return " | ".join(dict.fromkeys(_rejoin(parts)))


def _rejoin(parts: list[str]) -> list[str]:
    out: list[str] = []
    depth = 0
    for part in parts:
        if depth:
            out[-1] += " | " + part
        else:
            out.append(part)
        depth += part.count("[") - part.count("]")
    return out


def _default(value: object) -> str:
    if value is None:
        return "None"
    if isinstance(value, (bool, int, float, str)):
        return repr(value)
    return "..."


@dataclass
class _Form:
    """One signature: the positional argument's type (None: no positional), and keyword -> (annotation,
    default text or None when required)."""
    positional: str | None
    positional_required: bool
    keywords: dict[str, tuple[str, str | None]]


class _Renderer:
    def __init__(self, manifests: list[Manifest]):
        self.manifests = manifests
        self.classes = _Classes(returned_classes(manifests))
        self.protocols: set[str] = set()
        self.imports: dict[str, set[str]] = {}

    # --- types ------------------------------------------------------------------------------------------

    def returns(self, m: Manifest, annotation: str) -> str:
        for name, obj in resolve(m, annotation).items():
            if name not in self.classes.classes:
                module = getattr(obj, "__module__", None)
                if module is None:
                    return "Any"
                self.imports.setdefault(module, set()).add(name)
        return annotation

    def keyword(self, p: Parameter, required: bool = False, annotation: str | None = None,
                default: object = ...) -> tuple[str, str | None]:
        text = annotation or value_type(p, self.classes)
        if required:
            return text, None
        value = python_default(p) if default is ... else default
        shown = _default(value)
        if shown == "None" and text != "Any" and not text.endswith("None"):
            text += " | None"
        return text, shown

    # --- forms ------------------------------------------------------------------------------------------

    def _keywords(self, m: Manifest, sets: tuple[str, ...], skip: set[str], fixed: dict[str, tuple[str, str | None]],
                  required: set[str]) -> dict[str, tuple[str, str | None]]:
        out: dict[str, tuple[str, str | None]] = {}
        for p in m.parameters:
            if p.python_name in skip or not any(p.in_set(s) for s in sets):
                continue
            if p.python_name in fixed:
                out[p.python_name] = fixed[p.python_name]
                continue        # (its aliases would need forms of their own: such calls take the last overload)
            out[p.python_name] = self.keyword(p, required=p.python_name in required)
            for alias in p.python_aliases:
                if not keyword.iskeyword(alias):
                    out[alias] = self.keyword(p, default=None)
        return out

    def forms(self, m: Manifest, sets: tuple[str, ...], fixed: dict[str, tuple[str, str | None]]) -> list[_Form]:
        all_sets = m.parameter_sets
        if set(sets) == set(all_sets):
            return [_Form(positional_type(m, all_sets, self.classes, self.protocols), False,
                          self._keywords(m, all_sets, set(), fixed, set()))]
        forms = []
        for s in sets:
            mandatory = [p for p in m.parameters if (ms := p.membership(s)) and ms.mandatory]
            positional = [p for p in mandatory if (ms := p.membership(s)) and
                          (ms.position == 0 or ms.by_value or ms.by_property_name)]
            others = {p.python_name for p in mandatory if p not in positional}
            one = (s,)
            if not mandatory:
                forms.append(_Form(positional_type(m, one, self.classes, self.protocols), False,
                                   self._keywords(m, one, set(), fixed, set())))
                continue
            if positional:
                skip = {p.python_name for p in positional}
                forms.append(_Form(positional_type(m, one, self.classes, self.protocols), True,
                                   self._keywords(m, one, skip, fixed, others)))
                first = positional[0]
                rest = skip - {first.python_name}
                for name in (first.python_name, *(a for a in first.python_aliases if not keyword.iskeyword(a))):
                    keywords = self._keywords(m, one, rest | {first.python_name}, fixed, others)
                    forms.append(_Form(None, False, {name: self.keyword(first, required=True), **keywords}))
            else:
                forms.append(_Form(None, False, self._keywords(m, one, set(), fixed, others)))
        return forms

    # --- text -------------------------------------------------------------------------------------------

    def signature(self, m: Manifest, name: str, form: _Form, returns: str, *, method: bool, is_async: bool,
                  overload: bool, overlaps: bool = False) -> list[str]:
        params = ["self"] if method else []
        if form.positional:
            params.append(f"{m.positional_name}: {form.positional}" + ("" if form.positional_required else " | None = None"))
            params.append("/")
        elif method:
            params.append("/")
        keywords = [f"{k}: {t}" + ("" if d is None else f" = {d}") for k, (t, d) in form.keywords.items()]
        if keywords:
            params += ["*", *keywords]
        indent = "    " if method else ""
        synopsis = m.synopsis.strip().splitlines()[0].replace('"""', "'''").rstrip("\\")
        lines = [f"{indent}@overload"] if overload else []
        # A case chosen by a text value (response_format='raw_response') overlaps the later ones, which the
        # type system cannot narrow to "any other text"; the first overload that fits wins, as at run time.
        ignore = "  # pyright: ignore[reportOverlappingOverload]" if overlaps else ""
        lines.append(f"{indent}{'async ' if is_async else ''}def {name}({ignore}")
        lines += [f"{indent}    {p}," for p in params]
        lines += [f"{indent}) -> {returns}:", f'{indent}    """{synopsis}"""', f"{indent}    ..."]
        return lines

    def function(self, m: Manifest, *, method: bool = False, is_async: bool = False) -> list[str]:
        cases = return_cases(m)
        types = [self.returns(m, c.type) for c in cases]
        if is_async:
            types = [t.replace("Iterator[", "AsyncIterator[") for t in types]
        union = " | ".join(dict.fromkeys(t for text in types for t in _rejoin(text.split(" | "))))
        fallback = _Form(positional_type(m, m.parameter_sets, self.classes, self.protocols), False,
                         self._keywords(m, m.parameter_sets, set(), {}, set()))
        if len(cases) == 1 and not cases[0].when and not cases[0].sets:
            return self.signature(m, m.python_name, fallback, union, method=method, is_async=is_async, overload=False)
        out: list[str] = []
        seen: set[str] = set()
        earlier: list[tuple[str, object]] = []
        params = {p.name: p for p in m.parameters}
        for case, returns in zip(cases, types):
            own = dict(case.when)
            fixed: dict[str, tuple[str, str | None]] = {}
            for name, value in earlier:     # what made an earlier case is not so here
                p = params[name]
                if name in own:
                    continue
                if p.type == "SwitchParameter":
                    fixed[p.python_name] = ("Literal[False]", "False")
                elif value is True:
                    fixed[p.python_name] = ("None", "None")
            for name, value in own.items():
                p = params[name]
                if p.type == "SwitchParameter":
                    fixed[p.python_name] = ("Literal[True]", None)
                elif value is True:
                    fixed[p.python_name] = self.keyword(p, required=True)
                else:
                    fixed[p.python_name] = (f"Literal[{value!r}]", None)
            earlier += [(n, v) for n, v in own.items()]
            for form in self.forms(m, case.sets or m.parameter_sets, fixed):
                lines = self.signature(m, m.python_name, form, returns, method=method, is_async=is_async, overload=True,
                                       overlaps=any(v is not True for v in own.values()))
                text = "\n".join(lines)
                if text not in seen:
                    seen.add(text)
                    out += lines + [""]
        out += self.signature(m, m.python_name, fallback, union, method=method, is_async=is_async, overload=True)
        return out

    def object_class(self, name: str, cls: type) -> list[str]:
        bases = [b.__name__ for b in cls.__bases__ if b.__name__ in self.classes.classes]
        base = bases[0] if bases else "Mapping[str, Any]"
        if name == "JsonObject":
            base = "_JsonMapping"
        elif base == "JsonObject":
            base = "_JsonMapping"     # a class with declared fields: unknown attributes are errors
        lines = [f"class {name}({base}):"]
        doc = (inspect.getdoc(cls) or "").strip().splitlines()
        if doc:
            lines.append(f'    """{doc[0].replace(chr(34) * 3, "")}"""')
        if name == "JsonObject" or name != "ApiObject" and not declared_fields(cls):
            # untyped: a class that declares no fields (yet) reads any attribute, as at run time
            lines.append("    def __getattr__(self, name: str) -> Any: ...")
        own = {k: v for k, v in declared_fields(cls).items()
               if not any(k in declared_fields(b) for b in cls.__bases__ if isinstance(b, type))}
        for field, annotation in own.items():
            lines.append(f"    {field}: {annotation}")
        for attr, value in vars(cls).items():
            if isinstance(value, property) and not attr.startswith("_") and value.fget is not None:
                returns = inspect.signature(value.fget).return_annotation
                text = returns if isinstance(returns, str) else "Any"
                module = importlib.import_module(cls.__module__)
                for n in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text):
                    if n not in self.classes.classes and n not in TYPING_NAMES and not hasattr(builtins, n):
                        obj = getattr(module, n, None)
                        if getattr(obj, "__module__", None):
                            self.imports.setdefault(obj.__module__, set()).add(n)
                lines += ["    @property", f"    def {attr}(self) -> {text}: ..."]
        if len(lines) == 1 + bool(doc):
            lines.append("    ...")
        return lines


_HEADER_CLASSES = '''
class _JsonMapping(Mapping[str, Any]):
    """A read-only JSON object: fields as attributes or keys."""
    raw: dict[str, Any]
    def __init__(self, raw: dict[str, Any]) -> None: ...
    def __getitem__(self, key: str) -> Any: ...
    def __iter__(self) -> Iterator[str]: ...
    def __len__(self) -> int: ...
    def to_dict(self) -> dict[str, Any]:
        """The JSON exactly as received (unix timestamps stay integers), as a copy of its own to change."""
        ...
    def to_json(self, *, indent: int | None = 2) -> str:
        """The JSON as received, as text (json.dumps refuses a mapping that is not a dict)."""
        ...


class _TypeNamed(Protocol):
    """An object that names its PowerShell types (a PSOpenAI object handed over)."""
    @property
    def ps_type_names(self) -> Iterable[str]: ...
'''


def _client_class(r: _Renderer, api: list[Parameter], name: str, is_async: bool) -> list[str]:
    settings = []
    for p in api:
        for keyword_name in (p.python_name, *p.python_aliases):
            settings.append(f"{keyword_name}: {r.keyword(p, default=None)[0]} = None")
    doc = ("Every function of cmdlets.aio as a coroutine method, with these settings for each call it makes."
           if is_async else "Every function of cmdlets as a method, with these settings for each call it makes.")
    lines = [f"class {name}:", f'    """{doc}"""',
             "    def __init__(", "        self,", "        *,", *(f"        {s}," for s in settings), "    ) -> None: ...",
             "    def with_options(", "        self,", "        *,", *(f"        {s}," for s in settings),
             f"    ) -> {name}: ...", ""]
    for m in r.manifests:
        lines += r.function(m, method=True, is_async=is_async) + [""]
    return lines


def _api_parameters(manifests: list[Manifest]) -> list[Parameter]:
    found: dict[str, Parameter] = {}
    for m in manifests:
        for p in m.parameters:
            if p.group == "api":
                found.setdefault(p.python_name, p)
    return list(found.values())


def _render(manifests: list[Manifest], is_async: bool) -> str:
    r = _Renderer(manifests)
    bodies: list[str] = []
    for m in manifests:
        bodies += ["", "", *r.function(m, is_async=is_async)]
        for alias in m.python_aliases:
            bodies += ["", f"{alias} = {m.python_name}"]
    client = "AsyncClient" if is_async else "Client"
    bodies += ["", ""] + _client_class(r, _api_parameters(manifests), client, is_async)
    head = ['"""PSOpenAI\'s Batch cmdlets as Python ' + ("coroutines: `from cmdlets.aio import stop_batch`."
                                                          if is_async else "functions: `from cmdlets import stop_batch`."),
            "", "Generated from manifests/*.yaml by `python -m psbridge stubs --update`: do not edit.", '"""',
            "from collections.abc import AsyncIterator, Iterable, Iterator, Mapping",
            "from datetime import datetime", "from os import PathLike",
            "from typing import Any, Literal, Protocol, overload"]
    if is_async:
        names = sorted(m.python_name for m in manifests) + [client]
        imported = ["Secret", "_TypeNamed", *r.classes.classes, *(_protocol(n) for n in sorted(r.protocols))]
        head += ["", "from cmdlets.core.errors import *", f"from cmdlets import {', '.join(imported)}"]
        head += [f"from {module} import {', '.join(sorted(found))}" for module, found in sorted(r.imports.items())]
        head += ["", "__all__ = [", *(f"    {n!r}," for n in names), "]"]
        return "\n".join(head + bodies) + "\n"
    classes = list(r.classes.classes.items())
    class_lines: list[str] = []
    for name, cls in classes:
        class_lines += ["", "", *r.object_class(name, cls)]
    protocols: list[str] = []
    for n in sorted(r.protocols):
        protocols += ["", "", f"class {_protocol(n)}(Protocol):", "    @property", f"    def {n}(self) -> Any: ..."]
    names = sorted(m.python_name for m in manifests) + sorted(["Client", "Secret", *(n for n, _ in classes),
                                                               *errors.__all__])
    head += [f"from {module} import {', '.join(sorted(found))}" for module, found in sorted(r.imports.items())]
    head += ["", "from cmdlets.core.errors import *", "from cmdlets.core.secrets import Secret as Secret",
             "", "__all__ = [", *(f"    {n!r}," for n in names), "]", _HEADER_CLASSES.rstrip("\n")]
    return "\n".join(head + protocols + class_lines + bodies) + "\n"


def render(folder: str | None = None) -> str:
    return _render(list(load_manifests(folder).values()), is_async=False)


def render_aio(folder: str | None = None) -> str:
    return _render(list(load_manifests(folder).values()), is_async=True)


def stale() -> Path | None:
    """The path of a stub that differs from what the manifests give, else None."""
    for path, text in ((STUB, render), (AIO_STUB, render_aio)):
        try:
            current = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return path
        if current != text():
            return path
    return None


def write() -> Path:
    STUB.write_text(render(), encoding="utf-8")
    AIO_STUB.write_text(render_aio(), encoding="utf-8")
    return STUB
