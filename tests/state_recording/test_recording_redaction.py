"""Cassettes hold no credentials, and a masked recording still replays strictly."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from convogen.events import LlmCacheHit
from convogen.interception import JSON_CODEC, effect, emit
from convogen.state.recording import record, replay

SECRET = "sk-cassette-secret-31415926"


def llm_request() -> dict[str, Any]:
    return {
        "model": "m",
        "messages": [{"role": "user", "content": "hi"}],
        "params": {
            "extra_headers": {"Authorization": f"Bearer {SECRET}", "api-key": SECRET},
            "default_headers": {"X-Api-Key": SECRET},
            "base_url": f"http://user:{SECRET}@localhost:1/v1",
        },
    }


async def model_call(answer: str = "hello") -> Any:
    async def call() -> str:
        return answer

    return await effect("llm", llm_request(), call, JSON_CODEC)


def test_cassette_holds_no_credential_of_a_request(tmp_path: Path) -> None:
    cassette = tmp_path / "run.jsonl"
    with record(cassette, metadata={"api_key": SECRET}):
        asyncio.run(model_call())
        emit(LlmCacheHit(request=llm_request(), response={"choices": []}))
    text = cassette.read_text()
    assert SECRET not in text
    assert "extra_headers" in text  # the request itself was recorded


def test_cassette_holds_no_credential_quoted_in_an_error(tmp_path: Path) -> None:
    async def failing() -> str:
        raise RuntimeError(f"rejected key {SECRET}")

    cassette = tmp_path / "run.jsonl"
    with record(cassette), pytest.raises(RuntimeError):
        asyncio.run(effect("tool", {"api_key": SECRET}, failing, JSON_CODEC))
    assert SECRET not in cassette.read_text()


def test_masked_recording_replays_strictly(tmp_path: Path) -> None:
    cassette = tmp_path / "run.jsonl"
    with record(cassette):
        asyncio.run(model_call("recorded answer"))
    with replay(cassette) as replayer:
        answer = asyncio.run(model_call("live answer"))
    assert answer == "recorded answer"
    assert replayer.used() == {"llm": 1}
