"""Remove-OpenAIFile: deletes a file (DELETE /files/{id})."""
from __future__ import annotations


def remove_openai_file(call, *, file_id: str) -> None:
    if not call.host.should_process(file_id, "Remove file"):
        return None
    result = call.client.delete("files", file_id, target=file_id)
    call.host.verbose(f'File "{result.get("id", file_id)}" was deleted.')
    return None
