"""Request-Response: one model response (POST /responses), or with -AsBatch the same request as a batch input item,
sent nowhere.

The body is built as PSOpenAI 4.49 builds it: the same keys, in the same order, each only when its parameter was
given (the model always, but for a reusable prompt without -Model). What this port does not carry out (streaming,
background responses, the server-side tools, Structured Outputs from a class) is refused before anything is built.
"""
from __future__ import annotations

from typing import Any

from ..core.errors import ParameterBindingError
from ..core.streaming import stream_events
from ..core.structured import read_answers
from ..core.model_requests import batch_item, checked_model, refuse_stream_in_batch
from ..core.objects import BatchRequestItem, Response
from .input_items import input_items, last_user_message
from .options import reasoning_options, refuse_unsupported, text_options, tool_choice_value, tool_list

BATCH_URL = "/v1/responses"
AZURE_BATCH_URL = "/responses"      # PSOpenAI 4.49's batch endpoint for Azure OpenAI

# Options sent as given, by body key, in PSOpenAI's order (python name when it differs).
_PLAIN = ("include", "instructions", "max_output_tokens", "truncation", "metadata")
_SAMPLING = ("max_tool_calls", "parallel_tool_calls", "top_logprobs", "top_p", "temperature", "store",
             "service_tier", "prompt_cache_key", "prompt_cache_retention", "safety_identifier", "user")


class ResponseInput(BatchRequestItem):
    """One request of a batch: {custom_id, method, url, body}, as PSOpenAI's -AsBatch emits it (its counts [int])."""
    __slots__ = ()
    ps_type_name = "PSOpenAI.Batch.Input"
    ps_shapes = ((("body",), "int32"),)


class ResponseResult(Response):
    """The answer to Request-Response: the API's response plus, as PSOpenAI adds them, LastUserMessage, output_text,
    StructuredOutputs and History (the input sent, then the output items), which `history=` takes to go on."""
    __slots__ = ("_history",)
    ps_shapes = ((("History",), "type:PSOpenAI.Response.Message"),)     # as PSOpenAI types them (its table view)

    def __init__(self, raw: dict[str, Any], history: list[Any]):
        super().__init__(raw)
        object.__setattr__(self, "_history", history)

    def __reduce__(self):
        return type(self), (self.raw, self._history)

    def ps_natives(self) -> list[tuple[tuple[str, ...], Any]]:
        """The objects read as a type, also where History holds the same output items."""
        natives = super().ps_natives()
        output = self.raw.get("output") or []
        in_history = {id(item): k for k, item in enumerate(self._history)}
        for path, value in list(natives):
            if path[0] == "output":
                k = in_history.get(id(output[int(path[1])]))
                if k is not None:
                    natives.append((("History", str(k), *path[2:]), value))
        return natives

    @property
    def history(self) -> list[Any]:
        return self._history

    @property
    def last_user_message(self) -> str | None:
        return last_user_message(self._history)


def request_response(call, **options: Any) -> Any:
    """`options` are the manifest's parameters by their Python names (manifests/Request-Response.yaml)."""
    given = call.given
    refuse_unsupported({k: options.get(k) for k in given})
    o = options
    body: dict[str, Any] = {}
    if o["prompt_id"]:          # a reusable prompt: the model and the input become optional
        body["prompt"] = {"id": o["prompt_id"], **{k: o[f"prompt_{k}"] for k in ("variables", "version")
                                                    if f"prompt_{k}" in given}}
    if not o["prompt_id"] or "model" in given:
        checked_model(o["model"])
        body["model"] = o["model"]
    for key in ("conversation", "previous_response_id"):
        if o[key]:
            body[key] = o[key]
    body.update({key: _plain(o[key]) for key in _PLAIN if key in given})
    if "tool_choice" in given:
        body["tool_choice"] = tool_choice_value(o["tool_choice"])
    body.update({key: float(o[key]) if key in ("top_p", "temperature") else o[key] for key in _SAMPLING if key in given})
    refuse_stream_in_batch(o["stream"], o["as_batch"])
    if o["stream"]:
        body["stream"] = True
    text, structured = text_options(given, o, call.host)
    for key, value in (("reasoning", reasoning_options(given, o)), ("text", text)):
        if value:
            body[key] = value
    tools = [*(tool_list(o["functions"], "Functions") if "functions" in given else ()),
             *(tool_list(o["custom_tools"], "CustomTools") if "custom_tools" in given else ())]
    if tools:
        body["tools"] = tools
    items = input_items(o["history"], o["system_message"], o["developer_message"], o["message"], o["files"],
                        o["images"], o["image_detail"].lower())
    if not items and not o["conversation"] and not o["prompt_id"]:
        raise ParameterBindingError("No message is specified. You must specify one or more messages.")
    body["input"] = items

    if o["as_batch"]:
        url = AZURE_BATCH_URL if call.api_type == "azure" else BATCH_URL
        return batch_item(ResponseInput, o["custom_batch_id"], url, body)
    if o["stream"]:
        return stream_events(call, "/responses", body, None if o["output_raw_response"] else
                             _text_delta if o["stream_output_type"].lower() == "text" else _as_event)
    if o["output_raw_response"]:
        return call.client.request("POST", "/responses", body=body, raw=True).decode("utf-8")
    raw = Response.from_api(call.client.request("POST", "/responses", body=body)).raw
    output = raw.get("output")
    result = ResponseResult(raw, items + (list(output) if isinstance(output, list) else []))
    for warning in result.warnings():       # before an answer that cannot be read (cut off, say), as PSOpenAI
        call.host.warning(warning)
    if structured is not None:
        read_answers(raw, structured, call.host)
    return result


def _text_delta(event: Any) -> str | None:
    """-Stream's text: each response.output_text.delta's piece, as PSOpenAI writes them."""
    return event.get("delta") if isinstance(event, dict) and event.get("type") == "response.output_text.delta" else None


def _as_event(event: Any) -> Any:
    """-StreamOutputType object: every event as an object."""
    return event


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else dict(value) if isinstance(value, dict) else value
