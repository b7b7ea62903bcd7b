"""What Request-ChatCompletion returns: the API's chat.completion with what PSOpenAI adds to it."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.answers import chat_answers, text
from ..core.binding import find_property
from ..core.objects import ChatCompletion

class ChatCompletionResult(ChatCompletion):
    """The API's chat.completion (`created` a datetime) plus, as PSOpenAI adds them, Message (the last user
    message), Answer (one per choice: its text, or with Structured Outputs the object read from it, which is
    also the message's `parsed`: cmdlets.core.structured.read_answers) and History (the messages sent, then the
    assistant's reply), which `history=` takes to go on with the conversation."""
    __slots__ = ("_history",)
    # As PSOpenAI builds them: [ordered] dictionaries (so $r.History[0]['role'] and .Keys work), typed
    ps_shapes = ((("History",), "ordered"), (("History",), "type:PSOpenAI.Chat.Completion.Message"))

    def __init__(self, raw: dict[str, Any], history: list[dict[str, Any]]):
        super().__init__(raw)
        object.__setattr__(self, "_history", history)

    def __reduce__(self):
        return type(self), (self.raw, self._history)

    @property
    def history(self) -> list[dict[str, Any]]:
        return self._history

    @property
    def message(self) -> str | None:
        return last_user_message(self._history)

    def ps_note_properties(self) -> dict[str, Any]:
        return {"Message": self.message, "Answer": self.answer, "History": self.history}


def last_user_message(messages: list[Mapping[str, Any]]) -> str | None:
    """The last user message's text (its string content, else its last text part), or None."""
    users = [m for m in messages if text(find_property(m, ("role",))[1]).lower() == "user"]
    if not users:
        return None
    content = find_property(users[-1], ("content",))[1]
    if not isinstance(content, str):
        parts = [p for p in (content if isinstance(content, list) else [content] if content is not None else [])
                 if text(find_property(p, ("type",))[1]).lower() == "text"]
        content = text(find_property(parts[-1], ("text",))[1]) if parts else ""
    return content or None
