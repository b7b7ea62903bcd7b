"""List endpoints: pages read lazily, as the caller iterates."""
from __future__ import annotations

from typing import Any, Callable, Iterator

from .errors import InvalidResponseError


def paginate(call: Any, path: tuple[str, ...], make: Callable[[dict], Any], *, limit: int, all_pages: bool,
             query: dict[str, Any] | None = None, noun: str = "items") -> "Listing":
    """The listed objects, read page by page as the caller iterates; with all_pages follows
    `after=<last_id>` until has_more is false. Stopping early with more to read is worth a warning when the
    caller did not ask for a limit."""
    return Listing(_pages(call, path, make, limit=limit, all_pages=all_pages, query=query, noun=noun))


class Listing:
    """An iterator of the objects of a list, which reads the next page only when the current one is used
    up. `ready()` says how many objects are at hand without a request: PowerShell takes a page's objects in
    one crossing of the bridge, and still stops between pages (Select-Object -First)."""
    __slots__ = ("_pages", "_page", "_index")

    def __init__(self, pages: Iterator[list[Any]]):
        self._pages, self._page, self._index = pages, [], 0

    def __iter__(self) -> "Listing":
        return self

    def __next__(self) -> Any:
        while self._index >= len(self._page):
            self._page, self._index = next(self._pages), 0      # StopIteration ends the listing
        self._index += 1
        return self._page[self._index - 1]

    def ready(self) -> int:
        return len(self._page) - self._index

    def close(self) -> None:
        self._pages.close()     # no further page is read
        self._page, self._index = [], 0     # nor the rest of this one: ended, as a closed generator is


def _pages(call: Any, path: tuple[str, ...], make: Callable[[dict], Any], *, limit: int, all_pages: bool,
           query: dict[str, Any] | None, noun: str) -> Iterator[list[Any]]:
    query = {"limit": limit, **(query or {})}
    cursors = set()         # a page that starts where an earlier one started would repeat forever
    while True:
        page = call.client.get(*path, query=query)
        data = page.get("data")
        if data is None:
            data = []
        if not isinstance(data, list):
            raise InvalidResponseError(f"The API listed {noun} with a 'data' that is not a list: "
                                       f"{type(data).__name__} {str(data)[:80]!r}.")
        if data:
            yield list(map(make, data))
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
