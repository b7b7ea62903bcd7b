"""A finished batch's results by custom_id: its output and error files downloaded (streamed) into temporary files
and indexed by where each line is, so memory holds an offset per request, not the results."""
from __future__ import annotations

import json
import tempfile
from typing import Any

from ..core.errors import InvalidResponseError, visible


class Results:
    def __init__(self, call: Any, file_ids: list[str], target: Any = None):
        self._files: list[Any] = []
        self._file_ids = file_ids
        # PowerShell's JSON reader refuses an object with keys that differ only in case (jsonl.JsonLines)
        self._ignore_case = bool(getattr(call.host, "keys_ignore_case", False))
        self._target = target
        self._where: dict[str, tuple[int, int, int, bool]] = {}   # custom_id -> (file, offset, length, succeeded)
        try:
            for file_id in file_ids:
                self._add(call, file_id, target)
        except BaseException:
            self.close()
            raise

    def _add(self, call: Any, file_id: str, target: Any) -> None:
        file = tempfile.TemporaryFile()
        self._files.append(file)
        for chunk in call.client.download("files", file_id, "content", target=target).chunks():
            file.write(chunk)
        file.seek(0)
        offset, index = 0, len(self._files) - 1
        for line in file:
            try:
                result = json.loads(line)
            except (ValueError, RecursionError):
                result = None       # (Get-BatchOutput names such lines; here they count as no result)
            if isinstance(result, dict) and isinstance(result.get("custom_id"), str):
                # A request with results twice counts as succeeded if either did: -Failed would run it again
                custom_id, succeeded = result["custom_id"], _succeeded(result)
                if succeeded or not self.succeeded(custom_id):
                    self._where[custom_id] = (index, offset, len(line), succeeded)
            offset += len(line)

    def succeeded(self, custom_id: Any) -> bool:
        where = self._where.get(custom_id) if isinstance(custom_id, str) else None
        return bool(where and where[3])

    def get(self, custom_id: Any) -> dict | None:
        """The request's result line (from the output or the error file), or None: it never ran."""
        where = self._where.get(custom_id) if isinstance(custom_id, str) else None
        if where is None:
            return None
        file = self._files[where[0]]
        file.seek(where[1])
        line = file.read(where[2])
        if self._ignore_case and _keys_clash(line):
            raise InvalidResponseError(
                f"The result of request {visible(custom_id)} in file {visible(str(self._file_ids[where[0]]))} is not a "
                "JSON object PowerShell can read (it has keys that differ only in case): its output is left out.",
                target=self._target)
        return json.loads(line)

    def close(self) -> None:
        for file in self._files:
            file.close()


def _succeeded(result: dict) -> bool:
    """A result line with a response of status below 400 and no error."""
    response = result.get("response")
    status = response.get("status_code") if isinstance(response, dict) else None
    return result.get("error") is None and isinstance(status, int) and status < 400


def _keys_clash(line: bytes) -> bool:
    """Whether an object in the line has keys that differ only in case."""
    clash = False

    def pairs(items: list) -> dict:
        nonlocal clash
        if len(items) > 1 and len({key.upper() for key, _ in items}) < len({key for key, _ in items}):
            clash = True
        return dict(items)
    json.loads(line, object_pairs_hook=pairs)
    return clash
