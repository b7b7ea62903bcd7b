"""List endpoints: pages read lazily, as the caller iterates."""
from __future__ import annotations

from typing import Any, Callable, Iterator

from .errors import InvalidResponseError


def paginate(call: Any, path: tuple[str, ...], make: Callable[[dict], Any], *, limit: int, all_pages: bool,
             query: dict[str, Any] | None = None, noun: str = "items") -> Iterator[Any]:
    """Yields objects page by page; with all_pages follows `after=<last_id>` until has_more is false.
    Stopping early with more to read is worth a warning when the caller did not ask for a limit."""
    query = {"limit": limit, **(query or {})}
    cursors = set()         # a page that starts where an earlier one started would repeat forever
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
        after = page.get("last_id") or (data[-1].get("id") if isinstance(data[-1], dict) else None)
        if not after or after in cursors or after == query.get("after"):
            raise InvalidResponseError(
                f"The API says there are more {noun} after {after!r}, but it listed that page already; "
                "stopped listing instead of repeating it.", target=after)
        cursors.add(after)
        query["after"] = after
