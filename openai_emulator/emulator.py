"""The in-process face of the emulator: start/stop a server thread and drive it from Python.

The helpers act on the same objects the HTTP control API uses, without going over HTTP.
"""
from __future__ import annotations

import threading
from typing import Any

from .faults import FaultRegistry
from .request_log import RequestLog
from .server import CONTROL_PREFIX, EmulatorServer
from .state import Store


class Emulator:
    """An offline OpenAI Batch + Files API on ``base_url``.

    ``step_seconds=None`` (manual mode) moves batches only through ``advance``; a number makes
    each lifecycle phase last that many seconds.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, api_key: str | None = None,
                 step_seconds: float | None = None):
        self.host = host
        self._requested_port = port
        self.api_key = api_key
        self.store = Store(step_seconds)
        self.fault_registry = FaultRegistry()
        self.log = RequestLog()
        self._server: EmulatorServer | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle -----------------------------------------------------------------------

    def start(self) -> "Emulator":
        if self._server is not None:
            return self
        self._server = EmulatorServer(self.host, self._requested_port, self.store, self.fault_registry,
                                      self.log, self.api_key)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"openai-emulator:{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> "Emulator":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # ---- addresses -----------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the emulator is not running; call start() first")
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        """Root URL, e.g. http://127.0.0.1:PORT (a wildcard bind address is reported as loopback)."""
        host = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(self.host, self.host)
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    @property
    def azure_base_url(self) -> str:
        """Where Azure OpenAI's routes are (/openai/batches, /openai/files...): the -ApiBase for -ApiType Azure."""
        return self.url

    @property
    def control_url(self) -> str:
        return f"{self.url}/{CONTROL_PREFIX}"

    # ---- control helpers (mirror /__emulator__/) -----------------------------------------

    def requests(self) -> list[dict[str, Any]]:
        """Logged /v1 requests: seq, method, path (raw), headers, body (text|None), client_port, status."""
        return self.log.list()

    def clear_requests(self) -> None:
        self.log.clear()

    def inject_fault(self, **rule: Any) -> dict[str, Any]:
        """Adds a fault rule; see openai_emulator.faults for the fields. Returns the rule."""
        return self.fault_registry.add(rule)

    def faults(self) -> list[dict[str, Any]]:
        return self.fault_registry.list()

    def clear_faults(self) -> None:
        self.fault_registry.clear()

    def stalled(self) -> int:
        """How many answers a stall_after rule holds half sent."""
        return self.fault_registry.stalled

    def release_stalls(self) -> None:
        self.fault_registry.release()

    def advance(self, batch_id: str | None = None, steps: int = 1) -> Any:
        """Moves a batch (or all non-terminal ones) ``steps`` phases; returns it (or the list)."""
        return self.store.advance(batch_id, steps)

    def reset(self) -> None:
        """Clears files, batches, faults and the log, and restores the constructor's step_seconds."""
        self.store.reset()
        self.fault_registry.clear()
        self.log.reset()

    def set_step_seconds(self, step_seconds: float | None) -> None:
        self.store.set_step_seconds(step_seconds)

    def seed_batch(self, status: str = "in_progress", **options: Any) -> dict[str, Any]:
        """Creates a batch (and its input file) already in ``status``.

        Options: endpoint="/v1/chat/completions", n_requests=3, n_failing=0, model="gpt-4o-mini",
        metadata=None, lines=None (dicts or raw strings replacing the generated input).
        """
        return self.store.seed_batch(status, **options)

    def seed_file(self, content: bytes | str = b"", **options: Any) -> dict[str, Any]:
        """A file in any status, claiming any size. Options: filename="input.jsonl", purpose="batch",
        status="processed", bytes=None (the size its metadata claims; None: the content's), status_details=None."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        return self.store.seed_file(data, **options)

    def seed_batches(self, count: int, status: str = "in_progress", **options: Any) -> list[dict[str, Any]]:
        return [self.store.seed_batch(status, **options) for _ in range(count)]

    # ---- direct state access (no HTTP, no log) -------------------------------------------

    def create_file(self, content: bytes | str, filename: str = "input.jsonl", purpose: str = "batch",
                    expires_after: dict[str, Any] | None = None) -> dict[str, Any]:
        data = content.encode("utf-8") if isinstance(content, str) else content
        return self.store.create_file(data, filename, purpose, expires_after)

    def create_batch(self, input_file_id: str, endpoint: str = "/v1/chat/completions",
                     completion_window: str = "24h", metadata: dict[str, str] | None = None) -> dict[str, Any]:
        return self.store.create_batch(input_file_id, endpoint, completion_window, metadata)

    def get_batch(self, batch_id: str) -> dict[str, Any]:
        return self.store.get_batch(batch_id)

    def list_batches(self, limit: int = 20, after: str | None = None) -> dict[str, Any]:
        return self.store.list_batches(limit, after)

    def get_file(self, file_id: str) -> dict[str, Any]:
        return self.store.get_file(file_id)

    def file_content(self, file_id: str) -> bytes:
        return self.store.file_content(file_id)
