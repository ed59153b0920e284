"""A custom model client written as the AutoGen 0.2 docs show, used through the classic API."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

import convogen as autogen
from convogen import AssistantAgent, OpenAIWrapper, UserProxyAgent


class CustomModelClient:
    """The 0.2 docs' shape: sync create(params), message_retrieval, cost, static get_usage."""

    def __init__(self, config: dict[str, Any], **kwargs: Any) -> None:
        self.model = config["model"]
        self.reply = kwargs.get("reply", "hello from the custom client")
        self.seen: list[dict[str, Any]] = []

    def create(self, params: dict[str, Any]) -> Any:
        self.seen.append(params)
        last = params["messages"][-1]["content"]
        response = SimpleNamespace()
        response.choices = []
        response.model = self.model
        for _ in range(params.get("n", 1)):
            choice = SimpleNamespace()
            choice.message = SimpleNamespace()
            choice.message.content = f"{self.reply} (you said: {last}) TERMINATE"
            choice.message.function_call = None
            response.choices.append(choice)
        return response

    def message_retrieval(self, response: Any) -> list[str]:
        return [choice.message.content for choice in response.choices]

    def cost(self, response: Any) -> float:
        response.cost = 0.25
        return 0.25

    @staticmethod
    def get_usage(response: Any) -> dict[str, Any]:
        return {"prompt_tokens": 3, "completion_tokens": 5, "total_tokens": 8, "cost": 0.25}


CONFIG = [{"model": "my-local-model", "model_client_cls": "CustomModelClient"}]


def test_custom_client_answers_through_openai_wrapper() -> None:
    client = OpenAIWrapper(config_list=CONFIG)
    client.register_model_client(model_client_cls=CustomModelClient)
    response = client.create(messages=[{"role": "user", "content": "2+2="}])
    assert response.choices[0].message.content.startswith("hello from the custom client")
    assert client.extract_text_or_completion_object(response) == [
        "hello from the custom client (you said: 2+2=) TERMINATE"
    ]


def test_custom_client_usage_and_cost_are_accounted() -> None:
    client = OpenAIWrapper(config_list=CONFIG)
    client.register_model_client(CustomModelClient)
    response = client.create(messages=[{"role": "user", "content": "hi"}])
    assert response.cost == 0.25
    assert response.usage.total_tokens == 8
    summary = client.total_usage_summary
    assert summary is not None and summary["my-local-model"]["completion_tokens"] == 5


def test_register_model_client_passes_kwargs_to_the_client() -> None:
    client = OpenAIWrapper(config_list=CONFIG)
    client.register_model_client(CustomModelClient, reply="configured")
    response = client.create(messages=[{"role": "user", "content": "x"}])
    assert response.choices[0].message.content.startswith("configured")


def test_custom_client_receives_the_params_dict_with_messages_and_options() -> None:
    seen: list[dict[str, Any]] = []

    class Recording(CustomModelClient):
        def create(self, params: dict[str, Any]) -> Any:
            seen.append(params)
            return super().create(params)

    client = OpenAIWrapper(config_list=[{"model": "m", "model_client_cls": "Recording"}])
    client.register_model_client(Recording)
    client.create(messages=[{"role": "user", "content": "q"}], n=2, temperature=0.5)
    assert seen[0]["messages"] == [{"role": "user", "content": "q"}]
    assert seen[0]["n"] == 2 and seen[0]["temperature"] == 0.5 and seen[0]["model"] == "m"


def test_unregistered_custom_client_raises_runtime_error_on_create() -> None:
    client = OpenAIWrapper(config_list=CONFIG)
    with pytest.raises(RuntimeError, match="register_model_client"):
        client.create(messages=[{"role": "user", "content": "x"}])


def test_registering_a_class_no_entry_names_is_an_error() -> None:
    client = OpenAIWrapper(config_list=CONFIG)

    class Other(CustomModelClient):
        pass

    with pytest.raises(ValueError, match="model_client_cls"):
        client.register_model_client(Other)


def test_custom_client_drives_an_assistant_user_proxy_chat() -> None:
    assistant = AssistantAgent("assistant", llm_config={"config_list": CONFIG})
    assistant.register_model_client(model_client_cls=CustomModelClient)
    user_proxy = UserProxyAgent(
        "user_proxy",
        human_input_mode="NEVER",
        max_consecutive_auto_reply=1,
        code_execution_config=False,
        is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or ""),
    )
    result = user_proxy.initiate_chat(assistant, message="Write a haiku", silent=True)
    replies = [m["content"] for m in result.chat_history if m.get("name") == "assistant"]
    assert replies == ["hello from the custom client (you said: Write a haiku) TERMINATE"]


def test_classic_model_client_protocol_is_exposed_top_level() -> None:
    assert autogen.ModelClient.RESPONSE_USAGE_KEYS == [
        "prompt_tokens",
        "completion_tokens",
        "total_tokens",
        "cost",
        "model",
    ]


def test_unregistered_entry_is_an_error_even_when_an_earlier_entry_works() -> None:
    client = OpenAIWrapper(
        config_list=[{"model": "ok", "api_type": "scripted", "replies": ["fine"]}, *CONFIG]
    )
    with pytest.raises(RuntimeError, match="CustomModelClient"):
        client.create(messages=[{"role": "user", "content": "x"}])
