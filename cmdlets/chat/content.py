"""The parts of a user message, as PSOpenAI builds them: the text, then each image as an `image_url` part (a
local file as a data URL, anything else as the URL given), with `detail` only when -ImageDetail was given. A
message of text alone stays a plain string, as PSOpenAI keeps it."""
from __future__ import annotations

import os
from typing import Any

from ..core.data_urls import data_url


def user_content(message: str | None, images: list[str] | None, image_detail: str | None) -> Any:
    """The user message's content (str or list of parts), or None when there is nothing to send."""
    parts: list[dict[str, Any]] = []
    if message is not None and message.strip():
        parts.append({"type": "text", "text": message.strip()})
    for image in images or ():
        if image is None or not image.strip():
            continue
        url = data_url(image) if os.path.isfile(image) else image
        part: dict[str, Any] = {"type": "image_url", "image_url": {"url": url}}
        if image_detail is not None:
            part["image_url"]["detail"] = image_detail.lower()
        parts.append(part)
    if not parts:
        return None
    return parts[0]["text"] if len(parts) == 1 and parts[0]["type"] == "text" else parts
