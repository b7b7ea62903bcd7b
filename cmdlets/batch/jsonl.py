"""A JSONL file on the API read as a stream: one object per line, parsed as the download goes, so memory holds
one chunk (and its lines) whatever the file's size."""
from __future__ import annotations

import json
from collections import deque
from typing import Any, Callable

from ..core.errors import InvalidResponseError, OpenAIError, visible


class JsonLines:
    """An iterator of `make(object)` per non-blank line of the file, read as the caller iterates (nothing is
    requested before the first next()). A line that is not a JSON object is one error naming its line number,
    given to the host as it is reached: pwsh writes it and the other lines still come; a host that raises
    instead (plain Python) gets every other line first, then one InvalidResponseError naming all such lines.
    `writes(object)` (optional) gives what a made object has the host write as it is taken, just before it, as a
    line's error is: (host method, argument) pairs, its warnings (`warning`) and errors (`write_error`).
    `ready()` says how many objects are at hand without reading more, up to the next line that is not one or that
    has warnings: pwsh takes them in one crossing, and that line's error or warnings come after them (under
    -ErrorAction Stop or -WarningAction Stop, they are out).
    `reads_ahead`: the pwsh bridge may read the next chunk on another thread while PowerShell handles this one
    (nothing here asks the host anything: its writes, warnings and errors, can wait for the pipeline's thread).
    With `keep_lines` (for `make`s that do not change the object they are given), `line` is, after each next(),
    the text of the line the object was made from, when it is UTF-8 and has no key twice in one object (so that
    any JSON reader reads from it what json.loads read), else None: the pwsh bridge passes such a line on as it
    is rather than writing its JSON again (psbridge.output). For a host whose JSON reader refuses an object with
    keys that differ only in case (`host.keys_ignore_case`: PowerShell's), such a line is one error too, rather
    than its chunk's JSON refused whole."""
    __slots__ = ("_call", "_file_id", "_make", "_target", "_what", "_download", "_chunks", "_pending", "_good",
                 "_partial", "_number", "_bad", "_lines", "_twice", "_decode", "_ignore_case", "_clash", "_clashes",
                 "_writes", "_with_writes", "line")

    def __init__(self, call: Any, file_id: str, make: Callable[[dict], Any], *, target: Any = None,
                 what: str = "output file", keep_lines: bool = False,
                 writes: Callable[[Any], list[tuple[str, Any]]] | None = None):
        self._call, self._file_id, self._make, self._target, self._what = call, file_id, make, target, what
        self._writes = writes
        self._with_writes = 0              # _WithWrites in _pending
        self._lines: deque | None = deque() if keep_lines else None     # each made object's line text (or None)
        self._twice = False        # the line being read has a key twice in one object
        self._ignore_case = bool(getattr(call.host, "keys_ignore_case", False))
        self._clash = False        # the line being read has keys that differ only in case (checked if _ignore_case)
        self._clashes: set[int] = set()     # such lines' numbers, their errors not yet reported
        self._decode = (json.JSONDecoder(object_pairs_hook=self._object).decode
                        if keep_lines or self._ignore_case else None)
        if keep_lines:      # (else no `line` at all: the bridge asks for it only where it is kept)
            self.line: str | None = None
        self._download = self._chunks = None
        self._pending: deque = deque()     # made objects (_WithWrites for one with writes), and the line numbers
                                           # (ints) of lines that are not JSON
        self._good = 0                     # objects in _pending
        self._partial: list[bytes] = []    # the start of a line whose end has not arrived
        self._number = 0                   # lines seen
        self._bad: list[int] = []          # lines not JSON that the host did not take as errors

    reads_ahead = True

    def __iter__(self) -> "JsonLines":
        return self

    def __next__(self) -> Any:
        while True:
            while self._pending:
                value = self._pending.popleft()
                if type(value) is int:
                    self._report(value)
                    continue
                self._good -= 1
                if self._lines is not None:
                    self.line = self._lines.popleft()
                if type(value) is _WithWrites:
                    self._with_writes -= 1
                    for method, argument in value.writes:   # (a host that raises, Python's, ends this next() here)
                        getattr(self._call.host, method)(argument)
                    value = value.made
                return value
            if not self._fill():
                bad = self._bad
                self.close()
                if bad:
                    raise self._error(bad, "; every other line was returned.")
                raise StopIteration

    def ready(self) -> int:
        if not self._with_writes and len(self._pending) == self._good:
            return self._good
        ready = 0
        for value in self._pending:     # (a bad line or one with warnings pending)
            if type(value) is int or type(value) is _WithWrites:
                break
            ready += 1
        return ready

    def close(self) -> None:
        """Ends the iteration, as a generator's close() does: the lines already read are dropped too, and so is
        the error for lines that were not JSON (the caller wants no more)."""
        download, self._download = self._download, None
        self._chunks = self._chunks or iter(())     # (so that _fill reads no more, even if nothing was read yet)
        self._pending.clear()
        self._partial, self._bad, self._good, self._with_writes = [], [], 0, 0
        self._clashes.clear()
        if self._lines is not None:
            self._lines.clear()
        if download is not None:
            download.close()

    def _fill(self) -> bool:
        """Reads one more chunk into _pending; False at the end of the file."""
        if self._download is None:
            if self._chunks is not None:
                return False        # closed
            self._download = self._call.client.download("files", self._file_id, "content", target=self._target)
            self._chunks = self._download.chunks()
        try:
            chunk = next(self._chunks, None)
        except BaseException:
            # A download cut off (or timed out) ends the iteration, as a generator that raised: a next() after
            # it must not take the start of a line that never ended for a line that is not JSON.
            self.close()
            raise
        if chunk is None:
            if self._partial:
                self._parse(b"".join(self._partial))
                self._partial = []
            self._download = None
            return bool(self._pending)
        if b"\n" not in chunk:
            self._partial.append(chunk)     # a long line: its pieces are joined once, when it ends
            return True
        lines = chunk.split(b"\n")
        if self._partial:
            lines[0] = b"".join((*self._partial, lines[0]))
        self._partial = [lines.pop()] if lines[-1] else []
        for line in lines:
            self._parse(line)
        return True

    def _parse(self, line: bytes) -> None:
        self._number += 1
        if not line.strip():
            return
        text = None
        try:
            if self._decode is not None:
                try:
                    text = line.decode()
                    self._twice = self._clash = False
                    value = self._decode(text)
                except ValueError:      # (not UTF-8, a BOM...: read as json.loads reads bytes, and not kept)
                    text = None
                    self._clash = False
                    value = json.loads(line, object_pairs_hook=self._object)
                else:
                    if self._twice:
                        text = None
            else:
                value = json.loads(line)
        except (ValueError, RecursionError):     # RecursionError: nested deeper than the parser goes
            value = None
            self._clash = False     # (not JSON at all: said so)
        if self._clash:
            self._clashes.add(self._number)
            value = None
        if isinstance(value, dict):
            made = self._make(value)
            writes = self._writes(made) if self._writes is not None else None
            if writes:
                made = _WithWrites(made, writes)
                self._with_writes += 1
            self._pending.append(made)
            self._good += 1
            if self._lines is not None:
                self._lines.append(text)
        else:
            self._pending.append(self._number)

    def _object(self, pairs: list) -> dict:
        """json.loads' own dict for a JSON object (the last value of a key twice, at its first place), noting
        a key twice: PowerShell's JSON reader puts such a key last."""
        made = dict(pairs)
        if len(made) != len(pairs):
            self._twice = True
        if self._ignore_case and len(made) > 1 and len({key.upper() for key in made}) != len(made):
            self._clash = True
        return made

    def _report(self, number: int) -> None:
        if number in self._clashes:
            self._clashes.discard(number)
            rest = " PowerShell can read (it has keys that differ only in case); the other lines are read on."
        else:
            rest = "; the other lines are read on."
        try:
            self._call.host.write_error(self._error([number], rest))
        except OpenAIError:     # a host that raises (Python): told once the other lines are out
            self._bad.append(number)

    def _error(self, numbers: list[int], rest: str) -> InvalidResponseError:
        shown = ", ".join(map(str, numbers[:20])) + (f" and {len(numbers) - 20} more" if len(numbers) > 20 else "")
        lines = f"Line {shown} of" if len(numbers) == 1 else f"Lines {shown} of"
        verb = "is not a JSON object" if len(numbers) == 1 else "are not JSON objects"
        return InvalidResponseError(f"{lines} {self._what} {visible(str(self._file_id))} {verb}{rest}",
                                    target=self._target)


class _WithWrites:
    """A made object pending with what the host writes as it is taken."""
    __slots__ = ("made", "writes")

    def __init__(self, made: Any, writes: list[tuple[str, Any]]):
        self.made, self.writes = made, writes
