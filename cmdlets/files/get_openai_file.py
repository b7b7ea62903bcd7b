"""Get-OpenAIFile: one file by id (GET /files/{id}), or the list of files (GET /files)."""
from __future__ import annotations

from typing import Iterator

from ..core.objects import File
from ..core.paging import paginate

ALL_LIMIT = 10000       # what -All asks for per page, as PSOpenAI does


def get_openai_file(call, *, file_id: str | None = None, purpose: str | None = None, limit: int = 10000,
                    all: bool = False, order: str = "desc", after: str | None = None) -> File | Iterator[File]:
    if file_id is not None:
        return File.from_api(call.client.get("files", file_id, target=file_id), target=file_id)
    # Only what was asked for goes on the wire (PSOpenAI's rule, kept for servers that predate these
    # options), in PSOpenAI's order: limit, order, after, purpose. None is left out of the query.
    given = call.given
    return paginate(call, ("files",), File.from_api, all_pages=all,
                    limit=ALL_LIMIT if all else (limit if "limit" in given else None),
                    query={"order": order.lower() if "order" in given else None, "after": after, "purpose": purpose},
                    noun="files")
