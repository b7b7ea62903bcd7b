"""Get-OpenAIFileContent: downloads a file's content (GET /files/{id}/content)."""
from __future__ import annotations

from pathlib import Path

from ..core.errors import InvalidOperationError


def get_openai_file_content(call, *, file_id: str, out_file: str | None = None) -> bytes | None:
    content = call.client.get_bytes("files", file_id, "content", target=file_id)
    if out_file is None:
        return content
    path = Path(out_file).expanduser()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    except OSError as e:       # a folder, a read-only place, a file where a folder should be
        raise InvalidOperationError(f"Cannot write file {file_id!r} to {str(path)!r}: {e.strerror}.",
                                    target=out_file) from None
    call.host.verbose(f'Wrote {len(content)} bytes of file "{file_id}" to {path}.')
    return None
