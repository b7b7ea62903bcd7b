"""What each Python function returns, per case: the manifest's `python_returns`, else the implementation's
return annotation. Read by the typed stub (psbridge/stubs.py: one overload per case), by help() (Returns)
and by `cmdlets` itself, which exports every API object class a function can return (and those their
fields hold), so that what the stub declares can be imported.
"""
from __future__ import annotations

import ast
import builtins
import importlib
import inspect
from typing import Any, Iterable

from . import objects
from .manifest import Manifest, ManifestError, PythonReturn

# Names an annotation may use without importing them: the stub imports these itself.
TYPING_NAMES = {"Any": "typing", "Literal": "typing", "Iterator": "collections.abc", "Iterable": "collections.abc",
                "Mapping": "collections.abc", "Sequence": "collections.abc", "datetime": "datetime"}


def return_cases(m: Manifest) -> tuple[PythonReturn, ...]:
    if m.python_returns:
        return m.python_returns
    annotation = inspect.signature(m.load_implementation()).return_annotation
    if annotation is inspect.Signature.empty:
        return (PythonReturn(type="Any"),)
    if not isinstance(annotation, str):
        annotation = inspect.formatannotation(annotation)
    return (PythonReturn(type=annotation),)


def names_in(annotation: str) -> list[str]:
    """The names an annotation text uses, builtins and typing names left out."""
    found = [n.id for n in ast.walk(ast.parse(annotation, mode="eval")) if isinstance(n, ast.Name)]
    return list(dict.fromkeys(n for n in found if n != "None" and not hasattr(builtins, n) and n not in TYPING_NAMES))


def resolve(m: Manifest, annotation: str) -> dict[str, Any]:
    """name -> the object each name of `annotation` stands for: the implementation module's, else
    cmdlets.core.objects'. An unknown name is a ManifestError naming the manifest."""
    module = importlib.import_module(m.load_implementation().__module__)
    found = {}
    for name in names_in(annotation):
        obj = getattr(module, name, None) or getattr(objects, name, None)
        if obj is None:
            raise ManifestError(f"{m.path}: python_returns: {name!r} in {annotation!r} is neither in "
                                f"{module.__name__} nor in cmdlets.core.objects")
        found[name] = obj
    return found


def returned_classes(manifests: Iterable[Manifest]) -> dict[str, type]:
    """Every JsonObject class a function returns, with the classes their fields hold and their bases, in an
    order where each class comes after its bases: name -> class."""
    seen: dict[str, type] = {}

    def add(cls: type) -> None:
        if not (isinstance(cls, type) and issubclass(cls, objects.JsonObject)) or cls.__name__ in seen:
            return
        for base in cls.__mro__[1:]:
            if base is not objects.JsonObject and issubclass(base, objects.JsonObject):
                add(base)
        seen[cls.__name__] = cls
        module = importlib.import_module(cls.__module__)
        for annotation in objects.declared_fields(cls).values():
            for name in names_in(annotation):
                add(getattr(module, name, None) or getattr(objects, name, None))

    add(objects.JsonObject)
    add(objects.ApiObject)
    for m in manifests:
        for case in return_cases(m):
            for obj in resolve(m, case.type).values():
                add(obj)
    return seen
