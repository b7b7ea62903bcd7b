"""What PSOpenAI reads out of a chat completion: each choice's answer, and the warnings it writes for a
refusal or a cut-off reply. Shared by Request-ChatCompletion and Get-BatchOutput (a batch's chat results)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def truthy(value: Any) -> bool:
    """PowerShell's truth: '' and 0 and empty collections are false, a one-item collection is its item's."""
    if isinstance(value, (list, tuple)):
        return len(value) > 1 or (len(value) == 1 and truthy(value[0]))
    if isinstance(value, (dict, Mapping)):      # (dict first: the ABC check costs more)
        return True
    return bool(value)


def text(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def chat_answers(raw: Mapping[str, Any]) -> list[tuple[str, str | None]]:
    """(answer text, warning or None) per choice, as PSOpenAI reads them: a refusal, else the content
    (an audio reply's transcript when there is no content); null as ''."""
    return [(text(value), warning) for value, warning in chat_answer_values(raw)]


def chat_answer_values(raw: Mapping[str, Any]) -> list[tuple[Any, str | None]]:
    """chat_answers with each answer the JSON value it is read from (the refusal, content or transcript)."""
    out = []
    choices = raw.get("choices")
    for choice in choices if isinstance(choices, list) else ():
        if not isinstance(choice, (dict, Mapping)):
            continue
        message = choice.get("message")
        if not isinstance(message, (dict, Mapping)):
            message = {}
        refusal, content = message.get("refusal"), message.get("content")
        if truthy(refusal):
            out.append((refusal, f'The model refuses to respond. Refusal message: "{text(refusal)}"'))
            continue
        reason = choice.get("finish_reason")
        if isinstance(reason, str) and reason.lower() in ("length", "content_filter"):
            out.append((content, f'The model seems to have terminated response. Reason: "{reason}"'))
            continue
        audio = message.get("audio")
        transcript = audio.get("transcript") if isinstance(audio, (dict, Mapping)) else None
        if content is None and truthy(transcript):
            out.append((transcript, None))
            continue
        out.append((content, None))
    return out


def chat_warnings(raw: Mapping[str, Any]) -> list[str]:
    """The warnings of chat_answers alone. Get-BatchOutput asks it of every line of a file, and most lines are
    plain answers: choices that stopped (finish_reason "stop") without a refusal, which chat_answers gives no
    warning, are seen as such without making their answers."""
    choices = raw.get("choices")
    if type(choices) is list:
        for choice in choices:
            message = choice.get("message") if type(choice) is dict else None
            if type(message) is not dict or choice.get("finish_reason") != "stop" or message.get("refusal") is not None:
                break
        else:
            return []
    return [warning for _, warning in chat_answers(raw) if warning]
