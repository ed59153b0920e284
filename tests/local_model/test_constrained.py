"""Grammar-constrained decoding: every sample parses, validates, or is a valid name."""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel

from convogen.llm.local import LocalModelClient, a_choose_one
from convogen.llm.protocol import ModelRequest
from convogen.llm.wrapper import OpenAIWrapper

SAMPLES = 20
# Hot sampling finds grammar holes fastest; max_tokens is far below what the JSON needs, and
# short strings keep the many samples quick.
HOT = {"temperature": 1.0, "max_tokens": 8, "seed": 1000, "max_string_chars": 16}


class Weather(BaseModel):
    city: str
    unit: Literal["celsius", "fahrenheit"]


class Reminder(BaseModel):
    text: str
    minutes: int
    urgent: bool


TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Current weather in a city.",
            "parameters": Weather.model_json_schema(),
        },
    },
    {
        "type": "function",
        "function": {
            "name": "set_reminder",
            "description": "Remind the user later.",
            "parameters": Reminder.model_json_schema(),
        },
    },
]
ARGUMENT_MODELS: dict[str, type[BaseModel]] = {"get_weather": Weather, "set_reminder": Reminder}


async def test_required_tool_call_always_parses_and_validates(
    local_client: LocalModelClient,
) -> None:
    messages = [{"role": "user", "content": "What's the weather in Oslo?"}]
    params = {**HOT, "tools": TOOLS, "tool_choice": "required", "n": SAMPLES}
    response = await local_client.create(ModelRequest(messages=messages, params=params))
    assert len(response.choices) == SAMPLES
    ids = set()
    for choice in response.choices:
        assert choice["content"] is None
        (call,) = choice["tool_calls"]
        ids.add(call["id"])
        assert call["id"].startswith("call_") and call["type"] == "function"
        model = ARGUMENT_MODELS[call["function"]["name"]]
        model.model_validate_json(call["function"]["arguments"])
    assert len(ids) == SAMPLES


async def test_named_tool_choice_forces_that_tool(local_client: LocalModelClient) -> None:
    messages = [{"role": "user", "content": "Remind me to stretch."}]
    choice = {"type": "function", "function": {"name": "set_reminder"}}
    params = {**HOT, "tools": TOOLS, "tool_choice": choice, "n": 4}
    response = await local_client.create(ModelRequest(messages=messages, params=params))
    for message in response.choices:
        (call,) = message["tool_calls"]
        assert call["function"]["name"] == "set_reminder"
        Reminder.model_validate(json.loads(call["function"]["arguments"]))


async def test_auto_tool_choice_gives_valid_call_or_text(local_client: LocalModelClient) -> None:
    messages = [{"role": "user", "content": "What's the weather in Rome?"}]
    params = {**HOT, "tools": TOOLS, "n": 8}
    response = await local_client.create(ModelRequest(messages=messages, params=params))
    for message in response.choices:
        if message.get("tool_calls"):
            (call,) = message["tool_calls"]
            ARGUMENT_MODELS[call["function"]["name"]].model_validate_json(
                call["function"]["arguments"]
            )
        else:
            assert isinstance(message["content"], str)
            assert not message["content"].lstrip().startswith("{")


async def test_choose_one_is_always_a_valid_name(local_client: LocalModelClient) -> None:
    names = ["Planner", "Coder", "Critic", "Coder_2", 'Quote"Man']
    messages = [
        {"role": "system", "content": f"Pick who speaks next among {names}."},
        {"role": "user", "content": "We need some code written."},
    ]
    for i in range(SAMPLES):
        name = await a_choose_one(local_client, messages, names, temperature=1.0, seed=i)
        assert name in names


async def test_choices_param_through_the_wrapper(local_client: LocalModelClient) -> None:
    wrapper = OpenAIWrapper(config_list=[{"model": "smollm2", "api_type": "local"}])
    names = ["alice", "bob"]
    messages = [{"role": "user", "content": "Who should answer, alice or bob?"}]
    for i in range(6):
        assert await a_choose_one(wrapper, messages, names, temperature=1.0, seed=i) in names


async def test_response_format_schema_always_validates(local_client: LocalModelClient) -> None:
    messages = [{"role": "user", "content": "Remind me to call mom in ten minutes."}]
    schema_format = {
        "type": "json_schema",
        "json_schema": {"name": "Reminder", "schema": Reminder.model_json_schema()},
    }
    for response_format in (schema_format, Reminder):
        params = {**HOT, "response_format": response_format, "n": SAMPLES // 2}
        response = await local_client.create(ModelRequest(messages=messages, params=params))
        assert len(response.choices) == SAMPLES // 2
        for choice in response.choices:
            assert isinstance(choice["content"], str)
            Reminder.model_validate_json(choice["content"])


async def test_json_object_always_parses(local_client: LocalModelClient) -> None:
    messages = [{"role": "user", "content": "Describe a cat as JSON."}]
    params = {**HOT, "response_format": {"type": "json_object"}, "n": 4}
    response = await local_client.create(ModelRequest(messages=messages, params=params))
    for choice in response.choices:
        assert isinstance(json.loads(str(choice["content"])), dict)


def test_wrapper_create_structured_on_local_model(local_client: LocalModelClient) -> None:
    wrapper = OpenAIWrapper(config_list=[{"model": "smollm2", "api_type": "local"}])
    parsed = wrapper.create_structured(
        messages=[{"role": "user", "content": "Weather in Lima, celsius."}],
        response_format=Weather,
        temperature=1.0,
        seed=7,
    )
    assert isinstance(parsed.parsed, Weather)


def test_group_chat_auto_selection_on_the_local_model_always_names_a_member() -> None:
    from convogen import ConversableAgent, GroupChat, GroupChatManager

    agents = []
    for name in ("planner", "coder", "critic"):
        agent = ConversableAgent(name, llm_config=False, human_input_mode="NEVER", silent=True)
        agent.register_reply(ConversableAgent, lambda *a, n=name: (True, f"{n} here"))
        agents.append(agent)
    gc = GroupChat(agents, max_round=8, max_retries_for_selecting_speaker=0)
    local = {"config_list": [{"model": "local", "api_type": "local"}], "temperature": 1.0}
    manager = GroupChatManager(gc, llm_config=local, silent=True)
    agents[0].initiate_chat(manager, message="plan a picnic", silent=True)
    assert len(gc.selection_log) == 7
    for selection in gc.selection_log:
        assert selection.method == "auto"
        assert "attempt 1" in selection.reason  # the grammar made the first answer valid


def test_completion_tune_runs_against_the_embedded_model() -> None:
    from convogen.llm.completion import Completion

    data = [{"word": "cat", "answer": "cat"}, {"word": "dog", "answer": "dog"}]

    def echoed(responses: list[str], **instance: object) -> dict[str, float]:
        return {"success": float(str(instance["answer"]) in responses[0].lower())}

    best, analysis = Completion.tune(
        data,
        metric="success",
        mode="max",
        eval_func=echoed,
        num_samples=3,
        config_list=[{"model": "local", "api_type": "local"}],
        prompt=["Repeat the word {word}.", "Say {word}"],
        max_tokens=[8],
        temperature=[0.0, 0.7],
    )
    assert best["prompt"] in ("Repeat the word {word}.", "Say {word}")
    assert len(analysis.trials) == 3
    assert 0.0 <= analysis.best_result["success"] <= 1.0
