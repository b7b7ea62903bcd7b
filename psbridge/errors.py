"""Errors as PowerShell gets them: PSOpenAI's exception classes and error ids in ErrorRecords, and how each
failure is reported (written, or thrown to the caller's try/catch)."""
from __future__ import annotations

from typing import Any

import clr
from System import (ArgumentException, Array, Exception as NetException, Int32, Int64, InvalidOperationException,
                    Object, TimeoutException)
from System.Management.Automation import ErrorCategory, ErrorRecord

from cmdlets.core import errors
from cmdlets.core.errors import OpenAIError
from cmdlets.core.objects import ApiObject

from .dotnet import WRITE_ERROR, clr_text, script_block
from .enclosure import in_try_or_trap

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


def _by_class(table: dict[type, Any], exc: Exception, default: Any = None) -> Any:
    """The table's entry for the error's class or its nearest base class listed there."""
    return next((table[c] for c in type(exc).__mro__ if c in table), default)


_ASK = object()


def report_error(cmdlet, exc: OpenAIError, originals: dict[int, Any], enclosed: Any = _ASK) -> Any:
    """Reports a failure as PSOpenAI does (`exc.terminating` says how; see cmdlets.core.errors): writes a
    record and lets the pipeline go on (None), or ends the cmdlet (a missing API key).

    An API failure PSOpenAI throws from a command inside the cmdlet (its Invoke-OpenAIAPIRequest), which ends
    that statement only: a try/catch around the caller catches it, and without one the error is written and
    the next pipeline item runs. The same outcome, with one record (in -ErrorVariable and $Error) that points
    at the user's command: inside a try or trap, the cmdlet throws the record itself (the caller's catch
    gets it, as PSOpenAI's would end the pipeline there); otherwise it writes it (-ErrorAction Stop then
    stops the script, as PSOpenAI's does). Only if the enclosing try cannot be seen (another PowerShell) is the
    failure handed back, as (command name, record), to be thrown from a command inside the cmdlet as before
    (Invoke-PSOpenAIBridgeThrow). `enclosed`: what in_try_or_trap answered when the cmdlet's statement began
    (a lazy result's stream; asked now when not given)."""
    record = error_record(exc, originals, cmdlet)
    if getattr(exc, "terminating", False):
        if not isinstance(exc, errors.APIError):
            cmdlet.ThrowTerminatingError(record)
        if enclosed is _ASK:
            enclosed = in_try_or_trap(cmdlet)
        if enclosed:
            cmdlet.ThrowTerminatingError(record)
        if enclosed is None:
            return Array[Object]([cmdlet.MyInvocation.MyCommand.Name, record])
    WRITE_ERROR(cmdlet, record)
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
        # PSOpenAI's id for a request's timeout and for a wait's (Write-TimeoutError in Wait-Batch)
        error_id = ("PSOpenAI.APIRequest.TimeoutException" if own is TimeoutException
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
    made = state.InvokeCommand.InvokeScript(state, script_block("New-PSOpenAIBridgeErrorRecord @args"), arguments)
    return made[0].BaseObject


def _clr_target(target: Any) -> Any:
    """Python values that are not .NET objects become text, so no pythonnet object reaches PowerShell."""
    if type(target) is int:
        return Int64(target)        # a bare Python int would arrive as Python.Runtime.PyInt
    if target is None or isinstance(target, (str, float, bool, Object)):
        return target
    if isinstance(target, ApiObject):
        return target.raw.get("id", repr(target))
    return str(target)
