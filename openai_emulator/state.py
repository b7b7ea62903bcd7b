"""In-memory files and batches, and the batch lifecycle.

One lock guards everything: every operation is short, so one lock costs little and rules out
the ordering bugs of finer locking. Timed transitions (``step_seconds``) are applied lazily
whenever batches or files are read, so no background thread is needed.

Lifecycle, one "step" per arrow (``advance`` or ``step_seconds`` elapsing):
    validating -> in_progress -> finalizing -> completed
    validating -> failed                     (input file invalid; errors.data lists the lines)
    cancelling -> cancelled                  (cancel from validating / in_progress / finalizing)
A batch cancelled while in_progress has processed the first half of its requests, one cancelled
while finalizing has processed all of them; those results go to its output/error files.
"""
from __future__ import annotations

import json
import threading
import time
from typing import Any

from . import errors as err
from .batch_processing import (BATCH_ENDPOINTS, canonical_endpoint, expired_line, first_model, run_request,
                               seed_request_lines, validate_input)
from .errors import ApiError
from .ids import new_id
from .idempotency import IdempotencyCache

FILE_PURPOSES = ("assistants", "batch", "evals", "fine-tune", "user_data", "vision")
ACTIVE_STATUSES = ("validating", "in_progress", "finalizing", "cancelling")
CANCELLABLE_STATUSES = ("validating", "in_progress", "finalizing")
# Azure OpenAI keeps a new upload 'pending' for a while, and refuses a batch of it until it is 'processed'.
AZURE_FILE_PROCESSING_SECONDS = 0.3
# What a seeded file may claim: OpenAI's statuses and Azure OpenAI's.
SEED_FILE_STATUSES = ("uploaded", "pending", "running", "processed", "error", "deleting", "deleted")
SEED_STATUSES = ("validating", "in_progress", "finalizing", "completed", "failed",
                 "cancelling", "cancelled", "expired")
COMPLETION_WINDOW_SECONDS = 24 * 3600
EXPIRES_AFTER_RANGE = (3600, 2592000)   # OpenAI's bounds: 1 hour .. 30 days


class _File:
    __slots__ = ("obj", "content", "ready_at")

    def __init__(self, obj: dict[str, Any], content: bytes, ready_at: float | None = None):
        self.obj = obj          # never mutated (replaced when processed), so it can be shared by snapshots
        self.content = content
        self.ready_at = ready_at    # while 'pending': when it becomes 'processed'

    def refreshed(self, now: float) -> "_File":
        if self.ready_at is not None and now >= self.ready_at:
            self.obj, self.ready_at = {**self.obj, "status": "processed"}, None
        return self


class _Batch:
    __slots__ = ("obj", "requests", "errors", "entered", "results", "output_expires_seconds", "azure")

    def __init__(self, obj, requests, errors, entered, output_expires_seconds, azure=False):
        self.obj = obj
        self.requests = requests            # validated input lines
        self.errors = errors                # validation errors; non-empty => the batch fails
        self.entered = entered              # when the current phase began (time.time())
        self.results: list[tuple[bool, dict[str, Any]]] = []   # per processed request, in input order
        self.output_expires_seconds = output_expires_seconds
        self.azure = azure                  # made through Azure OpenAI's routes: its results are Azure's


def _snapshot(batch: dict[str, Any]) -> dict[str, Any]:
    copy = dict(batch)
    copy["request_counts"] = dict(batch["request_counts"])
    if batch["metadata"] is not None:
        copy["metadata"] = dict(batch["metadata"])
    return copy


def _validate_expires_after(value: Any, param: str) -> int | None:
    """Checks an ``{"anchor": "created_at", "seconds": N}`` object; returns the seconds."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise err.invalid_value(param, "expected an object with 'anchor' and 'seconds'.")
    if value.get("anchor") != "created_at":
        raise err.invalid_value(f"{param}.anchor", "expected 'created_at'.")
    seconds = value.get("seconds")
    lo, hi = EXPIRES_AFTER_RANGE
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not lo <= seconds <= hi:
        raise err.invalid_value(f"{param}.seconds", f"expected an integer between {lo} and {hi}.")
    return seconds


def _validate_metadata(metadata: Any) -> dict[str, str] | None:
    if metadata is None:
        return None
    if not isinstance(metadata, dict):
        raise err.invalid_value("metadata", "expected an object.")
    if len(metadata) > 16:
        raise err.invalid_value("metadata", "at most 16 keys are allowed.")
    for key, value in metadata.items():
        if len(key) > 64 or not isinstance(value, str) or len(value) > 512:
            raise err.invalid_value("metadata", "keys must be at most 64 characters and values strings "
                                    "of at most 512 characters.")
    return dict(metadata)


class Store:
    def __init__(self, step_seconds: float | None = None):
        self._lock = threading.Lock()
        self._initial_step_seconds = self._check_step_seconds(step_seconds)
        self.idempotency = IdempotencyCache()      # answers to replay for retried keyed requests
        self.reset()

    # ---- configuration -------------------------------------------------------------------

    def reset(self) -> None:
        """Drops all files, batches and stored idempotent answers; restores the step_seconds given at construction."""
        self.idempotency.clear()
        with self._lock:
            self._files: dict[str, _File] = {}
            self._batches: dict[str, _Batch] = {}
            self._batch_order: list[str] = []          # creation order; batches are never deleted
            self._batch_pos: dict[str, int] = {}
            self._active: dict[str, _Batch] = {}       # non-terminal batches, the only ones that tick
            self.responses: dict[str, dict[str, Any]] = {}     # stored responses (POST /v1/responses), by id
            self._step_seconds = self._initial_step_seconds

    @staticmethod
    def _check_step_seconds(value: Any) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ValueError(f"step_seconds must be a number >= 0 or None, got {value!r}")
        return float(value)

    @property
    def step_seconds(self) -> float | None:
        return self._step_seconds

    def set_step_seconds(self, value: float | None) -> None:
        value = self._check_step_seconds(value)
        with self._lock:
            now = time.time()
            self._tick_all(now)
            self._step_seconds = value
            for batch in self._active.values():   # phases are timed from when timing (re)starts
                batch.entered = now

    # ---- files ---------------------------------------------------------------------------

    def create_file(self, content: bytes, filename: str, purpose: str,
                    expires_after: Any = None, processing_seconds: float = 0) -> dict[str, Any]:
        """`processing_seconds`: how long the file stays 'pending' (Azure OpenAI's uploads do)."""
        if purpose not in FILE_PURPOSES:
            raise ApiError(400, f"'{purpose}' is not one of {list(FILE_PURPOSES)} - 'purpose'",
                           param="purpose", code="invalid_value")
        seconds = _validate_expires_after(expires_after, "expires_after")
        with self._lock:
            return dict(self._add_file(content, filename, purpose, time.time(), seconds, processing_seconds))

    def _add_file(self, content: bytes, filename: str, purpose: str, now: float,
                  expires_seconds: int | None, processing_seconds: float = 0) -> dict[str, Any]:
        created = int(now)
        obj = {"id": new_id("file-"), "object": "file", "bytes": len(content), "created_at": created,
               "expires_at": created + expires_seconds if expires_seconds else None,
               "filename": filename, "purpose": purpose, "status": "pending" if processing_seconds else "processed",
               "status_details": None}
        self._files[obj["id"]] = _File(obj, content, now + processing_seconds if processing_seconds else None)
        return obj

    def seed_file(self, content: bytes = b"", *, filename: str = "input.jsonl", purpose: str = "batch",
                  status: str = "processed", bytes: int | None = None,
                  status_details: str | None = None) -> dict[str, Any]:
        """A file as the API might describe one that an upload cannot make: in any status (it stays in it), and
        claiming ``bytes`` (say 300 MB) whatever the ``content`` it holds."""
        if purpose not in FILE_PURPOSES + ("batch_output",):
            raise err.invalid_value("purpose", f"expected one of {', '.join(FILE_PURPOSES)} or batch_output.")
        if status not in SEED_FILE_STATUSES:
            raise err.invalid_value("status", f"expected one of {', '.join(SEED_FILE_STATUSES)}.")
        if bytes is not None and (isinstance(bytes, bool) or not isinstance(bytes, int) or bytes < 0):
            raise err.invalid_value("bytes", "expected an integer >= 0.")
        with self._lock:
            obj = self._add_file(content, filename, purpose, time.time(), None)
            obj.update(status=status, status_details=status_details)
            if bytes is not None:
                obj["bytes"] = bytes
            return dict(obj)

    def list_files(self, purpose: str | None = None, limit: int = 10000, order: str = "desc",
                   after: str | None = None) -> dict[str, Any]:
        if order not in ("asc", "desc"):
            raise err.invalid_value("order", "expected 'asc' or 'desc'.")
        if not 1 <= limit <= 10000:
            raise err.invalid_value("limit", "expected an integer between 1 and 10000.")
        with self._lock:
            self._tick_all(time.time())
            now = time.time()
            files = [f.refreshed(now).obj for f in self._files.values() if purpose is None or f.obj["purpose"] == purpose]
            if order == "desc":
                files.reverse()
            start = 0
            if after is not None:
                idx = next((i for i, f in enumerate(files) if f["id"] == after), None)
                if idx is None:
                    raise ApiError(400, f"Invalid 'after': no file found with id '{after}'.", param="after")
                start = idx + 1
            page = [dict(f) for f in files[start:start + limit]]
            return _list_object(page, start + limit < len(files))

    # No ticking here: an output file's id is only learnt by reading its batch, which ticks it.
    def get_file(self, file_id: str) -> dict[str, Any]:
        with self._lock:
            return dict(self._file(file_id).obj)

    def file_content(self, file_id: str) -> bytes:
        with self._lock:
            return self._file(file_id).content

    def delete_file(self, file_id: str) -> dict[str, Any]:
        with self._lock:
            self._file(file_id)
            del self._files[file_id]
        return {"id": file_id, "object": "file", "deleted": True}

    def _file(self, file_id: str) -> _File:
        f = self._files.get(file_id)
        if f is None:
            raise err.file_not_found(file_id)
        return f.refreshed(time.time())

    # ---- batches -------------------------------------------------------------------------

    def create_batch(self, input_file_id: Any, endpoint: Any, completion_window: Any,
                     metadata: Any = None, output_expires_after: Any = None, azure: bool = False) -> dict[str, Any]:
        for name, value in (("input_file_id", input_file_id), ("endpoint", endpoint),
                            ("completion_window", completion_window)):
            if value is None:
                raise err.missing_parameter(name)
            if not isinstance(value, str):
                raise err.invalid_value(name, "expected a string.")
        if canonical_endpoint(endpoint) is None:
            raise err.invalid_value("endpoint", f"expected one of {', '.join(BATCH_ENDPOINTS)}, "
                                    f"but got '{endpoint}'.")
        if completion_window != "24h":
            raise err.invalid_value("completion_window", f"expected '24h', but got '{completion_window}'.")
        metadata = _validate_metadata(metadata)
        expires = _validate_expires_after(output_expires_after, "output_expires_after")
        with self._lock:
            f = self._files.get(input_file_id)
            if f is None:
                raise err.file_not_found(input_file_id, param="input_file_id")
            if f.obj["purpose"] != "batch":
                raise ApiError(400, f"The input file must have purpose 'batch', but file '{input_file_id}' "
                               f"has purpose '{f.obj['purpose']}'.", param="input_file_id")
            status = f.refreshed(time.time()).obj["status"]
            if status != "processed":
                raise ApiError(400, f"The input file '{input_file_id}' is in '{status}' state; a batch takes only "
                               "files whose status is 'processed'. Check the file's status and try again.",
                               param="input_file_id")
            batch = self._new_batch(f, endpoint, metadata, expires, time.time())
            batch.azure = azure
            return _snapshot(batch.obj)

    def _new_batch(self, f: _File, endpoint: str, metadata, expires_seconds, now: float) -> _Batch:
        requests, errors = validate_input(f.content, endpoint)
        created = int(now)
        obj = {"id": new_id("batch_"), "object": "batch", "endpoint": endpoint, "errors": None,
               "input_file_id": f.obj["id"], "completion_window": "24h", "status": "validating",
               "output_file_id": None, "error_file_id": None, "created_at": created,
               "in_progress_at": None, "expires_at": created + COMPLETION_WINDOW_SECONDS,
               "finalizing_at": None, "completed_at": None, "failed_at": None, "expired_at": None,
               "cancelling_at": None, "cancelled_at": None,
               "request_counts": {"total": 0, "completed": 0, "failed": 0},
               "metadata": metadata, "model": first_model(requests)}
        batch = _Batch(obj, requests, errors, now, expires_seconds)
        self._batch_pos[obj["id"]] = len(self._batch_order)
        self._batch_order.append(obj["id"])
        self._batches[obj["id"]] = batch
        self._active[obj["id"]] = batch
        return batch

    def get_batch(self, batch_id: str) -> dict[str, Any]:
        with self._lock:
            batch = self._batch(batch_id)
            self._tick(batch, time.time())
            return _snapshot(batch.obj)

    def list_batches(self, limit: int = 20, after: str | None = None) -> dict[str, Any]:
        if not 1 <= limit <= 100:
            raise err.invalid_value("limit", "expected an integer between 1 and 100.")
        with self._lock:
            self._tick_all(time.time())
            end = len(self._batch_order)
            if after is not None:
                end = self._batch_pos.get(after, -1)
                if end < 0:
                    raise ApiError(400, f"Invalid 'after': no batch found with id '{after}'.", param="after")
            start = max(0, end - limit)
            page = [_snapshot(self._batches[i].obj) for i in reversed(self._batch_order[start:end])]
            return _list_object(page, start > 0)

    def cancel_batch(self, batch_id: str) -> dict[str, Any]:
        with self._lock:
            batch = self._batch(batch_id)
            now = time.time()
            self._tick(batch, now)
            self._cancel(batch, now)
            return _snapshot(batch.obj)

    def advance(self, batch_id: str | None = None, steps: int = 1) -> Any:
        """Moves one batch (or every non-terminal batch) ``steps`` phases on; terminal ones stay put.

        Returns the batch when batch_id is given, else the list of batches that were active.
        """
        if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
            raise err.invalid_value("steps", "expected an integer >= 0.")
        with self._lock:
            now = time.time()
            targets = [self._batch(batch_id)] if batch_id is not None else list(self._active.values())
            for batch in targets:
                self._tick(batch, now)
                for _ in range(steps):
                    if not self._step(batch, now):
                        break
            snaps = [_snapshot(b.obj) for b in targets]
            return snaps[0] if batch_id is not None else snaps

    def seed_batch(self, status: str = "in_progress", *, endpoint: str = "/v1/chat/completions",
                   n_requests: int = 3, n_failing: int = 0, model: str = "gpt-4o-mini",
                   metadata: dict[str, str] | None = None, lines: list[Any] | None = None) -> dict[str, Any]:
        """Creates an input file and a batch already in ``status``, reached through the real
        lifecycle so timestamps, counts and output files are consistent.

        ``lines`` (dicts or raw strings) replaces the generated input; for status "failed" the
        generated input gets an unparseable line appended.
        """
        if status not in SEED_STATUSES:
            raise err.invalid_value("status", f"expected one of {', '.join(SEED_STATUSES)}.")
        if endpoint not in BATCH_ENDPOINTS:
            raise err.invalid_value("endpoint", f"expected one of {', '.join(BATCH_ENDPOINTS)}.")
        if not (isinstance(n_requests, int) and isinstance(n_failing, int) and 0 <= n_failing <= n_requests):
            raise err.invalid_value("n_requests", "expected integers with 0 <= n_failing <= n_requests.")
        metadata = _validate_metadata(metadata)
        if lines is None:
            lines = seed_request_lines(endpoint, model, n_requests, n_failing)
            if status == "failed":
                lines.append("this line is not JSON")
        content = "".join((line if isinstance(line, str) else json.dumps(line)) + "\n"
                          for line in lines).encode("utf-8")
        if status != "validating" and bool(validate_input(content, endpoint)[1]) != (status == "failed"):
            raise err.invalid_value("lines", f"these lines cannot produce a '{status}' batch.")
        with self._lock:
            now = time.time()
            f = self._add_file(content, "batch_input.jsonl", "batch", now, None)
            batch = self._new_batch(self._files[f["id"]], endpoint, metadata, None, now)
            if status != "validating":
                self._step(batch, now)
            if status in ("finalizing", "completed"):
                self._step(batch, now)
            if status == "completed":
                self._step(batch, now)
            if status in ("cancelling", "cancelled"):
                self._cancel(batch, now)
            if status == "cancelled":
                self._step(batch, now)
            if status == "expired":
                self._expire(batch, now)
            return _snapshot(batch.obj)

    # ---- lifecycle internals (caller holds the lock) -------------------------------------

    def _batch(self, batch_id: str) -> _Batch:
        batch = self._batches.get(batch_id)
        if batch is None:
            raise err.batch_not_found(batch_id)
        return batch

    def _tick(self, batch: _Batch, now: float) -> None:
        step = self._step_seconds
        if step is None:
            return
        # Each transition happens at its deadline, not at "now", so timestamps stay evenly spaced.
        while batch.obj["status"] in ACTIVE_STATUSES and now >= batch.entered + step:
            self._step(batch, batch.entered + step)

    def _tick_all(self, now: float) -> None:
        if self._step_seconds is not None:
            for batch in list(self._active.values()):
                self._tick(batch, now)

    def _step(self, batch: _Batch, at: float) -> bool:
        obj = batch.obj
        status, ts = obj["status"], int(at)
        if status == "validating":
            if batch.errors:
                obj.update(status="failed", failed_at=ts, errors={"object": "list", "data": batch.errors})
            else:
                obj.update(status="in_progress", in_progress_at=ts)
                obj["request_counts"] = {"total": len(batch.requests), "completed": 0, "failed": 0}
        elif status == "in_progress":
            self._process(batch, len(batch.requests), ts)
            obj.update(status="finalizing", finalizing_at=ts)
        elif status == "finalizing":
            self._write_results(batch, at)
            obj.update(status="completed", completed_at=ts)
        elif status == "cancelling":
            self._write_results(batch, at)
            obj.update(status="cancelled", cancelled_at=ts)
        else:
            return False
        batch.entered = at
        if obj["status"] not in ACTIVE_STATUSES:
            self._active.pop(obj["id"], None)
        return True

    def _cancel(self, batch: _Batch, now: float) -> None:
        status = batch.obj["status"]
        if status == "cancelling":
            return
        if status not in CANCELLABLE_STATUSES:
            raise ApiError(409, f"Cannot cancel a batch with status '{status}'.")
        if status == "in_progress":
            self._process(batch, len(batch.requests) // 2, int(now))
        batch.obj.update(status="cancelling", cancelling_at=int(now))
        batch.entered = now

    def _expire(self, batch: _Batch, now: float) -> None:
        """Expires an in-progress batch: unprocessed requests go to the error file as batch_expired."""
        obj = batch.obj
        done = len(batch.results)
        batch.results.extend((False, expired_line(r)) for r in batch.requests[done:])
        obj["request_counts"]["failed"] += len(batch.requests) - done
        self._write_results(batch, now)
        obj.update(status="expired", expired_at=int(now))
        self._active.pop(obj["id"], None)

    def _process(self, batch: _Batch, upto: int, now: int) -> None:
        counts = batch.obj["request_counts"]
        for request in batch.requests[len(batch.results):upto]:
            ok, line = run_request(request, batch.obj["endpoint"], now, batch.azure)
            batch.results.append((ok, line))
            counts["completed" if ok else "failed"] += 1

    def _write_results(self, batch: _Batch, now: float) -> None:
        obj = batch.obj
        for ok, field, suffix in ((True, "output_file_id", "output"), (False, "error_file_id", "error")):
            lines = [json.dumps(line) for good, line in batch.results if good is ok]
            if lines:
                content = ("\n".join(lines) + "\n").encode("utf-8")
                f = self._add_file(content, f"{obj['id']}_{suffix}.jsonl", "batch_output", now,
                                   batch.output_expires_seconds)
                obj[field] = f["id"]


def _list_object(data: list[dict[str, Any]], has_more: bool) -> dict[str, Any]:
    return {"object": "list", "data": data,
            "first_id": data[0]["id"] if data else None,
            "last_id": data[-1]["id"] if data else None,
            "has_more": has_more}
