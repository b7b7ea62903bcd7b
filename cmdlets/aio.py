"""The functions of `cmdlets` as coroutines, and AsyncClient: `await aio.stop_batch(...)`.

requests has no async API, so each call runs in a worker thread while the event loop goes on. Cancelling
the awaiting task (a timeout, task.cancel(), asyncio.TaskGroup, Ctrl+C in asyncio.run) sets the call's stop
event: the HTTP core's watchdog then shuts the request's socket down at once (cmdlets/core/watchdog.py),
waits and polls end, and the coroutine raises CancelledError once the thread has let go, so nothing of the
call is still running. A function that returns an iterator (get_batch(all=True), get_batch_output,
stream=True) returns an async iterator here: `async for b in await aio.get_batch(all=True)`; each step runs
in the thread the same way, and `aclose()` or leaving the loop ends the listing.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import os
import threading
from collections.abc import Iterator
from typing import Any, Callable

from . import _functions as _sync_functions
from .core.clients import client_class
from .core.errors import OperationStoppedError
from .core.host import PythonHost

# Not the event loop's default executor (a handful of threads): each call holds its thread for the whole
# request, so as many may run at once as callers start, up to this.
def _executor() -> concurrent.futures.ThreadPoolExecutor:
    return concurrent.futures.ThreadPoolExecutor(max_workers=64, thread_name_prefix="cmdlets-aio")


_EXECUTOR = _executor()


def _after_fork_in_child() -> None:
    # A forked child has none of the executor's threads, but the executor counts the parent's idle ones as
    # there: it would queue every call for workers that never come, and each await would hang. The child
    # starts a pool of its own (the parent's copy is dropped unshut: joining threads that are not there
    # would hang too).
    global _EXECUTOR
    _EXECUTOR = _executor()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
STOP_GRACE_SECONDS = 5.0    # how long a cancelled call may take to let go (the watchdog acts within 0.1 s)


class _AsyncHost(PythonHost):
    """PythonHost for a call run in a worker thread: its warnings are kept, and issued by the coroutine that
    awaits the step that gave them (_in_thread), so that warnings.warn attributes them to the caller's line, as
    for a plain call. Issued in the worker, they were the pool's (concurrent/futures/thread.py): no filter by
    module applied, and the default filter showed each message once per process, whichever caller it was for."""

    def __init__(self, stop: threading.Event):
        super().__init__(stop=stop)
        self.pending: list[str] = []

    def warning(self, message: str) -> None:
        self.pending.append(message)

    def issue_pending(self) -> None:
        while self.pending:
            PythonHost.warning(self, self.pending.pop(0))


async def _in_thread(stop: threading.Event, work: Callable[[], Any], host: _AsyncHost | None = None) -> Any:
    future = _EXECUTOR.submit(work)
    try:
        result = await asyncio.wrap_future(future)
    except asyncio.CancelledError:
        stop.set()      # the request in flight is shut down; a call not started yet never starts
        ended = asyncio.wrap_future(future)
        # What the stopped call raises (OperationStoppedError) is the cancel's doing: taken here, so that
        # asyncio does not log "Future exception was never retrieved" for it.
        ended.add_done_callback(_retrieve)
        await asyncio.wait([ended], timeout=STOP_GRACE_SECONDS)
        raise
    except BaseException:
        if host is not None:
            host.issue_pending()    # (what the call warned about before it failed, before its error)
        raise
    if host is not None:
        host.issue_pending()
    return result


def _retrieve(future: asyncio.Future) -> None:
    if not future.cancelled():
        future.exception()


class AsyncResults:
    """The async iterator of a function's lazy results: each next item is read in a worker thread."""

    def __init__(self, items: Iterator[Any], stop: threading.Event, host: _AsyncHost | None = None):
        self._items, self._stop, self._host = items, stop, host

    def __aiter__(self) -> "AsyncResults":
        return self

    async def __anext__(self) -> Any:
        done = object()
        item = await _in_thread(self._stop, lambda: next(self._items, done), self._host)
        if item is done:
            raise StopAsyncIteration
        return item

    async def aclose(self) -> None:
        """Ends the listing or stream (its connection closed); the next step raises StopAsyncIteration."""
        self._stop.set()
        close = getattr(self._items, "close", None)
        if close is not None:
            try:
                await asyncio.wrap_future(_EXECUTOR.submit(close))
            except OperationStoppedError:
                pass
        self._items = iter(())


async def _run(fn: Callable[..., Any], args: tuple, kwargs: dict[str, Any]) -> Any:
    stop = threading.Event()
    host = _AsyncHost(stop)
    result = await _in_thread(stop, lambda: fn.call_with(args, kwargs, host), host)
    if isinstance(result, Iterator):
        return AsyncResults(result, stop, host)
    return result


def _coroutine(fn: Callable[..., Any]) -> Callable[..., Any]:
    async def call(*args: Any, **kwargs: Any) -> Any:
        return await _run(fn, args, kwargs)
    call.__name__ = call.__qualname__ = fn.__name__
    call.__module__ = __name__
    call.__doc__ = fn.__doc__
    call.__signature__ = fn.__signature__
    return call


_functions = {name: _coroutine(fn) for name, fn in _sync_functions.items()}
globals().update(_functions)
AsyncClient = client_class("AsyncClient", _sync_functions, is_async=True, run=_run,
                           doc="Every function of cmdlets.aio as a coroutine method, with these API settings "
                               "(api_key, base_url, timeout, max_retries...) for each call it makes.")
__all__ = sorted(_functions) + ["AsyncClient"]
