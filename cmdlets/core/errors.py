"""Error classes, one per failure a caller may want to handle, like PSOpenAI and openai-python.

Each carries what PowerShell needs to build an ErrorRecord: `error_id` (the FullyQualifiedErrorId stem),
`category` (a System.Management.Automation.ErrorCategory name) and `target` (the item being processed).
Messages are masked before they are stored, so no secret can reach `str()` or `repr()`.
"""
from __future__ import annotations

from http import HTTPStatus
from typing import Any

__all__ = ["OpenAIError", "ParameterBindingError", "ParameterValueError", "NotSupportedError", "ConfigurationError",
           "InvalidOperationError", "WaitTimeoutError", "OperationStoppedError", "OpenAIWarning",
           "APIError", "APIConnectionError", "APITimeoutError", "InvalidResponseError", "APIStatusError",
           "BadRequestError", "UnauthorizedError", "PermissionDeniedError", "NotFoundError", "ConflictError",
           "UnprocessableEntityError", "RateLimitExceededError", "QuotaLimitExceededError", "InternalServerError"]


class OpenAIError(Exception):
    """Base of every error this package raises.

    `terminating` is how PowerShell gets it, as PSOpenAI does. False: an error record, and the next item
    runs. True: thrown - a missing key ends the cmdlet; an API failure ends as PSOpenAI's do: a try/catch
    around the caller catches it, and without one it is written and the next pipeline item still runs
    (psbridge.errors.report_error). Python raises both."""
    category = "NotSpecified"
    terminating = False

    def __init__(self, message: str, *, target: Any = None):
        super().__init__(message)
        self.message = message
        self.target = target

    @property
    def error_id(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class ParameterBindingError(OpenAIError, TypeError):
    """Arguments that do not fit the cmdlet's parameters; raised before any request is sent."""
    category = "InvalidArgument"


class ParameterValueError(ParameterBindingError, ValueError):
    """An argument of the right type with a value the parameter does not take (out of its range, not one of its
    values, empty, not an http(s) URL): a ValueError as well, as Python's own functions raise for such values."""


class NotSupportedError(ParameterBindingError):
    """A PSOpenAI parameter this port does not carry out yet; raised before anything is sent."""
    category = "NotImplemented"
    terminating = True


class ConfigurationError(OpenAIError):
    """Missing or unusable configuration (no API key, a bad base URL); raised before any request."""
    category = "InvalidArgument"
    terminating = True


class InvalidOperationError(OpenAIError):
    """The request makes no sense for the object's current state (e.g. cancelling a completed batch)."""
    category = "InvalidOperation"


class WaitTimeoutError(OpenAIError, TimeoutError):
    """A -Wait/-TimeoutSec bound ran out before the object reached the awaited state."""
    category = "OperationTimeout"


class OperationStoppedError(Exception):
    """The caller asked the cmdlet to stop (a Python host's stop flag; in pwsh, Ctrl+C stops the pipeline
    with PowerShell's own PipelineStoppedException instead). Not an OpenAIError: a stop is a wish, not a
    failure, so an `except OpenAIError` around each item does not swallow it."""


class OpenAIWarning(UserWarning):
    """The category of the warnings the functions give about a call or its result (a deprecated or ignored
    parameter, a retired model, more items than were listed, an answer cut short or refused), issued with
    `warnings.warn` at the caller's line: `warnings.filterwarnings("ignore", category=OpenAIWarning)` silences
    them, `"error"` makes them exceptions. Retries are logged instead (the `cmdlets` logger, WARNING)."""


class APIError(OpenAIError):
    """Anything that went wrong talking to the API. Terminating, except where PSOpenAI reports it per item
    (reads of batches, which it does through Get-Batch; an answer that is not JSON)."""
    category = "ConnectionError"
    terminating = True

    def __init__(self, message: str, *, status: int | None = None, type: str | None = None,
                 code: str | None = None, param: str | None = None, request_id: str | None = None,
                 target: Any = None, body: Any = None):
        super().__init__(message, target=target)
        self.status, self.type, self.code, self.param, self.request_id = status, type, code, param, request_id
        # the answer's error object ({"message", "type", "param", "code"}), else its whole JSON, else None:
        # openai-python's `body`, with the request's secrets masked
        self.body = body

    @property
    def status_code(self) -> int | None:
        """The HTTP status, as openai-python names it (the same as `status`)."""
        return self.status


class APIConnectionError(APIError):
    """The request could not be sent or its response could not be read (refused, reset, DNS...)."""


class APITimeoutError(APIConnectionError, TimeoutError):
    """The server did not answer within -TimeoutSec."""
    category = "OperationTimeout"


class InvalidResponseError(APIError):
    """The server answered, but not with the JSON the API defines (an HTML page, a truncated body)."""
    category = "InvalidResult"
    terminating = False


class APIStatusError(APIError):
    """The API answered with an error status; subclasses name the common ones."""
    category = "NotSpecified"


class BadRequestError(APIStatusError):
    category = "InvalidArgument"


class UnauthorizedError(APIStatusError):
    category = "AuthenticationError"


class PermissionDeniedError(APIStatusError):
    category = "PermissionDenied"


class NotFoundError(APIStatusError):
    category = "ObjectNotFound"


class ConflictError(APIStatusError):
    category = "ResourceExists"


class UnprocessableEntityError(APIStatusError):
    category = "InvalidData"


class RateLimitExceededError(APIStatusError):
    category = "LimitsExceeded"


class QuotaLimitExceededError(APIStatusError):
    category = "QuotaExceeded"


class InternalServerError(APIStatusError):
    category = "ResourceUnavailable"


_BY_STATUS = {400: BadRequestError, 401: UnauthorizedError, 403: PermissionDeniedError, 404: NotFoundError,
              409: ConflictError, 422: UnprocessableEntityError, 429: RateLimitExceededError}


def status_error_class(status: int, code: str | None, message: str) -> type[APIStatusError]:
    if status == 429 and "quota" in f"{code or ''} {message}".lower():
        return QuotaLimitExceededError
    if status >= 500:
        return InternalServerError
    return _BY_STATUS.get(status, APIStatusError)


def status_message(status: int, server_message: str, service: str = "OpenAI") -> str:
    """PSOpenAI's wording, so scripts matching on it keep working."""
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Unknown"
    return f"{service} API returned an {status} ({reason}) Error: {visible(server_message)}"


def visible(text: str) -> str:
    """`text` with each character that does not show written as its escape (\\u200b, \\x07, \\n): zero-width
    and other format characters (bidi overrides too), controls, and spaces other than ' '. Ids and server
    texts in messages go through here: 'batch_\\u200babc' must not read as 'batch_abc'."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def without_lone_surrogates(text: str) -> str:
    """`text` with U+FFFD for each lone surrogate (a bad \\ud83d escape in a server's JSON; a file name's bytes
    that are not UTF-8, PEP 383), which neither UTF-8 nor .NET's UTF-16 strings can hold."""
    return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)


# PSOpenAI's names for the same classes, for readers of both (`except NotFoundException:` works too).
APIRequestException = APIStatusError
BadRequestException = BadRequestError
UnauthorizedException = UnauthorizedError
PermissionDeniedException = PermissionDeniedError
NotFoundException = NotFoundError
ConflictException = ConflictError
UnprocessableEntityException = UnprocessableEntityError
RateLimitExceededException = RateLimitExceededError
QuotaLimitExceededException = QuotaLimitExceededError
__all__ += ["APIRequestException", "BadRequestException", "UnauthorizedException", "PermissionDeniedException",
            "NotFoundException", "ConflictException", "UnprocessableEntityException", "RateLimitExceededException",
            "QuotaLimitExceededException"]

# openai-python's names for the same classes, for its users (`except AuthenticationError:` works). Its
# RateLimitError is any 429; here a 429 about quota is QuotaLimitExceededError, which is not a RateLimitError.
AuthenticationError = UnauthorizedError
RateLimitError = RateLimitExceededError
APIResponseValidationError = InvalidResponseError
__all__ += ["AuthenticationError", "RateLimitError", "APIResponseValidationError"]
