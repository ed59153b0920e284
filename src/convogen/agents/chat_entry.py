"""The chat methods of ``ConversableAgent``: entry points into the chat layer, and first messages.

The chat layer (``convogen.chat``) builds on agents; these methods are its public entry points,
so they import it when called.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from convogen.agents.sync_mode import run_sync_chat
from convogen.agents.triggers import Trigger
from convogen.errors import InvalidCarryOverTypeError

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent
    from convogen.results import ChatResult

DEFAULT_SUMMARY_PROMPT = (
    "Summarize the takeaway from the conversation. Do not add any introductory phrases."
)
DEFAULT_SUMMARY_METHOD = "last_msg"


class ChatEntryMixin:
    """``initiate_chat(s)``, nested chats and the first message of a chat."""

    DEFAULT_SUMMARY_PROMPT = DEFAULT_SUMMARY_PROMPT
    DEFAULT_SUMMARY_METHOD = DEFAULT_SUMMARY_METHOD
    _finished_chats: list[ChatResult]

    def initiate_chat(
        self,
        recipient: ConversableAgent,
        clear_history: bool = True,
        silent: bool | None = False,
        cache: Any = None,
        max_turns: int | None = None,
        summary_method: str | Callable[..., Any] | None = DEFAULT_SUMMARY_METHOD,
        summary_args: dict[str, Any] | None = None,
        message: Any = None,
        **kwargs: Any,
    ) -> ChatResult:
        """Start a chat with ``recipient``; see ``convogen.chat.two_agent.a_initiate_chat``."""
        return run_sync_chat(
            self.a_initiate_chat(
                recipient,
                clear_history,
                silent,
                cache,
                max_turns,
                summary_method,
                summary_args,
                message,
                **kwargs,
            )
        )

    async def a_initiate_chat(
        self,
        recipient: ConversableAgent,
        clear_history: bool = True,
        silent: bool | None = False,
        cache: Any = None,
        max_turns: int | None = None,
        summary_method: str | Callable[..., Any] | None = DEFAULT_SUMMARY_METHOD,
        summary_args: dict[str, Any] | None = None,
        message: Any = None,
        **kwargs: Any,
    ) -> ChatResult:
        """Start a chat with ``recipient`` and return its ``ChatResult``."""
        from convogen.chat.two_agent import a_initiate_chat

        return await a_initiate_chat(
            self,  # type: ignore[arg-type]
            recipient,
            clear_history=clear_history,
            silent=silent,
            cache=cache,
            max_turns=max_turns,
            summary_method=summary_method,
            summary_args=summary_args,
            message=message,
            **kwargs,
        )

    def initiate_chats(self, chat_queue: list[dict[str, Any]]) -> list[ChatResult]:
        """Run chats one after another, carrying each summary over to the next."""
        return run_sync_chat(self.a_initiate_chats(chat_queue))

    async def a_initiate_chats(self, chat_queue: list[dict[str, Any]]) -> list[ChatResult]:
        """Async twin of ``initiate_chats`` (the chats still run one after another)."""
        from convogen.chat.sequential import a_initiate_chats

        self._finished_chats = await a_initiate_chats(
            [{"sender": self, **chat} for chat in chat_queue]
        )
        return self._finished_chats

    def get_chat_results(self, chat_index: int | None = None) -> list[ChatResult] | ChatResult:
        """Results of the last ``initiate_chats``: all, or the one at ``chat_index``."""
        if chat_index is None:
            return self._finished_chats
        return self._finished_chats[chat_index]

    def register_nested_chats(
        self,
        chat_queue: list[dict[str, Any]],
        trigger: Trigger,
        reply_func_from_nested_chats: str | Callable[..., Any] = "summary_from_nested_chats",
        position: int = 2,
        use_async: bool | None = None,
        **kwargs: Any,
    ) -> None:
        """Reply to messages from ``trigger`` by running ``chat_queue`` and using its summary.

        A custom ``reply_func_from_nested_chats(chat_queue, recipient, messages, sender,
        config)`` returns ``(final, reply)``. Nested chats always run on the async
        implementation; ``use_async=True`` requires a ``chat_id`` per chat, as in 0.2.
        """
        from convogen.chat.nested import make_nested_chat_reply

        reply_func = make_nested_chat_reply(chat_queue, reply_func_from_nested_chats, use_async)
        agent: ConversableAgent = self  # type: ignore[assignment]
        agent.register_reply(
            trigger,
            reply_func,
            position,
            kwargs.get("config"),
            kwargs.get("reset_config"),
            ignore_async_in_sync_chat=bool(kwargs.get("ignore_async_in_sync_chat", False)),
        )

    def generate_init_message(self, message: Any, **kwargs: Any) -> str | dict[str, Any]:
        """The first message of a chat: ``message`` (or asked from a person) plus carryover."""
        if message is None:
            agent: ConversableAgent = self  # type: ignore[assignment]
            message = agent.get_human_input(">")
        return with_carryover(message, kwargs.get("carryover"))

    async def a_generate_init_message(self, message: Any, **kwargs: Any) -> str | dict[str, Any]:
        """Async twin of ``generate_init_message``."""
        if message is None:
            agent: ConversableAgent = self  # type: ignore[assignment]
            message = await agent.a_get_human_input(">")
        return with_carryover(message, kwargs.get("carryover"))


def with_carryover(message: Any, carryover: Any) -> str | dict[str, Any]:
    """``message`` with the carryover appended after ``Context:`` (as AutoGen 0.2 does)."""
    if not carryover:
        return message  # type: ignore[no-any-return]
    if isinstance(message, str):
        return message + _context(carryover)
    if not isinstance(message, dict):
        raise InvalidCarryOverTypeError("Carryover should be a string or a list of strings.")
    content = message.get("content")
    if isinstance(content, str):
        return {**message, "content": content + _context(carryover)}
    if isinstance(content, list):
        return {**message, "content": [{"type": "text", "text": _context(carryover)}, *content]}
    return message


def _context(carryover: Any) -> str:
    if isinstance(carryover, str):
        return "\nContext: \n" + carryover
    if isinstance(carryover, list):
        return "\nContext: \n" + "\n".join(carryover_text(item) for item in carryover)
    raise InvalidCarryOverTypeError()


def carryover_text(item: Any) -> str:
    """One carryover item as text (a message dict contributes its content)."""
    if isinstance(item, str):
        return item
    if isinstance(item, dict) and "content" in item:
        return str(item["content"])
    return str(item)
