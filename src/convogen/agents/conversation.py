"""The two-agent conversation loop: agents reply in turn until one of them stops."""

from __future__ import annotations

from typing import TYPE_CHECKING

from convogen.results import StopInfo, StopReason

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent


async def a_converse(
    first: ConversableAgent,
    other: ConversableAgent,
    *,
    max_turns: int | None,
    silent: bool = False,
) -> StopInfo | None:
    """``first`` has just received a message from ``other``; alternate replies from there.

    The loop is iterative, so long chats never deepen the call stack. With ``max_turns`` it
    stops after ``first`` has replied that many times; otherwise it goes on while the agent
    receiving each reply is set to reply on receipt. Returns why it stopped, or None when the
    receiving agent simply does not auto-reply.
    """
    responder, asker = first, other
    replies_by_first = 0
    while True:
        outcome = await responder.a_generate_reply_outcome(sender=asker)
        if outcome.reply is None:
            return outcome.stop or StopInfo(StopReason.NO_REPLY, responder.name)
        responder.post(outcome.reply, asker, silent)
        if responder is first:
            replies_by_first += 1
            if max_turns is not None and replies_by_first >= max_turns:
                return StopInfo(StopReason.MAX_TURNS, None, f"reached max_turns={max_turns}")
        if max_turns is None and not asker.reply_at_receive[responder]:
            return None
        responder, asker = asker, responder
