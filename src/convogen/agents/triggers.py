"""Matching a reply function's trigger against the sender of a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

from convogen.agents.base import Agent
from convogen.errors import ConfigError, SenderRequiredError

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent

Trigger: TypeAlias = Any  # type | str | agent | Callable[[agent], bool] | None | list of these


def check_trigger(trigger: Trigger) -> None:
    """Raise ``ConfigError`` when ``trigger`` is of an unsupported kind."""
    from convogen.agents.conversable import ConversableAgent

    if trigger is None or isinstance(trigger, (type, str, ConversableAgent)) or callable(trigger):
        return
    if isinstance(trigger, list):
        for item in trigger:
            check_trigger(item)
        return
    raise ConfigError(
        "trigger", trigger, "must be a class, a name, an agent, a callable, None or a list of these"
    )


def matches(trigger: Trigger, sender: ConversableAgent | None) -> bool:
    """True when a message from ``sender`` should run a reply function with this trigger."""
    if type(trigger) is list:
        # The default replies use [ConversableAgent, None]: test classes without recursion.
        for item in trigger:
            if item is None:
                if sender is None:
                    return True
            elif item is Agent:
                # The classic default trigger; a protocol check is slow, so agents go first.
                if sender is not None and _is_agent(sender):
                    return True
            elif type(item) is type:
                if isinstance(sender, item):
                    return True
            elif matches(item, sender):
                return True
        return False
    if trigger is None:
        return sender is None
    if isinstance(trigger, str):
        if sender is None:
            raise SenderRequiredError()  # as in 0.2: a name trigger needs a sender to compare
        return sender.name == trigger
    if isinstance(trigger, type):
        return isinstance(sender, trigger)
    if isinstance(trigger, list):
        return any(matches(t, sender) for t in trigger)
    from convogen.agents.conversable import ConversableAgent

    if isinstance(trigger, ConversableAgent):
        return trigger is sender
    check: Callable[[Any], Any] = trigger
    return bool(check(sender))


_conversable: type | None = None


def _is_agent(sender: object) -> bool:
    global _conversable
    if _conversable is None:
        from convogen.agents.conversable import ConversableAgent

        _conversable = ConversableAgent
    return isinstance(sender, (_conversable, Agent))
