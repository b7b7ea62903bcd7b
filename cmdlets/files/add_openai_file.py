"""Add-OpenAIFile: uploads a file (POST /files, multipart, streamed from disk)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from ..core.errors import InvalidOperationError, ParameterBindingError
from ..core.multipart import MultipartBody
from ..core.objects import File
from ..core.progress import TransferProgress


def add_openai_file(call, *, file: str | None = None, content: bytes | None = None, name: str | None = None,
                    purpose: str, expires_after_seconds: int | None = None,
                    expires_after_anchor: str = "created_at") -> File:
    if file is not None:
        path = Path(file).expanduser()
        try:
            if path.is_dir():
                raise ParameterBindingError(f"Cannot upload {file!r}: it is a directory, not a file.", target=file)
            if not path.is_file():
                what = "not a regular file (a pipe or a device)" if path.exists() else "no such file"
                raise ParameterBindingError(f"Cannot upload {file!r}: {what}.", target=file)
        except OSError as e:    # (a name too long for the file system, say: is_dir() raises that one)
            raise ParameterBindingError(f"Cannot upload {file!r}: {e.strerror}.", target=file) from None
        return upload(call, path=path, name=name or path.name, purpose=purpose,
                      expires_after_seconds=expires_after_seconds, expires_after_anchor=expires_after_anchor)
    return upload(call, content=content, name=name, purpose=purpose, expires_after_seconds=expires_after_seconds,
                  expires_after_anchor=expires_after_anchor)


def upload(call, *, name: str, purpose: str, path: os.PathLike | None = None, content: bytes | BinaryIO | None = None,
           expires_after_seconds: int | None = None, expires_after_anchor: str = "created_at",
           additional_body: bool = True) -> File:
    """Shared with Start-Batch, which uploads its request items before creating the batch."""
    # Lower-cased as PSOpenAI's parameters do it (-Purpose BATCH sends batch): the API's values are.
    fields = {"purpose": purpose.lower()}
    if expires_after_seconds is not None:
        fields["expires_after[anchor]"] = expires_after_anchor.lower()
        fields["expires_after[seconds]"] = str(expires_after_seconds)
    try:
        body = MultipartBody(fields, "file", name, path if path is not None else content)
    except OSError as e:        # unreadable, or gone since the check
        raise InvalidOperationError(f"Cannot read {str(path)!r}: {e.strerror}.", target=str(path)) from None
    progress = TransferProgress(call.host, f'Uploading "{name}"', len(body))
    body.watch(progress.update)
    try:
        uploaded = File.from_api(call.client.request("POST", "/files", content=body, target=name,
                                                     additional_body=additional_body), target=name)
    finally:
        body.close()
    progress.finish(len(body))
    call.host.verbose(f'Uploaded "{name}" as file "{uploaded.id}".')
    return uploaded
