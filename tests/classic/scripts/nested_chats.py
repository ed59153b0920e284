"""A writer with a nested critic (0.2 nested-chat example)."""

import convogen as autogen

config_list = autogen.config_list_from_json(env_or_file="OAI_CONFIG_LIST")
llm_config = {"config_list": config_list, "cache_seed": None}

writer = autogen.AssistantAgent(
    name="Writer",
    llm_config=llm_config,
    system_message="You are a professional writer. Polish your writing based on the feedback.",
)
user_proxy = autogen.UserProxyAgent(
    name="User",
    human_input_mode="NEVER",
    is_termination_msg=lambda x: x.get("content", "").find("TERMINATE") >= 0,
    code_execution_config={"last_n_messages": 1, "work_dir": "tasks", "use_docker": False},
)
critic = autogen.AssistantAgent(
    name="Critic",
    llm_config=llm_config,
    system_message="You are a critic. You review the work of the writer and provide feedback.",
)


def reflection_message(recipient, messages, sender, config):
    print("REFLECTING", recipient.name)
    last = recipient.chat_messages_for_summary(sender)[-1]["content"]
    return f"Reflect and provide critique on the following writing. \n\n {last}"


user_proxy.register_nested_chats(
    [
        {
            "recipient": critic,
            "message": reflection_message,
            "summary_method": "last_msg",
            "max_turns": 1,
        }
    ],
    trigger=writer,
)
res = user_proxy.initiate_chat(
    recipient=writer,
    message="Write a short blogpost about DeepLearning.AI.",
    max_turns=2,
    summary_method="last_msg",
)
print("TURNS", len(res.chat_history))
print(
    "NESTED_FEEDBACK_IN_CHAT",
    any("critique-feedback" in (m.get("content") or "") for m in res.chat_history),
)
print("SUMMARY", res.summary)
