"""Scripted faults for upcoming requests.

A fault rule is a JSON object, posted to ``POST /__emulator__/faults`` (one object or an array)
or passed as keyword arguments to ``Emulator.inject_fault``. Every field is optional.

Matching - all given conditions must hold. Paths are the raw request path without the query
string, percent-encoding intact. Control requests (``/__emulator__/...``) never match.
    method         "POST"                       HTTP method, case-insensitive (default: any)
    path           "/v1/batches/{id}/cancel"    exact path; each {name} matches one segment
    path_prefix    "/v1/batches"                the path starts with this
    path_regex     "^/v1/batches/[^/]+$"        Python regex, searched in the path

Selection - which of the matching requests are affected:
    count          affect at most N requests (default 1; null = unlimited)
    skip           let the first N matching requests through (default 0)
    every          then affect only every K-th matching request: the K-th, 2K-th, ... (default 1)
    once_per_path  affect each distinct path at most once; requests to a path already affected
                   neither match nor count, so a retry of the same request succeeds (default false)
    e.g. {"method":"POST","path":"/v1/batches/{id}/cancel","status":503,"every":10,
          "once_per_path":true,"count":null}: every 10th batch's first cancel fails once.

Effect - applied before normal handling (and before auth); the request is still logged:
    delay          sleep this many seconds first
    status         response status (default 500; 200 with malformed)
    headers        extra response headers, e.g. {"retry-after": "1"}
    body           JSON response body (default: an OpenAI-style error for the status)
    body_text      raw response body instead, e.g. "<html>Bad gateway</html>"
    content_type   response content type (default application/json; text/html for body_text)
    malformed      true: respond with truncated, unparseable JSON
    drop           true or "before": close the connection without responding
                   "mid": send the headers and half the body, then close
                   "after": handle the request normally (state changes), then close unanswered
    process        true: handle the request normally first (state changes), then answer with this
                   rule's response anyway - a gateway that lost the real answer, e.g. a 502
    stall_after    answer normally, but send only the headers and this many bytes of the body, then
                   wait - until ``POST /__emulator__/faults/release`` (Emulator.release_stalls()) or
                   ``stall`` seconds (default 30) pass - before the rest: a slow download, so a test
                   can see what a client does with the start of a body (GET /__emulator__/faults/stalled
                   counts the answers waiting)
A rule whose only effects are ``delay``, ``stall_after`` and/or ``drop: "after"`` lets the request
through to normal handling; any other rule answers in its place (after normal handling with ``process``).

Rules are tried in the order added; the first rule that selects a request applies. A rule that
has used up its count is discarded.
"""
from __future__ import annotations

import json
import re
import threading
from typing import Any, Callable

from .errors import error_body

_FIELDS = {"method", "path", "path_prefix", "path_regex", "count", "skip", "every", "once_per_path",
           "delay", "status", "headers", "body", "body_text", "content_type", "malformed", "drop", "process",
           "stall_after", "stall"}
_DROP_MODES = {True: "before", "before": "before", "mid": "mid", "after": "after"}
MALFORMED_BODY = b'{"id": "batch_emulated", "object": "batch", "status": "in_pro'


def _default_error(status: int) -> dict[str, Any]:
    if status == 429:
        return error_body("Rate limit reached for requests. Please try again later.", "requests",
                          code="rate_limit_exceeded")
    if status >= 500:
        return error_body("The server had an error while processing your request. Sorry about that!",
                          "server_error")
    return error_body(f"Emulated fault with status {status}.")


def _int(spec: dict[str, Any], name: str, default: int, minimum: int) -> int:
    value = spec.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"fault field '{name}' must be an integer >= {minimum}, got {value!r}")
    return value


class FaultRule:
    """One validated rule plus its counters; instances are only touched under the registry lock."""

    def __init__(self, rule_id: str, spec: dict[str, Any]):
        unknown = set(spec) - _FIELDS
        if unknown:
            raise ValueError(f"unknown fault field(s): {', '.join(sorted(unknown))}")
        self.id = rule_id
        self.spec = dict(spec)
        method = spec.get("method")
        self.method = method.upper() if method else None
        self.path_prefix = spec.get("path_prefix")
        self.path_regex = re.compile(spec["path_regex"]) if spec.get("path_regex") else None
        self.path_pattern = None
        if spec.get("path"):   # "{name}" placeholders match exactly one path segment
            parts = re.split(r"\{[^}/]*\}", spec["path"])
            self.path_pattern = re.compile("[^/]+".join(re.escape(p) for p in parts) + r"\Z")
        self.count = None if spec.get("count", 1) is None else _int(spec, "count", 1, 1)
        self.skip = _int(spec, "skip", 0, 0)
        self.every = _int(spec, "every", 1, 1)
        self.once_per_path = bool(spec.get("once_per_path"))
        self.delay = float(spec.get("delay") or 0)
        if self.delay < 0:
            raise ValueError("fault field 'delay' must be >= 0")
        drop = spec.get("drop") or None
        if drop is not None and drop not in _DROP_MODES:
            raise ValueError("fault field 'drop' must be true, 'before', 'mid' or 'after'")
        self.drop = _DROP_MODES.get(drop) if drop is not None else None
        self.malformed = bool(spec.get("malformed"))
        self.stall_after = None if spec.get("stall_after") is None else _int(spec, "stall_after", 0, 0)
        self.stall = float(spec.get("stall", 30))
        self.process = bool(spec.get("process"))
        if self.process and self.drop in ("before", "after"):
            raise ValueError("fault field 'process' cannot be combined with drop 'before' or 'after'")
        if "body" in spec and "body_text" in spec:
            raise ValueError("give either 'body' or 'body_text', not both")
        status = spec.get("status")
        if status is not None and (isinstance(status, bool) or not isinstance(status, int)
                                   or not 100 <= status <= 599):
            raise ValueError(f"fault field 'status' must be an HTTP status code, got {status!r}")
        headers = spec.get("headers") or {}
        if not isinstance(headers, dict):
            raise ValueError("fault field 'headers' must be an object")
        self.headers = {str(k): str(v) for k, v in headers.items()}
        self.responds = bool(self.drop in ("before", "mid") or self.malformed or status is not None
                             or self.headers or "body" in spec or "body_text" in spec)
        self.status = status if status is not None else (200 if self.malformed else 500)
        self.seen = 0
        self.applied = 0
        self.hit_paths: set[str] = set()

    def matches(self, method: str, path: str) -> bool:
        return ((self.method is None or self.method == method)
                and (self.path_pattern is None or self.path_pattern.match(path) is not None)
                and (self.path_prefix is None or path.startswith(self.path_prefix))
                and (self.path_regex is None or self.path_regex.search(path) is not None))

    def response(self) -> tuple[int, bytes, str, dict[str, str]]:
        """(status, body, content type, extra headers) for a rule that answers in place of the server."""
        if self.malformed:
            body, ctype = MALFORMED_BODY, "application/json"
        elif "body_text" in self.spec:
            body, ctype = str(self.spec["body_text"]).encode("utf-8"), "text/html"
        else:
            payload = self.spec["body"] if "body" in self.spec else _default_error(self.status)
            body, ctype = json.dumps(payload).encode("utf-8"), "application/json"
        return self.status, body, self.spec.get("content_type") or ctype, self.headers

    def describe(self) -> dict[str, Any]:
        remaining = None if self.count is None else self.count - self.applied
        return {"id": self.id, **self.spec, "matched": self.seen, "applied": self.applied, "remaining": remaining}


class FaultRegistry:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self._next_id = 1
        self._release = threading.Event()
        self.stalled = 0        # answers waiting in stall()

    def stall(self, seconds: float, send_start: Callable[[], None]) -> None:
        """Sends the start of an answer, then waits until release() or `seconds` pass; counted as stalled from
        before the start is sent, so a client that has it sees the count."""
        with self._lock:
            self.stalled += 1
            release = self._release
        try:
            send_start()
            release.wait(seconds)
        finally:
            with self._lock:
                self.stalled -= 1

    def release(self) -> None:
        """Lets every stalled answer go on; later ones stall again."""
        with self._lock:
            self._release.set()
            self._release = threading.Event()

    def add(self, spec: dict[str, Any] | list[dict[str, Any]]) -> Any:
        """Adds one rule (returns its description) or a list of rules (all or none)."""
        specs = spec if isinstance(spec, list) else [spec]
        if not all(isinstance(s, dict) for s in specs):
            raise ValueError("a fault rule must be a JSON object")
        with self._lock:
            rules = [FaultRule(f"fault_{self._next_id + i}", s) for i, s in enumerate(specs)]
            self._next_id += len(rules)
            self._rules.extend(rules)
            described = [r.describe() for r in rules]
        return described if isinstance(spec, list) else described[0]

    def list(self) -> list[dict[str, Any]]:
        with self._lock:
            return [r.describe() for r in self._rules]

    def clear(self) -> None:
        with self._lock:
            self._rules = []
        self.release()

    def select(self, method: str, path: str) -> FaultRule | None:
        """The rule that affects this request, with its counters updated; None for most requests."""
        if not self._rules:          # fast path without the lock: the common case in benchmarks
            return None
        with self._lock:
            for rule in self._rules:
                if not rule.matches(method, path) or (rule.once_per_path and path in rule.hit_paths):
                    continue
                rule.seen += 1
                n = rule.seen - rule.skip
                if n <= 0 or n % rule.every:
                    continue
                rule.applied += 1
                if rule.once_per_path:
                    rule.hit_paths.add(path)
                if rule.count is not None and rule.applied >= rule.count:
                    self._rules.remove(rule)
                return rule
        return None
