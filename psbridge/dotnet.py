"""What every part of the bridge's Python half shares about .NET: the assemblies it names, resolved method
overloads, a cache of parsed script blocks and text that .NET can hold. (Running inside pwsh: Python.Runtime
provides `clr`.)"""
from __future__ import annotations

from functools import lru_cache

import clr  # the bridge to .NET; provided by Python.Runtime

from cmdlets.core.errors import without_lone_surrogates

# pythonnet finds types only in loaded assemblies, and which ones pwsh has loaded depends on how it was
# started (startup-profile cache, console or job): load each assembly named below rather than assume it.
# (Looked for first: pythonnet already knows the assemblies loaded when it started or since, and AddReference
# costs a cold process tens of milliseconds even for those.)
from System import Object, String  # noqa: E402
try:
    from System.Management.Automation import Cmdlet, ErrorRecord, ProgressRecord  # noqa: E402
except ImportError:
    clr.AddReference("System.Management.Automation")
    from System.Management.Automation import Cmdlet, ErrorRecord, ProgressRecord  # noqa: E402
try:
    from System.Net import NetworkCredential  # noqa: E402  (psbridge.convert's)
except ImportError:
    clr.AddReference("System.Net.Primitives")
    from System.Net import NetworkCredential  # noqa: E402

# Resolved once: pythonnet picks an overload on every call otherwise, which costs far more than the call.
WRITE_VERBOSE = Cmdlet.WriteVerbose.__overloads__[String]
WRITE_DEBUG = Cmdlet.WriteDebug.__overloads__[String]
WRITE_WARNING = Cmdlet.WriteWarning.__overloads__[String]
WRITE_PROGRESS = Cmdlet.WriteProgress.__overloads__[ProgressRecord]
WRITE_ERROR = Cmdlet.WriteError.__overloads__[ErrorRecord]
SHOULD_PROCESS = Cmdlet.ShouldProcess.__overloads__[String, String]
SAME_OBJECT = Object.ReferenceEquals.__overloads__[Object, Object]


@lru_cache(maxsize=None)
def script_block(text: str):
    """A script block parsed once, on first use (unbound: it runs in the session state it is invoked in)."""
    from System.Management.Automation import ScriptBlock
    return ScriptBlock.Create(text)


def clr_text(text: str) -> str:
    """Text that .NET can hold: a lone surrogate (from a bad \\ud83d escape in a server's JSON) cannot
    cross pythonnet's string conversion, so each becomes U+FFFD rather than the whole message failing."""
    if text.isascii():
        return text
    try:
        text.encode("utf-16-le")
        return text
    except UnicodeEncodeError:
        return without_lone_surrogates(text)
