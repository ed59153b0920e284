"""Matching a reply function's trigger against the sender of a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

from convogen.agents.base import Agent
from convogen.errors import ConfigError, SenderRequiredError

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent
    from convogen.agents.reply_types import ReplyFuncEntry

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


def class_route(
    plan: list[ReplyFuncEntry], sender: ConversableAgent | None
) -> list[ReplyFuncEntry] | None:
    """The entries of ``plan`` whose triggers match ``sender``, when its class alone decides.

    Then the answer holds for every agent of that class and can be kept (the default replies'
    triggers are such); None when some trigger must be asked per message, or for a sender
    that is not a ``ConversableAgent`` (the ``Agent`` protocol looks at the instance).
    """
    if not (sender is None or _is_conversable(sender)):
        return None
    if not all(is_class_only(entry.trigger) for entry in plan):
        return None
    return [entry for entry in plan if matches(entry.trigger, sender)]


def is_class_only(trigger: Trigger) -> bool:
    """True when ``trigger`` matches a sender by its class alone (None, plain classes, lists).

    Such a trigger gives the same answer for every agent of one class, so a match can be
    remembered per class. Classes with their own metaclass (ABCs, which can register new
    subclasses later) are not counted, except the ``Agent`` protocol.
    """
    if type(trigger) is list:
        return all(is_class_only(item) for item in trigger)
    return trigger is None or trigger is Agent or type(trigger) is type


_conversable: type | None = None


def _conversable_class() -> type:
    global _conversable
    if _conversable is None:
        from convogen.agents.conversable import ConversableAgent

        _conversable = ConversableAgent
    return _conversable


def _is_agent(sender: object) -> bool:
    return isinstance(sender, (_conversable or _conversable_class(), Agent))


def _is_conversable(sender: object) -> bool:
    return isinstance(sender, _conversable or _conversable_class())
