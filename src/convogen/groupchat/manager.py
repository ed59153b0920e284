"""``GroupChatManager``: a conversable agent that runs a group chat when spoken to."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, Literal

from convogen._sync import run_sync
from convogen.agents.conversable import ConversableAgent
from convogen.agents.render import render_note
from convogen.agents.reply_types import ReplyResult
from convogen.errors import ChatError, ConfigError
from convogen.groupchat.groupchat import GroupChat
from convogen.groupchat.selection import NoEligibleSpeakerError, a_select_speaker
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
        super().__init__(
            name=name,
            max_consecutive_auto_reply=max_consecutive_auto_reply,
            human_input_mode=human_input_mode,
            system_message=system_message,
            silent=silent,
            **kwargs,
        )
        self._groupchat = groupchat
        self.register_reply(
            ConversableAgent, run_group_chat, config=groupchat, reset_config=GroupChat.reset
        )

    @property
    def groupchat(self) -> GroupChat:
        return self._groupchat

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
        transcript = _parse_transcript(messages)
        self.clear_history()
        speakers = [self._speaker_of(m, i) for i, m in enumerate(transcript)]
        for message, speaker in zip(transcript[:-1], speakers[:-1], strict=True):
            # Replay each message the way it travelled live: speaker -> manager -> the others.
            speaker.post(message, self, silent=True)
            received = self.last_message(speaker)
            assert received is not None
            relay(self, self._groupchat, received, speaker)
        last: dict[str, Any] = dict(transcript[-1])
        if remove_termination_string is not None:
            text = content_str(last.get("content"))
            if callable(remove_termination_string):
                last["content"] = remove_termination_string(text)
            else:
                last["content"] = text.replace(remove_termination_string, "")
        if not silent:
            render_note(
                self.io,
                f"Prepared a group chat of {len(transcript) - 1} messages; "
                f"{speakers[-1].name} sends the last one next.",
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

    def messages_to_string(self, messages: list[Message] | None = None) -> str:
        """The transcript as JSON, for saving and ``resume``."""
        return json.dumps(self._groupchat.messages if messages is None else messages)

    def _speaker_of(self, message: dict[str, Any], index: int) -> ConversableAgent:
        name = message.get("name")
        agent = self._groupchat.agent_by_name(name) if isinstance(name, str) else None
        if agent is None:
            raise ConfigError(
                f"messages[{index}]['name']",
                name,
                f"must name a member of the group chat: {self._groupchat.agent_names}",
            )
        return agent

    def run_chat(
        self,
        messages: list[Message] | None = None,
        sender: ConversableAgent | None = None,
        config: GroupChat | None = None,
    ) -> ReplyResult:
        """Run the group chat from the last of ``messages`` (the classic entry point)."""
        return run_sync(run_group_chat(self, messages, sender, config or self._groupchat))


async def run_group_chat(
    manager: ConversableAgent,
    messages: list[Message] | None,
    sender: ConversableAgent | None,
    config: Any,
) -> ReplyResult:
    """The manager's reply function: rounds of relay, speaker selection and reply."""
    groupchat: GroupChat = config
    if sender is None:
        raise ChatError("a group chat needs the agent that sent the first message")
    if messages is None:
        messages = manager.chat_messages[sender]
    if not messages:
        return False, None
    quiet = bool(manager.silent)
    if groupchat.send_introductions and not groupchat.messages:
        introduction = groupchat.introductions_msg()
        for agent in groupchat.agents:
            manager.post(introduction, agent, silent=True)
    message: Message = messages[-1]
    speaker = sender
    stop = StopInfo(StopReason.MAX_ROUND, None, f"reached max_round={groupchat.max_round}")
    for round_index in range(groupchat.max_round):
        relay(manager, groupchat, message, speaker)
        if manager.is_termination_msg(message):
            stop = StopInfo(
                StopReason.TERMINATION_MESSAGE,
                speaker.name,
                f"termination message from {speaker.name}",
            )
            break
        if round_index == groupchat.max_round - 1:
            break
        try:
            next_speaker = await a_select_speaker(groupchat, speaker, manager)
        except NoEligibleSpeakerError as exc:
            stop = StopInfo(StopReason.NO_ELIGIBLE_SPEAKER, manager.name, str(exc))
            break
        if next_speaker is None:
            stop = StopInfo(StopReason.NO_REPLY, manager.name, "the selection function ended it")
            break
        if not quiet:
            render_note(manager.io, f"\nNext speaker: {next_speaker.name}\n", style="green")
        outcome = await next_speaker.a_generate_reply_outcome(sender=manager)
        if outcome.reply is None:
            stop = outcome.stop or StopInfo(StopReason.NO_REPLY, next_speaker.name)
            break
        next_speaker.post(outcome.reply, manager, silent=quiet)
        last = manager.last_message(next_speaker)
        assert last is not None
        message, speaker = last, next_speaker
    manager.note_stop(stop.reason, stop.detail, agent=stop.agent)
    if isinstance(sender, GroupChatManager) and groupchat.messages:
        return True, content_str(groupchat.messages[-1].get("content"))
    return True, None


def relay(
    manager: ConversableAgent, groupchat: GroupChat, message: Message, speaker: ConversableAgent
) -> None:
    """Add ``message`` to the transcript and pass it to every member but its speaker."""
    groupchat.append(message, speaker)
    entry = groupchat.messages[-1]
    manager.broadcast(entry, [a for a in groupchat.agents if a is not speaker], silent=True)


def _parse_transcript(messages: object) -> list[dict[str, Any]]:
    if isinstance(messages, str):
        try:
            messages = json.loads(messages)
        except json.JSONDecodeError as exc:
            raise ConfigError("messages", messages, f"is not valid JSON: {exc}") from exc
    if not isinstance(messages, list) or not messages:
        raise ConfigError("messages", messages, "must be a non-empty list of messages")
    for i, message in enumerate(messages):
        if not isinstance(message, dict):
            raise ConfigError(f"messages[{i}]", message, "must be a dict")
    return messages
