"""Where a running cmdlet reports to: Python logging by default, PowerShell's streams through psbridge.

A host has verbose/debug/warning/progress, should_process (-WhatIf/-Confirm), write_error (one bad item
among many) and check_stop (Ctrl+C).
Messages handed to a host are already masked.
"""
from __future__ import annotations

import logging

log = logging.getLogger("cmdlets")


class PythonHost:
    """The host for plain Python calls: messages go to the `cmdlets` logger, everything is confirmed."""

    def __init__(self, logger: logging.Logger = log):
        self.logger = logger

    def verbose(self, message: str) -> None:
        self.logger.info(message)

    def debug(self, message: str) -> None:
        self.logger.debug(message)

    def warning(self, message: str) -> None:
        self.logger.warning(message)

    def progress(self, activity: str, status: str, percent: int | None = None, completed: bool = False) -> None:
        self.logger.info("%s: %s%s", activity, status, " (done)" if completed else "")

    def should_process(self, target: str, action: str) -> bool:
        return True

    def write_error(self, error: Exception) -> None:
        """A failure of one input item. pwsh reports it and goes on with the next; Python raises it."""
        raise error

    def check_stop(self) -> None:
        """Plain Python is interrupted by KeyboardInterrupt; nothing to poll."""
