"""``ConversableAgent``: an agent that sends, receives and replies through a reply pipeline."""

from __future__ import annotations

import inspect
import warnings
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from types import CoroutineType
from typing import TYPE_CHECKING, Any, Literal

from convogen.agents import options
from convogen.agents.agent_state import AgentStateMixin
from convogen.agents.base import Agent
from convogen.agents.chat_entry import ChatEntryMixin
from convogen.agents.classic_private import ClassicPrivateMixin
from convogen.agents.conversation import a_converse
from convogen.agents.history import stored_copy
from convogen.agents.hooks import HOOKABLE_METHODS, HookMixin
from convogen.agents.io import IOStream, get_default_io
from convogen.agents.model_access import ModelAccessMixin
from convogen.agents.render import render_message
from convogen.agents.reply_methods import (
    ASYNC_TWINS,
    BUILTIN_IMPLS,
    DEFAULT_REPLIES,
    ClassicReplyMethods,
)
from convogen.agents.reply_types import (
    PASS,
    Pass,
    Replied,
    Reply,
    ReplyFunc,
    ReplyFuncEntry,
    ReplyOutcome,
    as_step,
)
from convogen.agents.sync_mode import in_sync_chat, run_sync_chat
from convogen.agents.tool_use import ToolUseMixin
from convogen.agents.triggers import Trigger, check_trigger, class_route, matches
from convogen.errors import ChatError, ConfigError, MessagesOrSenderRequiredError
from convogen.events import MessageSent
from convogen.interception import emit, has_sinks
from convogen.llm.config import parse_llm_config
from convogen.messages import Message
from convogen.results import ChatResult, StopInfo

if TYPE_CHECKING:
    from convogen.code.protocol import CodeExecutor
    from convogen.llm.wrapper import OpenAIWrapper


# The trigger of the default replies, shared by every agent (triggers are never changed).
_ANY_SENDER: list[Any] = [Agent, None]


class ConversableAgent(
    ClassicReplyMethods,
    ChatEntryMixin,
    ToolUseMixin,
    ClassicPrivateMixin,
    AgentStateMixin,
    HookMixin,
    ModelAccessMixin,
):
    """An agent that converses: its replies come from an ordered list of reply functions."""

    DEFAULT_CONFIG: dict[str, Any] | Literal[False] = False
    DEFAULT_SYSTEM_MESSAGE = "You are a helpful AI Assistant."
    MAX_CONSECUTIVE_AUTO_REPLY = options.MAX_CONSECUTIVE_AUTO_REPLY

    def __init__(
        self,
        name: str,
        system_message: str | list[dict[str, Any]] | None = DEFAULT_SYSTEM_MESSAGE,
        is_termination_msg: Callable[[Message], bool] | None = None,
        max_consecutive_auto_reply: int | None = None,
        human_input_mode: options.HumanInputMode = "TERMINATE",
        function_map: dict[str, Callable[..., Any]] | None = None,
        code_execution_config: dict[str, Any] | Literal[False] = False,
        llm_config: dict[str, Any] | Literal[False] | None = None,
        default_auto_reply: str | dict[str, Any] = "",
        description: str | None = None,
        chat_messages: dict[ConversableAgent, list[Message]] | None = None,
        silent: bool | None = None,
        io_stream: IOStream | None = None,
    ) -> None:
        self._name = options.check_name(name)
        system_message = options.check_system_message(system_message or "")
        self._oai_system_message: list[Message] = [{"content": system_message, "role": "system"}]
        self._description = description if description is not None else _as_text(system_message)
        self._is_termination_msg = options.check_termination(is_termination_msg)
        self._max_consecutive_auto_reply = options.check_max_consecutive_auto_reply(
            max_consecutive_auto_reply, self.MAX_CONSECUTIVE_AUTO_REPLY
        )
        self.human_input_mode = options.check_human_input_mode(human_input_mode)
        self._code_execution_config = options.check_code_execution_config(code_execution_config)
        self._default_auto_reply = options.check_default_auto_reply(default_auto_reply)
        self.silent = silent
        self._io = io_stream
        self._init_llm(llm_config)
        self._oai_messages: defaultdict[Any, list[Message]] = defaultdict(list)
        for peer, history in (chat_messages or {}).items():
            self._oai_messages[peer] = list(history)
        self._consecutive_auto_reply_counter: defaultdict[ConversableAgent, int] = defaultdict(int)
        self._max_consecutive_auto_reply_dict: dict[ConversableAgent, int] = {}
        self.reply_at_receive: defaultdict[Any, bool] = defaultdict(bool)
        self._human_input: list[str] = []
        self.last_chat_result: ChatResult | None = None
        self._finished_chats: list[ChatResult] = []
        # AutoGen 0.2's attribute: a cache a user may set by hand; a chat's own cache (its run's)
        # takes precedence, and chats never set this.
        self.client_cache: Any = None
        self.produced_files: list[Path] = []
        self._init_tools(function_map)
        self._code_executor: CodeExecutor | None = None
        self._code_executor_source: object = None  # the executor choice it was built from
        self._reply_func_list: list[ReplyFuncEntry] = []
        # Entries each kind of chat runs (sync chat, async chat), rebuilt after any change.
        self._reply_plans: tuple[list[ReplyFuncEntry], list[ReplyFuncEntry]] | None = None
        # The entries whose triggers match each (kind of chat, sender class), when every
        # trigger depends on the class alone; emptied with the plans.
        self._routes: dict[tuple[bool, type], tuple[list[ReplyFuncEntry], bool]] = {}
        self.hook_lists: dict[str, list[Callable[..., Any]]] = {m: [] for m in HOOKABLE_METHODS}
        self._register_default_replies()

    # ----------------------------------------------------------------- setup
    def _init_llm(self, llm_config: dict[str, Any] | Literal[False] | None) -> None:
        if llm_config is None:
            llm_config = self.DEFAULT_CONFIG
        parsed = parse_llm_config(llm_config)  # checked once; the wrapper takes it as is
        self.llm_config: dict[str, Any] | Literal[False] = False if parsed is None else parsed.view
        self.client: OpenAIWrapper | None = None
        if parsed is not None and parsed.entries:
            from convogen.llm.wrapper import OpenAIWrapper  # only agents with a model load it

            self.client = OpenAIWrapper.from_llm_config(parsed)

    def _register_default_replies(self) -> None:
        # As in AutoGen 0.2: each classic reply method and its async twin, in 0.2's order.
        for func, is_async_twin in DEFAULT_REPLIES:
            self.register_reply(_ANY_SENDER, func, ignore_async_in_sync_chat=is_async_twin)

    # ------------------------------------------------------------ properties
    @property
    def name(self) -> str:
        return self._name

    @property
    def description(self) -> str:
        return self._description

    @description.setter
    def description(self, value: str) -> None:
        self._description = value

    @property
    def system_message(self) -> str:
        return _as_text(self._oai_system_message[0]["content"])

    @property
    def oai_system_messages(self) -> list[Message]:
        """The system messages that start every model request (a copy)."""
        return list(self._oai_system_message)

    def update_system_message(self, system_message: str | list[dict[str, Any]]) -> None:
        """Replace the system message used for LLM replies."""
        self._oai_system_message[0]["content"] = options.check_system_message(system_message)

    @property
    def io(self) -> IOStream:
        """Where this agent asks for human input and prints the conversation."""
        return self._io or get_default_io()

    @property
    def code_execution_config(self) -> dict[str, Any] | Literal[False]:
        return self._code_execution_config

    @property
    def code_executor(self) -> CodeExecutor | None:
        """The code executor, built on first use from the settings; None when execution is off."""
        settings = options.code_execution_settings(self._code_execution_config)
        if settings is None:
            return None
        if self._code_executor is None or self._code_executor_source != settings.executor:
            self._code_executor = settings.executor.create()
            self._code_executor_source = settings.executor
        return self._code_executor

    @property
    def default_auto_reply(self) -> str | dict[str, Any]:
        return self._default_auto_reply

    @property
    def chat_messages(self) -> dict[ConversableAgent, list[Message]]:
        """The conversation with each peer, as the model sees it."""
        return self._oai_messages

    def is_termination_msg(self, message: Message) -> bool:
        return self._is_termination_msg(message)

    def max_consecutive_auto_reply(self, sender: ConversableAgent | None = None) -> int:
        if sender is None:
            return self._max_consecutive_auto_reply
        return self._max_consecutive_auto_reply_dict.get(sender, self._max_consecutive_auto_reply)

    def update_max_consecutive_auto_reply(
        self, value: int, sender: ConversableAgent | None = None
    ) -> None:
        value = options.check_max_consecutive_auto_reply(value)
        if sender is None:
            self._max_consecutive_auto_reply = value
            self._max_consecutive_auto_reply_dict.clear()
        else:
            self._max_consecutive_auto_reply_dict[sender] = value

    def last_message(self, agent: ConversableAgent | None = None) -> Message | None:
        """The last message exchanged with ``agent`` (or in the only conversation)."""
        if agent is None:
            if not self._oai_messages:
                return None
            if len(self._oai_messages) > 1:
                raise ChatError(
                    f"{self.name} has {len(self._oai_messages)} conversations; name the agent"
                )
            history = next(iter(self._oai_messages.values()))
            return history[-1] if history else None
        if agent not in self._oai_messages:
            raise KeyError(f"{self.name} has no conversation with {agent.name}")  # as in 0.2
        peer_history = self._oai_messages[agent]
        return peer_history[-1] if peer_history else None

    def chat_messages_for_summary(self, agent: ConversableAgent) -> list[Message]:
        return self._oai_messages[agent]

    # ------------------------------------------------------- reply pipeline
    def register_reply(
        self,
        trigger: Trigger,
        reply_func: ReplyFunc,
        position: int = 0,
        config: Any = None,
        reset_config: Callable[[Any], None] | None = None,
        *,
        ignore_async_in_sync_chat: bool = False,
        remove_other_reply_funcs: bool = False,
    ) -> None:
        """Add a reply function tried for messages from senders matching ``trigger``.

        ``reply_func(recipient, messages, sender, config)`` returns a typed step (``Replied``,
        ``Stopped``, ``PASS`` from ``convogen.agents.reply_types``) or 0.2's ``(final, reply)``
        tuple; sync or async. Lower positions are tried first; 0 (the default) puts it before
        all others. With ``ignore_async_in_sync_chat`` an async ``reply_func`` is skipped in
        chats started by a synchronous method (as in 0.2).
        """
        check_trigger(trigger)
        if not callable(reply_func):
            raise ConfigError("reply_func", reply_func, "must be callable")
        if remove_other_reply_funcs:
            self._reply_func_list.clear()
        entry = ReplyFuncEntry(
            trigger=trigger,
            func=reply_func,
            config=config,
            init_config=config,
            reset_config=reset_config,
            ignore_async_in_sync_chat=ignore_async_in_sync_chat,
        )
        _set_func(entry, reply_func)
        self._reply_func_list.insert(position, entry)
        self._mark_shadowed()

    def replace_reply_func(self, old_reply_func: ReplyFunc, new_reply_func: ReplyFunc) -> None:
        """Put ``new_reply_func`` wherever ``old_reply_func`` is registered."""
        for entry in self._reply_func_list:
            if entry.func == old_reply_func:
                _set_func(entry, new_reply_func)
        self._mark_shadowed()

    def _mark_shadowed(self) -> None:
        registered = {entry.func for entry in self._reply_func_list}
        for entry in self._reply_func_list:
            entry.shadowed = ASYNC_TWINS.get(entry.func) in registered
        self._reply_plans = None
        self._routes = {}

    def _reply_plan(self, sync_chat: bool) -> list[ReplyFuncEntry]:
        """The entries a sync (or async) chat tries, in order."""
        if self._reply_plans is None:
            entries = self._reply_func_list
            in_sync = [e for e in entries if not (e.ignore_async_in_sync_chat and e.is_async)]
            in_async = [e for e in entries if not e.shadowed]
            self._reply_plans = (in_sync, in_async)
        return self._reply_plans[0] if sync_chat else self._reply_plans[1]

    def _route(self, sync_chat: bool, sender: Any) -> tuple[list[ReplyFuncEntry], bool]:
        """The entries to try for ``sender``, and whether their triggers are already matched."""
        key = (sync_chat, type(sender))
        route = self._routes.get(key)
        if route is None:
            plan = self._reply_plan(sync_chat)
            matched = class_route(plan, sender)
            route = (plan, False) if matched is None else (matched, True)
            self._routes[key] = route
        return route

    @property
    def reply_functions(self) -> list[ReplyFunc]:
        """The reply functions in the order they are tried."""
        return [entry.func for entry in self._reply_func_list]

    async def a_generate_reply(
        self,
        messages: list[Message] | None = None,
        sender: ConversableAgent | None = None,
        exclude: Any = (),
        **kwargs: Any,
    ) -> Reply:
        """Reply to ``messages`` (default: the conversation with ``sender``); None ends it.

        ``kwargs`` are accepted for AutoGen 0.2 compatibility and ignored (with a warning).
        """
        _warn_ignored(kwargs, "a_generate_reply")
        return (await self.a_generate_reply_outcome(messages, sender, exclude)).reply

    def generate_reply(
        self,
        messages: list[Message] | None = None,
        sender: ConversableAgent | None = None,
        exclude: Any = (),
        **kwargs: Any,
    ) -> Reply:
        """Synchronous twin of ``a_generate_reply``; ``kwargs`` are ignored (with a warning)."""
        _warn_ignored(kwargs, "generate_reply")
        return run_sync_chat(self.a_generate_reply(messages, sender, exclude))

    async def a_generate_reply_outcome(
        self,
        messages: list[Message] | None = None,
        sender: ConversableAgent | None = None,
        exclude: Any = (),
    ) -> ReplyOutcome:
        """Run the reply pipeline: the first reply function that answers or stops decides."""
        if messages is None:
            if sender is None:
                raise MessagesOrSenderRequiredError()
            messages = self._oai_messages[sender]
        for hook in self.hook_lists["update_agent_state"]:
            hook(self, messages)
        messages = self.process_all_messages_before_reply(messages)
        messages = self.process_last_received_message(messages)
        entries, matched = self._route(in_sync_chat(), sender)
        for entry in entries:
            if entry.func in exclude or not (matched or matches(entry.trigger, sender)):
                continue
            result: Any = entry.call(self, messages, sender, entry.config)  # type: ignore[misc]
            if result is PASS:
                continue
            # A coroutine (every built-in reply) is recognised by its type, the cheap test.
            if type(result) is CoroutineType or (
                type(result) is not tuple and inspect.isawaitable(result)
            ):
                result = await result
            step = as_step(result, entry.func)
            if isinstance(step, Replied):
                return ReplyOutcome(step.reply)
            if not isinstance(step, Pass):
                stop = StopInfo(step.reason, step.agent or self.name, step.detail)
                return ReplyOutcome(None, stop)
        return ReplyOutcome(self._default_auto_reply)

    # ------------------------------------------------------- send / receive
    async def a_send(
        self,
        message: str | dict[str, Any] | Message,
        recipient: ConversableAgent | Agent,
        request_reply: bool | None = None,
        silent: bool = False,
    ) -> None:
        """Send ``message``; the recipient replies if ``request_reply`` (or its setting) says so."""
        await self.a_send_and_converse(message, recipient, request_reply, silent)

    def send(
        self,
        message: str | dict[str, Any] | Message,
        recipient: ConversableAgent | Agent,
        request_reply: bool | None = None,
        silent: bool = False,
    ) -> None:
        """Synchronous twin of ``a_send``."""
        run_sync_chat(self.a_send(message, recipient, request_reply, silent))

    async def a_receive(
        self,
        message: str | dict[str, Any] | Message,
        sender: ConversableAgent | Agent,
        request_reply: bool | None = None,
        silent: bool = False,
    ) -> None:
        """Take ``message`` into the conversation with ``sender`` and reply when asked."""
        self.deliver(message, sender, silent)
        if request_reply is False or (request_reply is None and not self.reply_at_receive[sender]):
            return
        if not isinstance(sender, ConversableAgent):
            # A classic ``Agent`` peer: reply once through its own ``receive``.
            outcome = await self.a_generate_reply_outcome(sender=sender)  # type: ignore[arg-type]
            if outcome.reply is not None:
                await self.a_send(outcome.reply, sender, silent=silent)
            return
        await a_converse(self, sender, max_turns=None, silent=silent)

    def receive(
        self,
        message: str | dict[str, Any] | Message,
        sender: ConversableAgent | Agent,
        request_reply: bool | None = None,
        silent: bool = False,
    ) -> None:
        """Synchronous twin of ``a_receive``."""
        run_sync_chat(self.a_receive(message, sender, request_reply, silent))

    async def a_send_and_converse(
        self,
        message: str | dict[str, Any] | Message,
        recipient: ConversableAgent | Agent,
        request_reply: bool | None = None,
        silent: bool = False,
        max_turns: int | None = None,
    ) -> StopInfo | None:
        """Send, then let the two agents reply in turn until one stops (or ``max_turns``)."""
        if not isinstance(recipient, ConversableAgent):
            # A classic ``Agent`` that only implements ``receive``: hand the message over.
            await self._a_send_to_plain_agent(message, recipient, request_reply, silent)
            return None
        self.post(message, recipient, silent)
        if request_reply is False or (
            request_reply is None and not recipient.reply_at_receive[self]
        ):
            return None
        return await a_converse(recipient, self, max_turns=max_turns, silent=silent)

    async def _a_send_to_plain_agent(
        self,
        message: str | dict[str, Any] | Message,
        recipient: Any,
        request_reply: Any,
        silent: bool,
    ) -> None:
        for hook in self.hook_lists["process_message_before_send"]:
            message = hook(sender=self, message=message, recipient=recipient, silent=silent)
        own_copy = stored_copy(message, role="assistant", name=self.name)
        self._oai_messages[recipient].append(own_copy)
        # The protocol's own ``a_receive`` is an empty stub: an agent that only implements
        # ``receive`` is reached through it, in async chats too.
        if in_sync_chat() or type(recipient).a_receive is Agent.a_receive:
            recipient.receive(message, self, request_reply, silent)
        else:
            await recipient.a_receive(message, self, request_reply, silent)

    def post(
        self,
        message: str | dict[str, Any] | Message,
        recipient: ConversableAgent,
        silent: bool = False,
    ) -> None:
        """Record ``message`` as sent to ``recipient`` and deliver it, asking for no reply."""
        for hook in self.hook_lists["process_message_before_send"]:
            message = hook(sender=self, message=message, recipient=recipient, silent=silent)
        own_copy = stored_copy(message, role="assistant", name=self.name)
        self._oai_messages[recipient].append(own_copy)
        recipient.deliver(message, self, silent)
        if has_sinks():
            emit(MessageSent(self, recipient, own_copy))

    def broadcast(
        self,
        message: str | dict[str, Any] | Message,
        recipients: list[ConversableAgent],
        silent: bool = False,
    ) -> None:
        """``post`` one message to many recipients, validating it once (group-chat relay)."""
        if self.hook_lists["process_message_before_send"]:
            for recipient in recipients:
                self.post(message, recipient, silent)
            return
        their_copy = stored_copy(message, role="user", name=self.name)
        # The two sides' copies differ only where the default role was used (see stored_copy).
        own_copy = their_copy
        if their_copy["role"] == "user":
            own_copy = their_copy.copy()
            own_copy["role"] = "assistant"
        outbox = self._oai_messages
        plain_deliver = ConversableAgent.deliver
        sinks = has_sinks()
        # Stored messages are never changed in place, so every history can hold the same dict.
        for recipient in recipients:
            outbox[recipient].append(own_copy)
            if (silent or recipient.silent) and type(recipient).deliver is plain_deliver:
                recipient._oai_messages[self].append(their_copy)
            else:
                recipient.deliver(message, self, silent)
            if sinks:
                emit(MessageSent(self, recipient, own_copy))

    def deliver(
        self,
        message: str | dict[str, Any] | Message,
        sender: ConversableAgent | Agent,
        silent: bool = False,
    ) -> None:
        """Store a message from ``sender`` in this agent's history and show it."""
        stored = stored_copy(message, role="user", name=sender.name)
        self._oai_messages[sender].append(stored)
        if not (silent or self.silent):
            render_message(self.io, sender.name, self.name, stored)

    # ------------------------------------------------------------- reset
    def reset_consecutive_auto_reply_counter(self, sender: ConversableAgent | None = None) -> None:
        if sender is None:
            self._consecutive_auto_reply_counter.clear()
        else:
            self._consecutive_auto_reply_counter[sender] = 0

    def stop_reply_at_receive(self, sender: ConversableAgent | None = None) -> None:
        if sender is None:
            self.reply_at_receive.clear()
        else:
            self.reply_at_receive[sender] = False

    def clear_history(
        self, recipient: ConversableAgent | None = None, nr_messages_to_preserve: int | None = None
    ) -> None:
        """Forget the conversation with ``recipient`` (or all), optionally keeping the last N."""
        targets = list(self._oai_messages) if recipient is None else [recipient]
        for peer in targets:
            history = self._oai_messages[peer]
            keep = history[-nr_messages_to_preserve:] if nr_messages_to_preserve else []
            self._oai_messages[peer] = list(keep)

    def reset(self) -> None:
        """Clear all history and counters, and restore reply functions' initial configs."""
        self.clear_history()
        self.reset_consecutive_auto_reply_counter()
        self.stop_reply_at_receive()
        if self.client is not None:
            self.client.clear_usage_summary()
        for entry in self._reply_func_list:
            if entry.reset_config is not None:
                entry.reset_config(entry.config)
            else:
                entry.config = entry.init_config

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


def _as_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    from convogen.messages import content_str

    return content_str(content)


def _set_func(entry: ReplyFuncEntry, func: ReplyFunc) -> None:
    """Point ``entry`` at ``func``; a built-in classic reply runs its async implementation."""
    entry.func = func
    entry.call = BUILTIN_IMPLS.get(func, func)
    entry.is_async = inspect.iscoroutinefunction(func)


def _warn_ignored(kwargs: dict[str, Any], method: str) -> None:
    if kwargs:
        warnings.warn(
            f"{method} ignores {sorted(kwargs)}: extra arguments are accepted only for "
            "AutoGen 0.2 compatibility",
            UserWarning,
            stacklevel=3,
        )
