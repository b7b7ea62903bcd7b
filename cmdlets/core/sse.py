"""Server-sent events (text/event-stream), as the API streams answers: the data of each event, read as the
body arrives, until `data: [DONE]`."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from . import errors

DONE = "[DONE]"
MAX_EVENT_BYTES = 64 << 20      # as a JSON answer (client.MAX_JSON_BYTES): one event's lines, together


def event_data(chunks: Iterable[bytes], keep_done: bool = False) -> Iterator[str]:
    """Each event's data (its `data:` lines joined by newlines), as soon as its blank line arrives; ends at
    [DONE] (yielded last with `keep_done`, so a reader can tell a whole stream from a cut one) or the body's
    end. Comments, other fields (event:, id:, retry:) and events whose data is empty (a bare `data:`, which the
    SSE standard does not dispatch and PSOpenAI skips) are skipped. Each chunk is
    searched once, so an event of many chunks costs time in proportion to its size; one over 64 MB is an
    InvalidResponseError."""
    line = bytearray()          # the line being read
    data: list[str] = []
    size = 0                    # bytes of the event so far
    for chunk in chunks:
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            line += chunk[start:] if end < 0 else chunk[start:end]
            size += (len(chunk) if end < 0 else end) - start
            if size > MAX_EVENT_BYTES:
                raise errors.InvalidResponseError(
                    f"The API sent a stream event larger than {MAX_EVENT_BYTES >> 20} MB; it was not read further.")
            if end < 0:
                break
            start = end + 1
            text = line.rstrip(b"\r").decode("utf-8", "replace")
            line.clear()
            if text:
                if text.startswith("data:"):
                    data.append(text[6:] if text.startswith("data: ") else text[5:])
                continue
            size = 0
            if data:
                joined, data = "\n".join(data), []
                if joined == DONE:
                    if keep_done:
                        yield DONE
                    return
                if joined:
                    yield joined
    if line.strip():            # a last line without its newline
        text = line.rstrip(b"\r").decode("utf-8", "replace")
        if text.startswith("data:"):
            data.append(text[6:] if text.startswith("data: ") else text[5:])
    last = "\n".join(data)
    if last and (last != DONE or keep_done):
        yield last
