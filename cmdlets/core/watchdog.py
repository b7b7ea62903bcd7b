"""The whole-request deadline and stopping: one watchdog thread for the process shuts a watched request's
sockets down when its deadline passes or its host is stopping. ApiClient watches a request with _Watch and
_watching, and sends it through _WatchedAdapter, whose connections report their sockets to that watch.
"""
from __future__ import annotations

import os
import socket
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

# A socket timeout bounds each read, and every byte restarts it: a server trickling a byte every half
# second, or sending a chunked body that never ends, would hold a request forever. And a request blocked
# in a read does not notice that the caller wants to stop (Ctrl+C in pwsh, Stop() on a runspace). So a
# timed or stoppable request is watched: one watchdog thread for the whole process shuts a watched
# request's sockets down when its deadline passes or its host says it is stopping, which ends whatever
# read or write is blocked on them. Connections report their sockets to the watch of the request running
# on their thread. Registering is a lock and a dict entry, no thread per request (a new connection of a
# watched request is opened on a short-lived thread: see _connect_watched); a request with neither a
# deadline nor a stop hook is not registered at all.

_current = threading.local()
POLL_SECONDS = 0.1      # how often the watchdog asks the hosts of watched requests whether they are stopping

RUNNING, ENDED, TIMED_OUT, STOPPED = "running", "ended", "timed out", "stopped"


class _Watch:
    __slots__ = ("deadline", "stopping", "state", "_sockets", "_lock")

    def __init__(self, deadline: float | None, stopping: Any):
        self.deadline = deadline        # time.monotonic() value, or None
        self.stopping = stopping        # the host's callable, or None
        self.state = RUNNING
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def attach(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            if self.state == RUNNING:
                self._sockets.append(sock)
                return
            fired = self.state != ENDED
        if fired:
            _shutdown(sock)

    def fire(self, why: str) -> None:
        with self._lock:
            if self.state != RUNNING:
                return
            self.state, sockets, self._sockets = why, self._sockets, []
        for sock in sockets:
            _shutdown(sock)

    def end(self) -> None:
        with self._lock:
            if self.state == RUNNING:
                self.state = ENDED
            self._sockets = []

    @property
    def fired(self) -> bool:
        return self.state in (TIMED_OUT, STOPPED)


class _Watchdog:
    """One daemon thread, started with the first watched request: while any request is registered it
    wakes every POLL_SECONDS (or at the nearest deadline, if sooner); with none it sleeps until one is."""

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._watches: dict[_Watch, None] = {}
        self._thread: threading.Thread | None = None
        self._idle = False      # waiting for a registration, without a timeout: needs a notify

    def register(self, watch: _Watch) -> None:
        with self._cond:
            self._watches[watch] = None
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="cmdlets-watchdog", daemon=True)
                self._thread.start()
            elif self._idle:
                self._idle = False
                self._cond.notify()

    def unregister(self, watch: _Watch) -> None:
        with self._cond:
            self._watches.pop(watch, None)

    def _run(self) -> None:
        cond = self._cond
        wait: float | None = None
        while True:
            with cond:
                if wait is not None:
                    cond.wait(wait)
                while not self._watches:
                    self._idle = True
                    cond.wait()
                self._idle = False
                watches = list(self._watches)
            wait = POLL_SECONDS
            now = time.monotonic()
            for watch in watches:
                if watch.state != RUNNING:
                    continue
                if watch.deadline is not None:
                    if now >= watch.deadline:
                        watch.fire(TIMED_OUT)
                        continue
                    wait = min(wait, watch.deadline - now)
                if watch.stopping is not None and _asks_to_stop(watch.stopping):
                    watch.fire(STOPPED)

    def _after_fork(self) -> None:      # the thread is not in the child; a new one starts when needed
        self._cond = threading.Condition(threading.Lock())
        self._watches, self._thread, self._idle = {}, None, False


def _asks_to_stop(stopping: Any) -> bool:
    try:
        return bool(stopping())
    except Exception:       # a host that cannot say (its pipeline gone) keeps its request; deadlines still hold
        return False


_watchdog = _Watchdog()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_watchdog._after_fork)


def _shutdown(sock: socket.socket) -> None:
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)     # the plain socket's: SSLSocket's drops its TLS state
    except OSError:
        pass


@contextmanager
def _watching(watch: _Watch | None) -> Iterator[None]:
    if watch is None:
        yield
        return
    _current.watch = watch
    _watchdog.register(watch)
    try:
        yield
    finally:
        _current.watch = None
        _watchdog.unregister(watch)
        watch.end()


# Whether the request this thread sent last went out on a kept-alive connection (one that had already
# answered a request), which a server may have closed as the request was sent: see sent_on_kept_alive.
_sent = threading.local()


def sent_on_kept_alive(within: float) -> bool:
    """Whether this thread's last request was written, at most `within` seconds ago, to a connection that had
    answered one before. A server closes an idle kept-alive connection when it likes (an idle timeout, a
    request count, a restart), and the request may go out before its close arrives: it then fails without an
    answer at once, though the server never saw it, where the same request on a new connection would have
    succeeded. A failure later than that is the server's (or a gateway's) own, after it took the request."""
    return getattr(_sent, "kept_alive", False) and time.monotonic() - _sent.at <= within


def forget_sent() -> None:
    _sent.kept_alive = False


class _WatchedMixin:
    def connect(self) -> None:
        watch = getattr(_current, "watch", None)
        if watch is None:
            super().connect()
        else:
            _connect_watched(self, watch)
        _report(self.sock)

    def putrequest(self, *args: Any, **kwargs: Any) -> None:
        _report(self.sock)      # a kept-alive connection is reused without connect(); None when new
        _sent.kept_alive = self.sock is not None and self.sock is getattr(self, "_answered_on", None)
        _sent.at = time.monotonic()
        super().putrequest(*args, **kwargs)

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        response = super().getresponse(*args, **kwargs)
        self._answered_on = self.sock       # (a new socket, after a close, has answered nothing yet)
        return response


def _connect_watched(conn: Any, watch: _Watch) -> None:
    """Opens a watched request's new connection on a short-lived thread, so that a stop or the deadline ends
    the wait even while the name lookup (getaddrinfo, which nothing can interrupt) or the TCP/TLS handshake
    hangs: the request then fails at once and the thread, when its call returns, closes what it opened.
    Only new connections pay for the thread; a kept-alive one is reused without connect()."""
    lock = threading.Lock()
    done = threading.Event()
    state = {"finished": False, "abandoned": False, "error": None}

    def attempt() -> None:
        try:
            super(_WatchedMixin, conn).connect()
        except BaseException as e:      # handed to the waiting thread, which raises it
            state["error"] = e
        with lock:
            state["finished"] = True
            abandoned = state["abandoned"]
        if abandoned and conn.sock is not None:
            _shutdown(conn.sock)
            conn.sock.close()
        done.set()

    threading.Thread(target=attempt, name="cmdlets-connect", daemon=True).start()
    try:
        while not done.wait(POLL_SECONDS):
            if watch.state != RUNNING:
                raise OSError(f"The connection attempt was given up: the request {watch.state}.")
    except BaseException:       # that, or Ctrl+C (KeyboardInterrupt) in plain Python
        with lock:
            state["abandoned"] = not state["finished"]      # (if it has finished, urllib3 closes what it opened)
        raise
    if state["error"] is not None:
        raise state["error"]


def _report(sock: socket.socket | None) -> None:
    watch = getattr(_current, "watch", None)
    if watch is not None:
        watch.attach(sock)


class _WatchedHTTPConnection(_WatchedMixin, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_WatchedMixin, HTTPSConnection):
    pass


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class _WatchedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}

