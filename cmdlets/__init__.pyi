"""PSOpenAI's Batch cmdlets as Python functions: `from cmdlets import stop_batch`.

Generated from manifests/*.yaml by `python -m psbridge stubs --update`: do not edit.
"""
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Iterator
from cmdlets.core.context import OpenAIContext
from cmdlets.core.objects import BatchOutput, BatchRequest, File

from cmdlets.core.errors import *
from cmdlets.core.objects import ApiObject as ApiObject, Batch as Batch
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
    'request_text_completion',
    'set_openai_context',
    'start_batch',
    'stop_batch',
    'wait_batch',
    'ApiObject',
    'Batch',
    'Secret',
]


def add_openai_file(
    input: Any = None,
    /,
    *,
    file: str | None = None,
    content: bytes | bytearray | memoryview | None = None,
    name: str | None = None,
    purpose: str | None = None,
    expires_after_seconds: int | None = None,
    expires_after_anchor: str = 'created_at',
    timeout_sec: int = 0,
    max_retry_count: int = 0,
    api_base: str = 'https://api.openai.com/v1',
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: str = 'OpenAI',
    auth_type: str = 'openai',
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


def get_batch(
    input: Any = None,
    /,
    *,
    batch_id: str | None = None,
    batch: str | None = None,
    id: str | None = None,
    limit: int = 20,
    all: bool = False,
    after: str | None = None,
    timeout_sec: int = 0,
    max_retry_count: int = 0,
    api_base: str = 'https://api.openai.com/v1',
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: str = 'OpenAI',
    auth_type: str = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> Batch | Iterator[Batch]:
    """Gets a batch, or lists the batches of the organization."""
    ...


def get_batch_output(
    input: Any = None,
    /,
    *,
    batch: Any = None,
    input_object: Any | None = None,
    batch_id: str | None = None,
    id: str | None = None,
    wait: bool = False,
    timeout_sec: int = 0,
    max_retry_count: int = 0,
    api_base: str = 'https://api.openai.com/v1',
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: str = 'OpenAI',
    auth_type: str = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> Iterator[BatchOutput]:
    """Gets the results of a batch, one object per request."""
    ...


def get_batch_request(
    input: Any = None,
    /,
    *,
    batch: Any = None,
    input_object: Any | None = None,
    batch_id: str | None = None,
    id: str | None = None,
    failed: bool = False,
    include_output: bool = False,
    wait: bool = False,
    timeout_sec: int = 0,
    max_retry_count: int = 0,
    api_base: str = 'https://api.openai.com/v1',
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: str = 'OpenAI',
    auth_type: str = 'openai',
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


def get_openai_file(
    input: Any = None,
    /,
    *,
    file_id: str | None = None,
    file: str | None = None,
    id: str | None = None,
    purpose: str | None = None,
    limit: int = 10000,
    all: bool = False,
    order: str = 'desc',
    after: str | None = None,
    timeout_sec: int = 0,
    max_retry_count: int = 0,
    api_base: str = 'https://api.openai.com/v1',
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: str = 'OpenAI',
    auth_type: str = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> File | Iterator[File]:
    """Gets an uploaded file, or lists the uploaded files."""
    ...


def get_openai_file_content(
    input: Any = None,
    /,
    *,
    file_id: str | None = None,
    file: str | None = None,
    id: str | None = None,
    out_file: str | None = None,
    timeout_sec: int = 0,
    max_retry_count: int = 0,
    api_base: str = 'https://api.openai.com/v1',
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: str = 'OpenAI',
    auth_type: str = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> bytes | None:
    """Downloads the content of an uploaded file."""
    ...


def remove_openai_file(
    input: Any = None,
    /,
    *,
    file_id: str | None = None,
    file: str | None = None,
    id: str | None = None,
    timeout_sec: int = 0,
    max_retry_count: int = 0,
    api_base: str = 'https://api.openai.com/v1',
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: str = 'OpenAI',
    auth_type: str = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> None:
    """Deletes an uploaded file."""
    ...


def request_chat_completion(
    input: Any = None,
    /,
    *,
    message: str | None = None,
    text: str | None = None,
    role: str = 'user',
    name: str | None = None,
    model: str = 'gpt-3.5-turbo',
    system_message: str | Sequence[str] | None = None,
    system: str | Sequence[str] | None = None,
    role_prompt: str | Sequence[str] | None = None,
    developer_message: str | Sequence[str] | None = None,
    modalities: str | Sequence[str] | None = None,
    voice: str = 'alloy',
    input_audio: str | None = None,
    input_audio_format: str | None = None,
    audio_out_file: str | None = None,
    output_audio_format: str = 'mp3',
    images: str | Sequence[str] | None = None,
    image_detail: str = 'auto',
    tools: Any = None,
    tool_choice: Any = None,
    parallel_tool_calls: bool = False,
    invoke_tools: str = 'None',
    invoke_function_on_call_mode: str | None = None,
    web_search_context_size: str | None = None,
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
    stop_sequence: str | Sequence[str] | None = None,
    stop: str | Sequence[str] | None = None,
    max_tokens: int | None = None,
    max_completion_tokens: int | None = None,
    presence_penalty: float | None = None,
    frequency_penalty: float | None = None,
    logit_bias: Mapping[str, Any] | None = None,
    log_probs: Any = None,
    top_log_probs: int | None = None,
    top_logprobs: int | None = None,
    response_format: Any = 'text',
    format: Any | None = None,
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
    timeout_sec: int = 0,
    max_retry_count: int = 0,
    api_base: str = 'https://api.openai.com/v1',
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: str = 'OpenAI',
    auth_type: str = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> Any:
    """Creates a chat completion, or with -AsBatch a batch input item for one."""
    ...

request_chat_gpt = request_chat_completion


def request_embeddings(
    value: Any = None,
    /,
    *,
    text: str | Sequence[str] | None = None,
    input: str | Sequence[str] | None = None,
    model: str = 'text-embedding-ada-002',
    encoding_format: str = 'float',
    format: str | None = None,
    dimensions: int | None = None,
    user: str | None = None,
    as_batch: bool = False,
    custom_batch_id: str | None = None,
    timeout_sec: int = 0,
    max_retry_count: int = 0,
    api_base: str = 'https://api.openai.com/v1',
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: str = 'OpenAI',
    auth_type: str = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> Any:
    """Gets vectors representing texts (embeddings), or builds the request as a batch item."""
    ...


def request_text_completion(
    input: Any = None,
    /,
    *,
    prompt: str | Sequence[str] | None = None,
    message: str | Sequence[str] | None = None,
    suffix: str | None = None,
    model: str = 'gpt-3.5-turbo-instruct',
    temperature: float | None = None,
    top_p: float | None = None,
    number_of_answers: int | None = None,
    n: int | None = None,
    stop_sequence: str | Sequence[str] | None = None,
    stop: str | Sequence[str] | None = None,
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
    timeout_sec: int = 0,
    max_retry_count: int = 0,
    api_base: str = 'https://api.openai.com/v1',
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: str = 'OpenAI',
    auth_type: str = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> Any:
    """Completes text with the legacy completions endpoint, or builds the request as a batch item."""
    ...


def set_openai_context(
    *,
    api_key: str | Secret | None = None,
    api_type: str = 'OpenAI',
    api_base: str | None = None,
    api_version: str | None = None,
    auth_type: str = 'openai',
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    timeout_sec: int = 0,
    max_retry_count: int = 0,
) -> None:
    """Sets the API settings that every cmdlet of the session uses by default."""
    ...


def start_batch(
    input: Any = None,
    /,
    *,
    file_id: str | None = None,
    input_file_id: str | None = None,
    file: str | None = None,
    batch_input: Any | Iterable[Any] | None = None,
    input_object: Any | Iterable[Any] | None = None,
    path: str | None = None,
    endpoint: str = '/v1/chat/completions',
    completion_window: str = '24h',
    output_expires_after_seconds: int | None = None,
    output_expires_after_anchor: str = 'created_at',
    metadata: Mapping[str, Any] | None = None,
    split: bool = False,
    timeout_sec: int = 0,
    max_retry_count: int = 0,
    api_base: str = 'https://api.openai.com/v1',
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: str = 'OpenAI',
    auth_type: str = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> Batch | list[Batch] | None:
    """Creates and starts a batch from an uploaded file or from request items."""
    ...


def stop_batch(
    input: Any = None,
    /,
    *,
    batch_id: str | None = None,
    id: str | None = None,
    wait: bool = False,
    force: bool = False,
    pass_thru: bool = False,
    input_object: Any = None,
    batch: Any | None = None,
    timeout_sec: int = 0,
    max_retry_count: int = 0,
    api_base: str = 'https://api.openai.com/v1',
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: str = 'OpenAI',
    auth_type: str = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> Batch | None:
    """Cancels an in-progress batch."""
    ...


def wait_batch(
    input: Any = None,
    /,
    *,
    batch_id: str | None = None,
    batch: str | None = None,
    input_object: str | None = None,
    id: str | None = None,
    poll_interval_sec: float = 1.0,
    status_for_wait: str | Sequence[str] = ...,
    status_for_exit: str | Sequence[str] | None = None,
    timeout_sec: int = 0,
    max_retry_count: int = 0,
    api_base: str = 'https://api.openai.com/v1',
    api_key: str | Secret | None = None,
    organization: str | Secret | None = None,
    org_id: str | Secret | None = None,
    api_type: str = 'OpenAI',
    auth_type: str = 'openai',
    api_version: str | None = None,
    additional_query: Mapping[str, Any] | None = None,
    additional_headers: Mapping[str, Any] | None = None,
    additional_body: Any = None,
) -> Batch:
    """Waits until a batch leaves the statuses it is waiting for, then returns it."""
    ...
