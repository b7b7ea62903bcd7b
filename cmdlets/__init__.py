"""PSOpenAI's Batch cmdlets as Python functions: `from cmdlets import stop_batch`.

Each function is built from its manifest (manifests/<Cmdlet>.yaml): its keywords, aliases, defaults,
validation and docstring all come from there. `Client(api_key=..., base_url=...)` has them all as methods;
cmdlets.aio has them as coroutines.
"""
from .core.clients import client_class as _client_class
from .core.errors import *  # noqa: F401,F403  (the error classes are part of the public API)
from .core.invoke import make_function as _make_function
from .core.manifest import load_manifests as _load_manifests
from .core.returns import returned_classes as _returned_classes
from .core.secrets import Secret  # noqa: F401

_functions = {m.python_name: _make_function(m) for m in _load_manifests().values()}
globals().update(_functions)
# A cmdlet's aliases (Register-OpenAIFile -> register_openai_file): the same function under another name,
# importable but not in __all__, which lists each cmdlet once.
globals().update({a: _functions[m.python_name] for m in _load_manifests().values() for a in m.python_aliases})
# The API object classes the functions return (Batch, File, BatchOutput...), for annotations and isinstance.
_classes = _returned_classes(_load_manifests().values())
globals().update(_classes)
Client = _client_class("Client", _functions, is_async=False,
                       doc="Every function of cmdlets as a method, with these API settings (api_key, base_url, "
                           "timeout, max_retries...) for each call it makes.")
__all__ = sorted(_functions) + sorted(["Client", "Secret", *_classes])
