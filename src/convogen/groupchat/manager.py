"""``GroupChatManager``: a conversable agent that runs a group chat when spoken to."""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable
from typing import Any, Literal

from convogen._sync import run_sync
from convogen.agents.conversable import ConversableAgent
from convogen.agents.render import render_note
from convogen.agents.reply_types import (
    PASS,
    Replied,
    ReplyOutcome,
    ReplyResult,
    ReplyStep,
    Stopped,
    as_pair,
)
from convogen.errors import ChatError, ConfigError, NoEligibleSpeakerError
from convogen.groupchat.clear_history import has_clear_command, parse_clear_command
from convogen.groupchat.groupchat import GroupChat
from convogen.groupchat.selection import a_select_speaker
from convogen.messages import Message, content_str
from convogen.results import StopInfo, StopReason


class GroupChatManager(ConversableAgent):
    """Relays each message to every member and asks the chosen next speaker for a reply.

    A manager is itself an agent, so it can be a member of another group chat; asked by
    another manager, it runs its own group chat and replies with that chat's last message.
    """

    DEFAULT_CONFIG: dict[str, Any] | Literal[False] = {}

    def __init__(
        self,
        groupchat: GroupChat,
        name: str = "chat_manager",
        max_consecutive_auto_reply: int | None = sys.maxsize,
        human_input_mode: Literal["ALWAYS", "TERMINATE", "NEVER"] = "NEVER",
        system_message: str | list[dict[str, Any]] | None = "Group chat manager.",
        silent: bool = False,
        **kwargs: Any,
    ) -> None:
        if not isinstance(groupchat, GroupChat):
            raise ConfigError("groupchat", groupchat, "must be a GroupChat")
        llm_config = kwargs.get("llm_config")
        if isinstance(llm_config, dict) and (
            llm_config.get("functions") or llm_config.get("tools")
        ):
            raise ConfigError(
                "llm_config", llm_config, "a GroupChatManager makes no tool or function calls"
            )
        super().__init__(
            name=name,
            max_consecutive_auto_reply=max_consecutive_auto_reply,
            human_input_mode=human_input_mode,
            system_message=system_message,
            silent=silent,
            **kwargs,
        )
        self._groupchat = groupchat
        self._last_speaker: ConversableAgent | None = None
        self.register_reply(
            ConversableAgent, run_group_chat, config=groupchat, reset_config=GroupChat.reset
        )

    @property
    def groupchat(self) -> GroupChat:
        """The group chat this manager runs."""
        return self._groupchat

    @property
    def last_speaker(self) -> ConversableAgent | None:
        """The member whose message the manager relayed last (the real sender of a relay)."""
        return self._last_speaker

    def chat_messages_for_summary(self, agent: ConversableAgent) -> list[Message]:
        """The group transcript (whoever asks), which a chat summary reads."""
        return self._groupchat.messages

    def clear_history(
        self, recipient: ConversableAgent | None = None, nr_messages_to_preserve: int | None = None
    ) -> None:
        """Clearing the manager's history also starts a fresh group transcript."""
        super().clear_history(recipient, nr_messages_to_preserve)
        if not nr_messages_to_preserve:
            self._groupchat.reset()
            for agent in self._groupchat.agents:
                if agent is not recipient:
                    agent.clear_history(self)

    def clear_agents_history(self, reply: Message | dict[str, Any], groupchat: GroupChat) -> str:
        """Carry out a "clear history [agent] [n]" command in ``reply``; returns the rest of it.

        Without an agent every member's history (and the transcript) is cleared; with ``n``
        the last ``n`` messages are kept.
        """
        command = parse_clear_command(content_str(reply.get("content")), groupchat.agents)
        keep = command.keep
        if not keep and reply.get("tool_responses"):
            keep = 1  # a tool response must not lose the call it answers
        target = command.agent
        who = target.name if target is not None else "all agents"
        kept = f" except the last {keep} messages" if keep else ""
        self.io.print(f"Clearing the history of {who}{kept}.")
        if target is not None:
            target.clear_history(nr_messages_to_preserve=keep)
            return command.remaining_text
        kept_messages = groupchat.messages[-keep:] if keep else []
        groupchat.messages[:] = kept_messages
        for agent in groupchat.agents:
            agent.clear_history(nr_messages_to_preserve=keep)
        return command.remaining_text

    # ---------------------------------------------------------------- resume
    def resume(
        self,
        messages: list[Message] | list[dict[str, Any]] | str,
        remove_termination_string: str | Callable[[str], str] | None = None,
        silent: bool = False,
    ) -> tuple[ConversableAgent, Message]:
        """Load a saved transcript; returns the last speaker and the message to send next.

        Continue with ``agent.initiate_chat(manager, message=message, clear_history=False)``.
        """
        transcript = self._parse_transcript(messages)
        speakers = [self._speaker_of(m, i) for i, m in enumerate(transcript)]
        self.clear_history()
        for agent in self._groupchat.agents:
            agent.clear_history()
        for message, speaker in zip(transcript[:-1], speakers[:-1], strict=True):
            self._replay(message, speaker)
        last: dict[str, Any] = transcript[-1]
        if remove_termination_string is not None:
            text = content_str(last.get("content"))
            if callable(remove_termination_string):
                last["content"] = remove_termination_string(text)
            else:
                last["content"] = text.replace(remove_termination_string, "")
        if not silent:
            render_note(
                self.io,
                f"Prepared a group chat of {len(transcript)} messages; the last speaker is "
                f"{speakers[-1].name}, who sends the last message next.",
                style="green",
            )
        return speakers[-1], last  # type: ignore[return-value]

    async def a_resume(
        self,
        messages: list[Message] | list[dict[str, Any]] | str,
        remove_termination_string: str | Callable[[str], str] | None = None,
        silent: bool = False,
    ) -> tuple[ConversableAgent, Message]:
        """Async twin of ``resume`` (loading does no I/O)."""
        return self.resume(messages, remove_termination_string, silent)

    def _replay(self, message: dict[str, Any], speaker: ConversableAgent) -> None:
        """Replay one message the way it travelled live: speaker -> manager -> the others."""
        if speaker is self:
            relay(self, self._groupchat, message, self)  # type: ignore[arg-type]
            return
        speaker.post(message, self, silent=True)
        received = self.last_message(speaker)
        assert received is not None
        relay(self, self._groupchat, received, speaker)

    def messages_from_string(self, message_string: str) -> list[dict[str, Any]]:
        """The messages of a transcript saved by ``messages_to_string``."""
        try:
            messages = json.loads(message_string)
        except (TypeError, json.JSONDecodeError) as exc:
            raise ConfigError(
                "message_string", message_string, f"is not valid JSON: {exc}"
            ) from exc
        if not isinstance(messages, list):
            raise ConfigError("message_string", message_string, "must hold a JSON list of messages")
        return messages

    def messages_to_string(self, messages: list[Message] | None = None) -> str:
        """The messages (default: the group transcript) as JSON, for saving and ``resume``."""
        return json.dumps(self._groupchat.messages if messages is None else messages)

    def _parse_transcript(self, messages: object) -> list[dict[str, Any]]:
        """A private deep copy of ``messages``: resuming clears the transcript it may alias."""
        if isinstance(messages, str):
            messages = self.messages_from_string(messages)
        if not isinstance(messages, list) or not messages:
            raise ConfigError("messages", messages, "must be a non-empty list of messages")
        for i, message in enumerate(messages):
            if not isinstance(message, dict):
                raise ConfigError(f"messages[{i}]", message, "must be a dict")
        return copy.deepcopy(messages)

    def _speaker_of(self, message: dict[str, Any], index: int) -> ConversableAgent:
        name = message.get("name")
        if name is None or name in (self.name, self._groupchat.admin_name):
            agent = self._groupchat.agent_by_name(name) if isinstance(name, str) else None
            return agent if agent is not None else self
        agent = self._groupchat.agent_by_name(name) if isinstance(name, str) else None
        if agent is None:
            raise ConfigError(
                f"messages[{index}]['name']",
                name,
                f"must name a member of the group chat: {self._groupchat.agent_names}",
            )
        return agent

    # ------------------------------------------------------------------ run
    def run_chat(
        self,
        messages: list[Message] | None = None,
        sender: ConversableAgent | None = None,
        config: GroupChat | None = None,
    ) -> ReplyResult:
        """Run the group chat from the last of ``messages`` (the classic entry point).

        As in 0.2 it also serves as a reply function of any agent given the group as ``config``.
        """
        groupchat = config if config is not None else self._groupchat
        return as_pair(run_sync(run_group_chat(self, messages, sender, groupchat)))

    async def a_run_chat(
        self,
        messages: list[Message] | None = None,
        sender: ConversableAgent | None = None,
        config: GroupChat | None = None,
    ) -> ReplyResult:
        """Async twin of ``run_chat``."""
        return as_pair(await run_group_chat(self, messages, sender, config or self._groupchat))

    def note_speaker(self, speaker: ConversableAgent) -> None:
        """Remember ``speaker`` as the member whose message was relayed last."""
        self._last_speaker = speaker


async def run_group_chat(
    manager: ConversableAgent,
    messages: list[Message] | None,
    sender: ConversableAgent | None,
    config: Any,
) -> ReplyStep:
    """The manager's reply function: rounds of relay, speaker selection and reply.

    The group's stop ends the outer conversation (``Stopped``); asked by another manager, it
    replies with the group's last message instead.
    """
    groupchat: GroupChat = config
    if sender is None:
        raise ChatError("a group chat needs the agent that sent the first message")
    if messages is None:
        messages = manager.chat_messages[sender]
    if not messages:
        return PASS
    if groupchat.send_introductions and not groupchat.messages:
        introduction = groupchat.introductions_msg()
        for agent in groupchat.agents:
            manager.post(introduction, agent, silent=True)
    stop = await _a_rounds(manager, groupchat, messages[-1], sender)
    if isinstance(sender, GroupChatManager) and sender is not manager and groupchat.messages:
        return Replied(content_str(groupchat.messages[-1].get("content")))
    return Stopped(stop.reason, stop.detail, stop.agent)


async def _a_rounds(
    manager: ConversableAgent, groupchat: GroupChat, message: Message, speaker: ConversableAgent
) -> StopInfo:
    """Relay, check termination, pick and ask the next speaker, up to ``max_round`` times."""
    quiet = bool(manager.silent)
    for round_index in range(groupchat.max_round):
        relay(manager, groupchat, message, speaker)
        if manager.is_termination_msg(message):
            return StopInfo(
                StopReason.TERMINATION_MESSAGE,
                speaker.name,
                f"termination message from {speaker.name}",
            )
        if round_index == groupchat.max_round - 1:
            break
        try:
            turn = await _a_next_turn(manager, groupchat, speaker)
        except NoEligibleSpeakerError as exc:
            return StopInfo(StopReason.NO_ELIGIBLE_SPEAKER, manager.name, str(exc))
        if turn is None:
            return StopInfo(StopReason.NO_REPLY, manager.name, "the selection function ended it")
        next_speaker, outcome = turn
        if outcome.reply is None:
            return outcome.stop or StopInfo(StopReason.NO_REPLY, next_speaker.name)
        reply = outcome.reply
        if groupchat.enable_clear_history:
            reply = _apply_clear_command(manager, groupchat, reply)
        next_speaker.post(reply, manager, silent=quiet)
        last = manager.last_message(next_speaker)
        assert last is not None
        message, speaker = last, next_speaker
    return StopInfo(StopReason.MAX_ROUND, None, f"reached max_round={groupchat.max_round}")


async def _a_next_turn(
    manager: ConversableAgent, groupchat: GroupChat, speaker: ConversableAgent
) -> tuple[ConversableAgent, ReplyOutcome] | None:
    """Pick the next speaker and get its reply; Ctrl-C hands the turn to the admin, if any."""
    try:
        next_speaker = await a_select_speaker(groupchat, speaker, manager)
        if next_speaker is None:
            return None
        if not manager.silent:
            render_note(manager.io, f"\nNext speaker: {next_speaker.name}\n", style="green")
        return next_speaker, await next_speaker.a_generate_reply_outcome(sender=manager)
    except KeyboardInterrupt:
        admin = groupchat.agent_by_name(groupchat.admin_name)
        if admin is None:
            raise
        return admin, await admin.a_generate_reply_outcome(sender=manager)


def _apply_clear_command(manager: ConversableAgent, groupchat: GroupChat, reply: Any) -> Any:
    """With ``enable_clear_history``, run a "clear history" command found in ``reply``."""
    if not groupchat.enable_clear_history or not isinstance(manager, GroupChatManager):
        return reply
    entry = {"content": reply} if isinstance(reply, str) else reply
    if not isinstance(entry, dict) or not has_clear_command(content_str(entry.get("content"))):
        return reply
    remaining = manager.clear_agents_history(entry, groupchat)
    return remaining if isinstance(reply, str) else {**entry, "content": remaining}


def relay(
    manager: ConversableAgent, groupchat: GroupChat, message: Message, speaker: ConversableAgent
) -> None:
    """Add ``message`` to the transcript and pass it to every member but its speaker."""
    if isinstance(manager, GroupChatManager):
        manager.note_speaker(speaker)
    groupchat.append(message, speaker)
    others = groupchat.agents.copy()
    if speaker in others:  # members are distinct, so one removal leaves everyone else
        others.remove(speaker)
    manager.broadcast(groupchat.messages[-1], others, silent=True)
