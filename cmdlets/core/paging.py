"""List endpoints: pages read lazily, as the caller iterates."""
from __future__ import annotations

from typing import Any, Callable, Iterator


def paginate(call: Any, path: tuple[str, ...], make: Callable[[dict], Any], *, limit: int, all_pages: bool,
             query: dict[str, Any] | None = None, noun: str = "items") -> Iterator[Any]:
    """Yields objects page by page; with all_pages follows `after=<last_id>` until has_more is false.
    Stopping early with more to read is worth a warning when the caller did not ask for a limit."""
    query = {"limit": limit, **(query or {})}
    while True:
        page = call.client.get(*path, query=query)
        data = page.get("data") or []
        yield from map(make, data)
        if not page.get("has_more") or not data:
            return
        if not all_pages:
            if "limit" not in call.given:
                call.host.warning(f"There are more {noun} than the {len(data)} listed. "
                                  "Use -All (all=True) to list them all, or -Limit (limit=) to list more.")
            return
        query["after"] = page.get("last_id") or data[-1]["id"]
