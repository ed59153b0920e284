import convogen as autogen  # was: import autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")
assistant = autogen.AssistantAgent(
    "assistant", llm_config={"config_list": config_list, "cache_seed": 42}
)
user_proxy = autogen.UserProxyAgent(
    "user_proxy",
    human_input_mode="NEVER",
    max_consecutive_auto_reply=2,
    code_execution_config={"work_dir": "coding", "use_docker": False},
)
chat_result = user_proxy.initiate_chat(
    assistant, message="Write Python code that prints the first 5 square numbers."
)
print(chat_result.summary)
print(chat_result.cost["usage_including_cached_inference"])
