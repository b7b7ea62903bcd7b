"""The main job, in Python: start the offline emulator, create a real batch, cancel it, wait, print.

Run: .venv/bin/python examples/cancel_batch.py   (no API key needed; nothing leaves 127.0.0.1)
"""
from __future__ import annotations

import json
import secrets

import requests

from cmdlets import stop_batch
from openai_emulator import Emulator

REQUESTS = [{"custom_id": f"request-{i}", "method": "POST", "url": "/v1/chat/completions",
             "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": f"Say {i}"}]}}
            for i in range(1, 5)]


def main() -> None:
    api_key = "sk-demo-" + secrets.token_hex(16)      # the emulator accepts only this key
    with Emulator(api_key=api_key, step_seconds=1.0) as emu:
        auth = {"Authorization": f"Bearer {api_key}"}
        # Uploading the input and starting the batch go straight over HTTP here; Stop-Batch is the port.
        jsonl = "\n".join(json.dumps(r) for r in REQUESTS).encode()
        upload = requests.post(f"{emu.base_url}/files", headers=auth, data={"purpose": "batch"},
                               files={"file": ("requests.jsonl", jsonl)}, timeout=10)
        upload.raise_for_status()
        created = requests.post(f"{emu.base_url}/batches", headers=auth, timeout=10, json={
            "input_file_id": upload.json()["id"], "endpoint": "/v1/chat/completions", "completion_window": "24h"})
        created.raise_for_status()
        batch = created.json()
        print(f"created  {batch['id']}  status={batch['status']}")

        result = stop_batch(batch, wait=True, pass_thru=True, api_key=api_key, api_base=emu.base_url)
        print(f"stopped  {result.id}  status={result.status}  cancelled_at={result.cancelled_at:%Y-%m-%d %H:%M:%S %Z}"
              f"  requests={dict(result.request_counts)}")
        if result.status != "cancelled":
            raise SystemExit(f"expected the batch to be cancelled, got {result.status!r}")


if __name__ == "__main__":
    main()
