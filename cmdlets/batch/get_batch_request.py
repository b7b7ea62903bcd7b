"""Get-BatchRequest: the request items of a finished batch's input file, in order; with -Failed only those without
a successful result (to start them again, custom_ids kept), with -IncludeOutput each beside its result."""
from __future__ import annotations

from typing import Any, Iterator

from ..core.binding import find_property
from ..core.errors import InvalidOperationError, InvalidResponseError, ParameterBindingError, visible
from ..core.objects import Batch, BatchRequest
from .jsonl import JsonLines
from .results import Results
from .statuses import FINISHED, RUNNING, wait_for_batch


def get_batch_request(call, *, batch: Any = None, batch_id: str | None = None, failed: bool = False,
                      include_output: bool = False, wait: bool = False) -> Iterator[BatchRequest]:
    """The batch is read (and waited for) at once; its files as the caller iterates."""
    target = batch if batch is not None else batch_id
    if batch is not None:
        batch_id = find_property(batch, ("id",))[1]
        if not batch_id or not isinstance(batch_id, str):
            raise ParameterBindingError("The batch object has no id.", target=target)
    current = (wait_for_batch(call, batch_id, set(RUNNING) | {"cancelling"}, target=target) if wait
               else Batch.from_api(call.client.get("batches", batch_id, target=target), target=target))
    status = str(current.get("status")).casefold()
    if status not in FINISHED:
        raise InvalidOperationError(f'Batch {visible(batch_id)} has not finished (status "{visible(status)}"): its '
                                    "requests' results are not known yet. Use -Wait (wait=True) to wait for it.",
                                    target=target)
    input_file_id = current.get("input_file_id")
    if not input_file_id:
        raise InvalidOperationError(f"Batch {visible(batch_id)} has no input file.", target=target)
    return _requests(call, current, input_file_id, failed, include_output, target)


def _requests(call, batch: Batch, input_file_id: str, failed: bool, include_output: bool,
              target: Any) -> Iterator[BatchRequest]:
    results = None
    try:
        if failed or include_output:
            results = Results(call, [f for f in (batch.get("output_file_id"), batch.get("error_file_id")) if f],
                              target=target)
        lines = JsonLines(call, input_file_id, lambda line: line, target=target, what="input file")
        try:
            for line in lines:
                custom_id = line.get("custom_id")
                if failed and results.succeeded(custom_id):
                    continue
                if include_output:
                    try:
                        output = results.get(custom_id)
                    except InvalidResponseError as error:      # (PowerShell only: its JSON reader refuses it)
                        call.host.write_error(error)
                        output = None
                    line = {**line, "output": output}
                yield BatchRequest(line)
        finally:
            lines.close()
    finally:
        if results is not None:
            results.close()
