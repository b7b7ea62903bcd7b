"""Start-Batch: creates a batch (POST /batches), from an uploaded file (read and checked first: input_file.py),
from request items or from a local JSONL file; with -Split, as many batches as the limits require."""
from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from typing import Any

from ..core.collect import collects
from ..core.errors import APIStatusError, OpenAIError, ParameterBindingError, visible
from ..core.host import PythonHost
from ..core.jsonbody import to_json
from ..core.objects import Batch
from ..files.add_openai_file import upload
from .input_file import PROCESSING, check_input_file, wait_processed
from .spool import BatchInputSpool, Part

AZURE_ENDPOINT = "/chat/completions"


@collects(batch_input=lambda: BatchInputSpool())
def start_batch(call, *, file_id: str | None = None, batch_input: Any = None, path: str | None = None,
                endpoint: str = "/v1/chat/completions", completion_window: str = "24h",
                output_expires_after_seconds: int | None = None, output_expires_after_anchor: str = "created_at",
                metadata: Mapping | None = None, split: bool = False) -> Batch | list[Batch] | None:
    body: dict[str, Any] = {"endpoint": endpoint.lower(), "completion_window": completion_window}
    if metadata is not None:
        body["metadata"] = {str(k): v for k, v in metadata.items()}
    if output_expires_after_seconds is not None:
        body["output_expires_after"] = {"anchor": output_expires_after_anchor.lower(),
                                        "seconds": output_expires_after_seconds}
    if batch_input is None and path is None:
        if "endpoint" not in call.given and call.api_type == "azure":
            body["endpoint"] = AZURE_ENDPOINT       # the form Azure's Batch documentation gives, as -AsBatch items use
        to_json(body)       # an unsendable -MetaData is refused before anything is sent, the file's GET too
        if _is_object_text(file_id):
            raise ParameterBindingError(
                f"-FileId (file_id=) is {_shown(file_id)}, the text of an object rather than a file id, so nothing "
                "was sent: a hashtable or an untyped object piped to Start-Batch binds to -FileId. Request items need "
                "the type name PSOpenAI.Batch.Input ([pscustomobject]@{ PSTypeName = 'PSOpenAI.Batch.Input'; "
                "custom_id = ...; method = 'POST'; url = ...; body = ... }, or Request-ChatCompletion -AsBatch).",
                target=file_id)
        # Refused here, naming the file and what is wrong with it, rather than by the API after the create
        check_input_file(call, file_id, body["endpoint"], endpoint_given="endpoint" in call.given)
        return _create(call, file_id, body)
    # From pwsh the items arrive already spooled (one by one, in the process block); from Python, any
    # iterable, read once; a local file, line by line.
    spool = (batch_input if isinstance(batch_input, BatchInputSpool) else BatchInputSpool.of(call.host, batch_input)
             if batch_input is not None else BatchInputSpool.of_file(call.host, path))
    try:
        if not spool.count:     # every item was refused, and each refusal was reported (or there were none)
            if not split and isinstance(call.host, PythonHost):
                # Python raises at a refused item, so here there were none (an empty list, a generator used up
                # already): an error, not a None where a Batch is promised
                raise ParameterBindingError(
                    f"start_batch(): {'path' if batch_input is None else 'batch_input'} holds no request items, "
                    "so no batch was started.", target=path)
            return [] if split else None    # (-Split returns a list: none started is an empty one)
        if "endpoint" not in call.given:
            body["endpoint"] = spool.first_url.lower()      # the items' own endpoint (they all have the same)
        elif spool.first_url.lower() != endpoint.lower():
            raise ParameterBindingError(
                f"The items are for {spool.first_url}, but -Endpoint (endpoint=) is {endpoint}: the batch would "
                "fail on every request. Leave -Endpoint out (the items' endpoint is used) or make them agree.")
        if not split:
            if spool.overflow():
                raise ParameterBindingError(spool.overflow())
            return _create(call, _upload(call, spool.parts[0], spool.count), body)
        started: list[Batch] = []
        for number, part in enumerate(spool.parts, 1):
            file_id = None
            try:
                file_id = _upload(call, part, part.count)
                started.append(_create(call, file_id, body))
            except OpenAIError as e:
                # One part's failure is reported and the next is still started (pwsh); Python raises it, saying
                # which batches had started. A create the API did not refuse (its answer lost, cut short or a
                # server error) may have started the batch all the same: said so, lest it be started twice.
                refused = file_id is None or isinstance(e, APIStatusError) and (e.status or 500) < 500
                outcome = ("was not started" if file_id is None else
                           f"was not started (its requests are uploaded as file {file_id})" if refused else
                           f"may have been started, from file {file_id} (Get-Batch lists the batches)")
                done = f" Started already: {', '.join(b.id for b in started)}." if started else ""
                stop = "" if e.message.endswith((".", "!", "?")) else "."
                e.message = (f"Batch {number} of {len(spool.parts)} ({spool.unit}s {part.first:,} to {part.last:,}) "
                             f"{outcome}: {e.message}{stop}{done}")
                e.args = (e.message,)
                call.host.write_error(e)
            except BaseException as e:      # a stop (Ctrl+C): the batches started so far run on, so they are named
                if started and hasattr(e, "add_note"):      # (Python 3.11+)
                    try:
                        e.add_note(f"Batches started before the stop (Get-Batch lists them; Stop-Batch cancels): "
                                   f"{', '.join(b.id for b in started)}.")
                    except Exception:   # (an exception that takes no attributes: the stop goes on as it is)
                        pass
                raise
        return started
    finally:
        spool.close()


def _upload(call, part: Part, count: int) -> str:
    """Uploads the part as a batch input file; its id, once processed."""
    name = f"batch-psopenai_{int(time.time())}_{secrets.randbelow(65536):04x}.jsonl"
    call.host.verbose(f'Uploading {count} batch requests as "{name}".')
    # -AdditionalBody is for the batch create only (PSOpenAI also sent it along as upload form fields)
    uploaded = upload(call, content=part.rewound(), name=name, purpose="batch", additional_body=False)
    if uploaded.status in PROCESSING:
        uploaded = wait_processed(call, uploaded)
    return uploaded.id


def _create(call, file_id: str, body: dict[str, Any]) -> Batch:
    batch = Batch.from_api(call.client.post("batches", body={"input_file_id": file_id, **body}, target=file_id),
                           target=file_id)
    call.host.verbose(f'Started batch "{batch.id}"; its status is "{batch.status}".')
    return batch



def _is_object_text(file_id: str) -> bool:
    """Whether an id is what PowerShell makes of a dictionary or a PSCustomObject given as text (never a file id)."""
    return (file_id in ("System.Collections.Hashtable", "System.Collections.Specialized.OrderedDictionary")
            or file_id.startswith("@{") and file_id.endswith("}"))


def _shown(text: str, most: int = 60) -> str:
    shown = visible(text)
    return repr(shown if len(shown) <= most else shown[:most] + "...")
