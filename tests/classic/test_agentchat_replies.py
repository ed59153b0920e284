"""Classic reply methods are the real pipeline: register, replace, call them as 0.2 does."""

from __future__ import annotations

from typing import Any

import pytest

from convogen.agentchat import Agent, AssistantAgent, ConversableAgent, UserProxyAgent
from convogen.llm.scripted import scripted_llm_config


def bot(replies: Any, **kwargs: Any) -> ConversableAgent:
    return ConversableAgent(
        "bot",
        llm_config=scripted_llm_config(replies),
        human_input_mode="NEVER",
        silent=True,
        **kwargs,
    )


def person() -> UserProxyAgent:
    return UserProxyAgent(
        "user", human_input_mode="NEVER", code_execution_config=False, silent=True
    )


def test_replacing_generate_oai_reply_changes_a_sync_chat() -> None:
    agent = bot(["from the model"])

    def canned(recipient: Any, messages: Any, sender: Any, config: Any) -> tuple[bool, str]:
        return True, "TERMINATE"

    agent.replace_reply_func(ConversableAgent.generate_oai_reply, canned)
    result = person().initiate_chat(agent, message="hi", max_turns=1)
    assert result.chat_history[-1]["content"] == "TERMINATE"


async def test_replacing_a_generate_oai_reply_changes_an_async_chat() -> None:
    agent = bot(["from the model"])

    async def canned(recipient: Any, messages: Any, sender: Any, config: Any) -> tuple[bool, str]:
        return True, "async canned"

    agent.replace_reply_func(ConversableAgent.a_generate_oai_reply, canned)
    result = await person().a_initiate_chat(agent, message="hi", max_turns=1)
    assert result.chat_history[-1]["content"] == "async canned"


def test_registering_generate_oai_reply_again_runs_the_model() -> None:
    agent = ConversableAgent(
        "bot", llm_config=scripted_llm_config(["model says hi"]), human_input_mode="NEVER"
    )
    agent.silent = True
    agent.register_reply(
        [Agent, None], reply_func=ConversableAgent.generate_oai_reply, remove_other_reply_funcs=True
    )
    reply = agent.generate_reply([{"role": "user", "content": "hello"}])
    assert reply == "model says hi"


def test_generate_oai_reply_called_directly_returns_final_and_reply() -> None:
    agent = bot(["direct"])
    assert agent.generate_oai_reply([{"role": "user", "content": "q"}]) == (True, "direct")


def test_a_custom_reply_function_registered_at_position_zero_runs_first() -> None:
    agent = bot(["never used"])
    seen: list[Any] = []

    def custom(recipient: Any, messages: Any, sender: Any, config: Any) -> tuple[bool, str]:
        seen.append((recipient.name, sender.name, config))
        return True, "custom answer"

    agent.register_reply([Agent, None], custom, position=0, config={"k": 1})
    result = person().initiate_chat(agent, message="hi", max_turns=1)
    assert result.chat_history[-1]["content"] == "custom answer"
    assert seen == [("bot", "user", {"k": 1})]


def test_excluding_check_termination_skips_it() -> None:
    agent = bot(["answer"], max_consecutive_auto_reply=0)
    messages = [{"role": "user", "content": "q"}]
    assert agent.generate_reply(messages, sender=person()) is None
    reply = agent.generate_reply(
        messages, sender=person(), exclude=[ConversableAgent.check_termination_and_human_reply]
    )
    assert reply == "answer"


def test_execute_function_returns_success_and_a_function_message() -> None:
    agent = ConversableAgent("runner", llm_config=False, function_map={"add": lambda a, b: a + b})
    ok, message = agent.execute_function({"name": "add", "arguments": '{"a": 2, "b": 3}'})
    assert ok is True
    assert message == {"name": "add", "role": "function", "content": "5"}


def test_execute_function_reports_unknown_functions_and_bad_json() -> None:
    agent = ConversableAgent("runner", llm_config=False, function_map={"add": lambda a, b: a + b})
    assert agent.execute_function({"name": "nope", "arguments": "{}"}) == (
        False,
        {"name": "nope", "role": "function", "content": "Error: Function nope not found."},
    )
    ok, message = agent.execute_function({"name": "add", "arguments": "{oops"})
    assert ok is False and "Error" in message["content"]


async def test_a_execute_function_awaits_async_functions() -> None:
    async def double(x: int) -> int:
        return 2 * x

    agent = ConversableAgent("runner", llm_config=False, function_map={"double": double})
    ok, message = await agent.a_execute_function({"name": "double", "arguments": '{"x": 4}'})
    assert (ok, message["content"]) == (True, "8")


def test_tools_via_register_function_and_decorators() -> None:
    call = {
        "content": None,
        "tool_calls": [
            {
                "id": "c1",
                "type": "function",
                "function": {"name": "mul", "arguments": '{"a": 6, "b": 7}'},
            }
        ],
    }
    assistant = AssistantAgent("assistant", llm_config=scripted_llm_config([call, "TERMINATE"]))
    user = person()

    @user.register_for_execution()
    @assistant.register_for_llm(description="Multiply two integers.")
    def mul(a: int, b: int) -> int:
        return a * b

    assistant.silent = True
    result = user.initiate_chat(assistant, message="6*7?")
    assert assistant.llm_config["tools"][0]["function"]["name"] == "mul"  # type: ignore[index]
    assert result.chat_history[2]["tool_responses"][0]["content"] == "42"
    assert user.can_execute_function("mul")


def test_legacy_function_call_reply() -> None:
    agent = ConversableAgent("runner", llm_config=False, function_map={"echo": lambda text: text})
    messages = [
        {
            "role": "assistant",
            "content": None,
            "function_call": {"name": "echo", "arguments": '{"text": "hi"}'},
        }
    ]
    assert agent.generate_function_call_reply(messages) == (
        True,
        {"name": "echo", "role": "function", "content": "hi"},
    )


def test_process_hooks_are_public_methods() -> None:
    agent = bot(["x"])
    agent.register_hook("process_last_received_message", lambda content: content + "!")
    messages = [{"role": "user", "content": "hi"}]
    assert agent.process_last_received_message(messages)[-1]["content"] == "hi!"
    assert messages[-1]["content"] == "hi"
    assert agent.process_all_messages_before_reply(messages) == messages


def test_class_constants_match_0_2() -> None:
    assert ConversableAgent.MAX_CONSECUTIVE_AUTO_REPLY == 100
    assert ConversableAgent.DEFAULT_CONFIG is False
    assert ConversableAgent.DEFAULT_SUMMARY_METHOD == "last_msg"
    assert ConversableAgent.DEFAULT_SUMMARY_PROMPT.startswith("Summarize the takeaway")


def test_class_max_consecutive_auto_reply_is_the_default_limit() -> None:
    class Patient(ConversableAgent):
        MAX_CONSECUTIVE_AUTO_REPLY = 3

    assert Patient("p", llm_config=False).max_consecutive_auto_reply() == 3


def test_use_docker_and_code_executor_follow_code_execution_config() -> None:
    plain = ConversableAgent("plain", llm_config=False)
    assert plain.code_executor is None and plain.use_docker is None
    docker = ConversableAgent("d", llm_config=False, code_execution_config={"use_docker": False})
    assert docker.use_docker is False


def test_invalid_trigger_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="trigger"):
        bot(["x"]).register_reply(42, lambda *a: (True, "x"))
