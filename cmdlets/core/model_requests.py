"""What the cmdlets that call a model (Request-ChatCompletion, -Response, -Embeddings, -TextCompletion) share, as
PSOpenAI builds it: the batch input item -AsBatch returns, the path of the direct call, and the refusal of what
this port does not carry out yet."""
from __future__ import annotations

import json
import random
from typing import Any

from .client import url_path
from .errors import ParameterBindingError


class NotSupportedError(ParameterBindingError):
    """A PSOpenAI parameter this port does not carry out yet; raised before anything is sent."""
    category = "NotImplemented"
    terminating = True


def batch_item(cls: type, custom_batch_id: str | None, url: str, body: dict[str, Any]) -> Any:
    """{custom_id, method, url, body}; without -CustomBatchId, PSOpenAI's random `request-xxxx`."""
    return cls({"custom_id": custom_batch_id or f"request-{random.randrange(65535):04x}", "method": "POST",
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
    return {} if call.api_type == "azure" and not as_batch else {"model": model}



def json_schema_of(text: str | None) -> Any:
    """-JsonSchema's JSON text as the object sent; missing or not JSON is an error before anything is sent."""
    if not text:
        raise ParameterBindingError("JsonSchema must be specified.")
    try:
        return json.loads(text)
    except ValueError as e:
        raise ParameterBindingError(f"JsonSchema is not valid JSON: {e}.") from None
