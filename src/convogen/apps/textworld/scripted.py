"""A scripted assistant for offline episodes: it follows a fixed plan, one action per turn."""

from __future__ import annotations

from collections.abc import Sequence

from convogen.llm.scripted import ReplyFunction
from convogen.messages import Message

# The actions that solve the built-in task "put a clean mug in/on the diningtable 1".
CLEAN_MUG_PLAN: tuple[str, ...] = (
    "go to cabinet 1",
    "open cabinet 1",
    "take mug 1 from cabinet 1",
    "go to sinkbasin 1",
    "clean mug 1 with sinkbasin 1",
    "go to diningtable 1",
    "put mug 1 on diningtable 1",
)


def scripted_plan_assistant(plan: Sequence[str], fallback: str = "look") -> ReplyFunction:
    """A reply function that answers each turn with the next action of ``plan``.

    After the plan it repeats ``fallback``; the actions are written as a model would,
    with a short thought and an ``ACTION:`` line.
    """
    steps = list(plan)
    position = 0

    def reply(messages: list[Message]) -> str:
        nonlocal position
        action = steps[position] if position < len(steps) else fallback
        position += 1
        return f"THOUGHT: step {position} of my plan.\nACTION: {action}"

    return reply
