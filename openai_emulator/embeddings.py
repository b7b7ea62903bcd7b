"""POST /v1/embeddings: deterministic vectors derived from each input text, `dimensions` long (1536 by default),
unit length, as floats or as `encoding_format: base64` (little-endian float32, as the API sends them). A batch's
/v1/embeddings requests get the same answer (batch_processing)."""
from __future__ import annotations

import base64
import hashlib
import math
import struct
from typing import Any

from .errors import ApiError

DEFAULT_DIMENSIONS = 1536
MAX_DIMENSIONS = 3072


def vector(text: str, dimensions: int) -> list[float]:
    """Unit-length, the same for the same text; similar texts are not similar (it is a hash)."""
    values: list[float] = []
    counter = 0
    while len(values) < dimensions:
        digest = hashlib.sha256(f"{counter}:{text}".encode("utf-8")).digest()
        values.extend(b / 255 - 0.5 for b in digest)
        counter += 1
    values = values[:dimensions]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [round(v / norm, 7) for v in values]


def create_embeddings(body: dict[str, Any]) -> dict[str, Any]:
    """Checks a request as the API does (the parts that matter here), then answers it."""
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise ApiError(400, "you must provide a model parameter", param="model")
    inputs = body.get("input")
    inputs = [inputs] if isinstance(inputs, str) else inputs
    if not isinstance(inputs, list) or not inputs or not all(isinstance(i, str) and i for i in inputs):
        raise ApiError(400, "'input' must be a non-empty string or a non-empty array of non-empty strings.",
                       param="input")
    dimensions = body.get("dimensions", DEFAULT_DIMENSIONS)
    if not isinstance(dimensions, int) or isinstance(dimensions, bool) or not 1 <= dimensions <= MAX_DIMENSIONS:
        raise ApiError(400, f"Invalid 'dimensions': expected an integer between 1 and {MAX_DIMENSIONS}.",
                       param="dimensions")
    encoding = body.get("encoding_format", "float")
    if encoding not in ("float", "base64"):
        raise ApiError(400, "Invalid 'encoding_format': expected 'float' or 'base64'.", param="encoding_format")
    data = []
    for index, text in enumerate(inputs):
        values = vector(text, dimensions)
        embedding: Any = values if encoding == "float" else \
            base64.b64encode(struct.pack(f"<{len(values)}f", *values)).decode("ascii")
        data.append({"object": "embedding", "index": index, "embedding": embedding})
    tokens = sum(max(1, len(t) // 4) for t in inputs)
    return {"object": "list", "data": data, "model": model,
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens}}
