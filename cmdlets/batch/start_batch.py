"""Start-Batch: creates a batch (POST /batches), from an uploaded file or from request items."""
from __future__ import annotations

import json
import secrets
import tempfile
import time
from collections.abc import Iterable, Mapping
from typing import Any, BinaryIO

from ..core.binding import find_property
from ..core.collect import collects
from ..core.errors import ParameterBindingError
from ..core.jsonbody import to_json
from ..core.objects import Batch, File, to_plain
from ..core.polling import wait_until
from ..files.add_openai_file import upload

REQUIRED = ("custom_id", "method", "url")
AZURE_ENDPOINT = "/chat/completions"
# An upload still being processed (Azure OpenAI answers 'pending'), which a batch refuses until 'processed'.
PROCESSING = ("pending", "running")


@collects(batch_input=lambda: BatchInputSpool())
def start_batch(call, *, file_id: str | None = None, batch_input: Any = None, endpoint: str = "/v1/chat/completions",
                completion_window: str = "24h", output_expires_after_seconds: int | None = None,
                output_expires_after_anchor: str = "created_at", metadata: Mapping | None = None) -> Batch | None:
    if batch_input is not None:
        # From pwsh the items arrive already spooled (one by one, in the process block); from Python, any
        # iterable, read once.
        spool = batch_input if isinstance(batch_input, BatchInputSpool) else BatchInputSpool.of(call.host, batch_input)
        try:
            if not spool.count:
                return None         # every item was refused, and each refusal was reported
            if "endpoint" not in call.given and spool.first_url:
                endpoint = spool.first_url      # the items' own endpoint (they all have the same)
            elif spool.first_url and spool.first_url.lower() != endpoint.lower():
                raise ParameterBindingError(
                    f"The items are for {spool.first_url}, but -Endpoint (endpoint=) is {endpoint}: the batch would "
                    "fail on every request. Leave -Endpoint out (the items' endpoint is used) or make them agree.")
            name = f"batch-psopenai_{int(time.time())}_{secrets.randbelow(65536):04x}.jsonl"
            call.host.verbose(f'Uploading {spool.count} batch requests as "{name}".')
            # -AdditionalBody is for the batch create only (PSOpenAI also sent it along as upload form fields)
            uploaded = upload(call, content=spool.rewound(), name=name, purpose="batch", additional_body=False)
        finally:
            spool.close()
        if uploaded.status in PROCESSING:
            uploaded = _wait_processed(call, uploaded)
        file_id = uploaded.id
    elif "endpoint" not in call.given and call.api_type == "azure":
        endpoint = AZURE_ENDPOINT       # the form Azure's Batch documentation gives, as -AsBatch items use
    body: dict[str, Any] = {"input_file_id": file_id, "endpoint": endpoint.lower(),
                            "completion_window": completion_window}
    if metadata is not None:
        body["metadata"] = {str(k): v for k, v in metadata.items()}
    if output_expires_after_seconds is not None:
        body["output_expires_after"] = {"anchor": output_expires_after_anchor.lower(),
                                        "seconds": output_expires_after_seconds}
    batch = Batch.from_api(call.client.post("batches", body=body, target=file_id), target=file_id)
    call.host.verbose(f'Started batch "{batch.id}"; its status is "{batch.status}".')
    return batch


def _wait_processed(call, uploaded: File) -> File:
    """Polls the upload until it is processed (or failed: then the batch create says why), as PSOpenAI
    does; within -TimeoutSec, with progress."""
    file_id = uploaded.id
    done = wait_until(call, lambda deadline: File.from_api(call.client.get("files", file_id, deadline=deadline, target=file_id), target=file_id),
                      lambda f: f.status not in PROCESSING, current=uploaded, target=file_id,
                      activity=f'Waiting for file "{file_id}" to be processed')
    call.host.verbose(f'File "{file_id}" is {done.status}.')
    return done


class BatchInputSpool:
    """The request items as the JSONL file to upload, written as they arrive: what stays is their compact
    text (in memory up to IN_MEMORY bytes, then in a temporary file), not the objects. A bad item is
    reported to the host when it arrives (pwsh goes on with the next, Python raises)."""
    IN_MEMORY = 2**20

    def __init__(self) -> None:
        self.file = tempfile.SpooledTemporaryFile(max_size=self.IN_MEMORY)
        self.count = 0              # lines written
        self.number = 0             # items seen, the messages' "item N"
        self.first_url: str | None = None

    @classmethod
    def of(cls, host: Any, items: Any) -> "BatchInputSpool":
        spool = cls()
        try:
            for item in [items] if isinstance(items, Mapping) or not isinstance(items, Iterable) else items:
                spool.add(host, item)
        except BaseException:
            spool.close()
            raise
        return spool

    def add(self, host: Any, item: Any) -> None:
        self.number += 1
        if item is None:
            return
        missing = [k for k in REQUIRED if not find_property(item, (k,))[1]]
        if missing:
            host.write_error(ParameterBindingError(
                f"Batch input item {self.number} has no {', '.join(missing)}; each item needs custom_id, method and url.",
                target=item))
            return
        url = str(find_property(item, ("url",))[1])
        if self.first_url is not None and url != self.first_url:
            # A batch has one endpoint: the API would refuse the whole file after its upload.
            host.write_error(ParameterBindingError(
                f"Batch input item {self.number} is for {url}, but the items before it are for {self.first_url}: "
                "a batch has one endpoint. Start one batch per endpoint.", target=item))
            return
        try:
            line = _jsonl_line(to_plain(item), f"Batch input item {self.number}").encode("utf-8")
        except ParameterBindingError as e:
            host.write_error(ParameterBindingError(e.message, target=item))
            return
        if self.count:
            self.file.write(b"\n")
        self.file.write(line)
        self.count += 1
        self.first_url = self.first_url or url

    def result(self) -> "BatchInputSpool":
        return self

    def rewound(self) -> BinaryIO:
        self.file.seek(0)
        return self.file

    def close(self) -> None:
        self.file.close()


def _jsonl_line(value: Any, what: str) -> str:
    """One compact JSON line, as PSOpenAI's ConvertTo-Json -Compress writes it (no space after , or :),
    so the uploaded file is byte for byte the same size; to_json names what cannot be sent."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError):
        to_json(value, what)        # raises a ParameterBindingError that says where and why
        raise
