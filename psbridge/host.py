"""The Python half of the bridge, running inside pwsh (hosted by Python.Runtime, so `clr` exists): the host
interface over $PSCmdlet, the cmdlets' entry points and the module's lifecycle. Its other concerns have
modules of their own: convert (PowerShell -> Python), output (Python -> PowerShell), errors (error records
and how failures are reported), context (the session context), dotnet (shared .NET plumbing).

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

import itertools
import threading
import traceback
from collections.abc import Iterator
from types import GeneratorType
from typing import Any

import clr  # the bridge to .NET; provided by Python.Runtime

from .dotnet import (SHOULD_PROCESS, WRITE_DEBUG, WRITE_ERROR, WRITE_PROGRESS, WRITE_VERBOSE, WRITE_WARNING,
                     clr_text, script_block)
from System import (Array, Converter, Exception as NetException, Func, InvalidOperationException,  # noqa: E402
                    Object, String)
from System.Collections.Generic import Dictionary, List  # noqa: E402
from System.Management.Automation import (ActionPreferenceStopException, ErrorCategory,  # noqa: E402
                                          ErrorRecord, HostInformationMessage, IContainsErrorRecord,
                                          LanguagePrimitives, PipelineStoppedException, ProgressRecord,
                                          ProgressRecordType)

from cmdlets.core import errors
from cmdlets.core.collect import new_collector
from cmdlets.core.errors import OpenAIError
from cmdlets.core.host import Native
from cmdlets.core.invoke import run
from cmdlets.core.manifest import load_manifests
from cmdlets.core.objects import ApiObject

from . import generator
from .convert import PARAMETER_CONVERTERS, to_python, well_formed
from .output import output_text
from .threadstate import pin as pin_thread_state

VERBOSE, DEBUG = 1, 2       # the stream flags the generated begin block computes
# -Debug without -WarningAction: the function's own WriteWarning would ask for confirmation (PowerShell
# turns the Debug switch into Inquire for warnings), so warnings go through Write-Warning, which reads
# the caller's $WarningPreference like any script's warning.
WARN_BY_SCRIPT = 4
MAY_DECLINE = 8     # ShouldProcess may say no or ask (-WhatIf, -Confirm, a low $ConfirmPreference)
_STREAM_BITS = {"verbose": VERBOSE, "debug": DEBUG}


def _write_warning_by_script(message: str, cmdlet) -> None:
    # (Write-Warning's record does not reach the function's -WarningVariable: it is added to that list here,
    # the list PowerShell made in the caller's scope)
    script_block("param($Message, $Cmdlet) Write-Warning -Message $Message\n"
                 "$name = $Cmdlet.MyInvocation.BoundParameters['WarningVariable']\n"
                 "if ($name) { $list = $Cmdlet.SessionState.PSVariable.GetValue(\"$name\".TrimStart('+'))\n"
                 "    if ($list -is [System.Collections.IList]) {\n"
                 "        $null = $list.Add([System.Management.Automation.WarningRecord]::new($Message)) } }"
                 ).Invoke(message, cmdlet)


def error_record(*args):
    # psbridge.errors (PSOpenAI's exception classes as .NET types) is imported on the first error only: a
    # call that succeeds never needs it, and its .NET type imports cost a cold process tens of milliseconds.
    from .errors import error_record as make
    return make(*args)


def report_error(*args):
    from .errors import report_error as report
    return report(*args)


_NO_TAGS = Array[String]([])


class PowerShellHost:
    """cmdlets' host interface over the running advanced function's $PSCmdlet. While a lazy result is read
    ahead on another thread (_ReadAhead), what that thread writes is kept (`deferred`) and written by the
    pipeline's thread before the chunk it came with: only that thread may write to PowerShell."""
    __slots__ = ("cmdlet", "streams", "originals", "_activity_id", "deferred")

    def __init__(self, cmdlet, streams: int = VERBOSE | DEBUG, originals: dict[int, Any] | None = None):
        self.cmdlet = cmdlet
        self.streams = streams
        self.originals = originals if originals is not None else {}   # id(converted) -> what pwsh passed
        self._activity_id = None
        self.deferred: tuple[int, list] | None = None     # (thread id, [(write, args)]) while read ahead

    def _defer(self, write, *args) -> bool:
        """Keeps the write for later when called on the read-ahead thread; whether it was kept."""
        deferred = self.deferred
        if deferred is None or deferred[0] != threading.get_ident():
            return False
        deferred[1].append((write, args))
        return True

    def write_error(self, error: Exception) -> None:
        """One bad item among many: a non-terminating error record (terminating under -ErrorAction Stop)."""
        if not isinstance(error, OpenAIError):
            error = OpenAIError(str(error))
        if not self._defer(self._write_error, error):
            self._write_error(error)

    def _write_error(self, error: OpenAIError) -> None:
        WRITE_ERROR(self.cmdlet, error_record(error, self.originals, self.cmdlet))

    def wants(self, stream: str) -> bool:
        """Whether anyone sees the stream ("verbose", "debug"): the flags the begin block computed."""
        return bool(self.streams & _STREAM_BITS.get(stream, 0))

    def verbose(self, message: str) -> None:
        if self.streams & VERBOSE and not self._defer(self.verbose, message):
            WRITE_VERBOSE(self.cmdlet, clr_text(message))

    def debug(self, message: str) -> None:
        if self.streams & DEBUG and not self._defer(self.debug, message):
            WRITE_DEBUG(self.cmdlet, clr_text(message))

    def warning(self, message: str) -> None:
        if self._defer(self.warning, message):
            return
        if self.streams & WARN_BY_SCRIPT:
            _write_warning_by_script(clr_text(message), self.cmdlet)
        else:
            WRITE_WARNING(self.cmdlet, clr_text(message))

    def progress(self, activity: str, status: str, percent: int | None = None, completed: bool = False) -> None:
        self.check_stop()
        if self._defer(self.progress, activity, status, percent, completed):
            return
        if self._activity_id is None:       # one progress bar per call; ids only need to differ while shown
            self._activity_id = id(self) & 0x3FFFFFFF
        record = ProgressRecord(self._activity_id, activity, status or " ")
        if percent is not None:
            record.PercentComplete = max(0, min(100, int(percent)))
        if completed:
            record.RecordType = ProgressRecordType.Completed
        WRITE_PROGRESS(self.cmdlet, record)    # throws PipelineStoppedException once the pipeline stops

    def information(self, text: str) -> None:
        """A piece of streamed text for the information stream, without a new line (PSOpenAI's -Stream):
        -InformationVariable collects the pieces; shown only where $InformationPreference asks."""
        if self._defer(self.information, text):
            return
        message = HostInformationMessage()
        message.Message = clr_text(text)
        message.NoNewLine = True
        self.cmdlet.WriteInformation(message, _NO_TAGS)

    def should_process(self, target: Any, action: str) -> bool:
        if not self.streams & (MAY_DECLINE | VERBOSE):
            return True     # what ShouldProcess would answer (and it would write nothing), without the call
        return bool(SHOULD_PROCESS(self.cmdlet, str(target), str(action)))

    def check_stop(self) -> None:
        # Raised as the .NET exception, so it leaves Python unwrapped and PowerShell stops cleanly.
        if self.cmdlet.Stopping:
            raise PipelineStoppedException()

    def stopping(self) -> bool:
        """Polled by the HTTP core's watchdog thread to end a request in flight once the pipeline stops."""
        return bool(self.cmdlet.Stopping)

    resolves_context = True     # the generated begin block applied the session context already
    # PowerShell's JSON reader refuses an object with keys that differ only in case: a streamed file's line
    # that has one is that line's error (cmdlets/batch/jsonl.py), not its whole chunk refused.
    keys_ignore_case = True

    @staticmethod
    def proxy_for(url: str) -> str | None:
        """The proxy Invoke-RestMethod would use for the URL in this session (psbridge/network.py)."""
        from .network import proxy_for
        return proxy_for(url)

    @staticmethod
    def structured_type(value: Any):
        """Structured Outputs with a .NET type (a PowerShell class); None for anything else."""
        from .structured import dotnet_structured_type
        return dotnet_structured_type(value)

    def context(self):
        """The session context: PSOpenAI's $global:PSOpenAIContextDictionary of the calling runspace."""
        from .context import SessionContext
        return SessionContext(self.cmdlet)


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




def _show_notes(cmdlet, exc) -> None:
    """What a cmdlet noted on a stop (Start-Batch -Split: the batches started before it), as warning lines on the
    host's console: a stopping pipeline takes no more writes to its streams, and nothing else would say it."""
    notes = getattr(exc, "__notes__", None)
    if not notes:
        return
    try:
        ui = cmdlet.Host.UI
        for note in notes:
            ui.WriteWarningLine(clr_text(str(note)))
    except Exception:   # (a host without a console, a job's: nothing to show it on)
        pass


def _end_with_record(cmdlet, exc) -> None:
    """A PowerShell error other than a stop, raised by a call into PowerShell (ShouldProcess or a warning that must
    ask, where the host cannot: -Confirm in a runspace without a UI, say): ends the cmdlet with its record, as it
    would end a compiled cmdlet. Raised on through the delegate, PowerShell would wrap it as 'Exception calling
    "Invoke" with "3" argument(s)', pointing at the module. A stop (Ctrl+C, -ErrorAction Stop) is left to go on."""
    if isinstance(exc, IContainsErrorRecord) and not isinstance(exc, (PipelineStoppedException,
                                                                       ActionPreferenceStopException)):
        record = exc.ErrorRecord
        if record is not None:
            cmdlet.ThrowTerminatingError(record)


def _elements(value: Any) -> Iterator[Any]:
    """What PowerShell's foreach gives of a value: an enumerable's items, or the value itself. An item that is
    text with a lone surrogate, which pythonnet cannot give, is taken (with the rest) from a copy with U+FFFD
    there (convert._WELL_FORMED)."""
    enumerable = LanguagePrimitives.GetEnumerable(value)
    if enumerable is None:
        yield value
        return
    given = 0
    items = iter(enumerable)
    while True:
        try:
            item = next(items)
        except StopIteration:
            return
        except UnicodeDecodeError:
            yield from itertools.islice(iter(well_formed(value)), given, None)
            return
        given += 1
        yield item


def _converter(p) -> Any:
    if p.collect:
        return _collected
    if p.type == "String" and generator.needs_bound_check(p):
        return None             # None (unbound) or exactly what was bound, '' included
    return PARAMETER_CONVERTERS.get(p.type)


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
        try:
            arguments, originals = self._arguments(values)
        except UnicodeDecodeError:      # a lone surrogate in a value's text: U+FFFD there (convert._WELL_FORMED)
            arguments, originals = self._arguments(well_formed(values))
        host = PowerShellHost(cmdlet, streams, originals)
        try:
            # PowerShell bound and validated the arguments and chose the set: what invoke() does after
            # its binder, with the manifest at hand.
            result = run(self.manifest, cmdlet.ParameterSetName, arguments, host, environ=NO_ENVIRONMENT)
            if type(result) is Native:
                return result.value
            if not _is_lazy(result):
                return _to_powershell(result)
        except OpenAIError as exc:
            return report_error(cmdlet, exc, originals)
        except NetException as exc:
            _show_notes(cmdlet, exc)
            _end_with_record(cmdlet, exc)
            raise   # PipelineStoppedException, ActionPreferenceStopException...: PowerShell's own
        except Exception as exc:    # a bug: stop this cmdlet with the Python details, not a bare trace
            self._python_error(cmdlet, streams, exc)
        return _Stream(self, result, cmdlet, streams, originals, host).delegate()

    def _arguments(self, values) -> tuple[dict[str, Any], dict[int, Any]]:
        """python_name -> converted value, and converted value -> what PowerShell passed, for error targets."""
        arguments: dict[str, Any] = {}
        originals: dict[int, Any] = {}
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
        return arguments, originals

    def gather(self, parameter, cmdlet, streams: int, values) -> Any:
        """One process block's value of a collecting parameter, handed to the pipeline's _Gathering (values[0],
        made on the first item; PowerShell keeps it in a variable until the end block passes it to call).
        An array bound at once is taken item by item, as PowerShell's foreach would."""
        pin_thread_state()
        gathering = values[0]
        try:
            value = values[1]
        except UnicodeDecodeError:      # a lone surrogate in a piped string (convert._WELL_FORMED)
            value = well_formed(values)[1]
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
            for original in _elements(value):
                item = to_python(original)
                originals.clear()
                if item is not original:
                    originals[id(item)] = original
                    if gathering.originals is not None:
                        gathering.originals[id(item)] = original
                gathering.collector.add(host, item)
        except OpenAIError as exc:      # (a collector sends no request: never an API failure to throw)
            report_error(cmdlet, exc, originals)
        except NetException as exc:
            _end_with_record(cmdlet, exc)
            raise
        except Exception as exc:
            self._python_error(cmdlet, streams, exc)
        return gathering

    def _python_error(self, cmdlet, streams: int, exc: Exception) -> None:
        detail = clr_text("".join(traceback.format_exception_only(type(exc), exc)).strip())
        if streams & DEBUG:
            WRITE_DEBUG(cmdlet, clr_text("".join(traceback.format_exception(type(exc), exc, exc.__traceback__))))
        cmdlet.ThrowTerminatingError(ErrorRecord(
            InvalidOperationException(f"Python error in {self.manifest.name}: {detail}"), "PythonError",
            ErrorCategory.NotSpecified, None))


def _to_powershell(result: Any, lines: list[str | None] | None = None) -> Any:
    """output_text's text, or with the .NET objects the items hold a List[object]: the text, then them."""
    natives: list[Any] = []
    text = output_text(result, natives, lines)
    if not natives:
        return text
    held = List[Object]()
    held.Add(text)
    for value in natives:
        held.Add(value)
    return held


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
    (Called with $false: the next chunk's text, or None at the end.)
    An iterator that says it `reads_ahead` (a downloaded file read line by line: its chunks come without
    asking anything of PowerShell) is advanced on a thread of its own, one chunk ahead (_ReadAhead): Python
    reads and converts the next chunk while PowerShell reads the JSON of this one, on another core.
    Its delegate is then a Converter rather than a Func, and called with a reader instead of $false (a .NET
    delegate: chunk text -> Task; the module's New-PSOpenAIBridgeReader) it hands its later chunks over as the
    reader's tasks, started by the read-ahead thread as each chunk is read: .NET reads and types chunk k+1
    while the pipeline writes chunk k."""
    __slots__ = ("owner", "iterator", "cmdlet", "streams", "originals", "host", "ahead", "enclosed")

    def __init__(self, owner: _Cmdlet, iterator, cmdlet, streams: int, originals: dict[int, Any],
                 host: PowerShellHost | None = None):
        self.owner, self.iterator, self.cmdlet, self.streams, self.originals = owner, iterator, cmdlet, streams, originals
        self.host = host
        # Whether a try or trap encloses the cmdlet's statement, asked now: once the stream is written, the module's
        # own try/finally (Write-PSOpenAIBridgeStream) would answer yes, and an API failure that should be written
        # (the next piped item then runs) would end the pipeline instead.
        from .enclosure import in_try_or_trap
        self.enclosed = in_try_or_trap(cmdlet)
        self.ahead = _ReadAhead(self) if host is not None and getattr(iterator, "reads_ahead", False) else None

    def delegate(self) -> Any:
        """The delegate PowerShell calls (a Converter rather than a Func for a stream read ahead: the module then
        offers it a reader). Not kept here: the delegate holds this stream, and a stream holding its delegate
        would be a cycle across the two runtimes that neither collector sees whole."""
        return (Func if self.ahead is None else Converter)[Object, Object](self.next)

    def next(self, close) -> Any:
        try:
            return self._next(close)
        finally:
            if self.iterator is None:
                # Ended or closed: the cmdlet, its host and arguments are let go. The function that called the
                # cmdlet keeps this delegate in a variable of its scope ($__out), which its PSScriptCmdlet holds:
                # kept here, they would make a cycle across the two runtimes that neither collector sees whole,
                # and every lazy result (each `Get-Batch -Limit 5`) would stay in memory, its cmdlet with it.
                self.cmdlet = self.host = self.originals = None

    def _next(self, close) -> Any:
        pin_thread_state()
        iterator = self.iterator
        if iterator is None:
            return None
        if type(close) is not bool:     # a reader, for the chunks read ahead from now on
            if self.ahead is not None:
                self.ahead.reader = close
            close = False
        if close:
            self.close()
            return None
        try:
            if self.ahead is not None:
                chunk, failure, writes = self.ahead.take()
                for write, args in writes:      # what the chunk's reading wrote, before the chunk
                    write(*args)
                if failure is not None:
                    raise failure
            else:
                chunk = self.chunk(iterator)
            if chunk is not _END:
                return chunk
        except OpenAIError as exc:
            self.close()
            return report_error(self.cmdlet, exc, self.originals, self.enclosed)
        except NetException as exc:
            self.close()
            _end_with_record(self.cmdlet, exc)
            raise
        except Exception as exc:
            self.close()
            self.owner._python_error(self.cmdlet, self.streams, exc)
        self.iterator = None    # exhausted
        if self.ahead is not None:
            self.ahead.close()
        return None

    @staticmethod
    def chunk(iterator) -> Any:
        """The iterator's next chunk as text for PowerShell, or _END."""
        item = next(iterator, _END)
        if item is _END:
            return _END
        # With it, whatever is at hand without another request (the rest of a page): one
        # crossing and one JSON read per page rather than per object.
        ready = getattr(iterator, "ready", None)
        count = ready() if ready is not None else 0
        if getattr(iterator, "line", False) is False:
            return _to_powershell([item, *(next(iterator) for _ in range(count))] if count else (item,))
        # Each item's line as the file has it (JsonLines' keep_lines), which output_text may send unchanged.
        # Up to about _CHUNK_CHARS of lines (the rest stays ready for the next chunk): a .NET string of 85,000
        # bytes or more is allocated on the large object heap, and a stream of such chunks (and their JSON
        # parts) makes nearly every collection a full one; 50 MB made ~20 of them, and the JSON reader ran
        # a third slower. (A line's slot counts too: _SLOT_CHARS, about the longest, '!chat'.)
        line = iterator.line
        items, lines = [item], [line]
        size = (len(line) if line is not None else 0) + _SLOT_CHARS
        while count and size < _CHUNK_CHARS:
            items.append(next(iterator))
            line = iterator.line
            lines.append(line)
            size += (len(line) if line is not None else 0) + _SLOT_CHARS
            count -= 1
        return _to_powershell(items, lines)

    def close(self) -> None:
        iterator, self.iterator = self.iterator, None
        if self.ahead is not None and not self.ahead.close():
            return      # the read-ahead thread closes it once its chunk is read
        close = getattr(iterator, "close", None)
        if close is not None:
            close()     # GeneratorExit at its yield: its finally blocks run, no further page is read


_CHUNK_CHARS = 36_000     # (UTF-16 in .NET: ~72,000 bytes, below the large object heap's 85,000)
_SLOT_CHARS = 70


class _ReadAhead:
    """The thread that reads a _Stream's next chunk while PowerShell handles the last one. Its writes to
    PowerShell (warnings, errors for bad lines, verbose messages) are kept and handed over with the chunk
    (PowerShellHost.deferred); so is what it raised. One chunk ahead at most, so memory holds two chunks.
    With a `reader` (see _Stream), a chunk's text is handed to it as soon as it is read: the chunk is then its
    .NET task, which runs on .NET's thread pool (no Python, no GIL: it never touches the iterator)."""
    __slots__ = ("stream", "iterator", "cond", "result", "wanted", "busy", "closed", "thread", "reader")

    def __init__(self, stream: _Stream):
        self.stream, self.iterator = stream, stream.iterator
        self.cond = threading.Condition(threading.Lock())
        self.result: tuple | None = None
        self.wanted = self.busy = self.closed = False
        self.thread: threading.Thread | None = None
        self.reader = None

    def take(self) -> tuple[Any, BaseException | None, list]:
        """(chunk or _END, what reading it raised, its writes), waiting for it; the next one is then read."""
        with self.cond:
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="psbridge-read-ahead", daemon=True)
                self.wanted = True
                self.thread.start()
            while self.result is None:
                self.cond.wait()
            result, self.result = self.result, None
            if result[0] is not _END and result[1] is None:
                self.wanted = True
                self.cond.notify_all()
        return result

    def close(self) -> bool:
        """Stops reading ahead: True when the thread is idle (the caller closes the iterator), False when it is
        reading a chunk (it closes the iterator itself when done; a stalled read does not hold the pipeline)."""
        with self.cond:
            self.closed = True
            self.cond.notify_all()
            return not self.busy

    def _run(self) -> None:
        iterator, host = self.iterator, self.stream.host
        while True:
            with self.cond:
                while not self.wanted and not self.closed:
                    self.cond.wait()
                if self.closed:
                    return
                self.wanted, self.busy = False, True
            writes: list = []
            host.deferred = (threading.get_ident(), writes)
            chunk, failure = _END, None
            try:
                chunk = _Stream.chunk(iterator)
            except BaseException as exc:    # handed to the pipeline's thread, which raises it there
                failure = exc
            finally:
                host.deferred = None
            reader = self.reader
            if reader is not None and type(chunk) is str:     # (not _END, nor text with .NET objects)
                try:
                    chunk = reader.Invoke(chunk)
                except Exception:   # (not expected) the text as before: PowerShell reads it itself
                    self.reader = None
            with self.cond:
                self.busy = False
                closed = self.closed
                if not closed:
                    self.result = (chunk, failure, writes)
                    self.cond.notify_all()
            if closed:      # the pipeline stopped while this chunk was read: no further request
                close = getattr(iterator, "close", None)
                if close is not None:
                    close()
                return
            if chunk is _END or failure is not None:
                return


_END = object()


# --- the entry point ------------------------------------------------------------------------------

_cmdlets: dict[tuple[str, str], _Cmdlet] = {}     # (manifest file, name): one delegate each, kept


def copy_conflict(module_dir: str) -> str:
    """Why the module at `module_dir` cannot run in this process, or '' (see psbridge.startup.copy_conflict)."""
    from .startup import copy_conflict as conflict
    return conflict(module_dir)


def _add_exit_handler() -> None:
    from .startup import add_exit_handler
    add_exit_handler()


_prepare_lock = threading.Lock()


_prepared: dict[str | None, dict] = {}     # manifests folder (None: the project's) -> its manifests


def prepare(manifests_folder: str | None = None, manifests: dict | None = None):
    """The manifests and one _Cmdlet (delegates) each, made once per folder; what load() returns them from.
    psbridge.startup calls it on its import thread, while PowerShell compiles the functions, with the
    manifests it kept (else they are read from the folder)."""
    folder = manifests_folder or None
    if folder not in _prepared:
        _prepared[folder] = manifests if manifests else load_manifests(folder)
    manifests = _prepared[folder]
    with _prepare_lock:     # (runspaces importing at once: one _Cmdlet per cmdlet all the same)
        for m in manifests.values():
            key = (m.path, m.name)
            if key not in _cmdlets:
                _cmdlets[key] = _Cmdlet(m)
    # Last, on the import thread (its .NET lookups cost less once the imports above have loaded pythonnet's type
    # machinery); until then a process that ends has no Python handler at all (psbridge.startup.add_exit_handler).
    _add_exit_handler()
    from . import network   # (every request asks it for the proxy: imported here rather than by the first one)
    return manifests


def prepared_manifests(manifests_folder: str | None = None) -> dict:
    return prepare(manifests_folder)


def load(manifests_folder: str | None = None, with_text: bool = True):
    """(function text, {cmdlet name: invoke delegate}, command aliases one per line) for PSOpenAIBridge.psm1
    (through psbridge.startup.finish); cheap after the first call; text '' when not asked for (the module has it
    from its cache). pythonnet takes the GIL around each delegate invocation and releases it after."""
    manifests = prepare(manifests_folder)
    delegates = Dictionary[String, Object]()
    for m in manifests.values():
        key = (m.path, m.name)
        delegates[m.name] = _cmdlets[key].delegate
        for name, gatherer in _cmdlets[key].gatherers.items():
            delegates[generator.gatherer_key(m, name)] = gatherer
    aliases = "\n".join(generator.command_aliases(manifests.values()))
    return (generator.module_text(manifests.values()) if with_text else ""), delegates, aliases
