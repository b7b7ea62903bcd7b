"""Start-Batch's request items as the JSONL files to upload, written and checked as they arrive."""
from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from ..core.binding import find_property
from ..core.errors import ParameterBindingError, visible
from ..core.jsonbody import to_json_bytes
from ..core.model_retirements import retirement_warning
from ..core.objects import to_plain
from . import limits

REQUIRED = ("custom_id", "method", "url")


class Part:
    """The lines of one batch's input file (in memory up to IN_MEMORY bytes, then in a temporary file)."""
    IN_MEMORY = 2**20

    def __init__(self, first: int):
        self.file = tempfile.SpooledTemporaryFile(max_size=self.IN_MEMORY)
        self.count = self.bytes = self.inputs = 0
        self.first = self.last = first      # the numbers of its first and last items
        self.full = ""                      # which limit ended it, once the next item did not fit

    def passes(self, size: int, inputs: int) -> str:
        """The limit a line of `size` bytes with `inputs` embedding inputs would pass here, or ''."""
        return _passed(self.count, self.bytes + (1 if self.count else 0), self.inputs, size, inputs)

    def write(self, line: bytes, number: int, inputs: int) -> None:
        if self.count:
            self.file.write(b"\n")
            self.bytes += 1
        self.file.write(line)
        self.count, self.bytes, self.inputs, self.last = self.count + 1, self.bytes + len(line), self.inputs + inputs, number

    def rewound(self) -> BinaryIO:
        self.file.seek(0)
        return self.file


class BatchInputSpool:
    """The request items as the JSONL text to upload: what stays is their compact text, in one Part per batch
    the limits allow (limits.py), not the objects. Each item is checked as it arrives; a bad one is reported to
    the host and left out (pwsh goes on with the next, Python raises): an item without custom_id, method or
    url, a custom_id that is not text or that an earlier item has, a method other than POST, a url not in
    lower case, a url or model
    other than the earlier items', one that alone passes a limit, or one with no JSON form."""

    def __init__(self) -> None:
        self.parts: list[Part] = []
        self.count = 0              # lines written
        self.number = 0             # items seen, the messages' "item N"
        self.noun, self.unit = "Batch input item", "item"
        self.first_url: str | None = None
        self.model: Any = None
        self._ids: dict[str, int] = {}      # custom_id -> the number of the item that has it
        self.as_written = False     # lines of an uploaded file (read, not sent again): a key in another case is
                                    # refused, not renamed

    @classmethod
    def of(cls, host: Any, items: Any) -> "BatchInputSpool":
        spool = cls()
        try:
            for item in [items] if isinstance(items, Mapping) or not isinstance(items, Iterable) else items:
                spool.add(host, item)
        except BaseException:
            spool.close()
            raise
        return spool

    @classmethod
    def of_file(cls, host: Any, path: str) -> "BatchInputSpool":
        """A local JSONL file's lines as items, read line by line; the messages name line numbers."""
        file = Path(path).expanduser()
        try:
            if not file.is_file():
                raise ParameterBindingError(
                    f"Cannot read {path!r}: {'it is a directory' if file.is_dir() else 'no such file'}.", target=path)
            lines = file.open("rb")
        except OSError as e:    # (unreadable, or a name too long for the file system: is_file() raises that one)
            raise ParameterBindingError(f"Cannot read {path!r}: {e.strerror}.", target=path) from None
        with lines:
            return cls.of_lines(host, lines, file.name, path)

    @classmethod
    def of_lines(cls, host: Any, lines: Iterable[bytes], name: str, target: Any, *,
                 as_written: bool = False) -> "BatchInputSpool":
        """The lines of a JSONL file (`name` in the messages, which name line numbers) as items, checked as
        piped items are; a line that is not a JSON object is refused too. `as_written`: the file is uploaded
        already, so a key the API would not read (`Custom_Id`) is refused rather than renamed."""
        spool = cls()
        spool.noun, spool.unit, spool.as_written = "Line", "line", as_written
        try:
            for number, line in enumerate(lines, 1):
                spool.number = number - 1
                if not line.strip():
                    spool.number += 1
                    continue
                if number == 1 and (line.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in line):
                    # Windows PowerShell's `>` and Out-File write UTF-16: every line would be "not a JSON object"
                    raise ParameterBindingError(
                        f"The lines of {name} are UTF-16 text, and a batch's JSONL must be UTF-8: save it as UTF-8 "
                        "(Set-Content -Encoding utf8, or Out-File -Encoding utf8) and give it again.", target=target)
                why = "is not a JSON object"
                try:
                    item = json.loads(line)
                except UnicodeDecodeError:      # (Latin-1 or Windows-1252 text, say: a batch's JSONL is UTF-8)
                    item, why = None, "is not UTF-8 text (save the file as UTF-8)"
                except (ValueError, RecursionError):
                    item = None
                if not isinstance(item, dict):
                    spool.number += 1
                    host.write_error(ParameterBindingError(f"Line {number} of {name} {why}.", target=target))
                    continue
                spool.add(host, item)
        except BaseException:
            spool.close()
            raise
        return spool

    def add(self, host: Any, item: Any) -> None:
        self.number += 1
        if item is None:
            return
        what = f"{self.noun} {self.number}"
        problem = self._problem(item, what)
        line = b""
        if not problem:
            try:
                line = _jsonl_line(_as_the_api_names(to_plain(item), what, self.as_written), what)
            except ParameterBindingError as e:
                problem = e.message
        body = find_property(item, ("body",))[1]
        url = str(find_property(item, ("url",))[1])
        inputs = limits.embedding_inputs(body) if url.endswith("/embeddings") else 0
        if not problem:
            alone = _passed(0, 0, 0, len(line), inputs)
            if alone:
                problem = f"{what} alone passes one batch's limit of {alone}."
        if problem:
            host.write_error(ParameterBindingError(problem, target=item))
            return
        part = self.parts[-1] if self.parts else None
        full = part.passes(len(line), inputs) if part is not None else "none yet"
        if full:
            if part is not None:
                part.full = full
            part = Part(self.number)
            self.parts.append(part)
        part.write(line, self.number, inputs)
        self.count += 1
        custom_id = find_property(item, ("custom_id",))[1]
        self._ids[custom_id] = self.number
        self.first_url = self.first_url or url
        if self.model is None:
            self.model = _model(body)
            retired = retirement_warning(self.model, batch=True)     # (one model per batch: said once)
            if retired:
                host.warning(retired)

    def _problem(self, item: Any, what: str) -> str:
        """Why the item cannot go into the batch, or ''."""
        if isinstance(item, (str, bytes, int, float)):
            hint = (" (a file id goes alone: one start_batch(file_id) per uploaded file)"
                    if isinstance(item, str) and item.startswith("file-") else "")
            return (f"{what} is {visible(repr(item)[:60])}, not a request item {{custom_id, method, url, body}}"
                    f"{hint}.")
        missing = [k for k in REQUIRED if not find_property(item, (k,))[1]]
        if missing:
            return f"{what} has no {', '.join(missing)}; each item needs custom_id, method and url."
        custom_id, method = find_property(item, ("custom_id",))[1], find_property(item, ("method",))[1]
        url = str(find_property(item, ("url",))[1])
        if not isinstance(custom_id, str):
            return f"{what} has a custom_id that is not text ({type(custom_id).__name__}); the API takes text only."
        if custom_id in self._ids:
            return (f"{what} has custom_id {visible(custom_id)!r}, as {self.unit} {self._ids[custom_id]} does: "
                    "each request of a batch needs its own.")
        if method != limits.METHOD:
            return f"{what} has method {visible(str(method))!r}: a batch sends POST requests only."
        if not url.startswith("/") or url.endswith("/") or any(c in url for c in "?# \t\r\n"):
            # The API takes the path of one of its endpoints only: it would refuse the batch after the upload.
            return (f"{what} is for {visible(url)!r}, which is not an endpoint's path: a batch request's url is the "
                    "path its request goes to, such as /v1/chat/completions (no host, query or trailing slash).")
        if url != url.lower():
            # The batch's endpoint is sent in lower case, and the API fails a line whose url differs from it at all
            return (f"{what} is for {visible(url)}: a batch's endpoint is in lower case ({visible(url.lower())}), "
                    "and the API fails every request whose url is not the endpoint as written. Write the url in "
                    "lower case.")
        if self.first_url is not None and url != self.first_url:
            # A batch has one endpoint: the API would refuse the whole file after its upload.
            return (f"{what} is for {url}, but the items before it are for {self.first_url}: "
                    "a batch has one endpoint. Start one batch per endpoint.")
        model = _model(find_property(item, ("body",))[1])
        if self.model is not None and model is not None and model != self.model:
            return (f"{what} is for model {visible(str(model))!r}, but the items before it are for "
                    f"{visible(str(self.model))!r}: a batch has one model. Start one batch per model.")
        return ""

    def overflow(self) -> str:
        """Why the items do not fit in one batch (the parts' item numbers), or ''."""
        if len(self.parts) < 2:
            return ""
        first, rest = self.parts[0], self.parts[1:]
        items = self.unit + "s"
        return (f"The {items} do not fit in one batch ({first.full} at most): {items} {first.first:,} to "
                f"{first.last:,} fill one, and {items} {rest[0].first:,} to {rest[-1].last:,} would need "
                f"{len(rest)} more. Nothing was uploaded. Use -Split (split=True) to start as many batches as "
                "the limits require.")

    def result(self) -> "BatchInputSpool":
        return self

    def close(self) -> None:
        for part in self.parts:
            part.file.close()


def _as_the_api_names(value: Any, what: str, as_written: bool = False) -> Any:
    """The item with custom_id, method, url, body and body.model under the names the API reads, whatever their
    case: they are found here in any case (as PowerShell finds @{Custom_Id=…}'s), but the API reads a line's
    keys only as written, and fails a whole batch of `{"Custom_Id":…}` lines after the upload."""
    if not isinstance(value, dict):
        return value
    value = _renamed(value, (*REQUIRED, "body"), what, as_written)
    body = value.get("body")
    if body is not None and not isinstance(body, dict):
        # (a body given as its JSON text, say: the API would fail the request once the batch ran)
        shown = "JSON text" if isinstance(body, str) else f"a value of type {type(body).__name__}"
        raise ParameterBindingError(f"{what} has a body that is {shown}, not an object: a request's body is an object "
                                    "of the endpoint's parameters ({\"model\": ..., ...}).")
    if isinstance(value.get("body"), dict):
        value["body"] = _renamed(value["body"], ("model",), f"{what}'s body", as_written)
    return value


def _renamed(value: dict, names: tuple[str, ...], what: str, as_written: bool) -> dict:
    renamed: dict = {}
    for key, entry in value.items():
        name = key.lower() if key.lower() in names else key
        if as_written and name != key:
            raise ParameterBindingError(f"{what} has {visible(key)!r}, which the API does not read: write {name!r}.")
        if name in renamed:
            raise ParameterBindingError(f"{what} has {name!r} twice, in different case: give it once.")
        renamed[name] = entry
    return renamed


def _model(body: Any) -> Any:
    return find_property(body, ("model",))[1]


def _passed(count: int, size: int, inputs: int, line: int, line_inputs: int) -> str:
    """The limit one more line would pass in a part that holds `count` lines, `size` bytes and `inputs`
    embedding inputs, or ''."""
    if count + 1 > limits.MAX_REQUESTS:
        return f"{limits.MAX_REQUESTS:,} requests"
    if size + line > limits.MAX_BYTES:
        return f"{limits.MAX_BYTES // 1_000_000} MB"
    if inputs + line_inputs > limits.MAX_EMBEDDING_INPUTS:
        return f"{limits.MAX_EMBEDDING_INPUTS:,} embedding inputs"
    return ""


def _jsonl_line(value: Any, what: str) -> bytes:
    """One compact JSON line in UTF-8, as PSOpenAI's ConvertTo-Json -Compress writes it (no space after , or
    :), so the uploaded file is byte for byte the same size; a ParameterBindingError names what cannot be sent."""
    return to_json_bytes(value, what, separators=(",", ":"))
