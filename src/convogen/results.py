"""Results of a chat: why it stopped, what it said, what it cost."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from convogen.messages import Message


class StopReason(StrEnum):
    """Why a chat ended."""

    TERMINATION_MESSAGE = "termination_message"
    MAX_TURNS = "max_turns"
    MAX_CONSECUTIVE_AUTO_REPLY = "max_consecutive_auto_reply"
    HUMAN_EXIT = "human_exit"
    NO_REPLY = "no_reply"
    MAX_ROUND = "max_round"
    NO_ELIGIBLE_SPEAKER = "no_eligible_speaker"
    ERROR = "error"
    PAUSED = "paused"


@dataclass(frozen=True)
class UsageRecord:
    """One completion's usage; ``cached`` records are free and excluded from 'actual'."""

    model: str
    prompt_tokens: int
    completion_tokens: int
    cost: float | None
    cached: bool


@dataclass(frozen=True)
class StopInfo:
    """Why a conversation stopped and which agent stopped it."""

    reason: StopReason
    agent: str | None = None
    detail: str = ""


@dataclass
class ChatResult:
    """Everything a caller needs from a finished chat."""

    chat_id: int | None = None
    chat_history: list[Message] = field(default_factory=list)
    summary: str = ""
    cost: dict[str, Any] = field(default_factory=dict)
    human_input: list[str] = field(default_factory=list)
    stop_reason: StopReason | None = None
    stopped_by: str | None = None
    stop_detail: str = ""
    error: BaseException | None = None
    files: list[Path] = field(default_factory=list)


# AutoGen 0.2 declares these fields on the class (default None); classic code may look them up
# there. Instances always get their own values from ``__init__``.
for _field in ("chat_history", "cost", "human_input"):
    setattr(ChatResult, _field, None)
