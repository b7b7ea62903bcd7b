"""Idempotency-Key: the first answer to a keyed request is replayed to every retry that carries the same key.

A client that retries a POST whose answer was lost (a gateway 502 after the server did the work) must not
create a second batch; the OpenAI API, like Stripe's, stores the result under the key and answers the retry
with it. Keys are scoped to the Authorization header, so one caller can never replay another's answer.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import replace

from .errors import ApiError
from .http_types import Response

MAX_KEYS = 10_000           # oldest keys are forgotten first; enough for any retry window in tests
_RUNNING = object()


class IdempotencyCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[str, str], tuple[tuple, object]] = OrderedDict()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    @staticmethod
    def fingerprint(method: str, path: str, body: bytes) -> tuple:
        return method, path, hashlib.sha256(body).digest()

    def begin(self, scope: tuple[str, str], fingerprint: tuple) -> Response | None:
        """The stored answer to replay, or None when this request is to run (and finish() to be called)."""
        with self._lock:
            entry = self._entries.get(scope)
            if entry is None:
                self._entries[scope] = (fingerprint, _RUNNING)
                while len(self._entries) > MAX_KEYS:
                    self._entries.popitem(last=False)
                return None
            stored_fingerprint, response = entry
        if stored_fingerprint != fingerprint:
            raise ApiError(400, "Keys for idempotent requests can only be used with the same parameters "
                           "they were first used with.", code="idempotency_key_reused")
        if response is _RUNNING:
            raise ApiError(409, "A request with the same Idempotency-Key is still being processed.",
                           code="idempotency_key_in_use")
        return replace(response, headers={**response.headers, "Idempotent-Replayed": "true"})

    def finish(self, scope: tuple[str, str], response: Response | None) -> None:
        """Stores the answer; an answer that says "try again" (none, 401, 429, 5xx) is forgotten instead,
        so the retry runs for real."""
        with self._lock:
            entry = self._entries.get(scope)
            if entry is None or entry[1] is not _RUNNING:
                return
            if response is None or response.status in (401, 429) or response.status >= 500:
                del self._entries[scope]
            else:
                self._entries[scope] = (entry[0], response)
