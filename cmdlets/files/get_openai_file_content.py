"""Get-OpenAIFileContent: downloads a file's content (GET /files/{id}/content)."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from ..core.errors import InvalidOperationError, OpenAIError
from ..core.progress import TransferProgress


def get_openai_file_content(call, *, file_id: str, out_file: str | None = None) -> bytes | None:
    if out_file is None:
        return call.client.get_bytes("files", file_id, "content", target=file_id)
    path = Path(out_file).expanduser()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            raise IsADirectoryError(21, "Is a directory")
        # Streamed into a temporary file beside the target, which takes its place once whole: memory holds one
        # chunk, and a download cut off leaves no half file (nor loses one that was there).
        partial = str(path.with_name(f".{path.name}.{secrets.token_hex(4)}.part"))
        handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)     # the umask's mode, as before
    except OSError as e:       # a folder, a read-only place, a file where a folder should be
        raise _cannot_write(file_id, path, e, out_file) from None
    try:
        with os.fdopen(handle, "wb") as f:
            download = call.client.download("files", file_id, "content", target=file_id)
            progress = TransferProgress(call.host, f'Downloading file "{file_id}"', download.length)
            for chunk in download.chunks():
                f.write(chunk)
                progress.update(download.size)
        os.replace(partial, path)
        progress.finish(download.size)
    except OpenAIError:
        raise           # (an APITimeoutError is an OSError too, but not the file's fault)
    except OSError as e:
        raise _cannot_write(file_id, path, e, out_file) from None
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    call.host.verbose(f'Wrote {download.size} bytes of file "{file_id}" to {path}.')
    return None


def _cannot_write(file_id: str, path: Path, e: OSError, out_file: str) -> InvalidOperationError:
    return InvalidOperationError(f"Cannot write file {file_id!r} to {str(path)!r}: {e.strerror}.", target=out_file)
