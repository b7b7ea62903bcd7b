"""The Python face used as a Python caller would, against the emulator: what a reader of the docstrings and stubs
expects of the returned objects, the lazy outputs, the async twins and the clients."""
from __future__ import annotations

import cmdlets
from cmdlets import get_batch


def test_an_api_objects_repr_shows_its_id_and_status_as_fields(emu):
    batch = emu.seed_batch(status="completed")
    got = get_batch(batch["id"])
    assert repr(got) == f"Batch(id={batch['id']!r}, status='completed')"
    assert repr(got.request_counts) == "JsonObject({'total': 3, 'completed': 3, 'failed': 0})"
