"""CLI: ``python -m openai_emulator [--host H] [--port P] [--api-key KEY] [--step-seconds S]``.

Prints exactly one line, ``OPENAI_API_BASE=http://HOST:PORT/v1``, once listening; runs until
SIGTERM or SIGINT, then exits 0.
"""
from __future__ import annotations

import argparse
import signal
import sys
import threading

from .emulator import Emulator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m openai_emulator",
                                     description="Offline OpenAI-compatible API emulator: Files, Batches, Chat "
                                                 "Completions, Responses, Embeddings and (legacy) Completions.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--api-key", default=None, help="required bearer token (default: accept any)")
    parser.add_argument("--step-seconds", type=float, default=None,
                        help="seconds per batch lifecycle phase (default: manual, via /__emulator__/advance)")
    args = parser.parse_args(argv)

    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.set())
    emulator = Emulator(args.host, args.port, args.api_key, args.step_seconds).start()
    try:
        print(f"OPENAI_API_BASE={emulator.base_url}", flush=True)
        while not stopping.wait(0.5):   # a timed wait keeps the main thread responsive to signals
            pass
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
