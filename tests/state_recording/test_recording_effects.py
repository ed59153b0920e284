"""Effects one by one: results, errors rebuilt by class, parallel effects, closed recorders."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, Any

import pytest

from convogen import AssistantAgent, UserProxyAgent, register_function
from convogen.agents.termination import ends_with_terminate
from convogen.events import LlmCacheHit
from convogen.interception import JSON_CODEC, effect
from convogen.llm.errors import RateLimitError
from convogen.llm.scripted import scripted_llm_config
from convogen.state.recording import (
    CassetteWarning,
    Recorder,
    ReplayedError,
    Replayer,
    load_cassette,
    record,
    replay,
)


class ForeignError(Exception):
    """An exception class outside convogen and builtins: replayed as ReplayedError."""


async def failing(exc: BaseException) -> Any:
    raise exc


@pytest.mark.parametrize(
    ("raised", "expected_type", "check"),
    [
        (ValueError("bad value 7"), ValueError, lambda e: str(e) == "bad value 7"),
        (KeyError("k"), KeyError, lambda e: e.args == ("k",)),
        (
            RateLimitError("slow down", retry_after=2.5, model="m1"),
            RateLimitError,
            lambda e: (
                (e.retry_after, e.model, e.status, str(e))
                == (2.5, "m1", 429, "HTTP 429: slow down")
            ),
        ),
        (
            ForeignError("from elsewhere"),
            ReplayedError,
            lambda e: e.type_name == "ForeignError" and "from elsewhere" in str(e),
        ),
    ],
)
async def test_recorded_errors_come_back_with_their_class(
    tmp_path: Path, raised: Exception, expected_type: type[Exception], check: Any
) -> None:
    cassette = tmp_path / "errors.jsonl"
    with record(cassette), pytest.raises(type(raised)):
        await effect(
            "tool",
            {"agent": "x", "name": "f", "arguments": "{}"},
            lambda: failing(raised),
            JSON_CODEC,
        )
    entry = load_cassette(cassette).effects()[0]
    assert entry["error"]["type"] == type(raised).__name__ and "result" not in entry

    def must_not_run() -> Any:
        raise AssertionError("the effect ran during replay")

    with replay(cassette), pytest.raises(expected_type) as caught:
        await effect(
            "tool", {"agent": "x", "name": "f", "arguments": "{}"}, must_not_run, JSON_CODEC
        )
    assert check(caught.value)


async def test_results_are_json_and_copied_on_replay(tmp_path: Path) -> None:
    cassette = tmp_path / "r.jsonl"

    async def run() -> Any:
        return {"answer": [1, 2, {"x": None}]}

    with record(cassette):
        await effect("code", {"agent": "u", "blocks": []}, run, JSON_CODEC)

    async def never() -> Any:
        raise AssertionError("ran")

    with replay(load_cassette(cassette)) as replayer:
        got = await effect("code", {"agent": "u", "blocks": []}, never, JSON_CODEC)
        got["answer"].append("mutated")
    assert replayer.cassette.effects()[0]["result"] == {"answer": [1, 2, {"x": None}]}


def test_parallel_tool_calls_replay_in_the_order_they_were_asked(tmp_path: Path) -> None:
    """The slow call finishes last but was asked first; seq keeps the asking order."""

    def build(broken: bool) -> tuple[UserProxyAgent, AssistantAgent]:
        async def wait(seconds: Annotated[float, "how long"]) -> str:
            """Wait, then say how long."""
            if broken:
                raise AssertionError("tool ran during replay")
            await asyncio.sleep(seconds)
            return f"waited {seconds}"

        calls = [
            {
                "id": f"c{i}",
                "type": "function",
                "function": {"name": "wait", "arguments": json.dumps({"seconds": s})},
            }
            for i, s in enumerate([0.05, 0.0])
        ]
        replies: list[Any] = [{"content": None, "tool_calls": calls}, "done TERMINATE"]
        assistant = AssistantAgent(
            "assistant", llm_config=scripted_llm_config([] if broken else replies), silent=True
        )
        user = UserProxyAgent(
            "user",
            human_input_mode="NEVER",
            code_execution_config=False,
            silent=True,
            is_termination_msg=ends_with_terminate,
        )
        register_function(wait, caller=assistant, executor=user)
        return user, assistant

    cassette = tmp_path / "parallel.jsonl"
    user, assistant = build(False)
    with record(cassette):
        live = user.initiate_chat(assistant, message="wait twice")
    lines = [json.loads(x) for x in cassette.read_text().splitlines()[1:]]
    tool_lines = [e for e in lines if e.get("kind") == "tool"]
    assert [json.loads(e["request"]["arguments"])["seconds"] for e in tool_lines] == [0.0, 0.05]
    assert tool_lines[0]["seq"] > tool_lines[1]["seq"]  # written when done, numbered when asked

    user2, assistant2 = build(True)
    with replay(cassette):
        again = user2.initiate_chat(assistant2, message="wait twice")
    assert again.chat_history == live.chat_history


async def test_closed_recorder_lets_effects_run_and_warns(tmp_path: Path) -> None:
    recorder = Recorder(tmp_path / "closed.jsonl")
    recorder.close()

    async def run() -> Any:
        return 5

    with pytest.warns(CassetteWarning, match="closed"):
        assert await recorder.intercept("tool", {}, run) == 5
    with pytest.warns(CassetteWarning, match="closed"):
        recorder.on_event(LlmCacheHit(request={}, response={}))
    assert load_cassette(recorder.path).entries == []


def test_recorder_and_replayer_implement_the_protocols(tmp_path: Path) -> None:
    from convogen.interception import EventSink, Interceptor

    recorder = Recorder(tmp_path / "p.jsonl")
    # mypy checks these assignments against the protocols.
    interceptors: list[Interceptor] = [recorder, Replayer(recorder.path)]
    sinks: list[EventSink] = [recorder]
    assert len(interceptors) == 2 and sinks[0] is recorder
    recorder.close()


async def test_a_kind_never_recorded_is_exhausted_at_once(tmp_path: Path) -> None:
    from convogen.state.recording import ReplayExhaustedError

    with record(tmp_path / "empty.jsonl"):
        pass

    async def run() -> Any:
        return "live"

    with replay(tmp_path / "empty.jsonl"), pytest.raises(ReplayExhaustedError) as caught:
        await effect("human", {"agent": "u", "prompt": "name?"}, run, JSON_CODEC)
    assert "recorded no 'human' effects" in str(caught.value) and "name?" in str(caught.value)
