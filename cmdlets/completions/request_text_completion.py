"""Request-TextCompletion: the legacy completions endpoint (POST /completions), or with -AsBatch the same request
as a batch input item, sent nowhere. Body and output as PSOpenAI 4.49 builds them: `prompt` a string for one
prompt, a list for several; `max_tokens` always (2048 by default); the result typed PSOpenAI.Text.Completion with
`created` a datetime and the notes Prompt and Answer (each choice's text); with -Stream the text pieces as they
arrive (cmdlets.core.streaming)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..chat.body import bool_of
from ..core.errors import ParameterBindingError
from ..core.model_requests import batch_item, logit_bias_of, model_body, model_path, refuse_stream_in_batch
from ..core.objects import BatchRequestItem, TextCompletion
from ..core.streaming import first_choice, stream_events, written_text

BATCH_URL = "/v1/completions"
AZURE_BATCH_URL = "/completions"


class TextCompletionInput(BatchRequestItem):
    """A batch input item of a text completion request."""
    __slots__ = ()
    ps_type_name = "PSOpenAI.Batch.Input"
    ps_shapes = ((("body",), "int32"),)


class TextCompletionResult(TextCompletion):
    """Request-TextCompletion's answer: the API's text completion with the prompts it answers."""
    __slots__ = ("_prompt",)

    def __init__(self, raw: dict[str, Any], prompt: list[str]):
        super().__init__(raw)
        object.__setattr__(self, "_prompt", prompt)

    def __reduce__(self):
        return type(self), (self.raw, self._prompt)

    @property
    def prompt(self) -> list[str]:
        return self._prompt

    def ps_note_properties(self) -> dict[str, Any]:
        return {"Prompt": self.prompt, "Answer": self.answer}


def request_text_completion(
        call, *, prompt: list[str] | None = None, suffix: str | None = None, model: str = "gpt-3.5-turbo-instruct",
        temperature: float | None = None, top_p: float | None = None, number_of_answers: int | None = None,
        stop_sequence: list[str] | None = None, stream: bool = False, max_tokens: int = 2048,
        presence_penalty: float | None = None, frequency_penalty: float | None = None,
        logit_bias: Mapping | None = None, user: str | None = None, echo: Any = None, best_of: int | None = None,
        as_batch: bool = False, custom_batch_id: str | None = None) -> Any:
    given = call.given
    refuse_stream_in_batch(stream, as_batch)
    if not prompt:
        raise ParameterBindingError('"Prompt" property is required.')
    if "best_of" in given and "number_of_answers" in given and not best_of > number_of_answers:
        raise ParameterBindingError("BestOf must be greater than NumberOfAnswers")
    if "echo" in given:
        echo = bool_of(echo, "Echo")     # as PSOpenAI's [bool]: 'false' is refused, not sent as true
    azure = call.api_type == "azure"
    body: dict[str, Any] = model_body(call, model, as_batch)
    body["prompt"] = prompt[0] if len(prompt) == 1 else list(prompt)
    if "suffix" in given:
        body["suffix"] = suffix
    if "temperature" in given:
        body["temperature"] = float(temperature)
    if "top_p" in given:
        body["top_p"] = float(top_p)
    if "number_of_answers" in given:
        body["n"] = number_of_answers
    if "stop_sequence" in given:
        body["stop"] = list(stop_sequence)
    if max_tokens > 0:
        body["max_tokens"] = max_tokens
    for key, value in (("presence_penalty", presence_penalty), ("frequency_penalty", frequency_penalty)):
        if key in given:
            body[key] = float(value)
    if "logit_bias" in given:
        body["logit_bias"] = logit_bias_of(call, logit_bias, "Request-TextCompletion")
    if "user" in given:
        body["user"] = user
    if "echo" in given:
        body["echo"] = echo
    if "best_of" in given:
        body["best_of"] = best_of
    if stream:
        body["stream"] = True
        body["n"] = 1       # one answer streamed, as PSOpenAI asks for it
    if as_batch:
        return batch_item(TextCompletionInput, custom_batch_id, AZURE_BATCH_URL if azure else BATCH_URL, body)
    if stream:
        return stream_events(call, model_path(call, model, "completions"), body, written_text(call.host, _choice_text))
    return TextCompletionResult(call.client.request("POST", model_path(call, model, "completions"), body=body), list(prompt))


def _choice_text(event: Any) -> Any:
    """-Stream's piece: the event's first choice's text."""
    return first_choice(event).get("text")
