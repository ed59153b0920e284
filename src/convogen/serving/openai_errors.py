"""OpenAI-style error bodies, and the HTTP status each convogen error becomes."""

from __future__ import annotations

import re
from typing import Any

from convogen.errors import ConfigError, ConvogenError, MessageError, ModelClientError
from convogen.llm.errors import BadRequestError, ContextWindowExceededError

# llama.cpp's own overflow message, seen when a prompt reaches it without convogen's check.
_LLAMA_OVERFLOW = re.compile(r"Requested tokens \((\d+)\) exceed context window of (\d+)")


class APIError(Exception):
    """An error the server answers with: HTTP status plus OpenAI's error fields."""

    def __init__(
        self, status: int, message: str, param: str | None = None, code: str | None = None
    ) -> None:
        self.status = status
        self.message = message
        self.param = param
        self.code = code
        super().__init__(message)

    @property
    def kind(self) -> str:
        """OpenAI's ``type``: invalid_request_error for 4xx, server_error for 5xx."""
        return "invalid_request_error" if self.status < 500 else "server_error"

    def body(self) -> dict[str, Any]:
        """``{"error": {"message", "type", "param", "code"}}``."""
        error = {"message": self.message, "type": self.kind, "param": self.param}
        return {"error": {**error, "code": self.code}}


def context_overflow(model: str, window: int, tokens: int) -> APIError:
    """The 400 OpenAI answers when the messages do not fit the model's context window."""
    message = (
        f"This model's maximum context length is {window} tokens. However, your messages "
        f"resulted in {tokens} tokens. Please reduce the length of the messages. ({model})"
    )
    return APIError(400, message, "messages", "context_length_exceeded")


def api_error(exc: BaseException, model: str) -> APIError:
    """Map an error raised while completing a request to the error the client receives."""
    if isinstance(exc, APIError):
        return exc
    if isinstance(exc, ContextWindowExceededError):
        return context_overflow(model, exc.window, exc.tokens)
    if isinstance(exc, ConfigError):
        return APIError(400, str(exc), exc.field, "invalid_value")
    if isinstance(exc, MessageError):
        return APIError(400, str(exc), "messages", "invalid_value")
    if isinstance(exc, BadRequestError):
        return APIError(400, exc.message, None, None)
    if isinstance(exc, ValueError):
        overflow = _LLAMA_OVERFLOW.search(str(exc))
        if overflow:
            return context_overflow(model, int(overflow.group(2)), int(overflow.group(1)))
    if isinstance(exc, ModelClientError | ConvogenError):
        return APIError(500, str(exc), None, None)
    return APIError(500, f"internal error: {type(exc).__name__}: {exc}", None, None)


def not_found(message: str, param: str | None = None, code: str | None = None) -> APIError:
    """A 404 in OpenAI's shape."""
    return APIError(404, message, param, code)


def validation_error(errors: list[dict[str, Any]]) -> APIError:
    """A 422 naming the first invalid field of the body (e.g. ``messages.0.role``)."""
    first = errors[0] if errors else {"loc": (), "msg": "invalid request body"}
    loc = [str(part) for part in first.get("loc", ()) if part != "body"]
    param = ".".join(loc) or None
    where = f"{param}: " if param else ""
    return APIError(422, f"invalid request body: {where}{first.get('msg')}", param, "invalid_body")
