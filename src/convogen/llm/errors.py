"""Errors of model API calls, classified so the wrapper can decide to retry or fail over.

Policy (applied by ``OpenAIWrapper``, never inside clients):

* ``retryable`` errors (rate limits, 5xx, timeouts, connection failures, malformed responses)
  are transient: the wrapper fails over to the next config at once and, once every config has
  failed, retries with exponential backoff (honouring ``Retry-After``).
* ``BadRequestError`` / ``AuthenticationError`` (other 4xx) are not retried, because the same
  request to the same endpoint fails the same way; they *do* fail over, because the next config
  usually differs in model, key or endpoint (context too long for this model, unknown deployment,
  revoked key).
* ``ContentFilterError`` neither retries nor fails over: the prompt itself was refused, and
  sending it to every other model is not what a user wants.
"""

from __future__ import annotations

from typing import Any

from convogen.errors import ModelClientError
from convogen.redaction import redact, redact_text


class ModelAPIError(ModelClientError):
    """A model endpoint call failed; carries HTTP status, body and the model name when known."""

    retryable: bool = False
    failover: bool = True

    def __init__(
        self,
        message: str,
        *,
        model: str | None = None,
        status: int | None = None,
        body: object = None,
    ) -> None:
        # Providers may quote the key back ("Incorrect API key provided: sk-..."); errors end
        # up in logs, cassettes and checkpoints, so known credentials are masked here.
        message = redact_text(message)
        self.model = model
        self.status = status
        self.body = redact(body)
        self.message = message
        prefix = f"HTTP {status}: " if status is not None else ""
        super().__init__(f"{prefix}{message}")


class RateLimitError(ModelAPIError):
    """HTTP 429; ``retry_after`` holds the server's ``Retry-After`` in seconds when sent."""

    retryable = True

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        model: str | None = None,
        status: int | None = 429,
        body: object = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(message, model=model, status=status, body=body)


class ServerError(ModelAPIError):
    """HTTP 5xx (or 408/409, which OpenAI documents as retryable)."""

    retryable = True


class ModelTimeoutError(ModelAPIError):
    """The request did not complete within its timeout."""

    retryable = True


class ModelConnectionError(ModelAPIError):
    """The endpoint could not be reached or dropped the connection."""

    retryable = True


class BadResponseError(ModelAPIError):
    """The endpoint answered with something that is not a valid completion (malformed JSON...)."""

    retryable = True


class BadRequestError(ModelAPIError):
    """HTTP 4xx other than 429: the request is invalid for this endpoint; not retried."""


class AuthenticationError(BadRequestError):
    """HTTP 401/403: the key is missing, wrong or not allowed to use this model."""


class ContentFilterError(BadRequestError):
    """The provider refused the prompt by content policy; no retry and no failover."""

    failover = False


class ContextWindowExceededError(BadRequestError):
    """The request's prompt (plus the reply budget) does not fit the model's context window.

    Raised before the request is sent; it fails over, because the next config may have a larger
    window, but is never retried against the same model.
    """

    def __init__(self, *, model: str, window: int, tokens: int) -> None:
        self.window = window
        self.tokens = tokens
        message = (
            f"request needs {tokens} tokens but model {model!r} has a context window of "
            f"{window}; add a MessageHistoryLimiter/MessageTokenLimiter transform "
            "(convogen.agentchat.contrib.capabilities.transforms) or raise n_ctx"
        )
        super().__init__(message, model=model)
        self.status = 400  # set after init so the message reads without an "HTTP 400:" prefix


class StructuredOutputError(ModelAPIError):
    """The reply did not validate against the requested ``response_format`` model."""

    def __init__(self, message: str, *, model: str | None = None, content: Any = None) -> None:
        self.content = content
        super().__init__(message, model=model, body=content)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds only; HTTP dates are ignored)."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return max(0.0, seconds)
