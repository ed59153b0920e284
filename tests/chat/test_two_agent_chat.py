"""initiate_chat: stop reasons, summaries, cost, history, async."""

from typing import Any

import pytest

from convogen import AssistantAgent, ConfigError, ConversableAgent, StopReason, UserProxyAgent
from convogen.agents.termination import ends_with_terminate
from convogen.errors import ScriptExhaustedError
from convogen.llm.scripted import ScriptedModelClient, scripted_llm_config


def assistant(replies: Any, **kwargs: Any) -> AssistantAgent:
    return AssistantAgent(
        "assistant", llm_config=scripted_llm_config(replies, **kwargs), silent=True
    )


def user(**kwargs: Any) -> UserProxyAgent:
    kwargs.setdefault("human_input_mode", "NEVER")
    kwargs.setdefault("is_termination_msg", ends_with_terminate)
    return UserProxyAgent("user", code_execution_config=False, silent=True, **kwargs)


def test_termination_message_stops_the_chat() -> None:
    result = user().initiate_chat(assistant(["thinking", "42 TERMINATE"]), message="q")
    assert result.stop_reason is StopReason.TERMINATION_MESSAGE
    assert result.stopped_by == "user"
    assert [m["content"] for m in result.chat_history] == ["q", "thinking", "", "42 TERMINATE"]
    assert result.summary == "42"


def test_max_turns_counts_recipient_replies() -> None:
    bot = assistant(["r1", "r2", "r3"])
    result = user().initiate_chat(bot, message="q", max_turns=2)
    assert result.stop_reason is StopReason.MAX_TURNS
    assert [m["content"] for m in result.chat_history] == ["q", "r1", "", "r2"]


def test_max_consecutive_auto_reply_stops_the_chat() -> None:
    result = user(max_consecutive_auto_reply=2).initiate_chat(
        assistant(["a", "b", "c", "d"]), message="q"
    )
    assert result.stop_reason is StopReason.MAX_CONSECUTIVE_AUTO_REPLY
    assert len(result.chat_history) == 6  # q, a, auto, b, auto, c


def test_zero_auto_replies_stops_after_the_first_answer() -> None:
    result = user(max_consecutive_auto_reply=0).initiate_chat(assistant(["a"]), message="q")
    assert result.stop_reason is StopReason.MAX_CONSECUTIVE_AUTO_REPLY
    assert len(result.chat_history) == 2


def test_custom_termination_rule() -> None:
    proxy = user(is_termination_msg=lambda m: "STOP" in (m.get("content") or ""))
    result = proxy.initiate_chat(assistant(["go", "STOP now", "x"]), message="q")
    assert result.stop_reason is StopReason.TERMINATION_MESSAGE
    assert result.chat_history[-1]["content"] == "STOP now"


def test_reply_function_ending_the_chat_gives_no_reply_reason() -> None:
    bot = assistant(["unused"])

    def give_up(*args: Any) -> tuple[bool, None]:
        return True, None

    give_up.__name__ = "give_up"
    bot.register_reply(ConversableAgent, give_up)
    result = user().initiate_chat(bot, message="q")
    assert result.stop_reason is StopReason.NO_REPLY
    assert result.stopped_by == "assistant" and "give_up" in result.stop_detail


def test_error_propagates_and_partial_result_is_kept() -> None:
    proxy = user()
    with pytest.raises(ScriptExhaustedError) as info:
        proxy.initiate_chat(assistant(["only one"]), message="q")
    assert any("last_chat_result" in note for note in info.value.__notes__)
    partial = proxy.last_chat_result
    assert partial is not None and partial.stop_reason is StopReason.ERROR
    assert [m["content"] for m in partial.chat_history] == ["q", "only one", ""]
    assert isinstance(partial.error, ScriptExhaustedError)


def test_cost_covers_this_chat_only() -> None:
    config = {"config_list": [{"model": "scripted", "model_client_cls": "ScriptedModelClient"}]}
    bot = AssistantAgent("assistant", llm_config=config, silent=True)
    bot.register_model_client(
        ScriptedModelClient, replies=["a TERMINATE", "b TERMINATE"], price_per_1k=(1.0, 2.0)
    )
    proxy = user()
    first = proxy.initiate_chat(bot, message="one two three")
    second = proxy.initiate_chat(bot, message="four")
    usage1 = first.cost["usage_including_cached_inference"]
    usage2 = second.cost["usage_including_cached_inference"]
    assert usage1["scripted"]["completion_tokens"] == 2
    assert usage1["scripted"]["prompt_tokens"] > usage2["scripted"]["prompt_tokens"] - 100
    expected = (usage1["scripted"]["prompt_tokens"] * 1.0 + 2 * 2.0) / 1000
    assert usage1["total_cost"] == pytest.approx(expected)
    assert first.cost["usage_excluding_cached_inference"]["total_cost"] == pytest.approx(expected)
    total = bot.get_total_usage()
    assert total is not None and total["scripted"]["completion_tokens"] == 4


def test_reflection_summary_uses_the_llm_with_the_summary_prompt() -> None:
    seen: list[Any] = []

    def model(messages: list[Any]) -> str:
        seen.append(messages)
        return "A short summary." if "Summarize" in str(messages[-1]["content"]) else "42 TERMINATE"

    proxy = UserProxyAgent(
        "user",
        is_termination_msg=ends_with_terminate,
        human_input_mode="NEVER",
        code_execution_config=False,
        silent=True,
        llm_config=scripted_llm_config(model),
    )
    result = proxy.initiate_chat(
        assistant(model), message="q", summary_method="reflection_with_llm"
    )
    assert result.summary == "A short summary."
    assert seen[-1][-1]["role"] == "system"


def test_reflection_without_any_llm_is_a_clear_error() -> None:
    a, b = (
        user(),
        UserProxyAgent(
            "other", is_termination_msg=ends_with_terminate, human_input_mode="NEVER", silent=True
        ),
    )
    with pytest.raises(ConfigError, match="reflection_with_llm"):
        a.initiate_chat(b, message="TERMINATE", summary_method="reflection_with_llm", max_turns=1)


def test_callable_summary_and_unknown_summary_method() -> None:
    proxy = user()
    result = proxy.initiate_chat(
        assistant(["x TERMINATE"]),
        message="q",
        summary_method=lambda s, r, args: f"{s.name}->{r.name}:{args['tag']}",
        summary_args={"tag": "t"},
    )
    assert result.summary == "user->assistant:t"
    with pytest.raises(ConfigError, match="summary_method"):
        proxy.initiate_chat(assistant(["x"]), message="q", summary_method="longest")


def test_clear_history_false_continues_the_conversation() -> None:
    proxy, bot = user(), assistant(["a TERMINATE", "b TERMINATE"])
    proxy.initiate_chat(bot, message="one")
    result = proxy.initiate_chat(bot, message="two", clear_history=False)
    assert [m["content"] for m in result.chat_history] == [
        "one",
        "a TERMINATE",
        "two",
        "b TERMINATE",
    ]


def test_callable_initial_message_and_carryover() -> None:
    proxy = user()
    result = proxy.initiate_chat(
        assistant(["ok TERMINATE"]),
        message=lambda s, r, ctx: f"{ctx['topic']} from {s.name}",
        topic="tides",
    )
    assert result.chat_history[0]["content"] == "tides from user"
    result = proxy.initiate_chat(assistant(["ok TERMINATE"]), message="q", carryover="earlier: 7")
    assert result.chat_history[0]["content"] == "q\nContext: \nearlier: 7"


def test_missing_message_is_asked_from_the_person() -> None:
    from convogen import ScriptedIO

    io = ScriptedIO(["typed task"])
    proxy = UserProxyAgent(
        "user",
        is_termination_msg=ends_with_terminate,
        human_input_mode="NEVER",
        code_execution_config=False,
        io_stream=io,
        silent=True,
    )
    result = proxy.initiate_chat(assistant(["ok TERMINATE"]))
    assert result.chat_history[0]["content"] == "typed task"


def test_invalid_max_turns_is_rejected() -> None:
    with pytest.raises(ConfigError, match="max_turns"):
        user().initiate_chat(assistant(["x"]), message="q", max_turns=0)


def test_console_rendering_names_speakers_and_silent_hides_it() -> None:
    from convogen import ScriptedIO

    io = ScriptedIO()
    proxy = UserProxyAgent(
        "user",
        is_termination_msg=ends_with_terminate,
        human_input_mode="NEVER",
        code_execution_config=False,
        io_stream=io,
    )
    bot = AssistantAgent(
        "assistant", llm_config=scripted_llm_config(["hello TERMINATE"]), io_stream=io
    )
    proxy.initiate_chat(bot, message="hi there")
    assert "user (to assistant):" in io.output and "hi there" in io.output
    assert "assistant (to user):" in io.output and "hello TERMINATE" in io.output
    quiet = ScriptedIO()
    proxy2 = UserProxyAgent(
        "user",
        is_termination_msg=ends_with_terminate,
        human_input_mode="NEVER",
        code_execution_config=False,
        io_stream=quiet,
    )
    bot2 = AssistantAgent(
        "assistant", llm_config=scripted_llm_config(["x TERMINATE"]), io_stream=quiet
    )
    proxy2.initiate_chat(bot2, message="hi", silent=True)
    assert quiet.output == ""


async def test_async_chat() -> None:
    proxy, bot = user(), assistant(["a", "done TERMINATE"])
    result = await proxy.a_initiate_chat(bot, message="q")
    assert result.stop_reason is StopReason.TERMINATION_MESSAGE
    assert len(result.chat_history) == 4


async def test_async_chats_run_concurrently() -> None:
    import asyncio

    started: list[str] = []
    release = asyncio.Event()

    async def slow_reply(
        recipient: Any, messages: Any, sender: Any, config: Any
    ) -> tuple[bool, str]:
        started.append(recipient.name)
        if len(started) == 2:
            release.set()
        await release.wait()
        return True, "done TERMINATE"

    bots = [AssistantAgent(f"bot{i}", llm_config=False, silent=True) for i in range(2)]
    for bot in bots:
        bot.register_reply(ConversableAgent, slow_reply)
    proxies = [user() for _ in bots]
    results = await asyncio.wait_for(
        asyncio.gather(
            *(p.a_initiate_chat(b, message="q") for p, b in zip(proxies, bots, strict=True))
        ),
        timeout=5,
    )
    assert all(r.stop_reason is StopReason.TERMINATION_MESSAGE for r in results)


def test_long_chats_do_not_grow_the_stack() -> None:
    bot = AssistantAgent(
        "bot",
        llm_config=scripted_llm_config(["more"], on_exhausted="repeat_last"),
        max_consecutive_auto_reply=1500,
        silent=True,
    )
    proxy = user(max_consecutive_auto_reply=1500)
    result = proxy.initiate_chat(bot, message="q", max_turns=1200)
    assert result.stop_reason is StopReason.MAX_TURNS
    assert len(result.chat_history) == 2400
