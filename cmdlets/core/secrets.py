"""Secrets (API key, organization id): revealed only when a request needs them, masked everywhere else."""
from __future__ import annotations

import json
import re
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import unquote_plus


class Secret:
    """A value that never prints itself. `reveal` may decrypt on demand (a SecureString from pwsh).
    `plain`: made of a Python string, which is in memory as text anyway, so what is derived from it (the
    header value, the masker) may be kept; a secret that decrypts on demand is revealed per request."""
    __slots__ = ("_reveal", "plain")

    def __init__(self, reveal: Callable[[], str], plain: bool = False):
        self._reveal = reveal
        self.plain = plain

    @classmethod
    def of(cls, value: "str | Secret | None") -> "Secret | None":
        if value is None or isinstance(value, Secret):
            return value
        if isinstance(value, str):      # (a QuietText too)
            # one Secret per text: configurations using the same key are equal, so what is resolved for
            # one (headers, masker, settings) serves the next call too
            secret = _by_text.get(value)
            if secret is None:
                if len(_by_text) >= _MAX_INTERNED:
                    _by_text.clear()
                secret = _by_text[value] = cls(lambda: value, plain=True)
            return secret
        return cls(lambda: value)

    def reveal(self) -> str:
        return self._reveal()

    def prefixed(self, prefix: str) -> "Secret":
        """A secret that reveals as prefix + this one (e.g. "Bearer " + key), still revealed only on demand."""
        return Secret(lambda: prefix + self._reveal(), plain=self.plain)

    def __repr__(self) -> str:
        return "Secret('****')"

    __str__ = __repr__

    def __reduce__(self):  # pickling would write the value out
        raise TypeError("a Secret cannot be pickled")


def wrap_given(kwargs: dict, names: Iterable[str], refuse: Callable[[str, str], Exception]) -> None:
    """Wraps each of `names` given in `kwargs` in place, first thing, so that no frame below shows it. A value of
    another type (bytes read from a key file...) is still a key: it is taken out of kwargs and refused by its type
    alone, refuse(name, type name) making the error."""
    for name in kwargs.keys() & set(names):
        value = kwargs[name]
        if isinstance(value, str):
            kwargs[name] = Secret.of(value)
        elif value is not None and not isinstance(value, Secret):
            kind = type(value).__name__
            del kwargs[name], value
            raise refuse(name, kind)


_by_text: dict[str, Secret] = {}
_MAX_INTERNED = 64


# Query entries whose values are credentials (a gateway's `api-key`, `token`, an Azure SAS `sig`, an Azure
# Functions `code`): masked wherever a URL or its query is shown.
SECRET_QUERY = re.compile(r"auth|key|token|secret|passw|signature|credential|session|^sig$|^code$", re.IGNORECASE)
# Additional headers whose values are credentials: masked in every message like the key, and sent only to
# ApiBase's origin. A SecureString value is always treated as one.
SECRET_HEADER = re.compile(r"auth|key|token|secret|passw|cookie|signature|credential|session|organization",
                           re.IGNORECASE)


class QuietText(str):
    """Text that is itself everywhere (sent, compared, formatted, JSON) except in repr(), which is what a
    traceback showing its frames' locals uses (pytest -l, error trackers): there it is masked. For the
    credentials a setting may hold besides the key, so that the frames between a call and its error hide them."""
    __slots__ = ()

    def __repr__(self) -> str:
        return "'****'"


class QuietUrl(QuietText):
    """A URL whose repr() masks its password and credential-looking query values (shown_url)."""
    __slots__ = ()

    def __repr__(self) -> str:
        return repr(shown_url(str(self)))


def quiet_settings(kwargs: dict, names: Mapping[str, str]) -> None:
    """Gives, in place and first thing (as wrap_given), a masked repr to the credentials a call's settings may
    hold: ApiBase's user:password@ or query, and the credential-looking values of AdditionalHeaders and
    AdditionalQuery (a mapping given is replaced by a dict, the caller's own left as it is). `names`: keyword
    -> the parameter's python_name."""
    for key in kwargs.keys() & names.keys():
        value, name = kwargs[key], names[key]
        if name == "api_base":
            if type(value) is str and ("@" in value or "?" in value):
                kwargs[key] = QuietUrl(value)
        elif isinstance(value, Mapping):
            secret = SECRET_HEADER if name == "additional_headers" else SECRET_QUERY
            if any(type(v) is str and secret.search(str(k)) for k, v in value.items()):
                kwargs[key] = {k: QuietText(v) if type(v) is str and secret.search(str(k)) else v
                               for k, v in value.items()}


QUIET_SETTINGS = ("api_base", "additional_headers", "additional_query")


def shown_url(url: str) -> str:
    """A URL as an error may show it before there is a masker (a base URL refused as malformed): the password
    of its user:password@ (or a lone user name, often a token) and credential-looking query values masked.
    Everything up to the last '@' counts as user info, since a malformed URL (an unencoded '/', '?' or '#'
    in the password) cannot be parsed: better too much masked than a password shown."""
    scheme, sep, rest = url.partition("://")
    scheme, rest = (scheme + sep, rest) if sep else ("", url)
    userinfo, at, rest = rest.rpartition("@")
    if at:
        user, colon, _ = userinfo.partition(":")
        scheme += f"{user}:****@" if colon else "****@"
    head, question, query = rest.partition("?")
    if question:
        query, hash_, fragment = query.partition("#")
        entries = []
        for entry in query.split("&"):
            name, equals, value = entry.partition("=")
            entries.append(f"{name}=****" if equals and value and SECRET_QUERY.search(unquote_plus(name)) else entry)
        rest = f"{head}?{'&'.join(entries)}{hash_}{fragment}"
    return scheme + rest


_QUERY_ENTRY = re.compile(r"([?&])([^=&?#\s\"']+)=([^&#\s\"']+)")


def shown_queries(text: str) -> str:
    """`text` with the credential-looking query values of every URL or request line in it masked (a log line
    of urllib3's: 'GET /v1/files?api-key=**** HTTP/1.1')."""
    return _QUERY_ENTRY.sub(lambda m: f"{m[1]}{m[2]}=****" if SECRET_QUERY.search(unquote_plus(m[2])) else m[0], text)


def mask(value: str) -> str:
    """Like PSOpenAI: enough of a long key to tell which one it is, never enough to use it."""
    return f"{value[:3]}{'*' * 8}{value[-2:]}" if len(value) >= 16 else "*" * 8


class Masker:
    """Replaces every known secret in a text, case-insensitively: each of `secrets` with its mask, each key
    of `replacements` with its value."""

    def __init__(self, secrets: Iterable[str] = (), replacements: Mapping[str, str] | None = None):
        self._replacements = {k.lower(): v for k, v in (replacements or {}).items()}
        self._secrets = tuple(secrets)
        values = sorted({s for s in (*secrets, *self._replacements) if s and len(s) >= 4}, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, values)), re.IGNORECASE) if values else None
        self.longest = len(values[0]) if values else 0

    def plus(self, secrets: Iterable[str]) -> "Masker":
        """A masker of these secrets too."""
        return Masker((*self._secrets, *secrets), self._replacements)

    def cut(self, text: str, limit: int) -> str:
        """The first `limit` characters of `text`, masked before they are cut: a secret the cut would split
        must not show its first part."""
        return self(text[:limit + self.longest])[:limit]

    def __call__(self, text: str) -> str:
        if self._pattern is None or not text:
            return text
        return self._pattern.sub(self._replace, text)

    def _replace(self, m: re.Match) -> str:
        found = m.group(0)
        return self._replacements.get(found.lower()) or mask(found)


def masked_field(value: Any, masker: Masker) -> Any:
    """A field of a server's error (type, code, param, the x-request-id header) with the request's secrets
    masked: it is kept on the error (in pwsh the exception's Type, Code, Param, RequestId and Content), and a
    server may echo anything there. A number stays a number unless it shows a secret; other JSON becomes text."""
    if value is None or isinstance(value, (bool, int, float)) and masker(str(value)) == str(value):
        return value
    return masker(value if isinstance(value, str) else json.dumps(value))


def masked_json(value: Any, masker: Masker) -> Any:
    """A JSON value (a server's error body) with the request's secrets masked in every string and key, its
    shape kept: a number or boolean that would show a secret becomes masked text."""
    if isinstance(value, dict):
        return {masker(str(k)): masked_json(v, masker) for k, v in value.items()}
    if isinstance(value, list):
        return [masked_json(v, masker) for v in value]
    if isinstance(value, str):
        return masker(value)
    return masked_field(value, masker)
