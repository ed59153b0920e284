"""Shared fixtures: a retry policy that never sleeps, and local OpenAI-compatible servers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from llm_test_support import SleepRecorder

from convogen.llm.retry import RetryPolicy
from convogen.llm.test_server import OpenAICompatibleTestServer


@pytest.fixture
def sleeper() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def policy(sleeper: SleepRecorder) -> RetryPolicy:
    return RetryPolicy(max_retries=2, initial_delay=1.0, max_delay=10.0, jitter=0, sleeper=sleeper)


@pytest.fixture(autouse=True)
def _no_real_keys(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    # Tests must never depend on (or leak) a developer's real credentials or cache.
    # setenv first so monkeypatch records the original state and restores it afterwards, even
    # for variables a test sets without monkeypatch (config_list_from_dotenv writes os.environ).
    for name in (
        "OPENAI_API_KEY",
        "OPENAI_API_BASE",
        "OAI_CONFIG_LIST",
        "AZURE_OPENAI_API_KEY",
        "LOCAL_KEY",
        "OTHER",
    ):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def server_factory() -> Iterator[Any]:
    started: list[OpenAICompatibleTestServer] = []

    def make(*args: Any, **kwargs: Any) -> OpenAICompatibleTestServer:
        server = OpenAICompatibleTestServer(*args, **kwargs).start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()
