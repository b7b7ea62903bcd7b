"""Whether a try or trap encloses the statement that runs a cmdlet: PowerShell's own flag, read by reflection.
Its own module so that psbridge.host can read it without importing psbridge.errors (the first error does)."""
from __future__ import annotations

import clr  # the bridge to .NET; provided by Python.Runtime


def _context_reader():
    """PowerShell's own flag for "a try or trap encloses this statement" (ExecutionContext's internal
    PropagateExceptionsToEnclosingStatementBlock, which its error handling reads), reached once by reflection;
    None where this PowerShell does not have it."""
    try:
        from System.Management.Automation.Internal import InternalCommand
        from System.Reflection import BindingFlags
        hidden = BindingFlags.NonPublic | BindingFlags.Instance
        context = clr.GetClrType(InternalCommand).GetProperty("Context", hidden)
        flag = context.PropertyType.GetProperty("PropagateExceptionsToEnclosingStatementBlock", hidden) if context else None
        if context is None or flag is None:
            return None
        return lambda cmdlet: bool(flag.GetValue(context.GetValue(cmdlet)))
    except Exception:       # any failure to reach it means: not known, use the nested throw
        return None


_enclosed = _context_reader()


def in_try_or_trap(cmdlet) -> bool | None:
    """Whether the cmdlet's caller runs it inside a try block or under a trap; None when it cannot be known.
    Only meaningful while the cmdlet's own statement runs: inside the module's Write-PSOpenAIBridgeStream (a
    lazy result written chunk by chunk) its try/finally sets the flag too, so a stream asks when it starts."""
    if _enclosed is None:
        return None
    try:
        return _enclosed(cmdlet)
    except Exception:
        return None
