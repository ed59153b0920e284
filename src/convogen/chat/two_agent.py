"""``initiate_chat``: run a two-agent chat and return a ``ChatResult``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from convogen.agents.chat_entry import ChatEntryMixin
from convogen.agents.conversable import ConversableAgent
from convogen.agents.sync_mode import in_sync_chat
from convogen.chat.summary import SummaryFunction, a_summarize, check_summary_method
from convogen.chat_run import ChatRun, chat_run, record_stop
from convogen.errors import ConfigError
from convogen.events import ChatFinished, ChatStarted
from convogen.interception import emit, has_sinks
from convogen.llm.usage import chat_cost
from convogen.messages import Message
from convogen.results import ChatResult, StopInfo, StopReason

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
    The chat runs in its own ``ChatRun`` (its cache, usage, human input, files and stop), and
    its ``ChatResult`` is built from that run.
    """
    if not isinstance(recipient, ConversableAgent):
        raise ConfigError("recipient", recipient, "must be a ConversableAgent")
    if max_turns is not None and (
        isinstance(max_turns, bool) or not isinstance(max_turns, int) or max_turns < 1
    ):
        raise ConfigError("max_turns", max_turns, "must be a positive integer or None")
    check_summary_method(summary_method)
    _prepare(sender, recipient, clear_history)
    plan = _ChatPlan(message, context, bool(silent), max_turns, summary_method, summary_args or {})
    with chat_run(cache=cache) as run:
        return await _a_run_chat(run, sender, recipient, plan)


@dataclass(frozen=True)
class _ChatPlan:
    """How one chat goes: its first message, turns and summary."""

    message: InitialMessage
    context: dict[str, Any]
    quiet: bool
    max_turns: int | None
    summary_method: str | SummaryFunction | None
    summary_args: dict[str, Any]


async def _a_run_chat(
    run: ChatRun, sender: ConversableAgent, recipient: ConversableAgent, plan: _ChatPlan
) -> ChatResult:
    """The chat inside its run; the result is filled from the run, even on error."""
    result = ChatResult(chat_id=run.chat_id)
    if has_sinks():
        emit(ChatStarted(run.chat_id, sender, recipient))
    try:
        result.summary = await _a_talk(sender, recipient, plan)
    except Exception as exc:
        run.stop = StopInfo(StopReason.ERROR, None, f"{type(exc).__name__}: {exc}")
        result.error = exc
        exc.add_note(
            f"convogen: the chat {sender.name} -> {recipient.name} stopped with an error; "
            f"the partial ChatResult is in {sender.name}.last_chat_result"
        )
        raise
    finally:
        _fill(result, run, sender.chat_messages[recipient])
        sender.last_chat_result = result
        if has_sinks():
            emit(ChatFinished(run.chat_id, sender, recipient, result))
    return result


async def _a_talk(sender: ConversableAgent, recipient: ConversableAgent, plan: _ChatPlan) -> str:
    """Send the first message, let the agents reply in turn, record the stop; the summary."""
    first = await _a_initial_message(sender, recipient, plan.message, plan.context)
    stopped = await sender.a_send_and_converse(
        first, recipient, request_reply=True, silent=plan.quiet, max_turns=plan.max_turns
    )
    record_stop(stopped or StopInfo(StopReason.NO_REPLY, recipient.name))
    return await a_summarize(plan.summary_method, sender, recipient, plan.summary_args)


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


def _fill(result: ChatResult, run: ChatRun, history: list[Message]) -> None:
    """Fill ``result`` from the chat's run and the sender's view of the conversation."""
    stop = run.stop or StopInfo(StopReason.ERROR, None, "the chat did not finish")
    result.chat_history = [cast(Message, dict(m)) for m in history]
    result.cost = chat_cost(run.usage)
    result.human_input = list(run.human_inputs)
    result.files = list(run.files)
    result.stop_reason = stop.reason
    result.stopped_by = stop.agent
    result.stop_detail = stop.detail
