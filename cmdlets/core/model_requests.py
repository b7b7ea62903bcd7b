"""What the cmdlets that call a model (Request-ChatCompletion, -Response, -Embeddings, -TextCompletion) share, as
PSOpenAI builds it: the batch input item -AsBatch returns, the path of the direct call, the body's start, its
token biases and -JsonSchema's text read. (NotSupportedError, the refusal of what this port does not carry
out yet, is cmdlets.core.errors'.)"""
from __future__ import annotations

import itertools
import json
import math
import random
import re
from collections.abc import Mapping
from typing import Any

from .client import url_path
from .errors import NotSupportedError, ParameterBindingError


# Default custom_ids: PSOpenAI's `request-xxxx` form, from a random start then one up per item, so that no two items
# made in this process share one (PSOpenAI draws each at random among 65535: of 1,000 piped texts a few share
# an id, and Start-Batch refuses them). Past ffff the number takes a fifth digit rather than wrapping.
_request_numbers = itertools.count(random.randrange(65535))


def batch_item(cls: type, custom_batch_id: str | None, url: str, body: dict[str, Any]) -> Any:
    """{custom_id, method, url, body}; without -CustomBatchId, `request-xxxx`, unique in this process."""
    return cls({"custom_id": custom_batch_id or f"request-{next(_request_numbers):04x}", "method": "POST",
                "url": url, "body": body})


def model_path(call: Any, model: str, *endpoint: str) -> str:
    """OpenAI: /<endpoint>. Azure OpenAI names the model in the URL, the deployment:
    /deployments/{model}/<endpoint> (the client adds /openai and api-version)."""
    if call.api_type == "azure":
        return url_path("deployments", model.replace("/", "").strip(), *endpoint)
    return "/" + "/".join(endpoint)


def model_body(call: Any, model: str, as_batch: bool) -> dict[str, Any]:
    """A request body's start: {"model": model}, except in a direct call to Azure OpenAI, whose URL names the
    model (the deployment); a batch item keeps it, since the batch reads it from the body."""
    checked_model(model)
    return {} if call.api_type == "azure" and not as_batch else {"model": model}


def checked_model(model: Any) -> None:
    """-Model '' (or blank): an error before anything is sent or built, as PSOpenAI refuses it before its
    request, not the API's 400 (or, in a batch item, the batch's failure later)."""
    if not isinstance(model, str) or not model.strip():
        raise ParameterBindingError("Model is empty: name the model to use (on Azure OpenAI, the deployment).")



def refuse_stream_in_batch(stream: bool, as_batch: bool) -> None:
    """-Stream with -AsBatch: the Batch API does not stream, so the item would be refused after its upload."""
    if stream and as_batch:
        raise ParameterBindingError("-Stream (stream=True) cannot be used with -AsBatch (as_batch=True): "
                                    "the Batch API does not stream answers.")


def logit_bias_of(call: Any, bias: Mapping, cmdlet: str) -> dict[str, float]:
    """Token id -> bias between -100 and 100 (clamped with a warning), as PSOpenAI converts it. PSOpenAI
    also takes words, which it tokenizes for the model; this port has no tokenizer and takes token ids only."""
    result: dict[str, float] = {}
    for key, value in bias.items():
        try:
            v = float(value if not isinstance(value, bool) else "x")
            if math.isnan(v) or math.isinf(v):
                raise ValueError
        except (TypeError, ValueError):
            call.host.write_error(ParameterBindingError("The value of LogitBias should be type as [float]",
                                                        target=value))
            continue
        if v > 100:
            call.host.warning(f"The maximum value of LogitBias is 100. The value {_number(v)} is rounded to 100.")
            v = 100.0
        elif v < -100:
            call.host.warning(f"The minimum value of LogitBias is -100. The value {_number(v)} is rounded to -100.")
            v = -100.0
        token = key if isinstance(key, int) and not isinstance(key, bool) else \
            int(key.strip()) if isinstance(key, str) and re.fullmatch(r"\s*-?\d+\s*", key) else None
        if token is None:
            raise NotSupportedError(f"{cmdlet} -LogitBias with a word as key ({key!r}) is not supported by this "
                                    "port yet (it has no tokenizer); give token ids as keys.")
        result[str(token)] = v
    return result


def _number(v: float) -> str:
    return str(int(v)) if v.is_integer() else str(v)


def json_schema_of(text: str | None) -> Any:
    """-JsonSchema's JSON text as the object sent; missing or not JSON is an error before anything is sent."""
    if not text:
        raise ParameterBindingError("JsonSchema must be specified.")
    try:
        return json.loads(text)
    except ValueError as e:
        raise ParameterBindingError(f"JsonSchema is not valid JSON: {e}.") from None
