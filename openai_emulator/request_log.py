"""Record of every non-control request, exactly as received, for tests to inspect."""
from __future__ import annotations

import threading
from typing import Any


class RequestLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[dict[str, Any]] = []
        self._seq = 0

    def record(self, method: str, raw_path: str, headers: dict[str, str], body: bytes,
               client_port: int) -> dict[str, Any]:
        """Appends an entry; the server fills in its "status" before answering (None if dropped)."""
        text = body.decode("utf-8", "replace") if body else None
        with self._lock:
            self._seq += 1
            entry = {"seq": self._seq, "method": method, "path": raw_path, "headers": headers,
                     "body": text, "client_port": client_port, "status": None}
            self._entries.append(entry)
        return entry

    def list(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(e, headers=dict(e["headers"])) for e in self._entries]

    def clear(self) -> None:
        """Empties the log; seq keeps counting so entries stay unique across clears."""
        with self._lock:
            self._entries = []

    def reset(self) -> None:
        with self._lock:
            self._entries = []
            self._seq = 0
