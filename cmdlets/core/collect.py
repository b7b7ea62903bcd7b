"""Gathering the pipeline items of a `collect: true` parameter, which the cmdlet gets once, at the end.

psbridge hands each item to a collector as it arrives (in the function's process block) and the collector's
result() to the implementation in the end block. The default keeps the converted items in a list. An
implementation can name its own collector per parameter with @collects(batch_input=Factory), for instance
one that keeps only the compact text the cmdlet will send, so a pipeline of 50,000 objects is not held whole
and each bad item is reported while the items still flow. A collector has:
  add(host, item)   take one item (plain Python); a bad one goes to host.write_error
  result()          the value the implementation's parameter gets
  keeps_items       True if result() holds the very items add() got (the default list does)
From Python, the parameter takes any iterable; the implementation gathers it with the same collector.
If the pipeline stops before the end block, the collector is simply dropped (a spool file is deleted then).
"""
from __future__ import annotations

from typing import Any, Callable


class ItemList:
    """The default collector: the items, in order."""
    __slots__ = ("items",)
    keeps_items = True      # (so psbridge keeps what PowerShell passed for each, for the errors' targets)

    def __init__(self) -> None:
        self.items: list[Any] = []

    def add(self, host: Any, item: Any) -> None:
        self.items.append(item)

    def result(self) -> list[Any] | None:
        return self.items or None


def collects(**factories: Callable[[], Any]) -> Callable[[Callable], Callable]:
    """Names the collector of each collecting parameter (by python name) of the decorated implementation."""
    def mark(implementation: Callable) -> Callable:
        implementation.collectors = factories
        return implementation
    return mark


def new_collector(implementation: Callable, python_name: str) -> Any:
    return getattr(implementation, "collectors", {}).get(python_name, ItemList)()
