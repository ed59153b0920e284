"""Request bodies of the OpenAI-compatible endpoints, validated by pydantic (422 when invalid)."""

from __future__ import annotations

from typing import Any, cast

from pydantic import BaseModel, ConfigDict, Field

from convogen.llm.protocol import ModelRequest
from convogen.messages import Message

# Request fields that describe the HTTP exchange rather than the completion.
TRANSPORT_FIELDS = frozenset({"model", "messages", "stream", "stream_options", "user"})


class ChatMessage(BaseModel):
    """One chat message; fields beyond ``role`` and ``content`` pass through unchanged."""

    model_config = ConfigDict(extra="allow")

    role: str = Field(min_length=1, description="system, user, assistant, tool, ...")
    content: str | list[dict[str, Any]] | None = None


class StreamOptions(BaseModel):
    """``stream_options``: ask for a final usage chunk."""

    include_usage: bool = False


class ChatCompletionRequest(BaseModel):
    """``POST /v1/chat/completions``; unknown fields are passed to the model as options."""

    model_config = ConfigDict(extra="allow")

    model: str | None = Field(default=None, description="The served model id (optional).")
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    stream_options: StreamOptions | None = None
    user: str | None = None
    max_tokens: int | None = Field(default=None, ge=1)
    max_completion_tokens: int | None = Field(default=None, ge=1)
    n: int | None = Field(default=None, ge=1, le=16)
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, ge=0, le=1)
    seed: int | None = None
    stop: str | list[str] | None = None
    tools: list[dict[str, Any]] | None = None
    tool_choice: str | dict[str, Any] | None = None
    response_format: dict[str, Any] | None = None

    def to_model_request(self) -> ModelRequest:
        """The convogen request: messages as sent, every non-transport field set as a param."""
        messages = [cast(Message, m.model_dump(exclude_unset=True)) for m in self.messages]
        fields = self.model_dump(exclude_unset=True, exclude=set(TRANSPORT_FIELDS))
        params = {key: value for key, value in fields.items() if value is not None}
        return ModelRequest(messages=messages, params=params)

    @property
    def include_usage(self) -> bool:
        """Whether a streamed reply ends with a usage chunk."""
        return self.stream_options is not None and self.stream_options.include_usage


class ErrorDetail(BaseModel):
    """OpenAI's error fields."""

    message: str
    type: str = Field(description="invalid_request_error (4xx) or server_error (5xx)")
    param: str | None = Field(description="The request field at fault, when one is.")
    code: str | None = Field(description="e.g. context_length_exceeded, model_not_found")


class ErrorBody(BaseModel):
    """Every error response: ``{"error": {...}}``."""

    error: ErrorDetail
