"""Human input modes, driven by a scripted IO stream."""

from typing import Any

import pytest

from convogen import AssistantAgent, ScriptedIO, StopReason, UserProxyAgent
from convogen.agents.termination import ends_with_terminate
from convogen.errors import HumanInputError
from convogen.llm.scripted import scripted_llm_config


def pair(
    replies: list[str], mode: str, answers: list[str], **user_kwargs: Any
) -> tuple[UserProxyAgent, AssistantAgent, ScriptedIO]:
    io = ScriptedIO(answers)
    assistant = AssistantAgent("assistant", llm_config=scripted_llm_config(replies), silent=True)
    user = UserProxyAgent(
        "user",
        is_termination_msg=ends_with_terminate,
        human_input_mode=mode,  # type: ignore[arg-type]
        code_execution_config=False,
        io_stream=io,
        **user_kwargs,
    )
    return user, assistant, io


def test_always_asks_every_turn_and_feedback_becomes_the_reply() -> None:
    user, assistant, io = pair(["draft 1", "draft 2"], "ALWAYS", ["make it shorter", "exit"])
    result = user.initiate_chat(assistant, message="write a haiku")
    contents = [m["content"] for m in result.chat_history]
    assert contents == ["write a haiku", "draft 1", "make it shorter", "draft 2"]
    assert len(io.prompts) == 2 and "Provide feedback to assistant" in io.prompts[0]
    assert result.stop_reason is StopReason.HUMAN_EXIT
    assert result.stopped_by == "user"
    assert result.human_input == ["make it shorter", "exit"]


def test_always_with_empty_input_runs_the_auto_reply() -> None:
    user, assistant, io = pair(
        ["draft 1", "draft 2"], "ALWAYS", ["", "exit"], default_auto_reply="go on"
    )
    result = user.initiate_chat(assistant, message="task")
    assert [m["content"] for m in result.chat_history][2] == "go on"
    assert "USING AUTO REPLY" in io.output


def test_always_with_empty_input_on_a_termination_message_ends_the_chat() -> None:
    user, assistant, _ = pair(["done TERMINATE"], "ALWAYS", [""])
    result = user.initiate_chat(assistant, message="task")
    assert result.stop_reason is StopReason.TERMINATION_MESSAGE


def test_terminate_mode_asks_only_on_termination_message() -> None:
    replies = ["step 1", "step 2", "all done TERMINATE", "revised TERMINATE"]
    user, assistant, io = pair(replies, "TERMINATE", ["please double-check", ""])
    result = user.initiate_chat(assistant, message="task")
    assert len(io.prompts) == 2  # asked at each termination message only
    assert "please double-check" in [m["content"] for m in result.chat_history]
    assert result.stop_reason is StopReason.TERMINATION_MESSAGE
    assert result.human_input == ["please double-check", ""]


def test_terminate_mode_asks_when_auto_reply_limit_is_hit() -> None:
    user, assistant, io = pair(["a", "b", "c"], "TERMINATE", ["exit"], max_consecutive_auto_reply=2)
    result = user.initiate_chat(assistant, message="task")
    assert len(io.prompts) == 1 and "Press enter to skip" in io.prompts[0]
    assert result.stop_reason is StopReason.HUMAN_EXIT


def test_never_mode_never_asks() -> None:
    user, assistant, io = pair(["a", "b TERMINATE"], "NEVER", [])
    result = user.initiate_chat(assistant, message="task")
    assert io.prompts == []
    assert result.stop_reason is StopReason.TERMINATION_MESSAGE


def test_exit_is_case_insensitive_and_trimmed() -> None:
    user, assistant, _ = pair(["a"], "ALWAYS", ["  EXIT "])
    assert user.initiate_chat(assistant, message="task").stop_reason is StopReason.HUMAN_EXIT


def test_human_reply_to_tool_calls_answers_each_call() -> None:
    call = {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    user, assistant, _ = pair([], "ALWAYS", ["42", "exit"])
    assistant.client = None
    assistant.register_reply(
        UserProxyAgent, lambda *a: (True, {"tool_calls": [call], "content": None})
    )
    result = user.initiate_chat(assistant, message="task", max_turns=2)
    tool_message = result.chat_history[2]
    assert tool_message["role"] == "tool"
    assert tool_message["tool_responses"] == [
        {"tool_call_id": "c1", "role": "tool", "content": "42"}
    ]


def test_closed_input_stream_raises_a_clear_error() -> None:
    user, assistant, _ = pair(["a"], "ALWAYS", [])
    with pytest.raises(HumanInputError, match="exhausted"):
        user.initiate_chat(assistant, message="task")
    assert user.last_chat_result is not None
    assert user.last_chat_result.stop_reason is StopReason.ERROR
