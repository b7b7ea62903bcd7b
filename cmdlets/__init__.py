"""PSOpenAI's Batch cmdlets as Python functions: `from cmdlets import stop_batch`.

Each function is built from its manifest (manifests/<Cmdlet>.yaml): its keywords, aliases, defaults,
validation and docstring all come from there.
"""
from .core.errors import *  # noqa: F401,F403  (the error classes are part of the public API)
from .core.invoke import make_function as _make_function
from .core.manifest import load_manifests as _load_manifests
from .core.objects import ApiObject, Batch  # noqa: F401
from .core.secrets import Secret  # noqa: F401

_functions = {m.python_name: _make_function(m) for m in _load_manifests().values()}
globals().update(_functions)
# A cmdlet's aliases (Register-OpenAIFile -> register_openai_file): the same function under another name,
# importable but not in __all__, which lists each cmdlet once.
globals().update({a: _functions[m.python_name] for m in _load_manifests().values() for a in m.python_aliases})
__all__ = sorted(_functions) + ["ApiObject", "Batch", "Secret"]
