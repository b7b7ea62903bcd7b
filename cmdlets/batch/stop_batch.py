"""Stop-Batch: cancels an in-progress batch (POST /batches/{id}/cancel)."""
from __future__ import annotations

from typing import Any

from ..core.binding import _property
from ..core.errors import InvalidOperationError, ParameterBindingError
from ..core.objects import Batch
from ..core.polling import wait_until

CANCELLABLE = ("validating", "in_progress", "finalizing")
FINISHED = ("cancelled", "completed", "failed", "expired")


def stop_batch(call, *, batch_id: str | None = None, input_object: Any = None, wait: bool = False,
               force: bool = False, pass_thru: bool = False) -> Batch | None:
    client, target = call.client, input_object if input_object is not None else batch_id
    status = None
    if input_object is not None:
        batch_id = _field(input_object, "id")
        status = _field(input_object, "status")
        if not batch_id or not isinstance(batch_id, str):
            raise ParameterBindingError("The input object has no batch id.", target=target)
    if not call.host.should_process(batch_id, "Cancel batch"):
        return None
    if not force:
        if status is None:      # by id: read the status first, as PSOpenAI does
            status = Batch(client.get("batches", batch_id, target=target)).status
        if status not in CANCELLABLE:
            raise InvalidOperationError(f'Cannot cancel batch with status "{status}".', target=target)
    batch = Batch(client.post("batches", batch_id, "cancel", target=target))
    call.host.verbose(f"Requested to cancel batch {batch_id}; status is now {batch.status}.")
    if wait:
        batch = wait_until(
            call, lambda deadline: Batch(client.get("batches", batch_id, deadline=deadline, target=target)),
            lambda b: b.status in FINISHED, current=batch, activity=f"Cancelling batch {batch_id}", target=target)
    return batch if pass_thru else None


def _field(obj: Any, name: str) -> Any:
    return _property(obj, (name,))[1]
