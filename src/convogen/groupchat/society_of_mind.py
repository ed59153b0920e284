"""``SocietyOfMindAgent``: one agent whose thinking is a whole group chat (an inner monologue).

Asked for a reply, it replays the outer conversation (all but the last message) to the inner
group's members, runs the group chat on the last message, and answers with a response
prepared from the inner transcript: by its own model when it has one (a prompt asks for a
standalone answer), otherwise the inner chat's last message without ``TERMINATE``. Only that
answer reaches the outer conversation.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any, Literal

from convogen._sync import run_sync
from convogen.agents.base import Agent
from convogen.agents.conversable import ConversableAgent
from convogen.agents.reply_types import ReplyResult
from convogen.chat_run import cache_for_call
from convogen.errors import ConfigError
from convogen.groupchat.groupchat import GroupChat
from convogen.groupchat.manager import GroupChatManager
from convogen.messages import Message, content_str

ResponsePreparer = Callable[[Any, list[Message]], "str | Awaitable[str]"]

DEFAULT_RESPONSE_PROMPT = (
    "Write a standalone reply to the original request. Do not refer to the discussion above; "
    "state the result itself."
)
TRANSCRIPT_INTRO = (
    "You were given a request, and your team discussed it. The transcript of that discussion "
    "follows."
)


class SocietyOfMindAgent(ConversableAgent):
    """An agent that answers by running a group chat as its inner monologue."""

    def __init__(
        self,
        name: str,
        chat_manager: GroupChatManager,
        response_preparer: str | ResponsePreparer | None = None,
        is_termination_msg: Callable[[Message], bool] | None = None,
        max_consecutive_auto_reply: int | None = None,
        human_input_mode: Literal["ALWAYS", "NEVER", "TERMINATE"] = "TERMINATE",
        function_map: dict[str, Callable[..., Any]] | None = None,
        code_execution_config: dict[str, Any] | Literal[False] = False,
        llm_config: dict[str, Any] | Literal[False] | None = False,
        default_auto_reply: str | dict[str, Any] = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(
            name=name,
            system_message="",
            is_termination_msg=is_termination_msg,
            max_consecutive_auto_reply=max_consecutive_auto_reply,
            human_input_mode=human_input_mode,
            function_map=function_map,
            code_execution_config=code_execution_config,
            llm_config=llm_config,
            default_auto_reply=default_auto_reply,
            **kwargs,
        )
        self._chat_manager: GroupChatManager | None = None
        self._group_chat: GroupChat | None = None
        self.update_chat_manager(chat_manager)
        self.response_preparer = self._preparer(response_preparer)
        # Tried in 0.2's order: termination/human input, function call, code, inner monologue.
        self.register_reply(
            [Agent, None],
            SocietyOfMindAgent.a_generate_inner_monologue_reply,  # type: ignore[arg-type]
            remove_other_reply_funcs=True,
        )
        for reply in (
            ConversableAgent.generate_code_execution_reply,
            ConversableAgent.generate_function_call_reply,
            ConversableAgent.check_termination_and_human_reply,
        ):
            self.register_reply([Agent, None], reply)

    def _preparer(self, preparer: str | ResponsePreparer | None) -> ResponsePreparer:
        if preparer is None:
            preparer = DEFAULT_RESPONSE_PROMPT if self.client is not None else last_message_text
        if isinstance(preparer, str):
            prompt = preparer
            return lambda agent, messages: agent.a_prepare_response_with_llm(prompt, messages)
        if not callable(preparer):
            raise ConfigError(
                "response_preparer", preparer, "must be a prompt string or f(agent, messages)"
            )
        return preparer

    @property
    def chat_manager(self) -> GroupChatManager | None:
        """The manager of the inner group chat."""
        return self._chat_manager

    def update_chat_manager(self, chat_manager: GroupChatManager | None) -> None:
        """Run the inner monologue with ``chat_manager`` (None: no inner monologue)."""
        if chat_manager is not None and not isinstance(chat_manager, GroupChatManager):
            raise ConfigError("chat_manager", chat_manager, "must be a GroupChatManager or None")
        self._chat_manager = chat_manager
        self._group_chat = None if chat_manager is None else chat_manager.groupchat

    async def a_generate_inner_monologue_reply(
        self,
        messages: list[Message] | None = None,
        sender: ConversableAgent | None = None,
        config: Any = None,
    ) -> ReplyResult:
        """Run the inner group chat on the conversation; reply with the prepared response."""
        manager, group = self._chat_manager, self._group_chat
        if manager is None or group is None:
            return False, None
        history = self._history(messages, sender)
        if not history:
            return False, None
        manager.reset()
        await self._replay_outer_history(manager, group, history[:-1], sender)
        last = {"content": history[-1].get("content")}
        await self.a_initiate_chat(manager, message=last, clear_history=False, silent=self.silent)
        prepared = self.response_preparer(self, group.messages)
        return True, await prepared if inspect.isawaitable(prepared) else prepared

    def generate_inner_monologue_reply(
        self,
        messages: list[Message] | None = None,
        sender: ConversableAgent | None = None,
        config: Any = None,
    ) -> ReplyResult:
        """Synchronous twin of ``a_generate_inner_monologue_reply``."""
        return run_sync(self.a_generate_inner_monologue_reply(messages, sender, config))

    async def _replay_outer_history(
        self,
        manager: GroupChatManager,
        group: GroupChat,
        earlier: list[Message],
        sender: ConversableAgent | None,
    ) -> None:
        """Give each member a fresh history holding the outer conversation so far."""
        sender_name = sender.name if sender is not None else "user"
        for agent in group.agents:
            agent.reset()
            for message in earlier:
                attributed = dict(message)
                if "name" not in attributed:
                    own = attributed.get("role") == "assistant"
                    attributed["name"] = self.name if own else sender_name
                await manager.a_send(attributed, agent, request_reply=False, silent=True)

    async def a_prepare_response_with_llm(self, prompt: str, messages: list[Message]) -> str:
        """This agent's model's answer to ``prompt`` after reading the inner transcript."""
        client = self.client
        if client is None:
            raise ConfigError(
                "llm_config", self.llm_config, "a prompt response_preparer needs a model"
            )
        request: list[Any] = [{"role": "system", "content": TRANSCRIPT_INTRO}]
        request += [_as_transcript_line(m) for m in messages]
        request.append({"role": "system", "content": prompt})
        cache = cache_for_call(self.client_cache)
        params: dict[str, Any] = {} if cache is None else {"cache": cache}
        response = await client.a_create(messages=request, **params)
        extracted = client.extract_text_or_completion_object(response)[0]
        return extracted if isinstance(extracted, str) else str(dict(extracted))


def last_message_text(agent: Any, messages: list[Message]) -> str:
    """The default preparer without a model: the last inner message, ``TERMINATE`` removed."""
    if not messages:
        return ""
    return content_str(messages[-1].get("content")).replace("TERMINATE", "").strip()


def _as_transcript_line(message: Message) -> dict[str, Any]:
    """An inner message as a plain user message (tool and function calls written as text)."""
    line: dict[str, Any] = {"role": "user", "content": message.get("content") or ""}
    if message.get("name"):
        line["name"] = message["name"]
    call = message.get("function_call")
    if not line["content"] and isinstance(call, dict) and "name" in call:
        line["content"] = f"{call['name']}({call.get('arguments', '')})"
    return line
