"""OpenAI-shaped error bodies, and the exception that carries one to the HTTP layer."""
from __future__ import annotations

from typing import Any


def error_body(message: str, type: str = "invalid_request_error", param: str | None = None,
               code: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": type, "param": param, "code": code}}


class ApiError(Exception):
    """Raised anywhere below the HTTP layer; the server turns it into a status plus error_body."""

    def __init__(self, status: int, message: str, *, type: str = "invalid_request_error",
                 param: str | None = None, code: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code

    def body(self) -> dict[str, Any]:
        return error_body(self.message, self.type, self.param, self.code)


def missing_parameter(name: str) -> ApiError:
    return ApiError(400, f"Missing required parameter: '{name}'.", param=name,
                    code="missing_required_parameter")


def invalid_value(name: str, detail: str) -> ApiError:
    return ApiError(400, f"Invalid value for '{name}': {detail}", param=name, code="invalid_value")


def batch_not_found(batch_id: str) -> ApiError:
    return ApiError(404, f"No batch found with id '{batch_id}'.")


def file_not_found(file_id: str, param: str | None = "id") -> ApiError:
    return ApiError(404, f"No such File object: {file_id}", param=param)


def mask_key(token: str) -> str:
    """Masks a key the way OpenAI does (``sk-ab*****yz``); short tokens are masked entirely."""
    n = len(token)
    if n >= 12:
        return token[:5] + "*" * (n - 7) + token[-2:]
    if n >= 6:
        return token[:2] + "*" * (n - 4) + token[-2:]
    return "*" * n
