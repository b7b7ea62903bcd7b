"""Issue 11: requests stays the HTTP library users configure - proxies and the CA bundle from the
environment are honoured (resolved once per base URL, again when they change), and the key still goes
to the API's origin only.
"""
from __future__ import annotations

import json
import ssl
import subprocess

import pytest

import cmdlets
from cmdlets.core import errors
from conftest import API_KEY, ORGANIZATION
from test_hardening import BATCH, raw_server, response

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                   "NO_PROXY")


@pytest.fixture
def clean_proxies(monkeypatch):
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def proxy_answering(redirect_to: str | None = None):
    """A tiny HTTP proxy: records each absolute-form request; answers the API host itself (with a 307 to
    `redirect_to` when given) and any other host with a batch."""
    def play(conn, server):
        line, headers, _ = server.request(conn)
        if redirect_to and "api.example.test" in line:
            conn.sendall(response("307 Temporary Redirect", headers={"Location": redirect_to}))
        else:
            conn.sendall(response("200 OK", BATCH))
    return play


def test_an_http_proxy_from_the_environment_is_used(emu, clean_proxies):
    with raw_server(proxy_answering()) as proxy:
        clean_proxies.setenv("HTTP_PROXY", proxy.url)
        batch = cmdlets.get_batch("batch_1", api_base="http://api.example.test/v1", organization=ORGANIZATION)
    assert batch.id == "batch_1"
    [(line, headers, _)] = proxy.received
    assert line == "GET http://api.example.test/v1/batches/batch_1 HTTP/1.1"     # absolute form: a proxy request
    assert headers["host"] == "api.example.test"
    assert headers["authorization"] == f"Bearer {API_KEY}"
    assert emu.requests() == []


def test_through_a_proxy_the_key_is_not_sent_to_another_host(emu, clean_proxies):
    with raw_server(proxy_answering(redirect_to="http://elsewhere.example.test/v1/batches/batch_1")) as proxy:
        clean_proxies.setenv("http_proxy", proxy.url)
        assert cmdlets.get_batch("batch_1", api_base="http://api.example.test/v1", organization=ORGANIZATION).id == "batch_1"
    (first, first_headers, _), (second, second_headers, _) = proxy.received
    assert first.startswith("GET http://api.example.test/") and "authorization" in first_headers
    assert second == "GET http://elsewhere.example.test/v1/batches/batch_1 HTTP/1.1"
    assert "authorization" not in second_headers and "openai-organization" not in second_headers
    assert API_KEY not in json.dumps(second_headers) and ORGANIZATION not in json.dumps(second_headers)


def test_no_proxy_is_honoured_and_a_changed_environment_is_noticed(emu, clean_proxies):
    batch = emu.seed_batch(status="in_progress")
    assert cmdlets.get_batch(batch["id"]).id == batch["id"]        # resolved once without a proxy
    clean_proxies.setenv("HTTP_PROXY", "http://127.0.0.1:9")         # nothing listens there
    with pytest.raises(errors.APIConnectionError, match="127.0.0.1"):
        cmdlets.get_batch(batch["id"])
    clean_proxies.setenv("NO_PROXY", "127.0.0.1")
    assert cmdlets.get_batch(batch["id"]).id == batch["id"]
    assert len([r for r in emu.requests() if r["method"] == "GET"]) == 2


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    try:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                       check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.CalledProcessError) as e:
        pytest.skip(f"openssl cannot make a test certificate: {e}")
    return cert, key


def test_the_ca_bundle_from_the_environment_is_used(emu, clean_proxies, certificate):
    cert, key = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)

    def tls(conn, server):
        with context.wrap_socket(conn, server_side=True) as secure:
            server.request(secure)
            secure.sendall(response("200 OK", BATCH))

    with raw_server(tls) as server:
        base = f"https://127.0.0.1:{server.port}/v1"
        clean_proxies.delenv("CURL_CA_BUNDLE", raising=False)
        clean_proxies.delenv("REQUESTS_CA_BUNDLE", raising=False)
        with pytest.raises(errors.APIConnectionError, match="CERTIFICATE_VERIFY_FAILED|certificate verify failed"):
            cmdlets.get_batch("batch_1", api_base=base)
        clean_proxies.setenv("REQUESTS_CA_BUNDLE", str(cert))
        assert cmdlets.get_batch("batch_1", api_base=base).id == "batch_1"
        clean_proxies.delenv("REQUESTS_CA_BUNDLE")
        clean_proxies.setenv("CURL_CA_BUNDLE", str(cert))
        assert cmdlets.get_batch("batch_1", api_base=base).id == "batch_1"
    assert [line for line, _, _ in server.received] == ["GET /v1/batches/batch_1 HTTP/1.1"] * 2
