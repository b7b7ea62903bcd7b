"""Waiting for an object to reach a state: polls with progress, bounded by -TimeoutSec, stoppable."""
from __future__ import annotations

import time
from typing import Any, Callable, Iterator

from .client import sleep
from .errors import APITimeoutError, WaitTimeoutError


def poll_delays(interval: float) -> Iterator[float]:
    """0, 1/3 and 2/3 of the interval, then the interval: quick answers for quick state changes."""
    yield 0.0
    yield interval / 3
    yield interval * 2 / 3
    while True:
        yield interval


def wait_until(call: Any, fetch: Callable[[float | None], Any], done: Callable[[Any], bool], *,
               current: Any, activity: str, interval: float = 1.0, target: Any = None) -> Any:
    """Fetches until done(obj); `fetch(deadline)` gets the deadline so each poll is bounded by it too.
    With `current` None the first fetch is the first poll."""
    host = call.host
    deadline = time.monotonic() + call.timeout_sec if call.timeout_sec else None
    started = time.monotonic()
    obj = current
    for delay in poll_delays(interval):
        status = getattr(obj, "status", None)
        if obj is not None:
            if done(obj):
                host.progress(activity, f"Status: {status}", 100, True)
                return obj
            host.progress(activity, f"Status: {status} ({time.monotonic() - started:.0f} s)", None, False)
        if deadline is not None:
            delay = min(delay, max(deadline - time.monotonic(), 0.0))
        sleep(delay, host)
        if deadline is not None and time.monotonic() >= deadline:
            raise _timed_out(call, activity, status, target)
        try:
            obj = fetch(deadline)
        except (APITimeoutError, WaitTimeoutError):
            if deadline is None:
                raise
            # a poll is bounded by what is left of the wait, so its timing out is the wait running out,
            # even when it started just before the deadline
            failure = _timed_out(call, activity, status, target)
        else:
            continue
        raise failure


def _timed_out(call: Any, activity: str, status: Any, target: Any) -> WaitTimeoutError:
    return WaitTimeoutError(f"{activity} did not finish within {call.timeout_sec} seconds; last status {status!r}.",
                            target=target)
