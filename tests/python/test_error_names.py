"""PSOpenAI's exception names are aliases of the Python classes, for readers of both."""
import cmdlets
from cmdlets.core import errors


def test_psopenai_names_are_the_same_classes():
    pairs = {"APIRequestException": errors.APIStatusError, "BadRequestException": errors.BadRequestError,
             "UnauthorizedException": errors.UnauthorizedError, "PermissionDeniedException": errors.PermissionDeniedError,
             "NotFoundException": errors.NotFoundError, "ConflictException": errors.ConflictError,
             "UnprocessableEntityException": errors.UnprocessableEntityError,
             "RateLimitExceededException": errors.RateLimitExceededError,
             "QuotaLimitExceededException": errors.QuotaLimitExceededError}
    for name, cls in pairs.items():
        assert getattr(cmdlets, name) is cls, name
    assert issubclass(cmdlets.QuotaLimitExceededException, errors.APIStatusError)


def test_terminating_follows_psopenai_by_kind():
    # How pwsh reports each kind (Python raises them all): API failures and configuration end the cmdlet;
    # refusals, bad items, waits running out and answers that are not JSON are reported per item.
    assert errors.NotFoundError("x").terminating and errors.APIConnectionError("x").terminating
    assert errors.ConfigurationError("x").terminating
    assert not errors.InvalidOperationError("x").terminating
    assert not errors.ParameterBindingError("x").terminating
    assert not errors.WaitTimeoutError("x").terminating
    assert not errors.InvalidResponseError("x").terminating


def test_openai_python_names_and_attributes():
    # What a user of openai-python reaches for: its class names and `status_code`.
    assert cmdlets.AuthenticationError is errors.UnauthorizedError
    assert cmdlets.RateLimitError is errors.RateLimitExceededError
    assert cmdlets.APIResponseValidationError is errors.InvalidResponseError
    for name in ("APIError", "APIStatusError", "APIConnectionError", "APITimeoutError", "BadRequestError",
                 "PermissionDeniedError", "NotFoundError", "ConflictError", "UnprocessableEntityError",
                 "InternalServerError"):
        assert issubclass(getattr(cmdlets, name), errors.OpenAIError), name
    e = errors.NotFoundError("gone", status=404)
    assert e.status_code == e.status == 404
