"""Tool calls cut off by a crash: re-run only when idempotent; keys; no secret journaled."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from convogen.errors import ConfigError
from convogen.interception import JSON_CODEC, effect
from convogen.results import ChatResult
from convogen.state.durable import (
    current_idempotency_key,
    in_doubt_message,
    run_durable,
)
from convogen.state.store import SQLiteCheckpointStore


class SimulatedCrash(BaseException):
    """Stands for the process dying (not an Exception, so nothing catches it)."""


class Tool:
    """A tool with a side effect: counts its runs and the idempotency keys it saw."""

    def __init__(self, crash_on_run: int | None = None) -> None:
        self.runs = 0
        self.keys: list[str | None] = []
        self.crash_on_run = crash_on_run

    async def __call__(self) -> str:
        self.runs += 1
        self.keys.append(current_idempotency_key())
        if self.runs == self.crash_on_run:
            raise SimulatedCrash
        return f"charged (run {self.runs})"


def chat_calling(tool: Tool, calls: int = 1, name: str = "charge") -> Callable[[], Any]:
    """A chat factory whose run is ``calls`` tool effects; the results become the history."""

    async def chat() -> ChatResult:
        results = []
        for i in range(calls):
            request = {"agent": "bot", "name": name, "arguments": f'{{"n": {i}}}'}
            results.append(await effect("tool", request, tool, JSON_CODEC))
        return ChatResult(chat_history=[{"role": "tool", "content": r} for r in results])

    return chat


def contents(result: ChatResult) -> list[Any]:
    return [m["content"] for m in result.chat_history]


def crashed_run(store: SQLiteCheckpointStore, tool: Tool, calls: int = 1) -> None:
    with pytest.raises(SimulatedCrash):
        run_durable(store, "r", chat_calling(tool, calls))


def test_in_flight_tool_that_is_not_idempotent_is_not_run_again(tmp_path: Path) -> None:
    store = SQLiteCheckpointStore(tmp_path / "runs.db")
    crashed_run(store, Tool(crash_on_run=1))
    tool = Tool()
    resumed = run_durable(store, "r", chat_calling(tool))
    assert tool.runs == 0
    assert contents(resumed) == [in_doubt_message("charge", '{"n": 0}')]


def test_in_doubt_message_tells_the_model_the_effect_is_unknown() -> None:
    text = in_doubt_message("charge", '{"n": 0}')
    assert text.startswith("Error:") and "may or may not have taken effect" in text


def test_in_flight_idempotent_tool_runs_again_on_resume(tmp_path: Path) -> None:
    store = SQLiteCheckpointStore(tmp_path / "runs.db")
    crashed_run(store, Tool(crash_on_run=1))
    tool = Tool()
    resumed = run_durable(store, "r", chat_calling(tool), idempotent_tools=["charge"])
    assert tool.runs == 1
    assert contents(resumed) == ["charged (run 1)"]


def test_completed_tool_call_is_not_run_again_on_resume(tmp_path: Path) -> None:
    store = SQLiteCheckpointStore(tmp_path / "runs.db")
    crashed_run(store, Tool(crash_on_run=2), calls=2)
    tool = Tool()
    resumed = run_durable(store, "r", chat_calling(tool, 2), idempotent_tools=["charge"])
    assert tool.runs == 1  # only the call cut off by the crash
    assert contents(resumed) == ["charged (run 1)", "charged (run 1)"]


def test_in_doubt_answer_is_journaled_so_every_later_resume_agrees(tmp_path: Path) -> None:
    store = SQLiteCheckpointStore(tmp_path / "runs.db")
    crashed_run(store, Tool(crash_on_run=1))
    with pytest.raises(SimulatedCrash):
        run_durable(store, "r", chat_calling(Tool(crash_on_run=1), calls=2))
    tool = Tool()
    resumed = run_durable(store, "r", chat_calling(tool, 2), idempotent_tools=["charge"])
    assert contents(resumed)[0] == in_doubt_message("charge", '{"n": 0}')
    assert tool.runs == 1  # the second call, in flight at the second crash, is idempotent now


def test_idempotency_key_is_the_same_when_a_resume_repeats_the_call(tmp_path: Path) -> None:
    store = SQLiteCheckpointStore(tmp_path / "runs.db")
    first = Tool(crash_on_run=1)
    crashed_run(store, first)
    again = Tool()
    run_durable(store, "r", chat_calling(again), idempotent_tools=["charge"])
    assert first.keys == again.keys
    assert first.keys[0] is not None and first.keys[0].startswith("r/")


def test_each_tool_call_of_a_run_gets_its_own_idempotency_key(tmp_path: Path) -> None:
    tool = Tool()
    run_durable(SQLiteCheckpointStore(tmp_path / "runs.db"), "r", chat_calling(tool, 3))
    assert len(set(tool.keys)) == 3


def test_idempotency_key_is_none_outside_durable_runs() -> None:
    assert current_idempotency_key() is None


def test_idempotent_tools_given_as_one_string_is_refused(tmp_path: Path) -> None:
    store = SQLiteCheckpointStore(tmp_path / "runs.db")
    with pytest.raises(ConfigError, match="idempotent_tools"):
        run_durable(store, "r", chat_calling(Tool()), idempotent_tools="charge")


def llm_chat(secret: str) -> Callable[[], Any]:
    """A chat factory making one model call whose request carries credentials."""

    async def chat() -> ChatResult:
        request = {
            "model": "m",
            "messages": [{"role": "user", "content": "hi"}],
            "params": {
                "extra_headers": {"Authorization": f"Bearer {secret}", "api-key": secret},
                "base_url": f"http://user:{secret}@localhost:1/v1",
            },
        }

        async def call() -> str:
            return "hello"

        reply = await effect("llm", request, call, JSON_CODEC)
        return ChatResult(chat_history=[{"role": "assistant", "content": reply}])

    return chat


def test_journal_spec_and_errors_hold_no_credentials(tmp_path: Path) -> None:
    secret = "journal-secret-5566778899"
    path = tmp_path / "runs.db"
    store = SQLiteCheckpointStore(path)
    spec = {"llm_config": {"config_list": [{"model": "m", "api_key": secret}]}}
    run_durable(store, "r", llm_chat(secret), spec=spec)

    async def failing() -> ChatResult:
        raise RuntimeError(f"endpoint said: bad key {secret}")

    with pytest.raises(RuntimeError):
        run_durable(store, "failed", failing)
    store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("runs.db"))
    assert secret.encode() not in raw


def test_masked_journal_still_matches_the_resumed_request(tmp_path: Path) -> None:
    secret = "journal-secret-1122334455"
    store = SQLiteCheckpointStore(tmp_path / "runs.db")
    chat = llm_chat(secret)

    async def crash_after_the_call() -> ChatResult:
        await chat()
        raise SimulatedCrash

    with pytest.raises(SimulatedCrash):
        run_durable(store, "r", crash_after_the_call)
    resumed = run_durable(store, "r", chat)  # no DurableReplayError: masked alike
    assert contents(resumed) == ["hello"]
