"""Classic ``autogen.exception_utils``: AutoGen 0.2's error names over convogen's errors."""

from __future__ import annotations

from convogen.errors import AgentNameConflictError as AgentNameConflict
from convogen.errors import InvalidCarryOverTypeError as InvalidCarryOverType
from convogen.errors import NoEligibleSpeakerError as NoEligibleSpeaker
from convogen.errors import SenderRequiredError as SenderRequired
from convogen.errors import UndefinedNextAgentError as UndefinedNextAgent

__all__ = [
    "AgentNameConflict",
    "InvalidCarryOverType",
    "NoEligibleSpeaker",
    "SenderRequired",
    "UndefinedNextAgent",
]
