"""Models OpenAI has retired or is about to retire (its deprecations page: platform.openai.com/docs/deprecations),
so that a request or a batch for one is warned about before it is sent, as PSOpenAI warns: a request to a model that
is gone fails, and a batch of them fails only once it has run. The same models and dates as PSOpenAI 4.49."""
from __future__ import annotations

from datetime import date

WARN_DAYS_BEFORE = 30       # a model shutting down within this many days is warned about too

_SHUTDOWN_DATES: dict[date, tuple[str, ...]] = {
    date(2023, 3, 23): ("code-davinci-001", "code-davinci-002", "code-cushman-001", "code-cushman-002"),
    date(2024, 1, 4): (
        "ada", "babbage", "curie", "davinci", "text-ada-001", "text-babbage-001", "text-curie-001",
        "text-davinci-001", "text-davinci-002", "text-davinci-003", "text-davinci-edit-001", "code-davinci-edit-001",
        *(f"text-similarity-{m}-001" for m in ("ada", "babbage", "curie", "davinci")),
        *(f"text-search-{m}-{kind}-001" for m in ("ada", "babbage", "curie", "davinci") for kind in ("doc", "query")),
        *(f"code-search-{m}-{kind}-001" for m in ("ada", "babbage") for kind in ("code", "text"))),
    date(2024, 9, 13): ("gpt-3.5-turbo-0613", "gpt-3.5-turbo-16k-0613"),
    date(2024, 12, 6): ("gpt-4-vision-preview", "gpt-4-1106-vision-preview"),
    date(2025, 6, 6): ("gpt-4-32k", "gpt-4-32k-0613", "gpt-4-32k-0314"),
    date(2025, 7, 14): ("gpt-4.5-preview",),
    date(2025, 7, 28): ("o1-preview",),
    date(2025, 9, 10): ("gpt-4o-audio-preview-2024-10-01", "gpt-4o-realtime-preview-2024-10-01"),
    date(2025, 10, 27): ("o1-mini", "text-moderation-007", "text-moderation-stable", "text-moderation-latest"),
    date(2026, 1, 16): ("codex-mini-latest",),
    date(2026, 2, 17): ("chatgpt-4o-latest",),
    date(2026, 3, 26): ("gpt-4-0314", "gpt-4-1106-preview", "gpt-4-0125-preview"),
    date(2026, 5, 7): ("gpt-4o-realtime-preview", "gpt-4o-mini-realtime-preview", "gpt-4o-audio-preview",
                       "gpt-4o-mini-audio-preview"),
    date(2026, 5, 12): ("dall-e-2", "dall-e-3"),
    date(2026, 7, 23): ("computer-use-preview", "gpt-5-chat-latest", "gpt-5-codex", "gpt-5.1-chat-latest",
                        "gpt-5.1-codex", "gpt-5.1-codex-max", "gpt-5.1-codex-mini", "gpt-5.2-codex",
                        "o3-deep-research", "o4-mini-deep-research"),
    date(2026, 8, 10): ("gpt-5.2-chat-latest", "gpt-5.3-chat-latest"),
    date(2026, 9, 24): ("sora-2", "sora-2-pro"),
    date(2026, 9, 28): ("gpt-3.5-turbo-instruct", "babbage-002", "davinci-002", "gpt-3.5-turbo-1106"),
    date(2026, 10, 23): ("gpt-3.5-turbo", "gpt-4", "gpt-4.1-nano", "gpt-image-1", "o1", "o1-pro", "o3-mini",
                         "o4-mini"),
    date(2026, 12, 1): ("gpt-image-1-mini", "gpt-image-1.5", "chatgpt-image-latest"),
}
SHUTDOWN: dict[str, date] = {model: day for day, models in _SHUTDOWN_DATES.items() for model in models}


def retirement_warning(model: object, today: date | None = None, *, batch: bool = False) -> str:
    """What to warn about a model that is shut down or shuts down within WARN_DAYS_BEFORE days, or ''.
    `batch`: said of a batch's requests (one model per batch)."""
    day = SHUTDOWN.get(model) if isinstance(model, str) else None
    if day is None:
        return ""
    today = today or date.today()
    subject = f"The batch's requests are for the model {model}, which" if batch else f"The model {model}"
    if today >= day:
        return (f"{subject} was shut down on {day:%Y-%m-%d}: {'they' if batch else 'its requests'} fail. "
                "Choose another model.")
    if (day - today).days <= WARN_DAYS_BEFORE:
        return f"{subject} shuts down on {day:%Y-%m-%d}: choose another model before then."
    return ""
