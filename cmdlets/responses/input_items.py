"""A response's `input` as PSOpenAI 4.49 builds it: the -History items as given, then one system message and one
developer message (an `input_text` part per string), then the user's message: its text, its -Files
(`input_file` parts) and its -Images (`input_image` parts). Local files go as data URLs."""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..core.answers import text as _text
from ..core.binding import find_property
from ..core.data_urls import FILE_TYPES, data_url
from ..core.errors import ParameterBindingError
from ..core.objects import to_plain

_URL = re.compile(r"^https?://", re.IGNORECASE)
_IMAGE_URL = re.compile(r"https?://|^data:", re.IGNORECASE)      # (PSOpenAI looks for the scheme anywhere)


def input_items(history: Any, system_message: list[str] | None, developer_message: list[str] | None,
                message: str | None, files: list[str] | None, images: list[str] | None,
                image_detail: str) -> list[Any]:
    items = history_items(history)
    for role, texts in (("system", system_message), ("developer", developer_message)):
        parts = [_input_text(t) for t in texts or () if t is not None and t.strip()]
        if parts:
            items.append({"type": "message", "role": role, "content": parts})
    parts = [_input_text(message)] if message is not None and message.strip() else []
    parts += [_file_part(f) for f in files or () if f is not None and f.strip()]
    parts += [_image_part(i, image_detail) for i in images or () if i is not None and i.strip()]
    if parts:
        items.append({"type": "message", "role": "user", "content": parts})
    return items


def history_items(history: Any) -> list[Any]:
    """-History as a list of JSON-ready items (one mapping, or a list of them)."""
    if history is None:
        return []
    if isinstance(history, (Mapping, str)) or not isinstance(history, Iterable):
        history = [history]
    return [_without_parsed(to_plain(item)) for item in history if item is not None]


def _without_parsed(item: Any) -> Any:
    """An output message as the API sent it: without the `parsed` object Structured Outputs set on its
    output_text parts (not an API field, and an object with no JSON form), so a structured answer's History goes
    on with the conversation. A copy: the earlier result keeps its objects."""
    content = item.get("content") if isinstance(item, Mapping) else None
    if not isinstance(content, list) or not any(isinstance(p, Mapping) and "parsed" in p for p in content):
        return item
    return {**item, "content": [{k: v for k, v in p.items() if k != "parsed"}
                                if isinstance(p, Mapping) and p.get("type") == "output_text" else p
                                for p in content]}


def last_user_message(items: list[Any]) -> str | None:
    """The last user message's text, as PSOpenAI reads it: its content when a string, else its last
    `input_text` part's text; None when there is none."""
    users = [i for i in items if _text(find_property(i, ("role",))[1]) == "user"]
    if not users:
        return None
    content = find_property(users[-1], ("content",))[1]
    if not isinstance(content, str):
        parts = [p for p in (content if isinstance(content, list) else [content])
                 if _text(find_property(p, ("type",))[1]) == "input_text"]
        content = _text(find_property(parts[-1], ("text",))[1]) if parts else ""
    return content or None


def _input_text(text: str) -> dict[str, Any]:
    return {"type": "input_text", "text": text}


def _file_part(file: str) -> dict[str, Any]:
    """A local file (by its name, as a data URL), a URL, or an uploaded file's id. PSOpenAI skips a path that
    names no file silently; here it is an error, before anything is sent."""
    if os.path.isfile(file):
        return {"type": "input_file", "filename": os.path.basename(file),
                "file_data": data_url(file, FILE_TYPES, "application/octet-stream")}
    if _URL.match(file):
        return {"type": "input_file", "file_url": file}
    if "/" in file or "\\" in file:
        raise ParameterBindingError(f"Files: {file!r} is neither a file, a URL nor a file id.", target=file)
    return {"type": "input_file", "file_id": file}


def _image_part(image: str, detail: str) -> dict[str, Any]:
    """A local image (as a data URL), a URL, or an uploaded file's id; with the detail, always."""
    if os.path.isfile(image):
        return {"type": "input_image", "image_url": data_url(image), "detail": detail}
    if _IMAGE_URL.search(image):
        return {"type": "input_image", "image_url": image, "detail": detail}
    if "/" in image or "\\" in image:
        raise ParameterBindingError(f"Images: {image!r} is neither a file, a URL nor a file id.", target=image)
    return {"type": "input_image", "file_id": image, "detail": detail}
