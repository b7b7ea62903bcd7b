"""The session's proxy as Invoke-RestMethod sees it: PowerShell's web cmdlets send through .NET's
HttpClient.DefaultProxy (the HTTP(S)_PROXY/NO_PROXY variables as .NET read them, with `$env:` changes made in
the session, or what a script set with [System.Net.Http.HttpClient]::DefaultProxy = …), while the hosted
Python's os.environ is the one pwsh started with. The HTTP core asks the host (PowerShellHost.proxy_for) for
each URL, so a request goes where Invoke-RestMethod's would.
"""
from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit

import clr

from System import Object, Uri  # noqa: E402

try:    # (pwsh has loaded it by then; AddReference costs a cold process milliseconds even so: psbridge.dotnet)
    from System.Net.Http import HttpClient  # noqa: E402
except ImportError:
    clr.AddReference("System.Net.Http")
    from System.Net.Http import HttpClient  # noqa: E402

# The DefaultProxy the answers below came from, and its answer per origin: asked once per origin until a
# script replaces the proxy object (a new `$env:` value reaches .NET only through a new proxy object too).
_current = None
_answers: dict[tuple[str, str, int | None], str | None] = {}


def proxy_for(url: str) -> str | None:
    """The proxy URL (with its credentials) for a request to `url`, or None to go direct."""
    global _current
    proxy = HttpClient.DefaultProxy
    if _current is None or not Object.ReferenceEquals(proxy, _current):
        _current = proxy
        _answers.clear()
    parts = urlsplit(url)
    origin = (parts.scheme, (parts.hostname or "").lower(), parts.port)
    if origin in _answers:
        return _answers[origin]
    answer = _ask(proxy, url)
    if len(_answers) >= 64:
        _answers.clear()
    _answers[origin] = answer
    return answer


def _ask(proxy, url: str) -> str | None:
    if proxy is None:
        return None
    target = Uri(url)
    if proxy.IsBypassed(target):
        return None
    via = proxy.GetProxy(target)
    if via is None or via.AbsoluteUri == target.AbsoluteUri:
        return None     # a WebProxy without an address answers the destination itself: go direct
    text = via.OriginalString
    parts = urlsplit(text)
    if parts.username is None and proxy.Credentials is not None:
        credential = proxy.Credentials.GetCredential(via, "Basic")
        if credential is not None and credential.UserName:
            userinfo = quote(credential.UserName, safe="") + ":" + quote(credential.Password or "", safe="")
            text = urlunsplit((parts.scheme, f"{userinfo}@{parts.netloc}", parts.path, parts.query, parts.fragment))
    return text
