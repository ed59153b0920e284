"""Classic Completion / ChatCompletion API: templates, create, and tuning with flaml."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pytest
from llm_test_support import entry

from convogen.errors import ConfigError
from convogen.llm import ChatCompletion, Completion, OpenAIWrapper
from convogen.llm.factory import register_api_type
from convogen.llm.protocol import ModelRequest, ModelResponse, Usage
from convogen.llm.templates import instantiate, instantiate_messages
from convogen.messages import Message


def test_instantiate_templates() -> None:
    context = {"problem": "2+2", "n": 3}
    assert instantiate("Solve {problem}", context, allow_format_str_template=True) == "Solve 2+2"
    # Without the opt-in, braces are ordinary text (code, JSON).
    assert instantiate("Solve {problem}", context) == "Solve {problem}"
    assert instantiate(lambda c: f"{c['n']} times", context) == "3 times"
    assert instantiate(None, context) is None
    with pytest.raises(ConfigError, match="'problem'"):
        instantiate("{problem}", {}, allow_format_str_template=True)
    with pytest.raises(ConfigError, match="format string"):
        instantiate("{0", context, allow_format_str_template=True)


def test_instantiate_messages() -> None:
    messages: list[Any] = [
        {"role": "system", "content": "You solve {kind} problems."},
        {"role": "user", "content": lambda c: f"Problem: {c['problem']}"},
    ]
    filled = instantiate_messages(messages, {"kind": "math", "problem": "1+1"}, True)
    assert [m["content"] for m in filled] == ["You solve math problems.", "Problem: 1+1"]
    untouched = instantiate_messages(messages[:1], {"kind": "math"}, False)
    assert untouched[0]["content"] == "You solve {kind} problems."


def _echo(messages: list[Message]) -> str:
    return " | ".join(str(m.get("content")) for m in messages)


SCRIPTED = [{"model": "echo", "api_type": "scripted", "replies": _echo}]


def test_completion_create_with_prompt_template() -> None:
    response = Completion.create(
        {"problem": "6*7"},
        config_list=SCRIPTED,
        prompt="Solve: {problem}",
        allow_format_str_template=True,
        temperature=0,
    )
    assert response.text == "Solve: 6*7"
    assert Completion.extract_text(response) == ["Solve: 6*7"]


def test_chat_completion_with_messages_template() -> None:
    response = ChatCompletion.create(
        {"name": "Ada"},
        config_list=SCRIPTED,
        messages=[
            {"role": "system", "content": "Greet by name."},
            {"role": "user", "content": lambda c: f"I am {c['name']}"},
        ],
    )
    assert response.text == "Greet by name. | I am Ada"


def test_completion_without_config_list_and_errors() -> None:
    response = Completion.create(
        {"x": 1}, model="solo", api_type="scripted", replies=["fine"], prompt="{x}"
    )
    assert response.text == "fine"
    with pytest.raises(ConfigError, match="'prompt' or 'messages'"):
        Completion.create({}, config_list=SCRIPTED)
    with pytest.raises(ConfigError, match="not both"):
        Completion.create({}, config_list=SCRIPTED, prompt="a", messages=[])


async def test_completion_over_http(server_factory: Any) -> None:
    server = server_factory(replies=["answer"])
    response = await Completion.a_create(
        {"q": "why?"},
        config_list=[entry(server)],
        prompt="{q}",
        allow_format_str_template=True,
        max_tokens=20,
    )
    assert response.text == "answer"
    assert server.requests[0]["messages"] == [{"role": "user", "content": "why?"}]
    assert server.requests[0]["max_tokens"] == 20


DATA = [{"problem": "6*7", "answer": "42"}, {"problem": "40+2", "answer": "42"}]


def _success(responses: list[str], problem: str, answer: str) -> Mapping[str, float]:
    return {"success": float(any(r == answer for r in responses))}


def _careful(messages: list[Message]) -> str:
    text = str(messages[-1].get("content"))
    return "42" if text.startswith("Think step by step") else "41"


def test_tune_finds_the_better_prompt_and_model() -> None:
    config_list = [
        {"model": "careless", "api_type": "scripted", "replies": ["41"]},
        {"model": "careful", "api_type": "scripted", "replies": _careful},
    ]
    best, analysis = Completion.tune(
        DATA,
        metric="success",
        mode="max",
        eval_func=_success,
        num_samples=6,
        config_list=config_list,
        model=["careless", "careful"],
        prompt=["{problem} = ?", "Think step by step: {problem}"],
    )
    assert best["model"] == "careful"
    assert best["prompt"] == "Think step by step: {problem}"
    assert "config_list" not in best
    assert analysis.best_result["success"] == 1.0
    assert len(analysis.trials) == 6
    # The tuned config is directly usable.
    response = Completion.create(
        DATA[0], config_list=config_list, allow_format_str_template=True, **best
    )
    assert response.text == "42"


class _TemperatureSensitive:
    """A client (custom api_type) whose answers are right only at low temperature."""

    def __init__(self, entry: dict[str, Any]) -> None:
        self.model = entry["model"]

    async def create(self, request: ModelRequest) -> ModelResponse:
        temperature = request.params.get("temperature", 1.0)
        text = "42" if temperature < 0.5 else "?"
        return ModelResponse(
            [{"role": "assistant", "content": text}], self.model, Usage(10, 1), cost=0.001
        )


def test_tune_temperature_with_a_custom_api_type_and_budgets() -> None:
    register_api_type("temperature-test", _TemperatureSensitive)
    best, analysis = Completion.tune(
        DATA,
        metric="success",
        mode="max",
        eval_func=_success,
        num_samples=12,
        inference_budget=0.01,
        model="t",
        api_type="temperature-test",
        prompt="{problem}",
        temperature=[0.9, 0.1, 1.5],
        max_tokens=[10, 100],
    )
    assert best["temperature"] == 0.1
    assert analysis.best_result["inference_cost"] == pytest.approx(0.001)
    # A budget below the first trial's spend stops further model calls.
    spent: list[int] = []

    def counting(responses: list[str], **instance: Any) -> Mapping[str, float]:
        spent.append(1)
        return _success(responses, **instance)

    _, limited = Completion.tune(
        DATA,
        "success",
        "max",
        counting,
        optimization_budget=0.0005,
        num_samples=4,
        model="t",
        api_type="temperature-test",
        prompt="{problem}",
        temperature=0.1,
    )
    assert len(spent) == len(DATA)  # only the first trial evaluated the data
    assert any(math.isinf(t.last_result["inference_cost"]) for t in limited.trials)


def test_tune_argument_errors() -> None:
    with pytest.raises(ConfigError, match="data"):
        Completion.tune([], "m", "max", _success, prompt="x")
    with pytest.raises(ConfigError, match="mode"):
        Completion.tune(DATA, "m", "up", _success, prompt="x")
    with pytest.raises(ConfigError, match="prompt"):
        Completion.tune(DATA, "m", "max", _success)


def test_wrapper_context_templates() -> None:
    wrapper = OpenAIWrapper(config_list=SCRIPTED, allow_format_str_template=True)
    response = wrapper.create(
        messages=[{"role": "user", "content": "Hi {name}"}], context={"name": "Bo"}
    )
    assert response.text == "Hi Bo"
