"""Tools in chats: offered to the model from type hints, executed by another agent."""

import json
from typing import Annotated, Any

import pytest

from convogen import AssistantAgent, ConfigError, StopReason, UserProxyAgent, register_function
from convogen.agents.termination import ends_with_terminate
from convogen.llm.scripted import ScriptedModelClient, scripted_llm_config


def call(call_id: str, name: str, arguments: Any) -> dict[str, Any]:
    args = arguments if isinstance(arguments, str) else json.dumps(arguments)
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": args}}


def tool_chat(first_reply: dict[str, Any], register: Any) -> tuple[Any, AssistantAgent]:
    assistant = AssistantAgent(
        "assistant", llm_config=scripted_llm_config([first_reply, "done TERMINATE"]), silent=True
    )
    user = UserProxyAgent(
        "user",
        is_termination_msg=ends_with_terminate,
        human_input_mode="NEVER",
        code_execution_config=False,
        silent=True,
    )
    register(assistant, user)
    return user.initiate_chat(assistant, message="go"), assistant


def add(a: Annotated[int, "first addend"], b: Annotated[int, "second addend"]) -> int:
    """Add two integers."""
    return a + b


def test_tool_schema_goes_to_the_model_and_result_comes_back() -> None:
    def register(assistant: AssistantAgent, user: UserProxyAgent) -> None:
        register_function(add, caller=assistant, executor=user)

    reply = {"content": None, "tool_calls": [call("c1", "add", {"a": 2, "b": 3})]}
    result, assistant = tool_chat(reply, register)
    tool_message = result.chat_history[2]
    assert tool_message["role"] == "tool"
    assert tool_message["tool_responses"] == [
        {"tool_call_id": "c1", "role": "tool", "content": "5"}
    ]
    client = assistant.client.clients[0]  # type: ignore[union-attr]
    assert isinstance(client, ScriptedModelClient)
    schema = client.requests[0].params["tools"][0]["function"]
    assert schema["name"] == "add" and schema["description"] == "Add two integers."
    assert schema["parameters"]["properties"]["a"]["description"] == "first addend"
    assert result.stop_reason is StopReason.TERMINATION_MESSAGE


def test_parallel_tool_calls_keep_their_order() -> None:
    def register(assistant: AssistantAgent, user: UserProxyAgent) -> None:
        register_function(add, caller=assistant, executor=user)

    calls = [call(f"c{i}", "add", {"a": i, "b": 10}) for i in range(4)]
    result, _ = tool_chat({"content": None, "tool_calls": calls}, register)
    responses = result.chat_history[2]["tool_responses"]
    assert [r["tool_call_id"] for r in responses] == ["c0", "c1", "c2", "c3"]
    assert [r["content"] for r in responses] == ["10", "11", "12", "13"]


@pytest.mark.parametrize(
    ("arguments", "fragment"),
    [
        ("{not json", "must be in JSON format"),
        ({"a": "many", "b": 1}, "invalid arguments"),
        ({"a": 1}, "Field required"),
    ],
)
def test_bad_arguments_go_back_to_the_model_as_errors(arguments: Any, fragment: str) -> None:
    def register(assistant: AssistantAgent, user: UserProxyAgent) -> None:
        register_function(add, caller=assistant, executor=user)

    result, _ = tool_chat({"content": None, "tool_calls": [call("c1", "add", arguments)]}, register)
    content = result.chat_history[2]["tool_responses"][0]["content"]
    assert content.startswith("Error") and fragment in content
    assert result.stop_reason is StopReason.TERMINATION_MESSAGE  # the chat went on


def test_tool_exceptions_and_async_tools() -> None:
    async def fetch(city: str) -> str:
        """Weather for a city."""
        return f"sunny in {city}"

    def explode() -> str:
        """Always fails."""
        raise RuntimeError("boom")

    def register(assistant: AssistantAgent, user: UserProxyAgent) -> None:
        register_function(fetch, caller=assistant, executor=user, name="weather")
        user.register_for_execution()(assistant.register_for_llm(description="fails")(explode))

    calls = [call("c1", "weather", {"city": "Oslo"}), call("c2", "explode", {})]
    result, assistant = tool_chat({"content": None, "tool_calls": calls}, register)
    contents = [r["content"] for r in result.chat_history[2]["tool_responses"]]
    assert contents == ["sunny in Oslo", "Error: boom"]
    names = [t["function"]["name"] for t in assistant.llm_config["tools"]]  # type: ignore[index]
    assert names == ["weather", "explode"]


def test_untyped_function_map_entries_still_run() -> None:
    def register(assistant: AssistantAgent, user: UserProxyAgent) -> None:
        user.register_function({"shout": lambda text: text.upper()})

    result, _ = tool_chat(
        {"content": None, "tool_calls": [call("c1", "shout", {"text": "hi"})]}, register
    )
    assert result.chat_history[2]["tool_responses"][0]["content"] == "HI"


def test_legacy_function_call_is_executed() -> None:
    def register(assistant: AssistantAgent, user: UserProxyAgent) -> None:
        user.register_function({"add": add})

    reply = {"content": None, "function_call": {"name": "add", "arguments": '{"a": 1, "b": 1}'}}
    result, _ = tool_chat(reply, register)
    assert result.chat_history[2] == {"content": "2", "name": "add", "role": "function"}


def test_tools_need_an_llm_and_can_be_removed() -> None:
    user = UserProxyAgent("user", is_termination_msg=ends_with_terminate)
    with pytest.raises(ConfigError, match="no LLM"):
        user.register_for_llm()(add)
    assistant = AssistantAgent("assistant", llm_config=scripted_llm_config(["x"]))
    assistant.register_for_llm()(add)
    assistant.update_tool_signature("add", is_remove=True)
    assert "tools" not in assistant.llm_config  # type: ignore[operator]
    user.register_function({"add": add})
    assert user.can_execute_function("add")
    user.register_function({"add": None})
    assert not user.can_execute_function("add")
