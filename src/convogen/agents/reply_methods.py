"""The classic reply methods of ``ConversableAgent`` (AutoGen 0.2 names), over the replies room.

Each built-in reply is registered as the classic method itself (``ConversableAgent.
generate_oai_reply`` and its ``a_`` twin), so ``register_reply``, ``replace_reply_func`` and
``exclude`` written for 0.2 address the function that really runs. ``BUILTIN_IMPLS`` maps each
of these methods to the async implementation the pipeline awaits, so a sync twin never blocks
the event loop. The implementations return typed steps (``Replied``, ``Stopped``, ``PASS``);
the classic methods, which users also call directly, return 0.2's ``(final, reply)`` tuples.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from convogen._sync import run_sync
from convogen.agents.replies import llm, termination, tool_calls
from convogen.agents.reply_types import (
    PASS,
    Reply,
    ReplyFunc,
    ReplyStep,
    as_pair,
    as_step,
)
from convogen.messages import Message

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent

ReplyPair = tuple[bool, Reply]


class ClassicReplyMethods:
    """The 0.2 reply methods; ``self`` is always a ``ConversableAgent``."""

    def _history(self, messages: list[Message] | None, sender: Any) -> list[Message]:
        if messages is not None:
            return messages
        agent: ConversableAgent = self  # type: ignore[assignment]
        return agent.chat_messages[sender]

    async def a_generate_oai_reply(
        self, messages: list[Message] | None = None, sender: Any = None, config: Any = None
    ) -> ReplyPair:
        """Reply with the model's completion of the system message and the conversation."""
        step = await llm.generate_oai_reply(self, self._history(messages, sender), sender, config)  # type: ignore[arg-type]
        return as_pair(step)

    def generate_oai_reply(
        self, messages: list[Message] | None = None, sender: Any = None, config: Any = None
    ) -> ReplyPair:
        """Synchronous twin of ``a_generate_oai_reply``."""
        return run_sync(self.a_generate_oai_reply(messages, sender, config))

    async def a_check_termination_and_human_reply(
        self, messages: list[Message] | None = None, sender: Any = None, config: Any = None
    ) -> ReplyPair:
        """Ask a person when the human input mode says so; end the chat when a rule says so."""
        history = self._history(messages, sender)
        step = await termination.check_termination_and_human_reply(self, history, sender, config)  # type: ignore[arg-type]
        return as_pair(step)

    def check_termination_and_human_reply(
        self, messages: list[Message] | None = None, sender: Any = None, config: Any = None
    ) -> ReplyPair:
        """Synchronous twin of ``a_check_termination_and_human_reply``."""
        return run_sync(self.a_check_termination_and_human_reply(messages, sender, config))

    async def a_generate_tool_calls_reply(
        self, messages: list[Message] | None = None, sender: Any = None, config: Any = None
    ) -> ReplyPair:
        """Execute the tool calls of the last message that this agent can execute."""
        history = self._history(messages, sender)
        result = await tool_calls.generate_tool_calls_reply(self, history, sender, config)  # type: ignore[arg-type]
        return _pair(result, "generate_tool_calls_reply")

    def generate_tool_calls_reply(
        self, messages: list[Message] | None = None, sender: Any = None, config: Any = None
    ) -> ReplyPair:
        """Synchronous twin of ``a_generate_tool_calls_reply``."""
        return run_sync(self.a_generate_tool_calls_reply(messages, sender, config))

    async def a_generate_function_call_reply(
        self, messages: list[Message] | None = None, sender: Any = None, config: Any = None
    ) -> ReplyPair:
        """Execute the legacy function call of the last message, if this agent can."""
        history = self._history(messages, sender)
        result = await tool_calls.generate_function_call_reply(self, history, sender, config)  # type: ignore[arg-type]
        return _pair(result, "generate_function_call_reply")

    def generate_function_call_reply(
        self, messages: list[Message] | None = None, sender: Any = None, config: Any = None
    ) -> ReplyPair:
        """Synchronous twin of ``a_generate_function_call_reply``."""
        return run_sync(self.a_generate_function_call_reply(messages, sender, config))

    def generate_code_execution_reply(
        self, messages: list[Message] | None = None, sender: Any = None, config: Any = None
    ) -> ReplyPair:
        """Execute the code blocks of recent messages and reply with exit code and output."""
        history = self._history(messages, sender)
        result = _code_execution_step(self, history, sender, config)  # type: ignore[arg-type]
        if isinstance(result, Coroutine):
            result = run_sync(result)
        return _pair(result, "generate_code_execution_reply")

    # -------------------------------------------------------- execution
    async def a_execute_function(self, func_call: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
        """Run a ``{"name", "arguments"}`` call: (succeeded, a 'function' role message)."""
        return await tool_calls.execute_function(self, func_call)  # type: ignore[arg-type]

    def execute_function(
        self, func_call: dict[str, Any], verbose: bool = False
    ) -> tuple[bool, dict[str, Any]]:
        """Synchronous twin of ``a_execute_function``; ``verbose`` adds the arguments."""
        ok, message = run_sync(self.a_execute_function(func_call))
        if verbose:
            arguments = func_call.get("arguments")
            message["content"] = f"Input arguments: {arguments}\nOutput:\n{message['content']}"
        return ok, message

    def execute_code_blocks(self, code_blocks: list[tuple[str, str]]) -> tuple[int, str]:
        """Run ``[(language, code), ...]`` with this agent's executor: (exit code, output)."""
        from convogen.agents.replies import code_execution
        from convogen.code.protocol import CodeBlock

        blocks = [CodeBlock(code=code, language=lang or "python") for lang, code in code_blocks]
        result = run_sync(code_execution.run_code(self, blocks))  # type: ignore[arg-type]
        return result.exit_code, result.output

    def run_code(self, code: str, **kwargs: Any) -> tuple[int, str, Any]:
        """Run one piece of code (``lang=`` names its language): (exit code, output, None)."""
        exit_code, output = self.execute_code_blocks([(str(kwargs.get("lang", "python")), code)])
        return exit_code, output, None

    @property
    def use_docker(self) -> Any:
        """The ``use_docker`` setting of ``code_execution_config`` (None when execution is off)."""
        agent: ConversableAgent = self  # type: ignore[assignment]
        config = agent.code_execution_config
        return None if config is False else config.get("use_docker")


def _pair(result: object, source: str) -> ReplyPair:
    """A built-in reply's typed step as the classic ``(final, reply)`` tuple."""
    return as_pair(as_step(result, source))


# The pipeline awaits what a reply function returns only when it is awaitable. The steps
# below answer PASS directly when there is plainly nothing to do (most turns), and hand back
# the implementation's coroutine otherwise: no coroutine is made for a turn that skips them.


def _code_execution_step(
    recipient: ConversableAgent,
    messages: list[Message] | None,
    sender: ConversableAgent | None,
    config: Any,
) -> ReplyStep | Coroutine[Any, Any, ReplyStep]:
    if recipient.code_execution_config is False:
        return PASS
    # The code room loads on the first reply, not with ``import convogen``.
    from convogen.agents.replies import code_execution

    return code_execution.generate_code_execution_reply(recipient, messages, sender, config)


def _tool_calls_step(
    recipient: ConversableAgent,
    messages: list[Message] | None,
    sender: ConversableAgent | None,
    config: Any,
) -> ReplyStep | Coroutine[Any, Any, ReplyStep]:
    if not messages or not messages[-1].get("tool_calls"):
        return PASS
    return tool_calls.generate_tool_calls_reply(recipient, messages, sender, config)


def _function_call_step(
    recipient: ConversableAgent,
    messages: list[Message] | None,
    sender: ConversableAgent | None,
    config: Any,
) -> ReplyStep | Coroutine[Any, Any, ReplyStep]:
    if not messages or not messages[-1].get("function_call"):
        return PASS
    return tool_calls.generate_function_call_reply(recipient, messages, sender, config)


def _llm_step(
    recipient: ConversableAgent,
    messages: list[Message] | None,
    sender: ConversableAgent | None,
    config: Any,
) -> ReplyStep | Coroutine[Any, Any, ReplyStep]:
    if config is not None:  # a client given at registration: the full reply checks it
        return llm.generate_oai_reply(recipient, messages, sender, config)
    client = recipient.get_llm_client()
    if client is None or messages is None:
        return PASS
    return llm.complete_with(client, recipient, messages)


BUILTIN_IMPLS: dict[Any, ReplyFunc] = {
    ClassicReplyMethods.generate_oai_reply: _llm_step,
    ClassicReplyMethods.a_generate_oai_reply: _llm_step,
    ClassicReplyMethods.check_termination_and_human_reply: (
        termination.check_termination_and_human_reply
    ),
    ClassicReplyMethods.a_check_termination_and_human_reply: (
        termination.check_termination_and_human_reply
    ),
    ClassicReplyMethods.generate_tool_calls_reply: _tool_calls_step,
    ClassicReplyMethods.a_generate_tool_calls_reply: _tool_calls_step,
    ClassicReplyMethods.generate_function_call_reply: _function_call_step,
    ClassicReplyMethods.a_generate_function_call_reply: _function_call_step,
    ClassicReplyMethods.generate_code_execution_reply: _code_execution_step,
}

# sync twin -> async twin: an async chat runs the async twin only, when both are registered.
ASYNC_TWINS: dict[Any, Any] = {
    ClassicReplyMethods.generate_oai_reply: ClassicReplyMethods.a_generate_oai_reply,
    ClassicReplyMethods.check_termination_and_human_reply: (
        ClassicReplyMethods.a_check_termination_and_human_reply
    ),
    ClassicReplyMethods.generate_tool_calls_reply: ClassicReplyMethods.a_generate_tool_calls_reply,
    ClassicReplyMethods.generate_function_call_reply: (
        ClassicReplyMethods.a_generate_function_call_reply
    ),
}

# Registration order of the defaults (each goes to the front, so the last is tried first).
DEFAULT_REPLIES: tuple[tuple[Any, bool], ...] = (
    (ClassicReplyMethods.generate_oai_reply, False),
    (ClassicReplyMethods.a_generate_oai_reply, True),
    (ClassicReplyMethods.generate_code_execution_reply, False),
    (ClassicReplyMethods.generate_tool_calls_reply, False),
    (ClassicReplyMethods.a_generate_tool_calls_reply, True),
    (ClassicReplyMethods.generate_function_call_reply, False),
    (ClassicReplyMethods.a_generate_function_call_reply, True),
    (ClassicReplyMethods.check_termination_and_human_reply, False),
    (ClassicReplyMethods.a_check_termination_and_human_reply, True),
)
