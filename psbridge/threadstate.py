"""Keeps one Python thread state per .NET thread that calls into the bridge.

pythonnet enters Python from .NET with PyGILState_Ensure and leaves with PyGILState_Release. On a thread
that has no Python thread state (any thread but the one that started Python: ForEach-Object -Parallel,
thread jobs, runspace pools) Ensure creates one and Release deletes it again, on every call: about half
of a bridge round trip there. pin() takes one more Ensure that is never released, so the state lives as
long as the thread and each later call only takes and gives back the GIL.

A thread that ends leaves its pinned state behind. Pinned states are counted; past LIMIT, those whose
native thread is gone are deleted (Linux: /proc/self/task; Windows: the process's thread list). Where
that cannot be known, no new thread is pinned past LIMIT and calls there work as before, only slower.
"""
from __future__ import annotations

import ctypes
import os
import sys
import threading

LIMIT = 64

_api = ctypes.pythonapi
_api.PyGILState_Ensure.restype = ctypes.c_int
_api.PyThreadState_Get.restype = ctypes.c_void_p
_api.PyThreadState_Clear.argtypes = [ctypes.c_void_p]
_api.PyThreadState_Delete.argtypes = [ctypes.c_void_p]

# Per Python thread state: set once that state is pinned. A new state (a thread never pinned, or one
# reusing an ended thread's ident) starts without it.
_local = threading.local()
# Each pinned PyThreadState* -> its thread's native id. Read and changed with the GIL held.
_pinned: dict[int, int] = {}


def pin() -> None:
    """Called first thing by every entry point from .NET, with the GIL held (an attribute read once pinned)."""
    if getattr(_local, "pinned", False):
        return
    if len(_pinned) >= LIMIT and not _release_ended():
        return
    _api.PyGILState_Ensure()        # (the GIL is held already: this only counts one more user of the state)
    _pinned[_api.PyThreadState_Get()] = threading.get_native_id()
    _local.pinned = True


def pinned_count() -> int:
    return len(_pinned)


def _release_ended() -> bool:
    """Deletes the states of pinned threads that have ended; whether any was."""
    alive = _native_threads()
    if alive is None:
        return False
    ended = [state for state, native in _pinned.items() if native not in alive]
    for state in ended:
        del _pinned[state]
        _api.PyThreadState_Clear(state)     # (not the current state: its thread is gone, with no frame)
        _api.PyThreadState_Delete(state)
    return bool(ended)


def _native_threads() -> set[int] | None:
    """The native ids of the process's live threads, or None where they cannot be listed reliably."""
    if sys.platform.startswith("linux"):
        try:
            return {int(name) for name in os.listdir("/proc/self/task")}
        except OSError:
            return None
    if sys.platform == "win32":
        from System.Diagnostics import Process     # (OS thread ids, as threading.get_native_id gives)
        return {thread.Id for thread in Process.GetCurrentProcess().Threads}
    return None
