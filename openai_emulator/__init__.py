"""Offline, OpenAI-compatible API emulator (Files, Batches, Chat Completions, Responses, Embeddings, Completions)
for tests and benchmarks.

    with Emulator() as emu:                       # manual lifecycle; api_key=None accepts any token
        batch = emu.seed_batch(status="in_progress")
        emu.advance(batch["id"], steps=2)          # -> finalizing -> completed
        ...requests to emu.base_url...

Run standalone with ``python -m openai_emulator``. Control API: see openai_emulator.control;
fault rules: see openai_emulator.faults.
"""
from .emulator import Emulator
from .errors import ApiError

__all__ = ["Emulator", "ApiError"]
