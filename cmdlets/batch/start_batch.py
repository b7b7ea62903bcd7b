"""Start-Batch: creates a batch (POST /batches), from an uploaded file or from request items."""
from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterable, Mapping
from typing import Any

from ..core.binding import find_property
from ..core.client import to_json
from ..core.errors import ParameterBindingError
from ..core.objects import Batch, to_plain
from ..files.add_openai_file import upload

REQUIRED = ("custom_id", "method", "url")
AZURE_ENDPOINT = "/chat/completions"


def start_batch(call, *, file_id: str | None = None, batch_input: Any = None, endpoint: str = "/v1/chat/completions",
                completion_window: str = "24h", output_expires_after_seconds: int | None = None,
                output_expires_after_anchor: str = "created_at", metadata: Mapping | None = None) -> Batch | None:
    if batch_input is not None:
        lines, first_url = _jsonl_lines(call, batch_input)
        if not lines:
            return None         # every item was refused, and each refusal was reported
        if "endpoint" not in call.given and first_url:
            endpoint = first_url
        name = f"batch-psopenai_{int(time.time())}_{secrets.randbelow(65536):04x}.jsonl"
        call.host.verbose(f'Uploading {len(lines)} batch requests as "{name}".')
        # -AdditionalBody is for the batch create only (PSOpenAI also sent it along as upload form fields)
        file_id = upload(call, content="\n".join(lines).encode("utf-8"), name=name, purpose="batch",
                         additional_body=False).id
    elif "endpoint" not in call.given and call.api_type == "azure":
        endpoint = AZURE_ENDPOINT       # the form Azure's Batch documentation gives, as -AsBatch items use
    body: dict[str, Any] = {"input_file_id": file_id, "endpoint": endpoint.lower(),
                            "completion_window": completion_window}
    if metadata is not None:
        body["metadata"] = {str(k): v for k, v in metadata.items()}
    if output_expires_after_seconds is not None:
        body["output_expires_after"] = {"anchor": output_expires_after_anchor.lower(),
                                        "seconds": output_expires_after_seconds}
    batch = Batch(call.client.post("batches", body=body, target=file_id))
    call.host.verbose(f'Started batch "{batch.id}"; its status is "{batch.status}".')
    return batch


def _jsonl_lines(call, batch_input: Any) -> tuple[list[str], str | None]:
    """Each good item as one JSON line; each bad one reported to the host (pwsh goes on, Python raises)."""
    items = [batch_input] if isinstance(batch_input, Mapping) or not isinstance(batch_input, Iterable) \
        else list(batch_input)
    lines, first_url = [], None
    for number, item in enumerate(items, 1):
        if item is None:
            continue
        missing = [k for k in REQUIRED if not find_property(item, (k,))[1]]
        if missing:
            call.host.write_error(ParameterBindingError(
                f"Batch input item {number} has no {', '.join(missing)}; each item needs custom_id, method and url.",
                target=item))
            continue
        try:
            lines.append(_jsonl_line(to_plain(item), f"Batch input item {number}"))
        except ParameterBindingError as e:
            call.host.write_error(ParameterBindingError(e.message, target=item))
            continue
        first_url = first_url or str(find_property(item, ("url",))[1])
    return lines, first_url


def _jsonl_line(value: Any, what: str) -> str:
    """One compact JSON line, as PSOpenAI's ConvertTo-Json -Compress writes it (no space after , or :),
    so the uploaded file is byte for byte the same size; to_json names what cannot be sent."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError):
        to_json(value, what)        # raises a ParameterBindingError that says where and why
        raise
