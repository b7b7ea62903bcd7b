"""The parts of a user message, as PSOpenAI builds them: the text, then the audio file (an `input_audio` part,
base64), then each image as an `image_url` part (a local file as a data URL, a URL as given; anything else,
a path naming no file say, is an error), with `detail` only when -ImageDetail was given. A message of text
alone stays a plain string, as PSOpenAI keeps it. And the other way: an audio answer saved to a file."""
from __future__ import annotations

import base64
import os
import re
from typing import Any

from ..core.data_urls import data_url, read_file
from ..core.errors import InvalidOperationError, InvalidResponseError, ParameterBindingError

_IMAGE_URL = re.compile(r"\s*(https?://|data:)", re.IGNORECASE)    # what the API takes as an image_url


def user_content(message: str | None, images: list[str] | None, image_detail: str | None,
                 audio: str | None = None, audio_format: str | None = None) -> Any:
    """The user message's content (str or list of parts), or None when there is nothing to send."""
    parts: list[dict[str, Any]] = []
    if message is not None and message.strip():
        parts.append({"type": "text", "text": message.strip()})
    if audio is not None:
        # the format PSOpenAI sends: -InputAudioFormat, else the file's extension
        kind = (audio_format or os.path.splitext(audio)[1].lstrip(".")).lower()
        data = base64.b64encode(read_file(audio, "audio file")).decode("ascii")
        parts.append({"type": "input_audio", "input_audio": {"data": data, "format": kind}})
    for image in images or ():
        if image is None or not image.strip():
            continue
        if os.path.isfile(image):
            url = data_url(image)
        elif _IMAGE_URL.match(image):
            url = image
        else:
            # (PSOpenAI sends it as a URL, which the API refuses; in a batch, only once the batch has run)
            raise ParameterBindingError(f"Images: {image!r} is neither a file nor an image URL (http://, https:// "
                                        "or data:).", target=image)
        part: dict[str, Any] = {"type": "image_url", "image_url": {"url": url}}
        if image_detail is not None:
            part["image_url"]["detail"] = image_detail.lower()
        parts.append(part)
    if not parts:
        return None
    return parts[0]["text"] if len(parts) == 1 and parts[0]["type"] == "text" else parts


def save_audio(response: dict[str, Any], path: str, host: Any) -> None:
    """The first choice's audio answer (base64 `message.audio.data`) written to `path`, its folder made; a
    warning when the answer has no audio."""
    for choice in response.get("choices") or ():
        audio = (choice.get("message") or {}).get("audio") if isinstance(choice, dict) else None
        data = audio.get("data") if isinstance(audio, dict) else None
        if not isinstance(data, str):
            continue
        try:
            content = base64.b64decode(data, validate=True)
        except ValueError:
            raise InvalidResponseError("The API's audio answer is not valid base64; nothing was saved to "
                                       f"{path!r}.", target=path) from None
        folder = os.path.dirname(os.path.abspath(path))
        try:
            os.makedirs(folder, exist_ok=True)
            with open(path, "wb") as f:
                f.write(content)
        except OSError as e:
            raise InvalidOperationError(f"Cannot write the audio answer to {path!r}: {e.strerror}.",
                                        target=path) from None
        return
    host.warning(f"The answer has no audio, so nothing was saved to {path!r} (ask for it with -Modalities text, audio).")
