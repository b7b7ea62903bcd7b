"""Configuration and credentials: ClientConfig (checked once, before anything is sent), the -Additional*
parameters, and the credential headers with the masker that hides them in every message.
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus, unquote, urlsplit

import requests

from . import errors
from .jsonbody import to_json
from .objects import to_plain
from .secrets import SECRET_HEADER, SECRET_QUERY, Masker, Secret, shown_url

DEFAULT_API_BASE = "https://api.openai.com/v1"


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
            r.headers[name] = value if isinstance(value, str) else value.reveal()
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
        and all(isinstance(v, str) for _, v in extra)     # (a QuietText too)
    cache_key = (cfg.api_key, cfg.organization, cfg.auth_type, extra, cfg.api_base, cfg.additional_query)
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
    masker = Masker([key.reveal(), org.reveal() if org is not None else "", *revealed,
                     *_base_url_secrets(cfg.api_base), *_query_secrets(cfg.additional_query)])
    if not plain:
        return _Auth(headers), masker
    found = _Auth({name: secret.reveal() for name, secret in headers.items()}), masker
    if len(_credentials_cache) >= 64:
        _credentials_cache.clear()
    _credentials_cache[cache_key] = found
    return found


def _base_url_secrets(api_base: str) -> list[str]:
    """The password of ApiBase's user:password@ (a gateway's basic auth), or a lone user name (often a token),
    as written and decoded: messages show ApiBase's URLs, and these are credentials like the key."""
    userinfo = api_base.split("://", 1)[-1].split("/", 1)[0].rpartition("@")[0]
    secret = userinfo.partition(":")[2] if ":" in userinfo else userinfo
    return [secret, unquote(secret)] if secret else []


def _query_secrets(query: tuple[tuple[str, str], ...]) -> list[str]:
    """The -AdditionalQuery values whose names say they are credentials (a gateway's `api-key`, `token`, an
    Azure SAS `sig`, an Azure Functions `code`), as sent and URL-encoded: messages show the request's URL."""
    return [form for name, value in query if SECRET_QUERY.search(name) for form in (value, quote_plus(value))]


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

    def __repr__(self) -> str:
        # what a traceback with locals or a log of the config shows: ApiBase's password, the credential-looking
        # query values and the secret headers masked, like the key
        shown = {**self.__dict__, "api_base": shown_url(self.api_base),
                 "additional_query": tuple((n, "****" if SECRET_QUERY.search(n) else v) for n, v in self.additional_query),
                 "secret_headers": tuple((n, "****") for n, _ in self.secret_headers)}
        return f"ClientConfig({', '.join(f'{k}={v!r}' for k, v in shown.items())})"

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
            raise errors.ConfigurationError(f"ApiBase must be an absolute http(s) URL, got {shown_url(base)!r}.")
        if parts.query or parts.fragment:
            raise errors.ConfigurationError(f"ApiBase must not have a query or fragment, got {shown_url(base)!r}.")
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
        if isinstance(value, Secret) or SECRET_HEADER.search(name):
            secret[name] = value if isinstance(value, (Secret, str)) else str(value)
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
