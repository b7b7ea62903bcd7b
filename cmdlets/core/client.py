"""The one HTTP core: configuration, auth, timeouts, retries, error mapping and masked logging.

Cmdlet implementations only say which path to call; everything about talking to the API lives here.
"""
from __future__ import annotations

import email.utils
import http.client
import json
import math
import os
import random
import queue
import re
import socket
import threading
import time
import uuid
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator
from urllib.parse import quote, urlencode, urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from . import errors
from .host import PythonHost
from .multipart import MultipartBody
from .objects import to_plain
from .secrets import Masker, Secret

DEFAULT_API_BASE = "https://api.openai.com/v1"
MAX_RETRY_AFTER = 60.0      # longer server hints are ignored in favour of backoff, as openai-python does
MAX_BACKOFF = 129.0
USER_AGENT = "psopenai-batch/0.1 (python-requests)"
MAX_REDIRECTS = 10
MAX_JSON_BYTES = 64 << 20       # decoded; far above any Batch/Files JSON answer (10,000 listed files: ~3 MB)
MAX_CONTENT_BYTES = 2 << 30     # decoded file content; OpenAI files are at most 512 MB
READ_CHUNK = 16 << 10           # small raw reads: one gzip chunk inflates to at most ~16 MB before the cap check

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
        # requests are sent prepared, with the settings _Site resolved from the environment (proxies, CA
        # bundle); the session itself adds nothing (no netrc credentials, no cookies)
        s.trust_env = False
        s.mount("http://", _WatchedAdapter())
        s.mount("https://", _WatchedAdapter())
    try:
        yield s
    finally:
        _idle_sessions.put(s)


# --- the whole-request deadline and stopping -----------------------------------------------------------
# A socket timeout bounds each read, and every byte restarts it: a server trickling a byte every half
# second, or sending a chunked body that never ends, would hold a request forever. And a request blocked
# in a read does not notice that the caller wants to stop (Ctrl+C in pwsh, Stop() on a runspace). So a
# timed or stoppable request is watched: one watchdog thread for the whole process shuts a watched
# request's sockets down when its deadline passes or its host says it is stopping, which ends whatever
# read or write is blocked on them. Connections report their sockets to the watch of the request running
# on their thread. Registering is a lock and a dict entry, no thread per request; a request with neither
# a deadline nor a stop hook is not registered at all.

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


class _WatchedMixin:
    def connect(self) -> None:
        super().connect()
        _report(self.sock)

    def putrequest(self, *args: Any, **kwargs: Any) -> None:
        _report(self.sock)      # a kept-alive connection is reused without connect(); None when new
        super().putrequest(*args, **kwargs)


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


# --- credentials ---------------------------------------------------------------------------------------

class _Auth(requests.auth.AuthBase):
    """Writes the credential headers as the request is prepared, so until then the key stays a Secret
    and no local variable (shown by tracebacks with locals) holds it in plain text. Values of plain
    secrets (Python strings) are revealed once and kept here; others are revealed per request."""
    __slots__ = ("_headers",)

    def __init__(self, headers: dict[str, Any]):
        self._headers = headers

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        for name, value in self._headers.items():
            r.headers[name] = value if type(value) is str else value.reveal()
        return r

    def __repr__(self) -> str:
        return f"_Auth({', '.join(self._headers)})"


# (key, organization, auth type, secret extra headers) -> (auth, masker), for plain secrets only; one Secret
# per text makes this hit
_credentials_cache: dict[tuple, tuple[_Auth, Masker]] = {}


def _credentials(cfg: "ClientConfig") -> tuple[_Auth, Masker]:
    """Reveals the key and organization: stripped, checked, then wrapped again. Once per key for plain
    secrets; once per request for secrets that decrypt on demand (a SecureString).
    The headers, in the order they are written (a later one replaces an earlier one of the same name):
    the secret-looking -AdditionalHeaders (only ever sent to ApiBase's origin, like the key), then the
    auth type's own - openai: Authorization Bearer + OpenAI-Organization; azure: api-key; azure_ad:
    Authorization Bearer - which an additional header cannot replace."""
    extra = cfg.secret_headers
    plain = cfg.api_key.plain and (cfg.organization is None or cfg.organization.plain) \
        and all(type(v) is str for _, v in extra)
    cache_key = (cfg.api_key, cfg.organization, cfg.auth_type, extra)
    if plain:
        found = _credentials_cache.get(cache_key)
        if found is not None:
            return found
    key = _header_secret(cfg.api_key, "API key")
    if key is None:
        raise errors.ConfigurationError("No API key was found. Pass -ApiKey (api_key=) or set OPENAI_API_KEY.")
    headers: dict[str, Any] = {}
    revealed: list[str] = []
    for name, value in extra:
        secret = _header_secret(Secret.of(value), f"value of the additional header {name!r}")
        if secret is not None:
            headers[name] = secret
            text = secret.reveal()
            revealed += [text, text.partition(" ")[2].strip()]     # also the token of "Bearer <token>"
    if cfg.auth_type == "azure":
        _set_header(headers, "api-key", key)
    else:
        _set_header(headers, "Authorization", key.prefixed("Bearer "))
    org = None
    if cfg.auth_type == "openai" and cfg.organization is not None:
        org = _header_secret(cfg.organization, "organization")
        if org is not None:
            _set_header(headers, "OpenAI-Organization", org)
    masker = Masker([key.reveal(), org.reveal() if org is not None else "", *revealed])
    if not plain:
        return _Auth(headers), masker
    found = _Auth({name: secret.reveal() for name, secret in headers.items()}), masker
    if len(_credentials_cache) >= 64:
        _credentials_cache.clear()
    _credentials_cache[cache_key] = found
    return found


def _set_header(headers: dict[str, Any], name: str, value: Any) -> None:
    """Sets a header, replacing one of the same name in any letter case."""
    for existing in [k for k in headers if k.lower() == name.lower()]:
        del headers[existing]
    headers[name] = value


def _header_secret(secret: Secret, what: str) -> Secret | None:
    """The secret without surrounding whitespace (a file read with its newline), None when empty. Any
    other control or non-ASCII character is refused: it cannot go in a header, and the errors it would
    cause print the value."""
    value = secret.reveal()
    value = value.strip() if isinstance(value, str) else ""
    problem = next(("a non-ASCII character" if ord(c) > 127 else "a control character"
                    for c in value if not 32 <= ord(c) < 127), None)
    # a plain secret's stripped text is interned like any string key; one decrypted on demand is not kept
    clean = (Secret.of(value) if secret.plain else _transient(value)) if value and problem is None else None
    value = None        # noqa: F841 - nothing revealed stays in this frame for a traceback to show
    if problem is not None:
        raise errors.ConfigurationError(
            f"The {what} contains {problem}, which cannot be sent in an HTTP header. "
            f"Check where it comes from (the value is not shown).")
    return clean


def _transient(value: str) -> Secret:
    return Secret(lambda: value)


API_TYPES = ("openai", "azure")
AUTH_TYPES = ("openai", "azure", "azure_ad")
AZURE_API_VERSION = "2025-04-01-preview"     # PSOpenAI 4.x's default for Azure OpenAI
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
# Additional headers whose values are credentials: masked in every message like the key, and sent only to
# ApiBase's origin. A SecureString value is always treated as one.
_SECRET_HEADER = re.compile(r"auth|key|token|secret|passw|cookie|signature|credential|session|organization",
                            re.IGNORECASE)


@dataclass(frozen=True)
class ClientConfig:
    api_base: str
    api_key: Secret
    organization: Secret | None = None
    timeout_sec: int = 0
    max_retry_count: int = 0
    api_type: str = "openai"                        # "openai" | "azure"
    auth_type: str = "openai"                       # "openai" | "azure" (api-key header) | "azure_ad" (Bearer)
    api_version: str | None = None                  # Azure only: the api-version query
    additional_query: tuple[tuple[str, str], ...] = ()
    additional_headers: tuple[tuple[str, str], ...] = ()    # sent as they are, after the internal ones
    secret_headers: tuple[tuple[str, Any], ...] = ()        # sent with the credentials, masked
    additional_body: dict[str, Any] | None = None

    @property
    def service(self) -> str:
        """The API's name in error messages, as PSOpenAI words them."""
        return "Azure OpenAI" if self.auth_type.startswith("azure") else "OpenAI"

    @classmethod
    def resolve(cls, *, api_base: Any = None, api_key: Any = None, organization: Any = None,
                timeout_sec: int = 0, max_retry_count: int = 0, api_type: Any = None, auth_type: Any = None,
                api_version: Any = None, additional_query: Any = None, additional_headers: Any = None,
                additional_body: Any = None) -> "ClientConfig":
        """Checks everything a request will need, so a bad configuration fails before anything is sent.
        The key and organization are wrapped first thing (the key's content is checked when revealed)."""
        api_key, organization = Secret.of(api_key or None), Secret.of(organization or None)
        api_type = choice(api_type, API_TYPES, "ApiType")
        auth_type = choice(auth_type, AUTH_TYPES, "AuthType")
        if api_type == "azure" and not auth_type.startswith("azure"):
            auth_type = "azure"     # PSOpenAI: Azure with AuthType openai means the api-key header
        if api_type == "azure" and not api_base:
            raise errors.ConfigurationError('Please specify your Azure OpenAI Endpoint to "ApiBase" parameter.')
        base = str(api_base or DEFAULT_API_BASE).rstrip("/")
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise errors.ConfigurationError(f"ApiBase must be an absolute http(s) URL, got {base!r}.")
        if parts.query or parts.fragment:
            raise errors.ConfigurationError(f"ApiBase must not have a query or fragment, got {base!r}.")
        if api_key is None:
            raise errors.ConfigurationError(
                "No API key was found. Pass -ApiKey (api_key=) or set OPENAI_API_KEY.")
        version = None
        if api_type == "azure":
            version = str(api_version).strip() if api_version is not None else ""
            version = version or AZURE_API_VERSION
        plain_headers, secret_headers = _additional_headers(additional_headers)
        return cls(api_base=base, api_key=api_key, organization=organization,
                   timeout_sec=int(timeout_sec or 0), max_retry_count=int(max_retry_count or 0),
                   api_type=api_type, auth_type=auth_type, api_version=version,
                   additional_query=_additional_query(additional_query), additional_headers=plain_headers,
                   secret_headers=secret_headers, additional_body=_additional_body(additional_body))


def choice(value: Any, allowed: tuple[str, ...], name: str) -> str:
    """A ValidateSet value, case-insensitive as PowerShell's (ApiType Azure, azure and AZURE are one)."""
    if value is None or value == "":
        return allowed[0]
    text = str(getattr(value, "value", value)).strip().lower()
    if text not in allowed:
        raise errors.ParameterBindingError(f"{name} must be one of {', '.join(allowed)}, got {value!r}.")
    return text


def _query_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _additional_query(query: Any) -> tuple[tuple[str, str], ...]:
    if not query:
        return ()
    if not isinstance(query, Mapping):
        raise errors.ParameterBindingError("AdditionalQuery must be a dictionary of names and values.")
    pairs = []
    for name, value in query.items():
        if value is None:
            continue
        for item in value if isinstance(value, (list, tuple)) else (value,):
            pairs.append((str(name), _query_text(item)))
    return tuple(pairs)


def _additional_headers(headers: Any) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, Any], ...]]:
    """(plain headers, secret-looking headers); names and values checked, values never shown in errors."""
    if not headers:
        return (), ()
    if not isinstance(headers, Mapping):
        raise errors.ParameterBindingError("AdditionalHeaders must be a dictionary of header names and values.")
    plain: dict[str, str] = {}
    secret: dict[str, Any] = {}
    for name, value in headers.items():
        name = str(name).strip()
        if not _HEADER_NAME.fullmatch(name):
            raise errors.ParameterBindingError(f"{name!r} in AdditionalHeaders is not a valid HTTP header name.")
        if value is None:
            continue
        for table in (plain, secret):       # a later entry of the same name, any letter case, replaces it
            for existing in [k for k in table if k.lower() == name.lower()]:
                del table[existing]
        if isinstance(value, Secret) or _SECRET_HEADER.search(name):
            secret[name] = value if isinstance(value, Secret) else str(value)
            continue
        text = str(value).strip()
        if any(not 32 <= ord(c) < 127 and c != "\t" for c in text):
            raise errors.ParameterBindingError(
                f"The value of the additional header {name!r} contains a control or non-ASCII character, which "
                "cannot be sent in an HTTP header (the value is not shown).")
        plain[name] = text
    return tuple(plain.items()), tuple(secret.items())


def _additional_body(body: Any) -> dict[str, Any] | None:
    """A mapping, an object with properties (a PSCustomObject arrives as a mapping) or a JSON object text."""
    if body is None or isinstance(body, str) and not body.strip():
        return None
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError:
            raise errors.ParameterBindingError("AdditionalBody is a string that is not JSON; pass a JSON object, "
                                               "a dictionary or an object.") from None
    if not isinstance(body, Mapping):
        to_dict = getattr(body, "to_dict", None)
        body = to_dict() if callable(to_dict) else body
    if not isinstance(body, Mapping):
        raise errors.ParameterBindingError("AdditionalBody must be a dictionary, an object or a JSON object text, "
                                           f"got {type(body).__name__}.")
    plain = to_plain(body)
    to_json(plain, "AdditionalBody")    # fails now, naming the value, if it has no JSON form
    return dict(plain)


def url_path(*segments: str) -> str:
    """Joins path segments, each percent-encoded whole, so an id like '../files' stays one segment."""
    for s in segments:
        if s in (".", ".."):     # %2E%2E is still a dot segment to a server (RFC 3986), so refuse it
            raise errors.ParameterBindingError(f"{s!r} cannot be used as an id.", target=s)
    return "/" + "/".join(quote(s, safe="") for s in segments)


def to_json(value: Any, what: str = "The request body") -> str:
    """Strict JSON (no NaN/Infinity, which the API cannot parse), or a ParameterBindingError naming the
    value that has no JSON form - before anything is sent."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        problem = _unsendable(value, "") or "is not JSON"
    raise errors.ParameterBindingError(f"{what} cannot be sent as JSON: {problem}.")


def _unsendable(value: Any, path: str, depth: int = 0) -> str | None:
    """Where and why a value has no JSON form (only run after json.dumps failed)."""
    at = path.lstrip(".") or "the value"
    if depth > 200:
        return f"{at} is nested too deeply"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{at} is {value!r} (NaN and Infinity are not JSON numbers)"
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return f"{at} holds a character that is not valid Unicode (a lone surrogate)"
        return None
    if value is None or isinstance(value, (bool, int, float)):
        return None
    if isinstance(value, Mapping):
        for k, v in value.items():
            if not isinstance(k, (str, int, float, bool)) and k is not None:
                return f"{at} has a key of type {type(k).__name__}"
            found = _unsendable(v, f"{path}.{k}", depth + 1)
            if found:
                return found
        return None
    if isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            found = _unsendable(v, f"{path}[{i}]", depth + 1)
            if found:
                return found
        return None
    return f"{at} is a {type(value).__name__}, which has no JSON form (pass a string, number, list or mapping)"


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or {"http": 80, "https": 443}.get(parts.scheme)


# --- what a base URL needs for every request, resolved once ------------------------------------------
# requests' Session.request would look the environment up (proxies, no_proxy, CA bundle), re-parse the
# URL and merge session settings on every call; here that is done once per base URL (and again only when
# one of these variables changes), and requests are sent prepared.

_ENVIRONMENT = ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                "NO_PROXY", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")
_environment_session = requests.Session()      # trust_env: only its merge_environment_settings is used
_BASE_HEADERS = {**requests.utils.default_headers(), "User-Agent": USER_AGENT}


def _environment() -> tuple[str | None, ...]:
    get = os.environ.get
    return tuple(get(name) for name in _ENVIRONMENT)


def _settings(url: str) -> dict[str, Any]:
    """proxies, verify and cert for a request to `url`, from the environment, by requests' own rules."""
    merged = _environment_session.merge_environment_settings(url, {}, None, None, None)
    return {"proxies": merged["proxies"], "verify": merged["verify"], "cert": merged["cert"]}


class _Site:
    __slots__ = ("environment", "prefix", "home", "settings")

    def __init__(self, api_base: str, environment: tuple[str | None, ...]):
        self.environment = environment
        prepared = requests.PreparedRequest()
        prepared.prepare_url(api_base, None)        # requests' normalisation (IDNA host...), once
        self.prefix = prepared.url.rstrip("/")
        self.home = _origin(self.prefix)
        self.settings = _settings(self.prefix)


_sites: dict[str, _Site] = {}


def _site(api_base: str) -> _Site:
    environment = _environment()
    site = _sites.get(api_base)
    if site is None or site.environment != environment:
        if len(_sites) >= 64:
            _sites.clear()
        site = _sites[api_base] = _Site(api_base, environment)
    return site


def _wanted(host: Any) -> tuple[bool, bool]:
    """Whether the host shows verbose and debug messages (its wants("verbose"/"debug")), so that nobody
    formats one nobody reads; a host without wants() gets them all."""
    wants = getattr(host, "wants", None)
    if wants is not None:
        return bool(wants("verbose")), bool(wants("debug"))
    return True, True


class ApiClient:
    def __init__(self, config: ClientConfig, host: Any = None):
        self.config = config
        self.host = host or PythonHost()
        self._stopping = getattr(self.host, "stopping", None)     # None: a host that is never stopped so
        self._site = _site(config.api_base)

    def get(self, *segments: str, query: dict[str, Any] | None = None, deadline: float | None = None,
            target: Any = None) -> dict[str, Any]:
        try:
            return self.request("GET", url_path(*segments), query=query, deadline=deadline, target=target)
        except errors.APIError as error:
            if segments[:1] == ("batches",):
                # PSOpenAI reads batches through Get-Batch, which reports a failure per item (pwsh: a
                # non-terminating error) where every other request's failure ends the cmdlet.
                error.terminating = False
            raise

    def get_bytes(self, *segments: str, target: Any = None) -> bytes:
        return self.request("GET", url_path(*segments), raw=True, target=target)

    def delete(self, *segments: str, target: Any = None) -> dict[str, Any]:
        return self.request("DELETE", url_path(*segments), target=target)

    def post(self, *segments: str, body: Any = None, deadline: float | None = None,
             target: Any = None) -> dict[str, Any]:
        return self.request("POST", url_path(*segments), body=body, deadline=deadline, target=target)

    def url(self, path: str, query: dict[str, Any] | None = None) -> str:
        """The one place URLs are made. OpenAI: {ApiBase}{path}?{query}{AdditionalQuery}. Azure OpenAI:
        {ApiBase}/openai{path}?api-version=...{query}{AdditionalQuery}. Additional entries are added after the
        cmdlet's own, never replacing them (a name in both is sent twice, the cmdlet's first), as PSOpenAI."""
        cfg = self.config
        pairs: list[tuple[str, Any]] = []
        if cfg.api_type == "azure":
            path = "/openai" + path
            pairs.append(("api-version", cfg.api_version))
        if query:
            pairs += [(k, _query_text(v)) for k, v in query.items() if v is not None]
        pairs += cfg.additional_query
        return self._site.prefix + path + (f"?{urlencode(pairs)}" if pairs else "")

    def request(self, method: str, path: str, *, body: Any = None, query: dict[str, Any] | None = None,
                content: MultipartBody | None = None, raw: bool = False, deadline: float | None = None,
                target: Any = None, additional_body: bool = True) -> Any:
        """Sends one API call with retries and returns its JSON object (raw: the bytes), or raises an
        errors.APIError. `body` is sent as JSON, `content` as the streamed multipart body it is.
        -AdditionalBody is merged into either (its keys win; in a multipart body they are form fields), or
        is the whole body of a POST that has none; GET and DELETE send no body. `additional_body=False`
        keeps it out (Start-Batch's own upload of its items).
        Each attempt, redirects included, is bounded as a whole by -TimeoutSec and by `deadline`."""
        cfg = self.config
        url = self.url(path, query)
        extra = cfg.additional_body if additional_body and method not in ("GET", "DELETE", "HEAD") else None
        if extra:
            if content is not None:
                content.set_fields({k: v if isinstance(v, str) else to_json(v) for k, v in extra.items()})
            elif body is None:
                body = dict(extra)
            elif isinstance(body, Mapping):
                body = {**body, **extra}
        data: Any = None
        headers = dict(_BASE_HEADERS)
        if method != "GET":
            # one key per logical request, the same on every retry: a retried POST whose first answer was
            # lost (a gateway 502 after the work was done) gets that answer instead of acting twice
            headers["Idempotency-Key"] = f"psopenai-{uuid.uuid4()}"
        if body is not None:
            data = to_json(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        elif content is not None:
            data = content
            headers["Content-Type"] = content.content_type
        for name, value in cfg.additional_headers:
            # they win over the internal headers (a User-Agent replaces the default); the credentials are
            # written after them, so cannot be replaced
            _set_header(headers, name, value)
        auth, masker = _credentials(cfg)        # after the body is known good
        verbose, debug = _wanted(self.host)
        for attempt in range(cfg.max_retry_count + 1):
            if verbose:
                self.host.verbose(masker(f"{method} {url}" + (f" (retry {attempt})" if attempt else "")))
            if debug:
                if isinstance(data, bytes):
                    self.host.debug(masker(f"Request body: {data.decode('utf-8')}"))
                elif data is not None:
                    self.host.debug(f"Request body: multipart/form-data, {len(data)} bytes")
            timeout = self._timeout(deadline, target)
            started = time.monotonic()
            watch = _Watch(started + timeout if timeout else None, self._stopping) \
                if timeout or self._stopping is not None else None
            failure: errors.OpenAIError | None = None
            try:
                response, received = self._send(method, url, data, headers, auth, timeout, raw, masker, target, watch)
            except requests.Timeout:
                failure = self._timed_out(method, url, timeout, masker, target)
            except (requests.RequestException, urllib3.exceptions.HTTPError, http.client.HTTPException,
                    OSError) as e:
                if watch is not None and watch.state == TIMED_OUT or timeout and time.monotonic() - started >= timeout:
                    failure = self._timed_out(method, url, timeout, masker, target)
                else:
                    failure = errors.APIConnectionError(
                        masker(f"The request {method} {url} failed: {_reason(e)}"), target=target)
            else:
                if watch is not None and watch.state == TIMED_OUT:     # a body read to an end the watch made
                    failure = self._timed_out(method, url, timeout, masker, target)
            if watch is not None and watch.state == STOPPED:
                self.host.check_stop()      # the host's own stop error (pwsh: PipelineStoppedException)
                failure = errors.APIConnectionError(masker(f"The request {method} {url} was stopped."), target=target)
            if failure is not None:
                # raised outside the except block: the requests exception, whose frames hold the sent
                # headers, is not kept as this error's context
                raise failure
            if verbose:
                request_id = response.headers.get("x-request-id")
                self.host.verbose(masker(f"HTTP {response.status_code} in {time.monotonic() - started:.3f} s"
                                         + (f", request id {request_id}" if request_id else "")))
            if response.status_code < 300:
                return received if raw else _parse_object(response, received, masker, target)
            error = _status_error(response, received, masker, target, cfg.service)
            delay = self._retry_delay(response, received, attempt) if attempt < cfg.max_retry_count else None
            if delay is None:
                raise error
            if deadline is not None and time.monotonic() + delay > deadline:
                raise error
            self.host.warning(f"{error.message} Retrying in {delay:.1f} s "
                              f"(attempt {attempt + 1} of {cfg.max_retry_count}).")
            sleep(delay, self.host)
        raise AssertionError("unreachable")

    def _timed_out(self, method: str, url: str, timeout: float | None, masker: Masker,
                   target: Any) -> errors.APITimeoutError:
        return errors.APITimeoutError(masker(f"The request {method} {url} timed out after {timeout:g} seconds."),
                                      target=target)

    def _send(self, method: str, url: str, data: Any, headers: dict[str, str], auth: _Auth,
              timeout: float | None, raw: bool, masker: Masker, target: Any,
              watch: _Watch | None) -> tuple[requests.Response, bytes]:
        """One attempt: the request, any redirects, and the whole body, under one watch."""
        site = self._site
        with _session() as session, _watching(watch):
            for hop in range(MAX_REDIRECTS + 1):
                if isinstance(data, MultipartBody):
                    data.rewind()       # a retry or a 307/308 sends the whole body again
                prepared = requests.PreparedRequest()
                prepared.prepare_method(method)
                if hop == 0:
                    prepared.url = url      # the normalised base + encoded segments: nothing to re-parse
                else:
                    prepared.prepare_url(url, None)
                prepared.prepare_headers(headers)
                prepared.prepare_body(data, None)
                home = hop == 0 or _origin(url) == site.home
                if home:
                    # credentials only ever go to the configured origin, never to where a redirect points
                    auth(prepared)
                # through the session's mounted adapter, as Session.send does, minus what is not wanted
                # here: cookies, hooks and redirects (followed above, by these rules)
                response = session.get_adapter(prepared.url).send(
                    prepared, stream=True, timeout=timeout, **(site.settings if home else _settings(url)))
                try:
                    if response.is_redirect:
                        url = self._redirect(method, url, response, masker, target)
                        continue
                    limit = MAX_CONTENT_BYTES if raw and response.status_code < 300 else MAX_JSON_BYTES
                    received = _read(response, limit, masker, target)
                finally:
                    response.close()
                _check_complete(response, received)
                return response, received
        raise errors.InvalidResponseError(masker(f"The request {method} {url} was redirected more than "
                                                 f"{MAX_REDIRECTS} times."), target=target)

    def _redirect(self, method: str, url: str, response: requests.Response, masker: Masker, target: Any) -> str:
        status = response.status_code
        location = urljoin(url, response.headers["location"])
        if urlsplit(location).scheme not in ("http", "https"):
            raise errors.InvalidResponseError(masker(f"The request {method} {url} was redirected to {location}, "
                                                     "which is not an http(s) URL."), status=status, target=target)
        if method != "GET" and status not in (307, 308):
            # a 301/302/303 would turn the request into a GET: the cancel or upload would silently not happen
            raise errors.InvalidResponseError(masker(
                f"The request {method} {url} was answered HTTP {status} with a redirect to {location}; "
                f"following it would turn the {method} into a GET, so it was not followed. "
                "If the API has moved, set -ApiBase (api_base=) to its new address."),
                status=status, request_id=response.headers.get("x-request-id"), target=target)
        self.host.verbose(masker(f"HTTP {status}: {method} redirected to {location}"))
        return location

    def _timeout(self, deadline: float | None, target: Any) -> float | None:
        timeout = float(self.config.timeout_sec) or None
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise errors.WaitTimeoutError(
                    f"The operation did not finish within {self.config.timeout_sec} seconds.", target=target)
            timeout = min(timeout or remaining, remaining)
        return timeout

    def _retry_delay(self, response: requests.Response, received: bytes, attempt: int) -> float | None:
        """None when the response must not be retried, else how long to wait first."""
        should = response.headers.get("x-should-retry", "").lower()
        status = response.status_code
        if should == "false":
            return None
        if should != "true":
            if status == 429:
                if errors.status_error_class(429, *_error_fields(received)) is errors.QuotaLimitExceededError:
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


def _read(response: requests.Response, limit: int, masker: Masker, target: Any) -> bytes:
    """The decoded body, refused once it grows past `limit` (a gzip bomb inflates 1 MB into 1 GB)."""
    chunks, size = [], 0
    for chunk in response.iter_content(READ_CHUNK):
        size += len(chunk)
        if size > limit:
            raise errors.InvalidResponseError(masker(
                f"The API's response to {response.request.method} {response.url} is larger than "
                f"{limit >> 20} MB once decoded; it was not read further."),
                status=response.status_code, request_id=response.headers.get("x-request-id"), target=target)
        chunks.append(chunk)
    return b"".join(chunks)


def _check_complete(response: requests.Response, content: bytes) -> None:
    """urllib3 1.x hands back a body cut short by a dropped connection as if it were whole."""
    expected = response.headers.get("content-length")
    if expected and expected.isdigit() and "content-encoding" not in response.headers \
            and int(expected) != len(content):
        raise requests.ConnectionError(f"connection closed after {len(content)} of {expected} bytes of the response")


def _reason(e: BaseException) -> str:
    """The innermost cause reads best ('RemoteDisconnected: Remote end closed connection'), without
    urllib3's object reprs. Follows causes, contexts and wrapped errors, but not a context that was
    suppressed: urllib3 raises the real error `from None` over the TypeError of its own
    getresponse(buffering=True) probe, which says nothing about the connection."""
    inner, seen = e, set()
    while id(inner) not in seen:
        seen.add(id(inner))
        nested = inner.__cause__ or (None if inner.__suppress_context__ else inner.__context__)
        if nested is None:
            reason = getattr(inner, "reason", None)     # MaxRetryError.reason
            nested = reason if isinstance(reason, BaseException) else next(
                (a for a in reversed(inner.args) if isinstance(a, BaseException)), None)    # ProtocolError
        if nested is None:
            break
        inner = nested
    text = str(inner) or type(inner).__name__
    return f"{type(e).__name__}: {text}" if inner is e else f"{type(e).__name__}: {type(inner).__name__}: {text}"


def _error_fields(content: bytes) -> tuple[str | None, str]:
    body = _json_or_none(content)
    err = body.get("error") if isinstance(body, dict) else None
    if isinstance(err, dict):
        return err.get("code"), str(err.get("message") or "")
    return None, ""


def _json_or_none(content: bytes) -> Any:
    try:
        return json.loads(content)
    except (ValueError, RecursionError):       # RecursionError: nested deeper than the parser goes
        return None


def _parse_object(response: requests.Response, content: bytes, masker: Masker, target: Any) -> dict[str, Any]:
    try:
        body = json.loads(content)
    except RecursionError:
        body = RecursionError
    except ValueError:
        body = None
    if isinstance(body, dict):
        return body
    kind = response.headers.get("content-type", "no content type")
    what = ("an empty body" if not content.strip() else "JSON nested too deeply to read" if body is RecursionError
            else f"a body that is not a JSON object ({kind})")
    snippet = content[:200].decode("utf-8", "replace")
    raise errors.InvalidResponseError(
        masker(f"The API answered HTTP {response.status_code} with {what}" + (f": {snippet}" if snippet.strip() else ".")),
        status=response.status_code, request_id=response.headers.get("x-request-id"), target=target)


def _status_error(response: requests.Response, content: bytes, masker: Masker, target: Any,
                  service: str = "OpenAI") -> errors.APIStatusError:
    body = _json_or_none(content)
    err = body.get("error") if isinstance(body, dict) else None
    err = err if isinstance(err, dict) else {}
    server_message = err.get("message") or (content[:200].decode("utf-8", "replace").strip() if not body else "") \
        or response.reason or ""
    status = response.status_code
    cls = errors.status_error_class(status, err.get("code"), str(server_message))
    return cls(masker(errors.status_message(status, str(server_message), service)), status=status, type=err.get("type"),
               code=err.get("code"), param=err.get("param"), request_id=response.headers.get("x-request-id"),
               target=target)
