"""Set-OpenAIContext: stores API settings that every later call uses unless it is given its own."""
from __future__ import annotations

from typing import Any

from ..core.config import API_TYPES, AUTH_TYPES, choice
from ..core.context import ENTRIES, store_of


def set_openai_context(call, **settings: Any) -> None:
    store = store_of(call.host)
    given = {k: v for k, v in settings.items() if k in call.given}
    if "api_type" in given:     # PSOpenAI's spelling, whatever case it was given in
        given["api_type"] = "Azure" if choice(given["api_type"], API_TYPES, "ApiType") == "azure" else "OpenAI"
    if "auth_type" in given:
        given["auth_type"] = choice(given["auth_type"], AUTH_TYPES, "AuthType")
    for name, value in given.items():
        store.set(ENTRIES[name], value)
    if "auth_type" not in given:
        # As PSOpenAI: the auth type follows the API type unless it is given (Azure keeps azure_ad).
        api_type = str(store.get("ApiType") or "OpenAI").lower()
        auth_type = str(store.get("AuthType") or "openai").lower()
        if api_type == "azure" and auth_type == "openai":
            store.set("AuthType", "azure")
        elif api_type == "openai":
            store.set("AuthType", "openai")
    return None
