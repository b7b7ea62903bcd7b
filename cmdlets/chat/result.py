"""What Request-ChatCompletion returns: the API's chat.completion with what PSOpenAI adds to it."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.answers import chat_answers, text
from ..core.binding import find_property
from ..core.objects import ChatCompletion
from ..core.structured import StructuredType

_NO_PARSE = object()


class ChatCompletionResult(ChatCompletion):
    """The API's chat.completion (`created` a datetime) plus, as PSOpenAI adds them, Message (the last user
    message), Answer (one per choice: its text, or with Structured Outputs the object read from it) and
    History (the messages sent, then the assistant's reply), which `history=` takes to go on with the
    conversation. With Structured Outputs each choice's message also has `parsed`, the object."""
    __slots__ = ("_history", "_parsed")

    def __init__(self, raw: dict[str, Any], history: list[dict[str, Any]], parsed: list[Any] | None = None):
        super().__init__(raw)
        object.__setattr__(self, "_history", history)
        object.__setattr__(self, "_parsed", parsed)

    def __reduce__(self):
        return type(self), (self.raw, self._history, self._parsed)

    @property
    def history(self) -> list[dict[str, Any]]:
        return self._history

    @property
    def message(self) -> str | None:
        return last_user_message(self._history)

    @property
    def answer(self) -> list[Any]:
        texts = [t for t, _ in chat_answers(self.raw)]
        if self._parsed is None:
            return texts
        # a choice whose text could not be read as the type has no answer, as in PSOpenAI
        return [p if p is not None else t for t, p in zip(texts, self._parsed) if p is not _NO_PARSE]

    def ps_note_properties(self) -> dict[str, Any]:
        return {"Message": self.message, "Answer": self.answer, "History": self.history}

    def ps_natives(self) -> list[tuple[tuple[str, ...], Any]]:
        """The parsed objects, which cross to PowerShell as the .NET objects they are."""
        if self._parsed is None:
            return []
        natives = [(("choices", str(i), "message", "parsed"), p) for i, p in enumerate(self._parsed)
                   if p is not None and p is not _NO_PARSE]
        answers = [p for p in self._parsed if p is not _NO_PARSE]
        natives += [(("Answer", str(i)), p) for i, p in enumerate(answers) if p is not None]
        return natives


def parse_choices(raw: Mapping[str, Any], structured: StructuredType, host: Any) -> list[Any]:
    """Each choice's answer read as the type, set as its message's `parsed`: None for a choice answered
    otherwise (a refusal, a reply cut short, audio), _NO_PARSE where the text is not the type (an error
    is reported for it, and the other choices are still read)."""
    parsed: list[Any] = []
    for choice, (_, warning) in zip(raw.get("choices") or (), chat_answers(raw)):
        message = choice.get("message") if isinstance(choice, Mapping) else None
        content = message.get("content") if isinstance(message, dict) else None
        if warning is not None or not isinstance(content, str):
            parsed.append(None)
            continue
        try:
            value = structured.parse(content)
        except Exception as e:      # the parser's own error (JSON, a missing field...), said in one line
            from ..core.errors import InvalidResponseError
            host.write_error(InvalidResponseError(
                f"The answer could not be read as {structured.name}: {str(e).splitlines()[0] if str(e) else type(e).__name__}",
                target=content))
            parsed.append(_NO_PARSE)
            continue
        message["parsed"] = value
        parsed.append(value)
    return parsed


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
