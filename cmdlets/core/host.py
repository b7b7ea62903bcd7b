"""Where a running cmdlet reports to: Python logging and warnings by default, PowerShell's streams through psbridge.

A host has verbose/debug/warning/progress, should_process (-WhatIf/-Confirm), write_error (one bad item
among many), check_stop (Ctrl+C: raises once the caller wants to stop) and `stopping`: a cheap callable
returning True once the caller wants to stop, which the HTTP core's watchdog polls to end a request in
flight - or None for a host that is never stopped that way (its requests need no watching). A host may
have wants("verbose"/"debug"), so that messages nobody sees are not even formatted, and notice() for what
is worth noting but is no advice to the caller (a retry; without it, warning() shows it).
Messages handed to a host are already masked.
"""
from __future__ import annotations

import logging
import sys
import threading
import warnings

from .errors import OpenAIWarning, OperationStoppedError

log = logging.getLogger("cmdlets")
_OWN_PACKAGES = frozenset({"cmdlets", "psbridge"})


class PythonHost:
    """The host for plain Python calls: verbose and debug messages and retries go to the `cmdlets` logger,
    warnings are warnings.warn(OpenAIWarning), everything is confirmed."""

    def __init__(self, logger: logging.Logger = log, stop: threading.Event | None = None):
        """`stop`: an event another thread may set to stop the cmdlet, a request in flight included;
        the cmdlet then raises OperationStoppedError. Without one, Ctrl+C (KeyboardInterrupt) is the way."""
        self.logger = logger
        self.stop = stop
        self.stopping = stop.is_set if stop is not None else None

    def wants(self, stream: str) -> bool:
        """Whether messages of a stream ("verbose", "debug") are shown: the caller skips formatting them if not."""
        return self.logger.isEnabledFor(logging.DEBUG if stream == "debug" else logging.INFO)

    def verbose(self, message: str) -> None:
        self.logger.info(message)

    def debug(self, message: str) -> None:
        self.logger.debug(message)

    def warning(self, message: str) -> None:
        """Advice about the call or its result: a warnings.warn of OpenAIWarning, attributed to the first line
        outside this package (the caller's), so that warning filters and `-W` govern it as any library's."""
        level, frame = 1, sys._getframe(0)
        while frame is not None and frame.f_globals.get("__name__", "").partition(".")[0] in _OWN_PACKAGES:
            frame, level = frame.f_back, level + 1
        warnings.warn(OpenAIWarning(message), stacklevel=level)

    def notice(self, message: str) -> None:
        """An event worth noting that nothing in the call could change (a retry): the `cmdlets` logger's WARNING."""
        self.logger.warning(message)

    def progress(self, activity: str, status: str, percent: int | None = None, completed: bool = False) -> None:
        self.logger.info("%s: %s%s", activity, status, " (done)" if completed else "")

    def should_process(self, target: str, action: str) -> bool:
        return True

    def write_error(self, error: Exception) -> None:
        """A failure of one input item. pwsh reports it and goes on with the next; Python raises it."""
        raise error

    def check_stop(self) -> None:
        if self.stop is not None and self.stop.is_set():
            raise OperationStoppedError("The operation was stopped.")


class Native:
    """A value a host made itself (pwsh's Get-OpenAIContext: PSOpenAI's object, a SecureString inside),
    handed back to that host as it is rather than converted like API objects."""
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value
