"""End to end: a known secret, given in every credential slot, reaches no artefact.

The secret travels in ``api_key``, ``extra_headers`` (``Authorization`` and ``api-key``),
``default_headers``, ``azure_ad_token`` and a ``base_url`` with ``user:pass@``; a chat runs
against the local OpenAI-compatible test server with runtime logging on, while recording a
cassette, and as a durable run with a SQLite checkpoint store; failing configs and failing
model calls raise errors. Then every file written and every error text is searched for it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from convogen import AssistantAgent, UserProxyAgent
from convogen.errors import ConfigError, ModelClientError
from convogen.llm.config import validate_config_entry, validate_llm_config
from convogen.llm.test_server import Fault, OpenAICompatibleTestServer
from convogen.llm.wrapper import OpenAIWrapper
from convogen.state.durable import run_durable
from convogen.state.logging import start_logging, stop_logging
from convogen.state.recording import record
from convogen.state.store import SQLiteCheckpointStore

SECRET = "sk-e2e-TOPSECRET-7f3a9c1d2e"
URL_PASSWORD = "urlpass-TOPSECRET-4b8e"
SECRETS = (SECRET, URL_PASSWORD)


def config_entry(server: OpenAICompatibleTestServer) -> dict[str, Any]:
    """A config entry holding the secrets in every slot a credential can take."""
    host = server.base_url.split("://", 1)[1]
    return {
        "model": "gpt-4o",
        "api_key": SECRET,
        "base_url": f"http://user:{URL_PASSWORD}@{host}",
        "extra_headers": {"Authorization": f"Bearer {SECRET}", "api-key": SECRET},
        "default_headers": {"X-Api-Key": SECRET},
    }


def assert_no_secret(where: str, data: bytes | str) -> None:
    raw = data.encode() if isinstance(data, str) else data
    for secret in SECRETS:
        assert secret.encode() not in raw, f"{where} holds the secret {secret!r}"


def files_under(folder: Path) -> Iterator[Path]:
    return (p for p in sorted(folder.rglob("*")) if p.is_file())


def chat(server: OpenAICompatibleTestServer, cache_root: Path) -> Any:
    llm_config = {"config_list": [config_entry(server)], "cache_seed": None}
    assistant = AssistantAgent("assistant", llm_config=llm_config, silent=True)
    user = UserProxyAgent(
        "user", human_input_mode="NEVER", code_execution_config=False, silent=True
    )
    return user, assistant


@pytest.fixture
def server() -> Iterator[OpenAICompatibleTestServer]:
    with OpenAICompatibleTestServer(replies=["hello TERMINATE"] * 20) as running:
        yield running


def test_chat_with_logging_and_recording_writes_no_secret(
    server: OpenAICompatibleTestServer, tmp_path: Path
) -> None:
    artefacts = tmp_path / "artefacts"
    artefacts.mkdir()
    start_logging(artefacts / "logs.db")
    try:
        with record(artefacts / "run.jsonl"):
            user, assistant = chat(server, tmp_path)
            result = user.initiate_chat(assistant, message="hi", max_turns=1)
    finally:
        stop_logging()
    assert result.chat_history[-1]["content"] == "hello TERMINATE"
    assert server.headers and server.headers[0].get("api-key") == SECRET  # the secret was used
    written = list(files_under(artefacts))
    assert {p.name for p in written} >= {"logs.db", "run.jsonl"}
    for path in written:
        assert_no_secret(str(path), path.read_bytes())


def test_durable_run_writes_no_secret_to_its_checkpoints(
    server: OpenAICompatibleTestServer, tmp_path: Path
) -> None:
    store_path = tmp_path / "checkpoints" / "runs.db"
    store_path.parent.mkdir()
    store = SQLiteCheckpointStore(store_path)
    user, assistant = chat(server, tmp_path)
    spec = {"llm_config": {"config_list": [config_entry(server)]}}
    result = run_durable(
        store,
        "run-1",
        lambda: user.a_initiate_chat(assistant, message="hi", max_turns=1),
        spec=spec,
    )
    store.close()
    assert result.chat_history[-1]["content"] == "hello TERMINATE"
    for path in files_under(store_path.parent):
        assert_no_secret(str(path), path.read_bytes())


def test_config_errors_show_no_secret() -> None:
    entry = {
        "model": "gpt-4o",
        "api_key": SECRET,
        "azure_ad_token": SECRET,
        "extra_headers": {"Authorization": f"Bearer {SECRET}", "api-key": SECRET},
        "default_headers": {"X-Api-Key": SECRET},
        "base_url": f"http://user:{URL_PASSWORD}@localhost:1/v1",
    }
    attempts: list[Any] = [
        lambda: validate_llm_config({"config_list": entry}),  # a dict, not a list
        lambda: validate_llm_config([entry]),  # a config list passed as llm_config
        lambda: validate_llm_config(entry | {"timeout": "30"}),
        lambda: validate_config_entry(entry | {"temprature": 1}, 0),
        lambda: validate_config_entry(entry | {"base_url": f"ftp://u:{URL_PASSWORD}@h"}, 0),
        lambda: OpenAIWrapper(config_list=entry),  # type: ignore[arg-type]
    ]
    for attempt in attempts:
        with pytest.raises(ConfigError) as info:
            attempt()
        error = info.value
        assert_no_secret("ConfigError", f"{error} {error!r} {error.value!r} {error.args!r}")


def test_model_call_errors_show_no_secret(tmp_path: Path) -> None:
    echo = json.dumps({"error": {"message": f"Incorrect API key provided: {SECRET}"}})
    faults = [Fault("status", status=401, body=echo)] * 4
    with OpenAICompatibleTestServer(replies=["never"], faults=faults) as failing:
        two_entries = [config_entry(failing), config_entry(failing) | {"model": "gpt-4o-mini"}]
        wrapper = OpenAIWrapper(config_list=two_entries, cache_seed=None)
        with pytest.raises(ModelClientError) as info:
            wrapper.create(messages=[{"role": "user", "content": "hi"}])
    error = info.value
    assert_no_secret("model error", f"{error} {error!r} {error.args!r}")
    for inner in getattr(error, "errors", []):
        assert_no_secret("inner model error", f"{inner[1]} {inner[1]!r}")
