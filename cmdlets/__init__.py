"""PSOpenAI's Batch cmdlets as Python functions: `from cmdlets import stop_batch`.

Each function is built from its manifest (manifests/<Cmdlet>.yaml): its keywords, aliases, defaults,
validation and docstring all come from there. `Client(api_key=..., base_url=...)` has them all as methods;
cmdlets.aio has them as coroutines.

Built on first use, not at import (PEP 562): `import cmdlets` alone, or importing one of its submodules (as the
PowerShell module does, which reads the manifests itself), costs neither the manifests, nor the docstrings,
nor requests. The first name looked up here (a function, a class, Client, __all__) builds them all at once.
"""
from .core.errors import *  # noqa: F401,F403  (the error classes are part of the public API)
from .core.secrets import Secret  # noqa: F401

_built: "dict | None" = None


def _build() -> dict:
    """Every public name made from the manifests: each function (and under each alias), the API object
    classes the functions return (Batch, File, BatchOutput...), Client, __all__ and _functions."""
    global _built
    if _built is not None:
        return _built
    from .core import errors
    from .core.clients import client_class
    from .core.invoke import make_function
    from .core.manifest import load_manifests
    from .core.returns import returned_classes
    manifests = load_manifests().values()
    functions = {m.python_name: make_function(m) for m in manifests}
    names = dict(functions)
    # A cmdlet's aliases (Register-OpenAIFile -> register_openai_file): the same function under another name,
    # importable but not in __all__, which lists each cmdlet once.
    names.update({a: functions[m.python_name] for m in manifests for a in m.python_aliases})
    # The API object classes the functions return, for annotations and isinstance.
    classes = returned_classes(manifests)
    names.update(classes)
    names["Client"] = client_class(
        "Client", functions, is_async=False,
        doc="Every function of cmdlets as a method, with these API settings (api_key, base_url, timeout, "
            "max_retries...) for each call it makes.")
    names["_functions"] = functions
    # and the error classes, so that `from cmdlets import *` brings what `except` clauses name
    names["__all__"] = sorted(functions) + sorted(["Client", "Secret", *classes, *errors.__all__])
    globals().update(names)     # later lookups find them directly, without __getattr__
    _built = names
    return names


def __getattr__(name: str):
    if name.startswith("__") and name != "__all__":     # (__path__, __file__... are real or absent)
        raise AttributeError(name)
    try:
        return _build()[name]
    except KeyError:
        raise AttributeError(f"module 'cmdlets' has no attribute {name!r}") from None


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_build()))
