"""Get-BatchOutput: the batch's output file, one object per JSONL line, streamed."""
from __future__ import annotations

from typing import Any, Iterator

from ..core.answers import chat_warnings
from ..core.binding import find_property
from ..core.errors import InvalidOperationError, ParameterBindingError, visible
from ..core.objects import BODY_TYPES, Batch, BatchOutput, ChatCompletion, Response
from ..core.structured import read_answers, structured_type
from .jsonl import JsonLines
from .statuses import RUNNING, wait_for_batch


def get_batch_output(call, *, batch: Any = None, batch_id: str | None = None, wait: bool = False,
                     output_type: Any = None) -> Iterator[BatchOutput]:
    """The batch is read (and waited for) at once; its output file as the caller iterates (see JsonLines)."""
    target = batch if batch is not None else batch_id
    structured = None
    if output_type is not None:
        structured = structured_type(output_type, call.host)
        if structured is None:
            raise ParameterBindingError("OutputType must be a type (a class; in Python a dataclass, TypedDict or "
                                        f"pydantic model), not {type(output_type).__name__}.", target=output_type)
    file_id = None
    if batch is not None:
        batch_id = find_property(batch, ("id",))[1]
        if not batch_id or not isinstance(batch_id, str):
            raise ParameterBindingError("The batch object has no id.", target=target)
        file_id = find_property(batch, ("output_file_id",))[1]     # only finished batches have one
    if not file_id:
        current = (wait_for_batch(call, batch_id, set(RUNNING) | {"cancelling"}, target=target) if wait
                   else Batch.from_api(call.client.get("batches", batch_id, target=target), target=target))
        file_id = current.get("output_file_id")
        if not file_id:
            status, error_file_id = current.get("status"), current.get("error_file_id")
            hint = (" Use -Wait (wait=True) to wait for it to finish." if not wait and status in (*RUNNING, "cancelling")
                    else f" Its failed requests are in error file {visible(str(error_file_id))}." if error_file_id else "")
            raise InvalidOperationError(f'Batch {visible(batch_id)} has no output file (status "{visible(str(status))}").{hint}',
                                        target=target)

    def writes(made: BatchOutput) -> list[tuple[str, Any]]:
        """What the host writes as the result is taken (JsonLines): its warnings, and with -OutputType the errors
        for answers that are not the type (the others are read into the body now)."""
        found = [("warning", warning) for warning in _answer_warnings(made)]
        if structured is not None:
            response = made.raw.get("response")
            body = response.get("body") if type(response) is dict else None
            if type(body) is dict:
                read_answers(body, structured, _Errors(found))
        return found
    return JsonLines(call, file_id, BatchOutput, target=target, keep_lines=structured is None, writes=writes)


class _Errors:
    """A host for read_answers that keeps its errors, to be written later."""
    __slots__ = ("found",)

    def __init__(self, found: list[tuple[str, Any]]):
        self.found = found

    def write_error(self, error: Exception) -> None:
        self.found.append(("write_error", error))


def _answer_warnings(output: BatchOutput) -> list[str]:
    """PSOpenAI's warnings for a result it types: a refusal, a chat reply cut off by length or a filter, a
    response incomplete or failed. Read from the JSON itself, as objects.typed_body types a body: this runs for
    every line of the file."""
    response = output.raw.get("response")
    body = response.get("body") if type(response) is dict else None
    kind = BODY_TYPES.get(body.get("object")) if type(body) is dict else None
    if kind is ChatCompletion:
        return chat_warnings(body)
    if kind is Response:
        return Response(body).warnings()
    return []
