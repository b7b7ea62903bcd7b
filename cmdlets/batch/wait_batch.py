"""Wait-Batch: polls a batch until it leaves the statuses being waited for."""
from __future__ import annotations

from ..core.objects import Batch
from .statuses import RUNNING, wait_for_batch


def wait_batch(call, *, batch_id: str, poll_interval_sec: float = 1.0, status_for_wait=RUNNING,
               status_for_exit=()) -> Batch:
    # Statuses compare as PowerShell's -in compares them: whatever the case (-StatusForWait IN_PROGRESS).
    keep_waiting = {s.casefold() for s in status_for_wait} - {s.casefold() for s in status_for_exit or ()}
    return wait_for_batch(call, batch_id, keep_waiting, interval=float(poll_interval_sec), target=batch_id)
