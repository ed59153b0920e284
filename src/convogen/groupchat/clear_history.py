"""The "clear history" command a member may put in a reply (``enable_clear_history``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent

COMMAND = "CLEAR HISTORY"


@dataclass(frozen=True)
class ClearCommand:
    """A parsed command: whose history (None: everyone), how many to keep, the rest of the text."""

    agent: ConversableAgent | None
    keep: int | None
    remaining_text: str


def has_clear_command(text: str) -> bool:
    """True when ``text`` contains the command (any letter case)."""
    return COMMAND in text.upper()


def parse_clear_command(text: str, agents: Sequence[ConversableAgent]) -> ClearCommand:
    """Read "clear history [agent name] [number to keep]" (the last occurrence) out of ``text``."""
    words = text.split()
    start = _command_start(words)
    if start is None:
        return ClearCommand(None, None, text)
    agent: ConversableAgent | None = None
    keep: int | None = None
    used = 2
    for word in words[start + 2 : start + 4]:
        bare = word.rstrip(".,;:!?")
        if keep is None and bare.isdigit():
            keep, used = int(bare), used + 1
            continue
        match = next((a for a in agents if a.name in (word, bare)), None)
        if agent is None and match is not None:
            agent, used = match, used + 1
            continue
        break
    remaining = " ".join(words[:start] + words[start + used :])
    return ClearCommand(agent, keep, remaining)


def _command_start(words: list[str]) -> int | None:
    for i in range(len(words) - 2, -1, -1):
        if words[i].upper() == "CLEAR" and words[i + 1].upper().rstrip(".,;:!?") == "HISTORY":
            return i
    return None
