"""POST /v1/completions (the legacy text completions): for each prompt, `n` choices (indexed prompt by prompt, as
the API numbers them) answering "Emulated completion for <prompt>.", cut with finish_reason "length" past
max_tokens; with `stream: true` as server-sent events (streaming.text_completion_events). A batch's
/v1/completions requests get the same answer (batch_processing)."""
from __future__ import annotations

from typing import Any

from .errors import ApiError
from .ids import new_id

MAX_CHOICES = 128


def create_text_completion(body: dict[str, Any], now: int) -> dict[str, Any]:
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise ApiError(400, "you must provide a model parameter", param="model")
    prompts = body.get("prompt")
    prompts = [prompts] if isinstance(prompts, str) else prompts
    if not isinstance(prompts, list) or not prompts or not all(isinstance(p, str) for p in prompts):
        raise ApiError(400, "'prompt' must be a string or an array of strings.", param="prompt")
    n = body.get("n", 1)
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= MAX_CHOICES:
        raise ApiError(400, f"Invalid 'n': expected an integer between 1 and {MAX_CHOICES}.", param="n")
    limit = body.get("max_tokens")
    choices = []
    for prompt in prompts:
        text, finish = f"Emulated completion for {prompt.strip() or 'an empty prompt'}.", "stop"
        if isinstance(limit, int) and not isinstance(limit, bool) and limit >= 1 and len(text) // 4 > limit:
            text, finish = text[:limit * 4], "length"
        choices += [{"text": text, "index": len(choices), "logprobs": None, "finish_reason": finish} for _ in range(n)]
    prompt_tokens = sum(max(1, len(p) // 4) for p in prompts)
    completion_tokens = sum(max(1, len(c["text"]) // 4) for c in choices)
    return {"id": new_id("cmpl-"), "object": "text_completion", "created": now, "model": model, "choices": choices,
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens}}
