"""A batch's uploaded input file, read before the batch is created: Start-Batch -FileId checks that it exists,
has purpose `batch`, is not over one batch's size and did not fail (waiting while it is still being processed),
and, when it is small, that its lines would pass the checks -Path's lines get. Each refusal names the file and
says what to do; nothing is created."""
from __future__ import annotations

import io
from typing import Any

from ..core.errors import (APIStatusError, InvalidOperationError, InvalidResponseError, NotFoundError, OpenAIError,
                           ParameterBindingError, visible)
from ..core.objects import File
from ..core.polling import wait_until
from . import limits
from .spool import BatchInputSpool

# An upload still being processed (Azure OpenAI answers 'pending'), which a batch refuses until 'processed'.
PROCESSING = ("pending", "running")
# A file in one of these states can never be a batch's input (Azure OpenAI's 'deleting' and 'deleted' too).
UNUSABLE = ("error", "deleting", "deleted")
SHOWN_PROBLEMS = 5      # line problems quoted in one refusal; the rest are counted


def check_input_file(call, file_id: str, endpoint: str, *, endpoint_given: bool) -> File:
    """The file's metadata (GET /files/{id}), refused when no batch can be made of it; its lines too when it is
    at most limits.MAX_CHECKED_BYTES. `endpoint`: the one the batch is to have."""
    shown = visible(file_id)
    try:
        file = File.from_api(call.client.get("files", file_id, target=file_id), target=file_id)
    except NotFoundError as e:
        e.message = (f'Input file "{shown}" was not found, so no batch was created. Check the id '
                     '(Get-OpenAIFile lists the uploaded files), or upload the requests first (Add-OpenAIFile '
                     f"-Purpose batch), or start the batch from them with -Path or -BatchInput. ({e.message})")
        e.args = (e.message,)
        raise
    if file.raw.get("status") in PROCESSING:
        file = wait_processed(call, file)
    purpose, status, size = file.raw.get("purpose"), file.raw.get("status"), file.raw.get("bytes")
    if purpose != "batch":
        raise ParameterBindingError(
            f'File "{shown}" has purpose "{visible(str(purpose))}", not "batch", so no batch was created: a batch '
            'reads only files uploaded with purpose "batch". Upload the requests with that purpose (Add-OpenAIFile '
            "-Purpose batch) and start the batch from the new file.", target=file_id)
    if status in UNUSABLE:
        details = file.raw.get("status_details")
        why = f" ({visible(str(details))})" if details else ""
        raise InvalidOperationError(
            f'File "{shown}" has status "{status}"{why}, so no batch was created: only a processed file can be a '
            "batch's input. Upload the requests again (Add-OpenAIFile -Purpose batch).", target=file_id)
    if not isinstance(size, int) or isinstance(size, bool):
        return file     # (an answer without its size: nothing more to go by)
    megabytes = limits.MAX_BYTES // 1_000_000
    if size > limits.MAX_BYTES:
        raise ParameterBindingError(
            f'File "{shown}" holds {size:,} bytes, more than the {megabytes} MB a batch\'s input file may hold, so '
            f"no batch was created. Split its requests into files of at most {megabytes} MB, or start the batches "
            "from the requests with Start-Batch -Path -Split (split=True).", target=file_id)
    if size > limits.MAX_CHECKED_BYTES:
        call.host.verbose(f'File "{shown}" holds {size:,} bytes: its lines are left to the API to check (they are read '
                          f"here only up to {limits.MAX_CHECKED_BYTES // 1_000_000} MB).")
        return file
    _check_lines(call, file_id, endpoint, endpoint_given)
    return file


def wait_processed(call, uploaded: File) -> File:
    """Polls the upload until it is processed (or failed: then check_input_file, or for Start-Batch's own upload
    the batch create, says why), as PSOpenAI does for its upload; within -TimeoutSec, with progress."""
    file_id = uploaded.id

    def fetch(deadline: float | None) -> File:
        return File.from_api(call.client.get("files", file_id, deadline=deadline, target=file_id), target=file_id)

    done = wait_until(call, fetch, lambda f: f.status not in PROCESSING, current=uploaded, target=file_id,
                      activity=f'Waiting for file "{file_id}" to be processed')
    call.host.verbose(f'File "{file_id}" is {done.status}.')
    return done


class _Problems:
    """A host for BatchInputSpool that keeps the lines' refusals, to be told as one."""

    def __init__(self, warning) -> None:
        self.messages: list[str] = []
        self.warning = warning      # (the lines' warnings, a retired model's, go to the cmdlet's host)

    def write_error(self, error: OpenAIError) -> None:
        self.messages.append(error.message)


def _check_lines(call, file_id: str, endpoint: str, endpoint_given: bool) -> None:
    """Reads the file (GET /files/{id}/content) and refuses it, naming the lines, when they would not pass the
    checks -Path's lines get. A server that does not let the file be read leaves the lines to the API."""
    shown = visible(file_id)
    try:
        content = call.client.get_bytes("files", file_id, "content", target=file_id)
    except (APIStatusError, InvalidResponseError) as e:
        call.host.verbose(f'The lines of file "{shown}" were not checked: {e.message}')
        return
    problems = _Problems(call.host.warning)
    spool = BatchInputSpool.of_lines(problems, io.BytesIO(content), "the file", file_id, as_written=True)
    try:
        if problems.messages:
            listed = " ".join(problems.messages[:SHOWN_PROBLEMS])
            more = len(problems.messages) - SHOWN_PROBLEMS
            raise ParameterBindingError(
                f'File "{shown}" has lines a batch would refuse, so no batch was created: {listed}'
                + (f" And {more:,} more line{'s' if more > 1 else ''}." if more > 0 else "")
                + " Fix them and upload the file again.", target=file_id)
        if not spool.count:
            raise ParameterBindingError(f'File "{shown}" has no requests (no lines that are not blank), so no batch '
                                        "was created.", target=file_id)
        if _api_of(spool.first_url) != _api_of(endpoint):
            which = "" if endpoint_given else " (the default)"
            raise ParameterBindingError(
                f'The lines of file "{shown}" are for {visible(spool.first_url)}, but -Endpoint (endpoint=) is '
                f"{visible(endpoint)}{which}, so no batch was created: the batch would fail on every request. "
                f"Give -Endpoint {visible(spool.first_url)}.", target=file_id)
        if spool.overflow():
            raise ParameterBindingError(
                f'File "{shown}" holds more than one batch takes ({spool.parts[0].full} at most), so no batch was '
                "created. Start the batches from its lines with Start-Batch -Path -Split (split=True).", target=file_id)
    finally:
        spool.close()
    call.host.verbose(f'File "{shown}": {spool.count:,} requests for {visible(spool.first_url)}, checked.')


def _api_of(url: Any) -> str:
    """Which API a request url or batch endpoint names, whatever its case and with or without Azure's missing
    /v1 ('/chat/completions' and '/v1/chat/completions' are the same)."""
    text = str(url).lower().rstrip("/")
    return text[3:] if text.startswith("/v1/") else text
