"""The one HTTP core: configuration, auth, timeouts, retries, error mapping and masked logging.

Cmdlet implementations only say which path to call; everything about talking to the API lives here.
"""
from __future__ import annotations

import email.utils
import json
import random
import queue
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator
from urllib.parse import quote, urlencode, urlsplit

import requests

from . import errors
from .host import PythonHost
from .multipart import MultipartBody
from .secrets import Masker, Secret

DEFAULT_API_BASE = "https://api.openai.com/v1"
MAX_RETRY_AFTER = 60.0      # longer server hints are ignored in favour of backoff, as openai-python does
MAX_BACKOFF = 129.0
USER_AGENT = "psopenai-batch/0.1 (python-requests)"

# Idle keep-alive sessions. A pool rather than thread-locals: pwsh runspace threads get a fresh Python
# thread state on every call, so a thread-local session would be a new connection each time.
_idle_sessions: queue.SimpleQueue[requests.Session] = queue.SimpleQueue()


@contextmanager
def _session() -> Iterator[requests.Session]:
    """Lends a session to one request; concurrent callers never share one."""
    try:
        s = _idle_sessions.get_nowait()
    except queue.Empty:
        s = requests.Session()
        s.trust_env = False     # proxies/netrc from the environment would leak the key to other hosts
        s.headers["User-Agent"] = USER_AGENT
    try:
        yield s
    finally:
        _idle_sessions.put(s)


@dataclass(frozen=True)
class ClientConfig:
    api_base: str
    api_key: Secret
    organization: Secret | None = None
    timeout_sec: int = 0
    max_retry_count: int = 0

    @classmethod
    def resolve(cls, *, api_base: Any = None, api_key: Any = None, organization: Any = None,
                timeout_sec: int = 0, max_retry_count: int = 0) -> "ClientConfig":
        """Checks everything a request will need, so a bad configuration fails before anything is sent."""
        base = str(api_base or DEFAULT_API_BASE).rstrip("/")
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise errors.ConfigurationError(f"ApiBase must be an absolute http(s) URL, got {base!r}.")
        if parts.query or parts.fragment:
            raise errors.ConfigurationError(f"ApiBase must not have a query or fragment, got {base!r}.")
        if api_key is None or (isinstance(api_key, str) and not api_key.strip()):
            raise errors.ConfigurationError(
                "No API key was found. Pass -ApiKey (api_key=) or set OPENAI_API_KEY.")
        return cls(api_base=base, api_key=Secret.of(api_key),
                   organization=Secret.of(organization) if organization else None,
                   timeout_sec=int(timeout_sec or 0), max_retry_count=int(max_retry_count or 0))


def url_path(*segments: str) -> str:
    """Joins path segments, each percent-encoded whole, so an id like '../files' stays one segment."""
    for s in segments:
        if s in (".", ".."):     # %2E%2E is still a dot segment to a server (RFC 3986), so refuse it
            raise errors.ParameterBindingError(f"{s!r} cannot be used as an id.", target=s)
    return "/" + "/".join(quote(s, safe="") for s in segments)


class ApiClient:
    def __init__(self, config: ClientConfig, host: Any = None):
        self.config = config
        self.host = host or PythonHost()

    def get(self, *segments: str, query: dict[str, Any] | None = None, deadline: float | None = None,
            target: Any = None) -> dict[str, Any]:
        return self.request("GET", url_path(*segments), query=query, deadline=deadline, target=target)

    def get_bytes(self, *segments: str, target: Any = None) -> bytes:
        return self.request("GET", url_path(*segments), raw=True, target=target)

    def delete(self, *segments: str, target: Any = None) -> dict[str, Any]:
        return self.request("DELETE", url_path(*segments), target=target)

    def post(self, *segments: str, body: Any = None, deadline: float | None = None,
             target: Any = None) -> dict[str, Any]:
        return self.request("POST", url_path(*segments), body=body, deadline=deadline, target=target)

    def request(self, method: str, path: str, *, body: Any = None, query: dict[str, Any] | None = None,
                content: MultipartBody | None = None, raw: bool = False, deadline: float | None = None,
                target: Any = None) -> Any:
        """Sends one API call with retries and returns its JSON object (raw: the bytes), or raises an
        errors.APIError. `body` is sent as JSON, `content` as the streamed multipart body it is."""
        cfg = self.config
        query = {k: v for k, v in (query or {}).items() if v is not None}
        url = cfg.api_base + path + (f"?{urlencode(query)}" if query else "")
        key = cfg.api_key.reveal()          # revealed for this request only
        org = cfg.organization.reveal() if cfg.organization else None
        masker = Masker([key, org or ""])
        headers = {"Authorization": f"Bearer {key}"}
        if org:
            headers["OpenAI-Organization"] = org
        data: Any = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        elif content is not None:
            data = content
            headers["Content-Type"] = content.content_type
        for attempt in range(cfg.max_retry_count + 1):
            self.host.verbose(masker(f"{method} {url}" + (f" (retry {attempt})" if attempt else "")))
            if isinstance(data, bytes):
                self.host.debug(masker(f"Request body: {data.decode('utf-8')}"))
            elif data is not None:
                data.rewind()
                self.host.debug(f"Request body: multipart/form-data, {len(data)} bytes")
            timeout = self._timeout(deadline, target)
            started = time.monotonic()
            try:
                with _session() as session:
                    response = session.request(method, url, data=data, headers=headers, timeout=timeout)
                    received = response.content
                _check_complete(response, received)
            except requests.Timeout:
                raise errors.APITimeoutError(
                    masker(f"The request {method} {url} timed out after {timeout:g} seconds."),
                    target=target) from None
            except requests.RequestException as e:
                raise errors.APIConnectionError(
                    masker(f"The request {method} {url} failed: {_reason(e)}"), target=target) from None
            request_id = response.headers.get("x-request-id")
            self.host.verbose(masker(f"HTTP {response.status_code} in {time.monotonic() - started:.3f} s"
                                     + (f", request id {request_id}" if request_id else "")))
            if response.status_code < 300:
                return received if raw else _parse_object(response, received, masker, target)
            error = _status_error(response, received, masker, target)
            delay = self._retry_delay(response, attempt) if attempt < cfg.max_retry_count else None
            if delay is None:
                raise error
            if deadline is not None and time.monotonic() + delay > deadline:
                raise error
            self.host.warning(f"{error.message} Retrying in {delay:.1f} s "
                              f"(attempt {attempt + 1} of {cfg.max_retry_count}).")
            sleep(delay, self.host)
        raise AssertionError("unreachable")

    def _timeout(self, deadline: float | None, target: Any) -> float | None:
        timeout = float(self.config.timeout_sec) or None
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise errors.WaitTimeoutError(
                    f"The operation did not finish within {self.config.timeout_sec} seconds.", target=target)
            timeout = min(timeout or remaining, remaining)
        return timeout

    def _retry_delay(self, response: requests.Response, attempt: int) -> float | None:
        """None when the response must not be retried, else how long to wait first."""
        should = response.headers.get("x-should-retry", "").lower()
        status = response.status_code
        if should == "false":
            return None
        if should != "true":
            if status == 429:
                if errors.status_error_class(429, *_error_fields(response)) is errors.QuotaLimitExceededError:
                    return None
            elif status < 500:
                return None
        hinted = _retry_after(response.headers)
        if hinted is not None and 0 < hinted <= MAX_RETRY_AFTER:
            self.host.debug(f"Server asked to retry after {hinted:g} s.")
            return hinted
        return min(2 ** attempt * random.uniform(0.8, 1.2), MAX_BACKOFF)


def sleep(seconds: float, host: Any) -> None:
    """Sleeps in short slices, asking the host between them, so Ctrl+C in pwsh ends a wait promptly."""
    end = time.monotonic() + seconds
    while True:
        host.check_stop()
        left = end - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, 0.1))


def _retry_after(headers) -> float | None:
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return float(ms) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    when = email.utils.parsedate_tz(value)
    return None if when is None else email.utils.mktime_tz(when) - time.time()


def _check_complete(response: requests.Response, content: bytes) -> None:
    """urllib3 1.x hands back a body cut short by a dropped connection as if it were whole."""
    expected = response.headers.get("content-length")
    if expected and expected.isdigit() and "content-encoding" not in response.headers \
            and int(expected) != len(content):
        raise requests.ConnectionError(f"connection closed after {len(content)} of {expected} bytes of the response")


def _reason(e: requests.RequestException) -> str:
    """The innermost cause reads best ('Connection refused'), without urllib3's object reprs."""
    inner = e
    while inner.__context__ is not None and inner.__context__ is not inner:
        inner = inner.__context__
    text = str(getattr(inner, "reason", None) or inner) or type(inner).__name__
    return f"{type(e).__name__}: {text}"


def _error_fields(response: requests.Response) -> tuple[str | None, str]:
    body = _json_or_none(response.content)
    err = body.get("error") if isinstance(body, dict) else None
    if isinstance(err, dict):
        return err.get("code"), str(err.get("message") or "")
    return None, ""


def _json_or_none(content: bytes) -> Any:
    try:
        return json.loads(content)
    except ValueError:
        return None


def _parse_object(response: requests.Response, content: bytes, masker: Masker, target: Any) -> dict[str, Any]:
    body = _json_or_none(content)
    if isinstance(body, dict):
        return body
    kind = response.headers.get("content-type", "no content type")
    what = "an empty body" if not content.strip() else f"a body that is not a JSON object ({kind})"
    snippet = content[:200].decode("utf-8", "replace")
    raise errors.InvalidResponseError(
        masker(f"The API answered HTTP {response.status_code} with {what}" + (f": {snippet}" if snippet.strip() else ".")),
        status=response.status_code, request_id=response.headers.get("x-request-id"), target=target)


def _status_error(response: requests.Response, content: bytes, masker: Masker, target: Any) -> errors.APIStatusError:
    body = _json_or_none(content)
    err = body.get("error") if isinstance(body, dict) else None
    err = err if isinstance(err, dict) else {}
    server_message = err.get("message") or (content[:200].decode("utf-8", "replace").strip() if not body else "") \
        or response.reason or ""
    status = response.status_code
    cls = errors.status_error_class(status, err.get("code"), str(server_message))
    return cls(masker(errors.status_message(status, str(server_message))), status=status, type=err.get("type"),
               code=err.get("code"), param=err.get("param"), request_id=response.headers.get("x-request-id"),
               target=target)
