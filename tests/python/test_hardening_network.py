"""Issue 23, the HTTP core's part: forked processes (item 1), the CA variables (3), proxy credentials in error
text (4), a proxy's 407 (8b) and invisible characters in messages (8c).

Every server here is a real one on 127.0.0.1 (the emulator, or a small http.server started by the test).
"""
from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import shutil
import socket
import ssl
import subprocess
import threading
import traceback
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator

import pytest

import cmdlets
from cmdlets import aio
from cmdlets.core import errors

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy",
                   "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
CA_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR")


@pytest.fixture
def clean_network(monkeypatch):
    """No proxy and no CA variable from the machine running the tests."""
    for name in PROXY_VARIABLES + CA_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@contextmanager
def http_server(handler: type[BaseHTTPRequestHandler],
                tls: ssl.SSLContext | None = None) -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class Quiet(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


# --- item 1: after fork, every process has its own connection and its own answers -----------------------

def _answer(call: Callable[[], str]) -> str:
    """What a child got, as text, a failure included (a child's exception must not end the test unreadably)."""
    try:
        return call()
    except Exception as e:      # reported back to the parent, which asserts on it
        return f"{type(e).__name__}: {e}"


# timeout_sec: a child that read another's answer leaves that one waiting for an answer that never comes
def get_id(batch_id: str) -> str:
    return _answer(lambda: cmdlets.get_batch(batch_id, timeout_sec=5).id)


def stop_id(batch_id: str) -> str:
    return _answer(lambda: cmdlets.stop_batch(batch_id, force=True, pass_thru=True, timeout_sec=5).id)


def start_input(file_id: str) -> str:
    return _answer(lambda: cmdlets.start_batch(input_file_id=file_id, timeout_sec=5).input_file_id)


CALLS = {"get_batch": get_id, "stop_batch": stop_id, "start_batch": start_input}


def fork_inputs(emu, call: str, count: int) -> list[str]:
    """Distinct ids for `call`; and one call in the parent first, so it has a kept-alive connection to share.
    Then every answer takes 0.2 s, so the children's requests are in flight together, as in a busy pool."""
    if call == "start_batch":
        line = '{"custom_id": "a", "method": "POST", "url": "/v1/chat/completions"}'
        inputs = [emu.create_file(line, purpose="batch")["id"] for _ in range(count)]
    else:
        inputs = [emu.seed_batch(status="in_progress")["id"] for _ in range(count)]
    cmdlets.get_batch(emu.seed_batch()["id"])
    emu.inject_fault(delay=0.2, count=None)
    return inputs


@pytest.mark.parametrize("call", CALLS)
def test_fork_children_each_get_their_own_answer(emu, call):
    inputs = fork_inputs(emu, call, 6)
    go_read, go_write = os.pipe()
    children = []
    for value in inputs:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:        # the child: never returns into pytest
            try:
                os.close(read)
                os.close(go_write)
                os.read(go_read, 1)     # all children send at once, as a worker pool does
                os.write(write, CALLS[call](value).encode())
            finally:
                os._exit(0)
        os.close(write)
        children.append((pid, read))
    os.close(go_read)
    os.close(go_write)      # go: every child's read returns
    got = []
    for pid, read in children:
        with os.fdopen(read, "rb") as answer:
            got.append(answer.read().decode())
        os.waitpid(pid, 0)
    assert got == inputs
    probe = emu.seed_batch()["id"]
    assert get_id(probe) == probe       # and the parent's own connection still serves it


@pytest.mark.parametrize("call", CALLS)
def test_fork_pool_workers_each_get_their_own_answer(emu, call):
    inputs = fork_inputs(emu, call, 12)
    with multiprocessing.get_context("fork").Pool(4) as pool:
        got = pool.map_async(CALLS[call], inputs, chunksize=1).get(timeout=120)
    assert got == inputs


def aio_get_id(batch_id: str) -> str:
    # (wait_for: without its own pool a child's await would never end)
    return _answer(lambda: asyncio.run(asyncio.wait_for(aio.get_batch(batch_id, timeout_sec=5), 20)).id)


def test_fork_pool_workers_can_await_after_the_parent_did(emu):
    """The parent's aio calls leave idle worker threads, which a forked child does not have: the child must
    start its own rather than queue every call for them."""
    inputs = [emu.seed_batch(status="in_progress")["id"] for _ in range(4)]

    async def parent() -> list[str]:
        return [b.id for b in await asyncio.gather(*(aio.get_batch(i) for i in inputs))]

    assert asyncio.run(parent()) == inputs
    with multiprocessing.get_context("fork").Pool(2) as pool:
        got = pool.map_async(aio_get_id, inputs, chunksize=1).get(timeout=120)
    assert got == inputs


# --- item 3: SSL_CERT_FILE and SSL_CERT_DIR --------------------------------------------------------------

@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, made with the openssl CLI."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return cert, key


class BatchAnswer(Quiet):
    def do_GET(self) -> None:
        body = b'{"id": "%s", "object": "batch", "status": "in_progress"}' % self.path.rsplit("/", 1)[-1].encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def https_base(certificate, clean_network) -> Iterator[str]:
    """An HTTPS API on 127.0.0.1 with the self-signed certificate: a new server (and so a new connection
    pool) per test, so a connection kept alive by one test cannot pass another's verification."""
    cert, key = certificate
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    clean_network.setenv("OPENAI_API_KEY", "sk-test-tls")
    with http_server(BatchAnswer, tls) as server:
        yield f"https://127.0.0.1:{server.server_address[1]}/v1"


def hashed_directory(cert: Path, folder: Path) -> Path:
    """A directory OpenSSL can look the certificate up in (<hash>.0 links), or a skip without the tools."""
    folder.mkdir()
    shutil.copy(cert, folder / "private-ca.pem")
    for command in (["openssl", "rehash", str(folder)], ["c_rehash", str(folder)]):
        if shutil.which(command[0]) and subprocess.run(command, capture_output=True).returncode == 0 \
                and any(p.name.endswith(".0") for p in folder.iterdir()):
            return folder
    pytest.skip("neither `openssl rehash` nor c_rehash could hash the directory")


def test_ssl_cert_file_is_trusted(https_base, certificate, clean_network):
    with pytest.raises(errors.APIConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
        cmdlets.get_batch("batch_before", api_base=https_base)
    clean_network.setenv("SSL_CERT_FILE", str(certificate[0]))
    assert cmdlets.get_batch("batch_1", api_base=https_base).id == "batch_1"


def test_ssl_cert_dir_is_trusted(https_base, certificate, clean_network, tmp_path):
    with pytest.raises(errors.APIConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
        cmdlets.get_batch("batch_before", api_base=https_base)
    # a list, as OpenSSL takes it: the first directory that exists is used
    folder = hashed_directory(certificate[0], tmp_path / "certs")
    clean_network.setenv("SSL_CERT_DIR", os.pathsep.join([str(tmp_path / "missing"), str(folder)]))
    assert cmdlets.get_batch("batch_1", api_base=https_base).id == "batch_1"


def test_ssl_cert_file_comes_before_ssl_cert_dir(https_base, certificate, clean_network, tmp_path):
    (tmp_path / "empty").mkdir()
    clean_network.setenv("SSL_CERT_DIR", str(tmp_path / "empty"))
    clean_network.setenv("SSL_CERT_FILE", str(certificate[0]))
    assert cmdlets.get_batch("batch_1", api_base=https_base).id == "batch_1"


# --- items 4 and 8b: proxy credentials never shown; a proxy's 407 says so -----------------------------

PASSWORD = "S3cret"


def assert_never_shown(error: BaseException, logs: str, secret: str = PASSWORD) -> None:
    """Not in the message, str, repr, a traceback with locals (its chained exceptions too), nor any log.
    The traceback from the cmdlet in: the test's own frame has the proxy URL it set."""
    inner = error.__traceback__.tb_next if error.__traceback__ else None
    rendered = "".join(traceback.TracebackException(type(error), error, inner, capture_locals=True).format())
    assert "args = " in rendered        # locals were shown
    for text in (str(error), repr(error), getattr(error, "message", ""), rendered, logs):
        assert secret not in text


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("proxy", [
    "http://user:S3cret/x@127.0.0.1:3128",
    "http://user:S3cret?x@127.0.0.1:3128",
    "http://user:S3cret#x@127.0.0.1:3128",
    "http://user:S3cret@127.0.0.1:99999",
    "http://user:S3cret@127.0.0.1:port",
    "http://user:S3cret\u20ac@127.0.0.1:3128",
], ids=["slash", "question mark", "hash", "port out of range", "port not a number", "not latin-1"])
def test_malformed_proxy_url_never_shows_its_password(emu, clean_network, caplog, proxy):
    clean_network.setenv("HTTP_PROXY", proxy)
    with caplog.at_level(logging.DEBUG), pytest.raises(errors.APIConnectionError) as e:
        cmdlets.get_batch("batch_1")
    assert "through the proxy http://user:****@127.0.0.1:" in e.value.message
    assert_never_shown(e.value, caplog.text)


def test_unreachable_proxy_is_named_without_its_password(emu, clean_network, caplog):
    port = closed_port()
    clean_network.setenv("HTTP_PROXY", f"http://user:{PASSWORD}@127.0.0.1:{port}")
    with caplog.at_level(logging.DEBUG), pytest.raises(errors.APIConnectionError) as e:
        cmdlets.get_batch("batch_1")
    assert f"failed through the proxy http://user:****@127.0.0.1:{port}: " in e.value.message
    assert "Connection refused" in e.value.message
    assert_never_shown(e.value, caplog.text)


class Refusing(Quiet):
    """A proxy that wants credentials it never accepts."""

    def refuse(self) -> None:
        self.server.authorizations.append(self.headers.get("Proxy-Authorization"))
        body = b"<html>Proxy Authentication Required</html>"
        self.send_response(407)
        self.send_header("Proxy-Authenticate", 'Basic realm="loopback"')
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_DELETE = do_CONNECT = refuse


@contextmanager
def refusing_proxy() -> Iterator[ThreadingHTTPServer]:
    with http_server(Refusing) as server:
        server.authorizations = []
        yield server


def test_proxy_answering_407_is_named_as_the_refuser(emu, clean_network, caplog):
    with refusing_proxy() as proxy:
        port = proxy.server_address[1]
        clean_network.setenv("HTTP_PROXY", f"http://user:{PASSWORD}@127.0.0.1:{port}")
        with caplog.at_level(logging.DEBUG), pytest.raises(errors.APIError) as e:
            cmdlets.stop_batch("batch_1", force=True)
    message = e.value.message
    assert message.startswith(f"The proxy http://user:****@127.0.0.1:{port} refused the request POST ")
    assert "proxy authentication is required" in message and "OpenAI API returned" not in message
    assert e.value.status == 407 and isinstance(e.value, errors.APIConnectionError)
    assert proxy.authorizations and proxy.authorizations[0].startswith("Basic ")     # it was offered them
    assert_never_shown(e.value, caplog.text)


def test_proxy_refusing_an_https_tunnel_is_named(clean_network, caplog):
    clean_network.setenv("OPENAI_API_KEY", "sk-test-tunnel")
    with refusing_proxy() as proxy:
        port = proxy.server_address[1]
        clean_network.setenv("HTTPS_PROXY", f"http://user:{PASSWORD}@127.0.0.1:{port}")
        with caplog.at_level(logging.DEBUG), pytest.raises(errors.APIConnectionError) as e:
            cmdlets.get_batch("batch_1", api_base="https://127.0.0.1:9/v1")
    assert f"through the proxy http://user:****@127.0.0.1:{port}: " in e.value.message
    assert "407 Proxy Authentication Required" in e.value.message
    assert_never_shown(e.value, caplog.text)


# --- item 8c: characters that do not show are escaped in messages --------------------------------------

@pytest.mark.parametrize("invisible, escaped", [
    ("\u200b", "\\u200b"),      # zero-width space
    ("\u2060", "\\u2060"),      # word joiner
    ("\ufeff", "\\ufeff"),      # byte order mark
    ("\u202e", "\\u202e"),      # right-to-left override
    ("\u00a0", "\\xa0"),        # no-break space
    ("\x07", "\\x07"),          # a control character
])
def test_invisible_characters_in_an_id_are_escaped_in_the_404(emu, invisible, escaped):
    with pytest.raises(errors.NotFoundError) as e:
        cmdlets.get_batch(f"batch_{invisible}abc")
    assert f"'batch_{escaped}abc'" in e.value.message and invisible not in e.value.message


def test_invisible_characters_in_a_non_json_answer_are_escaped(emu):
    emu.inject_fault(method="GET", path_prefix="/v1/batches", status=200, body_text="<p>batch_\u200babc</p>")
    with pytest.raises(errors.InvalidResponseError) as e:
        cmdlets.get_batch("batch_1")
    assert "<p>batch_\\u200babc</p>" in e.value.message and "\u200b" not in e.value.message
