"""Get-OpenAIFileContent: downloads a file's content (GET /files/{id}/content)."""
from __future__ import annotations

from pathlib import Path


def get_openai_file_content(call, *, file_id: str, out_file: str | None = None) -> bytes | None:
    content = call.client.get_bytes("files", file_id, "content", target=file_id)
    if out_file is None:
        return content
    path = Path(out_file).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    call.host.verbose(f'Wrote {len(content)} bytes of file "{file_id}" to {path}.')
    return None
