"""``initiate_chat``: run a two-agent chat and return a ``ChatResult``."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from convogen.agents.chat_entry import ChatEntryMixin
from convogen.agents.sync_mode import in_sync_chat
from convogen.chat.summary import SummaryFunction, a_summarize, check_summary_method
from convogen.errors import ConfigError
from convogen.interception import emit
from convogen.llm.usage import UsageRecord, chat_cost
from convogen.messages import Message
from convogen.results import ChatResult, StopInfo, StopReason

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent

_chat_ids = itertools.count(1)
plain_init_message = ChatEntryMixin.generate_init_message
InitialMessage = str | dict[str, Any] | Callable[..., str | dict[str, Any]] | None


async def a_initiate_chat(
    sender: ConversableAgent,
    recipient: ConversableAgent,
    clear_history: bool = True,
    silent: bool | None = False,
    cache: Any = None,
    max_turns: int | None = None,
    summary_method: str | SummaryFunction | None = "last_msg",
    summary_args: dict[str, Any] | None = None,
    message: InitialMessage = None,
    **context: Any,
) -> ChatResult:
    """Send ``message`` to ``recipient`` and let the two reply in turn until the chat stops.

    ``context`` may hold ``carryover`` (str or list) from earlier chats, appended to the
    first message, and anything a callable ``message(sender, recipient, context)`` needs.
    """
    from convogen.agents.conversable import ConversableAgent

    if not isinstance(recipient, ConversableAgent):
        raise ConfigError("recipient", recipient, "must be a ConversableAgent")
    if max_turns is not None and (
        isinstance(max_turns, bool) or not isinstance(max_turns, int) or max_turns < 1
    ):
        raise ConfigError("max_turns", max_turns, "must be a positive integer or None")
    check_summary_method(summary_method)
    quiet = bool(silent)
    _prepare(sender, recipient, clear_history)
    usage_marks = _usage_marks(sender, recipient)
    input_marks = (len(sender.human_inputs), len(recipient.human_inputs))
    file_marks = (len(sender.produced_files), len(recipient.produced_files))
    for agent in (sender, recipient):
        agent.client_cache = cache
    result = ChatResult(chat_id=next(_chat_ids))
    emit("chat_started", chat_id=result.chat_id, sender=sender, recipient=recipient)
    stop = StopInfo(StopReason.ERROR, None, "the chat did not finish")
    try:
        first = await _a_initial_message(sender, recipient, message, context)
        stopped = await sender.a_send_and_converse(
            first, recipient, request_reply=True, silent=quiet, max_turns=max_turns
        )
        stop = stopped or StopInfo(StopReason.NO_REPLY, recipient.name)
        result.summary = await a_summarize(summary_method, sender, recipient, summary_args or {})
    except Exception as exc:
        stop = StopInfo(StopReason.ERROR, None, f"{type(exc).__name__}: {exc}")
        result.error = exc
        exc.add_note(
            f"convogen: the chat {sender.name} -> {recipient.name} stopped with an error; "
            f"the partial ChatResult is in {sender.name}.last_chat_result"
        )
        raise
    finally:
        for agent in (sender, recipient):
            agent.client_cache = None
        _fill(result, sender, recipient, stop, usage_marks, input_marks)
        result.files = (
            sender.produced_files[file_marks[0] :] + recipient.produced_files[file_marks[1] :]
        )
        sender.last_chat_result = result
        emit(
            "chat_finished",
            chat_id=result.chat_id,
            sender=sender,
            recipient=recipient,
            result=result,
        )
    return result


def _prepare(sender: ConversableAgent, recipient: ConversableAgent, clear_history: bool) -> None:
    for me, peer in ((sender, recipient), (recipient, sender)):
        me.reset_consecutive_auto_reply_counter(peer)
        me.reply_at_receive[peer] = True
        if clear_history:
            me.clear_history(peer)


async def _a_initial_message(
    sender: ConversableAgent,
    recipient: ConversableAgent,
    message: InitialMessage,
    context: dict[str, Any],
) -> str | dict[str, Any]:
    """A callable gets ``(sender, recipient, context)``; otherwise the sender adds carryover."""
    if callable(message):
        return message(sender, recipient, context)
    if in_sync_chat() and type(sender).generate_init_message is not plain_init_message:
        # A 0.2 subclass overriding the sync method is honoured in sync chats, as in 0.2.
        return sender.generate_init_message(message, **context)
    return await sender.a_generate_init_message(message, **context)


def _usage_marks(*agents: ConversableAgent) -> list[tuple[ConversableAgent, int]]:
    # An agent whose client is created during the chat (the embedded default model) starts at 0.
    return [(a, len(a.client.usage.records) if a.client is not None else 0) for a in agents]


def _fill(
    result: ChatResult,
    sender: ConversableAgent,
    recipient: ConversableAgent,
    stop: StopInfo,
    usage_marks: list[tuple[ConversableAgent, int]],
    input_marks: tuple[int, int],
) -> None:
    records: list[UsageRecord] = []
    seen: set[int] = set()
    for agent, mark in usage_marks:
        if agent.client is not None and id(agent.client) not in seen:
            seen.add(id(agent.client))
            records.extend(agent.client.usage.records[mark:])
    history: list[Message] = [dict(m) for m in sender.chat_messages[recipient]]  # type: ignore[misc]
    result.chat_history = history
    result.cost = chat_cost(records)
    result.human_input = (
        sender.human_inputs[input_marks[0] :] + recipient.human_inputs[input_marks[1] :]
    )
    result.stop_reason = stop.reason
    result.stopped_by = stop.agent
    result.stop_detail = stop.detail
