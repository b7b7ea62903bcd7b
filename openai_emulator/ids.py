"""Random OpenAI-style identifiers (``batch_…``, ``file-…``, ``req_…``)."""
from __future__ import annotations

import os
import random

# A private PRNG seeded from the OS: ids only need to be unique, and getrandbits is a single
# C call (atomic under the GIL), far cheaper per request than os.urandom or uuid4.
_rng = random.Random(os.urandom(32))


def new_id(prefix: str, nbytes: int = 12) -> str:
    return f"{prefix}{_rng.getrandbits(nbytes * 8):0{nbytes * 2}x}"


def request_id() -> str:
    return new_id("req_", 16)
