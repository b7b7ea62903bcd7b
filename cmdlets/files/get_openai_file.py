"""Get-OpenAIFile: one file by id (GET /files/{id}), or the list of files (GET /files)."""
from __future__ import annotations

from typing import Iterator

from ..core.objects import File
from ..core.paging import paginate


def get_openai_file(call, *, file_id: str | None = None, purpose: str | None = None, limit: int = 10000,
                    all: bool = False, order: str = "desc") -> File | Iterator[File]:
    if file_id is not None:
        return File(call.client.get("files", file_id, target=file_id))
    return paginate(call, ("files",), File, limit=limit, all_pages=all,
                    query={"purpose": purpose, "order": order}, noun="files")
