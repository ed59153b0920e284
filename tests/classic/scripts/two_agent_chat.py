"""A two-agent chat as in the 0.2 getting-started guide."""

import os

import convogen as autogen

config_list = autogen.config_list_from_json(
    "OAI_CONFIG_LIST", filter_dict={"model": ["gpt-4", "gpt-4o"]}
)
llm_config = {"config_list": config_list, "cache_seed": None, "temperature": 0}

assistant = autogen.AssistantAgent(name="assistant", llm_config=llm_config)
user_proxy = autogen.UserProxyAgent(
    name="user_proxy",
    human_input_mode="NEVER",
    max_consecutive_auto_reply=3,
    is_termination_msg=lambda x: x.get("content", "").rstrip().endswith("TERMINATE"),
    code_execution_config=False,
)
chat_result = user_proxy.initiate_chat(
    assistant,
    message="Tell me a joke about NVDA and TESLA stock prices.",
    summary_method="last_msg",
)
print("HISTORY", len(chat_result.chat_history))
print("SUMMARY", chat_result.summary)
cost = chat_result.cost["usage_including_cached_inference"]
print("COST_KEYS", sorted(k for k in cost if k != "total_cost"))
print("TOTAL_COST_IS_NUMBER", isinstance(cost["total_cost"], (int, float)))
print("CHAT_ID_SET", chat_result.chat_id is not None)
print("CWD_OK", os.path.isdir(os.getcwd()))
