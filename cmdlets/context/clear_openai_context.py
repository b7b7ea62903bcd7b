"""Clear-OpenAIContext: sets the session context back to its defaults."""
from __future__ import annotations

from ..core.context import store_of


def clear_openai_context(call) -> None:
    store_of(call.host).clear()
    return None
