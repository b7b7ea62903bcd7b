"""Get-OpenAIContext: the session context's settings (the API key stays a SecureString / Secret)."""
from __future__ import annotations

from ..core.context import store_of


def get_openai_context(call):
    return store_of(call.host).snapshot()
