"""The one HTTP core: the session pool, ApiClient (URLs, auth, timeouts, redirects, retries), request bodies,
response reading, error mapping and masked logging.

Cmdlet implementations only say which path to call; everything about talking to the API lives here, with
its configuration and credentials in config, the whole-request deadline and stopping in watchdog, and
strict JSON in jsonbody.
"""
from __future__ import annotations

import base64
import email.utils
import http.client
import json
import logging
import os
import random
import re
import time
import uuid
from collections.abc import Mapping
from typing import Any, Iterator
from urllib.parse import quote, unquote, urlencode, urljoin, urlsplit

import requests
import urllib3

from . import errors
from .config import ClientConfig, _Auth, _credentials, _query_text, _set_header
from .host import PythonHost
from .jsonbody import to_json, to_json_bytes
from .model_retirements import retirement_warning
from .multipart import MultipartBody
from .secrets import SECRET_QUERY, Masker, QuietUrl, masked_field, masked_json, shown_queries, shown_url
from .watchdog import (RUNNING, STOPPED, TIMED_OUT, _current, _Watch, _WatchedAdapter, _watchdog, _watching,
                       forget_sent, sent_on_kept_alive)

MAX_RETRY_AFTER = 60.0      # longer server hints are ignored in favour of backoff, as openai-python does
MAX_BACKOFF = 129.0
USER_AGENT = "psopenai-batch/0.1 (python-requests)"
MAX_REDIRECTS = 10
MAX_JSON_BYTES = 64 << 20       # decoded; far above any Batch/Files JSON answer (10,000 listed files: ~3 MB)
MAX_CONTENT_BYTES = 2 << 30     # decoded file content; OpenAI files are at most 512 MB
READ_CHUNK = 16 << 10           # small raw reads: one gzip chunk inflates to at most ~16 MB before the cap check

# Idle keep-alive sessions. A pool rather than thread-locals: pwsh runspace threads get a fresh Python
# thread state on every call, so a thread-local session would be a new connection each time.
# Last in, first out (list append/pop are atomic): the session used last, whose connections are warm, is
# lent first, so sequential requests share one connection however many sessions concurrency once needed.
_idle_sessions: list[requests.Session] = []


def _lend() -> requests.Session:
    """A session for one request (or one download, until it is closed); concurrent callers never share one."""
    try:
        return _idle_sessions.pop()
    except IndexError:
        s = requests.Session()
        # requests are sent prepared, with the settings _Site resolved from the environment (proxies, CA
        # bundle); the session itself adds nothing (no netrc credentials, no cookies)
        s.trust_env = False
        s.mount("http://", _WatchedAdapter())
        s.mount("https://", _WatchedAdapter())
        return s


# Idle sessions kept at most: as many as cmdlets.aio runs calls at once. A burst of more threads (a pool of 200)
# would otherwise leave each its session and open socket for the life of the process, however few are used later.
MAX_IDLE_SESSIONS = 64


def _give_back(session: requests.Session) -> None:
    if len(_idle_sessions) < MAX_IDLE_SESSIONS:
        _idle_sessions.append(session)
    else:
        session.close()     # (its connections closed: no socket is left behind for nobody)


if hasattr(os, "register_at_fork"):
    # A forked child inherits the idle sessions and with them the parent's kept-alive sockets: parent and
    # children would then write to one connection and read each other's answers. The child starts with
    # none (its copies of the sockets are closed as they are collected, which leaves the parent's open).
    os.register_at_fork(after_in_child=_idle_sessions.clear)


class _ShownQueries(logging.Filter):
    """urllib3 logs each request line at DEBUG ('"GET /v1/files?api-key=... HTTP/1.1" 200'), and a redirect's or
    retry's URL: with logging.basicConfig(level=DEBUG) that would show an -AdditionalQuery credential (a
    gateway's api-key, an Azure SAS sig). Its credential-looking query values are masked here, as in every
    message of ours."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:       # a record that cannot be formatted: logging's own handling reports it
            return True
        shown = shown_queries(text)
        if shown != text:
            record.msg, record.args = shown, ()
        return True


for _name in ("urllib3.connectionpool", "urllib3.poolmanager", "urllib3.util.retry"):
    logging.getLogger(_name).addFilter(_ShownQueries())


def url_path(*segments: str) -> str:
    """Joins path segments, each percent-encoded whole, so an id like '../files' stays one segment."""
    for s in segments:
        if s in (".", ".."):     # %2E%2E is still a dot segment to a server (RFC 3986), so refuse it
            raise errors.ParameterValueError(f"{s!r} cannot be used as an id.", target=s)
    return "/" + "/".join(quote(s, safe="") for s in segments)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or {"http": 80, "https": 443}.get(parts.scheme)


# --- what a base URL needs for every request, resolved once ------------------------------------------
# requests' Session.request would look the environment up (proxies, no_proxy, CA bundle), re-parse the
# URL and merge session settings on every call; here that is done once per base URL (and again only when
# one of these variables changes), and requests are sent prepared.

_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                    "ALL_PROXY", "NO_PROXY")
# The CA certificates to trust: the first of these that is set, else requests' own bundle. requests reads
# the first two itself; OpenSSL (and so Python's ssl, curl and .NET on Linux) the last two, which is where
# users of Invoke-RestMethod put a private CA.
_CA_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR")
_ENVIRONMENT = _PROXY_VARIABLES + _CA_VARIABLES
_BASE_HEADERS = {**requests.utils.default_headers(), "User-Agent": USER_AGENT}


def _environment() -> tuple[str | None, ...]:
    get = os.environ.get
    return tuple(get(name) for name in _ENVIRONMENT)


def _settings(url: str) -> dict[str, Any]:
    """proxies, verify and cert for a request to `url`."""
    return {"proxies": requests.utils.get_environ_proxies(url), "verify": _ca_certificates(), "cert": None}


def _ca_certificates() -> str | bool:
    """requests' `verify`: a CA file or a hashed directory (c_rehash) from _CA_VARIABLES, else True."""
    for name in _CA_VARIABLES:
        value = os.environ.get(name)
        if value:
            if name == "SSL_CERT_DIR":      # a list of directories to OpenSSL; requests takes one
                value = next((d for d in value.split(os.pathsep) if os.path.isdir(d)), value)
            return value
    return True


def _shown_proxy(proxy: str) -> str:
    """A proxy URL as a message may show it: its password (or a lone user name, often a token) masked."""
    userinfo = _userinfo(proxy)
    return proxy.replace(userinfo + "@", _masked_userinfo(userinfo) + "@", 1) if userinfo else proxy


def _userinfo(proxy: str) -> str:
    """The user:password of a proxy URL, as written: everything between the scheme and the last '@', since
    a malformed URL (an unencoded '/', '?' or '#' in the password) cannot be parsed."""
    return proxy.split("://", 1)[-1].rpartition("@")[0]


def _masked_userinfo(userinfo: str) -> str:
    user, colon, _ = userinfo.partition(":")
    return f"{user}:****" if colon else "****"


_URL_USERINFO = re.compile(r"\b([A-Za-z][A-Za-z0-9+.-]*://)([^\s'\"]+)@")


def _without_proxy_credentials(text: str, proxies: list[str | None]) -> str:
    """An exception's text without proxy credentials: the user:password of any URL in it masked (urllib3's
    'Failed to parse: http://user:S3cret/x@…' shows a malformed proxy URL whole), and the password of each
    of `proxies` wherever it shows alone, as written or decoded."""
    text = _URL_USERINFO.sub(lambda m: f"{m.group(1)}{_masked_userinfo(m.group(2))}@", text)
    passwords = {form for proxy in proxies if proxy
                 for password in (_userinfo(proxy).partition(":")[2],) for form in (password, unquote(password))}
    return Masker(replacements=dict.fromkeys(passwords, "****"))(text)


def _with_proxy_credentials(masker: Masker, proxy: str | None) -> Masker:
    """`masker`, also masking the password of the proxy a request goes through and its Basic credentials
    (base64 of user:password, as the Proxy-Authorization header carries them): a proxy's or gateway's error
    page may echo that header."""
    userinfo = _userinfo(proxy) if proxy else ""
    if not userinfo:
        return masker
    user, _, password = userinfo.partition(":")
    basic = base64.b64encode(f"{unquote(user)}:{unquote(password)}".encode("latin-1", "replace")).decode("ascii")
    return masker.plus([password, unquote(password), basic])


class _Site:
    __slots__ = ("environment", "prefix", "home", "settings")

    def __init__(self, api_base: str, environment: tuple[str | None, ...]):
        self.environment = environment
        prepared = requests.PreparedRequest()
        try:
            prepared.prepare_url(api_base, None)    # requests' normalisation (IDNA host...), once
        except (ValueError, requests.exceptions.RequestException):     # a bad port or host; its text shows the URL
            raise errors.ConfigurationError(f"ApiBase is not a valid URL, got {shown_url(api_base)!r}.") from None
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


def _proxies(proxy: str | None) -> dict[str, str]:
    """requests' proxies for one request that goes through `proxy`, or direct (an empty mapping)."""
    return {"http": proxy, "https": proxy} if proxy else {}


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
        self._proxy_for = getattr(self.host, "proxy_for", None)   # None: the environment decides
        # URLs holding credentials (ApiBase's user:password@, a credential-looking AdditionalQuery entry) are
        # made QuietUrls: the frames a traceback with locals shows hold them masked
        self._quiet_urls = "@" in urlsplit(self._site.prefix).netloc or \
            any(SECRET_QUERY.search(name) for name, _ in config.additional_query)

    def _network(self, url: str, settings: dict[str, Any] | None) -> dict[str, Any]:
        """proxies, verify and cert for a request to `url` (`settings`: the base URL's, already resolved). A
        host that knows the session's proxy (pwsh: where Invoke-RestMethod would go, psbridge/network.py)
        decides it; otherwise the environment does, by requests' rules."""
        settings = settings if settings is not None else _settings(url)
        if self._proxy_for is None:
            return settings
        return {**settings, "proxies": _proxies(self._proxy_for(url))}

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

    def download(self, *segments: str, target: Any = None) -> "Download":
        """A GET whose body is read as the caller iterates (Download.chunks); the request up to its
        response's headers has the retries, timeouts and error mapping of any other."""
        return self.request("GET", url_path(*segments), raw=True, stream=True, target=target)

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
        url = self._site.prefix + path + (f"?{urlencode(pairs)}" if pairs else "")
        return QuietUrl(url) if self._quiet_urls else url

    def request(self, method: str, path: str, *, body: Any = None, query: dict[str, Any] | None = None,
                content: MultipartBody | None = None, raw: bool = False, deadline: float | None = None,
                target: Any = None, additional_body: bool = True, stream: bool = False) -> Any:
        """Sends one API call with retries and returns its JSON object (raw: the bytes), or raises an
        errors.APIError. `body` is sent as JSON, `content` as the streamed multipart body it is.
        -AdditionalBody is merged into either (its keys win; in a multipart body they are form fields), or
        is the whole body of a POST that has none; GET and DELETE send no body. `additional_body=False`
        keeps it out (Start-Batch's own upload of its items). `stream` (with raw): a 2xx answer's body is
        not read here but returned as a Download, read as the caller iterates.
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
            data = to_json_bytes(body)
            retired = retirement_warning(body.get("model")) if isinstance(body, Mapping) else ""
            if retired:     # (as PSOpenAI warns, before the request, which the API will refuse)
                self.host.warning(retired)
            headers["Content-Type"] = "application/json"
        elif content is not None:
            data = content
            headers["Content-Type"] = content.content_type
        for name, value in cfg.additional_headers:
            # they win over the internal headers (a User-Agent replaces the default); the credentials are
            # written after them, so cannot be replaced
            _set_header(headers, name, value)
        auth, masker = _credentials(cfg)        # after the body is known good
        masker = _with_proxy_credentials(masker, self._proxy(url))
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
                response, received = self._send(method, url, data, headers, auth, timeout, raw, masker, target, watch,
                                                stream)
            except requests.Timeout:
                failure = self._timed_out(method, url, timeout, masker, target)
            except (requests.RequestException, urllib3.exceptions.HTTPError, http.client.HTTPException,
                    OSError, UnicodeError) as e:     # UnicodeError: a proxy password that is not Latin-1
                if watch is not None and watch.state == TIMED_OUT or timeout and time.monotonic() - started >= timeout:
                    failure = self._timed_out(method, url, timeout, masker, target)
                else:
                    failure = self._failed(method, url, e, masker, target)
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
                                         + (f", request id {errors.visible(request_id)}" if request_id else "")))
            if response.status_code < 300:
                return received if raw else _parse_object(response, received, masker, target)
            if response.status_code == 407:     # only a proxy asks for this: the API never saw the request
                raise self._proxy_refused(method, url, response, masker, target)
            error = _status_error(response, received, masker, target, cfg.service)
            delay = self._retry_delay(response, received, attempt) if attempt < cfg.max_retry_count else None
            received = None     # (an answer may echo a credential: the error holds it masked, this frame not at all)
            if delay is None:
                raise error
            if deadline is not None and time.monotonic() + delay > deadline:
                raise error
            # (a host without notice(), pwsh's, shows it as a warning, as PSOpenAI does)
            getattr(self.host, "notice", self.host.warning)(
                f"{error.message} Retrying in {delay:.1f} s (attempt {attempt + 1} of {cfg.max_retry_count}).")
            sleep(delay, self.host)
        raise AssertionError("unreachable")

    def _proxy(self, url: str) -> str | None:
        """The proxy (with its credentials) a request to `url` goes through; None: direct."""
        site = self._site
        settings = self._network(url, site.settings if _origin(url) == site.home else None)
        return requests.utils.select_proxy(url, settings["proxies"])

    def _failed(self, method: str, url: str, e: BaseException, masker: Masker,
                target: Any) -> errors.APIConnectionError:
        """A request that got no answer: its real cause, and the proxy it went through, without credentials."""
        proxy = self._proxy(url)
        reason = _without_proxy_credentials(_reason(e), [proxy, *(os.environ.get(n) for n in _PROXY_VARIABLES)])
        through = f" through the proxy {_shown_proxy(proxy)}" if proxy else ""
        return errors.APIConnectionError(masker(f"The request {method} {url} failed{through}: {reason}"),
                                         target=target)

    def _proxy_refused(self, method: str, url: str, response: requests.Response, masker: Masker,
                       target: Any) -> errors.APIConnectionError:
        proxy = self._proxy(response.url)
        return errors.APIConnectionError(masker(
            f"{f'The proxy {_shown_proxy(proxy)}' if proxy else 'A proxy'} refused the request {method} {url}: "
            "proxy authentication is required (HTTP 407 Proxy Authentication Required). Check the proxy's user "
            "name and password."), status=407, target=target)

    def _timed_out(self, method: str, url: str, timeout: float | None, masker: Masker,
                   target: Any) -> errors.APITimeoutError:
        return errors.APITimeoutError(masker(f"The request {method} {url} timed out after {timeout:g} seconds."),
                                      target=target)

    def _send(self, method: str, url: str, data: Any, headers: dict[str, str], auth: _Auth,
              timeout: float | None, raw: bool, masker: Masker, target: Any,
              watch: _Watch | None, stream: bool = False) -> tuple[requests.Response, Any]:
        """One attempt: the request, any redirects, and the whole body, under one watch (stream: a 2xx
        body is left unread, as a Download that keeps the session until it is closed)."""
        session = _lend()
        try:
            with _watching(watch):
                response, received = self._attempt(session, method, url, data, headers, auth, timeout, raw,
                                                   masker, target, stream)
            if isinstance(received, Download):
                session = None      # the download's now, given back when it is closed
            return response, received
        finally:
            if session is not None:
                _give_back(session)

    def _attempt(self, session: requests.Session, method: str, url: str, data: Any, headers: dict[str, str],
                 auth: _Auth, timeout: float | None, raw: bool, masker: Masker, target: Any,
                 stream: bool) -> tuple[requests.Response, Any]:
        site = self._site
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
            adapter = session.get_adapter(prepared.url)
            network = self._network(url, site.settings if home else None)
            forget_sent()
            try:
                response = adapter.send(prepared, stream=True, timeout=timeout, **network)
            except requests.ConnectionError as e:
                if not _resendable(e, method, headers):
                    raise
                # The server closed the kept-alive connection as the request went out (its idle timeout or
                # request count, a restart): it never answered, so the request is sent again, once, on a
                # new connection. Only a request that may be repeated: a GET, a DELETE or one carrying
                # its Idempotency-Key (every POST of ours), since the server may have seen it.
                self.host.debug(f"{_reason(e)} on a kept-alive connection: sending {method} again on a new one.")
                adapter.poolmanager.clear()     # this session's other idle connections are as old
                if isinstance(data, MultipartBody):
                    data.rewind()       # (the prepared request holds the body itself)
                response = adapter.send(prepared, stream=True, timeout=timeout, **network)
            if stream and response.status_code < 300 and not response.is_redirect:
                return response, Download(self, method, url, response, session, timeout, masker, target)
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
        shown = errors.visible(location)
        if urlsplit(location).scheme not in ("http", "https"):
            raise errors.InvalidResponseError(masker(f"The request {method} {url} was redirected to {shown}, "
                                                     "which is not an http(s) URL."), status=status, target=target)
        if method != "GET" and status not in (307, 308):
            # a 301/302/303 would turn the request into a GET: the cancel or upload would silently not happen
            raise errors.InvalidResponseError(masker(
                f"The request {method} {url} was answered HTTP {status} with a redirect to {shown}; "
                f"following it would turn the {method} into a GET, so it was not followed. "
                "If the API has moved, set -ApiBase (api_base=) to its new address."),
                status=status, request_id=_request_id(response, masker), target=target)
        self.host.verbose(masker(f"HTTP {status}: {method} redirected to {shown}"))
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
                status=response.status_code, request_id=_request_id(response, masker), target=target)
        chunks.append(chunk)
    return b"".join(chunks)


def _check_complete(response: requests.Response, content: bytes | int) -> None:
    """urllib3 1.x hands back a body cut short by a dropped connection as if it were whole."""
    size = content if isinstance(content, int) else len(content)
    expected = response.headers.get("content-length")
    if expected and expected.isdigit() and "content-encoding" not in response.headers and int(expected) != size:
        raise requests.ConnectionError(f"connection closed after {size} of {expected} bytes of the response")


class Download:
    """A 2xx answer whose body is read as the caller iterates chunks(), so a file of any size costs one
    chunk of memory. What bounds it: each wait for the next chunk, not the whole download, is bounded by
    -TimeoutSec (the caller's pace is the pipeline's: a slow consumer must not time it out), the host's stop
    ends a read in flight, and the decoded size has MAX_CONTENT_BYTES' cap. Close it (or read it to its end)
    to give the connection back."""
    CHUNK = 64 << 10

    def __init__(self, client: ApiClient, method: str, url: str, response: requests.Response,
                 session: requests.Session, timeout: float | None, masker: Masker, target: Any):
        self._client, self.method, self.url, self.response = client, method, url, response
        self._session: requests.Session | None = session
        self._timeout, self._masker, self._target = timeout, masker, target
        self.size = 0       # decoded bytes read so far
        self._watch = None
        if timeout or client._stopping is not None:
            self._watch = _Watch(None, client._stopping)
            _watchdog.register(self._watch)
            self._watch.attach(getattr(getattr(response.raw, "_connection", None), "sock", None))

    @property
    def masker(self) -> Masker:
        """Masks the request's secrets (the API key, ApiBase's password...) in a text, as in its errors."""
        return self._masker

    @property
    def length(self) -> int:
        """The body's size as the answer states it (its Content-Length, when not compressed), else 0."""
        headers = self.response.headers
        stated = headers.get("content-length") or ""
        return int(stated) if stated.isdigit() and "content-encoding" not in headers else 0

    def chunks(self) -> Iterator[bytes]:
        """The decoded body, chunk by chunk; an APIConnectionError/APITimeoutError if it is cut off."""
        body, watch = self.response.iter_content(self.CHUNK), self._watch
        try:
            while True:
                if watch is not None and self._timeout:
                    watch.deadline = time.monotonic() + self._timeout
                try:
                    chunk = next(body, None)
                    if chunk is None:
                        _check_complete(self.response, self.size)
                        return
                except (requests.RequestException, urllib3.exceptions.HTTPError, http.client.HTTPException,
                        OSError) as e:
                    raise self._cut_off(e) from None
                finally:
                    if watch is not None:
                        watch.deadline = None       # the clock stops while the caller uses the chunk
                self.size += len(chunk)
                if self.size > MAX_CONTENT_BYTES:
                    raise errors.InvalidResponseError(self._masker(
                        f"The API's response to {self.method} {self.url} is larger than {MAX_CONTENT_BYTES >> 20} MB "
                        "once decoded; it was not read further."), status=self.response.status_code, target=self._target)
                yield chunk
        finally:
            self.close()

    def _cut_off(self, e: BaseException) -> errors.OpenAIError:
        client, state = self._client, self._watch.state if self._watch is not None else None
        if state == STOPPED:
            client.host.check_stop()
        # (a socket timeout reaches here as requests' ConnectionError: iter_content wraps urllib3's ReadTimeoutError
        # so; whichever of it and the watch comes first at the deadline, it is the same timeout)
        if state == TIMED_OUT or _innermost(e, (requests.Timeout, urllib3.exceptions.TimeoutError, TimeoutError)):
            return errors.APITimeoutError(self._masker(
                f"The request {self.method} {self.url} timed out after {self._timeout:g} seconds without more of "
                f"its body ({self.size} bytes read)."), target=self._target)
        failure = client._failed(self.method, self.url, e, self._masker, self._target)
        failure.message = f"{failure.message} (after {self.size} bytes of the body)"
        failure.args = (failure.message,)
        return failure

    def close(self) -> None:
        session, self._session = self._session, None
        if session is None:
            return
        if self._watch is not None:
            _watchdog.unregister(self._watch)
            self._watch.end()
        self.response.close()       # a body not read to its end: its connection is closed, not reused
        _give_back(session)


_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# How soon after it was sent a request must have failed to be sent again: a closed kept-alive connection fails
# within a round trip; a gateway that cuts a request it has been working on (its idle limit) fails later, and a
# POST it may have passed on is not repeated on the strength of an Idempotency-Key it may not honour.
RESEND_WINDOW = 2.0
# what a connection the server has closed fails with: no answer at all ('Remote end closed connection without
# response'), or a reset or broken pipe as the request is written
_CLOSED = (http.client.RemoteDisconnected, ConnectionResetError, ConnectionAbortedError, BrokenPipeError)


def _resendable(e: requests.ConnectionError, method: str, headers: Mapping[str, str]) -> bool:
    """Whether a request that failed without an answer is sent again on a new connection: it went out on a
    kept-alive connection that the server closed (not a timeout's or a stop's doing), and repeating it is
    safe (an idempotent method, or an Idempotency-Key, with which the API answers a repeat as the first)."""
    if not sent_on_kept_alive(RESEND_WINDOW):
        return False
    watch = getattr(_current, "watch", None)
    if watch is not None and watch.state != RUNNING:
        return False
    if method not in _IDEMPOTENT and not any(name.lower() == "idempotency-key" and _given(value)
                                             for name, value in headers.items()):
        return False
    return _innermost(e, _CLOSED)


def _given(value: Any) -> bool:
    return bool(value.strip()) if isinstance(value, str) else value is not None


def _innermost(e: BaseException, kinds: tuple[type[BaseException], ...]) -> bool:
    """Whether `e` or an error it wraps (its cause, or an argument: urllib3's ProtocolError) is one of `kinds`."""
    seen: set[int] = set()
    pending = [e]
    while pending:
        inner = pending.pop()
        if id(inner) in seen:
            continue
        seen.add(id(inner))
        if isinstance(inner, kinds):
            return True
        pending += [x for x in (inner.__cause__, inner.__context__, getattr(inner, "reason", None), *inner.args)
                    if isinstance(x, BaseException)]
    return False


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
    snippet = errors.visible(masker.cut(_start(content, masker), 200))
    raise errors.InvalidResponseError(
        masker(f"The API answered HTTP {response.status_code} with {what}" + (f": {snippet}" if snippet.strip() else ".")),
        status=response.status_code, request_id=_request_id(response, masker), target=target)


def _status_error(response: requests.Response, content: bytes, masker: Masker, target: Any,
                  service: str = "OpenAI") -> errors.APIStatusError:
    body = _json_or_none(content)
    err = body.get("error") if isinstance(body, dict) else None
    err = err if isinstance(err, dict) else {}
    server_message = err.get("message") or (masker.cut(_start(content, masker), 200).strip() if not body else "") \
        or response.reason or ""
    status = response.status_code
    cls = errors.status_error_class(status, err.get("code"), str(server_message))
    return cls(masker(errors.status_message(status, str(server_message), service)), status=status,
               type=masked_field(err.get("type"), masker), code=masked_field(err.get("code"), masker),
               param=masked_field(err.get("param"), masker), request_id=_request_id(response, masker), target=target,
               body=masked_json(err if err else body, masker))


def _start(content: bytes, masker: Masker) -> str:
    """The decoded start of a body, long enough for 200 characters and any secret that begins among them."""
    return content[:800 + masker.longest].decode("utf-8", "replace")


def _request_id(response: requests.Response, masker: Masker) -> str | None:
    """The answer's x-request-id, masked as the error's other fields are."""
    return masked_field(response.headers.get("x-request-id"), masker)
