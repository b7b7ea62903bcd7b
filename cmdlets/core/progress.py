"""Progress of a long transfer (an upload of a big batch input, a download to -OutFile), told to the host as it
goes: Write-Progress in pwsh, INFO lines in Python. Small transfers say nothing; a big one at most twice a second."""
from __future__ import annotations

import time
from typing import Any

MIN_BYTES = 8_000_000       # transfers of this size or more show their progress
EVERY_SECONDS = 0.5


class TransferProgress:
    """`update(done)` as bytes go (on the thread the cmdlet runs on: pwsh's pipeline thread), `finish()` at the
    end. `total`: the size when known (0: not known, the progress then counts bytes without a percentage)."""
    __slots__ = ("host", "activity", "total", "_told", "_shown")

    def __init__(self, host: Any, activity: str, total: int = 0):
        self.host, self.activity, self.total = host, activity, total
        self._told = 0.0
        self._shown = False

    def update(self, done: int) -> None:
        if (self.total or done) < MIN_BYTES:
            return
        now = time.monotonic()
        if now - self._told >= EVERY_SECONDS:
            self._told, self._shown = now, True
            self.host.progress(self.activity, self._status(done), done * 100 // self.total if self.total else None)

    def finish(self, done: int) -> None:
        """The completed record, once something was shown (a bar left open would stay on screen)."""
        if self._shown or (self.total or done) >= MIN_BYTES:
            self.host.progress(self.activity, self._status(done), 100, True)

    def _status(self, done: int) -> str:
        return f"{done / 1e6:,.1f} MB" + (f" of {self.total / 1e6:,.1f} MB" if self.total else "")
