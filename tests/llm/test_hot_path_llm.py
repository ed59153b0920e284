"""The model call's per-turn shortcuts give the same answers as a full pass would."""

import asyncio
import threading
from types import SimpleNamespace
from typing import Any

from convogen import OpenAIWrapper
from convogen.llm.protocol import ModelRequest
from convogen.llm.scripted import ScriptedModelClient
from convogen.llm.templates import TemplateScan, instantiate_messages
from convogen.messages import Message


def text(content: str, role: str = "user") -> Message:
    return {"role": role, "content": content}  # type: ignore[typeddict-item]


def template(context: Any) -> str:
    return "filled"


def test_a_callable_added_after_a_clean_prompt_is_filled() -> None:
    scan = TemplateScan()
    history = [text("a"), text("b")]
    assert instantiate_messages(history, None, scan=scan) == history
    history.append({"role": "user", "content": template})  # type: ignore[typeddict-item]
    filled = instantiate_messages(history, None, scan=scan)
    assert filled[-1]["content"] == "filled"


def test_a_callable_inside_a_different_prompt_is_found() -> None:
    scan = TemplateScan()
    first = [text("a"), text("b"), text("c")]
    assert not scan.has_callable_content(first)
    other = [text("a"), {"role": "user", "content": template}, text("c"), text("d")]
    assert scan.has_callable_content(other)


def test_an_equal_copy_of_a_clean_prompt_needs_no_filling() -> None:
    scan = TemplateScan()
    assert not scan.has_callable_content([text("a"), text("b")])
    assert not scan.has_callable_content([text("a"), text("b"), text("c")])


def test_the_wrapper_fills_a_callable_appended_to_its_last_prompt() -> None:
    wrapper = OpenAIWrapper(
        config_list=[{"model": "m", "api_type": "scripted", "replies": ["x", "y"]}]
    )
    wrapper.create(messages=[text("a")])
    seen = wrapper.clients[0]
    wrapper.create(messages=[text("a"), {"role": "user", "content": template}])
    assert isinstance(seen, ScriptedModelClient)
    assert seen.requests[-1].messages[-1]["content"] == "filled"


def prompt_tokens(client: ScriptedModelClient, messages: list[Message]) -> int:
    response = asyncio.run(client.create(ModelRequest(messages=messages, params={})))
    return response.usage.prompt_tokens


def test_prompt_tokens_are_counted_again_when_a_message_in_the_middle_changes() -> None:
    client = ScriptedModelClient(["ok"], on_exhausted="repeat_last")
    fresh = ScriptedModelClient(["ok"], on_exhausted="repeat_last")
    prompt_tokens(client, [text("one two"), text("three"), text("four")])
    changed = [text("one two"), text("many more words than before"), text("four")]
    assert prompt_tokens(client, changed) == prompt_tokens(fresh, changed)


def test_prompt_tokens_of_an_equal_copy_extended_match_a_fresh_count() -> None:
    client = ScriptedModelClient(["ok"], on_exhausted="repeat_last")
    fresh = ScriptedModelClient(["ok"], on_exhausted="repeat_last")
    prompt_tokens(client, [text("one two"), text("three")])
    longer = [text("one two"), text("three"), text("four five six")]
    assert prompt_tokens(client, longer) == prompt_tokens(fresh, longer)


class ThreadNotingClient:
    """A 0.2 custom client that notes the thread each ``create`` runs in."""

    threads: list[threading.Thread] = []

    def __init__(self, config: dict[str, Any], **kwargs: Any) -> None:
        self.model = config["model"]

    def create(self, params: dict[str, Any]) -> Any:
        ThreadNotingClient.threads.append(threading.current_thread())
        message = SimpleNamespace(content="ok", function_call=None)
        return SimpleNamespace(choices=[SimpleNamespace(message=message)], model=self.model)

    def message_retrieval(self, response: Any) -> list[str]:
        return [choice.message.content for choice in response.choices]

    def cost(self, response: Any) -> float:
        return 0.0

    @staticmethod
    def get_usage(response: Any) -> dict[str, Any]:
        return {}


def classic_wrapper() -> OpenAIWrapper:
    ThreadNotingClient.threads = []
    entry = {"model": "noting", "model_client_cls": "ThreadNotingClient"}
    wrapper = OpenAIWrapper(config_list=[entry], cache_seed=None)
    wrapper.register_model_client(ThreadNotingClient)
    return wrapper


def test_a_classic_client_runs_inline_under_a_synchronous_call() -> None:
    wrapper = classic_wrapper()
    assert wrapper.create(messages=[text("hi")]).choices[0].message.content == "ok"
    assert ThreadNotingClient.threads == [threading.current_thread()]


def test_a_classic_client_runs_in_a_worker_thread_on_an_application_loop() -> None:
    wrapper = classic_wrapper()
    response = asyncio.run(wrapper.a_create(messages=[text("hi")]))
    assert response.choices[0]["content"] == "ok"
    assert ThreadNotingClient.threads[0] is not threading.current_thread()


def test_a_classic_client_with_a_timeout_runs_in_a_worker_thread() -> None:
    wrapper = classic_wrapper()
    wrapper.create(messages=[text("hi")], timeout=5)
    assert ThreadNotingClient.threads[0] is not threading.current_thread()
