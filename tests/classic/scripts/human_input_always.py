"""A person answers at every turn through input() (0.2 human-in-the-loop tutorial)."""

import convogen as autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")
agent_with_number = autogen.ConversableAgent(
    "agent_with_number",
    system_message="You are playing a game of guess-my-number. "
    "You have the number 53 in your mind. "
    "If I guess too high, say 'too high', if I guess too low, say 'too low'. ",
    llm_config={"config_list": config_list, "cache_seed": None},
    is_termination_msg=lambda msg: "53" in msg["content"],
    human_input_mode="NEVER",
)
human_proxy = autogen.ConversableAgent("human_proxy", llm_config=False, human_input_mode="ALWAYS")
result = human_proxy.initiate_chat(agent_with_number, message="10")
print("HUMAN_TURNS", [m["content"] for m in result.chat_history if m["role"] == "assistant"])
print("HUMAN_INPUT", result.human_input)
