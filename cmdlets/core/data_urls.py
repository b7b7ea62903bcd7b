"""Local files sent inside a request as `data:<media type>;base64,<content>` URLs, as PSOpenAI sends them: images
(Request-ChatCompletion and Request-Response -Images) and input files (Request-Response -Files). The media type comes
from the extension, by the same table PSOpenAI 4.49 uses; an unknown one gets the caller's default."""
from __future__ import annotations

import base64
import os

from .errors import InvalidOperationError

IMAGE_TYPES = {".jpeg": "image/jpeg", ".jpg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
               ".webp": "image/webp"}

# Documents, code and audio the Responses API reads as input files, besides images.
FILE_TYPES = {
    **IMAGE_TYPES,
    ".c": "text/x-c", ".cpp": "text/x-c++", ".cs": "text/x-csharp", ".css": "text/css", ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".go": "text/x-golang",
    ".html": "text/html", ".java": "text/x-java", ".js": "text/javascript", ".json": "application/json",
    ".md": "text/markdown", ".pdf": "application/pdf", ".php": "text/x-php",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".py": "text/x-python",
    ".rb": "text/x-ruby", ".sh": "application/x-sh", ".tex": "text/x-tex", ".ts": "application/typescript",
    ".txt": "text/plain", ".xml": "application/xml", ".aac": "audio/aac", ".mp3": "audio/mpeg", ".m4a": "audio/mp4",
    ".flac": "audio/flac", ".wav": "audio/wav", ".oga": "audio/ogg", ".ogg": "audio/ogg", ".opus": "audio/opus",
    ".weba": "audio/webm", ".mp4": "application/mp4",
}


def data_url(path: str, types: dict[str, str] = IMAGE_TYPES, default: str = "image/png") -> str:
    """The file at path as a data URL (an image by default: an unknown extension is sent as PNG, as PSOpenAI does)."""
    media_type = types.get(os.path.splitext(path)[1].lower(), default)
    return f"data:{media_type};base64,{base64.b64encode(read_file(path)).decode('ascii')}"


def read_file(path: str, what: str = "file") -> bytes:
    """A local file sent inside a request, whole; one that cannot be read is an error before anything is sent."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise InvalidOperationError(f"Cannot read the {what} {path!r}: {e.strerror}.", target=path) from None
