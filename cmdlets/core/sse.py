"""Server-sent events (text/event-stream), as the API streams answers: the data of each event, read as the
body arrives, until `data: [DONE]`."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

DONE = "[DONE]"


def event_data(chunks: Iterable[bytes]) -> Iterator[str]:
    """Each event's data (its `data:` lines joined by newlines), as soon as its blank line arrives; ends at
    [DONE] or the body's end. Comments, other fields (event:, id:, retry:) and events whose data is empty (a
    bare `data:`, which the SSE standard does not dispatch and PSOpenAI skips) are skipped."""
    pending = b""
    data: list[str] = []
    for chunk in chunks:
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for raw in lines:
            line = raw.rstrip(b"\r").decode("utf-8", "replace")
            if not line:
                if data:
                    joined, data = "\n".join(data), []
                    if joined == DONE:
                        return
                    if joined:
                        yield joined
            elif line.startswith("data:"):
                data.append(line[6:] if line.startswith("data: ") else line[5:])
    if pending.strip():         # a last line without its newline
        line = pending.rstrip(b"\r").decode("utf-8", "replace")
        if line.startswith("data:"):
            data.append(line[6:] if line.startswith("data: ") else line[5:])
    if data and "\n".join(data) not in (DONE, ""):
        yield "\n".join(data)
