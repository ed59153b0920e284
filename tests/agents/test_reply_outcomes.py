"""Typed reply steps (Replied, Stopped, PASS), classic tuples, and the narrow agent view."""

import ast
import warnings
from pathlib import Path
from typing import Any

import pytest

from convogen import ConversableAgent, StopReason
from convogen.agents.io import ScriptedIO
from convogen.agents.replies.termination import check_termination_and_human_reply
from convogen.agents.reply_types import PASS, Replied, Stopped, as_pair, as_step
from convogen.agents.view import ReplyAgent


def agent(name: str = "bot", **kwargs: Any) -> ConversableAgent:
    kwargs.setdefault("human_input_mode", "NEVER")
    return ConversableAgent(name, llm_config=False, silent=True, **kwargs)


def test_classic_tuples_read_as_typed_steps() -> None:
    assert as_step((False, None), "f") is PASS
    assert as_step((False, "ignored"), "f") is PASS
    assert as_step((True, "hi"), "f") == Replied("hi")
    assert as_step([True, {"content": "x"}], "f") == Replied({"content": "x"})
    assert as_step((True, None), "f") == Stopped(StopReason.NO_REPLY, "f gave no reply")


def test_steps_read_back_as_classic_tuples() -> None:
    assert as_pair(Replied("hi")) == (True, "hi")
    assert as_pair(Stopped(StopReason.HUMAN_EXIT)) == (True, None)
    assert as_pair(PASS) == (False, None)


def test_a_reply_function_returning_something_else_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="reply function my_reply returned 'oops'"):
        as_step("oops", "my_reply")


def test_a_stopped_step_carries_its_reason_into_the_chat_result() -> None:
    bot = agent("bot")
    bot.register_reply(
        [ConversableAgent, None],
        lambda recipient, messages, sender, config: Stopped(StopReason.ERROR, "broken tool"),
    )
    result = agent("user").initiate_chat(bot, message="q")
    assert result.stop_reason is StopReason.ERROR
    assert result.stopped_by == "bot"
    assert result.stop_detail == "broken tool"


def test_a_stopped_step_may_name_who_stopped() -> None:
    bot = agent("bot")
    bot.register_reply(
        [ConversableAgent, None],
        lambda recipient, messages, sender, config: Stopped(StopReason.MAX_ROUND, "", "judge"),
    )
    assert agent("user").initiate_chat(bot, message="q").stopped_by == "judge"


@pytest.mark.parametrize(
    ("returned", "expected"),
    [(Replied("typed"), "typed"), ((True, "tuple"), "tuple"), (PASS, "default")],
)
def test_the_pipeline_accepts_steps_and_classic_tuples(returned: Any, expected: str) -> None:
    bot = agent("bot", default_auto_reply="default")

    async def reply(recipient: Any, messages: Any, sender: Any, config: Any) -> Any:
        return returned

    bot.register_reply([ConversableAgent, None], reply)
    assert bot.generate_reply([{"role": "user", "content": "q"}], agent("peer")) == expected


def test_classic_reply_methods_still_return_tuples() -> None:
    io = ScriptedIO(["exit"])
    bot = agent("bot", human_input_mode="ALWAYS", io_stream=io)
    peer = agent("peer")
    messages = [{"role": "user", "content": "hello"}]
    assert bot.check_termination_and_human_reply(messages, peer) == (True, None)
    assert bot.generate_oai_reply(messages, peer) == (False, None)
    assert bot.generate_code_execution_reply(messages, peer) == (False, None)
    assert bot.generate_tool_calls_reply(messages, peer) == (False, None)
    assert bot.generate_function_call_reply(messages, peer) == (False, None)


def test_typing_exit_stops_with_human_exit() -> None:
    bot = agent("bot", human_input_mode="ALWAYS", io_stream=ScriptedIO(["exit"]))
    result = agent("user").initiate_chat(bot, message="q")
    assert result.stop_reason is StopReason.HUMAN_EXIT
    assert result.stopped_by == "bot"
    assert result.human_input == ["exit"]


class FakeView:
    """Any object with the ``ReplyAgent`` shape can be handed to a built-in reply."""

    name = "fake"
    oai_system_messages: list[Any] = []
    human_input_mode = "NEVER"
    silent = True
    io = ScriptedIO()
    llm_config = False
    client_cache = None

    def __init__(self) -> None:
        self.counts: dict[Any, int] = {}

    def max_consecutive_auto_reply(self, sender: Any = None) -> int:
        return 2

    def auto_reply_count(self, sender: Any) -> int:
        return self.counts.get(sender, 0)

    def count_auto_reply(self, sender: Any) -> None:
        self.counts[sender] = self.auto_reply_count(sender) + 1

    def reset_consecutive_auto_reply_counter(self, sender: Any = None) -> None:
        self.counts.pop(sender, None)

    def is_termination_msg(self, message: Any) -> bool:
        return False

    async def a_get_human_input(self, prompt: str) -> str:
        raise AssertionError("NEVER mode asks no one")

    def get_llm_client(self) -> Any:
        return None


async def test_the_termination_reply_works_through_the_view_only() -> None:
    view: ReplyAgent = FakeView()
    peer = agent("peer")
    messages: list[Any] = [{"role": "user", "content": "hi"}]
    first = await check_termination_and_human_reply(view, messages, peer, None)
    second = await check_termination_and_human_reply(view, messages, peer, None)
    third = await check_termination_and_human_reply(view, messages, peer, None)
    assert (first, second) == (PASS, PASS)
    assert third == Stopped(StopReason.MAX_CONSECUTIVE_AUTO_REPLY, "2 consecutive auto replies")
    assert view.auto_reply_count(peer) == 0


def test_the_auto_reply_counter_is_public() -> None:
    bot, peer = agent("bot"), agent("peer")
    assert bot.auto_reply_count(peer) == 0
    bot.count_auto_reply(peer)
    bot.count_auto_reply(peer)
    assert bot.auto_reply_count(peer) == 2
    bot.reset_consecutive_auto_reply_counter(peer)
    assert bot.auto_reply_count(peer) == 0


def test_system_messages_are_readable_but_not_writable_through_the_view() -> None:
    bot = ConversableAgent("bot", system_message="be brief", llm_config=False)
    bot.oai_system_messages.append({"role": "system", "content": "sneaky"})
    assert bot.oai_system_messages == [{"role": "system", "content": "be brief"}]


def test_generate_reply_warns_about_ignored_keyword_arguments() -> None:
    bot = agent("bot", default_auto_reply="ok")
    messages = [{"role": "user", "content": "q"}]
    with pytest.warns(UserWarning, match=r"generate_reply ignores \['temperature'\]"):
        assert bot.generate_reply(messages, agent("peer"), temperature=0) == "ok"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert bot.generate_reply(messages, agent("peer")) == "ok"


async def test_a_generate_reply_warns_about_ignored_keyword_arguments() -> None:
    bot = agent("bot", default_auto_reply="ok")
    with pytest.warns(UserWarning, match="a_generate_reply ignores"):
        await bot.a_generate_reply([{"role": "user", "content": "q"}], agent("peer"), x=1)


SRC = Path(__file__).resolve().parents[2] / "src" / "convogen"


def _module_imports(path: Path) -> set[str]:
    """Modules imported at module level (``TYPE_CHECKING`` blocks left out)."""
    found: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_agents_do_not_import_the_chat_layer_at_module_level() -> None:
    for path in (SRC / "agents").rglob("*.py"):
        modules = _module_imports(path)
        upward = sorted(
            m for m in modules if m == "convogen.chat" or m.startswith("convogen.chat.")
        )
        assert not upward, f"{path.relative_to(SRC)} imports {upward}"


def test_built_in_replies_read_no_private_agent_attributes() -> None:
    for name in ("llm.py", "termination.py"):
        tree = ast.parse((SRC / "agents" / "replies" / name).read_text())
        private = [
            node.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ]
        assert private == [], f"{name} reads {private}"


def test_ignore_async_in_sync_chat_skips_an_async_reply_only_in_sync_chats() -> None:
    async def async_reply(recipient: Any, messages: Any, sender: Any, config: Any) -> Any:
        return Replied("async reply")

    def build() -> ConversableAgent:
        bot = agent("bot", default_auto_reply="default")
        bot.register_reply([ConversableAgent, None], async_reply, ignore_async_in_sync_chat=True)
        return bot

    sync_result = agent("user").initiate_chat(build(), message="q", max_turns=1)
    assert sync_result.chat_history[-1]["content"] == "default"


async def test_ignore_async_in_sync_chat_still_runs_the_reply_in_async_chats() -> None:
    async def async_reply(recipient: Any, messages: Any, sender: Any, config: Any) -> Any:
        return Replied("async reply")

    bot = agent("bot", default_auto_reply="default")
    bot.register_reply([ConversableAgent, None], async_reply, ignore_async_in_sync_chat=True)
    result = await agent("user").a_initiate_chat(bot, message="q", max_turns=1)
    assert result.chat_history[-1]["content"] == "async reply"
