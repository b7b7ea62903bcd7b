"""Request-Embeddings: vectors for texts (POST /embeddings), or with -AsBatch the same request as a batch input
item, sent nowhere. Body and output as PSOpenAI 4.49 builds them: `input` a string for one text, a list for
several; each result's `embedding` a [float[]] in PowerShell (when floats were asked for) and its `Text`."""
from __future__ import annotations

from typing import Any

from ..core.model_requests import batch_item, model_body, model_path
from ..core.objects import BatchRequestItem, Embeddings

BATCH_URL = "/v1/embeddings"
AZURE_BATCH_URL = "/embeddings"     # Azure OpenAI's batch endpoint form (PSOpenAI 4.49 has none for Azure)


class EmbeddingsInput(BatchRequestItem):
    """A batch input item of an embeddings request."""
    __slots__ = ()
    ps_type_name = "PSOpenAI.Batch.Input"
    ps_shapes = ((("body",), "int32"),)


def request_embeddings(call, *, text: list[str], model: str = "text-embedding-ada-002",
                       encoding_format: str = "float", dimensions: int | None = None, user: str | None = None,
                       as_batch: bool = False, custom_batch_id: str | None = None) -> Any:
    given = call.given
    azure = call.api_type == "azure"
    body: dict[str, Any] = model_body(call, model, as_batch)
    body["input"] = text[0] if len(text) == 1 else list(text)
    if "user" in given:
        body["user"] = user
    if "encoding_format" in given:
        body["encoding_format"] = encoding_format.lower()
    if "dimensions" in given:
        body["dimensions"] = dimensions
    if as_batch:
        return batch_item(EmbeddingsInput, custom_batch_id, AZURE_BATCH_URL if azure else BATCH_URL, body)
    response = call.client.request("POST", model_path(call, model, "embeddings"), body=body)
    for index, item in enumerate(response.get("data") or ()):
        if isinstance(item, dict) and index < len(text):
            item["Text"] = text[index]         # PSOpenAI adds each result's text last
    return Embeddings(response)

