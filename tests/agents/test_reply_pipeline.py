from typing import Any

import pytest

from convogen import AssistantAgent, ConfigError, ConversableAgent
from convogen.agents.replies.termination import check_termination_and_human_reply


def make(name: str, **kwargs: Any) -> ConversableAgent:
    return ConversableAgent(name, llm_config=False, human_input_mode="NEVER", silent=True, **kwargs)


def test_default_pipeline_is_the_classic_reply_methods_in_0_2_order() -> None:
    assert make("a").reply_functions == [
        ConversableAgent.a_check_termination_and_human_reply,
        ConversableAgent.check_termination_and_human_reply,
        ConversableAgent.a_generate_function_call_reply,
        ConversableAgent.generate_function_call_reply,
        ConversableAgent.a_generate_tool_calls_reply,
        ConversableAgent.generate_tool_calls_reply,
        ConversableAgent.generate_code_execution_reply,
        ConversableAgent.a_generate_oai_reply,
        ConversableAgent.generate_oai_reply,
    ]


def test_registered_reply_runs_before_the_defaults_and_gets_its_config() -> None:
    agent, peer = make("a"), make("b")
    calls: list[Any] = []

    def reply(recipient: Any, messages: Any, sender: Any, config: Any) -> tuple[bool, str]:
        calls.append((recipient, sender, config))
        return True, f"echo: {messages[-1]['content']}"

    agent.register_reply([ConversableAgent, None], reply, config="cfg")
    peer.send("ping", agent, request_reply=True)
    assert peer.last_message(agent)["content"] == "echo: ping"  # type: ignore[index]
    assert calls == [(agent, peer, "cfg")]


def test_non_final_reply_passes_on_to_the_next_function() -> None:
    agent, peer = make("a", default_auto_reply="fallback"), make("b")
    agent.register_reply(ConversableAgent, lambda *a: (False, "ignored"))
    peer.send("x", agent, request_reply=True)
    assert peer.last_message(agent)["content"] == "fallback"  # type: ignore[index]


@pytest.mark.parametrize(
    ("trigger", "expected"),
    [
        ("b", True),
        ("c", False),
        (ConversableAgent, True),
        (AssistantAgent, False),
        (lambda sender: sender.name.startswith("b"), True),
        (["zzz", "b"], True),
    ],
)
def test_triggers_select_by_sender(trigger: Any, expected: bool) -> None:
    agent, peer = make("a", default_auto_reply="default"), make("b")
    agent.register_reply(trigger, lambda *a: (True, "triggered"))
    peer.send("x", agent, request_reply=True)
    got = peer.last_message(agent)["content"]  # type: ignore[index]
    assert (got == "triggered") is expected


def test_agent_instance_trigger_and_position() -> None:
    agent, peer = make("a"), make("b")
    agent.register_reply(peer, lambda *a: (True, "first"))
    agent.register_reply(peer, lambda *a: (True, "second"), position=1)
    peer.send("x", agent, request_reply=True)
    assert peer.last_message(agent)["content"] == "first"  # type: ignore[index]


def test_bad_trigger_is_rejected() -> None:
    with pytest.raises(ConfigError, match="trigger"):
        make("a").register_reply(42, lambda *a: (True, "x"))


async def test_async_reply_functions_work_in_sync_and_async_calls() -> None:
    agent, peer = make("a"), make("b")

    async def reply(recipient: Any, messages: Any, sender: Any, config: Any) -> tuple[bool, str]:
        return True, "from a coroutine"

    agent.register_reply(ConversableAgent, reply)
    await peer.a_send("x", agent, request_reply=True)
    assert peer.last_message(agent)["content"] == "from a coroutine"  # type: ignore[index]


def test_sync_api_works_inside_a_running_event_loop() -> None:
    import asyncio

    agent, peer = make("a", default_auto_reply="pong"), make("b")

    async def main() -> None:
        peer.send("ping", agent, request_reply=True)  # sync call from async code

    asyncio.run(main())
    assert peer.last_message(agent)["content"] == "pong"  # type: ignore[index]


def test_remove_other_reply_funcs_and_replace() -> None:
    agent = make("a")
    agent.register_reply(None, lambda *a: (True, "only"), remove_other_reply_funcs=True)
    assert len(agent.reply_functions) == 1
    agent.replace_reply_func(agent.reply_functions[0], check_termination_and_human_reply)
    assert agent.reply_functions == [check_termination_and_human_reply]


def test_reset_restores_reply_config() -> None:
    agent = make("a")
    agent.register_reply(None, lambda *a: (False, None), config={"n": 0})
    agent._reply_func_list[0].config = {"n": 5}
    agent.reset()
    assert agent._reply_func_list[0].config == {"n": 0}


def test_hooks_transform_messages() -> None:
    seen: list[Any] = []
    agent, peer = make("a"), make("b")

    def model_view(recipient: Any, messages: Any, sender: Any, config: Any) -> tuple[bool, str]:
        seen.append([m["content"] for m in messages])
        return True, "ok"

    agent.register_reply(ConversableAgent, model_view)
    agent.register_hook("process_last_received_message", lambda content: content.upper())
    agent.register_hook(
        "process_all_messages_before_reply", lambda msgs: [*msgs, {"content": "extra"}]
    )
    agent.register_hook(
        "process_message_before_send",
        lambda sender, message, recipient, silent: f"[signed] {message}",
    )
    states: list[int] = []
    agent.register_hook("update_agent_state", lambda a, msgs: states.append(len(msgs)))
    peer.send("hello", agent, request_reply=True)
    # As in 0.2: all-messages hooks run first, then the last message's content is processed.
    assert seen == [["hello", "EXTRA"]]
    assert states == [1]
    assert agent.chat_messages[peer][0]["content"] == "hello"  # history is not rewritten
    assert peer.last_message(agent)["content"] == "[signed] ok"  # type: ignore[index]


def test_unknown_hook_point_is_rejected() -> None:
    with pytest.raises(ConfigError, match="hookable_method"):
        make("a").register_hook("before_lunch", lambda: None)
