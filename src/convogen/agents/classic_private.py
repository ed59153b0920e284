"""Private helpers of AutoGen 0.2's agent that its users and tests commonly call.

``_match_trigger``, ``_process_carryover``, ``_handle_carryover``, ``_wrap_function`` and
``_append_oai_message`` keep 0.2's names and observable behaviour; each is a small adapter over
convogen's own trigger matching, carryover and tool invocation.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from convogen.agents.triggers import Trigger, check_trigger, matches
from convogen.errors import MessageError

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent

F = TypeVar("F", bound=Callable[..., Any])


class ClassicPrivateMixin:
    """0.2's commonly used private methods of ``ConversableAgent``."""

    def _match_trigger(self, trigger: Trigger, sender: ConversableAgent | None) -> bool:
        """Whether ``trigger`` matches ``sender`` (a ``ValueError`` for an unknown kind)."""
        check_trigger(trigger)
        return matches(trigger, sender)

    def _process_carryover(self, content: str, kwargs: dict[str, Any]) -> str:
        """``content`` followed by the ``carryover`` of ``kwargs`` after ``Context:``."""
        from convogen.agents.chat_entry import with_carryover

        return str(with_carryover(content, kwargs.get("carryover")))

    def _handle_carryover(
        self, message: str | dict[str, Any], kwargs: dict[str, Any]
    ) -> str | dict[str, Any]:
        """A first message (text or dict) with the ``carryover`` of ``kwargs`` added."""
        from convogen.agents.chat_entry import with_carryover

        return with_carryover(message, kwargs.get("carryover"))

    @staticmethod
    def _format_json_str(jstr: str) -> str:
        """0.2's clean-up of model-written JSON (newlines inside strings escaped)."""
        from convogen.agents.replies.tool_calls import format_json_str

        return format_json_str(jstr)

    def _wrap_function(self, func: F) -> F:
        """``func`` taking JSON-like arguments (models from dicts) and returning a string."""
        return wrap_function(func)

    def _append_oai_message(
        self, message: str | dict[str, Any], role: str, conversation_id: ConversableAgent
    ) -> bool:
        """Store ``message`` in the history with ``conversation_id`` as 0.2 does."""
        from convogen.agents.history import stored_copy

        agent: ConversableAgent = self  # type: ignore[assignment]
        override = message.get("override_role") if isinstance(message, dict) else None
        if override:
            message = {k: v for k, v in message.items() if k != "override_role"}  # type: ignore[union-attr]
        try:
            speaker = agent.name if role == "assistant" else conversation_id.name
            stored: dict[str, Any] = dict(stored_copy(message, role=role, name=speaker))  # type: ignore[arg-type]
        except MessageError:
            return False
        if override:
            stored["role"] = override
        agent.chat_messages[conversation_id].append(stored)  # type: ignore[arg-type]
        return True


def wrap_function(func: F) -> F:
    """Wrap ``func`` as 0.2 does for executed tools; ``_origin`` is the wrapped function."""
    from convogen.tools import function_to_tool, result_to_str

    tool = function_to_tool(func)
    signature = inspect.signature(func)

    def _validated(
        args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[list[Any], dict[str, Any]]:
        raw = signature.bind(*args, **kwargs).arguments
        return tool.bind(tool.validate(raw))

    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def a_wrapped(*args: Any, **kwargs: Any) -> str:
            call_args, call_kwargs = _validated(args, kwargs)
            return result_to_str(await func(*call_args, **call_kwargs))

        wrapped: Any = a_wrapped
    else:

        @functools.wraps(func)
        def s_wrapped(*args: Any, **kwargs: Any) -> str:
            call_args, call_kwargs = _validated(args, kwargs)
            return result_to_str(func(*call_args, **call_kwargs))

        wrapped = s_wrapped
    wrapped._origin = func
    return wrapped  # type: ignore[no-any-return]
