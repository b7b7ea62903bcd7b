"""Get-OpenAIFileContent: downloads a file's content (GET /files/{id}/content)."""
from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from ..core.errors import InvalidOperationError, OpenAIError
from ..core.progress import TransferProgress


def get_openai_file_content(call, *, file_id: str, out_file: str | None = None) -> bytes | None:
    if out_file is None:
        return call.client.get_bytes("files", file_id, "content", target=file_id)
    path = Path(out_file).expanduser()
    # A symlink's file is written, not the link replaced (as PSOpenAI's WriteAllBytes writes through it).
    target = Path(os.path.realpath(path))
    partial = None
    new_folder = _first_missing(target.parent)     # made now, removed again if the download fails
    written = False
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        existing = os.stat(target) if target.exists() else None
        if existing is not None and stat.S_ISDIR(existing.st_mode):
            raise IsADirectoryError(21, "Is a directory")
        if existing is not None and not stat.S_ISREG(existing.st_mode):
            # A FIFO or a device (/dev/stdout, /dev/null): written to as it is, never replaced by a file.
            handle = os.open(target, os.O_WRONLY)
        else:
            # Streamed into a temporary file beside the target, which takes its place once whole: memory holds
            # one chunk, and a download cut off leaves no half file (nor loses one that was there). It gets the
            # mode of the file it replaces (a private 0600 file stays private), else the umask's.
            # (Created with that mode already, as the umask allows: never, even for a moment, open to anyone the
            # file it replaces is not, who could open it then and read the download through that handle.)
            partial = str(target.with_name(f".{target.name}.{secrets.token_hex(4)}.part"))
            mode = 0o666 if existing is None else stat.S_IMODE(existing.st_mode) & 0o666
            handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), mode)
            if existing is not None:
                os.chmod(partial, stat.S_IMODE(existing.st_mode))
    except OSError as e:       # a folder, a read-only place, a file where a folder should be
        _remove_new_folders(target.parent, new_folder)
        raise _cannot_write(file_id, path, e, out_file) from None
    try:
        with os.fdopen(handle, "wb") as f:
            download = call.client.download("files", file_id, "content", target=file_id)
            progress = TransferProgress(call.host, f'Downloading file "{file_id}"', download.length)
            for chunk in download.chunks():
                f.write(chunk)
                progress.update(download.size)
        if partial is not None:
            os.replace(partial, target)
        written = True
        progress.finish(download.size)
    except OpenAIError:
        raise           # (an APITimeoutError is an OSError too, but not the file's fault)
    except OSError as e:
        raise _cannot_write(file_id, path, e, out_file) from None
    finally:
        if partial is not None and os.path.exists(partial):
            os.unlink(partial)
        if not written:
            _remove_new_folders(target.parent, new_folder)
    call.host.verbose(f'Wrote {download.size} bytes of file "{file_id}" to {path}.')
    return None


def _first_missing(folder: Path) -> Path | None:
    """The outermost of `folder` and its parents that does not exist yet (what mkdir(parents=True) makes)."""
    missing = None
    while not folder.exists() and folder.parent != folder:
        missing, folder = folder, folder.parent
    return missing


def _remove_new_folders(folder: Path, top: Path | None) -> None:
    """Removes the folders made for a download that failed, from `folder` up to `top`, while they are empty."""
    if top is None:
        return
    try:
        while True:
            folder.rmdir()
            if folder == top:
                return
            folder = folder.parent
    except OSError:     # not empty (something else wrote there meanwhile), or never made
        return


def _cannot_write(file_id: str, path: Path, e: OSError, out_file: str) -> InvalidOperationError:
    return InvalidOperationError(f"Cannot write file {file_id!r} to {str(path)!r}: {e.strerror}.", target=out_file)
