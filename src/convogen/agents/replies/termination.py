"""Termination checks and human input: the first reply function every agent tries."""

from __future__ import annotations

from typing import Any

from convogen.agents.render import render_note
from convogen.agents.reply_types import PASS, Replied, ReplyStep, Stopped
from convogen.agents.view import ReplyAgent
from convogen.messages import Message
from convogen.results import StopReason

EXIT = "exit"


async def check_termination_and_human_reply(
    recipient: ReplyAgent,
    messages: list[Message] | None,
    sender: Any,
    config: Any,
) -> ReplyStep:
    """Ask a person when the human input mode says so; end the chat when a rule says so.

    ALWAYS: ask every turn (empty input lets the auto reply run, or ends the chat if the
    message was a termination message). TERMINATE: ask only on a termination message or
    when the consecutive auto-reply limit is hit. NEVER: never ask; stop on either.
    Typing ``exit`` ends the chat.
    """
    if not messages or sender is None:
        return PASS
    message = messages[-1]
    mode = recipient.human_input_mode
    limit = recipient.max_consecutive_auto_reply(sender)
    is_termination = recipient.is_termination_msg(message)
    reply = ""
    auto_stop: StopReason | None = None

    if mode == "ALWAYS":
        reply = await recipient.a_get_human_input(
            f"Replying as {recipient.name}. Provide feedback to {sender.name}. Press enter to "
            "skip and use auto-reply, or type 'exit' to end the conversation: "
        )
        if not reply and is_termination:
            auto_stop = StopReason.TERMINATION_MESSAGE
    elif recipient.auto_reply_count(sender) >= limit:
        if mode == "NEVER":
            auto_stop = StopReason.MAX_CONSECUTIVE_AUTO_REPLY
        else:
            reply = await recipient.a_get_human_input(
                f"Please give feedback to {sender.name}. Press enter "
                + ("" if is_termination else "to skip and use auto-reply, ")
                + "or type 'exit' to stop the conversation: "
            )
            if not reply and is_termination:
                auto_stop = StopReason.TERMINATION_MESSAGE
    elif is_termination:
        if mode == "NEVER":
            auto_stop = StopReason.TERMINATION_MESSAGE
        else:
            reply = await recipient.a_get_human_input(
                f"Please give feedback to {sender.name}. Press enter or type 'exit' to stop "
                "the conversation: "
            )
            if not reply:
                auto_stop = StopReason.TERMINATION_MESSAGE

    if reply.strip().lower() == EXIT:
        recipient.reset_consecutive_auto_reply_counter(sender)
        return Stopped(StopReason.HUMAN_EXIT, f"a person typed '{EXIT}'")
    if auto_stop is not None:
        recipient.reset_consecutive_auto_reply_counter(sender)
        detail = (
            f"{limit} consecutive auto replies"
            if auto_stop is StopReason.MAX_CONSECUTIVE_AUTO_REPLY
            else f"termination message from {sender.name}"
        )
        return Stopped(auto_stop, detail)
    if reply or limit == 0:
        recipient.reset_consecutive_auto_reply_counter(sender)
        if not reply:
            return Stopped(StopReason.MAX_CONSECUTIVE_AUTO_REPLY, "max_consecutive_auto_reply=0")
        return Replied(_human_reply(reply, message))
    recipient.count_auto_reply(sender)
    if mode != "NEVER" and not recipient.silent:
        render_note(recipient.io, ">>>>>>>> USING AUTO REPLY...")
    return PASS


def _human_reply(reply: str, last: Message) -> str | dict[str, Any]:
    """A person's reply; when the model asked for tools, it answers each pending call."""
    calls = last.get("tool_calls")
    if not calls:
        return reply
    responses = [{"tool_call_id": c["id"], "role": "tool", "content": reply} for c in calls]
    return {"role": "tool", "tool_responses": responses, "content": reply}
