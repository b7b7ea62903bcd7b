"""cmdlets/__init__.pyi: the cmdlet functions' types for editors and type checkers, generated from the manifests.

`cmdlets` creates its functions at import (cmdlets/__init__.py), so without this stub an editor sees no
`stop_batch`. Each function's signature, defaults and docstring's first line come from its manifest, as
its runtime signature does (cmdlets.core.invoke); its return type is its implementation's annotation.

    python -m psbridge stubs --update    rewrite the committed stub (after changing a manifest)
    python -m psbridge stubs --check     exit 1 when it is stale (tests/python/test_stubs.py does the same)
"""
from __future__ import annotations

import ast
import builtins
import importlib
import inspect
import keyword
from pathlib import Path

from cmdlets.core.manifest import Manifest, Parameter, load_manifests

STUB = Path(__file__).resolve().parents[1] / "cmdlets" / "__init__.pyi"

# What each manifest type accepts from Python (cmdlets.core.binding.accepts), as annotations.
_TYPES = {"String": "str", "String[]": "str | Sequence[str]", "Int32": "int", "Double": "float",
          "SwitchParameter": "bool", "Uri": "str", "SecureString": "str | Secret",
          "Byte[]": "bytes | bytearray | memoryview", "IDictionary": "Mapping[str, Any]", "Object": "Any",
          "Boolean": "bool"}


def _parameter_type(p: Parameter) -> str:
    if p.secret and p.type != "SecureString":
        return f"{_TYPES[p.type]} | Secret"
    if p.type == "Object" and p.collect:
        return "Any | Iterable[Any]"
    return _TYPES[p.type]


def _default(p: Parameter) -> str:
    value = False if p.type == "SwitchParameter" else p.default
    if value is None:
        return "None"
    if isinstance(value, (bool, int, float, str)):
        return repr(value)
    return "..."


class _Returns:
    """Return annotations rewritten with the names the stub imports (collected in `imports`)."""

    def __init__(self) -> None:
        self.imports: dict[str, set[str]] = {}

    def annotation(self, m: Manifest) -> str:
        impl = m.load_implementation()
        text = inspect.signature(impl).return_annotation
        if text is inspect.Signature.empty:
            return "Any"
        if not isinstance(text, str):
            text = inspect.formatannotation(text)
        namespace = vars(importlib.import_module(impl.__module__))
        for node in ast.walk(ast.parse(text, mode="eval")):
            if isinstance(node, ast.Name) and node.id != "None" and not hasattr(builtins, node.id):
                obj = namespace.get(node.id)
                module = getattr(obj, "__module__", None)
                if module is None:
                    return "Any"
                self.imports.setdefault(module, set()).add(node.id)
        return text


def _signature(m: Manifest, returns: _Returns) -> list[str]:
    params: list[str] = []
    if any(ms.by_value or ms.position == 0 for p in m.parameters for ms in p.sets.values()):
        params += [f"{m.positional_name}: Any = None", "/"]
    keywords = []
    for p in m.parameters:
        annotation = _parameter_type(p)
        default = _default(p)
        if default == "None" and annotation != "Any":
            annotation += " | None"
        keywords.append(f"{p.python_name}: {annotation} = {default}")
        # Aliases are keywords too, always optional.
        for alias in p.python_aliases:
            if not keyword.iskeyword(alias):
                keywords.append(f"{alias}: {_parameter_type(p)} | None = None")
    if keywords:
        params += ["*", *keywords]
    lines = [f"def {m.python_name}("]
    lines += [f"    {p}," for p in params]
    synopsis = m.synopsis.strip().splitlines()[0].replace('"""', "'''").rstrip("\\")
    lines += [f") -> {returns.annotation(m)}:", f'    """{synopsis}"""', "    ..."]
    return lines


def render(folder: str | None = None) -> str:
    manifests = list(load_manifests(folder).values())
    returns = _Returns()
    bodies: list[str] = []
    for m in manifests:
        bodies += ["", "", *_signature(m, returns)]
        for alias in m.python_aliases:
            bodies += ["", f"{alias} = {m.python_name}"]
    names = sorted(m.python_name for m in manifests) + ["ApiObject", "Batch", "Secret"]
    imports = {"collections.abc": {"Iterable", "Mapping", "Sequence"}, "typing": {"Any"}}
    for module, found in returns.imports.items():
        imports.setdefault(module, set()).update(found)
    own = {"cmdlets.core.objects": {"ApiObject", "Batch"}, "cmdlets.core.secrets": {"Secret"}}   # re-exported below
    out = ['"""PSOpenAI\'s Batch cmdlets as Python functions: `from cmdlets import stop_batch`.', "",
           "Generated from manifests/*.yaml by `python -m psbridge stubs --update`: do not edit.", '"""']
    out += [f"from {module} import {', '.join(sorted(imports[module] - own.get(module, set())))}"
            for module in sorted(imports, key=lambda m: (m.startswith("cmdlets"), m))
            if imports[module] - own.get(module, set())]
    out += ["", "from cmdlets.core.errors import *",
            "from cmdlets.core.objects import ApiObject as ApiObject, Batch as Batch",
            "from cmdlets.core.secrets import Secret as Secret", "", "__all__ = ["]
    out += [f"    {name!r}," for name in names] + ["]"]
    return "\n".join(out + bodies) + "\n"


def stale() -> Path | None:
    """The stub's path when it differs from what the manifests give, else None."""
    try:
        current = STUB.read_text(encoding="utf-8")
    except FileNotFoundError:
        return STUB
    return STUB if current != render() else None


def write() -> Path:
    STUB.write_text(render(), encoding="utf-8")
    return STUB
