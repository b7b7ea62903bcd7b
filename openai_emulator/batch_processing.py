"""Batch input validation and emulated per-request results: pure functions, no state."""
from __future__ import annotations

import json
from typing import Any

from .chat import create_completion, with_azure_filter_results
from .completions import create_text_completion
from .embeddings import create_embeddings
from .errors import ApiError
from .ids import new_id, request_id
from .responses import create_response

BATCH_ENDPOINTS = ("/v1/responses", "/v1/chat/completions", "/v1/embeddings",
                   "/v1/completions", "/v1/moderations")



def canonical_endpoint(endpoint: str) -> str | None:
    """The /v1 form of a batch endpoint; Azure OpenAI names them without it ("/chat/completions").
    A batch's input lines must use the same form as the batch's endpoint."""
    if endpoint in BATCH_ENDPOINTS:
        return endpoint
    if isinstance(endpoint, str) and "/v1" + endpoint in BATCH_ENDPOINTS:
        return "/v1" + endpoint
    return None


# Capped so a huge broken file does not produce a huge batch object.
MAX_REPORTED_ERRORS = 1000


def _line_error(code: str, message: str, line: int | None, param: str | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "param": param, "line": line}


def validate_input(content: bytes, endpoint: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Parses a batch input file into (requests, errors); any error fails the whole batch.

    Line numbers are 1-based physical lines; blank lines are skipped but still counted.
    """
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return [], [_line_error("invalid_file_format", "The input file is not valid UTF-8.", None)]
    requests: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    seen: set[str] = set()
    for n, raw in enumerate(text.split("\n"), 1):
        if len(errors) >= MAX_REPORTED_ERRORS:
            break
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except ValueError:
            errors.append(_line_error("invalid_json_line", "This line is not parseable as valid JSON.", n))
            continue
        if not isinstance(obj, dict):
            errors.append(_line_error("invalid_json_line", "Each line must be a JSON object.", n))
            continue
        missing = [k for k in ("custom_id", "method", "url") if k not in obj]
        for key in missing:
            errors.append(_line_error("missing_required_parameter",
                                      f"Missing required parameter: '{key}'.", n, key))
        if missing:
            continue
        custom_id, method, url = obj["custom_id"], obj["method"], obj["url"]
        if not isinstance(custom_id, str) or not custom_id:
            errors.append(_line_error("invalid_value", "'custom_id' must be a non-empty string.", n, "custom_id"))
        elif method != "POST":
            errors.append(_line_error("invalid_value", f"Invalid method '{method}'; only POST is supported.",
                                      n, "method"))
        elif url != endpoint:
            errors.append(_line_error("mismatched_endpoint",
                                      f"The URL '{url}' does not match the batch endpoint '{endpoint}'.", n, "url"))
        elif custom_id in seen:
            errors.append(_line_error("duplicate_custom_id",
                                      f"The custom_id '{custom_id}' is duplicated; custom_id values must be "
                                      "unique within a batch.", n, "custom_id"))
        else:
            seen.add(custom_id)
            requests.append(obj)
    if not requests and not errors:
        errors.append(_line_error("empty_file", "The input file is empty.", None))
    return requests, errors


def first_model(requests: list[dict[str, Any]]) -> str | None:
    body = requests[0].get("body") if requests else None
    model = body.get("model") if isinstance(body, dict) else None
    return model if isinstance(model, str) else None


def run_request(request: dict[str, Any], endpoint: str, now: int, azure: bool = False) -> tuple[bool, dict[str, Any]]:
    """Emulates one request; returns (succeeded, output/error file line).

    A body that is not an object, or lacks "model" (except for moderations), fails with a 400
    the way the real endpoint would - the natural way to get partial failures into a batch.
    """
    endpoint = canonical_endpoint(endpoint) or endpoint
    custom_id = request["custom_id"]
    body = request.get("body")
    if not isinstance(body, dict):
        status, payload = 400, _error("Invalid type for 'body': expected an object.", "body")
    elif "model" not in body and endpoint != "/v1/moderations":
        status, payload = 400, _error("you must provide a model parameter", "model")
    else:
        try:
            status, payload = 200, fake_response_body(endpoint, body, custom_id, now)
            if azure and endpoint == "/v1/chat/completions":
                payload = with_azure_filter_results(payload)    # as Azure OpenAI's batch outputs carry them
        except ApiError as e:       # a body the endpoint itself would refuse
            status, payload = e.status, e.body()
    line = {"id": new_id("batch_req_", 16), "custom_id": custom_id,
            "response": {"status_code": status, "request_id": request_id(), "body": payload},
            "error": None}
    return status == 200, line


def expired_line(request: dict[str, Any]) -> dict[str, Any]:
    return {"id": new_id("batch_req_", 16), "custom_id": request["custom_id"], "response": None,
            "error": {"code": "batch_expired",
                      "message": "This request could not be executed before the completion window expired."}}


def _error(message: str, param: str | None) -> dict[str, Any]:
    return {"error": {"message": message, "type": "invalid_request_error", "param": param, "code": None}}


def fake_response_body(endpoint: str, body: dict[str, Any], custom_id: str, now: int) -> dict[str, Any]:
    """What the endpoint itself answers to the body (or its ApiError); moderations, a plausible result."""
    model = body.get("model")
    if endpoint == "/v1/chat/completions":
        return create_completion(body, now)     # what POST /v1/chat/completions answers (or its ApiError)
    if endpoint == "/v1/responses":
        return create_response(body, now)       # what POST /v1/responses answers (or its ApiError), not stored
    if endpoint == "/v1/embeddings":
        return create_embeddings(body)          # what POST /v1/embeddings answers (or its ApiError)
    if endpoint == "/v1/completions":
        return create_text_completion(body, now)    # what POST /v1/completions answers (or its ApiError)
    # /v1/moderations
    return {"id": new_id("modr-"), "model": model or "omni-moderation-latest",
            "results": [{"flagged": False, "categories": {}, "category_scores": {}}]}


def seed_request_lines(endpoint: str, model: str, n_requests: int, n_failing: int) -> list[dict[str, Any]]:
    """Valid input lines for a seeded batch; the last n_failing omit "model" so they fail with 400."""
    lines = []
    for i in range(n_requests):
        if endpoint in ("/v1/chat/completions",):
            # the user message is the custom_id, so each answer is "Emulated response for request-N."
            body: dict[str, Any] = {"messages": [{"role": "user", "content": f"request-{i + 1}"}]}
        elif endpoint == "/v1/completions":
            body = {"prompt": f"Say hello #{i + 1}"}
        else:
            body = {"input": f"Say hello #{i + 1}"}
        if i < n_requests - n_failing:
            body = {"model": model, **body}
        lines.append({"custom_id": f"request-{i + 1}", "method": "POST", "url": endpoint, "body": body})
    return lines
