"""The Python half of the bridge, running inside pwsh (hosted by Python.Runtime, so `clr` exists).

PSOpenAIBridge.psm1 calls `load()` once per import: it returns the generated functions' text and one
delegate per cmdlet, which the function's process block calls once per pipeline item with $PSCmdlet,
the stream flags and the parameter values. Costs matter here: each call from Python into .NET goes
through pythonnet's reflection (microseconds; a method with many overloads, far more), so the hot path
uses few of them (overloads resolved once, messages nobody sees not sent), and output goes back as one
JSON string that PowerShell's own JSON reader turns into PSCustomObjects, the way PSOpenAI builds its
objects with ConvertFrom-Json. A lazy result (a generator: a list read page by page) goes back as a
delegate instead, which PowerShell calls for one item at a time (see _Stream), so that a pipeline that
stops early (Select-Object -First) stops the requests too.
"""
from __future__ import annotations

import base64
import json
import os
import traceback
from functools import lru_cache
from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from types import GeneratorType
from typing import Any

import clr  # the bridge to .NET; provided by Python.Runtime

# pythonnet finds types only in loaded assemblies, and which ones pwsh has loaded depends on how it was
# started (startup-profile cache, console or job): load each assembly named below rather than assume it.
for _assembly in ("System.Management.Automation", "System.Net.Primitives"):
    clr.AddReference(_assembly)
from System import (ArgumentException, Array, DateTime, Exception as NetException, Func, Int32, Int64,
                    InvalidOperationException, Object, String, TimeoutException)
from System.Collections import IDictionary, IEnumerable
from System.Collections.Generic import Dictionary
from System.Management.Automation import (Cmdlet, ErrorCategory, ErrorRecord, LanguagePrimitives,
                                          PipelineStoppedException,
                                          ProgressRecord, ProgressRecordType, PSCustomObject, PSObject,
                                          SwitchParameter)
from System.Net import NetworkCredential
from System.Security import SecureString

from cmdlets.core import errors
from cmdlets.core.collect import new_collector
from cmdlets.core.errors import OpenAIError
from cmdlets.core.host import Native
from cmdlets.core.invoke import run
from cmdlets.core.manifest import load_manifests
from cmdlets.core.objects import OBJECT_TYPES, ApiObject, typed_members
from cmdlets.core.secrets import Secret

from . import generator
from .threadstate import pin as pin_thread_state

# What PowerShell sees of each error, as PSOpenAI shows it: API failures become its APIRequestException
# classes (Errors.ps1, built by New-PSOpenAIBridgeErrorRecord); the cmdlets' own refusals are the .NET
# exceptions PSOpenAI writes (error id: the exception's type name, as Write-Error -Exception gives).
_API_EXCEPTION_NAMES = {errors.BadRequestError: "BadRequestException", errors.UnauthorizedError: "UnauthorizedException",
                        errors.PermissionDeniedError: "PermissionDeniedException", errors.NotFoundError: "NotFoundException",
                        errors.ConflictError: "ConflictException",
                        errors.UnprocessableEntityError: "UnprocessableEntityException",
                        errors.RateLimitExceededError: "RateLimitExceededException",
                        errors.QuotaLimitExceededError: "QuotaLimitExceededException"}
_OWN_EXCEPTIONS = {errors.InvalidOperationError: InvalidOperationException, errors.ParameterBindingError: ArgumentException,
                   errors.ConfigurationError: ArgumentException, errors.WaitTimeoutError: TimeoutException,
                   errors.APITimeoutError: TimeoutException}
_API_CLASSES = {cls.ps_type_name: cls for cls in OBJECT_TYPES.values()}
_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


# Resolved once: pythonnet picks an overload on every call otherwise, which costs far more than the call.
_WRITE_VERBOSE = Cmdlet.WriteVerbose.__overloads__[String]
_WRITE_DEBUG = Cmdlet.WriteDebug.__overloads__[String]
_WRITE_WARNING = Cmdlet.WriteWarning.__overloads__[String]
_WRITE_PROGRESS = Cmdlet.WriteProgress.__overloads__[ProgressRecord]
_WRITE_ERROR = Cmdlet.WriteError.__overloads__[ErrorRecord]
_SHOULD_PROCESS = Cmdlet.ShouldProcess.__overloads__[String, String]
_SAME_OBJECT = Object.ReferenceEquals.__overloads__[Object, Object]

VERBOSE, DEBUG = 1, 2       # the stream flags the generated begin block computes
# -Debug without -WarningAction: the function's own WriteWarning would ask for confirmation (PowerShell
# turns the Debug switch into Inquire for warnings), so warnings go through Write-Warning, which reads
# the caller's $WarningPreference like any script's warning.
WARN_BY_SCRIPT = 4
MAY_DECLINE = 8     # ShouldProcess may say no or ask (-WhatIf, -Confirm, a low $ConfirmPreference)
_STREAM_BITS = {"verbose": VERBOSE, "debug": DEBUG}


@lru_cache(maxsize=None)
def _script_block(text: str):
    """A script block parsed once, on first use (unbound: it runs in the session state it is invoked in)."""
    from System.Management.Automation import ScriptBlock
    return ScriptBlock.Create(text)


def _write_warning_by_script(message: str) -> None:
    _script_block("param($Message) Write-Warning -Message $Message").Invoke(message)


def _by_class(table: dict[type, Any], exc: Exception, default: Any = None) -> Any:
    """The table's entry for the error's class or its nearest base class listed there."""
    return next((table[c] for c in type(exc).__mro__ if c in table), default)


def clr_text(text: str) -> str:
    """Text that .NET can hold: a lone surrogate (from a bad \\ud83d escape in a server's JSON) cannot
    cross pythonnet's string conversion, so each becomes U+FFFD rather than the whole message failing."""
    if text.isascii():
        return text
    try:
        text.encode("utf-16-le")
        return text
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)


class PowerShellHost:
    """cmdlets' host interface over the running advanced function's $PSCmdlet."""
    __slots__ = ("cmdlet", "streams", "originals", "_activity_id")

    def __init__(self, cmdlet, streams: int = VERBOSE | DEBUG, originals: dict[int, Any] | None = None):
        self.cmdlet = cmdlet
        self.streams = streams
        self.originals = originals if originals is not None else {}   # id(converted) -> what pwsh passed
        self._activity_id = None

    def write_error(self, error: Exception) -> None:
        """One bad item among many: a non-terminating error record (terminating under -ErrorAction Stop)."""
        if not isinstance(error, OpenAIError):
            error = OpenAIError(str(error))
        _WRITE_ERROR(self.cmdlet, error_record(error, self.originals, self.cmdlet))

    def wants(self, stream: str) -> bool:
        """Whether anyone sees the stream ("verbose", "debug"): the flags the begin block computed."""
        return bool(self.streams & _STREAM_BITS.get(stream, 0))

    def verbose(self, message: str) -> None:
        if self.streams & VERBOSE:
            _WRITE_VERBOSE(self.cmdlet, clr_text(message))

    def debug(self, message: str) -> None:
        if self.streams & DEBUG:
            _WRITE_DEBUG(self.cmdlet, clr_text(message))

    def warning(self, message: str) -> None:
        if self.streams & WARN_BY_SCRIPT:
            _write_warning_by_script(clr_text(message))
        else:
            _WRITE_WARNING(self.cmdlet, clr_text(message))

    def progress(self, activity: str, status: str, percent: int | None = None, completed: bool = False) -> None:
        self.check_stop()
        if self._activity_id is None:       # one progress bar per call; ids only need to differ while shown
            self._activity_id = id(self) & 0x3FFFFFFF
        record = ProgressRecord(self._activity_id, activity, status or " ")
        if percent is not None:
            record.PercentComplete = max(0, min(100, int(percent)))
        if completed:
            record.RecordType = ProgressRecordType.Completed
        _WRITE_PROGRESS(self.cmdlet, record)    # throws PipelineStoppedException once the pipeline stops

    def should_process(self, target: Any, action: str) -> bool:
        if not self.streams & (MAY_DECLINE | VERBOSE):
            return True     # what ShouldProcess would answer (and it would write nothing), without the call
        return bool(_SHOULD_PROCESS(self.cmdlet, str(target), str(action)))

    def check_stop(self) -> None:
        # Raised as the .NET exception, so it leaves Python unwrapped and PowerShell stops cleanly.
        if self.cmdlet.Stopping:
            raise PipelineStoppedException()

    def stopping(self) -> bool:
        """Polled by the HTTP core's watchdog thread to end a request in flight once the pipeline stops."""
        return bool(self.cmdlet.Stopping)

    def context(self):
        """The session context: PSOpenAI's $global:PSOpenAIContextDictionary of the calling runspace."""
        from .context import SessionContext
        return SessionContext(self.cmdlet)


# --- PowerShell -> Python -------------------------------------------------------------------------

def _reveal_secure_string(value) -> Secret:
    # Decrypted only when a request needs it, for that request.
    return Secret(lambda: NetworkCredential("", value).Password)


def _unwrap(value: Any) -> Any:
    # type() identity first: isinstance against a .NET type costs pythonnet a couple of microseconds.
    if type(value) is PSObject and not isinstance(value.BaseObject, PSCustomObject):
        return value.BaseObject
    return value


def to_python(value: Any, depth: int = 0) -> Any:
    """A PowerShell value as plain Python: PSCustomObject -> dict (or the ApiObject its PSTypeName names),
    hashtable -> dict, collection -> list, datetime -> aware datetime, SecureString -> Secret."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value                                    # pythonnet already converted the primitives
    if depth > 64:
        raise OpenAIError("The input object is nested too deeply.")
    if type(value) is PSObject:
        base = value.BaseObject
        if not isinstance(base, PSCustomObject):
            return to_python(base, depth)
        cls = _API_CLASSES.get(next(iter(value.TypeNames), None))
        if cls is not None:     # an API object: read lazily, as cmdlets read few of its properties
            return cls(_PSObjectProperties(value, cls.timestamp_fields, depth + 1))
        return {p.Name: to_python(p.Value, depth + 1) for p in value.Properties}
    if isinstance(value, DateTime):
        return datetime.fromtimestamp((value.ToUniversalTime() - DateTime.UnixEpoch).TotalSeconds, timezone.utc)
    if isinstance(value, SwitchParameter):
        return bool(value.IsPresent)
    if isinstance(value, SecureString):
        return _reveal_secure_string(value)
    if isinstance(value, IDictionary):
        # By entry, never value[key]: the key converted to Python (an int) would miss a hashtable's Int32
        # key, and an ordered dictionary's int indexer is positional.
        converted = {}
        entries = value.GetEnumerator()
        while entries.MoveNext():
            converted[_key_text(to_python(entries.Key, depth + 1))] = to_python(entries.Value, depth + 1)
        return converted
    if isinstance(value, IEnumerable) and not isinstance(value, String):
        return [to_python(v, depth + 1) for v in value]
    return value


class _PSObjectProperties(Mapping):
    """A PSCustomObject's properties as a read-only mapping, each converted when first read: a piped batch
    has some twenty properties, nested ones included, and Stop-Batch reads two (id, status). Timestamps
    go back to the unix seconds the API sent (PowerShell shows them as [datetime])."""
    __slots__ = ("_object", "_stamps", "_depth", "_read", "_names")

    def __init__(self, ps_object, timestamp_fields: frozenset[str], depth: int):
        self._object, self._stamps, self._depth = ps_object, timestamp_fields, depth
        self._read: dict[str, Any] = {}
        self._names: list[str] | None = None

    def __getitem__(self, key: str) -> Any:
        try:
            return self._read[key]
        except KeyError:
            pass
        prop = self._object.Properties[key] if isinstance(key, str) else None
        if prop is None or prop.Name != key:
            raise KeyError(key)     # (PowerShell's look-up ignores case; a mapping's does not)
        value = to_python(prop.Value, self._depth)
        if key in self._stamps and isinstance(value, datetime):
            value = int((value - _UNIX_EPOCH).total_seconds())
        self._read[key] = value
        return value

    def names(self) -> list[str]:
        if self._names is None:
            self._names = [p.Name for p in self._object.Properties]
        return self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.names())


def _key_text(key: Any) -> str:
    """A dictionary key as a JSON object key: text (1 -> '1', as ConvertTo-Json writes it)."""
    return key if isinstance(key, str) else str(key)


def _nonempty(value: Any) -> Any:
    return value if value != "" else None     # '' is what an unbound [string] / [uri] variable holds


def _switch(value: Any) -> Any:
    return True if value else None            # an absent switch is not an argument


# The SecureString the last call passed and its Secret: a pipeline passes the same one for every item (the
# begin block resolves -ApiKey/$global:/$env: once), so it is decrypted once per pipeline, not per request.
_last_secure: tuple[Any, Secret | None] = (None, None)


def _secret(value: Any) -> Any:
    global _last_secure
    value = _unwrap(value)
    if type(value) is SecureString:
        last, secret = _last_secure
        if last is None or not (last is value or _SAME_OBJECT(last, value)):
            secret = Secret.of(NetworkCredential("", value).Password)
            _last_secure = (value, secret)
        return secret
    return Secret.of(value) if isinstance(value, str) and value else None


def _strings(value: Any) -> Any:
    value = _unwrap(value)
    return [value] if isinstance(value, str) else [str(to_python(v)) for v in value]


def _bytes(value: Any) -> Any:
    return bytes(_unwrap(value))


class _Gathering:
    """One pipeline's collector for a collecting parameter (see _Cmdlet.gather). When the collector keeps the
    items themselves (the default list), also what PowerShell passed for each, so that an error the cmdlet
    reports in the end block names the original object; a collector that lets items go keeps no such map
    (the ids of freed items are reused)."""
    __slots__ = ("collector", "originals")

    def __init__(self, collector: Any):
        self.collector = collector
        self.originals: dict[int, Any] | None = {} if getattr(collector, "keeps_items", False) else None


def _collected(gathering: _Gathering, originals: dict[int, Any]) -> Any:
    """What was gathered, as the implementation takes it."""
    if gathering.originals:
        originals.update(gathering.originals)
    return gathering.collector.result()


_CONVERTERS = {"String": _nonempty, "String[]": _strings, "SwitchParameter": _switch, "Uri": _nonempty,
               "SecureString": _secret, "Byte[]": _bytes, "IDictionary": to_python, "Object": to_python}


def _converter(p) -> Any:
    if p.collect:
        return _collected
    if p.type == "String" and generator.needs_bound_check(p):
        return None             # None (unbound) or exactly what was bound, '' included
    return _CONVERTERS.get(p.type)


# pwsh resolved the fallbacks ($global:, then $env:) itself; Python's copy of the environment is the
# one the process started with (.NET on Unix does not write $env: changes through), so it is not read.
NO_ENVIRONMENT: dict[str, str] = {}


class _Cmdlet:
    """One cmdlet's entry point: the values the generated process block passes, in manifest order
    (see generator.value_expression), become python_name -> value for the implementation."""

    def __init__(self, manifest):
        self.manifest = manifest
        self.params = [(i, p.python_name, _converter(p), p.collect) for i, p in enumerate(manifest.parameters)]
        # (Wider Func types would spare the array, but pythonnet cannot build their dispatcher type.)
        self.delegate = Func[Object, Object, Object, Object](self.call)
        # One per collecting parameter: the process block hands it each item (generator.function_text).
        self.gatherers = {p.name: Func[Object, Object, Object, Object](
            lambda cmdlet, streams, values, parameter=p: self.gather(parameter, cmdlet, streams, values))
            for p in manifest.parameters if p.collect}

    def call(self, cmdlet, streams: int, values) -> Any:
        """The output text, None, or for a lazy result the delegate of its _Stream."""
        pin_thread_state()
        arguments: dict[str, Any] = {}
        originals: dict[int, Any] = {}      # converted value -> what PowerShell passed, for error targets
        for i, python_name, convert, collect in self.params:
            value = values[i]
            if value is None:
                continue
            if collect:
                converted = convert(value, originals)
            else:
                converted = convert(value) if convert is not None else value
            if converted is not None:
                arguments[python_name] = converted
                if converted is not value:
                    originals[id(converted)] = value
        host = PowerShellHost(cmdlet, streams, originals)
        try:
            # PowerShell bound and validated the arguments and chose the set: what invoke() does after
            # its binder, with the manifest at hand.
            result = run(self.manifest, cmdlet.ParameterSetName, arguments, host, environ=NO_ENVIRONMENT)
            if type(result) is Native:
                return result.value
            if not _is_lazy(result):
                return output_text(result)
        except OpenAIError as exc:
            return report_error(cmdlet, exc, originals)
        except NetException:
            raise   # PipelineStoppedException, ActionPreferenceStopException...: PowerShell's own
        except Exception as exc:    # a bug: stop this cmdlet with the Python details, not a bare trace
            self._python_error(cmdlet, streams, exc)
        return _Stream(self, result, cmdlet, streams, originals).delegate

    def gather(self, parameter, cmdlet, streams: int, values) -> Any:
        """One process block's value of a collecting parameter, handed to the pipeline's _Gathering (values[0],
        made on the first item; PowerShell keeps it in a variable until the end block passes it to call).
        An array bound at once is taken item by item, as PowerShell's foreach would."""
        pin_thread_state()
        gathering, value = values[0], values[1]
        if value is None:
            # PowerShell bound this item to another parameter set (a plain object piped among request items
            # binds to -FileId as its text) and left this parameter bound but empty: say so, not drop it.
            if cmdlet.ParameterSetName not in parameter.sets:
                PowerShellHost(cmdlet, streams).write_error(errors.ParameterBindingError(
                    f"A pipeline item was bound to the {cmdlet.ParameterSetName} parameter set, not to "
                    f"-{parameter.name}, and is skipped: every item piped with the others must be "
                    f"{'a ' + parameter.ps_type_name if parameter.ps_type_name else 'one for -' + parameter.name}."))
            return gathering
        originals: dict[int, Any] = {}
        try:
            if gathering is None:
                gathering = _Gathering(new_collector(self.manifest.load_implementation(), parameter.python_name))
            host = PowerShellHost(cmdlet, streams, originals)
            enumerable = LanguagePrimitives.GetEnumerable(value)
            for original in (value,) if enumerable is None else enumerable:
                item = to_python(original)
                originals.clear()
                if item is not original:
                    originals[id(item)] = original
                    if gathering.originals is not None:
                        gathering.originals[id(item)] = original
                gathering.collector.add(host, item)
        except OpenAIError as exc:      # (a collector sends no request: never an API failure to throw)
            report_error(cmdlet, exc, originals)
        except NetException:
            raise
        except Exception as exc:
            self._python_error(cmdlet, streams, exc)
        return gathering

    def _python_error(self, cmdlet, streams: int, exc: Exception) -> None:
        detail = clr_text("".join(traceback.format_exception_only(type(exc), exc)).strip())
        if streams & DEBUG:
            _WRITE_DEBUG(cmdlet, clr_text("".join(traceback.format_exception(type(exc), exc, exc.__traceback__))))
        cmdlet.ThrowTerminatingError(ErrorRecord(
            InvalidOperationException(f"Python error in {self.manifest.name}: {detail}"), "PythonError",
            ErrorCategory.NotSpecified, None))


def _is_lazy(result: Any) -> bool:
    """A generator or other iterator (map, iter(...)), whose every next() may send a request. API objects,
    mappings and lists are iterable but not iterators: they go back whole, as before (no added cost)."""
    if type(result) is GeneratorType:
        return True
    if result is None or isinstance(result, _WHOLE):
        return False
    return hasattr(type(result), "__next__")     # on the type: ApiObject.__getattr__ is not asked


_WHOLE = (ApiObject, dict, list, tuple, str, bytes, bytearray, memoryview)


class _Stream:
    """A lazy result, handed to PowerShell as a delegate that it calls once per chunk (one item): each call
    takes the GIL, advances the iterator and gives the GIL back with the chunk's text, so PowerShell
    writes the chunk, and runs the downstream commands, without the GIL. Downstream commands may call
    Python again on this thread or wait on other threads that do; neither would be safe with the GIL held
    across the write. When the pipeline stops early (Select-Object -First raises
    StopUpstreamCommandsException in PowerShell, Ctrl+C, an error), PowerShell calls the delegate with
    $true from a finally block and the iterator is closed: no further request is sent.
    (Called with $false: the next chunk's text, or None at the end.)"""
    __slots__ = ("owner", "iterator", "cmdlet", "streams", "originals", "delegate")

    def __init__(self, owner: _Cmdlet, iterator, cmdlet, streams: int, originals: dict[int, Any]):
        self.owner, self.iterator, self.cmdlet, self.streams, self.originals = owner, iterator, cmdlet, streams, originals
        self.delegate = Func[Object, Object](self.next)

    def next(self, close) -> str | None:
        pin_thread_state()
        iterator = self.iterator
        if iterator is None:
            return None
        if close:
            self.close()
            return None
        try:
            item = next(iterator, _END)
            if item is not _END:
                # With it, whatever is at hand without another request (the rest of a page): one
                # crossing and one JSON read per page rather than per object.
                ready = getattr(iterator, "ready", None)
                count = ready() if ready is not None else 0
                return output_text([item, *(next(iterator) for _ in range(count))] if count else (item,))
        except OpenAIError as exc:
            self.close()
            return report_error(self.cmdlet, exc, self.originals)
        except NetException:
            self.close()
            raise
        except Exception as exc:
            self.close()
            self.owner._python_error(self.cmdlet, self.streams, exc)
        self.iterator = None    # exhausted
        return None

    def close(self) -> None:
        iterator, self.iterator = self.iterator, None
        close = getattr(iterator, "close", None)
        if close is not None:
            close()     # GeneratorExit at its yield: its finally blocks run, no further page is read


_END = object()


# --- Python -> PowerShell -------------------------------------------------------------------------

def _json_default(value: Any) -> Any:
    if hasattr(value, "raw") and isinstance(value.raw, Mapping):   # a (nested) JsonObject
        return value.raw if isinstance(value.raw, dict) else dict(value.raw)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (tuple, set, frozenset)):
        return list(value)
    raise TypeError(f"{type(value).__name__} cannot be sent to PowerShell")


def _json_ready(item: Any) -> Any:
    if not isinstance(item, ApiObject):
        return item
    raw = item.raw
    if not isinstance(raw, dict):       # an object PowerShell passed in, read lazily: all of it now
        raw = dict(raw)
    stamps = [k for k in item.ps_timestamp_fields if type(raw.get(k)) is int and raw[k]]
    if not stamps:
        return raw
    raw = dict(raw)
    for key in stamps:
        # ISO text with the local offset: PowerShell's JSON reader makes it a local [datetime], which is
        # how PSOpenAI shows timestamps (and costs it no more than a number); moved last, as PSOpenAI's
        # Add-Member -Force does.
        raw[key] = datetime.fromtimestamp(raw.pop(key), timezone.utc).astimezone().isoformat()
    return raw


BYTES = "[byte[]]"     # the type-name slot of an item that is binary content (sent as base64)


def _string_lists(notes: dict[str, Any]) -> str:
    """The note properties PowerShell casts to [string[]] (a JSON array of text reads as object[])."""
    return ",".join(k for k, v in notes.items() if isinstance(v, list) and v and all(isinstance(x, str) for x in v))


def _typed(obj: ApiObject) -> tuple[str, dict[str, Any]]:
    """An API object's type-name slot entry and its JSON with the note properties PSOpenAI adds last."""
    raw, notes = _json_ready(obj), obj.ps_note_properties()
    if not notes:
        return obj.ps_type_name, raw
    raw = dict(raw, **notes)
    lists = _string_lists(notes)
    return obj.ps_type_name + (";" + lists if lists else ""), raw


def _item(item: Any) -> tuple[str, Any]:
    """(type-name slot, JSON-ready value) of one output item. The slot is '' (untyped), '[byte[]]'
    (binary content, sent as base64), or 'Type[;StringArrayNotes]' followed by one
    '|key/key=Type[;StringArrayNotes]' per typed object inside it (objects.typed_members): the nested
    response body of a batch output line that is a chat completion, say."""
    if isinstance(item, (bytes, bytearray, memoryview)):
        return BYTES, base64.b64encode(item).decode("ascii")
    if not isinstance(item, ApiObject):
        return "", item
    slot, raw = _typed(item)
    for path, child in typed_members(item):
        child_slot, child_raw = _typed(child)
        slot += "|" + "/".join(path) + "=" + child_slot
        raw = _replaced(raw, path, child_raw)
    return slot, raw


def _replaced(raw: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    """A copy of raw with the value at path replaced; only the dicts along the path are copied."""
    copy = dict(raw)
    copy[path[0]] = value if len(path) == 1 else _replaced(copy[path[0]], path[1:], value)
    return copy


def output_text(result: Any) -> str | None:
    """The items' PSTypeNames (tab-separated, '' for none), a newline, then the items as a JSON array;
    ConvertFrom-PSOpenAIBridgeOutput in the module reads it. Binary content stays one byte[] object."""
    if result is None:
        return None
    single = isinstance(result, (ApiObject, dict, str, bytes, bytearray, memoryview)) or not hasattr(result, "__iter__")
    items = [result] if single else list(result)
    if not items:
        return None
    slots, values = zip(*map(_item, items))
    names = "\t".join(slots)
    # ASCII with \u escapes: every string crosses, a lone surrogate included (pythonnet could not convert
    # one to .NET text); PowerShell's JSON reader makes that one U+FFFD, as ConvertFrom-Json would.
    return names + "\n" + json.dumps(values, ensure_ascii=True, separators=(",", ":"),
                                      default=_json_default)


def report_error(cmdlet, exc: OpenAIError, originals: dict[int, Any]) -> Any:
    """Reports a failure as PSOpenAI does (`exc.terminating` says how; see cmdlets.core.errors): writes a
    record and lets the pipeline go on (None); ends the cmdlet (a missing API key); or, for an API failure,
    returns (command name, record) for the function to throw as PSOpenAI's Invoke-OpenAIAPIRequest does:
    from a command inside the cmdlet, so it ends that statement only. A try/catch around the caller
    catches it (and -ErrorAction Stop stops there); without one the error is written and the next
    pipeline item runs (ConvertFrom-PSOpenAIBridgeOutput, Invoke-PSOpenAIBridgeThrow)."""
    record = error_record(exc, originals, cmdlet)
    if getattr(exc, "terminating", False):
        if isinstance(exc, errors.APIError):
            return Array[Object]([cmdlet.MyInvocation.MyCommand.Name, record])
        cmdlet.ThrowTerminatingError(record)
    _WRITE_ERROR(cmdlet, record)
    return None


def error_record(exc: OpenAIError, originals: dict[int, Any], cmdlet) -> ErrorRecord:
    """The record PowerShell gets: PSOpenAI's exception and error id, a fitting category, the message
    as ErrorDetails for API failures, and the item PowerShell passed as the target (the object itself,
    not its Python copy)."""
    category = getattr(ErrorCategory, exc.category, ErrorCategory.NotSpecified)
    message = clr_text(str(exc))
    target = exc.target
    target = _clr_target(originals.get(id(target), target) if target is not None else None)
    own = _by_class(_OWN_EXCEPTIONS, exc)
    if own is not None:
        error_id = ("PSOpenAI.APIRequest.TimeoutException" if isinstance(exc, errors.APITimeoutError)
                    else clr.GetClrType(own).FullName)
        return ErrorRecord(own(message), error_id, category, target)
    if not isinstance(exc, errors.APIError):
        return ErrorRecord(NetException(message), exc.error_id, category, target)
    return _api_error_record(exc, message, category, target, cmdlet)


def _api_error_record(exc: errors.APIError, message: str, category, target, cmdlet) -> ErrorRecord:
    name = _by_class(_API_EXCEPTION_NAMES, exc, "APIRequestException")
    if name == "BadRequestException" and exc.code == "content_filter":
        name = "ContentFilteredException"
    arguments = Array[Object]([name, message, Int32(exc.status) if exc.status else None, exc.type,
                               None if exc.code is None else str(exc.code), exc.param, exc.request_id,
                               category.ToString(), target])
    # In the module's session state, where its classes and the factory live ($PSCmdlet.SessionState is
    # the caller's).
    state = cmdlet.MyInvocation.MyCommand.Module.SessionState
    made = state.InvokeCommand.InvokeScript(state, _script_block("New-PSOpenAIBridgeErrorRecord @args"), arguments)
    return made[0].BaseObject


# --- the entry point ------------------------------------------------------------------------------

_cmdlets: dict[tuple[str, str], _Cmdlet] = {}     # (manifest file, name): one delegate each, kept


def _clr_target(target: Any) -> Any:
    """Python values that are not .NET objects become text, so no pythonnet object reaches PowerShell."""
    if type(target) is int:
        return Int64(target)        # a bare Python int would arrive as Python.Runtime.PyInt
    if target is None or isinstance(target, (str, float, bool, Object)):
        return target
    if isinstance(target, ApiObject):
        return target.raw.get("id", repr(target))
    return str(target)


def copy_conflict(module_dir: str) -> str:
    """Why the module at `module_dir` cannot run in this process, or ''. One interpreter per process, and
    one `psbridge`/`cmdlets` in its sys.modules: a second checkout or installation would silently run the
    first copy's Python, so PSOpenAIBridge.psm1 refuses it with this sentence instead."""
    import cmdlets
    here = os.path.realpath(os.path.dirname(os.path.abspath(__file__)))
    wanted = os.path.realpath(module_dir)
    if here != wanted:
        return (
            f"This pwsh process already runs PSOpenAIBridge from '{here}'; the copy at '{wanted}' cannot "
            f"run beside it (one Python per process). Start a new pwsh session to use '{wanted}'.")
    # A checkout holds its own cmdlets package beside psbridge: it must be the one imported.
    beside = os.path.join(os.path.dirname(wanted), "cmdlets", "__init__.py")
    loaded = os.path.realpath(os.path.abspath(cmdlets.__file__))
    if os.path.isfile(beside) and os.path.realpath(beside) != loaded:
        return (
            f"PSOpenAIBridge at '{wanted}' would run the Python package 'cmdlets' from '{os.path.dirname(loaded)}' "
            f"instead of its own '{os.path.dirname(beside)}'. Start a new pwsh session, or install one copy only.")
    return ""


def _flush_at_exit(sender, args) -> None:
    """Process exit without finalising Python: pythonnet's own handler runs Py_Finalize, which costs about
    a second (a full collection of every object) and joins no thread we start. What matters of it is kept:
    the atexit functions (logging handlers flush and close) and the standard streams' buffers."""
    import atexit
    import sys
    try:
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:   # a closed or broken stream at exit is nobody's business any more
                pass


_exit_handler = None


def _replace_exit_handler() -> None:
    """Swaps pythonnet's ProcessExit handler (PythonEngine.Shutdown) for _flush_at_exit, once per process."""
    global _exit_handler
    if _exit_handler is not None:
        return
    from System import AppDomain, Delegate, EventHandler
    from System.Reflection import BindingFlags
    from Python.Runtime import PythonEngine
    shutdown = clr.GetClrType(PythonEngine).GetMethod("OnProcessExit", BindingFlags.NonPublic | BindingFlags.Static)
    process_exit = clr.GetClrType(AppDomain).GetEvent("ProcessExit")
    if shutdown is not None:    # (pythonnet's `-=` knows only handlers made in Python: the accessor, then)
        process_exit.RemoveEventHandler(AppDomain.CurrentDomain,
                                        Delegate.CreateDelegate(clr.GetClrType(EventHandler), shutdown))
    _exit_handler = EventHandler(_flush_at_exit)
    process_exit.AddEventHandler(AppDomain.CurrentDomain, _exit_handler)


def load(manifests_folder: str | None = None):
    """(function text, {cmdlet name: invoke delegate}, command aliases one per line) for PSOpenAIBridge.psm1;
    cheap after the first call. pythonnet takes the GIL around each delegate invocation and releases it after."""
    _replace_exit_handler()
    manifests = load_manifests(manifests_folder or None)
    delegates = Dictionary[String, Object]()
    for m in manifests.values():
        key = (m.path, m.name)
        if key not in _cmdlets:
            _cmdlets[key] = _Cmdlet(m)
        delegates[m.name] = _cmdlets[key].delegate
        for name, gatherer in _cmdlets[key].gatherers.items():
            delegates[generator.gatherer_key(m, name)] = gatherer
    aliases = "\n".join(generator.command_aliases(manifests.values()))
    return generator.module_text(manifests.values()), delegates, aliases
