"""Batch statuses and waiting on them, shared by Stop-, Wait- and Get-BatchOutput."""
from __future__ import annotations

from typing import Any, Iterable

from ..core.errors import visible
from ..core.objects import Batch
from ..core.polling import wait_until

ALL = ("validating", "failed", "in_progress", "finalizing", "completed", "expired", "cancelling", "cancelled")
RUNNING = ("validating", "in_progress", "finalizing")
FINISHED = ("cancelled", "completed", "failed", "expired")


def wait_for_batch(call: Any, batch_id: str, keep_waiting: Iterable[str], *, current: Batch | None = None,
                   interval: float = 1.0, activity: str | None = None, target: Any = None) -> Batch:
    """Polls the batch while its status is in keep_waiting, with progress; returns the last read."""
    keep = frozenset(keep_waiting)
    return wait_until(
        call, lambda deadline: Batch.from_api(call.client.get("batches", batch_id, deadline=deadline, target=target),
                                       target=target),
        lambda b: b.status.casefold() not in keep, current=current, interval=interval, target=target,
        activity=activity or f"Waiting for batch {visible(batch_id)}")
