"""The typed result of one tool call, and how it crosses interceptors and enters the history."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from convogen.interception import Codec
from convogen.messages import ToolResponse


@dataclass(frozen=True)
class ToolOutcome:
    """The text result of one tool call and whether it is an error the model should see."""

    content: str
    is_error: bool
    # The exception the tool raised, for callers that want more than the text. Not recorded:
    # an outcome replayed from a recording or a journal has none.
    exception: BaseException | None = field(default=None, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        """The JSON value interceptors record: ``{"content", "is_error"}``."""
        return {"content": self.content, "is_error": self.is_error}

    @classmethod
    def from_json(cls, value: Any) -> ToolOutcome:
        """Read ``to_json``'s value back; a bare string (older recordings) is a success."""
        if isinstance(value, str):
            return cls(content=value, is_error=False)
        if (
            isinstance(value, dict)
            and isinstance(value.get("content"), str)
            and isinstance(value.get("is_error"), bool)
        ):
            return cls(content=value["content"], is_error=value["is_error"])
        raise ValueError(
            "a recorded tool result must be a string or {'content': str, 'is_error': bool}, "
            f"got {type(value).__name__}: {value!r:.200}"
        )


# The codec of the ``effect("tool", ...)`` seam.
OUTCOME_CODEC: Codec[ToolOutcome] = Codec(encode=ToolOutcome.to_json, decode=ToolOutcome.from_json)


def tool_response(call_id: str, outcome: ToolOutcome) -> ToolResponse:
    """The history item answering tool call ``call_id``; ``is_error`` is set on failures only."""
    response: ToolResponse = {"tool_call_id": call_id, "role": "tool", "content": outcome.content}
    if outcome.is_error:
        # Model clients send only tool_call_id and content; this key stays in the history.
        response["is_error"] = True
    return response


def is_error_response(response: ToolResponse | dict[str, Any]) -> bool:
    """Whether a stored tool response records a failed call."""
    return response.get("is_error") is True
