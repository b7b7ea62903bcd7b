"""Minimal multipart/form-data parser for uploads: the stdlib only parses multipart for email."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

# One "; key=value" parameter, the value quoted (with backslash escapes) or bare.
_PARAM = re.compile(r';\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


@dataclass
class FormPart:
    name: str
    filename: str | None
    content_type: str | None
    data: bytes

    def text(self) -> str:
        return self.data.decode("utf-8", "replace")


def parse_header_params(value: str) -> tuple[str, dict[str, str]]:
    """Splits e.g. 'form-data; name="file"; filename=a.jsonl' into ('form-data', {...}).

    RFC 5987 ``key*=utf-8''...`` values are decoded and win over the plain key.
    """
    main, _, rest = value.partition(";")
    params: dict[str, str] = {}
    extended: dict[str, str] = {}
    for key, raw in _PARAM.findall(";" + rest):
        raw = raw.strip()
        if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
        key = key.lower()
        if key.endswith("*"):
            charset, _, encoded = raw.partition("'")
            _, _, encoded = encoded.partition("'")
            extended[key[:-1]] = unquote(encoded, encoding=charset or "utf-8", errors="replace")
        else:
            params[key] = raw
    params.update(extended)
    return main.strip().lower(), params


def parse_form_data(body: bytes, content_type: str) -> dict[str, FormPart]:
    """Returns the parts by field name (the first part wins); raises ValueError when malformed."""
    mime, params = parse_header_params(content_type)
    boundary = params.get("boundary")
    if mime != "multipart/form-data" or not boundary:
        raise ValueError("expected multipart/form-data with a boundary")
    delimiter = b"--" + boundary.encode("latin-1")
    pos = body.find(delimiter)
    if pos < 0:
        raise ValueError("multipart boundary not found")
    parts: dict[str, FormPart] = {}
    while True:
        pos += len(delimiter)
        if body.startswith(b"--", pos):           # closing delimiter
            return parts
        line_end = body.find(b"\r\n", pos)          # skips transport padding after the delimiter
        if line_end < 0:
            raise ValueError("truncated multipart body")
        start = line_end + 2
        end = body.find(b"\r\n" + delimiter, start)
        if end < 0:
            raise ValueError("unterminated multipart part")
        if body.startswith(b"\r\n", start):          # a part with no headers at all
            head, data = b"", body[start + 2:end]
        else:
            split = body.find(b"\r\n\r\n", start, end + 2)
            if split < 0:
                raise ValueError("multipart part without a header block")
            head, data = body[start:split], body[split + 4:end]
        headers = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            name, sep, value = line.partition(":")
            if sep:
                headers[name.strip().lower()] = value.strip()
        _, disposition = parse_header_params(headers.get("content-disposition", ""))
        name = disposition.get("name")
        if name is not None and name not in parts:
            parts[name] = FormPart(name, disposition.get("filename"), headers.get("content-type"), data)
        pos = end + 2
