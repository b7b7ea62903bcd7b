"""What one batch may hold: the Batch API's limits, in one place (Start-Batch checks and splits by them; the
README's Reliability section and Start-Batch's help state them)."""
from __future__ import annotations

MAX_REQUESTS = 50_000               # requests (lines) per input file
MAX_BYTES = 200_000_000             # 200 MB per input file (counted as 10^6 bytes: the stricter reading)
MAX_EMBEDDING_INPUTS = 50_000       # inputs in all of an embeddings batch's requests
METHOD = "POST"                     # the only method a batch request may use

# Not the API's: Start-Batch -FileId reads an uploaded file's lines, to check them as -Path's are, only up to
# this size (1 MB); a bigger file gets the checks of its metadata only (its lines are left to the API's).
MAX_CHECKED_BYTES = 1_000_000


def embedding_inputs(body) -> int:
    """How many inputs an embeddings request holds: a text or one token list is one; a list of texts or of
    token lists is one per entry."""
    value = body.get("input") if hasattr(body, "get") else None
    if isinstance(value, (list, tuple)):
        return 1 if value and all(isinstance(v, int) for v in value) else len(value)
    return 0 if value is None else 1
