"""The OpenAI-compatible /v1 routes (files, batches, chat completions, responses...); authentication happens in the
server."""
from __future__ import annotations

import time

from . import chat
from .completions import create_text_completion
from .embeddings import create_embeddings
from .errors import ApiError, invalid_value, missing_parameter
from .http_types import Request, Response, json_response, query_int
from .multipart import parse_form_data
from .streaming import response_events, streamed_or_json, text_completion_events
from .responses import create_response
from .state import AZURE_FILE_PROCESSING_SECONDS, Store

_BATCH_FIELDS = {"input_file_id", "endpoint", "completion_window", "metadata", "output_expires_after"}


def handle(store: Store, req: Request, azure: bool = False) -> Response:
    """Routes a /v1 request; ``req.segments`` starts after "v1" (or "openai": Azure's uploads start 'pending')."""
    seg, method = req.segments, req.method
    n = len(seg)
    if n and seg[0] == "files":
        if n == 1 and method == "GET":
            q = req.query()
            return json_response(store.list_files(q.get("purpose"), query_int(q, "limit", 10000),
                                                  q.get("order", "desc"), q.get("after")))
        if n == 1 and method == "POST":
            return json_response(_upload(store, req, AZURE_FILE_PROCESSING_SECONDS if azure else 0))
        if n == 2 and method == "GET":
            return json_response(store.get_file(seg[1]))
        if n == 2 and method == "DELETE":
            return json_response(store.delete_file(seg[1]))
        if n == 3 and seg[2] == "content" and method == "GET":
            return Response(200, store.file_content(seg[1]), "application/octet-stream")
    elif n and seg[0] == "batches":
        if n == 1 and method == "GET":
            q = req.query()
            return json_response(store.list_batches(query_int(q, "limit", 20), q.get("after")))
        if n == 1 and method == "POST":
            body = req.json_object()
            unknown = sorted(set(body) - _BATCH_FIELDS)
            if unknown:
                raise ApiError(400, f"Unrecognized request argument supplied: {unknown[0]}")
            return json_response(store.create_batch(**{k: body.get(k) for k in _BATCH_FIELDS}, azure=azure))
        if n == 2 and method == "GET":
            return json_response(store.get_batch(seg[1]))
        if n == 3 and seg[2] == "cancel" and method == "POST":
            return json_response(store.cancel_batch(seg[1]))
    elif n == 2 and seg[0] == "chat" and seg[1] == "completions" and method == "POST":
        return chat.respond(req.json_object(), int(time.time()))
    elif n == 1 and seg[0] == "embeddings" and method == "POST":
        return json_response(create_embeddings(req.json_object()))
    elif n == 1 and seg[0] == "completions" and method == "POST":
        body = req.json_object()
        return streamed_or_json(body, create_text_completion(body, int(time.time())), text_completion_events)
    elif n == 1 and seg[0] == "responses" and method == "POST":
        body = req.json_object()
        return streamed_or_json(body, create_response(body, int(time.time()), store.responses), response_events)
    elif n == 2 and seg[0] == "responses" and method == "GET":
        if seg[1] not in store.responses:
            raise ApiError(404, f"Response with id '{seg[1]}' not found.")
        return json_response(store.responses[seg[1]])
    raise ApiError(404, f"Invalid URL ({method} {req.path})")


def handle_azure(store: Store, req: Request) -> Response:
    """Routes an Azure request; ``req.segments`` starts after "openai". Batches and files are OpenAI's
    routes; chat completions go to a deployment, whose name is the model."""
    seg = req.segments
    if len(seg) == 4 and seg[0] == "deployments" and seg[2:] == ["chat", "completions"] and req.method == "POST":
        body = req.json_object()
        body.setdefault("model", seg[1])
        return chat.respond(body, int(time.time()), azure=True)
    if len(seg) == 3 and seg[0] == "deployments" and seg[2] == "completions" and req.method == "POST":
        body = req.json_object()
        body.setdefault("model", seg[1])
        return streamed_or_json(body, create_text_completion(body, int(time.time())), text_completion_events)
    if len(seg) == 3 and seg[0] == "deployments" and seg[2] == "embeddings" and req.method == "POST":
        body = req.json_object()
        body.setdefault("model", seg[1])
        return json_response(create_embeddings(body))
    if seg and seg[0] in ("batches", "files", "responses"):      # (the model of a response is in its body)
        return handle(store, req, azure=True)
    raise ApiError(404, "Resource not found", code="404")


def _upload(store: Store, req: Request, processing_seconds: float) -> dict:
    content_type = req.headers.get("content-type", "")
    try:
        form = parse_form_data(req.body, content_type)
    except ValueError as exc:
        raise ApiError(400, f"Invalid multipart/form-data request: {exc}.") from None
    file_part = form.get("file")
    if file_part is None:
        raise missing_parameter("file")
    purpose = form.get("purpose")
    if purpose is None:
        raise missing_parameter("purpose")
    expires_after = None
    anchor, seconds = form.get("expires_after[anchor]"), form.get("expires_after[seconds]")
    if anchor is not None or seconds is not None:
        try:
            secs = int(seconds.text()) if seconds is not None else None
        except ValueError:
            raise invalid_value("expires_after.seconds", "expected an integer.") from None
        expires_after = {"anchor": anchor.text() if anchor is not None else None, "seconds": secs}
    return store.create_file(file_part.data, file_part.filename or "file", purpose.text().strip(), expires_after,
                             processing_seconds)
