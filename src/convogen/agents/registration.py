"""``register_function``: offer a function to one agent's model and let another execute it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent


def register_function(
    f: Callable[..., Any],
    *,
    caller: ConversableAgent,
    executor: ConversableAgent,
    name: str | None = None,
    description: str | None = None,
) -> None:
    """``caller``'s model may call ``f``; ``executor`` runs it and returns the result."""
    caller.register_for_llm(name=name, description=description)(f)
    executor.register_for_execution(name=name)(f)
