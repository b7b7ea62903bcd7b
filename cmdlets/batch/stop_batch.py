"""Stop-Batch: cancels an in-progress batch (POST /batches/{id}/cancel)."""
from __future__ import annotations

from typing import Any

from ..core.binding import find_property
from ..core.errors import InvalidOperationError, ParameterBindingError, visible
from ..core.objects import Batch
from .statuses import FINISHED, RUNNING, wait_for_batch


def stop_batch(call, *, batch_id: str | None = None, input_object: Any = None, wait: bool = False,
               force: bool = False, pass_thru: bool = False) -> Batch | None:
    client, target = call.client, input_object if input_object is not None else batch_id
    status = None
    if input_object is not None:
        batch_id = find_property(input_object, ("id",))[1]
        status = find_property(input_object, ("status",))[1]
        if not batch_id or not isinstance(batch_id, str):
            raise ParameterBindingError("The input object has no batch id.", target=target)
    if not call.host.should_process(batch_id, "Cancel batch"):
        return None
    if not force:
        if status is None:      # by id: read the status first, as PSOpenAI does
            status = Batch.from_api(client.get("batches", batch_id, target=target), target=target).status
        if str(status).casefold() not in RUNNING:      # (as -notin compares: any case)
            raise InvalidOperationError(f'Cannot cancel batch with status "{visible(str(status))}".', target=target)
    batch = Batch.from_api(client.post("batches", batch_id, "cancel", target=target), target=target)
    call.host.verbose(f"Requested to cancel batch {visible(batch_id)}; status is now {visible(batch.status)}.")
    if wait:
        keep_waiting = set(RUNNING) | {"cancelling"}
        batch = wait_for_batch(call, batch_id, keep_waiting - set(FINISHED), current=batch, target=target,
                               activity=f"Cancelling batch {visible(batch_id)}")
    return batch if pass_thru else None
