"""Issue 13 case 9: stopping ends a request in flight within about a second.

One watchdog thread for the process ends watched requests (a deadline, a host that can be stopped) by
shutting their sockets down. Here a PythonHost's stop flag, set from another thread, plays Ctrl+C.
"""
from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager

import pytest

import cmdlets
from cmdlets.core import errors, watchdog
from cmdlets.core.client import ApiClient
from cmdlets.core.config import ClientConfig
from cmdlets.core.host import PythonHost
from cmdlets.core.invoke import run
from conftest import API_KEY
from test_hardening import BATCH, raw_server, response


def silent_for(seconds: float):
    """A server that reads the request and answers only after `seconds` (or when the test ends)."""
    def play(conn, server):
        server.request(conn)
        if not server.stopping.wait(seconds):
            conn.sendall(response("200 OK", BATCH))
    return play


def stop_after(seconds: float) -> tuple[threading.Event, PythonHost]:
    stop = threading.Event()
    threading.Timer(seconds, stop.set).start()
    return stop, PythonHost(stop=stop)


def api(server, host, timeout_sec: int = 0) -> ApiClient:
    return ApiClient(ClientConfig.resolve(api_base=f"{server.url}/v1", api_key=API_KEY, timeout_sec=timeout_sec), host)


@pytest.mark.parametrize("timeout_sec", [0, 60])
def test_case09_a_stop_from_another_thread_ends_a_request_in_flight(timeout_sec):
    with raw_server(silent_for(30)) as server:
        _, host = stop_after(0.5)
        started = time.monotonic()
        with pytest.raises(errors.OperationStoppedError):
            api(server, host, timeout_sec).get("batches", "batch_1")
        elapsed = time.monotonic() - started
        assert len(server.received) == 1        # it was in flight, not refused before sending
    assert 0.5 <= elapsed < 1.5


def test_case09_the_stop_error_is_not_an_api_error():
    # per-item `except OpenAIError` (and pwsh's non-terminating errors) must not swallow a stop
    assert not issubclass(errors.OperationStoppedError, errors.OpenAIError)


def test_case09_a_stop_ends_a_wait_between_polls_and_during_a_poll(emu):
    batch = emu.seed_batch(status="in_progress")
    _, host = stop_after(0.5)
    started = time.monotonic()
    with pytest.raises(errors.OperationStoppedError):
        run(cmdlets.wait_batch.manifest, "Id", {"batch_id": batch["id"]}, host)
    assert time.monotonic() - started < 1.5

    with raw_server(silent_for(30)) as server:
        _, host = stop_after(0.5)
        started = time.monotonic()
        with pytest.raises(errors.OperationStoppedError):
            run(cmdlets.wait_batch.manifest, "Id", {"batch_id": "batch_1", "api_base": f"{server.url}/v1"},
                host)
        assert len(server.received) == 1
    assert time.monotonic() - started < 1.5


def test_case09_after_a_stop_the_next_request_works(emu):
    batch = emu.seed_batch(status="in_progress")
    with raw_server(silent_for(30)) as server:
        _, host = stop_after(0.2)
        with pytest.raises(errors.OperationStoppedError):
            api(server, host).get("batches", "batch_1")
    assert cmdlets.get_batch(batch["id"]).id == batch["id"]
    assert cmdlets.get_batch(batch["id"], timeout_sec=5).id == batch["id"]


def test_case09_a_host_that_never_stops_leaves_requests_unwatched(emu):
    batch = emu.seed_batch(status="in_progress")
    seen = []

    def answer(conn, server):
        server.request(conn)
        seen.append(dict(watchdog._watchdog._watches))        # what the watchdog holds while the request waits
        conn.sendall(response("200 OK", BATCH))

    with raw_server(answer) as server:
        assert PythonHost().stopping is None
        api(server, PythonHost()).get("batches", "batch_1")
        api(server, PythonHost(), timeout_sec=5).get("batches", "batch_1")
        stop = threading.Event()
        api(server, PythonHost(stop=stop)).get("batches", "batch_1")
    assert [len(s) for s in seen] == [0, 1, 1]
    assert not watchdog._watchdog._watches        # each unregistered when done
    assert cmdlets.get_batch(batch["id"]).id == batch["id"]


def test_case09_one_watchdog_thread_for_any_number_of_watched_requests(emu):
    batch = emu.seed_batch(status="in_progress")
    # the workers below; the in-process emulator's handlers; a new connection's short-lived connect thread
    ours = ("(timed)", "(process_request_thread)", "cmdlets-connect")

    def others() -> set[str]:
        return {t.name for t in threading.enumerate() if not t.name.endswith(ours)}

    cmdlets.get_batch(batch["id"], timeout_sec=5)
    before, seen = others(), set()

    def timed():
        for _ in range(20):
            cmdlets.get_batch(batch["id"], timeout_sec=5)
            seen.update(others())

    workers = [threading.Thread(target=timed) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert seen == before       # no thread per request
    assert [t.name for t in threading.enumerate()].count("cmdlets-watchdog") == 1
    # connect threads come with new connections only, and 81 requests from 4 threads need a few at most
    assert len({r["client_port"] for r in emu.requests()}) <= 5


@contextmanager
def unanswered_port():
    """A loopback port whose accept queue is full, so that a new connect() to it hangs (Linux drops the
    SYN and retries for about two minutes): a server that never completes the handshake."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    queued = []
    for _ in range(4):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        queued.append(s)
    time.sleep(0.1)
    probe = socket.socket()
    probe.settimeout(0.3)
    try:
        probe.connect(("127.0.0.1", port))
        pytest.skip("this system completes connections to a full accept queue")
    except (TimeoutError, socket.timeout):
        pass
    finally:
        probe.close()
    try:
        yield port
    finally:
        for s in [*queued, server]:
            s.close()


def bounded(call, seconds: float):
    """Runs call() on a thread and returns what it raised, failing the test if it is still running after
    `seconds` (so that a connect the stop cannot end fails this test instead of hanging it)."""
    outcome: list[BaseException | None] = []

    def run_it():
        try:
            call()
            outcome.append(None)
        except BaseException as e:
            outcome.append(e)

    worker = threading.Thread(target=run_it, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"still running after {seconds} s"
    return outcome[0]


def test_case09_a_stop_ends_a_connect_that_hangs():
    with unanswered_port() as port:
        client = ApiClient(ClientConfig.resolve(api_base=f"http://127.0.0.1:{port}/v1", api_key=API_KEY),
                           stop_after(0.5)[1])
        started = time.monotonic()
        error = bounded(lambda: client.get("batches", "batch_1"), 5)
        assert isinstance(error, errors.OperationStoppedError), error
        assert 0.5 <= time.monotonic() - started < 1.5


def test_case09_the_deadline_ends_a_connect_that_hangs():
    with unanswered_port() as port:
        started = time.monotonic()
        error = bounded(lambda: cmdlets.get_batch("batch_1", api_base=f"http://127.0.0.1:{port}/v1", api_key=API_KEY,
                                                       timeout_sec=1), 5)
        assert isinstance(error, errors.APITimeoutError), error
        assert 1 <= time.monotonic() - started < 2
