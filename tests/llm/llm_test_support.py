"""Helpers for the llm tests (a uniquely named module: test dirs have no __init__.py)."""

from __future__ import annotations

from typing import Any

from convogen.llm.test_server import OpenAICompatibleTestServer


class SleepRecorder:
    """An injectable sleeper that records the waits instead of sleeping."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def entry(
    server: OpenAICompatibleTestServer, model: str = "gpt-4o", **extra: Any
) -> dict[str, Any]:
    """A config entry pointing at ``server``."""
    return {"model": model, "base_url": server.base_url, "api_key": "test-key", **extra}
