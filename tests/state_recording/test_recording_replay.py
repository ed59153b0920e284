"""Record a run, replay it with everything outside broken, and get the very same run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from recording_scenarios import TASK, group_chat, model_calls

from convogen import AssistantAgent, ChatResult, ScriptedIO, StopReason, UserProxyAgent
from convogen.agents.termination import ends_with_terminate
from convogen.errors import HumanInputError
from convogen.llm.scripted import scripted_llm_config
from convogen.state.recording import (
    ReplayExhaustedError,
    ReplayMismatchError,
    diff_transcripts,
    load_cassette,
    record,
    replay,
)


def two_agents(
    replies: list[Any], answers: list[str], price: list[float]
) -> tuple[UserProxyAgent, AssistantAgent, ScriptedIO]:
    io = ScriptedIO(answers)
    user = UserProxyAgent(
        "user",
        human_input_mode="TERMINATE",
        code_execution_config=False,
        io_stream=io,
        silent=True,
        is_termination_msg=ends_with_terminate,
    )
    assistant = AssistantAgent(
        "assistant", llm_config=scripted_llm_config(replies, price=price), silent=True
    )
    return user, assistant, io


def same_result(a: ChatResult, b: ChatResult) -> None:
    assert a.chat_history == b.chat_history
    assert a.summary == b.summary
    assert a.stop_reason == b.stop_reason and a.stopped_by == b.stopped_by
    assert a.cost == b.cost
    assert a.human_input == b.human_input


def test_two_agent_chat_replays_exactly(tmp_path: Path) -> None:
    cassette = tmp_path / "two.jsonl"
    user, assistant, _ = two_agents(
        ["It is 4. TERMINATE", "Yes, 2+2 is 4. TERMINATE"], ["are you sure?", ""], [1.0, 2.0]
    )
    with record(cassette, metadata={"test": "two agents"}) as recorder:
        live = user.initiate_chat(assistant, message="What is 2+2?")
    assert recorder.closed and recorder.effects_recorded == 4  # 2 model calls, 2 human inputs
    assert live.stop_reason is StopReason.TERMINATION_MESSAGE
    assert live.human_input == ["are you sure?", ""]
    assert live.cost["usage_including_cached_inference"]["total_cost"] > 0

    user2, assistant2, io2 = two_agents(["something else"], [], [5.0, 5.0])
    with replay(cassette) as replayer:
        again = user2.initiate_chat(assistant2, message="What is 2+2?")
    same_result(live, again)
    assert replayer.unused() == [] and replayer.used() == {"llm": 2, "human": 2}
    assert model_calls([assistant2]) == 0 and io2.prompts == []
    assert load_cassette(cassette).header.metadata == {"test": "two agents"}


def test_group_chat_with_code_tool_and_person_replays_exactly(tmp_path: Path) -> None:
    user, manager, gc, touched = group_chat(tmp_path / "live")
    first = tmp_path / "group.jsonl"
    with record(first):
        live = user.initiate_chat(manager, message=TASK)
    assert [m["name"] for m in gc.messages] == [
        "user",
        "coder",
        "user",
        "analyst",
        "user",
        "analyst",
    ]
    assert "Code output: 42" in str(gc.messages[2]["content"])
    assert gc.messages[4]["tool_responses"][0]["content"] == "5"
    assert touched["calls"].tools == 1 and live.human_input == ["", ""]
    assert live.stop_reason is StopReason.TERMINATION_MESSAGE
    effects = load_cassette(first).effects()
    assert {e["kind"] for e in effects} == {"llm", "code", "tool", "human"}

    user2, manager2, gc2, broken = group_chat(tmp_path / "replay", broken=True)
    second = tmp_path / "group-replayed.jsonl"
    # The recorder outside the replayer records what the replayer answers.
    with record(second), replay(first) as replayer:
        again = user2.initiate_chat(manager2, message=TASK)
    assert gc2.messages == gc.messages
    assert gc2.selection_log == gc.selection_log
    same_result(live, again)
    assert replayer.unused() == []
    # Nothing outside the process was touched: no model, tool, executor or person.
    assert model_calls(broken["agents"]) == 0
    assert broken["calls"].tools == 0 and broken["executor"].calls == 0
    assert broken["io"].prompts == []
    assert diff_transcripts(first, second).diff_is_empty
    replayed = load_cassette(second).effects()
    strip = [{k: v for k, v in e.items() if k != "seq"} for e in effects]
    assert [{k: v for k, v in e.items() if k != "seq"} for e in replayed] == strip


def test_changed_request_is_a_mismatch_with_a_diff(tmp_path: Path) -> None:
    cassette = tmp_path / "c.jsonl"
    user, assistant, _ = two_agents(["4. TERMINATE"], [""], [0.0, 0.0])
    with record(cassette):
        user.initiate_chat(assistant, message="What is 2+2?")
    user2, assistant2, _ = two_agents(["4. TERMINATE"], [""], [0.0, 0.0])
    with replay(cassette) as replayer, pytest.raises(ReplayMismatchError) as caught:
        user2.initiate_chat(assistant2, message="What is 3+3?")
    error = caught.value
    assert error.kind == "llm" and error.seq == load_cassette(cassette).effects("llm")[0]["seq"]
    text = str(error)
    assert f"seq={error.seq}" in text and "'llm'" in text
    assert "What is 2+2?" in text and "What is 3+3?" in text
    assert any(line.startswith("-") and "2+2" in line for line in error.diff.splitlines())
    assert any(line.startswith("+") and "3+3" in line for line in error.diff.splitlines())
    assert len(replayer.unused()) == 2  # the mismatched entry is not consumed


def test_non_strict_replay_ignores_request_changes(tmp_path: Path) -> None:
    cassette = tmp_path / "c.jsonl"
    user, assistant, _ = two_agents(["4. TERMINATE"], [""], [0.0, 0.0])
    with record(cassette):
        live = user.initiate_chat(assistant, message="What is 2+2?")
    user2, assistant2, _ = two_agents([], [], [0.0, 0.0])
    with replay(cassette, strict=False):
        again = user2.initiate_chat(assistant2, message="What is 3+3?")
    assert again.chat_history[1] == live.chat_history[1]


def test_asking_for_more_than_was_recorded_is_exhausted(tmp_path: Path) -> None:
    def pair(replies: list[str]) -> tuple[AssistantAgent, AssistantAgent]:
        config = scripted_llm_config(replies)
        return (
            AssistantAgent("a", llm_config=config, human_input_mode="NEVER", silent=True),
            AssistantAgent("b", llm_config=config, human_input_mode="NEVER", silent=True),
        )

    cassette = tmp_path / "short.jsonl"
    a, b = pair(["one", "two", "three"])
    with record(cassette):
        a.initiate_chat(b, message="start", max_turns=1)
    a2, b2 = pair([])
    with replay(cassette) as replayer, pytest.raises(ReplayExhaustedError) as caught:
        a2.initiate_chat(b2, message="start", max_turns=2)
    assert caught.value.kind == "llm" and caught.value.used == 1
    assert "no more 'llm' effects" in str(caught.value)
    assert replayer.unused() == []


def test_recorded_human_input_error_is_raised_again(tmp_path: Path) -> None:
    cassette = tmp_path / "err.jsonl"
    user, assistant, _ = two_agents(["4. TERMINATE"], [], [0.0, 0.0])  # no answer for the person
    with record(cassette), pytest.raises(HumanInputError):
        user.initiate_chat(assistant, message="What is 2+2?")
    error = load_cassette(cassette).effects("human")[0]["error"]
    assert error["type"] == "HumanInputError" and error["module"] == "convogen.errors"

    user2, assistant2, _ = two_agents([], ["I would answer now"], [0.0, 0.0])
    with replay(cassette), pytest.raises(HumanInputError, match="scripted input exhausted") as got:
        user2.initiate_chat(assistant2, message="What is 2+2?")
    assert any("replayed from" in note for note in got.value.__notes__)
