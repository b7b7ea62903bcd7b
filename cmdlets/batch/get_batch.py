"""Get-Batch: one batch by id (GET /batches/{id}), or the list of batches (GET /batches)."""
from __future__ import annotations

from typing import Iterator

from ..core.objects import Batch
from ..core.paging import paginate

ALL_LIMIT = 100         # what -All asks for per page (the API's most), as PSOpenAI does


def get_batch(call, *, batch_id: str | None = None, limit: int = 20, all: bool = False,
              after: str | None = None) -> Batch | Iterator[Batch]:
    if batch_id is not None:
        return Batch.from_api(call.client.get("batches", batch_id, target=batch_id), target=batch_id)
    return paginate(call, ("batches",), Batch.from_api, limit=ALL_LIMIT if all else limit, all_pages=all,
                    query={"after": after}, noun="batches")
