"""The test-control routes under /__emulator__/ (no auth): request log, faults, lifecycle, seeding.

    GET    /__emulator__/requests   -> [{"seq","method","path","headers","body","client_port","status"}]
    DELETE /__emulator__/requests   clears the log
    GET    /__emulator__/faults     -> active rules with counters;  DELETE clears them
    POST   /__emulator__/faults     one rule object or an array of them (fields: see faults.py)
    GET    /__emulator__/faults/stalled  -> {"stalled": N}: answers waiting in a stall_after rule
    POST   /__emulator__/faults/release  lets them go on
    POST   /__emulator__/reset      clears files, batches, faults and the log; restores step_seconds
    POST   /__emulator__/advance    {"batch_id": optional, "steps": 1} -> the batch, or a list
                                    object of every batch that was not yet terminal
    GET/POST /__emulator__/config   {"step_seconds": number|null}  (null = manual mode)
    POST   /__emulator__/seed       {"status","endpoint","n_requests","n_failing","model","metadata",
                                    "lines"} -> the batch; with "count": N -> a list object of N batches
    POST   /__emulator__/files      {"content" (text),"filename","purpose","status","bytes","status_details"}
                                    -> a file in any status, claiming any size (Store.seed_file)
"""
from __future__ import annotations

from typing import Any

from .errors import ApiError
from .faults import FaultRegistry
from .http_types import Request, Response, json_response
from .request_log import RequestLog
from .state import Store

_SEED_FIELDS = {"status", "endpoint", "n_requests", "n_failing", "model", "metadata", "lines"}
_SEED_FILE_FIELDS = {"filename", "purpose", "status", "bytes", "status_details"}


def _list(data: list[Any]) -> dict[str, Any]:
    return {"object": "list", "data": data}


def handle(store: Store, faults: FaultRegistry, log: RequestLog, req: Request) -> Response:
    """Routes a control request; ``req.segments`` starts after "__emulator__"."""
    route = (req.method, "/".join(req.segments))
    try:
        if route == ("GET", "requests"):
            return json_response(log.list())
        if route == ("DELETE", "requests"):
            log.clear()
            return json_response({"ok": True})
        if route == ("GET", "faults"):
            return json_response(faults.list())
        if route == ("POST", "faults"):
            return json_response(faults.add(req.json()))
        if route == ("GET", "faults/stalled"):
            return json_response({"stalled": faults.stalled})
        if route == ("POST", "faults/release"):
            faults.release()
            return json_response({"ok": True})
        if route == ("DELETE", "faults"):
            faults.clear()
            return json_response({"ok": True})
        if route == ("POST", "reset"):
            store.reset()
            faults.clear()
            log.reset()
            return json_response({"ok": True})
        if route == ("POST", "advance"):
            body = req.json_object()
            result = store.advance(body.get("batch_id"), body.get("steps", 1))
            return json_response(result if body.get("batch_id") is not None else _list(result))
        if route == ("GET", "config"):
            return json_response({"step_seconds": store.step_seconds})
        if route == ("POST", "config"):
            body = req.json_object()
            if "step_seconds" in body:
                store.set_step_seconds(body["step_seconds"])
            return json_response({"step_seconds": store.step_seconds})
        if route == ("POST", "seed"):
            body = req.json_object()
            count = body.get("count")
            unknown = set(body) - _SEED_FIELDS - {"count"}
            if unknown:
                raise ValueError(f"unknown seed field(s): {', '.join(sorted(unknown))}")
            kwargs = {k: v for k, v in body.items() if k in _SEED_FIELDS}
            if count is None:
                return json_response(store.seed_batch(**kwargs))
            return json_response(_list([store.seed_batch(**kwargs) for _ in range(int(count))]))
        if route == ("POST", "files"):
            body = req.json_object()
            unknown = set(body) - _SEED_FILE_FIELDS - {"content"}
            if unknown:
                raise ValueError(f"unknown file field(s): {', '.join(sorted(unknown))}")
            content = body.get("content") or ""
            if not isinstance(content, str):
                raise ValueError("content must be text")
            options = {k: v for k, v in body.items() if k in _SEED_FILE_FIELDS}
            return json_response(store.seed_file(content.encode("utf-8"), **options))
    except (ValueError, TypeError) as exc:
        raise ApiError(400, str(exc)) from None
    raise ApiError(404, f"Invalid URL ({req.method} {req.path})")
