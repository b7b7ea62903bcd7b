"""A multipart/form-data body that streams its file part, so uploading a large file does not load it whole.

requests builds multipart bodies in memory; this one is a readable object with a known length, which
requests sends with a Content-Length and http.client reads in blocks. `rewind()` starts it over for a retry.
(No tell/seek on purpose: requests would take a failing tell() as "length unknown" and send it chunked.)
"""
from __future__ import annotations

import io
import os
import secrets
from typing import BinaryIO, Callable

from .errors import without_lone_surrogates


class MultipartBody:
    def __init__(self, fields: dict[str, str], file_field: str, filename: str, source: bytes | str | os.PathLike | BinaryIO):
        self.boundary = "----psopenai" + secrets.token_hex(16)
        self._fields = {str(k): str(v) for k, v in fields.items()}
        self._file_field, self._filename = file_field, filename
        head = self._head()
        tail = f"\r\n--{self.boundary}--\r\n".encode()
        if isinstance(source, (bytes, bytearray, memoryview)):
            file_part: BinaryIO = io.BytesIO(bytes(source))
            size = len(source)
        elif isinstance(source, (str, os.PathLike)):
            file_part = open(source, "rb")     # opened now, so an unreadable file fails before any request
            size = os.fstat(file_part.fileno()).st_size
        else:                                   # a readable, seekable binary file (Start-Batch's spool)
            file_part = source
            size = file_part.seek(0, io.SEEK_END)
            file_part.seek(0)
        self._pieces: list[BinaryIO] = [io.BytesIO(head), file_part, io.BytesIO(tail)]
        self._length = len(head) + size + len(tail)
        self._index = 0
        self._sent = 0
        self._progress: Callable[[int], None] | None = None

    def _head(self) -> bytes:
        head = b"".join(self._part(name, None) + _utf8(value) + b"\r\n" for name, value in self._fields.items())
        return head + self._part(self._file_field, self._filename)

    def set_fields(self, fields: dict[str, str]) -> None:
        """Adds form fields before the file part (-AdditionalBody); one of the same name is replaced."""
        head_length = len(self._pieces[0].getvalue())
        self._fields.update((str(k), str(v)) for k, v in fields.items())
        head = self._head()
        self._pieces[0] = io.BytesIO(head)
        self._length += len(head) - head_length
        self.rewind()

    def _part(self, name: str, filename: str | None) -> bytes:
        disposition = f'form-data; name="{_quote(name)}"' + (f'; filename="{_quote(filename)}"' if filename else "")
        kind = "Content-Type: application/octet-stream\r\n" if filename else ""
        return _utf8(f"--{self.boundary}\r\nContent-Disposition: {disposition}\r\n{kind}\r\n")

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def __len__(self) -> int:
        return self._length

    def rewind(self) -> None:
        for piece in self._pieces:
            piece.seek(0)
        self._index = 0
        self._sent = 0

    def watch(self, progress: Callable[[int], None]) -> None:
        """Has read() call progress(bytes read so far) as the body is sent (on the sending thread)."""
        self._progress = progress

    def read(self, size: int = -1) -> bytes:
        out = bytearray()
        while self._index < len(self._pieces) and (size < 0 or len(out) < size):
            chunk = self._pieces[self._index].read(-1 if size < 0 else size - len(out))
            if chunk:
                out += chunk
            else:
                self._index += 1
        if self._progress is not None and out:
            self._sent += len(out)
            self._progress(self._sent)
        return bytes(out)

    def close(self) -> None:
        for piece in self._pieces:
            piece.close()


def _utf8(text: str) -> bytes:
    """Text as UTF-8 (RFC 7578: a file name as is, in UTF-8, as OpenAI's own libraries send it). A file name
    that is not UTF-8 on disk (Python holds its bytes as lone surrogates, PEP 383) has U+FFFD for them, as
    .NET reads such a name."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return without_lone_surrogates(text).encode("utf-8")


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\r", " ").replace("\n", " ")
