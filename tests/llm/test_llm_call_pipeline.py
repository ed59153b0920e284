"""The composed model call: capabilities, constrained choice, usage into the run, one validation."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import convogen.llm.config as config_module
from convogen.chat_run import chat_run
from convogen.errors import ConfigError
from convogen.interception import Proceed, intercepting
from convogen.llm.cache import Cache
from convogen.llm.config import ModelEntry, parse_llm_config
from convogen.llm.errors import BadRequestError
from convogen.llm.protocol import (
    NO_CAPABILITIES,
    ClientCapabilities,
    ModelRequest,
    ModelResponse,
    capabilities_of,
    replay_observer_of,
)
from convogen.llm.scripted import ScriptedModelClient
from convogen.llm.wrapper import OpenAIWrapper
from convogen.messages import Message

ASK: list[Message] = [{"role": "user", "content": "who next?"}]


class RecordingClient:
    """A custom client that answers 'bob' and keeps every request; capabilities per instance."""

    def __init__(self, config: dict[str, Any], capabilities: ClientCapabilities) -> None:
        self.model = str(config["model"])
        self.capabilities = capabilities
        self.requests: list[ModelRequest] = []
        self.refuse_schema = bool(config.get("refuse_schema"))

    async def create(self, request: ModelRequest) -> ModelResponse:
        self.requests.append(request)
        if self.refuse_schema and "response_format" in request.params:
            raise BadRequestError("response_format is not supported", model=self.model)
        return ModelResponse(choices=[{"role": "assistant", "content": "bob"}], model=self.model)


def wrapper_with(capabilities: ClientCapabilities, **entry: Any) -> OpenAIWrapper:
    wrapper = OpenAIWrapper(
        config_list=[{"model": "custom", "model_client_cls": "RecordingClient", **entry}]
    )
    wrapper.register_model_client(RecordingClient, capabilities=capabilities)
    return wrapper


def only_request(wrapper: OpenAIWrapper) -> list[ModelRequest]:
    client = wrapper.clients[0]
    assert isinstance(client, RecordingClient)
    return client.requests


def test_a_client_that_declares_nothing_has_no_capabilities() -> None:
    class Plain:
        model = "plain"

    assert capabilities_of(Plain()) is NO_CAPABILITIES
    assert capabilities_of(object()) is NO_CAPABILITIES


def test_a_capabilities_attribute_of_another_type_is_not_taken_for_a_declaration() -> None:
    class Odd:
        capabilities = {"constrained_choices": True}

    assert capabilities_of(Odd()) is NO_CAPABILITIES


def test_built_in_clients_declare_their_capabilities() -> None:
    from convogen.llm.classic_client import ClassicClientAdapter
    from convogen.llm.openai_client import OpenAIClient

    assert capabilities_of(ScriptedModelClient(["x"])).observes_replays
    assert ClassicClientAdapter.capabilities == NO_CAPABILITIES
    assert OpenAIClient.capabilities.json_schema_output
    assert not OpenAIClient.capabilities.constrained_choices


def test_declaring_observes_replays_without_note_replayed_is_a_config_error() -> None:
    class Liar:
        capabilities = ClientCapabilities(observes_replays=True)

    with pytest.raises(ConfigError, match="note_replayed"):
        replay_observer_of(Liar())


def test_a_grammar_client_is_asked_with_choices() -> None:
    wrapper = wrapper_with(ClientCapabilities(constrained_choices=True, json_schema_output=True))
    reply = asyncio.run(wrapper.a_create_choice(messages=ASK, choices=["alice", "bob"]))
    assert reply.method == "grammar"
    assert only_request(wrapper)[0].params["choices"] == ["alice", "bob"]
    assert "response_format" not in only_request(wrapper)[0].params


def test_a_json_schema_client_is_asked_with_an_enum_schema() -> None:
    wrapper = wrapper_with(ClientCapabilities(json_schema_output=True))
    reply = asyncio.run(
        wrapper.a_create_choice(messages=ASK, choices=["alice", "bob"], key="speaker")
    )
    schema = only_request(wrapper)[0].params["response_format"]["json_schema"]["schema"]
    assert reply.method == "json_schema"
    assert schema["properties"]["speaker"]["enum"] == ["alice", "bob"]


def test_json_schema_is_not_used_when_the_caller_turned_it_off() -> None:
    wrapper = wrapper_with(ClientCapabilities(json_schema_output=True))
    reply = asyncio.run(
        wrapper.a_create_choice(messages=ASK, choices=["alice", "bob"], json_schema=False)
    )
    assert reply.method == "free_text"
    assert only_request(wrapper)[0].params == {}


def test_a_refused_schema_is_asked_again_in_free_text() -> None:
    wrapper = wrapper_with(ClientCapabilities(json_schema_output=True), refuse_schema=True)
    reply = asyncio.run(wrapper.a_create_choice(messages=ASK, choices=["alice", "bob"]))
    requests = only_request(wrapper)
    assert reply.schema_refused and reply.method == "free_text"
    assert "response_format" in requests[0].params
    assert "response_format" not in requests[1].params
    assert reply.response.text == "bob"


def test_a_client_without_capabilities_is_asked_in_free_text() -> None:
    wrapper = OpenAIWrapper(config_list=[{"model": "s", "api_type": "scripted", "replies": ["b"]}])
    reply = asyncio.run(wrapper.a_create_choice(messages=ASK, choices=["a", "b"]))
    client = wrapper.clients[0]
    assert isinstance(client, ScriptedModelClient)
    assert reply.method == "free_text" and client.requests[0].params == {}


@pytest.mark.parametrize("choices", [[], "ab", ["a", 1], None])
def test_bad_choices_are_refused_naming_the_field(choices: Any) -> None:
    wrapper = OpenAIWrapper(config_list=[{"model": "s", "api_type": "scripted", "replies": ["b"]}])
    with pytest.raises(ConfigError, match="choices"):
        asyncio.run(wrapper.a_create_choice(messages=ASK, choices=choices))


def test_usage_of_a_model_call_is_recorded_in_the_current_chat_run() -> None:
    wrapper = OpenAIWrapper(
        config_list=[{"model": "s", "api_type": "scripted", "replies": ["a b"]}]
    )
    with chat_run() as run:
        asyncio.run(wrapper.a_create(messages=ASK))
    assert [(r.model, r.completion_tokens, r.cached) for r in run.usage] == [("s", 2, False)]
    assert run.usage[0] is wrapper.usage.records[0]


def test_usage_of_a_cache_hit_is_recorded_in_the_current_chat_run_as_cached() -> None:
    replies = ["a b", "c"]
    wrapper = OpenAIWrapper(
        config_list=[{"model": "s", "api_type": "scripted", "replies": replies}]
    )
    cache = Cache.in_memory()
    asyncio.run(wrapper.a_create(messages=ASK, cache=cache))
    with chat_run() as run:
        response = asyncio.run(wrapper.a_create(messages=ASK, cache=cache))
    assert response.cached and response.text == "a b"
    assert [r.cached for r in run.usage] == [True]


def test_usage_outside_a_chat_run_is_kept_by_the_wrapper_only() -> None:
    wrapper = OpenAIWrapper(config_list=[{"model": "s", "api_type": "scripted", "replies": ["a"]}])
    asyncio.run(wrapper.a_create(messages=ASK))
    assert len(wrapper.usage.records) == 1


def test_a_replayed_call_moves_a_scripted_client_on() -> None:
    class AnswerEverything:
        async def intercept(self, kind: str, request: dict[str, Any], proceed: Proceed) -> Any:
            return {"choices": [{"role": "assistant", "content": "replayed"}], "model": "s"}

    wrapper = OpenAIWrapper(
        config_list=[{"model": "s", "api_type": "scripted", "replies": ["one", "two"]}]
    )
    with intercepting(AnswerEverything()):
        first = asyncio.run(wrapper.a_create(messages=ASK))
    second = asyncio.run(wrapper.a_create(messages=ASK))
    assert (first.text, second.text) == ("replayed", "two")


def test_llm_config_is_parsed_into_typed_entries_with_shared_options_merged() -> None:
    parsed = parse_llm_config(
        {
            "config_list": [{"model": "a", "api_key": "k1"}, {"model": "b", "temperature": 1}],
            "temperature": 0,
            "cache_seed": 7,
        }
    )
    assert parsed is not None
    assert [e.model for e in parsed.entries] == ["a", "b"]
    assert all(isinstance(e, ModelEntry) for e in parsed.entries)
    assert parsed.entries[0].api_key == "k1" and parsed.entries[0].api_type == "openai"
    assert [e.params["temperature"] for e in parsed.entries] == [0, 1]
    assert parsed.view["config_list"][1] == {"model": "b", "temperature": 1}


def test_an_llm_config_without_a_model_has_no_entries() -> None:
    parsed = parse_llm_config({"temperature": 0})
    assert parsed is not None and parsed.entries == ()
    assert parse_llm_config(False) is None


def test_each_entry_is_validated_once_from_llm_config_to_wrapper(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []
    original = config_module.validate_config_entry

    def counting(entry: object, index: int) -> dict[str, Any]:
        calls.append(index)
        return original(entry, index)

    monkeypatch.setattr(config_module, "validate_config_entry", counting)
    from convogen.agents.conversable import ConversableAgent

    entries = [
        {"model": "a", "api_type": "scripted", "replies": ["x"]},
        {"model": "b", "api_type": "scripted", "replies": ["y"]},
    ]
    agent = ConversableAgent("a", llm_config={"config_list": entries})
    assert calls == [0, 1]
    assert agent.client is not None and [c.model for c in agent.client.clients] == ["a", "b"]


def test_a_wrapper_built_from_dicts_still_validates_them() -> None:
    with pytest.raises(ConfigError, match="did you mean 'temperature'"):
        OpenAIWrapper(config_list=[{"model": "m", "api_type": "scripted", "temprature": 0}])
