"""Tool use with register_function (0.2 tool-use tutorial)."""

from typing import Annotated, Literal

from convogen import ConversableAgent, config_list_from_json, register_function

Operator = Literal["+", "-", "*", "/"]


def calculator(a: int, b: int, operator: Annotated[Operator, "operator"]) -> int:
    if operator == "+":
        return a + b
    if operator == "-":
        return a - b
    if operator == "*":
        return a * b
    if operator == "/":
        return int(a / b)
    raise ValueError("Invalid operator")


config_list = config_list_from_json("OAI_CONFIG_LIST")
assistant = ConversableAgent(
    name="Assistant",
    system_message="You are a helpful AI assistant. "
    "You can help with simple calculations. "
    "Return 'TERMINATE' when the task is done.",
    llm_config={"config_list": config_list, "cache_seed": None},
)
user_proxy = ConversableAgent(
    name="User",
    llm_config=False,
    is_termination_msg=lambda msg: msg.get("content") is not None and "TERMINATE" in msg["content"],
    human_input_mode="NEVER",
)
register_function(
    calculator,
    caller=assistant,
    executor=user_proxy,
    name="calculator",
    description="A simple calculator",
)
print("SCHEMA", assistant.llm_config["tools"][0]["function"]["name"])
chat_result = user_proxy.initiate_chat(
    assistant, message="What is (44232 + 13312 / (232 - 32)) * 5?"
)
tool_results = [m for m in chat_result.chat_history if m.get("tool_responses")]
print("TOOL_RESULT", tool_results[0]["tool_responses"][0]["content"] if tool_results else None)
print("LAST", chat_result.chat_history[-1]["content"])
