"""Get-OpenAIContext: the session context's settings (the API key stays a SecureString / Secret)."""
from __future__ import annotations

from ..core.context import OpenAIContext, store_of


def get_openai_context(call) -> OpenAIContext:
    # (pwsh's store gives PSOpenAI's PSCustomObject instead, through the host: psbridge/context.py)
    return store_of(call.host).snapshot()
