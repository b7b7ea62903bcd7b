"""PSOpenAI's Batch cmdlets as Python functions: `from cmdlets import stop_batch`.

Generated from manifests/*.yaml by `python -m psbridge stubs --update`: do not edit.
"""
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from datetime import datetime
from os import PathLike
from typing import Any, Literal, Protocol, overload
from cmdlets.core.context import OpenAIContext

from cmdlets.core.errors import *
from cmdlets.core.secrets import Secret as Secret

__all__ = [
    'add_openai_file',
    'clear_openai_context',
    'get_batch',
    'get_batch_output',
    'get_batch_request',
    'get_openai_context',
    'get_openai_file',
    'get_openai_file_content',
    'remove_openai_file',
    'request_chat_completion',
    'request_embeddings',
    'request_response',
    'request_text_completion',
    'set_openai_context',
    'start_batch',
    'stop_batch',
    'wait_batch',
    'APIConnectionError',
    'APIError',
    'APIRequestException',
    'APIResponseValidationError',
    'APIStatusError',
    'APITimeoutError',
    'ApiObject',
    'AuthenticationError',
    'BadRequestError',
    'BadRequestException',
    'Batch',
    'BatchInput',
    'BatchOutput',
    'BatchRequest',
    'BatchRequestItem',
    'BatchResponse',
    'ChatCompletion',
    'ChatCompletionResult',
    'Client',
    'ConfigurationError',
    'ConflictError',
    'ConflictException',
    'Embeddings',
    'EmbeddingsInput',
    'File',
    'InternalServerError',
    'InvalidOperationError',
    'InvalidResponseError',
    'JsonObject',
    'NotFoundError',
    'NotFoundException',
    'NotSupportedError',
    'OpenAIError',
    'OpenAIWarning',
    'OperationStoppedError',
    'ParameterBindingError',
    'ParameterValueError',
    'PermissionDeniedError',
    'PermissionDeniedException',
    'QuotaLimitExceededError',
    'QuotaLimitExceededException',
    'RateLimitError',
    'RateLimitExceededError',
    'RateLimitExceededException',
    'Secret',
    'TextCompletion',
    'TextCompletionInput',
    'TextCompletionResult',
    'UnauthorizedError',
    'UnauthorizedException',
    'UnprocessableEntityError',
    'UnprocessableEntityException',
    'WaitTimeoutError',
]

class _JsonMapping(Mapping[str, Any]):
    """A read-only JSON object: fields as attributes or keys."""
    raw: dict[str, Any]
    def __init__(self, raw: dict[str, Any]) -> None: ...
    def __getitem__(self, key: str) -> Any: ...
    def __iter__(self) -> Iterator[str]: ...
    def __len__(self) -> int: ...
    def to_dict(self) -> dict[str, Any]:
        """The JSON exactly as received (unix timestamps stay integers), as a copy of its own to change."""
        ...
    def to_json(self, *, indent: int | None = 2) -> str:
        """The JSON as received, as text (json.dumps refuses a mapping that is not a dict)."""
        ...


class _TypeNamed(Protocol):
    """An object that names its PowerShell types (a PSOpenAI object handed over)."""
    @property
    def ps_type_names(self) -> Iterable[str]: ...


class _Has_batch(Protocol):
    @property
    def batch(self) -> Any: ...


class _Has_batch_id(Protocol):
    @property
    def batch_id(self) -> Any: ...


class _Has_batch_input(Protocol):
    @property
    def batch_input(self) -> Any: ...


class _Has_file(Protocol):
    @property
    def file(self) -> Any: ...


class _Has_file_id(Protocol):
    @property
    def file_id(self) -> Any: ...


class _Has_history(Protocol):
    @property
    def history(self) -> Any: ...


class _Has_id(Protocol):
    @property
    def id(self) -> Any: ...


class _Has_input_file_id(Protocol):
    @property
    def input_file_id(self) -> Any: ...


class _Has_model(Protocol):
    @property
    def model(self) -> Any: ...


class JsonObject(_JsonMapping):
    """Read-only view of a JSON object: `o.request_counts.total` and `o["request_counts"]["total"]` alike."""
    def __getattr__(self, name: str) -> Any: ...


class ApiObject(_JsonMapping):
    """An API object; `ps_type_name` is what PowerShell shows as its first PSTypeName."""
    ...


class File(ApiObject):
    """An uploaded file."""
    id: str
    object: str
    bytes: int
    created_at: datetime
    expires_at: datetime | None
    filename: str
    purpose: str
    status: str | None
    status_details: str | None


class Batch(ApiObject):
    """A batch: its status, files, request counts and timestamps (aware datetimes)."""
    id: str
    object: str
    endpoint: str
    model: str | None
    errors: JsonObject | None
    input_file_id: str
    completion_window: str
    status: str
    output_file_id: str | None
    error_file_id: str | None
    created_at: datetime
    in_progress_at: datetime | None
    expires_at: datetime | None
    finalizing_at: datetime | None
    completed_at: datetime | None
    failed_at: datetime | None
    expired_at: datetime | None
    cancelling_at: datetime | None
    cancelled_at: datetime | None
    request_counts: JsonObject | None
    usage: JsonObject | None
    metadata: JsonObject | None


class BatchOutput(ApiObject):
    """One line of a batch's output file: {id, custom_id, response: {status_code, request_id, body}, error}."""
    id: str
    custom_id: str
    response: BatchResponse | None
    error: JsonObject | None


class BatchResponse(_JsonMapping):
    """The `response` of a batch output line: {status_code, request_id, body}. The body is a ChatCompletion,"""
    status_code: int
    request_id: str | None
    body: JsonObject


class BatchRequestItem(ApiObject):
    """One request of a batch, as the Request-* cmdlets' -AsBatch (as_batch=True) make it."""
    custom_id: str
    method: str
    url: str
    body: JsonObject


class BatchRequest(BatchRequestItem):
    """One line of a batch's input file, typed as PSOpenAI's request items (so it goes back into Start-Batch);"""
    output: BatchOutput | None


class BatchInput(BatchRequestItem):
    """One request of a batch: {custom_id, method, url, body}, as PSOpenAI's -AsBatch emits it: in PowerShell"""
    ...


class ChatCompletion(ApiObject):
    """A chat completion, as PSOpenAI 4.49 types it in a batch's output: `created` as a datetime, then the"""
    id: str
    object: str
    created: datetime
    model: str
    choices: list[JsonObject]
    usage: JsonObject | None
    service_tier: str | None
    system_fingerprint: str | None
    @property
    def answer(self) -> list[Any]: ...


class ChatCompletionResult(ChatCompletion):
    """The API's chat.completion (`created` a datetime) plus, as PSOpenAI adds them, Message (the last user"""
    @property
    def history(self) -> list[dict[str, Any]]: ...
    @property
    def message(self) -> str | None: ...


class EmbeddingsInput(BatchRequestItem):
    """A batch input item of an embeddings request."""
    ...


class Embeddings(ApiObject):
    """The API's list of embeddings, untyped as PSOpenAI returns it; in PowerShell each float vector a [float[]]."""
    object: str
    data: list[JsonObject]
    model: str
    usage: JsonObject | None


class TextCompletionInput(BatchRequestItem):
    """A batch input item of a text completion request."""
    ...


class TextCompletion(ApiObject):
    """A (legacy) text completion: `created` a datetime, then the notes Prompt and Answer, as PSOpenAI types"""
    id: str
    object: str
    created: datetime
    model: str
    choices: list[JsonObject]
    usage: JsonObject | None
    system_fingerprint: str | None
    @property
    def answer(self) -> list[str]: ...


class TextCompletionResult(TextCompletion):
    """Request-TextCompletion's answer: the API's text completion with the prompts it answers."""
    @property
    def prompt(self) -> list[str]: ...


def add_openai_file(
    input: str | PathLike[str] | bytes | bytearray | memoryview | None = None,
    /,
    *,
    file: str | PathLike[str] | None = None,
    content: bytes | bytearray | memoryview | None = None,
    name: str | None = None,
    purpose: str | None = None,
    expires_after_seconds: int | None = None,
    expires_after_anchor: str = 'created_at',
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> File:
    """Uploads a file for batches, assistants, fine-tuning and other uses."""
    ...

register_openai_file = add_openai_file


def clear_openai_context(
) -> None:
    """Sets the session context back to its defaults."""
    ...


@overload
def get_batch(
    input: str | Batch | Mapping[str, Any] | _Has_batch_id | _Has_batch | _Has_id,
    /,
    *,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> Batch:
    """Gets a batch, or lists the batches of the organization."""
    ...

@overload
def get_batch(
    *,
    batch_id: str | Batch,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> Batch:
    """Gets a batch, or lists the batches of the organization."""
    ...

@overload
def get_batch(
    *,
    batch: str | Batch,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> Batch:
    """Gets a batch, or lists the batches of the organization."""
    ...

@overload
def get_batch(
    *,
    id: str | Batch,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> Batch:
    """Gets a batch, or lists the batches of the organization."""
    ...

@overload
def get_batch(
    *,
    limit: int = 20,
    all: bool = False,
    after: str | None = None,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> Iterator[Batch]:
    """Gets a batch, or lists the batches of the organization."""
    ...

@overload
def get_batch(
    input: str | Batch | Mapping[str, Any] | _Has_batch_id | _Has_batch | _Has_id | None = None,
    /,
    *,
    batch_id: str | Batch | None = None,
    batch: str | Batch | None = None,
    id: str | Batch | None = None,
    limit: int = 20,
    all: bool = False,
    after: str | None = None,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> Batch | Iterator[Batch]:
    """Gets a batch, or lists the batches of the organization."""
    ...


def get_batch_output(
    input: Batch | Mapping[str, Any] | _TypeNamed | _Has_batch | str | _Has_batch_id | _Has_id | None = None,
    /,
    *,
    batch: Batch | Mapping[str, Any] | _TypeNamed | None = None,
    input_object: Batch | Mapping[str, Any] | _TypeNamed | None = None,
    batch_id: str | Batch | None = None,
    id: str | Batch | None = None,
    wait: bool = False,
    output_type: Any = None,
    format: Any = None,
    response_format: Any = None,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> Iterator[BatchOutput]:
    """Gets the results of a batch, one object per request."""
    ...


def get_batch_request(
    input: Batch | Mapping[str, Any] | _TypeNamed | _Has_batch | str | _Has_batch_id | _Has_id | None = None,
    /,
    *,
    batch: Batch | Mapping[str, Any] | _TypeNamed | None = None,
    input_object: Batch | Mapping[str, Any] | _TypeNamed | None = None,
    batch_id: str | Batch | None = None,
    id: str | Batch | None = None,
    failed: bool = False,
    include_output: bool = False,
    wait: bool = False,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> Iterator[BatchRequest]:
    """Gets the requests of a finished batch, to start again those that failed or never ran, or to see each beside its result."""
    ...


def get_openai_context(
) -> OpenAIContext:
    """Gets the session context's API settings."""
    ...


@overload
def get_openai_file(
    input: str | File | Mapping[str, Any] | _Has_file_id | _Has_file | _Has_id,
    /,
    *,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> File:
    """Gets an uploaded file, or lists the uploaded files."""
    ...

@overload
def get_openai_file(
    *,
    file_id: str | File,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> File:
    """Gets an uploaded file, or lists the uploaded files."""
    ...

@overload
def get_openai_file(
    *,
    file: str | File,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> File:
    """Gets an uploaded file, or lists the uploaded files."""
    ...

@overload
def get_openai_file(
    *,
    id: str | File,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> File:
    """Gets an uploaded file, or lists the uploaded files."""
    ...

@overload
def get_openai_file(
    *,
    purpose: str | None = None,
    limit: int = 10000,
    all: bool = False,
    order: Literal['asc', 'desc'] = 'desc',
    after: str | None = None,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> Iterator[File]:
    """Gets an uploaded file, or lists the uploaded files."""
    ...

@overload
def get_openai_file(
    input: str | File | Mapping[str, Any] | _Has_file_id | _Has_file | _Has_id | None = None,
    /,
    *,
    file_id: str | File | None = None,
    file: str | File | None = None,
    id: str | File | None = None,
    purpose: str | None = None,
    limit: int = 10000,
    all: bool = False,
    order: Literal['asc', 'desc'] = 'desc',
    after: str | None = None,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> File | Iterator[File]:
    """Gets an uploaded file, or lists the uploaded files."""
    ...


@overload
def get_openai_file_content(
    input: str | File | Mapping[str, Any] | _Has_file_id | _Has_file | _Has_id | None = None,
    /,
    *,
    file_id: str | File | None = None,
    file: str | File | None = None,
    id: str | File | None = None,
    out_file: str | PathLike[str],
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> None:
    """Downloads the content of an uploaded file."""
    ...

@overload
def get_openai_file_content(
    input: str | File | Mapping[str, Any] | _Has_file_id | _Has_file | _Has_id | None = None,
    /,
    *,
    file_id: str | File | None = None,
    file: str | File | None = None,
    id: str | File | None = None,
    out_file: None = None,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> bytes:
    """Downloads the content of an uploaded file."""
    ...

@overload
def get_openai_file_content(
    input: str | File | Mapping[str, Any] | _Has_file_id | _Has_file | _Has_id | None = None,
    /,
    *,
    file_id: str | File | None = None,
    file: str | File | None = None,
    id: str | File | None = None,
    out_file: str | PathLike[str] | None = None,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> None | bytes:
    """Downloads the content of an uploaded file."""
    ...


def remove_openai_file(
    input: str | File | Mapping[str, Any] | _Has_file_id | _Has_file | _Has_id | None = None,
    /,
    *,
    file_id: str | File | None = None,
    file: str | File | None = None,
    id: str | File | None = None,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> None:
    """Deletes an uploaded file."""
    ...


@overload
def request_chat_completion(
    input: str | Mapping[str, Any] | _Has_model | _Has_history | None = None,
    /,
    *,
    message: str | None = None,
    text: str | None = None,
    role: str = 'user',
    name: str | None = None,
    model: str = 'gpt-5.4-mini',
    system_message: str | Iterable[str] | None = None,
    system: str | Iterable[str] | None = None,
    role_prompt: str | Iterable[str] | None = None,
    developer_message: str | Iterable[str] | None = None,
    modalities: Literal['text', 'audio'] | Iterable[Literal['text', 'audio']] | None = None,
    voice: str = 'alloy',
    input_audio: str | PathLike[str] | None = None,
    input_audio_format: str | None = None,
    audio_out_file: str | PathLike[str] | None = None,
    output_audio_format: str = 'mp3',
    images: str | Iterable[str] | None = None,
    image_detail: Literal['auto', 'low', 'high'] = 'auto',
    tools: Any = None,
    tool_choice: Any = None,
    parallel_tool_calls: bool = False,
    invoke_tools: Literal['None', 'Auto', 'Confirm', 'none', 'auto', 'confirm'] = 'None',
    invoke_function_on_call_mode: Literal['None', 'Auto', 'Confirm', 'none', 'auto', 'confirm'] | None = None,
    web_search_context_size: Literal['low', 'medium', 'high'] | None = None,
    web_search_user_location_type: str = 'approximate',
    web_search_user_location_city: str | None = None,
    web_search_user_location_country: str | None = None,
    web_search_user_location_region: str | None = None,
    web_search_user_location_time_zone: str | None = None,
    prediction: str | None = None,
    temperature: float | None = None,
    top_p: float | None = None,
    number_of_answers: int | None = None,
    n: int | None = None,
    stream: bool = False,
    store: bool = False,
    verbosity: str | None = None,
    reasoning_effort: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    stop_sequence: str | Iterable[str] | None = None,
    stop: str | Iterable[str] | None = None,
    max_tokens: int | None = None,
    max_completion_tokens: int | None = None,
    presence_penalty: float | None = None,
    frequency_penalty: float | None = None,
    logit_bias: Mapping[str, Any] | None = None,
    log_probs: Any = None,
    top_log_probs: int | None = None,
    top_logprobs: int | None = None,
    response_format: Any = 'text',
    format: Any = None,
    json_schema: str | None = None,
    seed: Any = None,
    service_tier: str | None = None,
    prompt_cache_key: str | None = None,
    prompt_cache_retention: str | None = None,
    safety_identifier: str | None = None,
    user: str | None = None,
    as_batch: Literal[True],
    custom_batch_id: str | None = None,
    history: Any = None,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> BatchInput:
    """Creates a chat completion, or with -AsBatch a batch input item for one."""
    ...

@overload
def request_chat_completion(
    input: str | Mapping[str, Any] | _Has_model | _Has_history | None = None,
    /,
    *,
    message: str | None = None,
    text: str | None = None,
    role: str = 'user',
    name: str | None = None,
    model: str = 'gpt-5.4-mini',
    system_message: str | Iterable[str] | None = None,
    system: str | Iterable[str] | None = None,
    role_prompt: str | Iterable[str] | None = None,
    developer_message: str | Iterable[str] | None = None,
    modalities: Literal['text', 'audio'] | Iterable[Literal['text', 'audio']] | None = None,
    voice: str = 'alloy',
    input_audio: str | PathLike[str] | None = None,
    input_audio_format: str | None = None,
    audio_out_file: str | PathLike[str] | None = None,
    output_audio_format: str = 'mp3',
    images: str | Iterable[str] | None = None,
    image_detail: Literal['auto', 'low', 'high'] = 'auto',
    tools: Any = None,
    tool_choice: Any = None,
    parallel_tool_calls: bool = False,
    invoke_tools: Literal['None', 'Auto', 'Confirm', 'none', 'auto', 'confirm'] = 'None',
    invoke_function_on_call_mode: Literal['None', 'Auto', 'Confirm', 'none', 'auto', 'confirm'] | None = None,
    web_search_context_size: Literal['low', 'medium', 'high'] | None = None,
    web_search_user_location_type: str = 'approximate',
    web_search_user_location_city: str | None = None,
    web_search_user_location_country: str | None = None,
    web_search_user_location_region: str | None = None,
    web_search_user_location_time_zone: str | None = None,
    prediction: str | None = None,
    temperature: float | None = None,
    top_p: float | None = None,
    number_of_answers: int | None = None,
    n: int | None = None,
    stream: Literal[True],
    store: bool = False,
    verbosity: str | None = None,
    reasoning_effort: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    stop_sequence: str | Iterable[str] | None = None,
    stop: str | Iterable[str] | None = None,
    max_tokens: int | None = None,
    max_completion_tokens: int | None = None,
    presence_penalty: float | None = None,
    frequency_penalty: float | None = None,
    logit_bias: Mapping[str, Any] | None = None,
    log_probs: Any = None,
    top_log_probs: int | None = None,
    top_logprobs: int | None = None,
    response_format: Any = 'text',
    format: Any = None,
    json_schema: str | None = None,
    seed: Any = None,
    service_tier: str | None = None,
    prompt_cache_key: str | None = None,
    prompt_cache_retention: str | None = None,
    safety_identifier: str | None = None,
    user: str | None = None,
    as_batch: Literal[False] = False,
    custom_batch_id: str | None = None,
    history: Any = None,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> Iterator[str]:
    """Creates a chat completion, or with -AsBatch a batch input item for one."""
    ...

@overload
def request_chat_completion(  # pyright: ignore[reportOverlappingOverload]
    input: str | Mapping[str, Any] | _Has_model | _Has_history | None = None,
    /,
    *,
    message: str | None = None,
    text: str | None = None,
    role: str = 'user',
    name: str | None = None,
    model: str = 'gpt-5.4-mini',
    system_message: str | Iterable[str] | None = None,
    system: str | Iterable[str] | None = None,
    role_prompt: str | Iterable[str] | None = None,
    developer_message: str | Iterable[str] | None = None,
    modalities: Literal['text', 'audio'] | Iterable[Literal['text', 'audio']] | None = None,
    voice: str = 'alloy',
    input_audio: str | PathLike[str] | None = None,
    input_audio_format: str | None = None,
    audio_out_file: str | PathLike[str] | None = None,
    output_audio_format: str = 'mp3',
    images: str | Iterable[str] | None = None,
    image_detail: Literal['auto', 'low', 'high'] = 'auto',
    tools: Any = None,
    tool_choice: Any = None,
    parallel_tool_calls: bool = False,
    invoke_tools: Literal['None', 'Auto', 'Confirm', 'none', 'auto', 'confirm'] = 'None',
    invoke_function_on_call_mode: Literal['None', 'Auto', 'Confirm', 'none', 'auto', 'confirm'] | None = None,
    web_search_context_size: Literal['low', 'medium', 'high'] | None = None,
    web_search_user_location_type: str = 'approximate',
    web_search_user_location_city: str | None = None,
    web_search_user_location_country: str | None = None,
    web_search_user_location_region: str | None = None,
    web_search_user_location_time_zone: str | None = None,
    prediction: str | None = None,
    temperature: float | None = None,
    top_p: float | None = None,
    number_of_answers: int | None = None,
    n: int | None = None,
    stream: Literal[False] = False,
    store: bool = False,
    verbosity: str | None = None,
    reasoning_effort: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    stop_sequence: str | Iterable[str] | None = None,
    stop: str | Iterable[str] | None = None,
    max_tokens: int | None = None,
    max_completion_tokens: int | None = None,
    presence_penalty: float | None = None,
    frequency_penalty: float | None = None,
    logit_bias: Mapping[str, Any] | None = None,
    log_probs: Any = None,
    top_log_probs: int | None = None,
    top_logprobs: int | None = None,
    response_format: Literal['raw_response'],
    json_schema: str | None = None,
    seed: Any = None,
    service_tier: str | None = None,
    prompt_cache_key: str | None = None,
    prompt_cache_retention: str | None = None,
    safety_identifier: str | None = None,
    user: str | None = None,
    as_batch: Literal[False] = False,
    custom_batch_id: str | None = None,
    history: Any = None,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> str:
    """Creates a chat completion, or with -AsBatch a batch input item for one."""
    ...

@overload
def request_chat_completion(
    input: str | Mapping[str, Any] | _Has_model | _Has_history | None = None,
    /,
    *,
    message: str | None = None,
    text: str | None = None,
    role: str = 'user',
    name: str | None = None,
    model: str = 'gpt-5.4-mini',
    system_message: str | Iterable[str] | None = None,
    system: str | Iterable[str] | None = None,
    role_prompt: str | Iterable[str] | None = None,
    developer_message: str | Iterable[str] | None = None,
    modalities: Literal['text', 'audio'] | Iterable[Literal['text', 'audio']] | None = None,
    voice: str = 'alloy',
    input_audio: str | PathLike[str] | None = None,
    input_audio_format: str | None = None,
    audio_out_file: str | PathLike[str] | None = None,
    output_audio_format: str = 'mp3',
    images: str | Iterable[str] | None = None,
    image_detail: Literal['auto', 'low', 'high'] = 'auto',
    tools: Any = None,
    tool_choice: Any = None,
    parallel_tool_calls: bool = False,
    invoke_tools: Literal['None', 'Auto', 'Confirm', 'none', 'auto', 'confirm'] = 'None',
    invoke_function_on_call_mode: Literal['None', 'Auto', 'Confirm', 'none', 'auto', 'confirm'] | None = None,
    web_search_context_size: Literal['low', 'medium', 'high'] | None = None,
    web_search_user_location_type: str = 'approximate',
    web_search_user_location_city: str | None = None,
    web_search_user_location_country: str | None = None,
    web_search_user_location_region: str | None = None,
    web_search_user_location_time_zone: str | None = None,
    prediction: str | None = None,
    temperature: float | None = None,
    top_p: float | None = None,
    number_of_answers: int | None = None,
    n: int | None = None,
    stream: Literal[False] = False,
    store: bool = False,
    verbosity: str | None = None,
    reasoning_effort: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    stop_sequence: str | Iterable[str] | None = None,
    stop: str | Iterable[str] | None = None,
    max_tokens: int | None = None,
    max_completion_tokens: int | None = None,
    presence_penalty: float | None = None,
    frequency_penalty: float | None = None,
    logit_bias: Mapping[str, Any] | None = None,
    log_probs: Any = None,
    top_log_probs: int | None = None,
    top_logprobs: int | None = None,
    response_format: Any = 'text',
    format: Any = None,
    json_schema: str | None = None,
    seed: Any = None,
    service_tier: str | None = None,
    prompt_cache_key: str | None = None,
    prompt_cache_retention: str | None = None,
    safety_identifier: str | None = None,
    user: str | None = None,
    as_batch: Literal[False] = False,
    custom_batch_id: str | None = None,
    history: Any = None,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> ChatCompletionResult:
    """Creates a chat completion, or with -AsBatch a batch input item for one."""
    ...

@overload
def request_chat_completion(
    input: str | Mapping[str, Any] | _Has_model | _Has_history | None = None,
    /,
    *,
    message: str | None = None,
    text: str | None = None,
    role: str = 'user',
    name: str | None = None,
    model: str = 'gpt-5.4-mini',
    system_message: str | Iterable[str] | None = None,
    system: str | Iterable[str] | None = None,
    role_prompt: str | Iterable[str] | None = None,
    developer_message: str | Iterable[str] | None = None,
    modalities: Literal['text', 'audio'] | Iterable[Literal['text', 'audio']] | None = None,
    voice: str = 'alloy',
    input_audio: str | PathLike[str] | None = None,
    input_audio_format: str | None = None,
    audio_out_file: str | PathLike[str] | None = None,
    output_audio_format: str = 'mp3',
    images: str | Iterable[str] | None = None,
    image_detail: Literal['auto', 'low', 'high'] = 'auto',
    tools: Any = None,
    tool_choice: Any = None,
    parallel_tool_calls: bool = False,
    invoke_tools: Literal['None', 'Auto', 'Confirm', 'none', 'auto', 'confirm'] = 'None',
    invoke_function_on_call_mode: Literal['None', 'Auto', 'Confirm', 'none', 'auto', 'confirm'] | None = None,
    web_search_context_size: Literal['low', 'medium', 'high'] | None = None,
    web_search_user_location_type: str = 'approximate',
    web_search_user_location_city: str | None = None,
    web_search_user_location_country: str | None = None,
    web_search_user_location_region: str | None = None,
    web_search_user_location_time_zone: str | None = None,
    prediction: str | None = None,
    temperature: float | None = None,
    top_p: float | None = None,
    number_of_answers: int | None = None,
    n: int | None = None,
    stream: bool = False,
    store: bool = False,
    verbosity: str | None = None,
    reasoning_effort: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    stop_sequence: str | Iterable[str] | None = None,
    stop: str | Iterable[str] | None = None,
    max_tokens: int | None = None,
    max_completion_tokens: int | None = None,
    presence_penalty: float | None = None,
    frequency_penalty: float | None = None,
    logit_bias: Mapping[str, Any] | None = None,
    log_probs: Any = None,
    top_log_probs: int | None = None,
    top_logprobs: int | None = None,
    response_format: Any = 'text',
    format: Any = None,
    json_schema: str | None = None,
    seed: Any = None,
    service_tier: str | None = None,
    prompt_cache_key: str | None = None,
    prompt_cache_retention: str | None = None,
    safety_identifier: str | None = None,
    user: str | None = None,
    as_batch: bool = False,
    custom_batch_id: str | None = None,
    history: Any = None,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> BatchInput | Iterator[str] | str | ChatCompletionResult:
    """Creates a chat completion, or with -AsBatch a batch input item for one."""
    ...

request_chat_gpt = request_chat_completion


@overload
def request_embeddings(
    value: str | Iterable[str] | None = None,
    /,
    *,
    text: str | Iterable[str] | None = None,
    input: str | Iterable[str] | None = None,
    model: str = 'text-embedding-ada-002',
    encoding_format: Literal['float', 'base64'] = 'float',
    format: Literal['float', 'base64'] | None = None,
    dimensions: int | None = None,
    user: str | None = None,
    as_batch: Literal[True],
    custom_batch_id: str | None = None,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> EmbeddingsInput:
    """Gets vectors representing texts (embeddings), or builds the request as a batch item."""
    ...

@overload
def request_embeddings(
    value: str | Iterable[str] | None = None,
    /,
    *,
    text: str | Iterable[str] | None = None,
    input: str | Iterable[str] | None = None,
    model: str = 'text-embedding-ada-002',
    encoding_format: Literal['float', 'base64'] = 'float',
    format: Literal['float', 'base64'] | None = None,
    dimensions: int | None = None,
    user: str | None = None,
    as_batch: Literal[False] = False,
    custom_batch_id: str | None = None,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> Embeddings:
    """Gets vectors representing texts (embeddings), or builds the request as a batch item."""
    ...

@overload
def request_embeddings(
    value: str | Iterable[str] | None = None,
    /,
    *,
    text: str | Iterable[str] | None = None,
    input: str | Iterable[str] | None = None,
    model: str = 'text-embedding-ada-002',
    encoding_format: Literal['float', 'base64'] = 'float',
    format: Literal['float', 'base64'] | None = None,
    dimensions: int | None = None,
    user: str | None = None,
    as_batch: bool = False,
    custom_batch_id: str | None = None,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> EmbeddingsInput | Embeddings:
    """Gets vectors representing texts (embeddings), or builds the request as a batch item."""
    ...


def request_response(
    value: str | Mapping[str, Any] | _Has_model | _Has_history | None = None,
    /,
    *,
    message: str | None = None,
    input: str | None = None,
    user_message: str | None = None,
    role: str = 'user',
    model: str = 'gpt-5.4-mini',
    system_message: str | Iterable[str] | None = None,
    system: str | Iterable[str] | None = None,
    developer_message: str | Iterable[str] | None = None,
    instructions: str | None = None,
    images: str | Iterable[str] | None = None,
    image_detail: Literal['auto', 'low', 'high'] = 'auto',
    files: str | Iterable[str] | None = None,
    tool_choice: str | None = None,
    parallel_tool_calls: bool | None = None,
    max_tool_calls: int | None = None,
    functions: Any = None,
    custom_tools: Any = None,
    use_file_search_tool: bool = False,
    file_search_type: str = 'file_search',
    file_search_vector_store_ids: str | Iterable[str] | None = None,
    file_search_max_number_of_results: int | None = None,
    file_search_ranker: str = 'auto',
    file_search_score_threshold: float = 0.0,
    file_search_hybrid_search_embedding_weight: float | None = None,
    file_search_hybrid_search_text_weight: float | None = None,
    use_web_search_tool: bool = False,
    web_search_type: str = 'web_search',
    web_search_context_size: Literal['low', 'medium', 'high'] | None = None,
    web_search_allowed_domains: str | Iterable[str] | None = None,
    web_search_user_location_type: str = 'approximate',
    web_search_user_location_city: str | None = None,
    web_search_user_location_country: str | None = None,
    web_search_user_location_region: str | None = None,
    web_search_user_location_time_zone: str | None = None,
    use_computer_use_tool: bool = False,
    computer_use_type: str = 'computer',
    computer_use_environment: str | None = None,
    computer_use_display_height: int | None = None,
    computer_use_display_width: int | None = None,
    use_remote_mcp_tool: bool = False,
    remote_mcp_type: str = 'mcp',
    remote_mcp_server_label: str | None = None,
    remote_mcp_server_url: str | None = None,
    remote_mcp_server_description: str | None = None,
    remote_mcp_allowed_tools: Any = None,
    remote_mcp_require_approval: Any = None,
    remote_mcp_headers: Mapping[str, Any] | None = None,
    remote_mcp_authorization: str | Secret | None = None,
    use_connector_tool: bool = False,
    connector_label: str | None = None,
    connector_id: str | None = None,
    connector_require_approval: str | None = None,
    connector_authorization: str | Secret | None = None,
    use_code_interpreter_tool: bool = False,
    code_interpreter_type: str = 'code_interpreter',
    code_interpreter_memory_limit: Literal['1g', '4g', '16g', '64g'] | None = None,
    container_id: str = 'auto',
    container_file_ids: str | Iterable[str] | None = None,
    use_image_generation_tool: bool = False,
    image_generation_type: str = 'image_generation',
    image_generation_model: str | None = None,
    image_generation_action: str = 'auto',
    image_generation_back_ground: str = 'auto',
    image_generation_input_image_mask: str | None = None,
    image_generation_moderation: str = 'auto',
    image_generation_output_compression: int | None = None,
    image_generation_output_format: Literal['png', 'jpeg', 'webp'] = 'png',
    image_generation_partial_images: int | None = None,
    image_generation_quality: Literal['low', 'medium', 'high', 'auto'] = 'auto',
    image_generation_size: Literal['auto', '1024x1024', '1536x1024', '1024x1536'] = 'auto',
    use_local_shell_tool: bool = False,
    local_shell_type: str = 'local_shell',
    use_shell_tool: bool = False,
    use_apply_patch_tool: bool = False,
    conversation: str | None = None,
    conversation_id: str | None = None,
    previous_response_id: str | None = None,
    prompt_id: str | None = None,
    prompt_variables: Mapping[str, Any] | None = None,
    prompt_version: str | None = None,
    include: str | Iterable[str] | None = None,
    truncation: str | None = None,
    temperature: float | None = None,
    top_logprobs: int | None = None,
    top_p: float | None = None,
    store: bool | None = None,
    background: bool = False,
    stream: bool = False,
    stream_output_type: Literal['text', 'object'] = 'text',
    verbosity: Literal['low', 'medium', 'high'] = 'medium',
    reasoning_effort: str | None = None,
    reasoning_summary: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    max_output_tokens: int | None = None,
    output_type: Any = 'text',
    json_schema: str | None = None,
    json_schema_name: str | None = None,
    json_schema_description: str | None = None,
    json_schema_strict: bool | None = None,
    service_tier: str | None = None,
    prompt_cache_key: str | None = None,
    prompt_cache_retention: str | None = None,
    safety_identifier: str | None = None,
    user: str | None = None,
    as_batch: bool = False,
    custom_batch_id: str | None = None,
    output_raw_response: bool = False,
    history: Any = None,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> Any:
    """Creates a model response with the Responses API, or with -AsBatch a batch input item for one."""
    ...


@overload
def request_text_completion(
    input: str | Iterable[str] | None = None,
    /,
    *,
    prompt: str | Iterable[str] | None = None,
    message: str | Iterable[str] | None = None,
    suffix: str | None = None,
    model: str = 'gpt-3.5-turbo-instruct',
    temperature: float | None = None,
    top_p: float | None = None,
    number_of_answers: int | None = None,
    n: int | None = None,
    stop_sequence: str | Iterable[str] | None = None,
    stop: str | Iterable[str] | None = None,
    stream: bool = False,
    max_tokens: int = 2048,
    presence_penalty: float | None = None,
    frequency_penalty: float | None = None,
    logit_bias: Mapping[str, Any] | None = None,
    user: str | None = None,
    echo: Any = None,
    best_of: int | None = None,
    as_batch: Literal[True],
    custom_batch_id: str | None = None,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> TextCompletionInput:
    """Completes text with the legacy completions endpoint, or builds the request as a batch item."""
    ...

@overload
def request_text_completion(
    input: str | Iterable[str] | None = None,
    /,
    *,
    prompt: str | Iterable[str] | None = None,
    message: str | Iterable[str] | None = None,
    suffix: str | None = None,
    model: str = 'gpt-3.5-turbo-instruct',
    temperature: float | None = None,
    top_p: float | None = None,
    number_of_answers: int | None = None,
    n: int | None = None,
    stop_sequence: str | Iterable[str] | None = None,
    stop: str | Iterable[str] | None = None,
    stream: bool = False,
    max_tokens: int = 2048,
    presence_penalty: float | None = None,
    frequency_penalty: float | None = None,
    logit_bias: Mapping[str, Any] | None = None,
    user: str | None = None,
    echo: Any = None,
    best_of: int | None = None,
    as_batch: Literal[False] = False,
    custom_batch_id: str | None = None,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> TextCompletionResult:
    """Completes text with the legacy completions endpoint, or builds the request as a batch item."""
    ...

@overload
def request_text_completion(
    input: str | Iterable[str] | None = None,
    /,
    *,
    prompt: str | Iterable[str] | None = None,
    message: str | Iterable[str] | None = None,
    suffix: str | None = None,
    model: str = 'gpt-3.5-turbo-instruct',
    temperature: float | None = None,
    top_p: float | None = None,
    number_of_answers: int | None = None,
    n: int | None = None,
    stop_sequence: str | Iterable[str] | None = None,
    stop: str | Iterable[str] | None = None,
    stream: bool = False,
    max_tokens: int = 2048,
    presence_penalty: float | None = None,
    frequency_penalty: float | None = None,
    logit_bias: Mapping[str, Any] | None = None,
    user: str | None = None,
    echo: Any = None,
    best_of: int | None = None,
    as_batch: bool = False,
    custom_batch_id: str | None = None,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> TextCompletionInput | TextCompletionResult:
    """Completes text with the legacy completions endpoint, or builds the request as a batch item."""
    ...


def set_openai_context(
    *,
    api_key: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    api_base: str | None = None,
    base_url: str | None = None,
    api_version: str | None = None,
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    timeout_sec: int = 0,
    timeout: int | None = None,
    max_retry_count: int = 0,
    max_retries: int | None = None,
) -> None:
    """Sets the API settings that every cmdlet of the session uses by default."""
    ...


@overload
def start_batch(
    input: str | File | Mapping[str, Any] | _Has_file_id | _Has_input_file_id | _Has_file | BatchRequestItem | _TypeNamed | Iterable[BatchRequestItem | Mapping[str, Any] | _TypeNamed] | _Has_batch_input | None = None,
    /,
    *,
    file_id: str | File | None = None,
    input_file_id: str | File | None = None,
    file: str | File | None = None,
    batch_input: BatchRequestItem | Mapping[str, Any] | _TypeNamed | Iterable[BatchRequestItem | Mapping[str, Any] | _TypeNamed] | None = None,
    input_object: BatchRequestItem | Mapping[str, Any] | _TypeNamed | Iterable[BatchRequestItem | Mapping[str, Any] | _TypeNamed] | None = None,
    path: str | PathLike[str] | None = None,
    endpoint: str = '/v1/chat/completions',
    completion_window: str = '24h',
    output_expires_after_seconds: int | None = None,
    output_expires_after_anchor: str = 'created_at',
    metadata: Mapping[str, Any] | None = None,
    split: Literal[True],
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> list[Batch]:
    """Creates and starts a batch from an uploaded file or from request items."""
    ...

@overload
def start_batch(
    input: str | File | Mapping[str, Any] | _Has_file_id | _Has_input_file_id | _Has_file | BatchRequestItem | _TypeNamed | Iterable[BatchRequestItem | Mapping[str, Any] | _TypeNamed] | _Has_batch_input | None = None,
    /,
    *,
    file_id: str | File | None = None,
    input_file_id: str | File | None = None,
    file: str | File | None = None,
    batch_input: BatchRequestItem | Mapping[str, Any] | _TypeNamed | Iterable[BatchRequestItem | Mapping[str, Any] | _TypeNamed] | None = None,
    input_object: BatchRequestItem | Mapping[str, Any] | _TypeNamed | Iterable[BatchRequestItem | Mapping[str, Any] | _TypeNamed] | None = None,
    path: str | PathLike[str] | None = None,
    endpoint: str = '/v1/chat/completions',
    completion_window: str = '24h',
    output_expires_after_seconds: int | None = None,
    output_expires_after_anchor: str = 'created_at',
    metadata: Mapping[str, Any] | None = None,
    split: Literal[False] = False,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> Batch:
    """Creates and starts a batch from an uploaded file or from request items."""
    ...

@overload
def start_batch(
    input: str | File | Mapping[str, Any] | _Has_file_id | _Has_input_file_id | _Has_file | BatchRequestItem | _TypeNamed | Iterable[BatchRequestItem | Mapping[str, Any] | _TypeNamed] | _Has_batch_input | None = None,
    /,
    *,
    file_id: str | File | None = None,
    input_file_id: str | File | None = None,
    file: str | File | None = None,
    batch_input: BatchRequestItem | Mapping[str, Any] | _TypeNamed | Iterable[BatchRequestItem | Mapping[str, Any] | _TypeNamed] | None = None,
    input_object: BatchRequestItem | Mapping[str, Any] | _TypeNamed | Iterable[BatchRequestItem | Mapping[str, Any] | _TypeNamed] | None = None,
    path: str | PathLike[str] | None = None,
    endpoint: str = '/v1/chat/completions',
    completion_window: str = '24h',
    output_expires_after_seconds: int | None = None,
    output_expires_after_anchor: str = 'created_at',
    metadata: Mapping[str, Any] | None = None,
    split: bool = False,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> list[Batch] | Batch:
    """Creates and starts a batch from an uploaded file or from request items."""
    ...


@overload
def stop_batch(
    input: Batch | Mapping[str, Any] | _TypeNamed | str | _Has_batch_id | _Has_id | None = None,
    /,
    *,
    batch_id: str | Batch | None = None,
    id: str | Batch | None = None,
    wait: bool = False,
    force: bool = False,
    pass_thru: Literal[True],
    input_object: Batch | Mapping[str, Any] | _TypeNamed | None = None,
    batch: Batch | Mapping[str, Any] | _TypeNamed | None = None,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> Batch:
    """Cancels an in-progress batch."""
    ...

@overload
def stop_batch(
    input: Batch | Mapping[str, Any] | _TypeNamed | str | _Has_batch_id | _Has_id | None = None,
    /,
    *,
    batch_id: str | Batch | None = None,
    id: str | Batch | None = None,
    wait: bool = False,
    force: bool = False,
    pass_thru: Literal[False] = False,
    input_object: Batch | Mapping[str, Any] | _TypeNamed | None = None,
    batch: Batch | Mapping[str, Any] | _TypeNamed | None = None,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> None:
    """Cancels an in-progress batch."""
    ...

@overload
def stop_batch(
    input: Batch | Mapping[str, Any] | _TypeNamed | str | _Has_batch_id | _Has_id | None = None,
    /,
    *,
    batch_id: str | Batch | None = None,
    id: str | Batch | None = None,
    wait: bool = False,
    force: bool = False,
    pass_thru: bool = False,
    input_object: Batch | Mapping[str, Any] | _TypeNamed | None = None,
    batch: Batch | Mapping[str, Any] | _TypeNamed | None = None,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> Batch | None:
    """Cancels an in-progress batch."""
    ...


def wait_batch(
    input: str | Batch | Mapping[str, Any] | _Has_batch_id | _Has_batch | _Has_id | None = None,
    /,
    *,
    batch_id: str | Batch | None = None,
    batch: str | Batch | None = None,
    input_object: str | Batch | None = None,
    id: str | Batch | None = None,
    poll_interval_sec: float = 1.0,
    status_for_wait: Literal['validating', 'failed', 'in_progress', 'finalizing', 'completed', 'expired', 'cancelling', 'cancelled'] | Iterable[Literal['validating', 'failed', 'in_progress', 'finalizing', 'completed', 'expired', 'cancelling', 'cancelled']] = ...,
    status_for_exit: Literal['validating', 'failed', 'in_progress', 'finalizing', 'completed', 'expired', 'cancelling', 'cancelled'] | Iterable[Literal['validating', 'failed', 'in_progress', 'finalizing', 'completed', 'expired', 'cancelling', 'cancelled']] | None = None,
    timeout_sec: int = 600,
    timeout: int | None = None,
    max_retry_count: int = 2,
    max_retries: int | None = None,
    api_base: str = 'https://api.openai.com/v1',
    base_url: str | None = None,
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
    auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> Batch:
    """Waits until a batch leaves the statuses it is waiting for, then returns it."""
    ...


class Client:
    """Every function of cmdlets as a method, with these settings for each call it makes."""
    def __init__(
        self,
        *,
        timeout_sec: int | None = None,
        timeout: int | None = None,
        max_retry_count: int | None = None,
        max_retries: int | None = None,
        api_base: str | None = None,
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] | None = None,
        auth_type: Literal['openai', 'azure', 'azure_ad'] | None = None,
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> None: ...
    def with_options(
        self,
        *,
        timeout_sec: int | None = None,
        timeout: int | None = None,
        max_retry_count: int | None = None,
        max_retries: int | None = None,
        api_base: str | None = None,
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] | None = None,
        auth_type: Literal['openai', 'azure', 'azure_ad'] | None = None,
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> Client: ...

    def add_openai_file(
        self,
        input: str | PathLike[str] | bytes | bytearray | memoryview | None = None,
        /,
        *,
        file: str | PathLike[str] | None = None,
        content: bytes | bytearray | memoryview | None = None,
        name: str | None = None,
        purpose: str | None = None,
        expires_after_seconds: int | None = None,
        expires_after_anchor: str = 'created_at',
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> File:
        """Uploads a file for batches, assistants, fine-tuning and other uses."""
        ...

    def clear_openai_context(
        self,
        /,
    ) -> None:
        """Sets the session context back to its defaults."""
        ...

    @overload
    def get_batch(
        self,
        input: str | Batch | Mapping[str, Any] | _Has_batch_id | _Has_batch | _Has_id,
        /,
        *,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> Batch:
        """Gets a batch, or lists the batches of the organization."""
        ...

    @overload
    def get_batch(
        self,
        /,
        *,
        batch_id: str | Batch,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> Batch:
        """Gets a batch, or lists the batches of the organization."""
        ...

    @overload
    def get_batch(
        self,
        /,
        *,
        batch: str | Batch,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> Batch:
        """Gets a batch, or lists the batches of the organization."""
        ...

    @overload
    def get_batch(
        self,
        /,
        *,
        id: str | Batch,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> Batch:
        """Gets a batch, or lists the batches of the organization."""
        ...

    @overload
    def get_batch(
        self,
        /,
        *,
        limit: int = 20,
        all: bool = False,
        after: str | None = None,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> Iterator[Batch]:
        """Gets a batch, or lists the batches of the organization."""
        ...

    @overload
    def get_batch(
        self,
        input: str | Batch | Mapping[str, Any] | _Has_batch_id | _Has_batch | _Has_id | None = None,
        /,
        *,
        batch_id: str | Batch | None = None,
        batch: str | Batch | None = None,
        id: str | Batch | None = None,
        limit: int = 20,
        all: bool = False,
        after: str | None = None,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> Batch | Iterator[Batch]:
        """Gets a batch, or lists the batches of the organization."""
        ...

    def get_batch_output(
        self,
        input: Batch | Mapping[str, Any] | _TypeNamed | _Has_batch | str | _Has_batch_id | _Has_id | None = None,
        /,
        *,
        batch: Batch | Mapping[str, Any] | _TypeNamed | None = None,
        input_object: Batch | Mapping[str, Any] | _TypeNamed | None = None,
        batch_id: str | Batch | None = None,
        id: str | Batch | None = None,
        wait: bool = False,
        output_type: Any = None,
        format: Any = None,
        response_format: Any = None,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> Iterator[BatchOutput]:
        """Gets the results of a batch, one object per request."""
        ...

    def get_batch_request(
        self,
        input: Batch | Mapping[str, Any] | _TypeNamed | _Has_batch | str | _Has_batch_id | _Has_id | None = None,
        /,
        *,
        batch: Batch | Mapping[str, Any] | _TypeNamed | None = None,
        input_object: Batch | Mapping[str, Any] | _TypeNamed | None = None,
        batch_id: str | Batch | None = None,
        id: str | Batch | None = None,
        failed: bool = False,
        include_output: bool = False,
        wait: bool = False,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> Iterator[BatchRequest]:
        """Gets the requests of a finished batch, to start again those that failed or never ran, or to see each beside its result."""
        ...

    def get_openai_context(
        self,
        /,
    ) -> OpenAIContext:
        """Gets the session context's API settings."""
        ...

    @overload
    def get_openai_file(
        self,
        input: str | File | Mapping[str, Any] | _Has_file_id | _Has_file | _Has_id,
        /,
        *,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> File:
        """Gets an uploaded file, or lists the uploaded files."""
        ...

    @overload
    def get_openai_file(
        self,
        /,
        *,
        file_id: str | File,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> File:
        """Gets an uploaded file, or lists the uploaded files."""
        ...

    @overload
    def get_openai_file(
        self,
        /,
        *,
        file: str | File,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> File:
        """Gets an uploaded file, or lists the uploaded files."""
        ...

    @overload
    def get_openai_file(
        self,
        /,
        *,
        id: str | File,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> File:
        """Gets an uploaded file, or lists the uploaded files."""
        ...

    @overload
    def get_openai_file(
        self,
        /,
        *,
        purpose: str | None = None,
        limit: int = 10000,
        all: bool = False,
        order: Literal['asc', 'desc'] = 'desc',
        after: str | None = None,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> Iterator[File]:
        """Gets an uploaded file, or lists the uploaded files."""
        ...

    @overload
    def get_openai_file(
        self,
        input: str | File | Mapping[str, Any] | _Has_file_id | _Has_file | _Has_id | None = None,
        /,
        *,
        file_id: str | File | None = None,
        file: str | File | None = None,
        id: str | File | None = None,
        purpose: str | None = None,
        limit: int = 10000,
        all: bool = False,
        order: Literal['asc', 'desc'] = 'desc',
        after: str | None = None,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> File | Iterator[File]:
        """Gets an uploaded file, or lists the uploaded files."""
        ...

    @overload
    def get_openai_file_content(
        self,
        input: str | File | Mapping[str, Any] | _Has_file_id | _Has_file | _Has_id | None = None,
        /,
        *,
        file_id: str | File | None = None,
        file: str | File | None = None,
        id: str | File | None = None,
        out_file: str | PathLike[str],
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> None:
        """Downloads the content of an uploaded file."""
        ...

    @overload
    def get_openai_file_content(
        self,
        input: str | File | Mapping[str, Any] | _Has_file_id | _Has_file | _Has_id | None = None,
        /,
        *,
        file_id: str | File | None = None,
        file: str | File | None = None,
        id: str | File | None = None,
        out_file: None = None,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> bytes:
        """Downloads the content of an uploaded file."""
        ...

    @overload
    def get_openai_file_content(
        self,
        input: str | File | Mapping[str, Any] | _Has_file_id | _Has_file | _Has_id | None = None,
        /,
        *,
        file_id: str | File | None = None,
        file: str | File | None = None,
        id: str | File | None = None,
        out_file: str | PathLike[str] | None = None,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> None | bytes:
        """Downloads the content of an uploaded file."""
        ...

    def remove_openai_file(
        self,
        input: str | File | Mapping[str, Any] | _Has_file_id | _Has_file | _Has_id | None = None,
        /,
        *,
        file_id: str | File | None = None,
        file: str | File | None = None,
        id: str | File | None = None,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> None:
        """Deletes an uploaded file."""
        ...

    @overload
    def request_chat_completion(
        self,
        input: str | Mapping[str, Any] | _Has_model | _Has_history | None = None,
        /,
        *,
        message: str | None = None,
        text: str | None = None,
        role: str = 'user',
        name: str | None = None,
        model: str = 'gpt-5.4-mini',
        system_message: str | Iterable[str] | None = None,
        system: str | Iterable[str] | None = None,
        role_prompt: str | Iterable[str] | None = None,
        developer_message: str | Iterable[str] | None = None,
        modalities: Literal['text', 'audio'] | Iterable[Literal['text', 'audio']] | None = None,
        voice: str = 'alloy',
        input_audio: str | PathLike[str] | None = None,
        input_audio_format: str | None = None,
        audio_out_file: str | PathLike[str] | None = None,
        output_audio_format: str = 'mp3',
        images: str | Iterable[str] | None = None,
        image_detail: Literal['auto', 'low', 'high'] = 'auto',
        tools: Any = None,
        tool_choice: Any = None,
        parallel_tool_calls: bool = False,
        invoke_tools: Literal['None', 'Auto', 'Confirm', 'none', 'auto', 'confirm'] = 'None',
        invoke_function_on_call_mode: Literal['None', 'Auto', 'Confirm', 'none', 'auto', 'confirm'] | None = None,
        web_search_context_size: Literal['low', 'medium', 'high'] | None = None,
        web_search_user_location_type: str = 'approximate',
        web_search_user_location_city: str | None = None,
        web_search_user_location_country: str | None = None,
        web_search_user_location_region: str | None = None,
        web_search_user_location_time_zone: str | None = None,
        prediction: str | None = None,
        temperature: float | None = None,
        top_p: float | None = None,
        number_of_answers: int | None = None,
        n: int | None = None,
        stream: bool = False,
        store: bool = False,
        verbosity: str | None = None,
        reasoning_effort: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        stop_sequence: str | Iterable[str] | None = None,
        stop: str | Iterable[str] | None = None,
        max_tokens: int | None = None,
        max_completion_tokens: int | None = None,
        presence_penalty: float | None = None,
        frequency_penalty: float | None = None,
        logit_bias: Mapping[str, Any] | None = None,
        log_probs: Any = None,
        top_log_probs: int | None = None,
        top_logprobs: int | None = None,
        response_format: Any = 'text',
        format: Any = None,
        json_schema: str | None = None,
        seed: Any = None,
        service_tier: str | None = None,
        prompt_cache_key: str | None = None,
        prompt_cache_retention: str | None = None,
        safety_identifier: str | None = None,
        user: str | None = None,
        as_batch: Literal[True],
        custom_batch_id: str | None = None,
        history: Any = None,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> BatchInput:
        """Creates a chat completion, or with -AsBatch a batch input item for one."""
        ...

    @overload
    def request_chat_completion(
        self,
        input: str | Mapping[str, Any] | _Has_model | _Has_history | None = None,
        /,
        *,
        message: str | None = None,
        text: str | None = None,
        role: str = 'user',
        name: str | None = None,
        model: str = 'gpt-5.4-mini',
        system_message: str | Iterable[str] | None = None,
        system: str | Iterable[str] | None = None,
        role_prompt: str | Iterable[str] | None = None,
        developer_message: str | Iterable[str] | None = None,
        modalities: Literal['text', 'audio'] | Iterable[Literal['text', 'audio']] | None = None,
        voice: str = 'alloy',
        input_audio: str | PathLike[str] | None = None,
        input_audio_format: str | None = None,
        audio_out_file: str | PathLike[str] | None = None,
        output_audio_format: str = 'mp3',
        images: str | Iterable[str] | None = None,
        image_detail: Literal['auto', 'low', 'high'] = 'auto',
        tools: Any = None,
        tool_choice: Any = None,
        parallel_tool_calls: bool = False,
        invoke_tools: Literal['None', 'Auto', 'Confirm', 'none', 'auto', 'confirm'] = 'None',
        invoke_function_on_call_mode: Literal['None', 'Auto', 'Confirm', 'none', 'auto', 'confirm'] | None = None,
        web_search_context_size: Literal['low', 'medium', 'high'] | None = None,
        web_search_user_location_type: str = 'approximate',
        web_search_user_location_city: str | None = None,
        web_search_user_location_country: str | None = None,
        web_search_user_location_region: str | None = None,
        web_search_user_location_time_zone: str | None = None,
        prediction: str | None = None,
        temperature: float | None = None,
        top_p: float | None = None,
        number_of_answers: int | None = None,
        n: int | None = None,
        stream: Literal[True],
        store: bool = False,
        verbosity: str | None = None,
        reasoning_effort: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        stop_sequence: str | Iterable[str] | None = None,
        stop: str | Iterable[str] | None = None,
        max_tokens: int | None = None,
        max_completion_tokens: int | None = None,
        presence_penalty: float | None = None,
        frequency_penalty: float | None = None,
        logit_bias: Mapping[str, Any] | None = None,
        log_probs: Any = None,
        top_log_probs: int | None = None,
        top_logprobs: int | None = None,
        response_format: Any = 'text',
        format: Any = None,
        json_schema: str | None = None,
        seed: Any = None,
        service_tier: str | None = None,
        prompt_cache_key: str | None = None,
        prompt_cache_retention: str | None = None,
        safety_identifier: str | None = None,
        user: str | None = None,
        as_batch: Literal[False] = False,
        custom_batch_id: str | None = None,
        history: Any = None,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> Iterator[str]:
        """Creates a chat completion, or with -AsBatch a batch input item for one."""
        ...

    @overload
    def request_chat_completion(  # pyright: ignore[reportOverlappingOverload]
        self,
        input: str | Mapping[str, Any] | _Has_model | _Has_history | None = None,
        /,
        *,
        message: str | None = None,
        text: str | None = None,
        role: str = 'user',
        name: str | None = None,
        model: str = 'gpt-5.4-mini',
        system_message: str | Iterable[str] | None = None,
        system: str | Iterable[str] | None = None,
        role_prompt: str | Iterable[str] | None = None,
        developer_message: str | Iterable[str] | None = None,
        modalities: Literal['text', 'audio'] | Iterable[Literal['text', 'audio']] | None = None,
        voice: str = 'alloy',
        input_audio: str | PathLike[str] | None = None,
        input_audio_format: str | None = None,
        audio_out_file: str | PathLike[str] | None = None,
        output_audio_format: str = 'mp3',
        images: str | Iterable[str] | None = None,
        image_detail: Literal['auto', 'low', 'high'] = 'auto',
        tools: Any = None,
        tool_choice: Any = None,
        parallel_tool_calls: bool = False,
        invoke_tools: Literal['None', 'Auto', 'Confirm', 'none', 'auto', 'confirm'] = 'None',
        invoke_function_on_call_mode: Literal['None', 'Auto', 'Confirm', 'none', 'auto', 'confirm'] | None = None,
        web_search_context_size: Literal['low', 'medium', 'high'] | None = None,
        web_search_user_location_type: str = 'approximate',
        web_search_user_location_city: str | None = None,
        web_search_user_location_country: str | None = None,
        web_search_user_location_region: str | None = None,
        web_search_user_location_time_zone: str | None = None,
        prediction: str | None = None,
        temperature: float | None = None,
        top_p: float | None = None,
        number_of_answers: int | None = None,
        n: int | None = None,
        stream: Literal[False] = False,
        store: bool = False,
        verbosity: str | None = None,
        reasoning_effort: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        stop_sequence: str | Iterable[str] | None = None,
        stop: str | Iterable[str] | None = None,
        max_tokens: int | None = None,
        max_completion_tokens: int | None = None,
        presence_penalty: float | None = None,
        frequency_penalty: float | None = None,
        logit_bias: Mapping[str, Any] | None = None,
        log_probs: Any = None,
        top_log_probs: int | None = None,
        top_logprobs: int | None = None,
        response_format: Literal['raw_response'],
        json_schema: str | None = None,
        seed: Any = None,
        service_tier: str | None = None,
        prompt_cache_key: str | None = None,
        prompt_cache_retention: str | None = None,
        safety_identifier: str | None = None,
        user: str | None = None,
        as_batch: Literal[False] = False,
        custom_batch_id: str | None = None,
        history: Any = None,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> str:
        """Creates a chat completion, or with -AsBatch a batch input item for one."""
        ...

    @overload
    def request_chat_completion(
        self,
        input: str | Mapping[str, Any] | _Has_model | _Has_history | None = None,
        /,
        *,
        message: str | None = None,
        text: str | None = None,
        role: str = 'user',
        name: str | None = None,
        model: str = 'gpt-5.4-mini',
        system_message: str | Iterable[str] | None = None,
        system: str | Iterable[str] | None = None,
        role_prompt: str | Iterable[str] | None = None,
        developer_message: str | Iterable[str] | None = None,
        modalities: Literal['text', 'audio'] | Iterable[Literal['text', 'audio']] | None = None,
        voice: str = 'alloy',
        input_audio: str | PathLike[str] | None = None,
        input_audio_format: str | None = None,
        audio_out_file: str | PathLike[str] | None = None,
        output_audio_format: str = 'mp3',
        images: str | Iterable[str] | None = None,
        image_detail: Literal['auto', 'low', 'high'] = 'auto',
        tools: Any = None,
        tool_choice: Any = None,
        parallel_tool_calls: bool = False,
        invoke_tools: Literal['None', 'Auto', 'Confirm', 'none', 'auto', 'confirm'] = 'None',
        invoke_function_on_call_mode: Literal['None', 'Auto', 'Confirm', 'none', 'auto', 'confirm'] | None = None,
        web_search_context_size: Literal['low', 'medium', 'high'] | None = None,
        web_search_user_location_type: str = 'approximate',
        web_search_user_location_city: str | None = None,
        web_search_user_location_country: str | None = None,
        web_search_user_location_region: str | None = None,
        web_search_user_location_time_zone: str | None = None,
        prediction: str | None = None,
        temperature: float | None = None,
        top_p: float | None = None,
        number_of_answers: int | None = None,
        n: int | None = None,
        stream: Literal[False] = False,
        store: bool = False,
        verbosity: str | None = None,
        reasoning_effort: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        stop_sequence: str | Iterable[str] | None = None,
        stop: str | Iterable[str] | None = None,
        max_tokens: int | None = None,
        max_completion_tokens: int | None = None,
        presence_penalty: float | None = None,
        frequency_penalty: float | None = None,
        logit_bias: Mapping[str, Any] | None = None,
        log_probs: Any = None,
        top_log_probs: int | None = None,
        top_logprobs: int | None = None,
        response_format: Any = 'text',
        format: Any = None,
        json_schema: str | None = None,
        seed: Any = None,
        service_tier: str | None = None,
        prompt_cache_key: str | None = None,
        prompt_cache_retention: str | None = None,
        safety_identifier: str | None = None,
        user: str | None = None,
        as_batch: Literal[False] = False,
        custom_batch_id: str | None = None,
        history: Any = None,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> ChatCompletionResult:
        """Creates a chat completion, or with -AsBatch a batch input item for one."""
        ...

    @overload
    def request_chat_completion(
        self,
        input: str | Mapping[str, Any] | _Has_model | _Has_history | None = None,
        /,
        *,
        message: str | None = None,
        text: str | None = None,
        role: str = 'user',
        name: str | None = None,
        model: str = 'gpt-5.4-mini',
        system_message: str | Iterable[str] | None = None,
        system: str | Iterable[str] | None = None,
        role_prompt: str | Iterable[str] | None = None,
        developer_message: str | Iterable[str] | None = None,
        modalities: Literal['text', 'audio'] | Iterable[Literal['text', 'audio']] | None = None,
        voice: str = 'alloy',
        input_audio: str | PathLike[str] | None = None,
        input_audio_format: str | None = None,
        audio_out_file: str | PathLike[str] | None = None,
        output_audio_format: str = 'mp3',
        images: str | Iterable[str] | None = None,
        image_detail: Literal['auto', 'low', 'high'] = 'auto',
        tools: Any = None,
        tool_choice: Any = None,
        parallel_tool_calls: bool = False,
        invoke_tools: Literal['None', 'Auto', 'Confirm', 'none', 'auto', 'confirm'] = 'None',
        invoke_function_on_call_mode: Literal['None', 'Auto', 'Confirm', 'none', 'auto', 'confirm'] | None = None,
        web_search_context_size: Literal['low', 'medium', 'high'] | None = None,
        web_search_user_location_type: str = 'approximate',
        web_search_user_location_city: str | None = None,
        web_search_user_location_country: str | None = None,
        web_search_user_location_region: str | None = None,
        web_search_user_location_time_zone: str | None = None,
        prediction: str | None = None,
        temperature: float | None = None,
        top_p: float | None = None,
        number_of_answers: int | None = None,
        n: int | None = None,
        stream: bool = False,
        store: bool = False,
        verbosity: str | None = None,
        reasoning_effort: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        stop_sequence: str | Iterable[str] | None = None,
        stop: str | Iterable[str] | None = None,
        max_tokens: int | None = None,
        max_completion_tokens: int | None = None,
        presence_penalty: float | None = None,
        frequency_penalty: float | None = None,
        logit_bias: Mapping[str, Any] | None = None,
        log_probs: Any = None,
        top_log_probs: int | None = None,
        top_logprobs: int | None = None,
        response_format: Any = 'text',
        format: Any = None,
        json_schema: str | None = None,
        seed: Any = None,
        service_tier: str | None = None,
        prompt_cache_key: str | None = None,
        prompt_cache_retention: str | None = None,
        safety_identifier: str | None = None,
        user: str | None = None,
        as_batch: bool = False,
        custom_batch_id: str | None = None,
        history: Any = None,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> BatchInput | Iterator[str] | str | ChatCompletionResult:
        """Creates a chat completion, or with -AsBatch a batch input item for one."""
        ...

    @overload
    def request_embeddings(
        self,
        value: str | Iterable[str] | None = None,
        /,
        *,
        text: str | Iterable[str] | None = None,
        input: str | Iterable[str] | None = None,
        model: str = 'text-embedding-ada-002',
        encoding_format: Literal['float', 'base64'] = 'float',
        format: Literal['float', 'base64'] | None = None,
        dimensions: int | None = None,
        user: str | None = None,
        as_batch: Literal[True],
        custom_batch_id: str | None = None,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> EmbeddingsInput:
        """Gets vectors representing texts (embeddings), or builds the request as a batch item."""
        ...

    @overload
    def request_embeddings(
        self,
        value: str | Iterable[str] | None = None,
        /,
        *,
        text: str | Iterable[str] | None = None,
        input: str | Iterable[str] | None = None,
        model: str = 'text-embedding-ada-002',
        encoding_format: Literal['float', 'base64'] = 'float',
        format: Literal['float', 'base64'] | None = None,
        dimensions: int | None = None,
        user: str | None = None,
        as_batch: Literal[False] = False,
        custom_batch_id: str | None = None,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> Embeddings:
        """Gets vectors representing texts (embeddings), or builds the request as a batch item."""
        ...

    @overload
    def request_embeddings(
        self,
        value: str | Iterable[str] | None = None,
        /,
        *,
        text: str | Iterable[str] | None = None,
        input: str | Iterable[str] | None = None,
        model: str = 'text-embedding-ada-002',
        encoding_format: Literal['float', 'base64'] = 'float',
        format: Literal['float', 'base64'] | None = None,
        dimensions: int | None = None,
        user: str | None = None,
        as_batch: bool = False,
        custom_batch_id: str | None = None,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> EmbeddingsInput | Embeddings:
        """Gets vectors representing texts (embeddings), or builds the request as a batch item."""
        ...

    def request_response(
        self,
        value: str | Mapping[str, Any] | _Has_model | _Has_history | None = None,
        /,
        *,
        message: str | None = None,
        input: str | None = None,
        user_message: str | None = None,
        role: str = 'user',
        model: str = 'gpt-5.4-mini',
        system_message: str | Iterable[str] | None = None,
        system: str | Iterable[str] | None = None,
        developer_message: str | Iterable[str] | None = None,
        instructions: str | None = None,
        images: str | Iterable[str] | None = None,
        image_detail: Literal['auto', 'low', 'high'] = 'auto',
        files: str | Iterable[str] | None = None,
        tool_choice: str | None = None,
        parallel_tool_calls: bool | None = None,
        max_tool_calls: int | None = None,
        functions: Any = None,
        custom_tools: Any = None,
        use_file_search_tool: bool = False,
        file_search_type: str = 'file_search',
        file_search_vector_store_ids: str | Iterable[str] | None = None,
        file_search_max_number_of_results: int | None = None,
        file_search_ranker: str = 'auto',
        file_search_score_threshold: float = 0.0,
        file_search_hybrid_search_embedding_weight: float | None = None,
        file_search_hybrid_search_text_weight: float | None = None,
        use_web_search_tool: bool = False,
        web_search_type: str = 'web_search',
        web_search_context_size: Literal['low', 'medium', 'high'] | None = None,
        web_search_allowed_domains: str | Iterable[str] | None = None,
        web_search_user_location_type: str = 'approximate',
        web_search_user_location_city: str | None = None,
        web_search_user_location_country: str | None = None,
        web_search_user_location_region: str | None = None,
        web_search_user_location_time_zone: str | None = None,
        use_computer_use_tool: bool = False,
        computer_use_type: str = 'computer',
        computer_use_environment: str | None = None,
        computer_use_display_height: int | None = None,
        computer_use_display_width: int | None = None,
        use_remote_mcp_tool: bool = False,
        remote_mcp_type: str = 'mcp',
        remote_mcp_server_label: str | None = None,
        remote_mcp_server_url: str | None = None,
        remote_mcp_server_description: str | None = None,
        remote_mcp_allowed_tools: Any = None,
        remote_mcp_require_approval: Any = None,
        remote_mcp_headers: Mapping[str, Any] | None = None,
        remote_mcp_authorization: str | Secret | None = None,
        use_connector_tool: bool = False,
        connector_label: str | None = None,
        connector_id: str | None = None,
        connector_require_approval: str | None = None,
        connector_authorization: str | Secret | None = None,
        use_code_interpreter_tool: bool = False,
        code_interpreter_type: str = 'code_interpreter',
        code_interpreter_memory_limit: Literal['1g', '4g', '16g', '64g'] | None = None,
        container_id: str = 'auto',
        container_file_ids: str | Iterable[str] | None = None,
        use_image_generation_tool: bool = False,
        image_generation_type: str = 'image_generation',
        image_generation_model: str | None = None,
        image_generation_action: str = 'auto',
        image_generation_back_ground: str = 'auto',
        image_generation_input_image_mask: str | None = None,
        image_generation_moderation: str = 'auto',
        image_generation_output_compression: int | None = None,
        image_generation_output_format: Literal['png', 'jpeg', 'webp'] = 'png',
        image_generation_partial_images: int | None = None,
        image_generation_quality: Literal['low', 'medium', 'high', 'auto'] = 'auto',
        image_generation_size: Literal['auto', '1024x1024', '1536x1024', '1024x1536'] = 'auto',
        use_local_shell_tool: bool = False,
        local_shell_type: str = 'local_shell',
        use_shell_tool: bool = False,
        use_apply_patch_tool: bool = False,
        conversation: str | None = None,
        conversation_id: str | None = None,
        previous_response_id: str | None = None,
        prompt_id: str | None = None,
        prompt_variables: Mapping[str, Any] | None = None,
        prompt_version: str | None = None,
        include: str | Iterable[str] | None = None,
        truncation: str | None = None,
        temperature: float | None = None,
        top_logprobs: int | None = None,
        top_p: float | None = None,
        store: bool | None = None,
        background: bool = False,
        stream: bool = False,
        stream_output_type: Literal['text', 'object'] = 'text',
        verbosity: Literal['low', 'medium', 'high'] = 'medium',
        reasoning_effort: str | None = None,
        reasoning_summary: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        max_output_tokens: int | None = None,
        output_type: Any = 'text',
        json_schema: str | None = None,
        json_schema_name: str | None = None,
        json_schema_description: str | None = None,
        json_schema_strict: bool | None = None,
        service_tier: str | None = None,
        prompt_cache_key: str | None = None,
        prompt_cache_retention: str | None = None,
        safety_identifier: str | None = None,
        user: str | None = None,
        as_batch: bool = False,
        custom_batch_id: str | None = None,
        output_raw_response: bool = False,
        history: Any = None,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> Any:
        """Creates a model response with the Responses API, or with -AsBatch a batch input item for one."""
        ...

    @overload
    def request_text_completion(
        self,
        input: str | Iterable[str] | None = None,
        /,
        *,
        prompt: str | Iterable[str] | None = None,
        message: str | Iterable[str] | None = None,
        suffix: str | None = None,
        model: str = 'gpt-3.5-turbo-instruct',
        temperature: float | None = None,
        top_p: float | None = None,
        number_of_answers: int | None = None,
        n: int | None = None,
        stop_sequence: str | Iterable[str] | None = None,
        stop: str | Iterable[str] | None = None,
        stream: bool = False,
        max_tokens: int = 2048,
        presence_penalty: float | None = None,
        frequency_penalty: float | None = None,
        logit_bias: Mapping[str, Any] | None = None,
        user: str | None = None,
        echo: Any = None,
        best_of: int | None = None,
        as_batch: Literal[True],
        custom_batch_id: str | None = None,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> TextCompletionInput:
        """Completes text with the legacy completions endpoint, or builds the request as a batch item."""
        ...

    @overload
    def request_text_completion(
        self,
        input: str | Iterable[str] | None = None,
        /,
        *,
        prompt: str | Iterable[str] | None = None,
        message: str | Iterable[str] | None = None,
        suffix: str | None = None,
        model: str = 'gpt-3.5-turbo-instruct',
        temperature: float | None = None,
        top_p: float | None = None,
        number_of_answers: int | None = None,
        n: int | None = None,
        stop_sequence: str | Iterable[str] | None = None,
        stop: str | Iterable[str] | None = None,
        stream: bool = False,
        max_tokens: int = 2048,
        presence_penalty: float | None = None,
        frequency_penalty: float | None = None,
        logit_bias: Mapping[str, Any] | None = None,
        user: str | None = None,
        echo: Any = None,
        best_of: int | None = None,
        as_batch: Literal[False] = False,
        custom_batch_id: str | None = None,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> TextCompletionResult:
        """Completes text with the legacy completions endpoint, or builds the request as a batch item."""
        ...

    @overload
    def request_text_completion(
        self,
        input: str | Iterable[str] | None = None,
        /,
        *,
        prompt: str | Iterable[str] | None = None,
        message: str | Iterable[str] | None = None,
        suffix: str | None = None,
        model: str = 'gpt-3.5-turbo-instruct',
        temperature: float | None = None,
        top_p: float | None = None,
        number_of_answers: int | None = None,
        n: int | None = None,
        stop_sequence: str | Iterable[str] | None = None,
        stop: str | Iterable[str] | None = None,
        stream: bool = False,
        max_tokens: int = 2048,
        presence_penalty: float | None = None,
        frequency_penalty: float | None = None,
        logit_bias: Mapping[str, Any] | None = None,
        user: str | None = None,
        echo: Any = None,
        best_of: int | None = None,
        as_batch: bool = False,
        custom_batch_id: str | None = None,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> TextCompletionInput | TextCompletionResult:
        """Completes text with the legacy completions endpoint, or builds the request as a batch item."""
        ...

    def set_openai_context(
        self,
        /,
        *,
        api_key: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        api_base: str | None = None,
        base_url: str | None = None,
        api_version: str | None = None,
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        timeout_sec: int = 0,
        timeout: int | None = None,
        max_retry_count: int = 0,
        max_retries: int | None = None,
    ) -> None:
        """Sets the API settings that every cmdlet of the session uses by default."""
        ...

    @overload
    def start_batch(
        self,
        input: str | File | Mapping[str, Any] | _Has_file_id | _Has_input_file_id | _Has_file | BatchRequestItem | _TypeNamed | Iterable[BatchRequestItem | Mapping[str, Any] | _TypeNamed] | _Has_batch_input | None = None,
        /,
        *,
        file_id: str | File | None = None,
        input_file_id: str | File | None = None,
        file: str | File | None = None,
        batch_input: BatchRequestItem | Mapping[str, Any] | _TypeNamed | Iterable[BatchRequestItem | Mapping[str, Any] | _TypeNamed] | None = None,
        input_object: BatchRequestItem | Mapping[str, Any] | _TypeNamed | Iterable[BatchRequestItem | Mapping[str, Any] | _TypeNamed] | None = None,
        path: str | PathLike[str] | None = None,
        endpoint: str = '/v1/chat/completions',
        completion_window: str = '24h',
        output_expires_after_seconds: int | None = None,
        output_expires_after_anchor: str = 'created_at',
        metadata: Mapping[str, Any] | None = None,
        split: Literal[True],
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> list[Batch]:
        """Creates and starts a batch from an uploaded file or from request items."""
        ...

    @overload
    def start_batch(
        self,
        input: str | File | Mapping[str, Any] | _Has_file_id | _Has_input_file_id | _Has_file | BatchRequestItem | _TypeNamed | Iterable[BatchRequestItem | Mapping[str, Any] | _TypeNamed] | _Has_batch_input | None = None,
        /,
        *,
        file_id: str | File | None = None,
        input_file_id: str | File | None = None,
        file: str | File | None = None,
        batch_input: BatchRequestItem | Mapping[str, Any] | _TypeNamed | Iterable[BatchRequestItem | Mapping[str, Any] | _TypeNamed] | None = None,
        input_object: BatchRequestItem | Mapping[str, Any] | _TypeNamed | Iterable[BatchRequestItem | Mapping[str, Any] | _TypeNamed] | None = None,
        path: str | PathLike[str] | None = None,
        endpoint: str = '/v1/chat/completions',
        completion_window: str = '24h',
        output_expires_after_seconds: int | None = None,
        output_expires_after_anchor: str = 'created_at',
        metadata: Mapping[str, Any] | None = None,
        split: Literal[False] = False,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> Batch:
        """Creates and starts a batch from an uploaded file or from request items."""
        ...

    @overload
    def start_batch(
        self,
        input: str | File | Mapping[str, Any] | _Has_file_id | _Has_input_file_id | _Has_file | BatchRequestItem | _TypeNamed | Iterable[BatchRequestItem | Mapping[str, Any] | _TypeNamed] | _Has_batch_input | None = None,
        /,
        *,
        file_id: str | File | None = None,
        input_file_id: str | File | None = None,
        file: str | File | None = None,
        batch_input: BatchRequestItem | Mapping[str, Any] | _TypeNamed | Iterable[BatchRequestItem | Mapping[str, Any] | _TypeNamed] | None = None,
        input_object: BatchRequestItem | Mapping[str, Any] | _TypeNamed | Iterable[BatchRequestItem | Mapping[str, Any] | _TypeNamed] | None = None,
        path: str | PathLike[str] | None = None,
        endpoint: str = '/v1/chat/completions',
        completion_window: str = '24h',
        output_expires_after_seconds: int | None = None,
        output_expires_after_anchor: str = 'created_at',
        metadata: Mapping[str, Any] | None = None,
        split: bool = False,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> list[Batch] | Batch:
        """Creates and starts a batch from an uploaded file or from request items."""
        ...

    @overload
    def stop_batch(
        self,
        input: Batch | Mapping[str, Any] | _TypeNamed | str | _Has_batch_id | _Has_id | None = None,
        /,
        *,
        batch_id: str | Batch | None = None,
        id: str | Batch | None = None,
        wait: bool = False,
        force: bool = False,
        pass_thru: Literal[True],
        input_object: Batch | Mapping[str, Any] | _TypeNamed | None = None,
        batch: Batch | Mapping[str, Any] | _TypeNamed | None = None,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> Batch:
        """Cancels an in-progress batch."""
        ...

    @overload
    def stop_batch(
        self,
        input: Batch | Mapping[str, Any] | _TypeNamed | str | _Has_batch_id | _Has_id | None = None,
        /,
        *,
        batch_id: str | Batch | None = None,
        id: str | Batch | None = None,
        wait: bool = False,
        force: bool = False,
        pass_thru: Literal[False] = False,
        input_object: Batch | Mapping[str, Any] | _TypeNamed | None = None,
        batch: Batch | Mapping[str, Any] | _TypeNamed | None = None,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> None:
        """Cancels an in-progress batch."""
        ...

    @overload
    def stop_batch(
        self,
        input: Batch | Mapping[str, Any] | _TypeNamed | str | _Has_batch_id | _Has_id | None = None,
        /,
        *,
        batch_id: str | Batch | None = None,
        id: str | Batch | None = None,
        wait: bool = False,
        force: bool = False,
        pass_thru: bool = False,
        input_object: Batch | Mapping[str, Any] | _TypeNamed | None = None,
        batch: Batch | Mapping[str, Any] | _TypeNamed | None = None,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> Batch | None:
        """Cancels an in-progress batch."""
        ...

    def wait_batch(
        self,
        input: str | Batch | Mapping[str, Any] | _Has_batch_id | _Has_batch | _Has_id | None = None,
        /,
        *,
        batch_id: str | Batch | None = None,
        batch: str | Batch | None = None,
        input_object: str | Batch | None = None,
        id: str | Batch | None = None,
        poll_interval_sec: float = 1.0,
        status_for_wait: Literal['validating', 'failed', 'in_progress', 'finalizing', 'completed', 'expired', 'cancelling', 'cancelled'] | Iterable[Literal['validating', 'failed', 'in_progress', 'finalizing', 'completed', 'expired', 'cancelling', 'cancelled']] = ...,
        status_for_exit: Literal['validating', 'failed', 'in_progress', 'finalizing', 'completed', 'expired', 'cancelling', 'cancelled'] | Iterable[Literal['validating', 'failed', 'in_progress', 'finalizing', 'completed', 'expired', 'cancelling', 'cancelled']] | None = None,
        timeout_sec: int = 600,
        timeout: int | None = None,
        max_retry_count: int = 2,
        max_retries: int | None = None,
        api_base: str = 'https://api.openai.com/v1',
        base_url: str | None = None,
        api_key: str | Secret | None = None,
        organization: str | Secret | None = None,
        org_id: str | Secret | None = None,
        api_type: Literal['OpenAI', 'Azure', 'openai', 'azure'] = 'OpenAI',
        auth_type: Literal['openai', 'azure', 'azure_ad'] = 'openai',
        api_version: str | None = None,
        additional_query: Mapping[str, Any] | None = None,
        additional_headers: Mapping[str, Any] | None = None,
        additional_body: Any = None,
    ) -> Batch:
        """Waits until a batch leaves the statuses it is waiting for, then returns it."""
        ...

